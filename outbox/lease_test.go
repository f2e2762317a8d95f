package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// countingSender counts sends per outbox ID.
type countingSender struct {
	mu    sync.Mutex
	times map[int64]int
}

func (c *countingSender) Send(_ context.Context, m bot.Outbound) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.times[m.ID]++
	return fmt.Sprint(m.ID), nil
}

func (c *countingSender) counts() map[int64]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[int64]int, len(c.times))
	for k, v := range c.times {
		out[k] = v
	}
	return out
}

// recorder is one sender shared by several dispatchers, each seeing it
// under its own name.
type recorder struct {
	mu    sync.Mutex
	times map[int64]int
	by    map[string]int
}

type namedSender struct {
	r    *recorder
	name string
}

func (n namedSender) Send(_ context.Context, m bot.Outbound) (string, error) {
	time.Sleep(time.Millisecond) // a send takes a moment: passes of both dispatchers overlap
	n.r.mu.Lock()
	defer n.r.mu.Unlock()
	n.r.times[m.ID]++
	n.r.by[n.name]++
	return fmt.Sprint(m.ID), nil
}

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func pendingCount(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM outbox WHERE status = 'pending'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %v waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Two dispatchers, each with its own store (own connections) on one
// database file, as two processes that got past the instance lock: every
// message is sent exactly once.
func TestTwoDispatchersOnOneDatabaseSendEachOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.db")
	stA, stB := openStore(t, path), openStore(t, path)
	rec := &recorder{times: map[int64]int{}, by: map[string]int{}}
	lim := Limits{Concurrency: 8}
	newD := func(st *store.Store, name string) *Dispatcher {
		return New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: namedSender{rec, name}},
			Limits: map[bot.Platform]Limits{bot.Telegram: lim}, Owner: name, WatchEvery: 20 * time.Millisecond})
	}
	dA, dB := newD(stA, "A"), newD(stB, "B")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { dA.Run(ctx) })
	wg.Go(func() { dB.Run(ctx) })
	const chats, per = 40, 10
	for c := range chats {
		st := stA
		if c%2 == 1 {
			st = stB
		}
		texts := make([]string, per)
		for i := range texts {
			texts[i] = fmt.Sprintf("c%d-m%d", c, i)
		}
		enqueue(t, st, fmt.Sprint("chat", c), false, texts...)
		dA.Notify()
		dB.Notify()
	}
	waitFor(t, 60*time.Second, "the outbox to drain", func() bool { return pendingCount(t, stA) == 0 })
	cancel()
	wg.Wait()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.times) != chats*per {
		t.Errorf("%d distinct messages sent, want %d", len(rec.times), chats*per)
	}
	for id, n := range rec.times {
		if n != 1 {
			t.Errorf("message %d sent %d times", id, n)
		}
	}
	t.Logf("sent by A %d, by B %d", rec.by["A"], rec.by["B"])
}

func TestClaimedByAnotherLiveOwnerIsSkipped(t *testing.T) {
	f := &fakeSender{}
	st, d := setup(t, f, Limits{Concurrency: 2})
	enqueue(t, st, "A", false, "a1", "a2")
	enqueue(t, st, "B", false, "b1")
	ctx := context.Background()
	now := time.Now()
	// Another dispatcher is sending a1 (its lease holds) and held b1 (its
	// lease has expired).
	if got, err := st.ClaimOutbox(ctx, "other", []int64{1}, now, now.Add(time.Hour)); err != nil || len(got) != 1 {
		t.Fatalf("claim a1: %v, %v", got, err)
	}
	if got, err := st.ClaimOutbox(ctx, "other", []int64{3}, now.Add(-time.Hour), now.Add(-time.Minute)); err != nil || len(got) != 1 {
		t.Fatalf("claim b1: %v, %v", got, err)
	}
	if err := d.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, s := range f.all() {
		texts = append(texts, s.text)
	}
	// a2 waits behind a1 (order per chat); b1's expired lease is taken over.
	if strings.Join(texts, ",") != "b1" {
		t.Errorf("sent %v, want only b1", texts)
	}
}

