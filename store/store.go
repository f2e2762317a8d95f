// Package store keeps all of Piket's data in one SQLite database
// (modernc.org/sqlite, pure Go): the staff registry, attendance, reports,
// the inbound audit and the outbox of messages to send.
//
// Writes go through one connection. Write batches concurrent callers' work
// into one transaction (group commit): each caller's function runs inside
// its own savepoint, and Write returns only after the batch committed, so a
// caller may acknowledge what it wrote as soon as Write returns nil. With
// the default synchronous mode (SyncFull) committed means on disk: one
// fsync per batch, so it survives a power cut.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Sentinel errors callers branch on.
var (
	ErrNotFound  = errors.New("store: not found")
	ErrDuplicate = errors.New("store: duplicate")
)

// Store is the SQLite database.
type Store struct {
	w *sql.DB // one connection: all writes
	r *sql.DB // readers (WAL lets them run beside the writer)

	reqs      chan *writeReq
	closeOnce sync.Once
	done      chan struct{}
	wg        sync.WaitGroup
	maxBatch  int

	// wstmts holds statements prepared on the writer's connection, kept
	// across transactions; wnew lists texts first used in the current
	// transaction, prepared for good once it ends. Writer goroutine only.
	wstmts map[string]*sql.Stmt
	wnew   []string

	// rstmts holds the hot look-ups' statements prepared on the read pool
	// (readStmt); database/sql keeps each prepared on every reader
	// connection it ran on.
	rmu    sync.Mutex
	rstmts map[string]*sql.Stmt

	// regWrites caches, per SQL text, whether it writes to the registry
	// (see Tx.classify). Writer goroutine only.
	regWrites map[string]bool
	// regCommits counts commits that wrote to the registry, extCommits
	// the other connections' commits the writer noticed; dataVersion is
	// the writer's last PRAGMA data_version (see Store.regGen).
	regCommits, extCommits atomic.Uint64
	dataVersion            int64

	file  dbFile       // the database file as opened (see CheckFile)
	fault func() error // Options.WriteFault
	beats atomic.Int64 // heartbeat sequence (see Heartbeat)
	// heldSoon is how many Soon writes the writer holds (for tests).
	heldSoon atomic.Int64
}

// Options tune Open. The zero value is fine.
type Options struct {
	// MaxBatch caps how many Write calls share one transaction (default 256).
	MaxBatch int
	// Synchronous is SQLite's synchronous mode: SyncFull (the default) or
	// SyncNormal. See DSNSync.
	Synchronous string
	// WriteFault, if set, is asked before each commit; an error it returns
	// rolls the transaction back and fails every write in it, as a
	// read-only or full disk would. For tests and fault drills.
	WriteFault func() error
}

// Synchronous modes (Options.Synchronous).
const (
	// SyncFull syncs the WAL to disk at every commit: a write Write
	// returned nil for survives a power cut (one fsync per group commit).
	SyncFull = "full"
	// SyncNormal syncs only at checkpoints: a commit survives a crash of
	// the process but the last ones may be lost in a power cut (the
	// database stays consistent).
	SyncNormal = "normal"
)

// DSN returns the modernc.org/sqlite data source name Piket uses for path,
// with the default durability (SyncFull).
func DSN(path string) string { return DSNSync(path, SyncFull) }

