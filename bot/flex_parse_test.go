package bot

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piket-id/piket/civil"
)

func TestParseFlexCommands(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		flex string // FlexKind
		arg  string
	}{
		{"/wfa 2026-03-16 mudik; menyusun SPJ", KindFlexRequest, "wfa", "2026-03-16 mudik; menyusun SPJ"},
		{"/wfh besok anak sakit; verifikasi 30 berkas", KindFlexRequest, "wfh", "besok anak sakit; verifikasi 30 berkas"},
		{"wfa senin depan acara adat; notulen", KindFlexRequest, "wfa", "senin depan acara adat; notulen"},
		{"/WFA@PiketBot 16-17 Maret mudik; rekap", KindFlexRequest, "wfa", "16-17 Maret mudik; rekap"},
		{"/wfa 31 Februari x; y", KindFlexRequest, "wfa", "31 Februari x; y"}, // a date tried: the handler says so
		{"/setujui 3", KindFlexApprove, "", "3"},
		{"/pulang", KindDayEnd, "", ""},
		{"pulang", KindDayEnd, "", ""},
		{"/jam", KindHours, "", ""},
		{"/progres menyusun SPJ; 1 dokumen", KindProgress, "", "menyusun SPJ; 1 dokumen"},
		{"/pengajuan", KindFlexList, "", ""},
		// Not requests: the check-ins they always were, and chatter.
		{"wfh hari ini, sehat", KindCheckIn, "", ""},
		{"/wfh", KindCheckIn, "", ""},
		{"wfh, sehat, menyusun laporan", KindCheckIn, "", ""},
		{"wfa sehat", KindCheckIn, "", ""},
		{"pulang jam 4 ya", KindNone, "", ""},
		{"progres", KindNone, "", ""},
	}
	for _, tt := range tests {
		got := Parse(tt.in)
		if got.Kind != tt.kind || got.FlexKind != tt.flex || (tt.arg != "" && got.Arg != tt.arg) {
			t.Errorf("Parse(%q) = kind %d flex %q arg %q, want kind %d flex %q arg %q", tt.in, got.Kind, got.FlexKind, got.Arg, tt.kind, tt.flex, tt.arg)
		}
	}
}

func TestParseFlexRequest(t *testing.T) {
	today := civil.MustParse("2026-03-05") // a Thursday
	weekdays := func(d civil.Date) bool { w := d.Weekday(); return w >= 1 && w <= 5 }
	tests := []struct {
		in           string
		from, to     string
		reason, plan string
		err          error
	}{
		{"2026-03-16 mudik ke Singaraja; menyusun 2 laporan SPJ", "2026-03-16", "2026-03-16", "mudik ke Singaraja", "menyusun 2 laporan SPJ", nil},
		{"besok anak sakit; verifikasi 30 berkas", "2026-03-06", "2026-03-06", "anak sakit", "verifikasi 30 berkas", nil},
		{"senin depan acara adat\nnotulen 3 halaman", "2026-03-09", "2026-03-09", "acara adat", "notulen 3 halaman", nil},
		{"16-17 Maret alasan: mudik, rencana: rekap absensi", "2026-03-16", "2026-03-17", "mudik", "rekap absensi", nil},
		{"2026-03-25 s.d. 2026-03-27 libur sekolah anak; target: 3 draf SK", "2026-03-25", "2026-03-27", "libur sekolah anak", "3 draf SK", nil},
		{"tanggal 10/3 keperluan keluarga; rekap 25 laporan", "2026-03-10", "2026-03-10", "keperluan keluarga", "rekap 25 laporan", nil},
		{"besok urusan keluarga, rencana kerja menyusun laporan", "2026-03-06", "2026-03-06", "urusan keluarga", "menyusun laporan", nil},
		{"besok ada rencana keluarga; menyusun laporan", "2026-03-06", "2026-03-06", "ada rencana keluarga", "menyusun laporan", nil},
		{"tomorrow: family matter. Plan: draft 2 reports", "2026-03-06", "2026-03-06", "family matter", "draft 2 reports", nil},
		{"lusa urusan keluarga, menyusun notulen", "2026-03-07", "2026-03-07", "urusan keluarga", "menyusun notulen", nil},
		{"jumat depan mengurus KTP; verifikasi 30 berkas", "2026-03-13", "2026-03-13", "mengurus KTP", "verifikasi 30 berkas", nil},
		{"urusan keluarga; rekap", "", "", "", "", ErrFlexNoDate},
		{"31 Februari urusan; rekap", "", "", "", "", ErrFlexBadDate},
		{"2026-03-01 s.d. 2026-03-31 x; y", "", "", "", "", ErrFlexTooLong},
		{"besok", "", "", "", "", ErrFlexNoReason},
		{"besok urusan bank", "", "", "", "", ErrFlexNoPlan},
		{"besok urusan bank;  ", "", "", "", "", ErrFlexNoPlan},
	}
	for _, tt := range tests {
		got, err := ParseFlexRequest(tt.in, today, weekdays)
		if !errors.Is(err, tt.err) {
			t.Errorf("%q: err %v, want %v", tt.in, err, tt.err)
			continue
		}
		if err != nil {
			continue
		}
		if got.From.String() != tt.from || got.To.String() != tt.to || got.Reason != tt.reason || got.Plan != tt.plan {
			t.Errorf("%q = %s..%s reason %q plan %q, want %s..%s %q %q", tt.in, got.From, got.To, got.Reason, got.Plan, tt.from, tt.to, tt.reason, tt.plan)
		}
	}
}

