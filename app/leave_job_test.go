package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
)

// The escalation job checks what is due when it runs: after the clock
// jumps past the escalation time, the next tick escalates at once.
func TestLeaveEscalationJobUsesTheClock(t *testing.T) {
	wita, _ := time.LoadLocation("Asia/Makassar")
	start := time.Date(2020, 3, 18, 7, 40, 0, 0, wita)
	h := newRosterHarness(t, start)
	ctx := context.Background()
	staff := "198001012005011023" // Staf A DISKOMINFO; supervisor Kabid DISKOMINFO
	h.app.Scheduler.Tick(ctx)     // plan the minute jobs at 07:40
	if err := h.app.Service.Handle(ctx, bot.Inbound{Platform: bot.Console, MessageID: "k1", SenderID: staff, ChatID: staff,
		Addressed: true, Text: "/keluar ke puskesmas 1 jam"}); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(start.Add(16 * time.Minute)) // past the 15 working minutes
	h.app.Scheduler.Tick(ctx)
	pending, err := h.app.Store.PendingOutbox(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pending {
		if strings.Contains(p.Text, "belum ditanggapi") && p.ChatID == "198001012005011021" { // Kepala DISKOMINFO
			return
		}
	}
	t.Errorf("no escalation to the office head after the clock passed the escalation time; outbox: %+v", pending)
}
