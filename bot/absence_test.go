package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/roster"
	"github.com/piket-id/piket/store"
)

// wantDays checks which days from 2020-03-16 to 2020-03-31 hold a record
// for nip, and returns the records by day.
func (f *fixture) wantDays(nip string, want ...string) map[string]store.Attendance {
	f.t.Helper()
	got := map[string]store.Attendance{}
	var days []string
	for d := civil.MustParse("2020-03-16"); !d.After(civil.MustParse("2020-03-31")); d = d.AddDays(1) {
		if a, ok := f.attendance(nip, d.String()); ok {
			got[d.String()] = a
			days = append(days, d.String())
		}
	}
	if strings.Join(days, " ") != strings.Join(want, " ") {
		f.t.Errorf("records on %v, want %v", days, want)
	}
	return got
}

func contains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("reply %q lacks %q", text, w)
		}
	}
}

func TestAbsenceWithDatesRecordsEachWorkingDay(t *testing.T) {
	// Today is Wednesday 18 March 2020, 07.30 WITA; Nyepi is on the 25th.
	tests := []struct {
		text                        string
		days                        []string
		status, place, health, plan string
		reply                       []string
	}{
		{"/cuti 20-24 Maret liburan keluarga", []string{"2020-03-20", "2020-03-23", "2020-03-24"}, "cuti", "", "", "liburan keluarga",
			[]string{"cuti No. 1, 3 hari kerja", "Jumat, 20 Maret 2020", "Sabtu, 21 Maret 2020 (akhir pekan)", "/batal 1"}},
		{"/cuti 2020-03-20 s.d. 2020-03-24", []string{"2020-03-20", "2020-03-23", "2020-03-24"}, "cuti", "", "", "", []string{"3 hari kerja"}},
		{"/izin besok ada acara keluarga", []string{"2020-03-19"}, "izin", "", "", "ada acara keluarga", []string{"izin No. 1", "Kamis, 19 Maret 2020"}},
		{"izin ada acara keluarga besok", []string{"2020-03-19"}, "izin", "", "", "ada acara keluarga", nil},
		{"/sakit 3 hari demam", []string{"2020-03-18", "2020-03-19", "2020-03-20"}, "sakit", "", "demam", "", []string{"sakit No. 1"}},
		{"/dinas luar 26/3 ke Jakarta", []string{"2020-03-26"}, "hadir", "dinas", "", "ke Jakarta", []string{"dinas luar No. 1", "Kamis, 26 Maret 2020"}},
		{"/izin 24-26 Maret", []string{"2020-03-24", "2020-03-26"}, "izin", "", "", "", []string{"Hari Suci Nyepi"}},
		{"dinas luar kota ke Jakarta 2 hari", []string{"2020-03-18", "2020-03-19"}, "hadir", "dinas", "", "ke Jakarta", nil},
		{"cuti hari senin", []string{"2020-03-23"}, "cuti", "", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			f := newFixture(t, "id")
			text := onlyReply(t, f.say(nipSari, tt.text), nipSari)
			contains(t, text, tt.reply...)
			got := f.wantDays(nipSari, tt.days...)
			for day, a := range got {
				if a.Status != tt.status || a.Place != tt.place || a.Health != tt.health || a.Plan != tt.plan || a.Late {
					t.Errorf("%s: %+v, want %s/%s/%q/%q", day, a, tt.status, tt.place, tt.health, tt.plan)
				}
			}
		})
	}
}