func TestParseProgress(t *testing.T) {
	tests := []struct{ in, activity, output string }{
		{"menyusun SPJ Maret; 1 dokumen SPJ", "menyusun SPJ Maret", "1 dokumen SPJ"},
		{"verifikasi berkas -> 30 berkas terverifikasi", "verifikasi berkas", "30 berkas terverifikasi"},
		{"rapat koordinasi, hasil: notulen 3 halaman", "rapat koordinasi", "notulen 3 halaman"},
		{"membaca SOP", "membaca SOP", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		a, o := ParseProgress(tt.in)
		if a != tt.activity || o != tt.output {
			t.Errorf("ParseProgress(%q) = %q, %q; want %q, %q", tt.in, a, o, tt.activity, tt.output)
		}
	}
}

func FuzzParseFlexRequest(f *testing.F) {
	for _, s := range []string{"2026-03-16 mudik; SPJ", "besok x\ny", "16-17 Maret alasan: a rencana: b", "senin depan ;", "31 Februari", "rencana:", "alasan rencana: target:"} {
		f.Add(s)
	}
	today := civil.MustParse("2026-03-05")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseFlexRequest(s, today, nil)
		if err != nil {
			return
		}
		if got.To.Before(got.From) || got.From.DaysUntil(got.To) >= MaxFlexDays {
			t.Fatalf("%q: bad range %s..%s", s, got.From, got.To)
		}
		for _, v := range []string{got.Reason, got.Plan} {
			if v == "" || len(v) > maxFlexText || (utf8.ValidString(s) && !utf8.ValidString(v)) || strings.TrimSpace(v) != v {
				t.Fatalf("%q: bad text %q", s, v)
			}
		}
		a, o := ParseProgress(s)
		if len(a) > maxFlexText || len(o) > maxFlexText {
			t.Fatalf("%q: progress too long", s)
		}
		Parse("/wfa " + s) // must not panic
	})
}

// Kinds are numbered in blocks per file; a block that overlaps another
// makes a command run as the other one.
func TestFlexKindsDistinct(t *testing.T) {
	seen := map[Kind]string{}
	for name, k := range map[string]Kind{
		"KindNone": KindNone, "KindCancel": KindCancel, "KindRoster": KindRoster, "KindSwapRefuse": KindSwapRefuse,
		"KindAsk": KindAsk, "KindDashboard": KindDashboard,
		"KindFlexRequest": KindFlexRequest, "KindFlexApprove": KindFlexApprove, "KindFlexDecline": KindFlexDecline,
		"KindDayEnd": KindDayEnd, "KindHours": KindHours, "KindProgress": KindProgress, "KindFlexList": KindFlexList,
	} {
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s are both %d", name, other, k)
		}
		seen[k] = name
	}
}
