package civil

import (
	"testing"
	"time"
)

func TestParseAndArithmetic(t *testing.T) {
	d := MustParse("2020-03-31")
	if got, want := d.AddDays(1).String(), "2020-04-01"; got != want {
		t.Errorf("AddDays(1) = %q, want %q", got, want)
	}
	if got, want := d.AddDays(-31).String(), "2020-02-29"; got != want {
		t.Errorf("AddDays(-31) = %q, want %q", got, want)
	}
	if got := d.Weekday(); got != time.Tuesday {
		t.Errorf("Weekday = %v, want Tuesday", got)
	}
	if n := MustParse("2020-03-01").DaysUntil(d); n != 30 {
		t.Errorf("DaysUntil = %d, want 30", n)
	}
	for _, bad := range []string{"2020-02-30", "2020-13-01", "20-03-01", ""} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", bad)
		}
	}
}

func TestInZone(t *testing.T) {
	wita, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatal(err)
	}
	instant := time.Date(2020, 3, 17, 16, 30, 0, 0, time.UTC) // 00:30 WITA on the 18th
	if got, want := In(instant, wita).String(), "2020-03-18"; got != want {
		t.Errorf("In(WITA) = %q, want %q", got, want)
	}
	if got, want := In(instant, time.UTC).String(), "2020-03-17"; got != want {
		t.Errorf("In(UTC) = %q, want %q", got, want)
	}
}
