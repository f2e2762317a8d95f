package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/piket-id/piket/store"
)

// BenchmarkOutboxPage times what a dispatcher pass asks of the store
// (reading a page of 16 queued Telegram messages, and claiming them) with
// no sent history and with 3,000,000 sent messages: the times should be
// the same. go test -run - -bench OutboxPage ./bench
func BenchmarkOutboxPage(b *testing.B) {
	for _, sent := range []int{0, 3_000_000} {
		b.Run(fmt.Sprintf("sent=%d", sent), func(b *testing.B) {
			ctx := context.Background()
			path := filepath.Join(b.TempDir(), "o.db")
			if _, err := NewOutboxDB(ctx, path, sent, 2000); err != nil {
				b.Fatal(err)
			}
			st, err := store.Open(ctx, path, store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			b.Run("read", func(b *testing.B) {
				for b.Loop() {
					if p, err := st.PendingQueue(ctx, "telegram", "", store.QueuePos{}, 16); err != nil || len(p) != 16 {
						b.Fatalf("read %d, %v", len(p), err)
					}
				}
			})
			p, err := st.PendingQueue(ctx, "telegram", "", store.QueuePos{}, 16)
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]int64, len(p))
			for i, m := range p {
				ids[i] = m.ID
			}
			b.Run("claim", func(b *testing.B) {
				for b.Loop() {
					now := time.Now()
					if _, err := st.ClaimOutbox(ctx, "bench", ids, now, now.Add(time.Minute)); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// TestOutboxHistory runs the bench's outbox measure at a small size: the
// history is written and both databases are read and claimed.
func TestOutboxHistory(t *testing.T) {
	r, err := OutboxHistory(context.Background(), t.TempDir(), 20000, 200, 16, 5)
	if err != nil {
		t.Fatal(err)
	}
	if r.ReadEmpty <= 0 || r.ReadFull <= 0 || r.ClaimEmpty <= 0 || r.ClaimFull <= 0 {
		t.Errorf("missing times: %+v", r)
	}
}
