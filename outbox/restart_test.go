package outbox

import (
	"context"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
)

// A restarted dispatcher remembers, from the sent rows, that a group had
// its messages for this minute.
func TestRestartKeepsGroupWindow(t *testing.T) {
	f := &fakeSender{}
	st, _ := setup(t, f, Limits{})
	t0 := time.Now()
	lim := Limits{GroupPerMinute: 3, Concurrency: 4}
	dispatcher := func(at time.Time) *Dispatcher {
		return New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: f},
			Limits: map[bot.Platform]Limits{bot.Telegram: lim}, Now: func() time.Time { return at },
			TakeOver: true}) // a restart of the one instance: its leases are its own
	}
	// The first process sends the group's three messages at t0.
	enqueue(t, st, "-100", true, "g1", "g2", "g3")
	drain(t, st, dispatcher(t0), 10*time.Second)
	if n := len(f.all()); n != 3 {
		t.Fatalf("first process sent %d, want 3", n)
	}

	// Ten seconds later a new process must wait for the minute to pass.
	enqueue(t, st, "-100", true, "g4")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { dispatcher(t0.Add(10 * time.Second)).Run(ctx); close(done) }()
	time.Sleep(300 * time.Millisecond)
	cancel()
	<-done
	if n := len(f.all()); n != 3 {
		t.Errorf("restarted 10 s later: %d sent, want 3 (the group had its 3 this minute)", n)
	}
	// A minute after the first sends it goes.
	drain(t, st, dispatcher(t0.Add(61*time.Second)), 10*time.Second)
	if n := len(f.all()); n != 4 {
		t.Errorf("restarted a minute later: %d sent, want 4", n)
	}
}
