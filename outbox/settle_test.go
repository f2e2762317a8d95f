package outbox

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
)

// slowTimedSender takes a while per send and records when each began and
// ended.
type slowTimedSender struct {
	mu         sync.Mutex
	begin, end []time.Time
}

func (s *slowTimedSender) Send(_ context.Context, m bot.Outbound) (string, error) {
	b := time.Now()
	time.Sleep(300 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.begin, s.end = append(s.begin, b), append(s.end, time.Now())
	return "", nil
}

// The per-chat interval counts from when a send ended, not from when it
// began: the platform may count a slow request late.
func TestPerChatIntervalFromSendEnd(t *testing.T) {
	f := &slowTimedSender{}
	st, d := setup(t, f, Limits{PerChat: 500 * time.Millisecond, Concurrency: 4})
	enqueue(t, st, "A", false, "a1", "a2")
	drain(t, st, d, 20*time.Second)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.end) != 2 {
		t.Fatalf("sent %d, want 2", len(f.end))
	}
	if gap := f.begin[1].Sub(f.end[0]); gap < 500*time.Millisecond {
		t.Errorf("second send began %v after the first ended, want ≥ 500ms", gap)
	}
}
