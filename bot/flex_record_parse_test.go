package bot

import "testing"

// The place a check-in states: only a written place away sets Away.
func TestParseAway(t *testing.T) {
	for _, tt := range []struct{ in, place, away string }{
		{"hadir", "wfh", ""},
		{"hadir, sehat, menyusun SPJ", "wfh", ""},
		{"hadir, rapat di rumah sakit umum", "wfh", ""},
		{"hadir wfh", "wfh", "wfh"},
		{"/wfh", "wfh", "wfh"},
		{"wfh, sehat", "wfh", "wfh"},
		{"WFA, sehat", "wfh", "wfa"},
		{"/wfa", "wfh", "wfa"},
		{"hadir wfa", "wfh", "wfa"},
		{"hadir dari rumah, menyusun SPJ", "wfh", "wfh"},
		{"hadir, sehat, di rumah", "wfh", "wfh"},
		{"hadir dari lokasi lain", "wfh", "wfa"},
		{"hadir, tempat lain, sehat", "wfh", "wfa"},
		{"hadir work from anywhere", "wfh", "wfa"},
		{"hadir kantor", "kantor", ""},
		{"wfo", "kantor", ""},
		{"hadir piket", "piket", ""},
		{"hadir dinas luar", "dinas", ""},
		{"sakit demam, istirahat di rumah", "", ""},
		{"Hadir pak 🙏 WFH sehat", "wfh", "wfh"},
		{"hadir, kurang fit, tetap kerja dari rumah", "wfh", "wfh"},
		{"Hadir (WFA) - sehat - menyusun laporan", "wfh", "wfa"},
		{"Saya hadir. Lokasi: rumah. Kondisi: sehat", "wfh", "wfh"},
		{"hadir, tempat: lokasi lain (Tabanan), sehat", "wfh", "wfa"},
		{"hadir, antar ibu ke rumah sakit dulu", "wfh", ""},
		{"hadir, sehat, rapat di kantor camat", "wfh", ""},
		{"hadir, menyusun laporan di kantor", "kantor", ""},
	} {
		c := Parse(tt.in)
		if c.Kind != KindCheckIn || c.Place != tt.place || c.Away != tt.away {
			t.Errorf("Parse(%q): kind %v place %q away %q, want check-in %q %q", tt.in, c.Kind, c.Place, c.Away, tt.place, tt.away)
		}
	}
}

// "/batal wfa N" names a flexible-work request; anything else after
// /batal stays an absence.
func TestFlexCancelArg(t *testing.T) {
	for _, tt := range []struct {
		in string
		n  int64
		ok bool
	}{
		{"wfa 3", 3, true},
		{"WFH 12", 12, true},
		{"pengajuan No. 4", 4, true},
		{"wfa #5", 5, true},
		{"wfa: 6", 6, true},
		{"wfa", 0, true},
		{"pengajuan", 0, true},
		{"wfa 10 Maret", -1, true},
		{"wfa besok", -1, true},
		{"wfa 0", -1, true},
		{"3", 0, false},
		{"", 0, false},
		{"cuti 3", 0, false},
		{"No. 3", 0, false},
		{"wfax 3", 0, false},
	} {
		n, ok := flexCancelArg(tt.in)
		if n != tt.n || ok != tt.ok {
			t.Errorf("flexCancelArg(%q) = %d, %v; want %d, %v", tt.in, n, ok, tt.n, tt.ok)
		}
	}
}

func FuzzFlexCancelArg(f *testing.F) {
	for _, s := range []string{"wfa 3", "pengajuan No. 4", "wfa", "wfa 10 Maret", "3", "cuti 3", "wfh #", "wfa 99999999999999999999", "WFA\t7 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := flexCancelArg(s)
		if !ok && n != 0 {
			t.Fatalf("flexCancelArg(%q) = %d for an absence", s, n)
		}
		if n < -1 {
			t.Fatalf("flexCancelArg(%q) = %d", s, n)
		}
		if c := Parse("/batal " + s); c.Kind == KindCancel {
			if n2, ok2 := flexCancelArg(c.Arg); ok2 != ok && Clean(s) == s {
				t.Fatalf("/batal %q: %v through Parse (%d), %v direct", s, ok2, n2, ok)
			}
		}
	})
}
