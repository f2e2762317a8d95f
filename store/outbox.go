package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Priority orders a platform's queue: a lower value goes out first. Within
// one priority, messages go in queue order.
type Priority int

const (
	// PriorityDefault (zero) lets Enqueue derive the priority from the
	// dedupe key (see DefaultPriority).
	PriorityDefault Priority = iota
	// PriorityReply is a reply to a person's own message.
	PriorityReply
	// PriorityAlert is a leave-home alert, escalation or notice to a person.
	PriorityAlert
	// PriorityBulk is a message to many: roster posts, reminders, recaps.
	PriorityBulk
)

// bulkKeys are the dedupe key prefixes of bulk messages.
var bulkKeys = []string{"remind:", "roster:", "roster-remind:", "recap:"}

// DefaultPriority is the priority of a message queued without one: a
// message without a dedupe key is a reply; one whose key starts with a
// bulk prefix (remind:, roster:, roster-remind:, recap:) is bulk; any other
// keyed message (leave alerts, escalations, notices) is an alert.
func DefaultPriority(dedupeKey string) Priority {
	if dedupeKey == "" {
		return PriorityReply
	}
	for _, p := range bulkKeys {
		if strings.HasPrefix(dedupeKey, p) {
			return PriorityBulk
		}
	}
	return PriorityAlert
}

// OutMsg is a message to queue in the outbox.
type OutMsg struct {
	Platform string
	// Account is the platform account that sends it: "" the primary,
	// else the name of one in telegram.bots or whatsapp.accounts.
	Account        string
	ChatID         string
	Group          bool
	Text           string
	RequestContact bool
	// DedupeKey, when set, makes queuing idempotent: a second message with
	// the same key is not queued (a roster post per office and day, say).
	DedupeKey string
	NotBefore time.Time // zero: at once (the dispatcher's real clock decides)
	// Mentions are platform user IDs the message mentions, so that each
	// is notified (WhatsApp @mentions); nil: none.
	Mentions []string
	// Priority orders the platform's queue (zero: DefaultPriority of the
	// dedupe key).
	Priority Priority
}

// Enqueue queues a message. queued is false when a message with the same
// DedupeKey already exists.
func (t *Tx) Enqueue(ctx context.Context, m OutMsg, now time.Time) (id int64, queued bool, err error) {
	var nb int64 // 0: as soon as the dispatcher can
	if !m.NotBefore.IsZero() {
		nb = ms(m.NotBefore)
	}
	var key any
	if m.DedupeKey != "" {
		key = m.DedupeKey
	}
	mentions, err := encodeMentions(m.Mentions)
	if err != nil {
		return 0, false, fmt.Errorf("store: enqueue: %w", err)
	}
	prio := m.Priority
	if prio == PriorityDefault {
		prio = DefaultPriority(m.DedupeKey)
	}
	var res sql.Result
	if m.Account == "" && !m.RequestContact && key == nil && mentions == "" {
		// A plain reply binds only what it says (the rest are the
		// columns' defaults; without a key there is no conflict).
		res, err = t.exec(ctx, `INSERT INTO outbox (platform, chat_id, is_group, text, not_before, created_at, priority) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			m.Platform, m.ChatID, m.Group, m.Text, nb, ms(now), prio)
	} else {
		res, err = t.exec(ctx, `INSERT INTO outbox (platform, account, chat_id, is_group, text, request_contact, dedupe_key, not_before, created_at, mentions, priority)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
			m.Platform, m.Account, m.ChatID, m.Group, m.Text, m.RequestContact, key, nb, ms(now), mentions, prio)
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: enqueue: %w", err)
	}
	if id, queued, err = insertedID(res); err != nil {
		return 0, false, fmt.Errorf("store: enqueue: %w", err)
	}
	return id, queued, nil
}

// Pending is a queued message not yet sent.
type Pending struct {
	ID             int64
	Platform       string
	Account        string // see OutMsg.Account
	ChatID         string
	Group          bool
	Text           string
	RequestContact bool
	Priority       Priority
	Attempts       int
	NotBefore      time.Time
	CreatedAt      time.Time
	// ClaimedBy and ClaimedUntil are the lease of the dispatcher sending
	// it ("" and zero: none).
	ClaimedBy    string
	ClaimedUntil time.Time
	Mentions     []string // see OutMsg.Mentions
}

