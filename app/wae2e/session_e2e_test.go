//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"testing"
	"time"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// waitStatus polls the adapter's connection state.
func (h *harness) waitStatus(what string, ok func(whatsapp.Status) bool) whatsapp.Status {
	h.t.Helper()
	for {
		s := h.app.WhatsApp.Status()
		if ok(s) {
			return s
		}
		select {
		case <-h.ctx.Done():
			h.t.Fatalf("timed out waiting for %s; state %q", what, s)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// The same message delivered twice (WhatsApp resends what it thinks was
// not received) is recorded and answered once.
func TestWhatsAppDuplicateDelivery(t *testing.T) {
	h, cfg := newHarness(t)
	h.start(cfg, monday0730)
	sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
	if err != nil {
		t.Fatal(err)
	}
	id, err := sari.Send(h.ctx, h.bot, textMessage("hadir"), wafake.SendOptions{Time: monday0730})
	if err != nil {
		t.Fatal(err)
	}
	h.waitReply(sari, "07.30 WITA")
	if err := h.srv.Redeliver(h.bot, id); err != nil {
		t.Fatal(err)
	}
	// The client answers the duplicate (receipt) once it has dealt with it.
	if err := h.srv.WaitStanzas(h.ctx, 2, func(st wafake.Stanza) bool {
		return (st.Node.Tag == "receipt" || st.Node.Tag == "ack") && st.Node.Attrs["id"] == id
	}); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := h.app.Store.DB().QueryRowContext(h.ctx, `SELECT COUNT(*) FROM attendance a JOIN staff s ON s.id = a.staff_id
		WHERE s.name = 'Ni Made Sari'`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("attendance rows = %d, want 1", rows)
	}
	// Any reply to the duplicate would be queued before that receipt.
	h.waitOutboxEmpty()
	if n := len(sari.Inbox()); n != 1 {
		t.Errorf("Sari received %d messages, want 1", n)
	}
}

func (h *harness) waitOutboxEmpty() {
	h.t.Helper()
	if !h.drainOutbox(15 * time.Second) {
		h.t.Fatal("the outbox did not drain")
	}
}

// A restart reuses the stored session: Piket logs straight in again and
// answers.
func TestWhatsAppRestartReusesSession(t *testing.T) {
	h, cfg := newHarness(t)
	t.Run("first run", func(t *testing.T) { h.startIn(t, cfg, monday0730, true) })
	if err := h.srv.WaitLoggedOut(h.ctx, h.bot); err != nil {
		t.Fatal(err)
	}
	t.Run("second run", func(t *testing.T) {
		h.startIn(t, cfg, monday0730, false)
		sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sari.Send(h.ctx, h.bot, textMessage("hadir"), wafake.SendOptions{Time: monday0730}); err != nil {
			t.Fatal(err)
		}
		h.waitReply(sari, "07.30 WITA")
	})
	if got := h.srv.Logins(h.bot); got != 2 {
		t.Errorf("logins = %d, want 2", got)
	}
}
