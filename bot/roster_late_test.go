package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// A group linked after the day's list was published gets that list at
// once, after the link reply; once per group.
func TestGroupLinkedLateGetsPublishedList(t *testing.T) {
	f := rosterFixture(t) // Wednesday 18 March 2020, 16:00 WITA
	ctx := context.Background()
	link := func(chat string) []store.Pending {
		t.Helper()
		f.seq++
		return f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "link" + chat + string(rune('a'+f.seq)), SenderID: nipHead,
			ChatID: chat, Group: true, Addressed: true, Text: "/grup DISKOMINFO", Time: f.clock.Now()})
	}
	texts := func(out []store.Pending, chat string) []string {
		t.Helper()
		var got []string
		for _, p := range out {
			if p.ChatID != chat || !p.Group {
				t.Errorf("message to %q (group %v), want only the group %q", p.ChatID, p.Group, chat)
			}
			got = append(got, p.Text)
		}
		return got
	}

	// Nothing published yet: only the link reply.
	if got := texts(link("grup:EARLY"), "grup:EARLY"); len(got) != 1 || !strings.Contains(got[0], "terhubung") {
		t.Fatalf("linking before publication: got %q, want the link reply only", got)
	}
	thursday := civil.MustParse("2020-03-19")
	before := len(f.pending())
	if err := f.svc.PostRoster(ctx, "DISKOMINFO", thursday); err != nil {
		t.Fatal(err)
	}
	var post string
	for _, p := range f.pending()[before:] {
		if p.ChatID == "grup:EARLY" {
			post = p.Text
		}
	}
	if !strings.Contains(post, "Jadwal piket") {
		t.Fatalf("the early group did not get the list: %q", post)
	}

	// Linked minutes later: the reply, then the published list.
	f.clock.Set(time.Date(2020, 3, 18, 16, 5, 0, 0, wita))
	got := texts(link("grup:LATE"), "grup:LATE")
	if len(got) != 2 || !strings.Contains(got[0], "terhubung") || got[1] != post {
		t.Fatalf("linking after publication: got %q, want the link reply and the list %q", got, post)
	}
	// Linking again, or the group that already had it: no second copy.
	for _, chat := range []string{"grup:LATE", "grup:EARLY"} {
		if got := texts(link(chat), chat); len(got) != 1 {
			t.Errorf("relinking %s: got %q, want the link reply only", chat, got)
		}
	}

	// Thursday morning, before the next post: today's list is the current one.
	f.clock.Set(time.Date(2020, 3, 19, 8, 0, 0, 0, wita))
	if got := texts(link("grup:MORNING"), "grup:MORNING"); len(got) != 2 || got[1] != post {
		t.Errorf("linking the next morning: got %q, want the reply and today's list", got)
	}
	// Friday, after Thursday's list is old and Monday's not yet posted:
	// nothing current to send.
	f.clock.Set(time.Date(2020, 3, 20, 8, 0, 0, 0, wita))
	if got := texts(link("grup:FRIDAY"), "grup:FRIDAY"); len(got) != 1 {
		t.Errorf("linking with no current list: got %q, want the reply only", got)
	}
}
