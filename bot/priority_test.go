package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/piket-id/piket/store"
)

// wantPriority checks the outbox priority of each message, by recipient.
func wantPriority(t *testing.T, what string, out []store.Pending, want map[string]store.Priority) {
	t.Helper()
	if len(out) == 0 {
		t.Fatalf("%s: nothing queued", what)
	}
	for _, p := range out {
		w, ok := want[p.ChatID]
		if !ok {
			t.Errorf("%s: unexpected message to %s", what, p.ChatID)
			continue
		}
		if p.Priority != w {
			t.Errorf("%s: message to %s has priority %d, want %d", what, p.ChatID, p.Priority, w)
		}
	}
}

// TestOutboxPriorities: a reply to a person's own message goes first,
// leave alerts and escalations next, reminders (bulk) last.
func TestOutboxPriorities(t *testing.T) {
	f := newLeaveFix(t)
	out := f.say(lvSari, "/keluar ke puskesmas")
	wantPriority(t, "leave report", out, map[string]store.Priority{lvSari: store.PriorityReply, lvLestari: store.PriorityAlert})
	f.clock.Advance(15 * time.Minute)
	wantPriority(t, "escalation", f.tick(), map[string]store.Priority{lvAriyani: store.PriorityAlert})

	r := newRecapFixture(t)
	r.morning(18)
	if _, err := r.rem.RemindCheckIn(context.Background(), "DISKOMINFO", r.at(18, 7, 45)); err != nil {
		t.Fatal(err)
	}
	want := map[string]store.Priority{}
	for _, nip := range []string{rKabid, rKomang, rDewi} {
		want[nip] = store.PriorityBulk
	}
	wantPriority(t, "check-in reminder", r.drain(), want)
}
