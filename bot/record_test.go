package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/holiday"
	"github.com/piket-id/piket/store"
)

var (
	wit    = mustLoc("Asia/Jayapura")
	zoneOf = map[string]*time.Location{nipWITA: wita, nipWIB: wib, nipWIT: wit}
)

// One person per Indonesian zone.
const (
	nipWITA = "199203142015032001" // DISKOMINFO, Denpasar
	nipWIB  = "199001102015031003" // BKPSDM, Tangerang Selatan
	nipWIT  = "198805052012122002" // DINKES, Jayapura
)

// recordFix is a service on a real SQLite file with offices in WIB,
// WITA and WIT; messages carry a sent time and are handled at the clock's.
type recordFix struct {
	t     *testing.T
	st    *store.Store
	svc   *bot.Service
	clock *clock.Sim
	seq   int
	// policy per office, changed by a test case before it runs.
	policy map[string]bot.OfficePolicy
}

func newRecordFix(t *testing.T) *recordFix {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.ImportStaff(ctx, []store.StaffInput{
		{NIP: nipWITA, Name: "Ni Made Sari", Office: "DISKOMINFO", Level: store.LevelPelaksana},
		{NIP: nipWIB, Name: "Agus Setiawan", Office: "BKPSDM", Level: store.LevelPelaksana},
		{NIP: nipWIT, Name: "Yohana Wanimbo", Office: "DINKES", Level: store.LevelPelaksana},
	}, store.ImportOptions{DefaultTZ: "Asia/Jakarta", OfficeTZ: map[string]string{"DISKOMINFO": "Asia/Makassar", "DINKES": "Asia/Jayapura"},
		Now: time.Date(2020, 3, 1, 9, 0, 0, 0, wita)})
	if err != nil {
		t.Fatal(err)
	}
	f := &recordFix{t: t, st: st, clock: clock.NewFrozen(time.Date(2020, 3, 18, 7, 0, 0, 0, wita)), policy: map[string]bot.OfficePolicy{}}
	f.svc = bot.New(bot.Options{
		Store: st, Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}},
		Policy: func(code string) bot.OfficePolicy {
			if p, ok := f.policy[code]; ok {
				return p
			}
			return bot.OfficePolicy{Deadline: 8 * 60}
		},
	})
	return f
}

// send delivers text sent at sent (zero: no platform time) and handled at
// received, and returns the reply.
func (f *recordFix) send(nip, text string, sent, received time.Time) string {
	f.t.Helper()
	f.clock.Set(received)
	before, err := f.st.PendingOutbox(context.Background(), 10000)
	if err != nil {
		f.t.Fatal(err)
	}
	f.seq++
	m := bot.Inbound{Platform: bot.Console, MessageID: fmt.Sprintf("r%d", f.seq), SenderID: nip, ChatID: nip, Text: text, Time: sent, Addressed: true}
	if err := f.svc.Handle(context.Background(), m); err != nil {
		f.t.Fatalf("Handle(%q): %v", text, err)
	}
	after, err := f.st.PendingOutbox(context.Background(), 10000)
	if err != nil {
		f.t.Fatal(err)
	}
	return onlyReply(f.t, after[len(before):], nip)
}

func (f *recordFix) day(nip, day string) map[string]store.Attendance {
	f.t.Helper()
	ctx := context.Background()
	all, err := f.st.DayAttendance(ctx, civil.MustParse(day))
	if err != nil {
		f.t.Fatal(err)
	}
	people, err := f.st.FindStaff(ctx, nip)
	if err != nil || len(people) != 1 {
		f.t.Fatalf("find %s: %v", nip, err)
	}
	out := map[string]store.Attendance{}
	if a, ok := all[people[0].ID]; ok {
		out[day] = a
	}
	return out
}

