//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"strings"
	"testing"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// An office admin links an office group with /grup in a LID-addressed
// group: Piket recognises them from their LID (with the phone number
// WhatsApp gives alongside), stores the link, and answers in the group,
// where every member reads the answer with the bot's sender key.
func TestWhatsAppLinkGroup(t *testing.T) {
	h, cfg := newHarness(t)
	h.start(cfg, monday0730)
	sukadana, err := h.srv.User(h.ctx, sukadanaNumber, "Sukadana")
	if err != nil {
		t.Fatal(err)
	}
	sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
	if err != nil {
		t.Fatal(err)
	}
	g := h.srv.NewGroup("120363000000000042", "Piket DISKOMINFO", true, botNumber, sukadanaNumber, sariNumber)
	if _, err := sukadana.SendGroupText(h.ctx, g, "/grup DISKOMINFO"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*wafake.User{sukadana, sari} {
		text, err := h.groupReply(u)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "Grup ini sekarang terhubung dengan") {
			t.Errorf("%s read %q in the group", u.Name(), text)
		}
	}
	var office string
	if err := h.app.Store.DB().QueryRowContext(h.ctx, `SELECT o.code FROM office_chats c JOIN offices o ON o.id = c.office_id
		WHERE c.platform = 'whatsapp' AND c.chat_id = ?`, g.JID().String()).Scan(&office); err != nil {
		t.Fatalf("office_chats row for %s: %v", g.JID(), err)
	}
	if office != "DISKOMINFO" {
		t.Errorf("group linked to %q", office)
	}
}
