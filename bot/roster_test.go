package bot_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

const (
	nipKadek = "199505052019022001" // Ni Kadek Ayu, pelaksana DISKOMINFO
	nipPutu  = "199606062020121002" // I Putu Gede, pelaksana DISKOMINFO
)

// rosterFixture is the check-in fixture with two more pelaksana in
// DISKOMINFO, on Wednesday 18 March 2020, 16:00 WITA.
func rosterFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, "id")
	_, err := f.st.ImportStaff(context.Background(), []store.StaffInput{
		{NIP: nipKadek, Name: "Ni Kadek Ayu", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: nipKabid},
		{NIP: nipPutu, Name: "I Putu Gede", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: nipKabid},
	}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2020, 3, 18, 16, 0, 0, 0, wita))
	return f
}

// onDuty returns the NIPs on duty at DISKOMINFO on day (sorted).
func (f *fixture) onDuty(day string) []string {
	f.t.Helper()
	ctx := context.Background()
	offices, err := f.st.Offices(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	var id int64
	for _, o := range offices {
		if o.Code == "DISKOMINFO" {
			id = o.ID
		}
	}
	days, err := f.st.RosterDays(ctx, id, civil.MustParse(day), civil.MustParse(day))
	if err != nil || len(days) != 1 {
		f.t.Fatalf("roster of %s: %v (%d days)", day, err, len(days))
	}
	var nips []string
	for _, d := range days[0].Duty {
		st, err := f.st.StaffByID(ctx, d.StaffID)
		if err != nil {
			f.t.Fatal(err)
		}
		nips = append(nips, st.NIP)
	}
	slices.Sort(nips)
	return nips
}

func TestPiketShowsMyDutyDays(t *testing.T) {
	f := rosterFixture(t)
	got := onlyReply(t, f.say(nipKabid, "/piket"), nipKabid)
	// The only official is on duty every working day; Nyepi (25 March) is skipped.
	for _, want := range []string{"Jadwal piket I Made Agus Wiryawan:", "Kamis, 19 Maret 2020", "Jumat, 20 Maret 2020", "Senin, 23 Maret 2020", "Kamis, 26 Maret 2020"} {
		if !strings.Contains(got, want) {
			t.Errorf("/piket reply lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "25 Maret") {
		t.Errorf("/piket lists Nyepi:\n%s", got)
	}
	// Today was never posted, so it is no duty day; once posted, it is.
	if strings.Contains(got, "Rabu, 18 Maret 2020") {
		t.Errorf("/piket lists today's never-posted draft:\n%s", got)
	}
	if err := f.svc.PostRoster(context.Background(), "DISKOMINFO", civil.MustParse("2020-03-18")); err != nil {
		t.Fatal(err)
	}
	if got := onlyReply(t, f.say(nipKabid, "/piket"), nipKabid); !strings.Contains(got, "Rabu, 18 Maret 2020") {
		t.Errorf("/piket after today's roster was posted lacks today:\n%s", got)
	}
}

func TestPiketBesokShowsNextWorkingDay(t *testing.T) {
	f := rosterFixture(t)
	f.clock.Set(time.Date(2020, 3, 20, 16, 0, 0, 0, wita)) // Friday
	got := onlyReply(t, f.say(nipSari, "/piket besok"), nipSari)
	for _, want := range []string{"📋 Jadwal piket DISKOMINFO", "Senin, 23 Maret 2020", "I Wayan Sudarsana — Eselon II (tetap)", "I Made Agus Wiryawan — Eselon III", "Kontak: I Wayan Sudarsana +6281234500001"} {
		if !strings.Contains(got, want) {
			t.Errorf("/piket besok reply lacks %q:\n%s", want, got)
		}
	}
	if err := f.svc.PostRoster(context.Background(), "DISKOMINFO", civil.MustParse("2020-03-23")); err != nil {
		t.Fatal(err)
	}
	got = onlyReply(t, f.say(nipSari, "/piket besok"), nipSari)
	if strings.Contains(got, "rancangan") {
		t.Errorf("published list still marked as a draft:\n%s", got)
	}
}

// pelaksanaPair returns a pelaksana on duty at DISKOMINFO on day and one
// who is not.
func (f *fixture) pelaksanaPair(day string) (on, off string) {
	f.t.Helper()
	duty := f.onDuty(day)
	for _, nip := range []string{nipSari, nipKadek, nipPutu} {
		if slices.Contains(duty, nip) && on == "" {
			on = nip
		} else if !slices.Contains(duty, nip) && off == "" {
			off = nip
		}
	}
	if on == "" || off == "" {
		f.t.Fatalf("no pelaksana pair on %s: %v", day, duty)
	}
	return on, off
}

func TestSwapWithConsent(t *testing.T) {
	f := rosterFixture(t)
	f.say(nipKabid, "/piket") // generates the next two weeks
	const day = "2020-03-19"
	// A pelaksana hands the duty to another: every coverage rule still holds.
	requester, other := f.pelaksanaPair(day)
	names := map[string]string{nipSari: "Ni Made Sari", nipKadek: "Ni Kadek Ayu", nipPutu: "I Putu Gede"}
	out := f.say(requester, "/tukar 19/3 "+other)
	if len(out) != 2 {
		t.Fatalf("got %d messages, want the request to %s and a reply: %+v", len(out), other, out)
	}
	if out[0].ChatID != other || !strings.Contains(out[0].Text, "/setuju 1") || strings.Contains(out[0].Text, "⚠️") {
		t.Errorf("request: %+v", out[0])
	}
	if !strings.Contains(out[1].Text, "no. 1 terkirim") || strings.Contains(out[1].Text, "melanggar") {
		t.Errorf("reply: %q", out[1].Text)
	}
	// Someone else may not decide.
	if got := onlyReply(t, f.say(nipKabid, "/setuju 1"), nipKabid); !strings.Contains(got, "tidak berwenang") {
		t.Errorf("third person's consent: %q", got)
	}
	out = f.say(other, "/setuju 1")
	var group, toRequester, reply int
	for _, m := range out {
		switch m.ChatID {
		case "grup:DISKOMINFO":
			group++
			if !strings.Contains(m.Text, names[requester]+" digantikan oleh "+names[other]) || strings.Contains(m.Text, "⚠️") {
				t.Errorf("group post: %q", m.Text)
			}
		case requester:
			toRequester++
		case other:
			reply++
		}
	}
	if group != 1 || toRequester != 1 || reply != 1 {
		t.Errorf("after consent: %d group posts, %d to the requester, %d replies; want 1 each: %+v", group, toRequester, reply, out)
	}
	after := f.onDuty(day)
	if slices.Contains(after, requester) || !slices.Contains(after, other) {
		t.Errorf("on duty after the swap: %v", after)
	}
	// A swapped day is kept when the roster is generated again, and posted as swapped.
	if _, err := f.svc.GenerateRoster(context.Background(), "DISKOMINFO", civil.MustParse(day), civil.MustParse("2020-03-31")); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.PostRoster(context.Background(), "DISKOMINFO", civil.MustParse(day)); err != nil {
		t.Fatal(err)
	}
	if got := f.onDuty(day); !slices.Equal(got, after) {
		t.Errorf("swapped day changed: %v, want %v", got, after)
	}
	if got := onlyReply(t, f.say(other, "/setuju 1"), other); !strings.Contains(got, "sudah diputuskan") {
		t.Errorf("second consent: %q", got)
	}
}

// The only official handing the duty to a pelaksana leaves the day without
// an official: the colleague's consent is refused with the rule, an office
// admin may confirm it, and the list then carries the ⚠️ note.
func TestSwapBreakingCoverageNeedsAdmin(t *testing.T) {
	f := rosterFixture(t)
	f.say(nipKabid, "/piket")
	const day = "2020-03-19"
	before := f.onDuty(day)
	if !slices.Contains(before, nipKabid) {
		t.Fatalf("kabid not on duty on %s: %v", day, before)
	}
	_, other := f.pelaksanaPair(day)
	const rule = "tidak ada pejabat eselon III atau IV yang tersedia pada 2020-03-19"
	out := f.say(nipKabid, "/tukar 19/3 "+other)
	var toAdmin, toOther, reply int
	for _, m := range out {
		switch m.ChatID {
		case nipHead:
			toAdmin++
			if !strings.Contains(m.Text, rule) || !strings.Contains(m.Text, "/setuju 1") {
				t.Errorf("to the admin: %q", m.Text)
			}
		case other:
			toOther++
			if !strings.Contains(m.Text, "⚠️") || !strings.Contains(m.Text, rule) {
				t.Errorf("to the colleague: %q", m.Text)
			}
		case nipKabid:
			reply++
			if !strings.Contains(m.Text, rule) || !strings.Contains(m.Text, "hanya admin OPD") {
				t.Errorf("reply: %q", m.Text)
			}
		}
	}
	if toAdmin != 1 || toOther != 1 || reply != 1 || len(out) != 3 {
		t.Fatalf("request: %d to the admin, %d to the colleague, %d replies; want 1 each: %+v", toAdmin, toOther, reply, out)
	}
	// The colleague's consent is refused with the rule; nothing changes.
	got := onlyReply(t, f.say(other, "/setuju 1"), other)
	if !strings.Contains(got, rule) || !strings.Contains(got, "belum dijalankan") {
		t.Errorf("colleague's consent: %q", got)
	}
	if got := f.onDuty(day); !slices.Equal(got, before) {
		t.Errorf("roster changed without an admin: %v, want %v", got, before)
	}
	// The office admin confirms.
	out = f.say(nipHead, "/setuju 1")
	var group int
	for _, m := range out {
		if m.ChatID == "grup:DISKOMINFO" {
			group++
			if !strings.Contains(m.Text, "⚠️ Disetujui admin OPD") || !strings.Contains(m.Text, rule) {
				t.Errorf("group post: %q", m.Text)
			}
		}
	}
	if group != 1 || len(out) != 4 { // group, requester, colleague, reply
		t.Errorf("after the admin's approval: %d group posts, %d messages: %+v", group, len(out), out)
	}
	if after := f.onDuty(day); slices.Contains(after, nipKabid) || !slices.Contains(after, other) {
		t.Errorf("on duty after the admin's approval: %v", after)
	}
	// The published list carries the note.
	if err := f.svc.PostRoster(context.Background(), "DISKOMINFO", civil.MustParse(day)); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(time.Date(2020, 3, 19, 9, 0, 0, 0, wita))
	if got := onlyReply(t, f.say(nipSari, "/piket hari ini"), nipSari); !strings.Contains(got, "⚠️") || !strings.Contains(got, rule) {
		t.Errorf("published list lacks the note:\n%s", got)
	}
}

func TestSwapDutyCoverage(t *testing.T) {
	f := rosterFixture(t)
	ctx := context.Background()
	const day = "2020-03-19"
	f.say(nipKabid, "/piket")
	_, other := f.pelaksanaPair(day)
	err := f.svc.SwapDuty(ctx, "DISKOMINFO", civil.MustParse(day), nipKabid, other, false)
	var cov *bot.CoverageError
	if !errors.As(err, &cov) || !errors.Is(err, bot.ErrBreaksCoverage) || len(cov.Rules) != 1 || !strings.Contains(err.Error(), "-force") {
		t.Fatalf("SwapDuty without force: %v", err)
	}
	if got := f.onDuty(day); !slices.Contains(got, nipKabid) {
		t.Fatalf("refused swap changed the roster: %v", got)
	}
	if err := f.svc.SwapDuty(ctx, "DISKOMINFO", civil.MustParse(day), nipKabid, other, true); err != nil {
		t.Fatalf("SwapDuty with force: %v", err)
	}
	texts, err := f.svc.ShowRoster(ctx, "DISKOMINFO", civil.MustParse(day), civil.MustParse(day))
	if err != nil || len(texts) != 1 || !strings.Contains(texts[0], "⚠️") || !strings.Contains(texts[0], "pejabat eselon III atau IV") {
		t.Errorf("forced swap: list %q, %v", texts, err)
	}
	// Putting the official back mends the rule and the note goes.
	if err := f.svc.SwapDuty(ctx, "DISKOMINFO", civil.MustParse(day), other, nipKabid, false); err != nil {
		t.Fatalf("mending swap: %v", err)
	}
	texts, _ = f.svc.ShowRoster(ctx, "DISKOMINFO", civil.MustParse(day), civil.MustParse(day))
	if len(texts) != 1 || strings.Contains(texts[0], "pejabat eselon III atau IV") {
		t.Errorf("note kept after the rule was met again: %q", texts)
	}
}

func TestSwapRefused(t *testing.T) {
	f := rosterFixture(t)
	f.say(nipKabid, "/piket")
	const day = "2020-03-19"
	before := f.onDuty(day)
	other := nipKadek
	if slices.Contains(before, nipKadek) {
		other = nipPutu
	}
	f.say(nipKabid, "/tukar "+day+" "+other)
	out := f.say(other, "/tolak 1")
	if len(out) != 2 || out[0].ChatID != nipKabid || !strings.Contains(out[0].Text, "ditolak") {
		t.Fatalf("refusal: %+v", out)
	}
	if got := f.onDuty(day); !slices.Equal(got, before) {
		t.Errorf("roster changed after a refusal: %v, want %v", got, before)
	}
}

func TestSwapRejectsBadRequests(t *testing.T) {
	f := rosterFixture(t)
	cases := []struct{ text, want string }{
		{"/tukar", "Tulis tanggal dan NIP"},
		{"/tukar 2020-03-25 " + nipKadek, "bukan hari kerja"},
		{"/tukar 2020-03-17 " + nipKadek, "sudah lewat"},
		{"/tukar 2020-03-19 " + nipTangse, "tidak ditemukan"},
		{"/setuju 99", "tidak ditemukan"},
	}
	for _, c := range cases {
		if got := onlyReply(t, f.say(nipKabid, c.text), nipKabid); !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want it to contain %q", c.text, got, c.want)
		}
	}
}

func TestPiketHariIniShowsTodaysList(t *testing.T) {
	f := rosterFixture(t)
	f.clock.Set(time.Date(2020, 3, 19, 9, 0, 0, 0, wita)) // Thursday
	if err := f.svc.PostRoster(context.Background(), "DISKOMINFO", civil.MustParse("2020-03-19")); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"/piket hari ini", "piket hari ini", "/piket Hari  Ini.", "/piket today"} {
		got := onlyReply(t, f.say(nipSari, text), nipSari)
		for _, want := range []string{"📋 Jadwal piket DISKOMINFO", "Kamis, 19 Maret 2020", "I Wayan Sudarsana — Eselon II (tetap)"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: reply lacks %q:\n%s", text, want, got)
			}
		}
		if strings.Contains(got, "rancangan") || strings.Contains(got, "20 Maret") {
			t.Errorf("%s: not today's published list:\n%s", text, got)
		}
	}
	f.clock.Set(time.Date(2020, 3, 25, 9, 0, 0, 0, wita)) // Nyepi
	if got := onlyReply(t, f.say(nipSari, "/piket hari ini"), nipSari); !strings.Contains(got, "bukan hari kerja") {
		t.Errorf("/piket hari ini on Nyepi: %q", got)
	}
}

// Looking at the roster generates only the days that have none: a draft
// already stored (a pending /tukar names its people) stays as it was,
// even when days before it are generated later.
func TestShowRosterKeepsStoredDrafts(t *testing.T) {
	f := rosterFixture(t)
	ctx := context.Background()
	var before [][]string
	days := []string{"2020-03-19", "2020-03-20", "2020-03-23", "2020-03-24", "2020-03-26"}
	for _, d := range days {
		if _, err := f.svc.ShowRoster(ctx, "DISKOMINFO", civil.MustParse(d), civil.MustParse(d)); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range days {
		before = append(before, f.onDuty(d))
	}
	texts, err := f.svc.ShowRoster(ctx, "DISKOMINFO", civil.MustParse("2020-03-02"), civil.MustParse("2020-03-31"))
	if err != nil || len(texts) < 20 {
		t.Fatalf("month: %d days, %v", len(texts), err)
	}
	for i, d := range days {
		if got := f.onDuty(d); !slices.Equal(got, before[i]) {
			t.Errorf("%s: on duty %v after the month was shown, %v before", d, got, before[i])
		}
	}
	if got := f.onDuty("2020-03-02"); len(got) == 0 {
		t.Errorf("2020-03-02 not generated")
	}
}
