package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// An unreachable chat is reported to the admins of the office it belongs
// to (all admins when unknown), once per chat and day, never to the chat
// itself; a person's chat names the person.
func TestWarnUndeliverable(t *testing.T) {
	f := newLeaveFix(t)
	ctx := context.Background()
	const group, sariChat, headChat = "120363000000000001@g.us", "6281200000003@s.whatsapp.net", "6281200000001@s.whatsapp.net"
	err := f.st.Write(ctx, func(tx *store.Tx) error {
		office, err := tx.OfficeByCode(ctx, "DISKOMINFO")
		if err != nil {
			return err
		}
		head, err := tx.ActiveStaffByNIP(ctx, lvHead)
		if err != nil {
			return err
		}
		if err := tx.LinkOfficeChat(ctx, office.ID, store.GroupChat{Platform: "whatsapp", ChatID: group}, head.ID, f.clock.Now()); err != nil {
			return err
		}
		for nip, chat := range map[string]string{lvSari: sariChat, lvHead: headChat} {
			st, err := tx.ActiveStaffByNIP(ctx, nip)
			if err != nil {
				return err
			}
			id := store.Identity{Platform: "whatsapp", ExternalID: strings.TrimSuffix(chat, "@s.whatsapp.net"), ChatID: chat}
			if err := tx.LinkIdentity(ctx, st.ID, id, f.clock.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	warn := func(chat string, group bool, why string) []store.Pending {
		t.Helper()
		if err := f.svc.WarnUndeliverable(ctx, bot.WhatsApp, chat, group, why); err != nil {
			t.Fatal(err)
		}
		return f.fresh()
	}

	out := warn(group, true, bot.WhyNotInGroup)
	// The head's WhatsApp and console chats, Sukadana's console; not BKPSDM's admin.
	if got, want := chats(out), []string{"console:" + lvHead, "console:" + lvSukadana, "whatsapp:" + headChat}; !slices.Equal(got, want) {
		t.Fatalf("warned %v, want %v", got, want)
	}
	for _, p := range out {
		mustContain(t, p.Text, "grup OPD DISKOMINFO", group, "tidak menjadi anggota grup", "/grup DISKOMINFO")
	}
	if out := warn(group, true, bot.WhyNotInGroup); len(out) != 0 {
		t.Errorf("warned again the same day: %v", chats(out))
	}

	// The head's own chat is unreachable: told elsewhere, not there.
	out = warn(headChat, false, bot.WhyNotOnPlatform)
	if got, want := chats(out), []string{"console:" + lvHead, "console:" + lvSukadana}; !slices.Equal(got, want) {
		t.Errorf("warned of the head's chat %v, want %v", got, want)
	}
	out = warn(sariChat, false, bot.WhyNotOnPlatform)
	if len(out) == 0 || !strings.Contains(out[0].Text, "Ni Made Sari") || !strings.Contains(out[0].Text, "tidak terdaftar di whatsapp") {
		t.Errorf("warning of Sari's chat: %v", out)
	}

	// A chat nobody owns: every admin.
	out = warn("6289900000000@s.whatsapp.net", false, bot.WhyRefused)
	if got := chats(out); !slices.Contains(got, "console:"+lvBudi) || !slices.Contains(got, "console:"+lvHead) {
		t.Errorf("unknown chat warned %v, want every admin", got)
	}

	// The next day, once more.
	f.clock.Set(f.clock.Now().Add(24 * time.Hour))
	if out := warn(group, true, bot.WhyNotInGroup); len(out) != 3 {
		t.Errorf("next day: %v", chats(out))
	}
}

// A stranger addressing the bot in a group is answered in private, once
// a day, when the platform names their private chat; never in the group.
func TestUnknownInGroupToldPrivately(t *testing.T) {
	f := newLeaveFix(t)
	ctx := context.Background()
	in := bot.Inbound{Platform: bot.WhatsApp, ChatID: "120363000000000001@g.us", SenderID: "6289900000001",
		SenderPhone: "+6289900000001", SenderChat: "6289900000001@s.whatsapp.net", Group: true, Addressed: true, Text: "/hadir"}
	for i, id := range []string{"w1", "w2"} {
		in.MessageID, in.Time = id, f.clock.Now()
		if err := f.svc.Handle(ctx, in); err != nil {
			t.Fatal(err)
		}
		out := f.fresh()
		if i == 0 && (len(out) != 1 || out[0].ChatID != in.SenderChat || out[0].Group || !strings.Contains(out[0].Text, "belum terdaftar")) {
			t.Errorf("first message: %v", out)
		}
		if i == 1 && len(out) != 0 {
			t.Errorf("told again the same day: %v", chats(out))
		}
	}
	// Without a private chat (Telegram, console) strangers in groups get nothing.
	in.MessageID, in.SenderChat = "w3", ""
	f.clock.Set(f.clock.Now().Add(24 * time.Hour))
	if err := f.svc.Handle(ctx, in); err != nil {
		t.Fatal(err)
	}
	if out := f.fresh(); len(out) != 0 {
		t.Errorf("answered without a private chat: %v", chats(out))
	}
}
