package outbox

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

type sent struct {
	id   int64
	chat string
	text string
	at   time.Time
}

// fakeSender records sends; fail decides an error per attempt.
type fakeSender struct {
	mu    sync.Mutex
	sent  []sent
	tries map[int64]int
	fail  func(m bot.Outbound, try int) error
}

func (f *fakeSender) Send(_ context.Context, m bot.Outbound) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tries == nil {
		f.tries = map[int64]int{}
	}
	f.tries[m.ID]++
	if f.fail != nil {
		if err := f.fail(m, f.tries[m.ID]); err != nil {
			return "", err
		}
	}
	f.sent = append(f.sent, sent{m.ID, m.ChatID, m.Text, time.Now()})
	return fmt.Sprint(m.ID), nil
}

func (f *fakeSender) all() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sent...)
}

func setup(t *testing.T, s bot.Sender, lim Limits) (*store.Store, *Dispatcher) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: s}, Limits: map[bot.Platform]Limits{bot.Telegram: lim}})
	return st, d
}

func enqueue(t *testing.T, st *store.Store, chat string, group bool, texts ...string) {
	t.Helper()
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		for _, txt := range texts {
			if _, _, err := tx.Enqueue(context.Background(), store.OutMsg{Platform: "telegram", ChatID: chat, Group: group, Text: txt}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// drain runs the dispatcher until nothing is pending or the deadline passes.
func drain(t *testing.T, st *store.Store, d *Dispatcher, within time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	for ctx.Err() == nil {
		p, err := st.PendingOutbox(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
}

func TestPerChatOrderAndPacing(t *testing.T) {
	f := &fakeSender{}
	st, d := setup(t, f, Limits{PerChat: 30 * time.Millisecond, Concurrency: 4})
	enqueue(t, st, "A", false, "a1", "a2", "a3")
	enqueue(t, st, "B", false, "b1", "b2")
	drain(t, st, d, 5*time.Second)
	got := f.all()
	if len(got) != 5 {
		t.Fatalf("sent %d, want 5", len(got))
	}
	last := map[string]sent{}
	for _, s := range got {
		if p, ok := last[s.chat]; ok {
			if s.id < p.id {
				t.Errorf("chat %s: %s sent after %s", s.chat, s.text, p.text)
			}
			if gap := s.at.Sub(p.at); gap < 25*time.Millisecond { // 30ms pacing, timestamps taken inside Send
				t.Errorf("chat %s: %s only %v after %s", s.chat, s.text, gap, p.text)
			}
		}
		last[s.chat] = s
	}
}

func TestRetryAfterIsObeyed(t *testing.T) {
	var first time.Time
	f := &fakeSender{fail: func(m bot.Outbound, try int) error {
		if m.Text == "x1" && try == 1 {
			first = time.Now()
			return &bot.RetryAfterError{After: 200 * time.Millisecond}
		}
		return nil
	}}
	st, d := setup(t, f, Limits{Concurrency: 2})
	enqueue(t, st, "A", false, "x1", "x2")
	drain(t, st, d, 5*time.Second)
	got := f.all()
	if len(got) != 2 || got[0].text != "x1" || got[1].text != "x2" {
		t.Fatalf("sent %+v, want x1 then x2", got)
	}
	if wait := got[0].at.Sub(first); wait < 200*time.Millisecond {
		t.Errorf("resent %v after a 200ms retry_after", wait)
	}
}

func TestTransientErrorsRetriedPermanentGivenUp(t *testing.T) {
	f := &fakeSender{fail: func(m bot.Outbound, try int) error {
		switch {
		case m.Text == "blocked":
			return fmt.Errorf("403: %w", bot.ErrPermanent)
		case m.Text == "flaky" && try < 3:
			return errors.New("502 bad gateway")
		}
		return nil
	}}
	st, d := setup(t, f, Limits{Concurrency: 2})
	d.o.MaxBackoff = 20 * time.Millisecond
	enqueue(t, st, "A", false, "flaky")
	enqueue(t, st, "B", false, "blocked")
	drain(t, st, d, 5*time.Second)
	got := f.all()
	if len(got) != 1 || got[0].text != "flaky" {
		t.Fatalf("sent %+v, want only flaky", got)
	}
	if f.tries[1] != 3 || f.tries[2] != 1 {
		t.Errorf("tries = %v, want flaky 3, blocked 1", f.tries)
	}
	var failed int
	st.DB().QueryRow(`SELECT count(*) FROM outbox WHERE status = 'failed'`).Scan(&failed)
	if failed != 1 {
		t.Errorf("failed rows = %d, want 1", failed)
	}
}

func TestGroupPerMinuteLimit(t *testing.T) {
	f := &fakeSender{}
	st, _ := setup(t, f, Limits{})
	// The dispatcher's clock stands still: the minute never passes.
	at := time.Now()
	d := New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: f},
		Limits: map[bot.Platform]Limits{bot.Telegram: {GroupPerMinute: 3, Concurrency: 4}}, Now: func() time.Time { return at }})
	enqueue(t, st, "-100", true, "g1", "g2", "g3", "g4", "g5")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for len(f.all()) < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // a fourth send would show now
	if n := len(f.all()); n != 3 {
		t.Errorf("sent %d to a group within its minute, want 3 (limit 3/min)", n)
	}
}

func TestFlushSendsEverythingDue(t *testing.T) {
	f := &fakeSender{}
	st, d := setup(t, f, Limits{Concurrency: 1})
	enqueue(t, st, "A", false, "1", "2", "3")
	if err := d.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(f.all()); n != 3 {
		t.Errorf("Flush sent %d, want 3", n)
	}
}

// slowSender takes a moment per message, so Run and Flush overlap.
type slowSender struct{ fakeSender }

func (s *slowSender) Send(ctx context.Context, m bot.Outbound) (string, error) {
	time.Sleep(5 * time.Millisecond)
	return s.fakeSender.Send(ctx, m)
}

// Flush returns only when everything due was sent, even while Run starts
// some of the sends itself (the console relies on it for ordered output).
func TestFlushWhileRunning(t *testing.T) {
	f := &slowSender{}
	st, d := setup(t, f, Limits{Concurrency: 1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for round := range 20 {
		enqueue(t, st, "A", false, fmt.Sprint("a", round))
		enqueue(t, st, "B", false, fmt.Sprint("b", round))
		d.Notify() // Run races Flush for the first message
		if err := d.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := len(f.all()); n != 2*(round+1) {
			t.Fatalf("round %d: Flush returned with %d sent, want %d", round, n, 2*(round+1))
		}
	}
}

func TestWarmupHoldsTheFirstSend(t *testing.T) {
	f := &fakeSender{}
	st, d := setup(t, f, Limits{PerSecond: 100, Warmup: 300 * time.Millisecond, Concurrency: 1})
	enqueue(t, st, "A", false, "a1")
	start := time.Now()
	drain(t, st, d, 5*time.Second)
	got := f.all()
	if len(got) != 1 {
		t.Fatalf("sent %d, want 1", len(got))
	}
	if wait := got[0].at.Sub(start); wait < 300*time.Millisecond {
		t.Errorf("first send %v after start, want ≥ 300ms warm-up", wait)
	}
}

// A 429 for a private chat the bot has not written to within the chat's
// interval is the bot's limit: every chat waits, not only that one.
func TestRetryAfterOnAFreshChatPausesEveryChat(t *testing.T) {
	for _, tt := range []struct {
		name      string
		perChat   time.Duration
		wantPause bool
	}{
		{"per-chat limit known: bot-wide", 50 * time.Millisecond, true},
		{"no per-chat limit: that chat only", 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var first time.Time
			f := &fakeSender{fail: func(m bot.Outbound, try int) error {
				if m.ChatID == "A" && try == 1 {
					first = time.Now()
					return &bot.RetryAfterError{After: 3 * time.Second} // long: "not paused" must hold on a busy machine
				}
				return nil
			}}
			st, d := setup(t, f, Limits{PerChat: tt.perChat, Concurrency: 1})
			enqueue(t, st, "A", false, "a1")
			enqueue(t, st, "B", false, "b1")
			drain(t, st, d, 20*time.Second)
			var b sent
			for _, s := range f.all() {
				if s.chat == "B" {
					b = s
				}
			}
			if b.at.IsZero() {
				t.Fatal("b1 never sent")
			}
			paused := b.at.Sub(first) >= 3*time.Second
			if paused != tt.wantPause {
				t.Errorf("b1 sent %v after the 429 for A; paused = %v, want %v", b.at.Sub(first), paused, tt.wantPause)
			}
		})
	}
}
