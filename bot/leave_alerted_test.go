package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// replyTo returns the one message queued to chat.
func replyTo(t *testing.T, out []store.Pending, platform, chat string) string {
	t.Helper()
	var got []string
	for _, p := range out {
		if p.Platform == platform && p.ChatID == chat {
			got = append(got, p.Text)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d messages to %s:%s, want 1: %v", len(got), platform, chat, chats(out))
	}
	return got[0]
}

// TestLeaveReporterToldWhoWasAlerted: the reporter always learns who was
// alerted and in what role; with the whole chain inactive the office
// admins are; with nobody, they are told to phone the office.
func TestLeaveReporterToldWhoWasAlerted(t *testing.T) {
	f := newLeaveFix(t)
	ctx := context.Background()
	tx := bot.TextsFor("id")

	out := f.say(lvSari, "/keluar ke apotek, 1 jam")
	if got := replyTo(t, out, "console", lvSari); !strings.Contains(got, "Sudah diteruskan kepada Ni Made Dwi Lestari (atasan).") ||
		strings.Contains(got, tx.Alerted.Nobody) {
		t.Errorf("reply:\n%s", got)
	}
	replyTo(t, out, "console", lvLestari)
	f.say(lvSari, "/kembali")

	// Sari's whole chain is inactive: the office admins (not the
	// inactive head) are alerted at once, and she is told so.
	for _, nip := range []string{lvLestari, lvAriyani, lvHead} {
		if _, err := f.st.DeactivateStaff(ctx, nip, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(f.clock.Now().Add(time.Hour))
	out = f.say(lvSari, "/keluar ke bank")
	if got := replyTo(t, out, "console", lvSari); !strings.Contains(got, "Sudah diteruskan kepada I Made Sukadana (admin OPD).") {
		t.Errorf("reply with the chain inactive:\n%s", got)
	}
	if !strings.HasPrefix(replyTo(t, out, "console", lvSukadana), "🚶 Laporan keluar rumah No.") {
		t.Errorf("admin not alerted: %v", chats(out))
	}
	if len(out) != 2 {
		t.Errorf("queued %v, want the reply and the admin's alert", chats(out))
	}

	// BKPSDM: Agus has no supervisor and the only admin is inactive.
	if _, err := f.st.DeactivateStaff(ctx, lvBudi, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	out = f.say(lvAgus, "/keluar ke rumah sakit")
	if len(out) != 1 {
		t.Errorf("queued %v, want only the reply", chats(out))
	}
	got := replyTo(t, out, "console", lvAgus)
	if !strings.Contains(got, tx.Alerted.Nobody) || !strings.Contains(got, "telepon") || strings.Contains(got, "diteruskan") {
		t.Errorf("reply with nobody to alert:\n%s", got)
	}
}

// TestLeaveSupervisorUnreachable: on Telegram alone, a supervisor with no
// linked account cannot be alerted; the reporter is told, by name.
func TestLeaveSupervisorUnreachable(t *testing.T) {
	f := newLeaveFix(t)
	ctx := context.Background()
	svc := bot.New(bot.Options{Store: f.st, Clock: f.clock.Now}) // no console: only linked accounts are reachable
	err := f.st.Write(ctx, func(tx *store.Tx) error {
		s, err := tx.ActiveStaffByNIP(ctx, lvSari)
		if err != nil {
			return err
		}
		return tx.LinkIdentity(ctx, s.ID, store.Identity{Platform: "telegram", ExternalID: "9001", ChatID: "9001"}, f.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Handle(ctx, bot.Inbound{Platform: bot.Telegram, MessageID: "t1", ChatID: "9001", SenderID: "9001",
		Text: "/keluar ke apotek", Time: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	out := f.fresh()
	got := replyTo(t, out, "telegram", "9001")
	tx := bot.TextsFor("id")
	if !strings.Contains(got, tx.Alerted.Unreached([]string{"Ni Made Dwi Lestari (atasan)"})) || !strings.Contains(got, tx.Alerted.Nobody) {
		t.Errorf("reply:\n%s", got)
	}
	if len(out) != 1 {
		t.Errorf("queued %v, want only the reply", chats(out))
	}
}
