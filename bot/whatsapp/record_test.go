package whatsapp

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/store"
)

// A WhatsApp message's time of record is Info.Timestamp (when the person
// sent it), through the adapter's event conversion into the real core on
// a real SQLite file: sent before the deadline and handled after it is on
// time; sent at 23:59 WITA and handled at 00:10 is on the earlier day; a
// day old is stored on its day and flagged delayed.
func TestWhatsAppTimeOfRecord(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	for _, c := range []struct {
		name           string
		sent, received time.Time
		day            string
		late, delayed  bool
		reply          string
	}{
		{"sent 07:55, handled 08:20 after a phone was offline", time.Date(2020, 3, 18, 7, 55, 0, 0, wita), time.Date(2020, 3, 18, 8, 20, 0, 0, wita),
			"2020-03-18", false, false, "Rabu, 18 Maret 2020 pukul 07.55 WITA"},
		{"sent 23:59 WITA, handled 00:10", time.Date(2020, 3, 17, 23, 59, 0, 0, wita), time.Date(2020, 3, 18, 0, 10, 0, 0, wita),
			"2020-03-17", true, true, "Selasa, 17 Maret 2020 pukul 23.59 WITA"},
		{"a day old", time.Date(2020, 3, 17, 7, 30, 0, 0, wita), time.Date(2020, 3, 18, 7, 40, 0, 0, wita),
			"2020-03-17", false, true, "terlambat diterima"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			if _, err := st.ImportStaff(ctx, []store.StaffInput{
				{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Level: store.LevelPelaksana, Phone: "+" + userPN.User},
			}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: time.Date(2020, 3, 1, 9, 0, 0, 0, wita)}); err != nil {
				t.Fatal(err)
			}
			svc := bot.New(bot.Options{Store: st, Clock: clock.NewFrozen(c.received).Now})
			env := newTestAdapter(t, func(o *Options) { o.Handler = svc })
			evt := message(userPN, userPN, text("hadir wfh, sehat"))
			evt.Info.Timestamp = c.sent
			if ok := env.a.handleEvent(evt); !ok {
				t.Fatal("handleEvent reported failure")
			}
			people, err := st.FindStaff(ctx, "199203142015032001")
			if err != nil || len(people) != 1 {
				t.Fatal(people, err)
			}
			for _, day := range []string{c.day, civil.Of(c.received).String()} {
				all, err := st.DayAttendance(ctx, civil.MustParse(day))
				if err != nil {
					t.Fatal(err)
				}
				a, ok := all[people[0].ID]
				switch {
				case day == c.day && (!ok || a.Late != c.late || a.Delayed != c.delayed):
					t.Errorf("record on %s found=%v late=%v delayed=%v, want late=%v delayed=%v", day, ok, a.Late, a.Delayed, c.late, c.delayed)
				case day != c.day && ok:
					t.Errorf("also recorded on the receive day %s", day)
				}
			}
			out, err := st.PendingOutbox(ctx, 10)
			if err != nil || len(out) != 1 || !strings.Contains(out[0].Text, c.reply) {
				t.Errorf("reply %+v (%v), want one containing %q", out, err, c.reply)
			}
		})
	}
}
