package bot

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/store"
)

// Several pollers (one per bot account) receive at once. The queue must
// hold their messages in the order of their inbox IDs: RunInbox records
// "handled through" the last ID of what it handled, and the inbox
// forgets everything up to that mark, so a message queued behind a
// higher ID would be forgotten before it was handled (lost on a crash).
func TestConcurrentReceiversQueueInInboxOrder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "piket.db")
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err := store.OpenInbox(ctx, path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	now := time.Date(2020, 3, 18, 7, 30, 0, 0, time.UTC)
	svc := New(Options{Store: st, Texts: TextsFor("id"), Clock: func() time.Time { return now }, Inbox: in})

	const receivers, batches, per = 6, 25, 4 // 600 messages: the queue holds them all
	var wg sync.WaitGroup
	for r := range receivers {
		wg.Go(func() {
			for b := range batches {
				ms := make([]Inbound, per)
				for i := range ms {
					id := fmt.Sprintf("r%d-b%d-m%d", r, b, i)
					ms[i] = Inbound{Platform: Telegram, MessageID: id, ChatID: "1", SenderID: fmt.Sprint(1000 + r), Text: "hadir", Time: now}
				}
				for i, err := range svc.ReceiveBatch(ctx, ms, nil) {
					if err != nil {
						t.Errorf("receiver %d, batch %d, message %d: %v", r, b, i, err)
					}
				}
			}
		})
	}
	wg.Wait()
	q := svc.queue()
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.jobs) != receivers*batches*per {
		t.Fatalf("%d jobs queued, want %d", len(q.jobs), receivers*batches*per)
	}
	for k := 1; k < len(q.jobs); k++ {
		if q.jobs[k].inboxID <= q.jobs[k-1].inboxID {
			t.Fatalf("queued job %d has inbox ID %d after %d: not in inbox order", k, q.jobs[k].inboxID, q.jobs[k-1].inboxID)
		}
	}
}
