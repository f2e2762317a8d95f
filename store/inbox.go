package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Inbox is a small database beside the main one (InboxPath) holding the
// messages received but not yet handled. A platform's delivery is
// confirmed once its message is committed here, and the core handles
// each from here, in order. It has a writer of its own, so receiving the
// next batch does not wait for the main writer, which is busy handling
// the previous ones.
//
// Handling a message commits to the main database only, and the inbox
// forgets it later (Add's handled, Forget): after a crash, messages
// already handled may be found here again, and handling them again finds
// them recorded (the inbound table's UNIQUE key) and does nothing.
type Inbox struct {
	db   *sql.DB
	path string

	mu      sync.Mutex
	inserts map[int]*sql.Stmt // by rows inserted (see insert)

	// last is the highest ID Add handed out. IDs never go back, even
	// when forgetting emptied the table (where SQLite would start again
	// from 1): a caller's "handled through" mark only grows, and would
	// count a reused ID as handled.
	last atomic.Int64
	// left is the highest ID in the file when it was opened: the
	// messages an earlier run left (Left).
	left int64
}

// inboxRowsPerInsert is the most rows one INSERT of Add writes. Add
// writes n messages with one statement per binary digit of n (a
// getUpdates answer of 100 as 64 + 32 + 4 rows), so that a few prepared
// statements serve every size.
const inboxRowsPerInsert = 64

// InboxEntry is a message received and not yet known to be handled.
type InboxEntry struct {
	ID         int64
	Message    []byte // as the caller stored it
	ReceivedAt time.Time
}

// InboxPath is where the inbox of the database at path lives.
func InboxPath(path string) string { return path + ".inbox" }

// OpenInbox opens (creating it, 0600) the inbox of the database at path,
// with the same durability as the database (sync as in Options).
func OpenInbox(ctx context.Context, path, sync string) (*Inbox, error) {
	if err := checkSync(sync); err != nil {
		return nil, err
	}
	p := InboxPath(path)
	if err := createPrivate(p); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", DSNSync(p, sync))
	if err != nil {
		return nil, fmt.Errorf("store: open inbox %s: %w", p, err)
	}
	db.SetMaxOpenConns(1) // one writer; reads are rare (a start)
	db.SetConnMaxIdleTime(0)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS inbox (
		id          INTEGER PRIMARY KEY,
		message     BLOB    NOT NULL,
		received_at INTEGER NOT NULL
	)`); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open inbox %s: %w", p, err)
	}
	in := &Inbox{db: db, path: p}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM inbox`).Scan(&in.left); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open inbox %s: %w", p, err)
	}
	in.last.Store(in.left)
	return in, nil
}

// Left is the highest ID of the messages an earlier run left in the
// inbox (0: none). Add hands out IDs above it, so the messages up to it
// are exactly those to recover at start.
func (in *Inbox) Left() int64 { return in.left }

// Path is the inbox's file.
func (in *Inbox) Path() string { return in.path }

// Close closes the inbox.
func (in *Inbox) Close() error {
	in.mu.Lock()
	var errs []error
	for _, st := range in.inserts {
		errs = append(errs, st.Close())
	}
	in.inserts = nil
	in.mu.Unlock()
	return errors.Join(append(errs, in.db.Close())...)
}

// insert returns the statement inserting n rows (a power of two up to
// inboxRowsPerInsert) of id, message and received_at, prepared once.
func (in *Inbox) insert(ctx context.Context, n int) (*sql.Stmt, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if st, ok := in.inserts[n]; ok {
		return st, nil
	}
	q := "INSERT INTO inbox (id, message, received_at) VALUES (?, ?, ?)" + strings.Repeat(", (?, ?, ?)", n-1)
	st, err := in.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if in.inserts == nil {
		in.inserts = make(map[int]*sql.Stmt)
	}
	in.inserts[n] = st
	return st, nil
}

// Add commits messages received at receivedAt and returns their IDs, in
// order (the order of handling). In the same transaction it forgets the
// messages up to handled (0: none), known to be handled.
func (in *Inbox) Add(ctx context.Context, messages [][]byte, receivedAt time.Time, handled int64) ([]int64, error) {
	ids := make([]int64, len(messages))
	// Prepared before the transaction takes the inbox's one connection.
	var stmts []*sql.Stmt
	var sizes []int
	for rest := len(messages); rest > 0; {
		n := min(1<<(bits.Len(uint(rest))-1), inboxRowsPerInsert)
		st, err := in.insert(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("store: inbox add: %w", err)
		}
		stmts, sizes = append(stmts, st), append(sizes, n)
		rest -= n
	}
	tx, err := in.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: inbox add: %w", err)
	}
	defer tx.Rollback()
	// The highest ID before forgetting: the new ones go above it.
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM inbox`).Scan(&top); err != nil {
		return nil, fmt.Errorf("store: inbox add: %w", err)
	}
	if handled > 0 {
		if _, err := tx.ExecContext(ctx, forgetHandled, handled); err != nil {
			return nil, fmt.Errorf("store: inbox forget: %w", err)
		}
	}
	next := max(top, in.last.Load()) + 1
	at := ms(receivedAt)
	from := 0
	for k, st := range stmts {
		part := messages[from : from+sizes[k]]
		args := make([]any, 0, 3*len(part))
		for i, m := range part {
			ids[from+i] = next
			args = append(args, next, m, at)
			next++
		}
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...); err != nil {
			return nil, fmt.Errorf("store: inbox add: %w", err)
		}
		from += len(part)
	}
	if len(ids) > 0 {
		// Set while this transaction holds the inbox's one connection, so
		// Adds set it in turn; a failed commit only leaves a gap.
		in.last.Store(ids[len(ids)-1])
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: inbox add: %w", err)
	}
	return ids, nil
}

// forgetHandled deletes the messages up to a handled ID.
const forgetHandled = `DELETE FROM inbox WHERE id <= ?`

// Forget deletes the messages up to handled, known to be handled.
func (in *Inbox) Forget(ctx context.Context, handled int64) error {
	if _, err := in.db.ExecContext(ctx, forgetHandled, handled); err != nil {
		return fmt.Errorf("store: inbox forget: %w", err)
	}
	return nil
}

// Entries returns up to limit messages with an ID above after, oldest
// first.
func (in *Inbox) Entries(ctx context.Context, after int64, limit int) ([]InboxEntry, error) {
	rows, err := in.db.QueryContext(ctx, `SELECT id, message, received_at FROM inbox WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: read inbox: %w", err)
	}
	defer rows.Close()
	var out []InboxEntry
	for rows.Next() {
		var e InboxEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.Message, &at); err != nil {
			return nil, fmt.Errorf("store: read inbox: %w", err)
		}
		e.ReceivedAt = fromMS(at)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read inbox: %w", err)
	}
	return out, nil
}
