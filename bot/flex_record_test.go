package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// newFlexFixtureLang is newFixture in lang with DISKOMINFO in mode
// fleksibel under pol, on Thursday 5 March 2026, 09:00 WITA.
func newFlexFixtureLang(t *testing.T, lang string, pol bot.FlexPolicy) *fixture {
	t.Helper()
	f := newFixture(t, lang)
	pol.Enabled = true
	f.clock.Set(civil.MustParse("2026-03-05").At(9, 0, wita))
	f.svc = bot.New(bot.Options{
		Store: f.st, Texts: bot.TextsFor(lang), Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}},
		Policy: func(code string) bot.OfficePolicy {
			p := bot.OfficePolicy{Deadline: 8 * 60}
			if code == "DISKOMINFO" {
				p.Flex = pol
			}
			return p
		},
	})
	return f
}

// requestState files Sari's WFA request No. 1 for Tuesday 10 March 2026
// and brings it to state ("" files nothing), then moves the clock to that
// day at 07:50.
func requestState(t *testing.T, f *fixture, state string) {
	t.Helper()
	if state != "" {
		f.say(nipSari, "/wfa 2026-03-10 urusan keluarga; menyusun 2 laporan SPJ")
	}
	switch state {
	case store.FlexApproved:
		f.say(nipKabid, "/setujui 1")
	case store.FlexDeclined:
		f.say(nipKabid, "/tolak 1 ada rapat koordinasi")
	case store.FlexCancelled:
		f.say(nipSari, "/batal wfa 1")
	case store.FlexLapsed:
		if err := f.svc.FlexTick(context.Background(), civil.MustParse("2026-03-10").At(0, 5, wita)); err != nil {
			t.Fatal(err)
		}
	}
	if state != "" {
		if got := f.count(`SELECT count(*) FROM flex_requests WHERE id = 1 AND state = '` + state + `'`); got != 1 {
			t.Fatalf("request 1 is not %s", state)
		}
	}
	f.clock.Set(civil.MustParse("2026-03-10").At(7, 50, wita))
}