func TestTimeOfRecord(t *testing.T) {
	at := func(loc *time.Location, d string, hh, mm int) time.Time { return civil.MustParse(d).At(hh, mm, loc) }
	for _, c := range []struct {
		name           string
		nip            string
		maxDelay       time.Duration // 0: the default, 2h
		sent, received time.Time
		day            string // the local day the record belongs to
		late, delayed  bool
		reply          []string // the reply says these
		notReply       []string
	}{
		{name: "WITA sent before the deadline, handled after it", nip: nipWITA,
			sent: at(wita, "2020-03-18", 7, 55), received: at(wita, "2020-03-18", 8, 20), day: "2020-03-18",
			reply: []string{"pukul 07.55 WITA"}, notReply: []string{"terlambat"}},
		{name: "WITA sent after the deadline", nip: nipWITA,
			sent: at(wita, "2020-03-18", 8, 1), received: at(wita, "2020-03-18", 8, 2), day: "2020-03-18", late: true,
			reply: []string{"Tercatat terlambat (batas 08.00 WITA)"}, notReply: []string{"diterima"}},
		{name: "WITA on time but received over two hours later", nip: nipWITA,
			sent: at(wita, "2020-03-18", 7, 59), received: at(wita, "2020-03-18", 10, 30), day: "2020-03-18", delayed: true,
			reply: []string{"dikirim pukul 07.59 WITA", "terlambat diterima"}, notReply: []string{"Tercatat terlambat"}},
		{name: "WITA within a longer per-office limit", nip: nipWITA, maxDelay: 4 * time.Hour,
			sent: at(wita, "2020-03-18", 7, 59), received: at(wita, "2020-03-18", 10, 30), day: "2020-03-18",
			notReply: []string{"terlambat"}},
		{name: "WITA 23:59 handled at 00:10 stays on the earlier day", nip: nipWITA,
			sent: at(wita, "2020-03-17", 23, 59), received: at(wita, "2020-03-18", 0, 10), day: "2020-03-17", late: true, delayed: true,
			reply: []string{"Selasa, 17 Maret 2020", "dikirim Selasa, 17 Maret 2020 pukul 23.59 WITA"}},
		{name: "WITA a day old is stored on its day and flagged", nip: nipWITA,
			sent: at(wita, "2020-03-17", 7, 30), received: at(wita, "2020-03-18", 7, 30), day: "2020-03-17", delayed: true,
			reply: []string{"Selasa, 17 Maret 2020 pukul 07.30 WITA", "terlambat diterima"}, notReply: []string{"Tercatat terlambat"}},
		{name: "WIB sent before the deadline, handled after it", nip: nipWIB,
			sent: at(wib, "2020-03-18", 7, 50), received: at(wib, "2020-03-18", 8, 10), day: "2020-03-18",
			reply: []string{"07.50 WIB"}, notReply: []string{"terlambat"}},
		{name: "WIB 23:59 handled at 00:10", nip: nipWIB,
			sent: at(wib, "2020-03-18", 23, 59), received: at(wib, "2020-03-19", 0, 10), day: "2020-03-18", late: true, delayed: true},
		{name: "WIT sent before the deadline, handled after it", nip: nipWIT,
			sent: at(wit, "2020-03-18", 7, 45), received: at(wit, "2020-03-18", 9, 0), day: "2020-03-18",
			reply: []string{"07.45 WIT"}, notReply: []string{"terlambat"}},
		{name: "WIT late by its own clock", nip: nipWIT,
			sent: at(wit, "2020-03-18", 8, 15), received: at(wit, "2020-03-18", 8, 16), day: "2020-03-18", late: true},
		{name: "WIT 23:50 handled at 00:05", nip: nipWIT,
			sent: at(wit, "2020-03-18", 23, 50), received: at(wit, "2020-03-19", 0, 5), day: "2020-03-18", late: true, delayed: true},
		{name: "a sent time ahead of the receive time is clamped", nip: nipWITA,
			sent: at(wita, "2020-03-18", 8, 30), received: at(wita, "2020-03-18", 7, 50), day: "2020-03-18",
			reply: []string{"07.50 WITA"}, notReply: []string{"terlambat"}},
		{name: "no platform time: the receive time", nip: nipWITA,
			received: at(wita, "2020-03-18", 8, 5), day: "2020-03-18", late: true, notReply: []string{"diterima"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newRecordFix(t)
			for _, code := range []string{"DISKOMINFO", "BKPSDM", "DINKES"} {
				f.policy[code] = bot.OfficePolicy{Deadline: 8 * 60, MaxDelay: c.maxDelay}
			}
			reply := f.send(c.nip, "hadir wfh, sehat", c.sent, c.received)
			for _, want := range c.reply {
				if !strings.Contains(reply, want) {
					t.Errorf("reply lacks %q:\n%s", want, reply)
				}
			}
			for _, not := range c.notReply {
				if strings.Contains(reply, not) {
					t.Errorf("reply has %q:\n%s", not, reply)
				}
			}
			a, ok := f.day(c.nip, c.day)[c.day]
			if !ok {
				t.Fatalf("nothing recorded on %s", c.day)
			}
			if a.Late != c.late || a.Delayed != c.delayed {
				t.Errorf("record late=%v delayed=%v, want late=%v delayed=%v", a.Late, a.Delayed, c.late, c.delayed)
			}
			want := c.sent
			if want.IsZero() || want.After(c.received) {
				want = c.received
			}
			if !a.FirstAt.Equal(want) {
				t.Errorf("record time %s, want %s", a.FirstAt, want)
			}
			if !a.UpdatedAt.Equal(c.received) {
				t.Errorf("record received at %s, want %s", a.UpdatedAt, c.received)
			}
			// Never silently moved to the day it arrived.
			if recv := civil.In(c.received, zoneOf[c.nip]).String(); recv != c.day {
				if _, moved := f.day(c.nip, recv)[recv]; moved {
					t.Errorf("a record was also made on the receive day %s", recv)
				}
			}
		})
	}
}