func TestTakeOverReleasesLeftLeases(t *testing.T) {
	f := &fakeSender{}
	st, d := setup(t, f, Limits{Concurrency: 2})
	d.o.TakeOver = true
	enqueue(t, st, "A", false, "a1")
	now := time.Now()
	if _, err := st.ClaimOutbox(context.Background(), "crashed", []int64{1}, now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	drain(t, st, d, 20*time.Second)
	if got := f.all(); len(got) != 1 || got[0].text != "a1" {
		t.Errorf("sent %+v, want a1 (its owner's lease dropped at start)", got)
	}
}

// failWrites makes the store refuse one kind of write the way a full disk
// does, through a trigger created on a connection of its own; the
// returned function lifts it.
func failWrites(t *testing.T, path, when string) (lift func()) {
	t.Helper()
	db, err := sql.Open("sqlite", store.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TRIGGER disk_full BEFORE UPDATE ON outbox WHEN ` + when +
		` BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := db.Exec(`DROP TRIGGER disk_full`); err != nil {
			t.Fatal(err)
		}
	}
}

// While the store cannot record deliveries, the dispatcher pauses: what
// it sent is not sent again, nothing more is sent, Check says why; once
// writes work, it records what it sent and sends the rest, each once.
func TestPausedWhileWritesFailNothingSentTwice(t *testing.T) {
	for _, tc := range []struct {
		name, when string
		maxSent    int // during the failure
	}{
		{"mark sent fails", `NEW.status = 'sent'`, 4},    // the first pass's sends (Concurrency 4)
		{"claim fails", `NEW.claimed_by IS NOT NULL`, 0}, // nothing starts
		{"every write fails", `1`, 4},                    // claims and marks
		{"mark fails after some sent", `NEW.id > 6 AND NEW.status = 'sent'`, 6 + 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "full.db")
			st := openStore(t, path)
			c := &countingSender{times: map[int64]int{}}
			d := New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: c},
				Limits: map[bot.Platform]Limits{bot.Telegram: {Concurrency: 4}}, MaxProbe: 20 * time.Millisecond})
			for ch := range 6 {
				enqueue(t, st, fmt.Sprint("chat", ch), false, "1", "2", "3")
			}
			lift := failWrites(t, path, tc.when)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan struct{})
			go func() { d.Run(ctx); close(done) }()
			waitFor(t, 30*time.Second, "the dispatcher to pause", func() bool { return d.Check(ctx) != nil })
			if err := d.Check(ctx); !strings.Contains(err.Error(), "disk is full") {
				t.Errorf("Check = %v, want the reason", err)
			}
			// Give a resend loop, if there were one, many probes to show.
			time.Sleep(300 * time.Millisecond)
			sent := c.counts()
			for id, n := range sent {
				if n > 1 {
					t.Errorf("message %d sent %d times while writes failed", id, n)
				}
			}
			if len(sent) > tc.maxSent {
				t.Errorf("%d messages sent while writes failed, want at most %d", len(sent), tc.maxSent)
			}
			if !d.Paused() {
				t.Error("not paused while writes fail")
			}
			lift()
			waitFor(t, 30*time.Second, "the outbox to drain after recovery", func() bool { return pendingCount(t, st) == 0 })
			waitFor(t, 30*time.Second, "Check to pass", func() bool { return d.Check(ctx) == nil })
			cancel()
			<-done
			sent = c.counts()
			if len(sent) != 18 {
				t.Errorf("%d messages sent, want 18", len(sent))
			}
			for id, n := range sent {
				if n != 1 {
					t.Errorf("message %d sent %d times", id, n)
				}
			}
			var marked int
			if err := st.DB().QueryRow(`SELECT count(*) FROM outbox WHERE status = 'sent' AND claimed_by IS NULL`).Scan(&marked); err != nil {
				t.Fatal(err)
			}
			if marked != 18 {
				t.Errorf("%d rows marked sent (lease released), want 18", marked)
			}
		})
	}
}

// A message queued by another process (here another store on the same
// file, which cannot call Notify) wakes the dispatcher: with the default
// commit watch (serve's), and an idle wait of a day, so that only the
// watch can have woken it.
func TestWakesOnOtherProcessCommit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wake.db")
	st := openStore(t, path)
	f := &fakeSender{}
	d := New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: f},
		Limits: map[bot.Platform]Limits{bot.Telegram: {Concurrency: 1}}, IdleWait: 24 * time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	enqueue(t, st, "A", false, "first")
	d.Notify()
	waitFor(t, 20*time.Second, "the first message", func() bool { return len(f.all()) == 1 })
	// The dispatcher is idle now, until a day passes or something wakes it.
	other := openStore(t, path)
	enqueue(t, other, "B", false, "from the command line")
	waitFor(t, 20*time.Second, "the message queued by another process", func() bool { return len(f.all()) == 2 })
	cancel()
	<-done
}