func TestAbsenceBadInputRecordsNothing(t *testing.T) {
	f := newFixture(t, "id")
	for _, tt := range []struct{ text, want string }{
		{"/cuti 31 Februari", "tanggalnya tidak saya pahami"},
		{"/cuti 20-24", "tanggalnya tidak saya pahami"},
		{"/cuti 16 Maret", "Senin, 16 Maret 2020 sudah lewat"},
		{"/cuti sabtu", "Tidak ada hari kerja"},
		{"/cuti 1 Maret - 30 Juni", "paling lama"},
	} {
		contains(t, onlyReply(t, f.say(nipSari, tt.text), nipSari), tt.want, "Tidak ada yang dicatat")
	}
	f.wantDays(nipSari)
	// A group is not the place for them.
	out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g1", SenderID: nipSari, ChatID: "grup:DISKOMINFO",
		Text: "/sakit besok", Group: true, Addressed: true})
	contains(t, onlyReply(t, out, "grup:DISKOMINFO"), "obrolan pribadi")
	f.wantDays(nipSari)

	onlyReply(t, f.say(nipSari, "/cuti 20-24 Maret"), nipSari)
	out = f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g2", SenderID: nipSari, ChatID: "grup:DISKOMINFO",
		Text: "/batal 1", Group: true, Addressed: true})
	contains(t, onlyReply(t, out, "grup:DISKOMINFO"), "obrolan pribadi")
	out = f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g3", SenderID: nipSari, ChatID: "grup:DISKOMINFO",
		Text: "/status", Group: true, Addressed: true})
	if text := onlyReply(t, out, "grup:DISKOMINFO"); strings.Contains(text, "terjadwal") {
		t.Errorf("absences shown in a group: %q", text)
	}
	contains(t, onlyReply(t, f.say(nipSari, "/izin 23/3"), nipSari), "Senin, 23 Maret 2020 sudah tercatat cuti No. 1", "/batal 1")
	a := f.wantDays(nipSari, "2020-03-20", "2020-03-23", "2020-03-24")
	if a["2020-03-23"].Status != "cuti" {
		t.Errorf("23 March: %+v, want cuti", a["2020-03-23"])
	}
}

func TestCancelAbsence(t *testing.T) {
	f := newFixture(t, "id")
	onlyReply(t, f.say(nipSari, "/cuti 20-24 Maret"), nipSari)
	onlyReply(t, f.say(nipSari, "/izin 30/3 urusan bank"), nipSari)

	// Only the person or an admin of their office may cancel.
	contains(t, onlyReply(t, f.say(nipKabid, "/batal 1"), nipKabid), "tidak berwenang")
	contains(t, onlyReply(t, f.say(nipTangse, "/batal 1"), nipTangse), "tidak berwenang")
	contains(t, onlyReply(t, f.say(nipSari, "/batal 9"), nipSari), "No. 9 tidak ditemukan")
	// Two in force: which one?
	contains(t, onlyReply(t, f.say(nipSari, "/batal"), nipSari), "/batal 1 — cuti", "/batal 2 — izin")

	// On Monday the 23rd, Friday stays; Monday and Tuesday go.
	f.clock.Set(time.Date(2020, 3, 23, 9, 0, 0, 0, wita))
	text := onlyReply(t, f.say(nipSari, "batal cuti 1"), nipSari)
	contains(t, text, "Cuti No. 1 dibatalkan", "Senin, 23 Maret 2020; Selasa, 24 Maret 2020", "sudah lewat tetap tercatat")
	f.wantDays(nipSari, "2020-03-20", "2020-03-30")
	contains(t, onlyReply(t, f.say(nipSari, "/batal 1"), nipSari), "sudah dibatalkan")

	// One left: /batal alone cancels it; an admin may, and the person is told.
	out := f.say(nipHead, "/batal 2")
	if len(out) != 2 {
		t.Fatalf("admin cancel: %d messages, want 2: %+v", len(out), out)
	}
	for _, m := range out {
		switch m.ChatID {
		case nipHead:
			contains(t, m.Text, "Izin No. 2 dibatalkan")
		case nipSari:
			contains(t, m.Text, "dibatalkan oleh I Wayan Sudarsana")
		default:
			t.Errorf("message to %s: %q", m.ChatID, m.Text)
		}
	}
	f.wantDays(nipSari, "2020-03-20")
	contains(t, onlyReply(t, f.say(nipSari, "/batal"), nipSari), "Tidak ada absen terjadwal")
}