// A check-in on a day off (holiday, cuti bersama, weekend, the office's
// own day off) is stored but never late, and the reply says what day it is.
func TestCheckInOnDayOff(t *testing.T) {
	at := func(d string, hh, mm int) time.Time { return civil.MustParse(d).At(hh, mm, wita) }
	own := holiday.NewCalendar(holiday.Holiday{Date: civil.MustParse("2020-03-18"), Name: "Hari Raya Galungan", Kind: holiday.Local})
	monToThu := [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true}
	for _, c := range []struct {
		name   string
		roster bot.RosterPolicy
		when   time.Time
		late   bool
		says   string // "" on a working day
	}{
		{name: "Nyepi", when: at("2020-03-25", 9, 30), says: "hari libur Hari Suci Nyepi"},
		{name: "cuti bersama", when: at("2020-12-24", 9, 30), says: "Cuti Bersama Hari Raya Natal"},
		{name: "Sunday", when: at("2020-03-29", 9, 30), says: "hari Minggu"},
		{name: "Saturday", when: at("2020-03-28", 9, 30), says: "hari Sabtu"},
		{name: "the office's own holiday", roster: bot.RosterPolicy{Calendar: own}, when: at("2020-03-18", 9, 30), says: "hari libur Hari Raya Galungan"},
		{name: "the office's own weekday off", roster: bot.RosterPolicy{Workdays: monToThu}, when: at("2020-03-20", 9, 30), says: "hari Jumat"},
		{name: "a working day", when: at("2020-03-18", 9, 30), late: true},
		{name: "a working day for an office with its own calendar", roster: bot.RosterPolicy{Calendar: own}, when: at("2020-03-19", 9, 30), late: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newRecordFix(t)
			f.policy["DISKOMINFO"] = bot.OfficePolicy{Deadline: 8 * 60, Roster: c.roster}
			reply := f.send(nipWITA, "hadir kantor", c.when, c.when)
			day := civil.In(c.when, wita).String()
			a, ok := f.day(nipWITA, day)[day]
			if !ok || a.Status != store.StatusPresent {
				t.Fatalf("check-in on %s not stored: %+v", day, a)
			}
			if a.Late != c.late {
				t.Errorf("late = %v, want %v", a.Late, c.late)
			}
			if c.says == "" {
				if strings.Contains(reply, "bukan hari kerja") {
					t.Errorf("working day called a day off:\n%s", reply)
				}
				return
			}
			if !strings.Contains(reply, "Bukan hari kerja ("+c.says) || strings.Contains(reply, "Tercatat terlambat") {
				t.Errorf("reply does not say %q (or says late):\n%s", c.says, reply)
			}
		})
	}
}

