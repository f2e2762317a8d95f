package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/roster"
)

func TestRosterDefaultsAndOverrides(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "libur.txt")
	if err := os.WriteFile(file, []byte("# Bali\n2020-06-01,Hari Raya Galungan\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(strings.NewReader(`
roster:
  holidays:
    - {date: 2020-04-01, name: Libur Kota}
offices:
  DISKOMINFO:
    timezone: Asia/Makassar
    roster:
      per_day: "10"
      per_division: true
      workdays: [senin, selasa, rabu, kamis, jumat, sabtu]
      fixed_levels: []
      post_time: "14.30"
      holidays_file: `+file+`
`), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	def := cfg.RosterFor("OTHER")
	p, err := def.Policy()
	if err != nil || p != roster.DefaultPolicy() {
		t.Errorf("default policy = %+v, %v; want %+v", p, err, roster.DefaultPolicy())
	}
	if w, _ := def.Weekdays(); w[time.Saturday] || !w[time.Friday] {
		t.Errorf("default workdays = %v", w)
	}
	if l, _ := def.Levels(); len(l) != 1 || l[0] != roster.Eselon2 || def.PostTime.String() != "15:00" {
		t.Errorf("default fixed levels %v, post time %s", l, def.PostTime)
	}
	o := cfg.RosterFor("DISKOMINFO")
	p, _ = o.Policy()
	if p.PerDay != 10 || !p.PerDivision || !p.RequireOfficial {
		t.Errorf("office policy = %+v", p)
	}
	if w, _ := o.Weekdays(); !w[time.Saturday] {
		t.Errorf("office workdays = %v", w)
	}
	if l, _ := o.Levels(); len(l) != 0 || o.PostTime.String() != "14:30" {
		t.Errorf("office fixed levels %v, post time %s", l, o.PostTime)
	}
	hs, err := cfg.RosterHolidays("DISKOMINFO")
	if err != nil || len(hs) != 2 || hs[0].Date != civil.MustParse("2020-04-01") || hs[1].Name != "Hari Raya Galungan" {
		t.Errorf("office holidays = %+v, %v", hs, err)
	}
	if hs, _ := cfg.RosterHolidays("OTHER"); len(hs) != 1 {
		t.Errorf("other office holidays = %+v", hs)
	}
}

func TestRosterErrorsNameTheKey(t *testing.T) {
	cases := []struct{ yaml, key string }{
		{"roster:\n  per_day: banyak\n", "roster.per_day"},
		{"roster:\n  per_day: \"4/3\"\n", "roster.per_day"},
		{"roster:\n  workdays: [funday]\n", "roster.workdays"},
		{"roster:\n  fixed_levels: [bos]\n", "roster.fixed_levels"},
		{"roster:\n  holidays:\n    - {date: 2020-13-01, name: X}\n", "roster.holidays[0].date"},
		{"roster:\n  holidays_file: /nonexistent/libur.txt\n", "roster.holidays_file"},
		{"offices:\n  DISKOMINFO:\n    roster:\n      per_day: \"0\"\n", "offices.DISKOMINFO.roster.per_day"},
		{"offices:\n  DISKOMINFO:\n    roster:\n      workdays: []\n", "offices.DISKOMINFO.roster.workdays"},
	}
	for _, c := range cases {
		_, err := Parse(strings.NewReader(c.yaml), env(nil))
		if err == nil || !strings.HasPrefix(err.Error(), c.key) {
			t.Errorf("%q: got %v, want an error naming %s", c.yaml, err, c.key)
		}
	}
}
