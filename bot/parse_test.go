package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCheckIn(t *testing.T) {
	tests := []struct {
		in                          string
		kind                        Kind
		status, place, health, plan string
	}{
		{"hadir", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"/hadir", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"Hadir", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"HADIR", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"Hadir WFH", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"hadir.", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"Hadir!", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"/hadir@piket_bot wfh", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"absen", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"Absen pagi", KindCheckIn, "hadir", "wfh", "sehat", "pagi"},
		{"absensi wfh", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"presensi kantor", KindCheckIn, "hadir", "kantor", "sehat", ""},
		{"wfh", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"WFO", KindCheckIn, "hadir", "kantor", "sehat", ""},
		{"masuk kantor", KindCheckIn, "hadir", "kantor", "sehat", ""},
		{"hadir kantor", KindCheckIn, "hadir", "kantor", "sehat", ""},
		{"hadir di kantor", KindCheckIn, "hadir", "kantor", "sehat", ""},
		{"hadir wfo", KindCheckIn, "hadir", "kantor", "sehat", ""},
		{"hadir piket", KindCheckIn, "hadir", "piket", "sehat", ""},
		{"Hadir Piket, sehat", KindCheckIn, "hadir", "piket", "sehat", ""},
		{"hadir dinas", KindCheckIn, "hadir", "dinas", "sehat", ""},
		{"hadir dinas luar, rapat koordinasi di Jakarta", KindCheckIn, "hadir", "dinas", "sehat", "rapat koordinasi di Jakarta"},
		{"dinas luar kota ke Jakarta", KindCheckIn, "hadir", "dinas", "sehat", "kota ke Jakarta"},
		{"hadir wfh, sehat, menyusun laporan", KindCheckIn, "hadir", "wfh", "sehat", "menyusun laporan"},
		{"hadir wfh sehat menyusun laporan keuangan", KindCheckIn, "hadir", "wfh", "sehat", "menyusun laporan keuangan"},
		{"Hadir WFH, batuk ringan, mengerjakan SPJ", KindCheckIn, "hadir", "wfh", "batuk ringan", "mengerjakan SPJ"},
		{"hadir kantor - batuk ringan", KindCheckIn, "hadir", "kantor", "batuk ringan", ""},
		{"hadir, kondisi: sehat, rencana: rapat zoom", KindCheckIn, "hadir", "wfh", "sehat", "rapat zoom"},
		{"absen; kesehatan: pilek; kegiatan: input data SIMPEG", KindCheckIn, "hadir", "wfh", "pilek", "input data SIMPEG"},
		{"hadir\nwfh\nsehat walafiat\nentri data kepegawaian", KindCheckIn, "hadir", "wfh", "sehat", "entri data kepegawaian"},
		{"hadir wfh, kurang fit", KindCheckIn, "hadir", "wfh", "kurang fit", ""},
		{"hadir dari rumah, sehat", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"check in wfh", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"  hadir   wfh  ", KindCheckIn, "hadir", "wfh", "sehat", ""},
		{"sakit", KindCheckIn, "sakit", "", "", ""},
		{"Sakit demam tinggi", KindCheckIn, "sakit", "", "demam tinggi", ""},
		{"/sakit flu, istirahat di rumah", KindCheckIn, "sakit", "", "flu", "istirahat di rumah"},
		{"izin mengantar anak ke puskesmas", KindCheckIn, "izin", "", "", "mengantar anak ke puskesmas"},
		{"ijin urusan keluarga", KindCheckIn, "izin", "", "", "urusan keluarga"},
		{"Izin", KindCheckIn, "izin", "", "", ""},
		{"cuti", KindCheckIn, "cuti", "", "", ""},
		{"cuti tahunan", KindCheckIn, "cuti", "", "", "tahunan"},
		{"/cuti melahirkan", KindCheckIn, "cuti", "", "", "melahirkan"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c := Parse(tt.in)
			if c.Kind != tt.kind || c.Status != tt.status || c.Place != tt.place || c.Health != tt.health || c.Plan != tt.plan {
				t.Errorf("Parse(%q) = kind %d status %q place %q health %q plan %q; want kind %d status %q place %q health %q plan %q",
					tt.in, c.Kind, c.Status, c.Place, c.Health, c.Plan, tt.kind, tt.status, tt.place, tt.health, tt.plan)
			}
		})
	}
}