// DSNSync returns the data source name for path with synchronous mode
// sync (SyncFull or SyncNormal; "" is SyncFull): WAL journal, a busy
// timeout, foreign keys on.
func DSNSync(path, sync string) string {
	mode := "FULL"
	if strings.EqualFold(sync, SyncNormal) {
		mode = "NORMAL"
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous("+mode+")")
	q.Add("_pragma", "temp_store(MEMORY)") // savepoint sub-journals in memory, not temp files
	q.Add("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// checkSync validates Options.Synchronous.
func checkSync(sync string) error {
	switch strings.ToLower(sync) {
	case "", SyncFull, SyncNormal:
		return nil
	}
	return fmt.Errorf("store: synchronous mode %q is not %s or %s", sync, SyncFull, SyncNormal)
}

// Open opens (creating if needed) the database at path and applies every
// pending migration. It refuses a database whose schema is newer than this
// binary knows.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := checkSync(opts.Synchronous); err != nil {
		return nil, err
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", DSNSync(path, opts.Synchronous))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := migrate(ctx, w, len(migrations)); err != nil {
		w.Close()
		return nil, err
	}
	file := openedFile(path)
	r, err := sql.Open("sqlite", DSNSync(path, opts.Synchronous))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	s := &Store{w: w, r: r, reqs: make(chan *writeReq, 1024), done: make(chan struct{}), maxBatch: opts.MaxBatch,
		file: file, fault: opts.WriteFault}
	s.beats.Store(time.Now().UnixNano()) // above any earlier run's heartbeat
	s.dataVersion = -1                   // unread
	if s.maxBatch <= 0 {
		s.maxBatch = 256
	}
	s.wg.Add(1)
	go s.writer()
	return s, nil
}

// Close stops the writer after the writes already queued and closes the
// database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	s.wg.Wait()
	var errs []error
	for _, st := range s.wstmts { // the writer has stopped
		errs = append(errs, st.Close())
	}
	s.rmu.Lock()
	for _, st := range s.rstmts {
		errs = append(errs, st.Close())
	}
	s.rstmts = nil
	s.rmu.Unlock()
	return errors.Join(append(errs, s.r.Close(), s.w.Close())...)
}

// DB returns the read pool, for reports and checks that need plain SQL.
func (s *Store) DB() *sql.DB { return s.r }

// Tx is a write transaction (or one caller's savepoint inside a batch).
type Tx struct {
	s  *Store
	tx *sql.Tx
	// cur is the call whose function is running (for Sender).
	cur *writeReq
	// regDirty is set once a statement in this transaction wrote to the
	// registry: the batch's sender look-up may be stale.
	regDirty bool
	// stmts caches the statements used in this transaction, so a batch of
	// many messages finds each SQL text's statement once, not per
	// message. They are closed with the transaction (the writer's
	// statements they come from stay prepared).
	stmts map[string]*sql.Stmt
}

// maxTxStmts bounds the statement cache of one transaction, and of the
// writer's connection.
const maxTxStmts = 128

// Statements inside a write run to completion: a caller's cancelled
// context must not interrupt the connection its batch shares with
// others (the writer checks each caller's context before running its
// function). A cancellable context would also make the driver start a
// watcher goroutine for every statement. So every statement in a Tx
// runs with noCancel.
var noCancel = context.Background()

// stmt returns a prepared statement for q, or nil when q is not cacheable
// (several statements in one text, or the cache is full).
func (t *Tx) stmt(_ context.Context, q string) (*sql.Stmt, error) {
	ctx := noCancel
	if s, ok := t.stmts[q]; ok {
		return s, nil // classified when first used in t
	}
	t.classify(q) // every path below runs q
	if len(t.stmts) >= maxTxStmts || strings.Contains(strings.TrimRight(q, "; \t\n"), ";") {
		return nil, nil
	}
	var s *sql.Stmt
	if ws, ok := t.s.wstmts[q]; ok {
		s = t.tx.StmtContext(ctx, ws) // already prepared on this connection
	} else {
		var err error
		if s, err = t.tx.PrepareContext(ctx, q); err != nil {
			return nil, err
		}
		if len(t.s.wstmts)+len(t.s.wnew) < maxTxStmts {
			t.s.wnew = append(t.s.wnew, q)
		}
	}
	if t.stmts == nil {
		t.stmts = make(map[string]*sql.Stmt)
	}
	t.stmts[q] = s
	return s, nil
}

func (t *Tx) exec(_ context.Context, q string, args ...any) (sql.Result, error) {
	ctx := noCancel
	s, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return t.tx.ExecContext(ctx, q, args...)
	}
	return s.ExecContext(ctx, args...)
}

