package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/holiday"
	"github.com/piket-id/piket/store"
)

// The recap fixture: one office in WITA.
//
//	Head (admin) ── Kabid ── Sari, Budi, Dewi
//	             └─ Komang (Sekretariat)
const (
	rHead   = "197008141995031004"
	rKabid  = "197803252003121005"
	rSari   = "199203142015032001"
	rBudi   = "199105052015031002"
	rDewi   = "199307072016032003"
	rKomang = "198808082010011004"
)

type recapFixture struct {
	t     *testing.T
	st    *store.Store
	svc   *bot.Service
	rem   *bot.Reminders
	clock *clock.Sim
	seq   int
}

func newRecapFixture(t *testing.T) *recapFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.ImportStaff(ctx, []store.StaffInput{
		{NIP: rHead, Name: "Wayan Head", Office: "DISKOMINFO", Level: store.LevelEselon2, Roles: []string{"admin"}},
		{NIP: rKabid, Name: "Made Kabid", Office: "DISKOMINFO", Division: "Bidang Aplikasi", Level: store.LevelEselon3, SupervisorNIP: rHead},
		{NIP: rSari, Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Bidang Aplikasi", Level: store.LevelPelaksana, SupervisorNIP: rKabid},
		{NIP: rBudi, Name: "Budi", Office: "DISKOMINFO", Division: "Bidang Aplikasi", Level: store.LevelPelaksana, SupervisorNIP: rKabid},
		{NIP: rDewi, Name: "Dewi", Office: "DISKOMINFO", Division: "Bidang Statistik", Level: store.LevelPelaksana, SupervisorNIP: rKabid},
		{NIP: rKomang, Name: "Komang", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: rHead},
	}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: time.Date(2020, 3, 1, 9, 0, 0, 0, wita)}) // go-live before the simulated days
	if err != nil {
		t.Fatal(err)
	}
	c := clock.NewFrozen(time.Date(2020, 3, 18, 7, 0, 0, 0, wita))
	svc := bot.New(bot.Options{
		Store: st, Clock: c.Now,
		Policy:   func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} },
		Implicit: []bot.Addresser{consoleAddr{}},
	})
	return &recapFixture{t: t, st: st, svc: svc, rem: bot.NewReminders(svc), clock: c}
}

// at moves the clock to a local time on a day of March 2020.
func (f *recapFixture) at(day, hour, min int) time.Time {
	tm := time.Date(2020, 3, day, hour, min, 0, 0, wita)
	f.clock.Set(tm)
	return tm
}

