//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/piket-id/piket/civil"
)

const lestariNumber = "6281936011606" // Ni Made Dwi Lestari, Sari's supervisor

// A leave-home report alerts the supervisor at once; her /ok reaches the
// reporter;
// /kembali closes it. Then the office's roster is posted into its linked
// group.
func TestWhatsAppLeaveHomeAndRoster(t *testing.T) {
	h, cfg := newHarness(t)
	h.start(cfg, monday0730)
	sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
	if err != nil {
		t.Fatal(err)
	}
	lestari, err := h.srv.User(h.ctx, lestariNumber, "Lestari")
	if err != nil {
		t.Fatal(err)
	}
	// Lestari has written to the bot before (Piket links a WhatsApp chat to
	// a registry entry by the sender's phone number on their first message).
	if _, err := lestari.SendText(h.ctx, h.bot, "/status"); err != nil {
		t.Fatal(err)
	}
	if _, err := lestari.WaitInbox(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := sari.SendText(h.ctx, h.bot, "/keluar antar ibu kontrol ke rumah sakit, 2 jam"); err != nil {
		t.Fatal(err)
	}
	h.waitReply(sari, "Laporan keluar rumah No. ")
	alert := h.waitReply(lestari, "Ni Made Sari")
	var n int
	if i := strings.Index(alert, "No. "); i < 0 {
		t.Fatalf("alert %q has no report number", alert)
	} else if _, err := fmt.Sscanf(alert[i:], "No. %d", &n); err != nil {
		t.Fatalf("alert %q: %v", alert, err)
	}
	if !strings.Contains(alert, "antar ibu kontrol") || !strings.Contains(alert, fmt.Sprintf("/ok %d", n)) {
		t.Errorf("alert %q: want the reason and how to acknowledge", alert)
	}
	if _, err := lestari.SendText(h.ctx, h.bot, fmt.Sprintf("/ok %d", n)); err != nil {
		t.Fatal(err)
	}
	h.waitReply(lestari, fmt.Sprintf("Laporan No. %d (Ni Made Sari) sudah Anda terima", n))
	h.waitReply(sari, "sudah diterima oleh Ni Made Dwi Lestari")
	var acked int
	if err := h.app.Store.DB().QueryRowContext(h.ctx, `SELECT count(*) FROM leave_reports WHERE acked_by IS NOT NULL`).Scan(&acked); err != nil || acked != 1 {
		t.Errorf("acknowledged reports: %d, %v; want 1", acked, err)
	}
	before := len(sari.Inbox())
	if _, err := sari.SendText(h.ctx, h.bot, "/kembali"); err != nil {
		t.Fatal(err)
	}
	if _, err := sari.WaitInbox(h.ctx, before+1); err != nil {
		t.Fatal(err)
	}
	var open int
	if err := h.app.Store.DB().QueryRowContext(h.ctx, `SELECT count(*) FROM leave_reports WHERE returned_at IS NULL`).Scan(&open); err != nil || open != 0 {
		t.Errorf("open reports after /kembali: %d, %v; want 0", open, err)
	}

	// The roster goes to the office's group.
	sukadana, err := h.srv.User(h.ctx, sukadanaNumber, "Sukadana")
	if err != nil {
		t.Fatal(err)
	}
	g := h.srv.NewGroup("120363000000000043", "Piket DISKOMINFO", true, botNumber, sukadanaNumber, sariNumber)
	if _, err := sukadana.SendGroupText(h.ctx, g, "/grup DISKOMINFO"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.groupReply(sari); err != nil {
		t.Fatal(err)
	}
	if err := h.app.Service.PostRoster(context.Background(), "DISKOMINFO", civil.MustParse("2026-04-07")); err != nil {
		t.Fatalf("PostRoster: %v", err)
	}
	h.waitGroupText(sari, g.JID().User, "Jadwal piket")
	h.waitGroupText(sukadana, g.JID().User, "Jadwal piket")
}
