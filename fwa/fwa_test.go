package fwa

import (
	"errors"
	"strings"
	"testing"

	"github.com/piket-id/piket/civil"
)

func TestBuiltinCirculars(t *testing.T) {
	c, ok := CircularByID("se-2-2026")
	if !ok {
		t.Fatal("SE-2-2026 missing")
	}
	var got []string
	for _, d := range c.Days {
		got = append(got, d.String())
	}
	want := "2026-03-16 2026-03-17 2026-03-25 2026-03-26 2026-03-27"
	if strings.Join(got, " ") != want {
		t.Errorf("SE-2-2026 days %v, want %s", got, want)
	}
	if !c.OutsideCap || c.Kind != KindWFA || !c.HeadDecides || c.MaxShare != 0 {
		t.Errorf("SE-2-2026 rule %+v", c)
	}
	if c, _ := CircularByID("SE-1-2024"); c.MaxShare != 50 {
		t.Errorf("SE-1-2024 share %d, want 50", c.MaxShare)
	}
	if _, ok := CircularByID("SE-9-1999"); ok {
		t.Error("unknown circular found")
	}
}

func TestParseCircularsErrors(t *testing.T) {
	for _, in := range []string{
		"X | n | 2026-03-16 | wfa",
		"X | n | 2026-02-30 | wfa | ",
		"X | n | 2026-03-16 | wfx | ",
		"X | n | 2026-03-16 | wfa | max_share=0%",
		"X | n | 2026-03-16 | wfa | whatever",
		"X | n | 2026-03-17..2026-03-16 | wfa | ",
		"X | n | 2026-03-16 | wfa | \nx | m | 2026-03-17 | wfa | ",
		" | n | 2026-03-16 | wfa | ",
	} {
		if _, err := ParseCirculars(strings.NewReader(in)); !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "line") {
			t.Errorf("%q: err %v, want a syntax error naming the line", in, err)
		}
	}
}

func TestWeekTarget(t *testing.T) {
	r := BuiltinRamadan()
	weekdays := func(d civil.Date) bool { w := d.Weekday(); return w >= 1 && w <= 5 }
	tests := []struct {
		day     string
		working func(civil.Date) bool
		want    int
	}{
		{"2026-01-07", weekdays, 37*60 + 30},
		{"2026-03-04", weekdays, 32*60 + 30}, // Ramadan 1447
		// 16-20 February 2026: Monday to Wednesday normal, Thursday and Friday in Ramadan.
		{"2026-02-18", weekdays, 3*(7*60+30) + 2*(6*60+30)},
		{"2026-01-07", func(d civil.Date) bool { return weekdays(d) && d.Day != 9 }, 30 * 60},
	}
	for _, tt := range tests {
		if got := WeekTarget(civil.MustParse(tt.day), r, tt.working); got != tt.want {
			t.Errorf("week of %s: %d min, want %d", tt.day, got, tt.want)
		}
	}
	if !r.Has(civil.MustParse("2026-03-20")) || r.Has(civil.MustParse("2026-03-21")) || r.Has(civil.MustParse("2026-02-18")) {
		t.Error("Ramadan 1447 bounds wrong")
	}
}

func TestCheck(t *testing.T) {
	office := Point{-8.6705, 115.2126}
	tests := []struct {
		at      Point
		radius  float64
		verdict string
		min     int
		max     int
	}{
		{Point{-8.6705, 115.2126}, 50, VerdictInside, 0, 0},
		{Point{-8.6708, 115.2126}, 50, VerdictInside, 30, 36},     // ~33 m south
		{Point{-8.6750, 115.2126}, 100, VerdictOutside, 495, 505}, // ~500 m south
		{Point{-6.2, 106.8}, 100, VerdictOutside, 900000, 1000000},
	}
	for _, tt := range tests {
		m, v := Check(tt.at, office, tt.radius)
		if v != tt.verdict || m < tt.min || m > tt.max {
			t.Errorf("%v: %d m %s, want %s in [%d, %d]", tt.at, m, v, tt.verdict, tt.min, tt.max)
		}
	}
	if _, err := ParsePoint("-8.67,115.21"); err != nil {
		t.Error(err)
	}
	for _, s := range []string{"", "1", "91,0", "0,181", "NaN,0", "a,b"} {
		if _, err := ParsePoint(s); err == nil {
			t.Errorf("ParsePoint(%q) accepted", s)
		}
	}
}

func FuzzParseCirculars(f *testing.F) {
	f.Add(circularsData)
	f.Add("X | n | 2026-03-16..2026-03-20, 2026-04-01 | wfh | outside_cap max_share=30%")
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := ParseCirculars(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, c := range cs {
			if len(c.Days) == 0 || c.MaxShare < 0 || c.MaxShare > 100 {
				t.Fatalf("bad circular %+v", c)
			}
		}
	})
}
