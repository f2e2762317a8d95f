package bench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/piket-id/piket/store"
)

// OutboxResult is what one dispatcher pass costs the store on a database
// without sent history and on one with Sent sent messages, the same
// Pending messages queued in both: reading a page of the Telegram queue
// (Page messages, as many as the platform has send slots) and claiming
// them (one write transaction). Times are medians of Rounds.
type OutboxResult struct {
	Sent, Pending, Page, Rounds int
	ReadEmpty, ReadFull         time.Duration
	ClaimEmpty, ClaimFull       time.Duration
	Build                       time.Duration // writing the sent history
}

// ReadRatio is the page read's time with history over without.
func (r OutboxResult) ReadRatio() float64 { return float64(r.ReadFull) / float64(r.ReadEmpty) }

// ClaimRatio is the claim's time with history over without.
func (r OutboxResult) ClaimRatio() float64 { return float64(r.ClaimFull) / float64(r.ClaimEmpty) }

// OutboxHistory measures the dispatcher's page read and claim on two
// databases in dir: one with only pending messages, one with sent more
// sent messages as well.
func OutboxHistory(ctx context.Context, dir string, sent, pending, page, rounds int) (OutboxResult, error) {
	r := OutboxResult{Sent: sent, Pending: pending, Page: page, Rounds: rounds}
	empty := filepath.Join(dir, "outbox-empty.db")
	if _, err := NewOutboxDB(ctx, empty, 0, pending); err != nil {
		return r, err
	}
	full := filepath.Join(dir, "outbox-full.db")
	build, err := NewOutboxDB(ctx, full, sent, pending)
	if err != nil {
		return r, err
	}
	r.Build = build
	if r.ReadEmpty, r.ClaimEmpty, err = OutboxPass(ctx, empty, page, rounds); err != nil {
		return r, err
	}
	if r.ReadFull, r.ClaimFull, err = OutboxPass(ctx, full, page, rounds); err != nil {
		return r, err
	}
	return r, nil
}

// NewOutboxDB creates a database at path holding sent sent messages (half
// Telegram, half WhatsApp, a quarter of them failed instead) and then
// pending queued ones (Telegram and WhatsApp, all three priorities). The
// history is one INSERT … SELECT from a recursive CTE. It returns how long
// writing the history took.
func NewOutboxDB(ctx context.Context, path string, sent, pending int) (time.Duration, error) {
	st, err := store.Open(ctx, path, store.Options{}) // the schema
	if err != nil {
		return 0, err
	}
	if err := st.Close(); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite", store.DSNSync(path, store.SyncNormal))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	const cte = `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) `
	t0 := time.Now()
	if sent > 0 {
		_, err := db.ExecContext(ctx, cte+`INSERT INTO outbox (platform, chat_id, text, status, attempts, not_before, created_at, sent_at, sent_id, priority)
			SELECT CASE i % 2 WHEN 0 THEN 'telegram' ELSE 'whatsapp' END, 'chat' || (i % 100000),
				'Selamat pagi. Jangan lupa presensi hari ini: kirim /hadir.', CASE i % 4 WHEN 3 THEN 'failed' ELSE 'sent' END,
				1, 0, 1700000000000 + i, 1700000000000 + i, printf('%010d', i), 1 + i % 3 FROM c`, sent)
		if err != nil {
			return 0, fmt.Errorf("bench: write sent history: %w", err)
		}
	}
	build := time.Since(t0)
	if pending > 0 {
		_, err := db.ExecContext(ctx, cte+`INSERT INTO outbox (platform, chat_id, text, not_before, created_at, priority)
			SELECT CASE i % 2 WHEN 0 THEN 'telegram' ELSE 'whatsapp' END, 'p' || i, 'Pesan ' || i, 0, 1800000000000 + i, 1 + i % 3 FROM c`, pending)
		if err != nil {
			return 0, fmt.Errorf("bench: queue pending: %w", err)
		}
	}
	return build, nil
}

// OutboxPass opens the database at path and times, rounds times, what a
// dispatcher pass asks of the store: reading a page of the Telegram queue
// and claiming what it read. It returns the median of each.
func OutboxPass(ctx context.Context, path string, page, rounds int) (read, claim time.Duration, err error) {
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	reads := make([]time.Duration, 0, rounds)
	claims := make([]time.Duration, 0, rounds)
	for range rounds {
		t0 := time.Now()
		p, err := st.PendingQueue(ctx, "telegram", "", store.QueuePos{}, page)
		if err != nil {
			return 0, 0, err
		}
		t1 := time.Now()
		ids := make([]int64, len(p))
		for i, m := range p {
			ids[i] = m.ID
		}
		if _, err := st.ClaimOutbox(ctx, "bench", ids, t1, t1.Add(2*time.Minute)); err != nil {
			return 0, 0, err
		}
		reads, claims = append(reads, t1.Sub(t0)), append(claims, time.Since(t1))
	}
	return medianDur(reads), medianDur(claims), nil
}

func medianDur(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}