// A check-in in mode fleksibel records the place the person stated; away
// without an approved request it is flagged and the person told why.
func TestFlexCheckInRecordsStatedPlace(t *testing.T) {
	const sup = "I Made Agus Wiryawan"
	tests := []struct {
		name, lang, state, text string
		place, kind             string
		unapproved              bool
		want, not               []string
	}{
		{"no request, wfh", "id", "", "hadir wfh, sehat, menyusun SPJ", "wfh", "wfh", true,
			[]string{"Tempat: WFH", "Belum ada pengajuan WFA/WFH yang disetujui untuk hari ini.", "sesuai yang Anda tulis (WFH)",
				"\"tanpa persetujuan\"", "hari ini adalah hari kerja di kantor", "Atasan Anda (" + sup + ") akan melihat catatan ini"},
			[]string{"Pengajuan No."}},
		{"no request, no place", "id", "", "hadir, sehat", "kantor", "", false, nil, []string{"tanpa persetujuan", "Belum ada pengajuan"}},
		{"no request, office", "id", "", "hadir kantor", "kantor", "", false, nil, []string{"tanpa persetujuan"}},
		{"no request, rumah sakit is a plan", "id", "", "hadir, rapat di rumah sakit umum", "kantor", "", false, nil, []string{"tanpa persetujuan"}},
		{"no request, wfa word", "id", "", "wfa, sehat", "wfh", "wfa", true, []string{"sesuai yang Anda tulis (WFA)"}, nil},
		{"no request, another place", "id", "", "hadir dari lokasi lain, sehat", "wfh", "wfa", true, []string{"(WFA)"}, nil},
		{"no request, from home", "id", "", "hadir dari rumah, menyusun SPJ", "wfh", "wfh", true, []string{"(WFH)"}, nil},
		{"no request, travel", "id", "", "hadir dinas luar, rapat di Jakarta", "dinas", "", false, nil, []string{"tanpa persetujuan"}},
		{"no request, sick", "id", "", "sakit demam", "", "", false, nil, []string{"tanpa persetujuan"}},
		{"pending", "id", store.FlexPending, "hadir wfh", "wfh", "wfh", true,
			[]string{"Pengajuan No. 1 masih menunggu keputusan.", "tanpa persetujuan"}, nil},
		{"declined", "id", store.FlexDeclined, "hadir wfh", "wfh", "wfh", true,
			[]string{"Pengajuan No. 1 untuk hari ini ditolak.", "tanpa persetujuan"}, nil},
		{"lapsed", "id", store.FlexLapsed, "Hadir WFH", "wfh", "wfh", true,
			[]string{"Pengajuan No. 1 gugur karena belum diputuskan sebelum harinya.", "tanpa persetujuan"}, nil},
		{"cancelled", "id", store.FlexCancelled, "hadir wfh", "wfh", "wfh", true, []string{"tanpa persetujuan"}, []string{"Pengajuan No."}},
		{"declined, no place", "id", store.FlexDeclined, "hadir", "kantor", "", false, nil, []string{"tanpa persetujuan"}},
		{"approved", "id", store.FlexApproved, "hadir wfh", "wfh", "wfa", false,
			[]string{"Hari kerja fleksibel (WFA (bekerja dari lokasi lain) No. 1, disetujui)"}, []string{"tanpa persetujuan"}},
		{"approved, no place", "id", store.FlexApproved, "hadir", "wfh", "wfa", false, []string{"disetujui"}, []string{"tanpa persetujuan"}},
		{"approved, at the office", "id", store.FlexApproved, "hadir kantor", "kantor", "", false, nil, []string{"tanpa persetujuan"}},
		{"en, no request", "en", "", "hadir wfh", "wfh", "wfh", true,
			[]string{"There is no approved WFA/WFH request for today.", "recorded as you wrote it (WFH)", "\"without approval\"",
				"today is a working day at the office", "Your supervisor (" + sup + ") will see this record"}, []string{"Request No."}},
		{"en, declined", "en", store.FlexDeclined, "hadir wfa", "wfh", "wfa", true,
			[]string{"Request No. 1 for today was declined.", "(WFA)"}, nil},
		{"en, pending", "en", store.FlexPending, "hadir wfh", "wfh", "wfh", true, []string{"Request No. 1 is still waiting for a decision."}, nil},
		{"en, no place", "en", "", "hadir", "kantor", "", false, nil, []string{"without approval"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlexFixtureLang(t, tt.lang, bot.FlexPolicy{})
			requestState(t, f, tt.state)
			reply := onlyReply(t, f.say(nipSari, tt.text), nipSari)
			a, ok := f.attendance(nipSari, "2026-03-10")
			if !ok {
				t.Fatalf("nothing recorded; reply:\n%s", reply)
			}
			if a.Place != tt.place || a.FlexKind != tt.kind || a.Unapproved != tt.unapproved {
				t.Errorf("recorded place %q kind %q unapproved %v, want %q %q %v", a.Place, a.FlexKind, a.Unapproved, tt.place, tt.kind, tt.unapproved)
			}
			contains(t, reply, tt.want...)
			for _, n := range tt.not {
				if strings.Contains(reply, n) {
					t.Errorf("reply has %q:\n%s", n, reply)
				}
			}
		})
	}
}

// A later check-in replaces the flag with what it states; every version
// is in the history; an office in mode piket never flags.
func TestFlexUnapprovedFlagFollowsTheRecord(t *testing.T) {
	f := newFlexFixtureLang(t, "id", bot.FlexPolicy{})
	requestState(t, f, "")
	f.say(nipSari, "hadir wfh")
	f.say(nipSari, "hadir kantor")
	if a, _ := f.attendance(nipSari, "2026-03-10"); a.Place != store.PlaceOffice || a.Unapproved || a.FlexKind != "" {
		t.Errorf("after hadir kantor: %+v", a)
	}
	hist, err := f.st.AttendanceHistory(context.Background(), f.staffID(nipSari), civil.MustParse("2026-03-10"))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || !hist[0].Unapproved || hist[0].FlexKind != "wfh" || hist[1].Unapproved {
		t.Errorf("history %+v, want the flagged version then the office", hist)
	}
	// A day off needs no approval: as written, not flagged.
	f.clock.Set(civil.MustParse("2026-03-14").At(9, 0, wita)) // Saturday
	f.say(nipSari, "hadir wfh")
	if a, _ := f.attendance(nipSari, "2026-03-14"); a.Place != store.PlaceHome || a.Unapproved || a.FlexKind != "" {
		t.Errorf("Saturday record %+v, want plain wfh", a)
	}
	// BKPSDM is in mode piket: wfh is the rule there, nothing is flagged.
	f.say(nipTangse, "hadir wfh")
	if a, _ := f.attendance(nipTangse, "2026-03-14"); a.Place != store.PlaceHome || a.Unapproved || a.FlexKind != "" {
		t.Errorf("mode piket record %+v, want plain wfh", a)
	}
}

