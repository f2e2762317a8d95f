package app_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// waitText waits until a message to chat contains want and returns it.
func (h *harness) waitText(chat int64, want string) string {
	h.t.Helper()
	var text string
	h.waitFor(fmt.Sprintf("a message to %d containing %q", chat, want), 15*time.Second, func() bool {
		for _, m := range h.fake.SentTo(chat) {
			if strings.Contains(m.Text, want) {
				text = m.Text
				return true
			}
		}
		return false
	})
	return text
}

// record reads a person's attendance for a day; ok is false when none.
func (h *harness) record(name, day string) (late, delayed, ok bool) {
	h.t.Helper()
	err := h.app.Store.DB().QueryRowContext(context.Background(), `SELECT a.late, a.delayed FROM attendance a JOIN staff s ON s.id = a.staff_id
		WHERE s.name = ? AND a.day = ?`, name, day).Scan(&late, &delayed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return late, delayed, true
}

// A Telegram message's time of record is its message.date (when the
// person sent it), through the real client, the conversion and the core:
// sent before the deadline and handled after it is on time; sent at 23:59
// and handled after midnight is on the earlier day; a day old is stored on
// its day and flagged delayed.
func TestTelegramTimeOfRecord(t *testing.T) {
	t.Parallel()
	wita := time.FixedZone("WITA", 8*3600)
	h := start(t, setup{})
	h.register(sari, 1)

	steps := []struct {
		name           string
		sent, received time.Time
		day            string
		late, delayed  bool
		reply          string
	}{
		{"sent 07:55, handled 08:20", time.Date(2026, 3, 16, 7, 55, 0, 0, wita), time.Date(2026, 3, 16, 8, 20, 0, 0, wita),
			"2026-03-16", false, false, "Senin, 16 Maret 2026 pukul 07.55 WITA"},
		{"sent 23:59 WITA, handled 00:10", time.Date(2026, 3, 17, 23, 59, 0, 0, wita), time.Date(2026, 3, 18, 0, 10, 0, 0, wita),
			"2026-03-17", true, true, "Selasa, 17 Maret 2026 pukul 23.59 WITA"},
		{"a day old", time.Date(2026, 3, 18, 7, 30, 0, 0, wita), time.Date(2026, 3, 19, 7, 40, 0, 0, wita),
			"2026-03-18", false, true, "dikirim Rabu, 18 Maret 2026 pukul 07.30 WITA"},
	}
	for _, s := range steps {
		h.clock.Set(s.received)
		m := h.fake.NewMessage(sari.user, sari.user, "hadir wfh, sehat")
		m.Date = int(s.sent.Unix()) // message.date: when Telegram got it from the person
		h.fake.Inject(models.Update{Message: m})
		h.waitText(sari.user, s.reply)
		late, delayed, ok := h.record(sari.name, s.day)
		if !ok || late != s.late || delayed != s.delayed {
			t.Errorf("%s: record on %s found=%v late=%v delayed=%v, want late=%v delayed=%v", s.name, s.day, ok, late, delayed, s.late, s.delayed)
		}
		if recv := s.received.Format("2006-01-02"); recv != s.day {
			if _, _, moved := h.record(sari.name, recv); moved {
				t.Errorf("%s: also recorded on the receive day %s", s.name, recv)
			}
		}
	}
}
