package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// names of the recap fixture's people; none may appear in a group recap.
var recapNames = []string{"Wayan Head", "Made Kabid", "Ni Made Sari", "Budi", "Dewi", "Komang", "demam"}

// noNames fails if text names anyone but the asker (a supervisor's recap
// is titled with their own name).
func noNames(t *testing.T, what, text string, asker ...string) {
	t.Helper()
	for _, n := range recapNames {
		if strings.Contains(text, n) && !slices.Contains(asker, n) {
			t.Errorf("%s names %q:\n%s", what, n, text)
		}
	}
}

func (f *recapFixture) inGroup(p bot.Platform, sender, chat, text string) {
	f.t.Helper()
	f.seq++
	err := f.svc.Handle(context.Background(), bot.Inbound{
		Platform: p, MessageID: fmt.Sprintf("g%d", f.seq), ChatID: chat, SenderID: sender, Group: true, Addressed: true,
		Text: text, Time: f.clock.Now(),
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func byChat(out []store.Pending) map[string]store.Pending {
	m := map[string]store.Pending{}
	for _, p := range out {
		m[p.Platform+":"+p.ChatID] = p
	}
	return m
}

// TestGroupRecapCountsOnly: /rekap in a group answers the group with
// counts only and sends the names to the asker's private chat on the
// platform they asked on.
func TestGroupRecapCountsOnly(t *testing.T) {
	f := newRecapFixture(t)
	f.morning(18)
	f.at(18, 9, 0)
	texts := bot.TextsFor("id")

	// The console (its private chat is always known).
	f.inGroup(bot.Console, rHead, "grup:DISKOMINFO", "/rekap")
	out := byChat(f.drain())
	group, private := out["console:grup:DISKOMINFO"], out["console:"+rHead]
	if len(out) != 2 || !group.Group || private.Group {
		t.Fatalf("replies %v, want one to the group and one private", out)
	}
	noNames(t, "group /rekap", group.Text)
	if !strings.Contains(group.Text, "🤒 Sakit: 1") || !strings.Contains(group.Text, texts.Privacy.RecapNamesPrivately) {
		t.Errorf("group /rekap:\n%s", group.Text)
	}
	if !strings.Contains(private.Text, "Budi") || !strings.Contains(private.Text, "🤒 Sakit: 1 — Budi") {
		t.Errorf("private /rekap lacks the names:\n%s", private.Text)
	}

	// Telegram, with a private chat: the names go there, not to the console.
	f.linkTelegram(rKabid, "7001")
	f.inGroup(bot.Telegram, "u7001", "-1001234", "/rekap")
	out = byChat(f.drain())
	if len(out) != 2 || !out["telegram:-1001234"].Group || !strings.Contains(out["telegram:7001"].Text, "Budi") {
		t.Fatalf("telegram replies %v", out)
	}
	noNames(t, "telegram group /rekap", out["telegram:-1001234"].Text, "Made Kabid")

	// Telegram without a known private chat: counts only, and how to get the names.
	err := f.st.Write(context.Background(), func(tx *store.Tx) error {
		s, err := tx.ActiveStaffByNIP(context.Background(), rHead)
		if err != nil {
			return err
		}
		return tx.LinkIdentity(context.Background(), s.ID, store.Identity{Platform: "telegram", ExternalID: "u7002"}, f.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	f.inGroup(bot.Telegram, "u7002", "-1001234", "/rekap")
	got := f.drain()
	if len(got) != 1 || got[0].ChatID != "-1001234" {
		t.Fatalf("replies %v, want the group's only", chats(got))
	}
	noNames(t, "group /rekap without private chat", got[0].Text)
	if !strings.Contains(got[0].Text, texts.Privacy.RecapNoPrivateChat(bot.Telegram)) {
		t.Errorf("no hint for the names:\n%s", got[0].Text)
	}

	// In private, /rekap still names people.
	f.say(rHead, "/rekap")
	if p := f.drain(); len(p) != 1 || !strings.Contains(p[0].Text, "Budi") {
		t.Errorf("private /rekap: %v", p)
	}
}

// TestPostRecapNoNames: the scheduled group recap lists counts, never who.
func TestPostRecapNoNames(t *testing.T) {
	f := newRecapFixture(t)
	f.morning(18)
	now := f.at(18, 9, 0)
	if _, err := f.rem.PostRecap(context.Background(), "DISKOMINFO", now); err != nil {
		t.Fatal(err)
	}
	out := f.drain()
	if len(out) != 1 || !out[0].Group {
		t.Fatalf("group recap: %v", chats(out))
	}
	noNames(t, "group recap", out[0].Text)
	if !strings.Contains(out[0].Text, "🤒 Sakit: 1") || !strings.Contains(out[0].Text, "▸ Bidang Aplikasi") {
		t.Errorf("group recap lacks counts:\n%s", out[0].Text)
	}
}

// A check-in sent in a group: the group sees that it was recorded and
// when, never the place, health or plan; those go to the person.
func TestGroupCheckInDetailsPrivate(t *testing.T) {
	f := newFixture(t, "id")
	out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g1", ChatID: "grup:DISKOMINFO", SenderID: nipSari,
		Group: true, Addressed: true, Text: "hadir wfh, pilek, menyusun laporan statistik", Time: f.clock.Now()})
	var group, private string
	for _, o := range out {
		if o.Group {
			group += o.Text
		} else if o.ChatID == nipSari {
			private += o.Text
		}
	}
	if group == "" || !strings.Contains(group, "Ni Made Sari") {
		t.Fatalf("no group acknowledgement: %+v", out)
	}
	for _, personal := range []string{"pilek", "WFH", "rumah", "menyusun", "Kesehatan"} {
		if strings.Contains(group, personal) {
			t.Errorf("group sees %q: %q", personal, group)
		}
	}
	if !strings.Contains(private, "pilek") || !strings.Contains(private, "menyusun laporan statistik") {
		t.Errorf("private confirmation lacks the details: %q", private)
	}
}