// A check-in in the group: the group's reply confirms it without the
// flag, which goes to the person's private chat; /status in the group
// does not show it either.
func TestFlexUnapprovedCheckInInAGroup(t *testing.T) {
	f := newFlexFixtureLang(t, "id", bot.FlexPolicy{})
	requestState(t, f, store.FlexDeclined)
	group := func(id, text string) []store.Pending {
		return f.deliver(bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: nipSari, ChatID: "grup:DISKOMINFO",
			Text: text, Group: true, Addressed: true, Time: f.clock.Now()})
	}
	out := group("g1", "hadir wfh, sehat")
	if a, _ := f.attendance(nipSari, "2026-03-10"); !a.Unapproved {
		t.Errorf("a group check-in was not flagged: %+v", a)
	}
	g, private := textsTo(out, "grup:DISKOMINFO"), textsTo(out, nipSari)
	if !strings.Contains(g, "Kehadiran Ni Made Sari tercatat") || strings.Contains(g, "persetujuan") || strings.Contains(g, "No. 1") {
		t.Errorf("group reply:\n%s", g)
	}
	contains(t, private, "Belum ada pengajuan WFA/WFH yang disetujui untuk hari ini. Pengajuan No. 1 untuk hari ini ditolak.", "tanpa persetujuan")
	if strings.HasPrefix(private, "\n") {
		t.Errorf("private note starts with a blank line: %q", private)
	}
	if g := textsTo(group("g2", "/status"), "grup:DISKOMINFO"); g == "" || strings.Contains(g, "persetujuan") {
		t.Errorf("group /status:\n%s", g)
	}
}

func (f *fixture) staffID(nip string) int64 {
	f.t.Helper()
	people, err := f.st.FindStaff(context.Background(), nip)
	if err != nil || len(people) != 1 {
		f.t.Fatalf("find %s: %v", nip, err)
	}
	return people[0].ID
}

// The supervisor sees a day away without approval in their private
// digest and /rekap, the person in /status; no group ever does.
func TestFlexUnapprovedSeenBySupervisorOnly(t *testing.T) {
	for _, tt := range []struct {
		lang                               string
		digest, recap, status, groupAbsent string
	}{
		{"id", "Ni Made Sari (Bidang Statistik) — WFH tanpa persetujuan", "WFH/WFA tanpa persetujuan: 1 — Ni Made Sari",
			"WFH tanpa persetujuan: tidak ada pengajuan", "tanpa persetujuan"},
		{"en", "Ni Made Sari (Bidang Statistik) — WFH without approval", "WFH/WFA without approval: 1 — Ni Made Sari",
			"WFH without approval: there is no approved", "without approval"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			f := newFlexFixtureLang(t, tt.lang, bot.FlexPolicy{})
			requestState(t, f, store.FlexDeclined)
			f.say(nipSari, "hadir wfh, sehat")
			ctx := context.Background()
			rem := bot.NewReminders(f.svc)
			before := len(f.pending())
			if _, err := rem.SupervisorDigest(ctx, "DISKOMINFO", civil.MustParse("2026-03-10").At(8, 0, wita)); err != nil {
				t.Fatal(err)
			}
			out := f.pending()[before:]
			if got := textsTo(out, nipKabid); !strings.Contains(got, tt.digest) {
				t.Errorf("the supervisor's digest lacks %q:\n%s", tt.digest, texts(out))
			}
			if got := textsTo(out, nipHead); strings.Contains(got, "Ni Made Sari") {
				t.Errorf("the head (not Sari's direct supervisor) got her in the digest:\n%s", got)
			}
			contains(t, onlyReply(t, f.say(nipKabid, "/rekap"), nipKabid), tt.recap)
			contains(t, onlyReply(t, f.say(nipSari, "/status"), nipSari), tt.status)
			// The group: /rekap asked there, and the posted recap.
			before = len(f.pending())
			f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g-" + tt.lang, SenderID: nipHead, ChatID: "grup:DISKOMINFO",
				Text: "/rekap", Group: true, Addressed: true, Time: f.clock.Now()})
			if _, err := rem.PostRecap(ctx, "DISKOMINFO", f.clock.Now()); err != nil {
				t.Fatal(err)
			}
			for _, p := range f.pending()[before:] {
				if p.Group && strings.Contains(p.Text, tt.groupAbsent) {
					t.Errorf("a group sees the flag:\n%s", p.Text)
				}
				if !p.Group && p.ChatID == nipHead && !strings.Contains(p.Text, tt.recap) {
					t.Errorf("the admin's private recap lacks %q:\n%s", tt.recap, p.Text)
				}
			}
		})
	}
}

