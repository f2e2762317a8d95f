//go:build !race

package wae2e_test

import (
	"path/filepath"
	"testing"

	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
	"github.com/piket-id/piket/config"
)

// secondNumber is the second WhatsApp number, serving BKPSDM.
const (
	secondNumber = "6281100000001"
	asepNumber   = "6281119603101" // H. Asep Saepudin, BKPSDM head and admin
)

// Two WhatsApp numbers, offices split: each person's messages count only
// on their office's number; on the other they are told which number to
// write to, and nothing is recorded. Replies come from the number written
// to, each number on its own session.
func TestWhatsAppTwoNumbers(t *testing.T) {
	h, cfg := newHarness(t)
	session := filepath.Join(t.TempDir(), "piket-whatsapp-bkpsdm.db")
	cfg.WhatsApp.Accounts = []config.WhatsAppAccount{{Name: "bkpsdm", SessionDB: session, Offices: []string{"BKPSDM"}}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	second := linkAs(t, h.ctx, h.srv, secondNumber, session)
	h.start(cfg, monday0730)
	if err := h.srv.WaitLoggedIn(h.ctx, second); err != nil {
		t.Fatal(err)
	}
	sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
	if err != nil {
		t.Fatal(err)
	}
	asep, err := h.srv.User(h.ctx, asepNumber, "Asep")
	if err != nil {
		t.Fatal(err)
	}

	// Asep (BKPSDM) writes to the primary number: pointed to the second.
	if _, err := asep.Send(h.ctx, h.bot, textMessage("hadir wfh"), wafake.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	h.waitReplyFrom(asep, h.bot, "BKPSDM dilayani oleh nomor WhatsApp +"+secondNumber)
	if _, ok := h.record("H. Asep Saepudin, S.Sos., M.Si.", "2026-03-16"); ok {
		t.Fatal("a check-in to the wrong number was recorded")
	}
	// On his office's number it counts, answered from that number.
	if _, err := asep.Send(h.ctx, second, textMessage("hadir wfh"), wafake.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	h.waitReplyFrom(asep, second, "Kehadiran H. Asep Saepudin")
	if _, ok := h.record("H. Asep Saepudin, S.Sos., M.Si.", "2026-03-16"); !ok {
		t.Fatal("Asep's check-in on his office's number was not recorded")
	}
	// Sari (DISKOMINFO) writes to the BKPSDM number: pointed to the primary.
	if _, err := sari.Send(h.ctx, second, textMessage("hadir wfh"), wafake.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	h.waitReplyFrom(sari, second, "DISKOMINFO dilayani oleh nomor WhatsApp +"+botNumber)
	if _, err := sari.Send(h.ctx, h.bot, textMessage("hadir wfh"), wafake.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	h.waitReplyFrom(sari, h.bot, "Kehadiran Ni Made Sari")

	var n int
	if err := h.app.Store.DB().QueryRowContext(h.ctx, `SELECT count(*) FROM outbox WHERE platform = 'whatsapp' AND account = 'bkpsdm'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("messages sent through the BKPSDM number: %d (%v), want 2", n, err)
	}
	if r := h.app.Health.Check(h.ctx).Checks["whatsapp:bkpsdm"]; !r.OK {
		t.Errorf("/healthz whatsapp:bkpsdm = %+v, want ok", r)
	}
}

// waitReplyFrom waits until u has received a message containing want
// from the device bot.
func (h *harness) waitReplyFrom(u *wafake.User, bot types.JID, want string) {
	h.t.Helper()
	text := h.waitReply(u, want)
	for _, r := range u.Inbox() {
		if m := r.Message.GetConversation() + r.Message.GetExtendedTextMessage().GetText(); m == text {
			if r.From.User != bot.User {
				h.t.Errorf("%q came from %s, want %s", text, r.From.User, bot.User)
			}
			return
		}
	}
}
