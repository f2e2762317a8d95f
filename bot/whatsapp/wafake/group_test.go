//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wafake_test

import (
	"testing"

	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

func TestGroups(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	const botNumber = "6281400000001"
	cli, _ := linkedClient(t, ctx, srv, openStore(t, ctx), botNumber)
	rec := connect(t, ctx, cli)
	ani, err := srv.User(ctx, "6281400000101", "Ani")
	if err != nil {
		t.Fatal(err)
	}
	budi, err := srv.User(ctx, "6281400000102", "Budi")
	if err != nil {
		t.Fatal(err)
	}
	lidGroup := srv.NewGroup("120363000000000001", "Piket Dinas Kominfo", true, botNumber, "6281400000101", "6281400000102")
	pnGroup := srv.NewGroup("120363000000000002", "Sekretariat", false, botNumber, "6281400000102")
	srv.NewGroup("120363000000000003", "Tanpa bot", true, "6281400000101")

	joined, err := cli.GetJoinedGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(joined) != 2 {
		t.Errorf("joined %d groups, want 2", len(joined))
	}
	info, err := cli.GetGroupInfo(ctx, lidGroup.JID())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "Piket Dinas Kominfo" || info.AddressingMode != types.AddressingModeLID || len(info.Participants) != 3 {
		t.Errorf("group info: %q %s %d participants", info.Name, info.AddressingMode, len(info.Participants))
	}
	for _, p := range info.Participants {
		if p.LID.IsEmpty() || p.PhoneNumber.IsEmpty() {
			t.Errorf("participant %+v lacks LID or phone number", p)
		}
	}

	// Members write in both groups: sender keys, participant and the
	// other form of the sender's address.
	tests := []struct {
		name      string
		send      func() (string, error)
		group     types.JID
		sender    types.JID
		senderAlt types.JID
		text      string
	}{
		{"LID group", func() (string, error) { return ani.SendGroupText(ctx, lidGroup, "/grup KOMINFO") }, lidGroup.JID(), ani.LID(), ani.JID(), "/grup KOMINFO"},
		{"LID group again", func() (string, error) { return ani.SendGroupText(ctx, lidGroup, "@piket hadir") }, lidGroup.JID(), ani.LID(), ani.JID(), "@piket hadir"},
		{"PN group", func() (string, error) { return budi.SendGroupText(ctx, pnGroup, "/piket besok") }, pnGroup.JID(), budi.JID(), budi.LID(), "/piket besok"},
	}
	for _, tt := range tests {
		id, err := tt.send()
		if err != nil {
			t.Fatal(err)
		}
		rec.waitN(t, ctx, tt.name, 1, isMessage(id))
		m := messages(rec)[id]
		if !m.Info.IsGroup || m.Info.Chat != tt.group || m.Info.Sender.ToNonAD() != tt.sender || m.Info.SenderAlt.ToNonAD() != tt.senderAlt {
			t.Errorf("%s: source %+v", tt.name, m.Info.MessageSource)
		}
		if got := m.Message.GetConversation(); got != tt.text {
			t.Errorf("%s: text %q, want %q", tt.name, got, tt.text)
		}
	}

	// Not a member: refused.
	if _, err := ani.SendGroupText(ctx, pnGroup, "x"); err == nil {
		t.Error("a non-member sent to a group")
	}

	// The bot posts twice into the LID group; both members read both.
	for i, text := range []string{"Jadwal piket besok: Ani, Budi", "Pengingat apel pagi"} {
		if _, err := cli.SendMessage(ctx, lidGroup.JID(), textMessage(text)); err != nil {
			t.Fatal(err)
		}
		for name, u := range map[string]*wafake.User{"Ani": ani, "Budi": budi} {
			inbox, err := u.WaitInbox(ctx, i+1)
			if err != nil {
				t.Fatalf("%s: %v (errors %v)", name, err, u.Errors())
			}
			got := inbox[i]
			if got.Chat != lidGroup.JID() || got.Type != "skmsg" || got.Message.GetConversation() != text {
				t.Errorf("%s received %q in %s (%s)", name, got.Message.GetConversation(), got.Chat, got.Type)
			}
		}
	}
}