func (t *Tx) query(_ context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx := noCancel
	s, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return t.tx.QueryContext(ctx, q, args...)
	}
	return s.QueryContext(ctx, args...)
}

// txQuerier runs single-row and multi-row queries through t's statement
// cache (for helpers shared with the read pool).
type txQuerier struct{ t *Tx }

func (q txQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.t.queryRow(ctx, query, args...)
}

func (q txQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.t.query(ctx, query, args...)
}

func (t *Tx) queryRow(_ context.Context, q string, args ...any) *sql.Row {
	ctx := noCancel
	s, err := t.stmt(ctx, q)
	if err != nil || s == nil {
		// A failed prepare reports its error through the Row, as the
		// uncached query would.
		return t.tx.QueryRowContext(ctx, q, args...)
	}
	return s.QueryRowContext(ctx, args...)
}

// prepare prepares a statement the caller closes (for loops over many
// rows, such as an import).
func (t *Tx) prepare(_ context.Context, q string) (*sql.Stmt, error) {
	t.classify(q)
	return t.tx.PrepareContext(noCancel, q)
}

// endTx prepares for good the statements the transaction that just ended
// used first.
func (s *Store) endTx() {
	for _, q := range s.wnew {
		if _, ok := s.wstmts[q]; ok {
			continue
		}
		st, err := s.w.PrepareContext(context.Background(), q)
		if err != nil {
			continue // the transaction prepares it again next time
		}
		if s.wstmts == nil {
			s.wstmts = make(map[string]*sql.Stmt)
		}
		s.wstmts[q] = st
	}
	s.wnew = s.wnew[:0]
}

type writeReq struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
	who  *Sender // WriteFor: whom the write is for
	// rest are the other writes of a WriteBatch, queued with this one so
	// that they share its transaction, in order.
	rest []*writeReq
	// soon: how long the write may wait for others to share its commit
	// (see Soon).
	soon time.Duration
	// pre is who's answer looked up ahead (LookUpSenders), if any.
	pre *SenderAnswer
	// The batch's look-up of who (see Tx.lookUpSenders).
	found bool
	st    Staff
	stErr error
}

// Write runs fn in a write transaction shared with other concurrent
// callers. If fn returns an error, its own changes are rolled back and the
// error is returned; others in the batch are unaffected. Write returns nil
// only after the transaction holding fn's changes committed.
//
// fn may run more than once: a batch is first run without savepoints, and
// only if one of its functions fails is it rolled back and run again with
// each function in its own savepoint. So fn must only change the database
// and set (not accumulate into) variables it captures.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	return s.write(ctx, nil, fn)
}

func (s *Store) write(ctx context.Context, who *Sender, fn func(*Tx) error) error {
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1), who: who, soon: soonOf(ctx)}
	select {
	case s.reqs <- req:
	case <-s.done:
		return errors.New("store: closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		// The batch may still commit fn's changes; the caller must treat
		// the outcome as unknown, as after any cancelled write.
		return ctx.Err()
	}
}

// Tx runs fn alone in one transaction (for large admin operations such as
// an import). It waits for the writer connection like any other write.
func (s *Store) Tx(ctx context.Context, fn func(*Tx) error) error {
	return s.Write(ctx, fn)
}

