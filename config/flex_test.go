package config

import (
	"strings"
	"testing"
)

func TestFlexConfig(t *testing.T) {
	cfg, err := Parse(strings.NewReader("offices:\n  A:\n    mode: fleksibel\n    fleksibel:\n      max_away: 30%\n      start_window: \"07:00-09:00\"\n"+
		"      presets:\n        - {circular: se-2-2026, max_away: \"5\"}\n  B: {}\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if d := cfg.Deadline("A"); d.String() != "09:00" {
		t.Errorf("deadline of a fleksibel office %s, want the start window's end 09:00", d)
	}
	if d := cfg.Deadline("B"); d.String() != "08:00" {
		t.Errorf("deadline of a piket office %s, want 08:00", d)
	}
	if cfg.Mode("A") != ModeFleksibel || cfg.Mode("B") != ModePiket || cfg.Mode("C") != ModePiket {
		t.Errorf("modes %q %q %q", cfg.Mode("A"), cfg.Mode("B"), cfg.Mode("C"))
	}
	for _, tt := range []struct {
		in    string
		quota Quota
		of10  int
		bad   bool
	}{
		{"30%", Quota{Percent: 30}, 3, false},
		{" 5 ", Quota{Count: 5}, 5, false},
		{"1%", Quota{Percent: 1}, 1, false}, // at least one
		{"", Quota{}, 0, false},
		{"0", Quota{}, 0, true},
		{"101%", Quota{}, 0, true},
		{"tiga", Quota{}, 0, true},
	} {
		q, err := ParseQuota(tt.in)
		if (err != nil) != tt.bad || q != tt.quota || (!q.IsZero() && q.Of(10) != tt.of10) {
			t.Errorf("ParseQuota(%q) = %+v, %v", tt.in, q, err)
		}
	}
}

func TestFlexErrorsNameTheKey(t *testing.T) {
	office := func(s string) string { return "offices:\n  A:\n" + s }
	for _, tt := range []struct{ yaml, want string }{
		{office("    mode: wfh\n"), "offices.A.mode"},
		{office("    fleksibel:\n      weekly_cap: 9\n"), "offices.A.fleksibel.weekly_cap"},
		{office("    fleksibel:\n      max_away: banyak\n"), "offices.A.fleksibel.max_away"},
		{office("    fleksibel:\n      start_window: \"09:00-07:00\"\n"), "offices.A.fleksibel.start_window"},
		{office("    fleksibel:\n      core_hours: pagi\n"), "offices.A.fleksibel.core_hours"},
		{office("    fleksibel:\n      lead_time: -1h\n"), "offices.A.fleksibel"},
		{office("    fleksibel:\n      presets: [{circular: SE-9-2099}]\n"), "offices.A.fleksibel.presets[0].circular"},
		{office("    fleksibel:\n      presets: [{circular: SE-2-2026, max_away: x}]\n"), "offices.A.fleksibel.presets[0].max_away"},
		{office("    fleksibel:\n      ramadan: [\"2026-03-20..2026-02-19\"]\n"), "offices.A.fleksibel.ramadan[0]"},
		{office("    fleksibel:\n      location: {enabled: true}\n"), "offices.A.fleksibel.location"},
		{office("    fleksibel:\n      location: {enabled: true, latitude: -8.6, longitude: 115.2, radius_m: -5}\n"), "offices.A.fleksibel.location.radius_m"},
		{office("    fleksibel:\n      kuota: 3\n"), `unknown key "kuota"`},
	} {
		_, err := Parse(strings.NewReader(tt.yaml), env(nil))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one naming %q", tt.yaml, err, tt.want)
		}
	}
}
