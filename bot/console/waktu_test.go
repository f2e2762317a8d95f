package console

import (
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestParseTime(t *testing.T) {
	wib := mustLoc(t, "Asia/Jakarta")
	tests := []struct {
		arg      string
		want     string // RFC 3339, in the zone read
		wantZone string
	}{
		{"2020-03-18 08:00", "2020-03-18T08:00:00+07:00", "Asia/Jakarta"},
		{"2020-03-18 08.00", "2020-03-18T08:00:00+07:00", "Asia/Jakarta"},
		{"2020-03-18T08:00", "2020-03-18T08:00:00+07:00", "Asia/Jakarta"},
		{"2020-03-18", "2020-03-18T00:00:00+07:00", "Asia/Jakarta"},
		{"2020-03-18 08:00 WITA", "2020-03-18T08:00:00+08:00", "Asia/Makassar"},
		{"2020-03-18 08:00 wita", "2020-03-18T08:00:00+08:00", "Asia/Makassar"},
		{"2020-03-18 08:00 WIT", "2020-03-18T08:00:00+09:00", "Asia/Jayapura"},
		{"2020-03-18 08:00 WIB", "2020-03-18T08:00:00+07:00", "Asia/Jakarta"},
		{"2020-03-18 08:00 Asia/Makassar", "2020-03-18T08:00:00+08:00", "Asia/Makassar"},
		{"2020-03-18 08:00 UTC", "2020-03-18T08:00:00Z", "UTC"},
		{"2020-03-18 WITA", "2020-03-18T00:00:00+08:00", "Asia/Makassar"},
		{"  2020-03-18   08:00   WITA ", "2020-03-18T08:00:00+08:00", "Asia/Makassar"},
		// Unreadable.
		{"", "", ""},
		{"kemarin", "", ""},
		{"WITA", "", ""},
		{"2020-03-18 08:00 Mars/Olympus", "", ""},
		{"2020-03-18 08:00 Local", "", ""},
		{"2020-03-18 08:00 ../../etc/passwd", "", ""},
		{"2020-03-18 25:00", "", ""},
		{"2020-02-30 08:00", "", ""},
		{"2020-03-18 08:00 WITA WIB", "", ""},
		{"18-03-2020 08:00", "", ""},
	}
	for _, tt := range tests {
		got, loc, err := parseTime(tt.arg, wib)
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseTime(%q) = %v, want an error", tt.arg, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseTime(%q): %v", tt.arg, err)
			continue
		}
		if s := got.Format(time.RFC3339); s != tt.want || loc.String() != tt.wantZone {
			t.Errorf("parseTime(%q) = %s in %s, want %s in %s", tt.arg, s, loc, tt.want, tt.wantZone)
		}
	}
}

// FuzzParseTime: any operator input is either read into a time in a real
// zone or refused; it never panics, and a time read prints back as read.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2020-03-18 08:00", "2020-03-18 08.00 WITA", "2020-03-18T08:00 Asia/Jayapura", "2020-03-18", "kemarin", "2020-03-18 08:00 ../x", ""} {
		f.Add(s)
	}
	wib := mustLoc(f, "Asia/Jakarta")
	f.Fuzz(func(t *testing.T, arg string) {
		got, loc, err := parseTime(arg, wib)
		if err != nil {
			return
		}
		if loc == nil || loc.String() == "Local" {
			t.Fatalf("parseTime(%q): zone %v", arg, loc)
		}
		printed := got.In(loc).Format("2006-01-02 15:04")
		back, _, err := parseTime(printed+" "+loc.String(), wib)
		if err != nil || back.In(loc).Format("2006-01-02 15:04") != printed {
			t.Fatalf("parseTime(%q) = %v; printed and read again: %v, %v", arg, got, back, err)
		}
	})
}