func (s *Store) writer() {
	defer s.wg.Done()
	batch := make([]*writeReq, 0, s.maxBatch)
	for {
		batch = batch[:0]
		select {
		case req := <-s.reqs:
			batch = req.appendTo(batch)
		case <-s.done:
			// Drain what is queued, then stop.
			for {
				select {
				case req := <-s.reqs:
					s.commit(req.appendTo(nil))
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < s.maxBatch {
			select {
			case req := <-s.reqs:
				batch = req.appendTo(batch)
			default:
				break fill
			}
		}
		batch = s.waitForCompany(batch)
		s.commit(batch)
	}
}

// commit runs one batch in one transaction.
func (s *Store) commit(batch []*writeReq) {
	if len(batch) > 1 {
		var ok bool
		if batch, ok = s.commitTogether(batch); ok {
			return
		}
	}
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("store: begin: %w", err)
		}
		return
	}
	results := make([]error, len(batch))
	single := len(batch) == 1
	t := &Tx{s: s, tx: tx}
	t.lookUpSenders(batch)
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if single {
			results[i] = safeRun(r, t)
			continue
		}
		if _, err := t.exec(ctx, "SAVEPOINT w"); err != nil {
			results[i] = fmt.Errorf("store: savepoint: %w", err)
			continue
		}
		if err := safeRun(r, t); err != nil {
			results[i] = err
			if _, rerr := t.exec(ctx, "ROLLBACK TO w"); rerr != nil {
				results[i] = errors.Join(err, fmt.Errorf("store: rollback to savepoint: %w", rerr))
			}
		}
		if _, err := t.exec(ctx, "RELEASE w"); err != nil && results[i] == nil {
			results[i] = fmt.Errorf("store: release savepoint: %w", err)
		}
	}
	if single && results[0] != nil {
		_ = tx.Rollback()
		s.endTx()
		batch[0].done <- results[0]
		return
	}
	err = s.commitTx(tx)
	s.endTx()
	s.countRegistry(t)
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("store: commit: %w", err)
		}
		return
	}
	for i, r := range batch {
		r.done <- results[i]
	}
}

// commitTogether runs a batch without savepoints, the common case in which
// no function fails: a savepoint per function costs two statements and a
// sub-journal. Writes that arrive while it runs join the transaction
// before it commits (up to maxBatch), so a writer kept busy commits once
// per round, not once per caller. It reports false, having rolled
// everything back, when a function failed or was cancelled; commit then
// isolates each one in the batch returned, which includes those that
// joined.
func (s *Store) commitTogether(batch []*writeReq) ([]*writeReq, bool) {
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return batch, false
	}
	t := &Tx{s: s, tx: tx}
	t.lookUpSenders(batch)
	for i := 0; i < len(batch); i++ {
		r := batch[i]
		if r.ctx.Err() != nil || safeRun(r, t) != nil {
			_ = tx.Rollback()
			s.endTx()
			return batch, false
		}
		if i == len(batch)-1 && len(batch) < s.maxBatch {
			select {
			case req := <-s.reqs:
				from := len(batch)
				batch = req.appendTo(batch)
				t.lookUpSenders(batch[from:])
			default:
			}
		}
	}
	err = s.commitTx(tx)
	s.endTx()
	s.countRegistry(t)
	if err != nil {
		for _, r := range batch {
			r.done <- fmt.Errorf("store: commit: %w", err)
		}
		return batch, true
	}
	for _, r := range batch {
		r.done <- nil
	}
	return batch, true
}

// countRegistry counts a transaction that wrote to the registry (even if
// its commit failed: the answers looked up before it are then merely
// looked up again).
func (s *Store) countRegistry(t *Tx) {
	if t.regDirty {
		s.regCommits.Add(1)
	}
}

// safeRun turns a panic in fn into an error, so one bad message cannot take
// the writer (and every other caller) down.
func safeRun(r *writeReq, t *Tx) (err error) {
	t.cur = r
	defer func() {
		t.cur = nil
		if p := recover(); p != nil {
			err = fmt.Errorf("store: write function panicked: %v", p)
		}
	}()
	return r.fn(t)
}

// ms converts an instant to the stored form: Unix milliseconds, UTC.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS converts a stored instant back.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// Setting reads a value from the settings table ("" if unset).
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: read setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting writes a value to the settings table.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	return s.Write(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		if err != nil {
			return fmt.Errorf("store: write setting %s: %w", key, err)
		}
		return nil
	})
}

// SetSettingTx writes a value to the settings table inside a transaction.
func (t *Tx) SetSettingTx(ctx context.Context, key, value string) error {
	_, err := t.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store: write setting %s: %w", key, err)
	}
	return nil
}
