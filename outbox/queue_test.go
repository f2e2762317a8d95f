package outbox

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// gatedSender holds every send until the test lets it go: started gets
// the text of each send as it begins, release lets one send return.
type gatedSender struct {
	started chan string
	release chan struct{}
	mu      sync.Mutex
	order   []string
}

func newGated() *gatedSender {
	return &gatedSender{started: make(chan string, 1000), release: make(chan struct{})}
}

func (g *gatedSender) Send(ctx context.Context, m bot.Outbound) (string, error) {
	g.started <- m.Text
	select {
	case <-g.release:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	g.mu.Lock()
	g.order = append(g.order, m.Text)
	g.mu.Unlock()
	return fmt.Sprint(m.ID), nil
}

func (g *gatedSender) sent() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.order...)
}

// next waits for the next send to begin and returns its text.
func (g *gatedSender) next(t *testing.T) string {
	t.Helper()
	select {
	case txt := <-g.started:
		return txt
	case <-time.After(20 * time.Second):
		t.Fatal("no send began within 20s")
		return ""
	}
}

func queue(t *testing.T, st *store.Store, msgs ...store.OutMsg) {
	t.Helper()
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		for _, m := range msgs {
			if _, _, err := tx.Enqueue(context.Background(), m, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// run starts d and returns a function that stops it and waits.
func run(t *testing.T, d *Dispatcher) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// waitSent waits up to 20s for f to have sent n messages and returns what
// it sent.
func waitSent(f *fakeSender, n int) []sent {
	deadline := time.Now().Add(20 * time.Second)
	for len(f.all()) < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return f.all()
}

// TestPlatformQueuesAreIndependent: 600 WhatsApp messages wait behind a
// send that does not return; a Telegram reply queued after them still
// goes out.
func TestPlatformQueuesAreIndependent(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "o.db"))
	wa, tg := newGated(), &fakeSender{}
	var wave []store.OutMsg
	for i := range 600 {
		wave = append(wave, store.OutMsg{Platform: string(bot.WhatsApp), ChatID: fmt.Sprintf("62812%05d@s.whatsapp.net", i),
			Text: fmt.Sprintf("pengingat %d", i), Priority: store.PriorityBulk})
	}
	queue(t, st, wave...)
	d := New(Options{Store: st,
		Senders: map[bot.Platform]bot.Sender{bot.WhatsApp: wa, bot.Telegram: tg},
		Limits:  map[bot.Platform]Limits{bot.WhatsApp: {Concurrency: 1}, bot.Telegram: {Concurrency: 4}},
		Batch:   64, WatchEvery: -1})
	stop := run(t, d)
	defer stop()
	if got := wa.next(t); got != "pengingat 0" {
		t.Fatalf("first WhatsApp send %q, want pengingat 0", got)
	}

	queue(t, st, store.OutMsg{Platform: string(bot.Telegram), ChatID: "42", Text: "Terima kasih, presensi tercatat."})
	d.Notify()
	if got := waitSent(tg, 1); len(got) != 1 || got[0].text != "Terima kasih, presensi tercatat." {
		t.Fatalf("telegram sent %v while WhatsApp was busy, want the reply", got)
	}
	if n := len(wa.sent()); n != 0 {
		t.Errorf("WhatsApp finished %d sends, want 0 (its first is still in flight)", n)
	}
	close(wa.release) // let the WhatsApp wave go, so Run can stop
}

// TestPriorityOrder: with a bulk wave queued and one send of it in
// flight, a leave alert and then a reply are queued; the reply goes next,
// then the alert, then the rest of the wave in queue order.
func TestPriorityOrder(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "o.db"))
	g := newGated()
	var wave []store.OutMsg
	for i := range 20 {
		wave = append(wave, store.OutMsg{Platform: string(bot.Telegram), ChatID: fmt.Sprint(1000 + i), Text: fmt.Sprintf("bulk %d", i),
			DedupeKey: fmt.Sprintf("remind:checkin:%d:2026-12-02", i)}) // bulk by its key
	}
	queue(t, st, wave...)
	d := New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: g},
		Limits: map[bot.Platform]Limits{bot.Telegram: {Concurrency: 1}}, WatchEvery: -1})
	stop := run(t, d)
	defer stop()
	if got := g.next(t); got != "bulk 0" {
		t.Fatalf("first send %q, want bulk 0", got)
	}
	queue(t, st,
		store.OutMsg{Platform: string(bot.Telegram), ChatID: "7", Text: "alert", DedupeKey: "leave:9:alert:7"}, // alert by its key
		store.OutMsg{Platform: string(bot.Telegram), ChatID: "8", Text: "reply", Priority: store.PriorityReply},
	)
	d.Notify()
	want := []string{"bulk 0", "reply", "alert", "bulk 1", "bulk 2"}
	got := []string{"bulk 0"}
	for len(got) < len(want) {
		g.release <- struct{}{}
		got = append(got, g.next(t))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("send order %q, want %q", got, want)
		}
	}
	close(g.release)
}

// TestPassKeepsTheRate: a pass over a large backlog on a rate-limited
// platform starts what the rate allows and leaves the rest for later.
func TestPassKeepsTheRate(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "o.db"))
	f := &fakeSender{}
	var wave []store.OutMsg
	for i := range 300 {
		wave = append(wave, store.OutMsg{Platform: string(bot.Telegram), ChatID: fmt.Sprint(i), Text: "x", Priority: store.PriorityBulk})
	}
	queue(t, st, wave...)
	clock := time.Date(2026, 12, 2, 7, 45, 0, 0, time.UTC)
	d := New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: f},
		Limits: map[bot.Platform]Limits{bot.Telegram: {PerSecond: 10, Concurrency: 16}}, Now: func() time.Time { return clock }})
	started, _, err := d.passCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d.waitIdle()
	if started != 1 {
		t.Errorf("started %d sends at 10/s in one instant, want 1", started)
	}
	if n := len(f.all()); n != 1 {
		t.Errorf("sent %d, want 1", n)
	}
}
