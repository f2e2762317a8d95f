package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/store"
)

// newFlexFixture is newFixture with DISKOMINFO in mode fleksibel under
// pol, on Thursday 5 March 2026, 09:00 WITA.
func newFlexFixture(t *testing.T, pol bot.FlexPolicy) *fixture {
	t.Helper()
	return newFlexFixtureLang(t, "id", pol)
}

func texts(out []store.Pending) string {
	var b strings.Builder
	for _, p := range out {
		b.WriteString("[" + p.ChatID + "] " + p.Text + "\n")
	}
	return b.String()
}

func TestFlexRequestDecisionsAndAuthorization(t *testing.T) {
	f := newFlexFixture(t, bot.FlexPolicy{})
	out := texts(f.say(nipSari, "/wfa 2026-03-10 urusan keluarga; menyusun 2 laporan SPJ"))
	// The request goes to Sari's direct supervisor only.
	if !strings.Contains(out, "["+nipKabid+"] 📝 Pengajuan WFA") || strings.Contains(out, "["+nipHead+"]") {
		t.Fatalf("request not sent to the direct supervisor only:\n%s", out)
	}
	// Someone outside the chain may not decide; the requester neither.
	if out := texts(f.say(nipTangse, "/setujui 1")); !strings.Contains(out, "hanya dapat diputuskan") {
		t.Errorf("another office's person decided:\n%s", out)
	}
	if out := texts(f.say(nipSari, "/setujui 1")); !strings.Contains(out, "hanya dapat diputuskan") {
		t.Errorf("the requester decided:\n%s", out)
	}
	if out := texts(f.say(nipKabid, "/tolak 1")); !strings.Contains(out, "/tolak N ALASAN") {
		t.Errorf("a decline without a reason was taken:\n%s", out)
	}
	// The head (above the supervisor) may decide; /setuju is the same in mode fleksibel.
	out = texts(f.say(nipHead, "/setuju 1"))
	if !strings.Contains(out, "["+nipSari+"] ✅ Pengajuan WFA (bekerja dari lokasi lain) No. 1 disetujui oleh I Wayan Sudarsana") {
		t.Errorf("approval not told:\n%s", out)
	}
	if out := texts(f.say(nipKabid, "/tolak 1 rapat")); !strings.Contains(out, "sudah disetujui") {
		t.Errorf("a decided request was decided again:\n%s", out)
	}
	// The approved day: a check-in is recorded away from the office.
	f.clock.Set(civil.MustParse("2026-03-10").At(7, 50, wita))
	f.say(nipSari, "hadir, sehat")
	if a, _ := f.attendance(nipSari, "2026-03-10"); a.Place != store.PlaceHome {
		t.Errorf("place on the approved day %q, want wfh", a.Place)
	}
	// Another day: at the office when no place is written; a place away
	// is recorded as written and flagged (flex_record_test.go).
	f.clock.Set(civil.MustParse("2026-03-11").At(7, 50, wita))
	f.say(nipSari, "hadir, sehat")
	if a, _ := f.attendance(nipSari, "2026-03-11"); a.Place != store.PlaceOffice || a.Unapproved {
		t.Errorf("place on an ordinary day %q (unapproved %v), want kantor", a.Place, a.Unapproved)
	}
	f.say(nipSari, "hadir wfh, sehat")
	if a, _ := f.attendance(nipSari, "2026-03-11"); a.Place != store.PlaceHome || !a.Unapproved {
		t.Errorf("place on an ordinary day stated wfh: %q (unapproved %v), want wfh without approval", a.Place, a.Unapproved)
	}
}

func TestFlexQuotaPresetAndCircularCeiling(t *testing.T) {
	se, _ := fwa.CircularByID("SE-1-2024") // 16-17 April 2024, at most 50 %, outside the cap
	f := newFlexFixture(t, bot.FlexPolicy{WeeklyCap: 1, Presets: []bot.FlexPreset{{Circular: se}}})
	f.clock.Set(civil.MustParse("2024-04-08").At(9, 0, wita))
	// DISKOMINFO has 3 active staff: the circular's 50 % lets 1 away.
	if out := texts(f.say(nipSari, "/wfa 16-17 April mudik; rekap absensi")); !strings.Contains(out, "Pengajuan WFA (bekerja dari lokasi lain) No. 1") ||
		!strings.Contains(out, "SE MenPAN-RB No. 1 Tahun 2024") {
		t.Fatalf("preset request refused:\n%s", out)
	}
	// Outside the cap: a capped day the same week still fits a cap of 1.
	if out := texts(f.say(nipSari, "/wfa 2024-04-18 urusan; notulen")); !strings.Contains(out, "No. 2") {
		t.Errorf("a capped day beside preset days refused:\n%s", out)
	}
	if out := texts(f.say(nipSari, "/wfa 2024-04-19 urusan; notulen")); !strings.Contains(out, "paling banyak 1 hari kerja per minggu") {
		t.Errorf("the cap of 1 not applied:\n%s", out)
	}
	if out := texts(f.say(nipKabid, "/wfa 2024-04-16 urusan; notulen")); !strings.Contains(out, "batasnya 1 (50%)") {
		t.Errorf("the circular's ceiling not applied:\n%s", out)
	}
}