func TestCancelAbsenceWithoutNumber(t *testing.T) {
	f := newFixture(t, "id")
	onlyReply(t, f.say(nipSari, "/izin besok"), nipSari)
	contains(t, onlyReply(t, f.say(nipSari, "batalkan izin besok"), nipSari), "Izin No. 1 dibatalkan")
	f.wantDays(nipSari)
	// A past absence cannot be cancelled.
	onlyReply(t, f.say(nipSari, "/sakit hari ini"), nipSari)
	f.clock.Set(time.Date(2020, 3, 19, 9, 0, 0, 0, wita))
	contains(t, onlyReply(t, f.say(nipSari, "/batal 2"), nipSari), "sudah lewat seluruhnya")
	f.wantDays(nipSari, "2020-03-18")
}

func TestCheckInOnAbsenceDayAsksFirst(t *testing.T) {
	f := newFixture(t, "id")
	onlyReply(t, f.say(nipSari, "/cuti hari ini s.d. 20 Maret"), nipSari)
	// In a group, the kind of absence is not said and nothing changes.
	out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g1", SenderID: nipSari, ChatID: "grup:DISKOMINFO",
		Text: "/hadir", Group: true, Addressed: true})
	if text := onlyReply(t, out, "grup:DISKOMINFO"); strings.Contains(text, "cuti") || !strings.Contains(text, "obrolan pribadi") {
		t.Errorf("group reply %q", text)
	}
	contains(t, onlyReply(t, f.say(nipSari, "/hadir wfh"), nipSari), "Anda tercatat cuti hari ini (No. 1)", "Kirim /hadir lagi", "/batal 1")
	if a := f.wantDays(nipSari, "2020-03-18", "2020-03-19", "2020-03-20")["2020-03-18"]; a.Status != "cuti" {
		t.Fatalf("after the question: %+v, want cuti kept", a)
	}
	// The same kind again only updates the note.
	contains(t, onlyReply(t, f.say(nipSari, "/cuti menjaga anak"), nipSari), "cuti")
	// Too late a second send: asked again.
	f.clock.Advance(40 * time.Minute)
	contains(t, onlyReply(t, f.say(nipSari, "hadir"), nipSari), "Kirim /hadir lagi")
	f.clock.Advance(5 * time.Minute)
	text := onlyReply(t, f.say(nipSari, "hadir"), nipSari)
	if strings.Contains(text, "lagi") {
		t.Errorf("second send asked again: %q", text)
	}
	got := f.wantDays(nipSari, "2020-03-18", "2020-03-19", "2020-03-20")
	if a := got["2020-03-18"]; a.Status != "hadir" {
		t.Errorf("today: %+v, want hadir", a)
	}
	if a := got["2020-03-19"]; a.Status != "cuti" {
		t.Errorf("tomorrow: %+v, want cuti kept", a)
	}
	// Today is no longer the absence's: a cancel leaves today's check-in.
	onlyReply(t, f.say(nipSari, "/batal 1"), nipSari)
	if a := f.wantDays(nipSari, "2020-03-18")["2020-03-18"]; a.Status != "hadir" {
		t.Errorf("after cancel: %+v, want hadir", a)
	}
}

func TestStatusAndPiketShowUpcomingAbsences(t *testing.T) {
	f := newFixture(t, "id")
	onlyReply(t, f.say(nipSari, "/cuti 20-24 Maret"), nipSari)
	for _, cmd := range []string{"/status", "/piket"} {
		contains(t, onlyReply(t, f.say(nipSari, cmd), nipSari), "Absen terjadwal", "No. 1 cuti, Jumat, 20 Maret 2020 – Selasa, 24 Maret 2020 (3 hari kerja)")
	}
	if text := onlyReply(t, f.say(nipKabid, "/status"), nipKabid); strings.Contains(text, "terjadwal") {
		t.Errorf("someone else's status shows the absence: %q", text)
	}
}