// /laporan, a leave-home report and /kembali take the time they were sent.
func TestReportAndLeaveUseTimeOfRecord(t *testing.T) {
	ctx := context.Background()
	f := newRecordFix(t)
	at := func(d string, hh, mm int) time.Time { return civil.MustParse(d).At(hh, mm, wita) }
	people, err := f.st.FindStaff(ctx, nipWITA)
	if err != nil || len(people) != 1 {
		t.Fatal(people, err)
	}
	id := people[0].ID

	reply := f.send(nipWITA, "/laporan menyusun tabel indeks", at("2020-03-17", 23, 50), at("2020-03-18", 0, 20))
	if !strings.Contains(reply, "23.50 WITA") || !strings.Contains(reply, "terlambat diterima") {
		t.Errorf("late /laporan reply:\n%s", reply)
	}
	err = f.st.Write(ctx, func(tx *store.Tx) error {
		for day, want := range map[string]int{"2020-03-17": 1, "2020-03-18": 0} {
			ws, err := tx.WorkReports(ctx, id, civil.MustParse(day))
			if err != nil {
				return err
			}
			if len(ws) != want {
				t.Errorf("%s: %d report parts, want %d", day, len(ws), want)
			}
			if len(ws) == 1 && !ws[0].CreatedAt.Equal(at("2020-03-17", 23, 50)) {
				t.Errorf("report part time %s, want its sent time", ws[0].CreatedAt)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	f.send(nipWITA, "/keluar ke apotek", at("2020-03-18", 9, 0), at("2020-03-18", 9, 40))
	open, err := f.st.OpenLeaves(ctx)
	if err != nil || len(open) != 1 {
		t.Fatalf("open leave reports: %v, %v", open, err)
	}
	if !open[0].StartedAt.Equal(at("2020-03-18", 9, 0)) {
		t.Errorf("left home at %s, want the sent time 09:00", open[0].StartedAt.In(wita))
	}
	reply = f.send(nipWITA, "/kembali", at("2020-03-18", 10, 0), at("2020-03-18", 10, 30))
	if !strings.Contains(reply, "10.00 WITA") || !strings.Contains(reply, "1 jam") {
		t.Errorf("/kembali reply should give the sent time and 1 hour out:\n%s", reply)
	}
	if open, err := f.st.OpenLeaves(ctx); err != nil || len(open) != 0 {
		t.Errorf("still open after /kembali: %v, %v", open, err)
	}
}

// Before an office's go-live nothing is counted: no recap, no digest, no
// reminder; a configured go-live day overrides the stored one.
func TestNothingCountedBeforeGoLive(t *testing.T) {
	ctx := context.Background()
	f := newRecordFix(t) // imported on 1 March 2020
	rem := bot.NewReminders(f.svc)
	f.policy["DISKOMINFO"] = bot.OfficePolicy{Deadline: 8 * 60, Since: civil.MustParse("2020-03-19")}
	for _, c := range []struct {
		when time.Time
		want bool
	}{
		{civil.MustParse("2020-03-18").At(7, 45, wita), false}, // before the configured go-live
		{civil.MustParse("2020-03-19").At(7, 45, wita), true},
	} {
		n, err := rem.RemindCheckIn(ctx, "DISKOMINFO", c.when)
		if err != nil {
			t.Fatal(err)
		}
		if got := n > 0; got != c.want {
			t.Errorf("check-in reminder on %s: %d queued, want some: %v", civil.In(c.when, wita), n, c.want)
		}
	}
	// BKPSDM keeps its import day (1 March): reminded on the 18th.
	if n, err := rem.RemindCheckIn(ctx, "BKPSDM", civil.MustParse("2020-03-18").At(7, 45, wib)); err != nil || n == 0 {
		t.Errorf("BKPSDM reminder on 18 March: %d, %v; want one", n, err)
	}
}

// /rekap of a day before go-live lists nobody as missing.
func TestRecapBeforeGoLive(t *testing.T) {
	f := newFixture(t, "id") // imported on Sunday 1 March 2020
	text := onlyReply(t, f.say(nipHead, "/rekap 2020-02-28"), nipHead)
	if !strings.Contains(text, "mulai memakai Piket pada Minggu, 1 Maret 2020") || strings.Contains(text, "Ni Made Sari") {
		t.Errorf("/rekap before go-live:\n%s", text)
	}
	text = onlyReply(t, f.say(nipHead, "/rekap 2020-03-02"), nipHead)
	if !strings.Contains(text, "Ni Made Sari") {
		t.Errorf("/rekap after go-live lacks the missing person:\n%s", text)
	}
}

// A check-in held up on the way (sent 07:55, delivered 08:20) that arrives
// after a later one (sent and delivered 08:10) still decides the day's
// first time and lateness; a delayed message leaves the record flagged.
func TestDelayedCheckInArrivingAfterALaterOne(t *testing.T) {
	f := newRecordFix(t)
	at := func(hh, mm int) time.Time { return civil.MustParse("2020-03-18").At(hh, mm, wita) }
	f.send(nipWITA, "hadir wfh", at(8, 10), at(8, 10))
	if a := f.day(nipWITA, "2020-03-18")["2020-03-18"]; !a.Late {
		t.Fatalf("08:10 check-in not late: %+v", a)
	}
	f.send(nipWITA, "hadir wfh, sehat", at(7, 55), at(8, 20))
	a := f.day(nipWITA, "2020-03-18")["2020-03-18"]
	if a.Late || !a.FirstAt.Equal(at(7, 55)) || a.Delayed {
		t.Errorf("after the 07:55 check-in arrived: late=%v first=%s delayed=%v; want on time at 07:55, not delayed", a.Late, a.FirstAt.In(wita), a.Delayed)
	}
	f.send(nipWITA, "hadir kantor", at(7, 58), at(10, 30)) // 2h32m on the way
	f.send(nipWITA, "hadir kantor, sehat", at(10, 35), at(10, 35))
	if a := f.day(nipWITA, "2020-03-18")["2020-03-18"]; !a.Delayed || a.Late {
		t.Errorf("a record once touched by a delayed message: %+v, want delayed and not late", a)
	}
}

func TestRecordNotesInEnglish(t *testing.T) {
	f := newRecordFix(t)
	f.svc = bot.New(bot.Options{Store: f.st, Clock: f.clock.Now, Texts: bot.TextsFor("en"), Implicit: []bot.Addresser{consoleAddr{}}})
	nyepi := civil.MustParse("2020-03-25")
	reply := f.send(nipWITA, "hadir", nyepi.At(23, 0, wita), nyepi.AddDays(1).At(7, 0, wita))
	for _, want := range []string{"Not a working day (a holiday, Hari Suci Nyepi", "sent on Wednesday, 25 March 2020 at 23:00 WITA"} {
		if !strings.Contains(reply, want) {
			t.Errorf("reply lacks %q:\n%s", want, reply)
		}
	}
}