func TestFlexModeHasNoRoster(t *testing.T) {
	f := newFlexFixture(t, bot.FlexPolicy{})
	if got := onlyReply(t, f.say(nipSari, "/piket"), nipSari); !strings.Contains(got, "tidak ada jadwal piket") {
		t.Errorf("/piket in mode fleksibel: %s", got)
	}
	if got := onlyReply(t, f.say(nipSari, "/bantuan"), nipSari); !strings.Contains(got, "/wfa TANGGAL ALASAN; RENCANA KERJA") {
		t.Errorf("/bantuan lacks the flexible-work commands: %s", got)
	}
}

func TestFlexPiketModeKeepsCheckIn(t *testing.T) {
	f := newFixture(t, "id")
	out := f.say(nipSari, "/wfh 18/3 menyusun laporan")
	if text := onlyReply(t, out, nipSari); !strings.Contains(text, "Kehadiran Ni Made Sari tercatat") {
		t.Errorf("a dated /wfh in mode piket is not the check-in: %s", text)
	}
	if out := f.say(nipSari, "/pulang"); !strings.Contains(onlyReply(t, out, nipSari), "Pulang tercatat") {
		t.Errorf("/pulang in mode piket: %s", texts(out))
	}
}

func TestFlexTickEscalatesOnceAndLapses(t *testing.T) {
	f := newFlexFixture(t, bot.FlexPolicy{EscalateAfter: time.Hour})
	f.say(nipSari, "/wfa besok urusan keluarga; menyusun laporan")
	ctx := context.Background()
	tick := func(at time.Time) string {
		before := len(f.pending())
		if err := f.svc.FlexTick(ctx, at); err != nil {
			t.Fatal(err)
		}
		return texts(f.pending()[before:])
	}
	day := civil.MustParse("2026-03-05")
	if out := tick(day.At(9, 59, wita)); out != "" {
		t.Errorf("escalated early:\n%s", out)
	}
	if out := tick(day.At(10, 0, wita)); !strings.Contains(out, "["+nipHead+"] ⚠️ Pengajuan WFA") {
		t.Errorf("not escalated to the head:\n%s", out)
	}
	if out := tick(day.At(10, 0, wita)); out != "" {
		t.Errorf("a second tick sent again:\n%s", out)
	}
	out := tick(civil.MustParse("2026-03-06").At(0, 0, wita))
	for _, who := range []string{nipSari, nipKabid, nipHead} {
		if !strings.Contains(out, "["+who+"] ⌛") {
			t.Errorf("%s not told of the lapse:\n%s", who, out)
		}
	}
	if ok, err := f.svc.HasPendingFlex(ctx); ok || err != nil {
		t.Errorf("still pending after the lapse: %v %v", ok, err)
	}
}

func TestFlexLocation(t *testing.T) {
	office := fwa.Point{Lat: -8.6705, Lon: 115.2126}
	loc := func(f *fixture, l bot.Location) string {
		f.seq++
		out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "loc" + time.Now().Format("150405.000000000"), SenderID: nipSari, ChatID: nipSari,
			Location: &l, Time: f.clock.Now(), Addressed: true})
		return onlyReply(t, out, nipSari)
	}
	// Off: nothing stored.
	f := newFlexFixture(t, bot.FlexPolicy{})
	if got := loc(f, bot.Location{Lat: -8.6705, Lon: 115.2126}); !strings.Contains(got, "tidak dipakai") {
		t.Errorf("location off: %s", got)
	}
	var n int
	if err := f.st.DB().QueryRow(`SELECT COUNT(*) FROM location_checks`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d checks stored while off (%v)", n, err)
	}
	// On a flexible day: against the declared domicile; without one, no place.
	f = newFlexFixture(t, bot.FlexPolicy{Location: bot.LocationPolicy{Enabled: true, Office: office, RadiusM: 50, Keep: true}})
	f.say(nipSari, "/wfh 2026-03-06 anak sakit; verifikasi 30 berkas")
	f.say(nipKabid, "/setujui 1")
	f.clock.Set(civil.MustParse("2026-03-06").At(8, 0, wita))
	if got := loc(f, bot.Location{Lat: -8.6705, Lon: 115.2126}); !strings.Contains(got, "belum ada titik domisili") {
		t.Errorf("flexible day without a domicile: %s", got)
	}
	var against, verdict string
	var lat *float64
	if err := f.st.DB().QueryRow(`SELECT against, verdict, lat FROM location_checks`).Scan(&against, &verdict, &lat); err != nil ||
		against != "domisili" || verdict != fwa.VerdictNoPlace || lat == nil {
		t.Errorf("stored %q %q lat %v (%v), want domisili, no place, coordinates kept (keep_coordinates)", against, verdict, lat, err)
	}
}

// The supervisor's digest marks who is missing on an approved flexible
// day: they must still check in (from wherever they work).
func TestFlexDigestMarksApprovedDays(t *testing.T) {
	f := newFlexFixture(t, bot.FlexPolicy{})
	f.say(nipSari, "/wfa 2026-03-06 urusan keluarga; menyusun laporan")
	f.say(nipKabid, "/setujui 1")
	before := len(f.pending())
	if _, err := bot.NewReminders(f.svc).SupervisorDigest(context.Background(), "DISKOMINFO", civil.MustParse("2026-03-06").At(9, 0, wita)); err != nil {
		t.Fatal(err)
	}
	out := texts(f.pending()[before:])
	if !strings.Contains(out, "["+nipKabid+"]") || !strings.Contains(out, "Ni Made Sari (Bidang Statistik) — WFA") {
		t.Errorf("digest does not mark the approved day:\n%s", out)
	}
}