const pendingColumns = `id, platform, account, chat_id, is_group, text, request_contact, priority, attempts, not_before, created_at,
	COALESCE(claimed_by, ''), COALESCE(claimed_until, 0), mentions`

// PendingOutbox returns up to limit pending messages of every platform in
// the order they were queued (including ones not yet due), for tests and
// tools. The dispatcher reads PendingQueue.
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]Pending, error) {
	return s.pending(ctx, `SELECT `+pendingColumns+` FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?`, limit)
}

// QueuePos is a position in a platform's queue, which is ordered by
// priority, then by ID. The zero QueuePos is before the first message.
type QueuePos struct {
	Priority Priority
	ID       int64
}

// Pos is the queue position of p.
func (p Pending) Pos() QueuePos { return QueuePos{p.Priority, p.ID} }

// pendingQueue and pendingQueueRest read one page of a platform account's queue
// through the partial index outbox_queue, which holds pending messages
// only: their cost depends on limit, not on how many messages were ever
// sent, nor on how deep in the queue the page starts (each seeks to its
// first row: a row value (priority, id) > (?, ?) would seek on priority
// only).
const (
	// pendingQueue: the rest of one priority after an ID.
	pendingQueue = `SELECT ` + pendingColumns + ` FROM outbox
		WHERE status = 'pending' AND platform = ? AND account = ? AND priority = ? AND id > ? ORDER BY id LIMIT ?`
	// pendingQueueRest: the lower priorities.
	pendingQueueRest = `SELECT ` + pendingColumns + ` FROM outbox
		WHERE status = 'pending' AND platform = ? AND account = ? AND priority > ? ORDER BY priority, id LIMIT ?`
)

// PendingQueue returns up to limit pending messages of the platform's
// account after pos, in sending order: by priority, then in queue order
// (including ones not yet due, so callers can keep each chat in order).
// Each account of a platform has its own queue.
func (s *Store) PendingQueue(ctx context.Context, platform, account string, after QueuePos, limit int) ([]Pending, error) {
	var out []Pending
	if after.ID > 0 {
		p, err := s.pending(ctx, pendingQueue, platform, account, after.Priority, after.ID, limit)
		if err != nil || len(p) == limit {
			return p, err
		}
		out = p
	}
	rest, err := s.pending(ctx, pendingQueueRest, platform, account, after.Priority, limit-len(out))
	if err != nil {
		return nil, err
	}
	return append(out, rest...), nil
}

func (s *Store) pending(ctx context.Context, query string, args ...any) ([]Pending, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list outbox: %w", err)
	}
	defer rows.Close()
	var out []Pending
	for rows.Next() {
		var p Pending
		var nb, created, until int64
		var mentions string
		if err := rows.Scan(&p.ID, &p.Platform, &p.Account, &p.ChatID, &p.Group, &p.Text, &p.RequestContact, &p.Priority, &p.Attempts, &nb, &created,
			&p.ClaimedBy, &until, &mentions); err != nil {
			return nil, fmt.Errorf("store: list outbox: %w", err)
		}
		// A damaged list costs the notifications, never the message: an
		// error here would stall the whole outbox.
		p.Mentions, _ = decodeMentions(mentions)
		p.NotBefore, p.CreatedAt = fromMS(nb), fromMS(created)
		if until != 0 {
			p.ClaimedUntil = fromMS(until)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list outbox: %w", err)
	}
	return out, nil
}

