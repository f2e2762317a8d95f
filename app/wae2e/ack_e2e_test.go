//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"fmt"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// waitMessage waits until u has received a message containing want and
// returns it (with the ID the bot gave it).
func (h *harness) waitMessage(u *wafake.User, want string) wafake.Received {
	h.t.Helper()
	for n := 1; ; n++ {
		inbox, err := u.WaitInbox(h.ctx, n)
		if err != nil {
			h.t.Fatalf("no message to %s containing %q: %v (errors %v)", u.Name(), want, err, u.Errors())
		}
		if r := inbox[n-1]; strings.Contains(r.Message.GetConversation()+r.Message.GetExtendedTextMessage().GetText(), want) {
			return r
		}
	}
}

// reaction is emoji on the message id the bot sent.
func reaction(bot types.JID, id, emoji string) *waE2E.Message {
	return &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{
		Key:               &waCommon.MessageKey{RemoteJID: proto.String(bot.ToNonAD().String()), FromMe: proto.Bool(false), ID: proto.String(id)},
		Text:              proto.String(emoji),
		SenderTimestampMS: proto.Int64(monday0730.UnixMilli()),
	}}
}

// quoteReply is text sent as a reply quoting the bot's message m.
func quoteReply(bot types.JID, m wafake.Received, text string) *waE2E.Message {
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
		Text: proto.String(text),
		ContextInfo: &waE2E.ContextInfo{
			StanzaID:      proto.String(m.ID),
			Participant:   proto.String(bot.ToNonAD().String()),
			QuotedMessage: m.Message,
		},
	}}
}

// A leave-home report alerts the supervisor; she acknowledges the alert
// without typing the command: by a 👍 reaction on it, or by replying "ok"
// to it. The report is acknowledged by her, the reporter is told, and
// /kembali closes it (and tells her). A 😂 reaction first changes nothing.
func TestWhatsAppLeaveHomeAcknowledged(t *testing.T) {
	for _, tt := range []struct {
		name string
		ack  func(h *harness, alert wafake.Received) *waE2E.Message
	}{
		{"reaction", func(h *harness, alert wafake.Received) *waE2E.Message { return reaction(h.bot, alert.ID, "👍🏽") }},
		{"reply", func(h *harness, alert wafake.Received) *waE2E.Message { return quoteReply(h.bot, alert, "ok") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, cfg := newHarness(t)
			h.start(cfg, monday0730)
			db := h.app.Store.DB()
			sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
			if err != nil {
				t.Fatal(err)
			}
			lestari, err := h.srv.User(h.ctx, lestariNumber, "Lestari")
			if err != nil {
				t.Fatal(err)
			}
			// Lestari has written to the bot before (her WhatsApp is
			// linked by her number on her first message).
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
			alert := h.waitMessage(lestari, "Ni Made Sari")
			if alert.Chat.Server != types.DefaultUserServer {
				t.Errorf("alert sent to %s, want a private chat", alert.Chat)
			}
			var n int64
			if err := db.QueryRowContext(h.ctx, `SELECT l.id FROM leave_reports l JOIN staff s ON s.id = l.staff_id
				WHERE s.name = 'Ni Made Sari' AND l.returned_at IS NULL`).Scan(&n); err != nil {
				t.Fatalf("open leave report: %v", err)
			}
			if !strings.Contains(alert.Message.GetConversation()+alert.Message.GetExtendedTextMessage().GetText(), fmt.Sprintf("No. %d", n)) {
				t.Errorf("alert %v does not name report %d", alert.Message, n)
			}

			// Chatter: a reaction that does not acknowledge.
			laugh, err := lestari.Send(h.ctx, h.bot, reaction(h.bot, alert.ID, "😂"), wafake.SendOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.srv.WaitStanza(h.ctx, func(st wafake.Stanza) bool {
				return st.Node.Tag == "receipt" && st.Node.Attrs["id"] == laugh
			}); err != nil {
				t.Fatal(err)
			}
			if acked := h.count(`SELECT count(*) FROM leave_reports WHERE acked_by IS NOT NULL`); acked != 0 {
				t.Fatalf("a 😂 reaction acknowledged %d reports", acked)
			}

			before := len(lestari.Inbox())
			if _, err := lestari.Send(h.ctx, h.bot, tt.ack(h, alert), wafake.SendOptions{}); err != nil {
				t.Fatal(err)
			}
			h.waitReply(sari, "sudah diterima oleh Ni Made Dwi Lestari")
			var by string
			if err := db.QueryRowContext(h.ctx, `SELECT s.name FROM leave_reports l JOIN staff s ON s.id = l.acked_by
				WHERE l.id = ?`, n).Scan(&by); err != nil || by != "Ni Made Dwi Lestari" {
				t.Errorf("report %d acknowledged by %q (%v), want Ni Made Dwi Lestari", n, by, err)
			}
			h.waitReply(lestari, fmt.Sprintf("Laporan No. %d (Ni Made Sari) sudah Anda terima", n))
			// (The emulator acks a send before the user reads it: wait for
			// the confirmation first, then that nothing else was sent.)
			h.waitOutboxEmpty()
			if got := lestari.Inbox()[before:]; len(got) != 1 {
				t.Errorf("Lestari got %d messages after acknowledging, want one confirmation: %v", len(got), got)
			}

			if _, err := sari.SendText(h.ctx, h.bot, "/kembali"); err != nil {
				t.Fatal(err)
			}
			h.waitReply(sari, "tercatat sudah kembali di rumah")
			h.waitReply(lestari, "Ni Made Sari sudah kembali di rumah")
			if open := h.count(`SELECT count(*) FROM leave_reports WHERE returned_at IS NULL`); open != 0 {
				t.Errorf("open reports after /kembali: %d, want 0", open)
			}
		})
	}
}

// count runs a COUNT query on the app's database.
func (h *harness) count(query string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.app.Store.DB().QueryRowContext(h.ctx, query, args...).Scan(&n); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
	return n
}
