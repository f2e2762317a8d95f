package holiday

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

func TestBuiltinTable(t *testing.T) {
	seen := make(map[civil.Date]bool)
	prev := civil.Date{}
	years := make(map[int]int)
	for _, h := range Builtin() {
		if seen[h.Date] {
			t.Errorf("%s listed twice", h.Date)
		}
		seen[h.Date] = true
		if !h.Date.After(prev) {
			t.Errorf("%s not after %s: table must be sorted", h.Date, prev)
		}
		prev = h.Date
		if h.Name == "" || !h.Kind.Valid() || h.Kind == Local {
			t.Errorf("bad row %+v", h)
		}
		years[h.Date.Year]++
	}
	for y := 2020; y <= 2027; y++ {
		// Every year has at least the 14 fixed and religious holidays.
		if years[y] < 14 {
			t.Errorf("year %d has %d days, want at least 14", y, years[y])
		}
	}
}

func TestLookup(t *testing.T) {
	cal := NewCalendar()
	tests := []struct {
		date string
		want Kind // "" means not a holiday
		name string
	}{
		{"2020-03-25", National, "Hari Suci Nyepi Tahun Baru Saka 1942"},
		{"2020-05-24", National, "Hari Raya Idul Fitri 1441 Hijriah"},
		{"2020-05-25", National, "Hari Raya Idul Fitri 1441 Hijriah"},
		{"2020-12-31", CutiBersama, "Cuti Bersama pengganti Hari Raya Idul Fitri 1441 Hijriah"},
		{"2020-05-26", "", ""}, // cancelled cuti bersama (pandemic revision)
		{"2020-05-27", "", ""},
		{"2020-03-26", "", ""},
		{"2021-05-12", CutiBersama, "Cuti Bersama Hari Raya Idul Fitri 1442 Hijriah"},
		{"2024-02-14", National, "Hari Pemungutan Suara Pemilihan Umum 2024"},
		{"2027-12-25", National, "Hari Raya Natal"},
	}
	for _, tt := range tests {
		h, ok := cal.Lookup(civil.MustParse(tt.date))
		if ok != (tt.want != "") || h.Kind != tt.want || h.Name != tt.name {
			t.Errorf("Lookup(%s) = %+v, %v; want kind %q name %q", tt.date, h, ok, tt.want, tt.name)
		}
	}
}

func TestWithDoesNotChangeParent(t *testing.T) {
	base := NewCalendar()
	galungan := Holiday{civil.MustParse("2020-02-19"), "Hari Raya Galungan", Local}
	fix := Holiday{civil.MustParse("2020-03-25"), "Nyepi (koreksi)", National}
	bali := base.With(galungan, fix)
	if _, ok := base.Lookup(galungan.Date); ok {
		t.Error("With changed the parent calendar")
	}
	if h, _ := bali.Lookup(galungan.Date); h != galungan {
		t.Errorf("bali Lookup = %+v, want %+v", h, galungan)
	}
	if h, _ := bali.Lookup(fix.Date); h != fix {
		t.Errorf("correction: got %+v, want %+v", h, fix)
	}
	if h, _ := base.Lookup(fix.Date); h.Name != "Hari Suci Nyepi Tahun Baru Saka 1942" {
		t.Errorf("parent lost its day: %+v", h)
	}
}

func TestWorkingDays(t *testing.T) {
	cal := NewCalendar(Holiday{civil.MustParse("2020-04-06"), "Libur daerah", Local})
	week := MondayToFriday()
	sixDays := week
	sixDays[time.Saturday] = true
	tests := []struct {
		name     string
		after    string
		workdays [7]bool
		want     string
	}{
		{"friday to monday", "2020-03-27", week, "2020-03-30"},
		{"over nyepi", "2020-03-24", week, "2020-03-26"},
		{"holiday monday skipped", "2020-04-03", week, "2020-04-07"},
		{"saturday worked", "2020-03-27", sixDays, "2020-03-28"},
		{"idul fitri and weekend", "2020-05-22", week, "2020-05-26"},
		{"good friday", "2020-04-09", week, "2020-04-13"},
		{"year end 2020", "2020-12-23", week, "2020-12-28"},
		{"no working days", "2020-03-27", [7]bool{}, "0000-00-00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.NextWorkingDay(civil.MustParse(tt.after), tt.workdays)
			if got.String() != tt.want {
				t.Errorf("NextWorkingDay(%s) = %s, want %s", tt.after, got, tt.want)
			}
		})
	}
	for _, tt := range []struct {
		date string
		want bool
	}{
		{"2020-03-25", false}, {"2020-03-26", true}, {"2020-03-28", false}, {"2020-04-06", false},
	} {
		if got := cal.IsWorkingDay(civil.MustParse(tt.date), week); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestParseFile(t *testing.T) {
	in := "\ufeff# hari libur daerah Bali\n\n2020-02-19,Hari Raya Galungan\n" +
		"  2020-02-29 , Hari Raya Kuningan , lokal \n2020-03-24,Cuti tambahan,cuti bersama\n2020-03-23,Libur,national\n"
	got, err := ParseFile(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Holiday{
		{civil.MustParse("2020-02-19"), "Hari Raya Galungan", Local},
		{civil.MustParse("2020-02-29"), "Hari Raya Kuningan", Local},
		{civil.MustParse("2020-03-24"), "Cuti tambahan", CutiBersama},
		{civil.MustParse("2020-03-23"), "Libur", National},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseFileErrors(t *testing.T) {
	tests := []struct {
		in   string
		line string
	}{
		{"2020-02-30,Tanggal salah", "line 1:"},
		{"# ok\n\n2020-03-25", "line 3:"},
		{"2020-03-25,", "line 1:"},
		{"2020-03-25,Nyepi,libur", "line 1:"},
		{"2020-03-25,Nyepi,local,x", "line 1:"},
		{"25-03-2020,Nyepi", "line 1:"},
		{"2020-03-25,Nyepi\n2020-03-25,Nyepi lagi", "line 2: 2020-03-25 already listed on line 1"},
	}
	for _, tt := range tests {
		_, err := ParseFile(strings.NewReader(tt.in))
		if err == nil {
			t.Errorf("ParseFile(%q) succeeded, want error", tt.in)
			continue
		}
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tt.line) {
			t.Errorf("ParseFile(%q) error = %q, want ErrSyntax mentioning %q", tt.in, err, tt.line)
		}
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add("2020-03-25,Hari Suci Nyepi\n")
	f.Add("# c\n\n2020-02-19,Galungan,lokal\n2020-02-29,Kuningan,cuti_bersama")
	f.Add("2020-02-30,x\n,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		hs, err := ParseFile(strings.NewReader(in))
		if err != nil {
			return
		}
		var b strings.Builder
		for _, h := range hs {
			if h.Date.IsZero() || h.Name == "" || strings.Contains(h.Name, ",") || !h.Kind.Valid() {
				t.Fatalf("bad holiday %+v from %q", h, in)
			}
			fmt.Fprintf(&b, "%s,%s,%s\n", h.Date, h.Name, h.Kind)
		}
		again, err := ParseFile(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("round trip of %q: %v", b.String(), err)
		}
		if fmt.Sprint(again) != fmt.Sprint(hs) {
			t.Fatalf("round trip: got %v, want %v", again, hs)
		}
	})
}