// /batal wfa N: the requester cancels their own pending or approved
// request before its day; /batal N stays an absence.
func TestFlexCancel(t *testing.T) {
	type step struct{ who, text string }
	tests := []struct {
		name, lang string
		setup      []step
		who, text  string
		want       []string
		state      string // request 1 afterwards
		toKabid    string // what the supervisor gets, "" nothing
	}{
		{"pending", "id", nil, nipSari, "/batal wfa 1",
			[]string{"🗑️ Pengajuan WFA (bekerja dari lokasi lain) No. 1 (Selasa, 10 Maret 2026) dibatalkan.", "kuota dan batas mingguannya dapat dipakai lagi"},
			store.FlexCancelled, ""},
		{"approved", "id", []step{{nipKabid, "/setujui 1"}}, nipSari, "/batal wfh 1",
			[]string{"dibatalkan", "Atasan yang menyetujuinya sudah diberi tahu."}, store.FlexCancelled,
			"🗑️ Ni Made Sari membatalkan pengajuan WFA (bekerja dari lokasi lain) No. 1 (Selasa, 10 Maret 2026) yang sudah disetujui."},
		{"the only open one", "id", nil, nipSari, "/batal wfa", []string{"No. 1", "dibatalkan"}, store.FlexCancelled, ""},
		{"which one", "id", []step{{nipSari, "/wfh 2026-03-12 anak sakit; memverifikasi 30 berkas"}}, nipSari, "/batal pengajuan",
			[]string{"Pengajuan mana yang dibatalkan?", "/batal wfa 1 — WFA", "/batal wfa 2 — WFH"}, store.FlexPending, ""},
		{"none", "id", []step{{nipSari, "/batal wfa 1"}}, nipSari, "/batal wfa", []string{"tidak punya pengajuan WFA/WFH yang dapat dibatalkan"}, store.FlexCancelled, ""},
		{"not theirs", "id", nil, nipKabid, "/batal wfa 1", []string{"bukan pengajuan Anda"}, store.FlexPending, ""},
		{"declined", "id", []step{{nipKabid, "/tolak 1 rapat"}}, nipSari, "/batal wfa 1", []string{"sudah ditolak", "tidak dapat dibatalkan"}, store.FlexDeclined, ""},
		{"unknown", "id", nil, nipSari, "/batal wfa 7", []string{"Pengajuan No. 7 tidak ada."}, store.FlexPending, ""},
		{"not a lone number", "id", nil, nipSari, "/batal wfa 10 Maret", []string{"/batal wfa N", "/batal N tanpa \"wfa\""}, store.FlexPending, ""},
		{"a number alone is an absence", "id", nil, nipSari, "/batal 1", []string{"Absen No. 1"}, store.FlexPending, ""},
		{"en approved", "en", []step{{nipKabid, "/setujui 1"}}, nipSari, "/batal wfa 1",
			[]string{"🗑️ WFA (work from another place) request No. 1 (Tuesday, 10 March 2026) cancelled.", "The supervisor who approved it has been told."},
			store.FlexCancelled, "🗑️ Ni Made Sari cancelled the approved WFA (work from another place) request No. 1"},
		{"en not theirs", "en", nil, nipHead, "/batal wfa 1", []string{"is not yours"}, store.FlexPending, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlexFixtureLang(t, tt.lang, bot.FlexPolicy{})
			f.say(nipSari, "/wfa 2026-03-10 urusan keluarga; menyusun 2 laporan SPJ")
			for _, s := range tt.setup {
				f.say(s.who, s.text)
			}
			out := f.say(tt.who, tt.text)
			var reply, kabid string
			for _, p := range out {
				switch p.ChatID {
				case tt.who:
					reply += p.Text
				case nipKabid:
					kabid += p.Text
				}
			}
			contains(t, reply, tt.want...)
			if got := f.count(`SELECT count(*) FROM flex_requests WHERE id = 1 AND state = '` + tt.state + `'`); got != 1 {
				t.Errorf("request 1 is not %s", tt.state)
			}
			if tt.toKabid == "" && kabid != "" && tt.who != nipKabid {
				t.Errorf("the supervisor was told: %s", kabid)
			}
			if tt.toKabid != "" && !strings.Contains(kabid, tt.toKabid) {
				t.Errorf("the supervisor got %q, want %q", kabid, tt.toKabid)
			}
		})
	}
}

