package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestDefaultPriority(t *testing.T) {
	for key, want := range map[string]Priority{
		"":                                   PriorityReply,
		"leave:4:alert:12":                   PriorityAlert,
		"leave:4:esc:1:12":                   PriorityAlert,
		"absence-cancel:3":                   PriorityAlert,
		"wa-logged-out:2026-12-02:1970":      PriorityAlert,
		"remind:checkin:12:2026-12-02":       PriorityBulk,
		"remind:digest:12:2026-12-02":        PriorityBulk,
		"roster:DISKOMINFO:2026-12-05":       PriorityBulk,
		"roster-remind:DISKOMINFO:2026-12-5": PriorityBulk,
		"recap:group:DISKOMINFO:2026-12-02":  PriorityBulk,
		"reminder-like:not-a-prefix":         PriorityAlert,
	} {
		if got := DefaultPriority(key); got != want {
			t.Errorf("DefaultPriority(%q) = %d, want %d", key, got, want)
		}
	}
}

// TestPendingQueue: each platform's queue by priority, then in queue
// order, read in pages from a position; sent messages leave it.
func TestPendingQueue(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	msgs := []OutMsg{
		{Platform: "whatsapp", ChatID: "w1", Text: "wa bulk", DedupeKey: "remind:checkin:1:d"},
		{Platform: "telegram", ChatID: "1", Text: "bulk 1", DedupeKey: "roster:X:d"},
		{Platform: "telegram", ChatID: "2", Text: "alert 1", DedupeKey: "leave:1:alert:2"},
		{Platform: "telegram", ChatID: "3", Text: "reply 1"},
		{Platform: "telegram", ChatID: "4", Text: "bulk 2", Priority: PriorityBulk},
		{Platform: "telegram", ChatID: "5", Text: "reply 2", Priority: PriorityReply, DedupeKey: "remind:x"}, // explicit wins
		{Platform: "whatsapp", ChatID: "w2", Text: "wa reply"},
	}
	ids := map[string]int64{}
	err := s.Write(ctx, func(tx *Tx) error {
		for _, m := range msgs {
			id, _, err := tx.Enqueue(ctx, m, now)
			if err != nil {
				return err
			}
			ids[m.Text] = id
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(platform string, pos QueuePos, limit int) ([]string, QueuePos) {
		t.Helper()
		p, err := s.PendingQueue(ctx, platform, "", pos, limit)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, m := range p {
			texts = append(texts, m.Text)
			pos = m.Pos()
		}
		return texts, pos
	}
	all, _ := read("telegram", QueuePos{}, 100)
	if want := []string{"reply 1", "reply 2", "alert 1", "bulk 1", "bulk 2"}; !slices.Equal(all, want) {
		t.Errorf("telegram queue %q, want %q", all, want)
	}
	if got, _ := read("whatsapp", QueuePos{}, 100); !slices.Equal(got, []string{"wa reply", "wa bulk"}) {
		t.Errorf("whatsapp queue %q", got)
	}
	var paged []string
	for pos := (QueuePos{}); ; {
		page, next := read("telegram", pos, 2)
		paged = append(paged, page...)
		if len(page) < 2 {
			break
		}
		pos = next
	}
	if !slices.Equal(paged, all) {
		t.Errorf("read in pages of 2: %q, want %q", paged, all)
	}
	if err := s.MarkSent(ctx, ids["reply 2"], "9", now); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, ids["bulk 1"], "blocked"); err != nil {
		t.Fatal(err)
	}
	if got, _ := read("telegram", QueuePos{}, 100); !slices.Equal(got, []string{"reply 1", "alert 1", "bulk 2"}) {
		t.Errorf("after a send and a failure: %q", got)
	}
}

// TestMigrationSetsQueuedPriorities: messages queued before the priority
// column existed get the priority their key implies.
func TestMigrationSetsQueuedPriorities(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	// Version 10: the schema before 0011 added the priority column.
	if err := migrate(ctx, db, 10); err != nil {
		t.Fatal(err)
	}
	for i, key := range []any{nil, "leave:1:alert:2", "remind:checkin:1:d", "roster:X:d"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO outbox (platform, chat_id, text, dedupe_key, not_before, created_at) VALUES ('telegram', ?, 'x', ?, 0, 0)`,
			fmt.Sprint(i), key); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.PendingQueue(ctx, "telegram", "", QueuePos{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range p {
		got = append(got, fmt.Sprintf("%s:%d", m.ChatID, m.Priority))
	}
	if want := []string{"0:1", "1:2", "2:3", "3:3"}; !slices.Equal(got, want) {
		t.Errorf("queue after the upgrade %q, want %q", got, want)
	}
}

// TestPurgeDeletesSentHistory: many old sent messages go in batches; the
// pending and the recent stay.
func TestPurgeDeletesSentHistory(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	cutoff := now.AddDate(0, 0, -90)
	old := ms(cutoff) - 1000
	const n = purgeBatch*2 + 5
	err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)
			INSERT INTO outbox (platform, chat_id, text, status, not_before, created_at)
			SELECT 'telegram', 'c' || i, 'x', CASE WHEN i %% 2 = 0 THEN 'sent' ELSE 'failed' END, 0, ? - i FROM c`, n), old)
		if err != nil {
			return err
		}
		for _, m := range []struct {
			chat string
			at   time.Time
		}{{"old-pending", cutoff.Add(-time.Hour)}, {"recent", now}} {
			if _, _, err := tx.Enqueue(ctx, OutMsg{Platform: "telegram", ChatID: m.chat, Text: "y"}, m.at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.PendingQueue(ctx, "telegram", "", QueuePos{}, 10)
	if err := s.MarkSent(ctx, p[1].ID, "1", now); err != nil { // the recent one
		t.Fatal(err)
	}
	got, err := s.PurgeMessageTexts(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("purged %d, want %d", got, n)
	}
	var left []string
	rows, err := s.DB().QueryContext(ctx, `SELECT chat_id || ':' || status FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		left = append(left, c)
	}
	if want := []string{"old-pending:pending", "recent:sent"}; !slices.Equal(left, want) {
		t.Errorf("left %q, want %q", left, want)
	}
}