func TestParseOtherCommands(t *testing.T) {
	tests := []struct {
		in      string
		kind    Kind
		arg     string
		suggest string
	}{
		{"/laporan Menyusun draf SPJ bulan Maret", KindReport, "Menyusun draf SPJ bulan Maret", ""},
		{"laporan: rekap data ASN selesai", KindReport, "rekap data ASN selesai", ""},
		{"Lapor - sudah kirim surat", KindReport, "sudah kirim surat", ""},
		{"/laporan", KindReport, "", ""},
		{"/status", KindStatus, "", ""},
		{"cek", KindStatus, "", ""},
		{"/bantuan", KindHelp, "", ""},
		{"help", KindHelp, "", ""},
		{"menu", KindHelp, "", ""},
		{"/start", KindStart, "", ""},
		{"/daftar", KindStart, "", ""},
		{"/putus", KindUnlink, "", ""},
		{"/grup diskominfo", KindGroupLink, "diskominfo", ""},
		{"hadr", KindUnknown, "", "/hadir"},
		{"/hadr wfh", KindUnknown, "", "/hadir"},
		{"hadri", KindUnknown, "", "/hadir"},
		{"absn", KindUnknown, "", "/hadir"},
		{"lapran hari ini", KindUnknown, "", "/laporan"},
		{"/stauts", KindUnknown, "", "/status"},
		{"/xyz", KindUnknown, "", ""},
		{"Selamat pagi bapak ibu semuanya, semoga sehat selalu", KindNone, "", ""},
		{"terima kasih", KindNone, "", ""},
		{"", KindNone, "", ""},
		{"   ", KindNone, "", ""},
		{"\u200b\u200b", KindNone, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c := Parse(tt.in)
			if c.Kind != tt.kind || c.Arg != tt.arg || c.Suggest != tt.suggest {
				t.Errorf("Parse(%q) = kind %d arg %q suggest %q; want kind %d arg %q suggest %q", tt.in, c.Kind, c.Arg, c.Suggest, tt.kind, tt.arg, tt.suggest)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  hadir  ", "hadir"},
		{"ha\u200bdir", "hadir"},         // zero-width space
		{"\u202ehadir", "hadir"},         // right-to-left override
		{"hadir\r\nwfh", "hadir\nwfh"},   // CRLF
		{"hadir\x00\x07", "hadir"},       // control characters
		{"\xff\xfehadir", "\uFFFDhadir"}, // invalid UTF-8: one replacement per run
		{"hadir\u00a0wfh", "hadir wfh"},  // no-break space
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("é", 100_000)
	if got := Clean(long); len(got) > MaxText || !utf8.ValidString(got) {
		t.Errorf("Clean(100 KB) = %d bytes (valid %v), want ≤ %d valid", len(got), utf8.ValidString(got), MaxText)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"hadir wfh, sehat, rapat", "/laporan x", "sakit demam", "hadr", "/grup X", "dinas luar", "cek in", "\xff", "ijin;;;", "Selamat pagi Pak Agus, izin melapor hadir wfh, agak pilek 🙏", "Assalamu'alaikum wr.wb.", "sakit tapi tetap wfh", "hadir wfh, jaga anak yang demam"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Parse(s)
		if c.Kind == KindCheckIn {
			switch c.Status {
			case "hadir":
				if c.Place == "" || c.Health == "" {
					t.Errorf("Parse(%q): check-in without place or health: %+v", s, c)
				}
			case "sakit", "izin", "cuti":
				if c.Place != "" {
					t.Errorf("Parse(%q): %s with a place %q", s, c.Status, c.Place)
				}
			default:
				t.Errorf("Parse(%q): unknown status %q", s, c.Status)
			}
		}
		if c.Away != "" && (c.Away != "wfa" && c.Away != "wfh" || c.Place != "wfh") {
			t.Errorf("Parse(%q): stated away %q at place %q", s, c.Away, c.Place)
		}
		if c.Kind == KindAsk && (c.Status != "" || c.Arg == "") {
			t.Errorf("Parse(%q): a question with a status or without one: %+v", s, c)
		}
		for _, v := range []string{c.Plan, c.Health, c.Arg} {
			if !utf8.ValidString(v) || len(v) > MaxText {
				t.Errorf("Parse(%q): field %q invalid or too long", s, v)
			}
		}
	})
}

func TestLowerSameLen(t *testing.T) {
	for _, s := range []string{"0Ⱥ pilek", "SAKIT \u212a demam", "Hadir İSTANBUL", "bad \xff\xfe BYTES", "PUSING \uFFFD", "ÉTÉ"} {
		l := lowerSameLen(s)
		if len(l) != len(s) {
			t.Errorf("lowerSameLen(%q) = %q: %d bytes, want %d", s, l, len(l), len(s))
		}
	}
	if got := lowerSameLen("Sakit PILEK Été"); got != "sakit pilek été" {
		t.Errorf("lowerSameLen = %q", got)
	}
	if cmd := Parse("0Ⱥ pilek"); cmd.Health == "" && cmd.Kind == KindCheckIn {
		t.Errorf("Parse(0Ⱥ pilek) = %+v: a check-in without its health note", cmd)
	}
}