// A request can no longer be cancelled once its day began, and not in a group.
func TestFlexCancelStartedAndGroup(t *testing.T) {
	f := newFlexFixtureLang(t, "id", bot.FlexPolicy{})
	f.say(nipSari, "/wfa 2026-03-10 urusan keluarga; menyusun 2 laporan SPJ")
	f.say(nipKabid, "/setujui 1")
	out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g1", SenderID: nipSari, ChatID: "grup:DISKOMINFO",
		Text: "/batal wfa 1", Group: true, Addressed: true, Time: f.clock.Now()})
	contains(t, onlyReply(t, out, "grup:DISKOMINFO"), "obrolan pribadi")
	f.clock.Set(civil.MustParse("2026-03-10").At(7, 0, wita))
	contains(t, onlyReply(t, f.say(nipSari, "/batal wfa 1"), nipSari), "tidak dapat dibatalkan lagi: harinya (Selasa, 10 Maret 2026) sudah dimulai")
	if f.count(`SELECT count(*) FROM flex_requests WHERE id = 1 AND state = 'approved'`) != 1 {
		t.Error("a started request was cancelled")
	}
}

// A cancelled request frees its place: the weekly cap and the office's
// quota count only pending and approved requests.
func TestFlexCancelFreesCapAndQuota(t *testing.T) {
	f := newFlexFixtureLang(t, "id", bot.FlexPolicy{WeeklyCap: 1, MaxAway: bot.Quota{Count: 1}})
	contains(t, textsTo(f.say(nipSari, "/wfa 2026-03-10 urusan keluarga; menyusun laporan"), nipSari), "No. 1")
	f.say(nipKabid, "/setujui 1")
	// The cap: one day a week.
	contains(t, textsTo(f.say(nipSari, "/wfa 2026-03-11 urusan bank; menyusun laporan"), nipSari), "paling banyak 1 hari kerja per minggu")
	// The quota: one person a day.
	contains(t, textsTo(f.say(nipKabid, "/wfa 2026-03-10 rapat di provinsi; notulen"), nipKabid), "kuota kerja fleksibel OPD")
	f.say(nipSari, "/batal wfa 1")
	contains(t, textsTo(f.say(nipSari, "/wfa 2026-03-11 urusan bank; menyusun laporan"), nipSari), "📝 Pengajuan WFA (bekerja dari lokasi lain) No. 2")
	contains(t, textsTo(f.say(nipKabid, "/wfa 2026-03-10 rapat di provinsi; notulen"), nipKabid), "📝 Pengajuan WFA (bekerja dari lokasi lain) No. 3")
}

// textsTo joins the messages queued to chat.
func textsTo(out []store.Pending, chat string) string {
	var b strings.Builder
	for _, p := range out {
		if p.ChatID == chat {
			b.WriteString(p.Text + "\n")
		}
	}
	return b.String()
}