func (f *recapFixture) say(nip, text string) {
	f.t.Helper()
	f.seq++
	err := f.svc.Handle(context.Background(), bot.Inbound{
		Platform: bot.Console, MessageID: fmt.Sprintf("r%d", f.seq), ChatID: nip, SenderID: nip, Text: text, Time: f.clock.Now(),
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// drain returns the queued messages and marks them sent.
func (f *recapFixture) drain() []store.Pending {
	f.t.Helper()
	ctx := context.Background()
	out, err := f.st.PendingOutbox(ctx, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, p := range out {
		if err := f.st.MarkSent(ctx, p.ID, "", f.clock.Now()); err != nil {
			f.t.Fatal(err)
		}
	}
	return out
}

func chats(ps []store.Pending) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Platform+":"+p.ChatID)
	}
	slices.Sort(out)
	return out
}

func (f *recapFixture) linkTelegram(nip, chat string) {
	f.t.Helper()
	ctx := context.Background()
	err := f.st.Write(ctx, func(tx *store.Tx) error {
		s, err := tx.ActiveStaffByNIP(ctx, nip)
		if err != nil {
			return err
		}
		return tx.LinkIdentity(ctx, s.ID, store.Identity{Platform: "telegram", ExternalID: "u" + chat, ChatID: chat}, f.clock.Now())
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// morning: Sari WFH on time, Budi sick, Head on leave, Komang late at the
// office; Kabid and Dewi do nothing.
func (f *recapFixture) morning(day int) {
	f.at(day, 7, 10)
	f.say(rSari, "hadir wfh, sehat, menyusun SPJ")
	f.say(rBudi, "sakit demam")
	f.say(rHead, "cuti")
	f.drain()
}

func TestRemindCheckInOnlyThoseMissing(t *testing.T) {
	f := newRecapFixture(t)
	ctx := context.Background()
	f.linkTelegram(rDewi, "5001")
	f.morning(18)
	now := f.at(18, 7, 45)
	n, err := f.rem.RemindCheckIn(ctx, "DISKOMINFO", now)
	if err != nil {
		t.Fatal(err)
	}
	got := chats(f.drain())
	want := []string{"console:" + rKabid, "console:" + rKomang, "console:" + rDewi, "telegram:5001"}
	if !slices.Equal(got, want) || n != len(want) {
		t.Errorf("reminded %v (n=%d), want %v", got, n, want)
	}
	// Running the job again the same day sends nothing.
	if n, err := f.rem.RemindCheckIn(ctx, "DISKOMINFO", now.Add(time.Minute)); err != nil || n != 0 {
		t.Errorf("second run: n=%d err=%v, want nothing", n, err)
	}
	if got := f.drain(); len(got) != 0 {
		t.Errorf("second run queued %v", chats(got))
	}
}

func TestRemindersSkipDaysOff(t *testing.T) {
	f := newRecapFixture(t)
	ctx := context.Background()
	for _, day := range []int{21, 22, 25} { // Saturday, Sunday, Nyepi
		now := f.at(day, 7, 45)
		for name, fn := range map[string]func(context.Context, string, time.Time) (int, error){
			"checkin": f.rem.RemindCheckIn, "digest": f.rem.SupervisorDigest, "report": f.rem.RemindReport, "recap": f.rem.PostRecap,
		} {
			if n, err := fn(ctx, "DISKOMINFO", now); err != nil || n != 0 {
				t.Errorf("%s on 2020-03-%d: n=%d err=%v, want nothing", name, day, n, err)
			}
		}
	}
	if n, err := f.rem.RemindCheckIn(ctx, "NOSUCH", f.at(18, 7, 45)); err != nil || n != 0 {
		t.Errorf("unknown office: n=%d err=%v", n, err)
	}
}

func TestSupervisorDigestListsMissingSubordinates(t *testing.T) {
	f := newRecapFixture(t)
	f.morning(18)
	f.at(18, 7, 55)
	f.say(rKomang, "hadir kantor")
	f.drain()
	n, err := f.rem.SupervisorDigest(context.Background(), "DISKOMINFO", f.at(18, 8, 0))
	if err != nil {
		t.Fatal(err)
	}
	out := f.drain()
	if n != 2 || len(out) != 2 {
		t.Fatalf("queued %d: %v, want 2 digests", n, chats(out))
	}
	byChat := map[string]string{}
	for _, p := range out {
		byChat[p.ChatID] = p.Text
	}
	head, kabid := byChat[rHead], byChat[rKabid]
	if !strings.Contains(head, ": 1 orang") || !strings.Contains(head, "• Made Kabid (Bidang Aplikasi)") {
		t.Errorf("head's digest:\n%s", head)
	}
	if !strings.Contains(kabid, ": 1 orang") || !strings.Contains(kabid, "• Dewi (Bidang Statistik)") ||
		strings.Contains(kabid, "Sari") || strings.Contains(kabid, "Budi") {
		t.Errorf("kabid's digest:\n%s", kabid)
	}
}

func TestRemindReport(t *testing.T) {
	f := newRecapFixture(t)
	f.morning(18)
	f.at(18, 9, 0)
	f.say(rKomang, "hadir kantor")
	f.say(rKomang, "laporan mengarsipkan surat masuk")
	f.drain()
	n, err := f.rem.RemindReport(context.Background(), "DISKOMINFO", f.at(18, 15, 30))
	if err != nil {
		t.Fatal(err)
	}
	if got := chats(f.drain()); n != 1 || !slices.Equal(got, []string{"console:" + rSari}) {
		t.Errorf("reminded %v, want only Sari", got)
	}
}

func TestRecapCountsAndRoles(t *testing.T) {
	f := newRecapFixture(t)
	f.morning(18)
	f.at(18, 8, 20)
	f.say(rKomang, "hadir kantor")
	f.say(rSari, "laporan draf SPJ")
	f.drain()

	ctx := context.Background()
	office, _ := f.st.Offices(ctx)
	entries, err := f.st.OfficeDay(ctx, office[0].ID, civil.MustParse("2020-03-18"))
	if err != nil {
		t.Fatal(err)
	}
	v := bot.BuildRecap(entries, true)
	all := v.All
	checks := []struct {
		name string
		got  []string
		want []string
	}{
		{"wfh", all.WFH, []string{"Ni Made Sari"}},
		{"office", all.Office, []string{"Komang"}},
		{"late", all.Late, []string{"Komang"}},
		{"sick", all.Sick, []string{"Budi"}},
		{"leave", all.Leave, []string{"Wayan Head"}},
		{"missing", all.Missing, []string{"Dewi", "Made Kabid"}},
		{"noreport", all.NoReport, []string{"Komang"}},
	}
	for _, c := range checks {
		got := slices.Sorted(slices.Values(c.got))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
	if all.Total != 6 || all.Present() != 2 || len(all.Permit) != 0 || len(v.Groups) != 4 {
		t.Errorf("total %d present %d permit %d groups %d, want 6 2 0 4", all.Total, all.Present(), len(all.Permit), len(v.Groups))
	}

	f.say(rHead, "/rekap")
	head := f.drain()
	if len(head) != 1 || !strings.Contains(head[0].Text, "Rekap kehadiran DISKOMINFO (seluruh OPD)") ||
		!strings.Contains(head[0].Text, "❌ Belum absen: 2") || !strings.Contains(head[0].Text, "▸ Bidang Statistik") {
		t.Errorf("admin /rekap:\n%v", head)
	}
	// Names are listed by division only; the office total gives counts.
	if len(head) == 1 {
		total, _, _ := strings.Cut(head[0].Text, "▸")
		for _, name := range []string{"Budi", "Komang", "Dewi"} {
			if strings.Contains(total, name) {
				t.Errorf("admin /rekap names %s in the office total:\n%s", name, total)
			}
		}
	}
	f.say(rKabid, "/rekap")
	kabid := f.drain()
	if len(kabid) != 1 || !strings.Contains(kabid[0].Text, "Jumlah pegawai: 3") || !strings.Contains(kabid[0].Text, "🤒 Sakit: 1 — Budi") ||
		strings.Contains(kabid[0].Text, "Komang") {
		t.Errorf("supervisor /rekap:\n%v", kabid)
	}
	f.say(rSari, "/rekap")
	if sari := f.drain(); len(sari) != 1 || sari[0].Text != bot.TextsFor("id").NotAllowed {
		t.Errorf("staff /rekap: %v", sari)
	}
	// Another day: the next day nobody has checked in.
	f.at(19, 9, 0)
	f.say(rHead, "/rekap 2020-03-18")
	if got := f.drain(); len(got) != 1 || !strings.Contains(got[0].Text, "Rabu, 18 Maret 2020") || !strings.Contains(got[0].Text, "❌ Belum absen: 2") {
		t.Errorf("/rekap 2020-03-18:\n%v", got)
	}
	f.say(rHead, "/rekap besok lusa")
	if got := f.drain(); len(got) != 1 || got[0].Text != bot.TextsFor("id").Recap.Usage {
		t.Errorf("bad date: %v", got)
	}
}

func TestPostRecapToGroups(t *testing.T) {
	f := newRecapFixture(t)
	f.morning(18)
	ctx := context.Background()
	now := f.at(18, 9, 0)
	for range 2 {
		if _, err := f.rem.PostRecap(ctx, "DISKOMINFO", now); err != nil {
			t.Fatal(err)
		}
	}
	out := f.drain()
	if len(out) != 1 || out[0].ChatID != "grup:DISKOMINFO" || !out[0].Group {
		t.Errorf("group recap: %v", chats(out))
	}
}

// An office's own holiday (roster.holidays in config) is a day off for its
// reminders too, not only for its roster.
func TestRemindersFollowOfficeHolidays(t *testing.T) {
	f := newRecapFixture(t)
	galungan := holiday.Holiday{Date: civil.MustParse("2020-03-18"), Name: "Hari raya lokal", Kind: holiday.Local}
	f.svc = bot.New(bot.Options{
		Store: f.st, Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}},
		Policy: func(string) bot.OfficePolicy {
			return bot.OfficePolicy{Deadline: 8 * 60, Roster: bot.RosterPolicy{Calendar: holiday.NewCalendar(galungan)}}
		},
	})
	rem := bot.NewReminders(f.svc)
	n, err := rem.RemindCheckIn(context.Background(), "DISKOMINFO", time.Date(2020, 3, 18, 7, 45, 0, 0, wita))
	if err != nil || n != 0 {
		t.Fatalf("reminders on the office's holiday: %d queued, err %v; want none", n, err)
	}
	n, err = rem.RemindCheckIn(context.Background(), "DISKOMINFO", time.Date(2020, 3, 19, 7, 45, 0, 0, wita))
	if err != nil || n == 0 {
		t.Fatalf("reminders the next working day: %d queued, err %v; want some", n, err)
	}
}
