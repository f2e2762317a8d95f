package outbox

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// TestAccountsPacedApart: two bots of one platform, each at 10 messages
// a second with its own backlog. With the clock standing still a pass
// starts one send on each (one shared limit would allow one in all); a
// second later, one more on each. Each bot gets only its own messages.
func TestAccountsPacedApart(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "o.db"))
	first, second := &fakeSender{}, &fakeSender{}
	var wave []store.OutMsg
	for i := range 100 {
		wave = append(wave,
			store.OutMsg{Platform: string(bot.Telegram), ChatID: fmt.Sprint(i), Text: "satu", Priority: store.PriorityBulk},
			store.OutMsg{Platform: string(bot.Telegram), Account: "dua", ChatID: fmt.Sprint(i), Text: "dua", Priority: store.PriorityBulk})
	}
	queue(t, st, wave...)
	clock := time.Date(2026, 12, 2, 7, 45, 0, 0, time.UTC)
	lim := Limits{PerSecond: 10, Concurrency: 16}
	d := New(Options{Store: st, Now: func() time.Time { return clock },
		Senders:  map[bot.Platform]bot.Sender{bot.Telegram: first},
		Limits:   map[bot.Platform]Limits{bot.Telegram: lim},
		Accounts: []Account{{Queue: Queue{Platform: bot.Telegram, Account: "dua"}, Sender: second, Limits: lim}}})
	pass := func(want int) {
		t.Helper()
		started, _, err := d.passCount(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		d.waitIdle()
		if started != want {
			t.Errorf("a pass started %d sends, want %d (one per bot)", started, want)
		}
	}
	pass(2)
	clock = clock.Add(time.Second)
	pass(2)
	for name, f := range map[string]*fakeSender{"satu": first, "dua": second} {
		got := f.all()
		if len(got) != 2 {
			t.Errorf("bot %s sent %d, want 2", name, len(got))
		}
		for _, m := range got {
			if m.text != name {
				t.Errorf("bot %s sent %q, another bot's message", name, m.text)
			}
		}
	}
}

// TestAccountBlockedAlone: one bot's send hangs with 300 behind it; the
// other bot's reply, queued after them, goes out.
func TestAccountBlockedAlone(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "o.db"))
	stuck, free := newGated(), &fakeSender{}
	var wave []store.OutMsg
	for i := range 300 {
		wave = append(wave, store.OutMsg{Platform: string(bot.Telegram), ChatID: fmt.Sprint(i), Text: fmt.Sprintf("pengingat %d", i), Priority: store.PriorityBulk})
	}
	queue(t, st, wave...)
	d := New(Options{Store: st, WatchEvery: -1,
		Senders:  map[bot.Platform]bot.Sender{bot.Telegram: stuck},
		Limits:   map[bot.Platform]Limits{bot.Telegram: {Concurrency: 1}},
		Accounts: []Account{{Queue: Queue{Platform: bot.Telegram, Account: "dinkes"}, Sender: free, Limits: Limits{Concurrency: 1}}}})
	stop := run(t, d)
	defer stop()
	if got := stuck.next(t); got != "pengingat 0" {
		t.Fatalf("first send %q, want pengingat 0", got)
	}
	queue(t, st, store.OutMsg{Platform: string(bot.Telegram), Account: "dinkes", ChatID: "0", Text: "Terima kasih, presensi tercatat."})
	d.Notify()
	if got := waitSent(free, 1); len(got) != 1 || got[0].text != "Terima kasih, presensi tercatat." {
		t.Fatalf("the second bot sent %v while the first was stuck, want the reply", got)
	}
	if n := len(stuck.sent()); n != 0 {
		t.Errorf("the stuck bot finished %d sends, want 0", n)
	}
	close(stuck.release)
}