// ClaimOutbox leases the pending messages ids to owner until until, in
// one transaction, and returns the IDs it claimed: those not claimed by
// another owner whose lease runs past now. A dispatcher sends only what
// it claimed, so two dispatchers on one database never send the same
// message (while their leases hold).
func (s *Store) ClaimOutbox(ctx context.Context, owner string, ids []int64, now, until time.Time) ([]int64, error) {
	var got []int64
	err := s.Write(ctx, func(t *Tx) error {
		got = got[:0] // fn may run again
		for _, id := range ids {
			res, err := t.exec(ctx, `UPDATE outbox SET claimed_by = ?, claimed_until = ?
				WHERE id = ? AND status = 'pending' AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until <= ?)`,
				owner, ms(until), id, owner, ms(now))
			if err != nil {
				return fmt.Errorf("store: claim outbox: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("store: claim outbox: %w", err)
			} else if n == 1 {
				got = append(got, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return got, nil
}

// ReleaseOutboxClaims drops every lease on a pending message not held by
// owner. Only a process that knows no other dispatcher runs (it holds the
// instance lock) may call it: the leases it drops are a dead process's.
func (s *Store) ReleaseOutboxClaims(ctx context.Context, owner string) (int64, error) {
	var n int64
	err := s.Write(ctx, func(t *Tx) error {
		res, err := t.exec(ctx, `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL
			WHERE status = 'pending' AND claimed_by IS NOT NULL AND claimed_by <> ?`, owner)
		if err != nil {
			return fmt.Errorf("store: release outbox claims: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, err // n is not read: after a cancelled wait the writer may still set it
	}
	return n, nil
}

// MarkSent records a delivered message.
func (s *Store) MarkSent(ctx context.Context, id int64, sentID string, now time.Time) error {
	return s.Write(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = ?, sent_id = ?, attempts = attempts + 1, last_error = NULL,
			claimed_by = NULL, claimed_until = NULL WHERE id = ?`,
			ms(now), sentID, id)
		if err != nil {
			return fmt.Errorf("store: mark sent: %w", err)
		}
		return nil
	})
}

// MarkRetry records a failed attempt and when to try again.
func (s *Store) MarkRetry(ctx context.Context, id int64, notBefore time.Time, cause string) error {
	return s.Write(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?,
			claimed_by = NULL, claimed_until = NULL WHERE id = ? AND status = 'pending'`,
			ms(notBefore), cause, id)
		if err != nil {
			return fmt.Errorf("store: mark retry: %w", err)
		}
		return nil
	})
}

// MarkFailed gives a message up for good.
func (s *Store) MarkFailed(ctx context.Context, id int64, cause string) error {
	return s.Write(ctx, func(t *Tx) error {
		_, err := t.exec(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,
			claimed_by = NULL, claimed_until = NULL WHERE id = ?`, cause, id)
		if err != nil {
			return fmt.Errorf("store: mark failed: %w", err)
		}
		return nil
	})
}

// OutboxStats reports the backlog: pending messages and the oldest one's age.
func (s *Store) OutboxStats(ctx context.Context, now time.Time) (pending int, oldest time.Duration, err error) {
	var first sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox WHERE status = 'pending'`).Scan(&pending, &first)
	if err != nil {
		return 0, 0, fmt.Errorf("store: outbox stats: %w", err)
	}
	if first.Valid {
		oldest = now.Sub(fromMS(first.Int64))
	}
	return pending, oldest, nil
}

// OutboxKeyBySentID returns the dedupe key of the message sent by a
// platform account with the platform's message ID sentID ("" if none had
// a key).
func (t *Tx) OutboxKeyBySentID(ctx context.Context, platform, account, sentID string) (string, error) {
	var key sql.NullString
	err := t.queryRow(ctx, `SELECT dedupe_key FROM outbox WHERE platform = ? AND sent_id = ? AND account = ? ORDER BY id DESC LIMIT 1`,
		platform, sentID, account).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: find sent message: %w", err)
	}
	return key.String, nil
}

// encodeMentions is the outbox column value of mentions: empty for none, else
// a JSON array.
func encodeMentions(mentions []string) (string, error) {
	if len(mentions) == 0 {
		return "", nil
	}
	b, err := json.Marshal(mentions)
	if err != nil {
		return "", fmt.Errorf("mentions: %w", err)
	}
	return string(b), nil
}

func decodeMentions(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("mentions: %w", err)
	}
	return out, nil
}
