//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// logWatch is a slog handler that remembers messages.
type logWatch struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logWatch) Enabled(context.Context, slog.Level) bool { return true }
func (l *logWatch) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	l.msgs = append(l.msgs, r.Message)
	l.mu.Unlock()
	return nil
}
func (l *logWatch) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logWatch) WithGroup(string) slog.Handler      { return l }

func (l *logWatch) seen(prefix string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.msgs {
		if strings.HasPrefix(m, prefix) {
			return true
		}
	}
	return false
}

// When the core cannot store a check-in (the database refuses the write),
// the message is not confirmed; WhatsApp delivers it again on the next
// connection, and it is then recorded and answered exactly once.
func TestWhatsAppHandlerFailureRedelivery(t *testing.T) {
	h, cfg := newHarness(t)
	watch := &logWatch{}
	h.log = slog.New(watch)
	h.start(cfg, monday0730)
	db := h.app.Store.DB()
	if _, err := db.ExecContext(h.ctx, `CREATE TRIGGER wae2e_fail BEFORE INSERT ON attendance
		BEGIN SELECT RAISE(ABORT, 'injected failure'); END`); err != nil {
		t.Fatal(err)
	}
	sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
	if err != nil {
		t.Fatal(err)
	}
	id, err := sari.Send(h.ctx, h.bot, textMessage("hadir"), wafake.SendOptions{Time: monday0730})
	if err != nil {
		t.Fatal(err)
	}
	h.waitLog(watch, "whatsapp: handle message failed")
	if n := h.srv.Pending(h.bot); n != 1 {
		t.Fatalf("pending = %d, want 1 (not confirmed)", n)
	}
	if _, err := db.ExecContext(h.ctx, `DROP TRIGGER wae2e_fail`); err != nil {
		t.Fatal(err)
	}
	if err := h.srv.Drop(h.bot); err != nil {
		t.Fatal(err)
	}
	h.waitReply(sari, "07.30 WITA")
	if err := h.srv.WaitStanzas(h.ctx, 1, func(st wafake.Stanza) bool {
		return st.Node.Tag == "receipt" && st.Node.Attrs["id"] == id
	}); err != nil {
		t.Fatal(err)
	}
	h.waitOutboxEmpty()
	var rows int
	if err := db.QueryRowContext(h.ctx, `SELECT COUNT(*) FROM attendance a JOIN staff s ON s.id = a.staff_id
		WHERE s.name = 'Ni Made Sari'`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("attendance rows = %d, want 1", rows)
	}
	if n := len(sari.Inbox()); n != 1 {
		t.Errorf("Sari received %d messages, want 1", n)
	}
	if n := h.srv.Pending(h.bot); n != 0 {
		t.Errorf("pending = %d, want 0", n)
	}
}