func TestAbsenceLeavesRosterDraftAndReminders(t *testing.T) {
	f := newFixture(t, "id")
	ctx := context.Background()
	// Everyone rotating is on duty every day, unless absent.
	svc := bot.New(bot.Options{
		Store: f.st, Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}},
		Policy: func(string) bot.OfficePolicy {
			return bot.OfficePolicy{Deadline: 8 * 60, Roster: bot.RosterPolicy{Policy: roster.Policy{PerDay: 5}}}
		},
	})
	f.svc = svc
	onDuty := func(day string) bool {
		t.Helper()
		texts, err := svc.ShowRoster(ctx, "DISKOMINFO", civil.MustParse(day), civil.MustParse(day))
		if err != nil || len(texts) != 1 {
			t.Fatalf("ShowRoster %s: %v, %d texts", day, err, len(texts))
		}
		return strings.Contains(texts[0], "Ni Made Sari")
	}
	if !onDuty("2020-03-20") || !onDuty("2020-03-23") {
		t.Fatal("Sari not on the drafts before her absence")
	}
	onlyReply(t, f.say(nipSari, "/cuti 20-23 Maret"), nipSari)
	if onDuty("2020-03-20") || onDuty("2020-03-23") {
		t.Error("the drafts still list Sari on her leave")
	}
	if !onDuty("2020-03-19") || !onDuty("2020-03-24") {
		t.Error("Sari left out on days she works")
	}
	// A cancel puts her back on the drafts.
	f.clock.Set(time.Date(2020, 3, 19, 7, 30, 0, 0, wita))
	onlyReply(t, f.say(nipSari, "/batal 1"), nipSari)
	if !onDuty("2020-03-23") {
		t.Error("the draft leaves Sari out after her cancel")
	}

	// Reminders skip the absent; the supervisor's digest tells of a new
	// absence once.
	onlyReply(t, f.say(nipSari, "/izin 20/3 acara adat"), nipSari)
	rem := bot.NewReminders(svc)
	fri := time.Date(2020, 3, 20, 9, 0, 0, 0, wita)
	before := len(f.pending())
	if _, err := rem.RemindCheckIn(ctx, "DISKOMINFO", fri); err != nil {
		t.Fatal(err)
	}
	for _, m := range f.pending()[before:] {
		if m.ChatID == nipSari {
			t.Errorf("Sari reminded on her absence: %q", m.Text)
		}
	}
	digest := func(at time.Time) string {
		t.Helper()
		before := len(f.pending())
		if _, err := rem.SupervisorDigest(ctx, "DISKOMINFO", at); err != nil {
			t.Fatal(err)
		}
		for _, m := range f.pending()[before:] {
			if m.ChatID == nipKabid {
				return m.Text
			}
		}
		return ""
	}
	text := digest(time.Date(2020, 3, 19, 9, 0, 0, 0, wita))
	contains(t, text, "Absen baru bawahan Anda", "Ni Made Sari (Bidang Statistik): izin No. 2, Jumat, 20 Maret 2020 (1 hari kerja) — acara adat")
	if strings.Contains(text, "No. 1") {
		t.Errorf("digest tells of a cancelled absence: %q", text)
	}
	if text := digest(fri); strings.Contains(text, "Absen baru") {
		t.Errorf("second digest tells of the absence again: %q", text)
	}

	// A published list stays: the reply says to find a replacement.
	if err := svc.PostRoster(ctx, "DISKOMINFO", civil.MustParse("2020-03-24")); err != nil {
		t.Fatal(err)
	}
	contains(t, onlyReply(t, f.say(nipSari, "/izin 24/3"), nipSari), "terjadwal piket pada Selasa, 24 Maret 2020 (sudah diumumkan)", "/tukar")
}

func TestAbsenceInEnglish(t *testing.T) {
	f := newFixture(t, "en")
	contains(t, onlyReply(t, f.say(nipSari, "/cuti March 19 to March 23"), nipSari),
		"Recorded on leave No. 1, 3 working days", "Saturday, 21 March 2020 (weekend)", "To cancel: /batal 1")
	onlyReply(t, f.say(nipSari, "/sakit hari ini"), nipSari)
	contains(t, onlyReply(t, f.say(nipSari, "check in wfh"), nipSari), "recorded as sick today (No. 2)", "Send /hadir again")
	contains(t, onlyReply(t, f.say(nipSari, "/batal 1"), nipSari), "On leave No. 1 cancelled", "Thursday, 19 March 2020")
}
