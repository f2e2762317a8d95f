package outbox

import (
	"context"
	"fmt"
	"slices"
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

// unevenSender takes a different time per send and records when each
// began (any instant between start and end stands for when the platform
// counts it).
type unevenSender struct {
	mu    sync.Mutex
	n     int
	begin []time.Time
}

func (s *unevenSender) Send(_ context.Context, m bot.Outbound) (string, error) {
	s.mu.Lock()
	s.n++
	d := time.Duration(s.n%4) * 40 * time.Millisecond
	s.mu.Unlock()
	b := time.Now()
	time.Sleep(d)
	s.mu.Lock()
	s.begin = append(s.begin, b)
	s.mu.Unlock()
	return "", nil
}

// However unevenly sends take, no Window holds more than MaxPerWindow of
// them.
func TestMaxPerWindow(t *testing.T) {
	f := &unevenSender{}
	const n, w = 3, 300 * time.Millisecond
	st, d := setup(t, f, Limits{MaxPerWindow: n, Window: w, Concurrency: 8})
	for i := range 10 {
		enqueue(t, st, fmt.Sprint("chat", i), false, "x")
	}
	drain(t, st, d, 30*time.Second)
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.begin) != 10 {
		t.Fatalf("sent %d, want 10", len(f.begin))
	}
	slices.SortFunc(f.begin, time.Time.Compare)
	for i := n; i < len(f.begin); i++ {
		if span := f.begin[i].Sub(f.begin[i-n]); span < w {
			t.Errorf("sends %d to %d within %v, want %d at most per %v", i-n, i, span, n, w)
		}
	}
}
