package ops

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// held lets every Handle call in, holds it until release closes, then
// passes it to the real core.
type held struct {
	next    bot.Handler
	entered atomic.Int32
	release chan struct{}
}

func (h *held) Handle(ctx context.Context, m bot.Inbound) error {
	h.entered.Add(1)
	<-h.release
	return h.next.Handle(ctx, m)
}

// TestShutdownWithInFlightMessages: the signal arrives (the adapters'
// context is cancelled) while messages are being handled. Every message
// the gate took is committed, with its reply queued; a message arriving
// after the drain began is refused, for the platform to redeliver.
func TestShutdownWithInFlightMessages(t *testing.T) {
	st, path := openStore(t)
	clk := &fakeClock{t: t0}
	svc := bot.New(bot.Options{Store: st, Texts: bot.TextsFor("id"), Clock: clk.Now,
		Policy: func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} }})
	slow := &held{next: svc, release: make(chan struct{})}
	m := NewMetrics(nil, nil)
	gate := NewGate(slow, m)

	adapterCtx, signal := context.WithCancel(context.Background())
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = gate.Handle(adapterCtx, bot.Inbound{Platform: bot.Telegram, MessageID: fmt.Sprint(i),
				ChatID: fmt.Sprint(100 + i), SenderID: fmt.Sprint(100 + i), Text: "hadir", Time: t0})
		})
	}
	for slow.entered.Load() < n {
		time.Sleep(time.Millisecond)
	}

	signal() // SIGTERM: the adapters stop
	drained := make(chan error, 1)
	go func() { drained <- gate.Drain(context.Background()) }()
	select {
	case err := <-drained:
		t.Fatalf("Drain returned (%v) with %d messages in flight", err, n)
	case <-time.After(50 * time.Millisecond):
	}
	late := gate.Handle(context.Background(), bot.Inbound{Platform: bot.Telegram, MessageID: "late", ChatID: "1", SenderID: "1", Text: "hadir", Time: t0})
	if !errors.Is(late, ErrShuttingDown) {
		t.Errorf("Handle during drain: %v, want ErrShuttingDown", late)
	}

	close(slow.release)
	if err := <-drained; err != nil {
		t.Fatalf("Drain: %v", err)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}
	st.Close()

	// Reopen, as after the restart: every taken message and its reply is there.
	st2, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	var in, late2, out int
	db := st2.DB()
	if err := db.QueryRow(`SELECT count(*), count(CASE WHEN message_id = 'late' THEN 1 END) FROM inbound`).Scan(&in, &late2); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM outbox`).Scan(&out); err != nil {
		t.Fatal(err)
	}
	if in != n || late2 != 0 {
		t.Errorf("inbound rows %d (late %d), want %d (late 0)", in, late2, n)
	}
	if out != n {
		t.Errorf("queued replies %d, want %d", out, n)
	}

	_, body := get(t, Mux(nil, m), "/metrics")
	for _, want := range []string{
		fmt.Sprintf(`piket_messages_in_total{outcome="handled",platform="telegram"} %d`, n),
		`piket_messages_in_total{outcome="refused",platform="telegram"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// blocked never finishes until its context is cancelled.
type blocked struct{ entered chan struct{} }

func (b blocked) Handle(ctx context.Context, _ bot.Inbound) error {
	close(b.entered)
	<-ctx.Done()
	return ctx.Err()
}

func TestDrainDeadline(t *testing.T) {
	b := blocked{entered: make(chan struct{})}
	gate := NewGate(b, nil)
	adapterCtx, signal := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() { res <- gate.Handle(adapterCtx, bot.Inbound{Platform: bot.Telegram, MessageID: "1"}) }()
	<-b.entered
	signal()
	select {
	case err := <-res:
		t.Fatalf("the adapter's cancellation reached the handler: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := gate.Drain(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Drain past its deadline: %v, want DeadlineExceeded", err)
	}
	if err := <-res; !errors.Is(err, context.Canceled) {
		t.Errorf("handler cut short: %v, want context.Canceled", err)
	}
}
