package config

import (
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

func TestMaxDelayAndSince(t *testing.T) {
	cfg, err := Parse(strings.NewReader(`
checkin:
  max_delay: 90m
offices:
  DISKOMINFO:
    max_delay: 4h
    since: 2020-03-16
  BKPSDM:
    timezone: Asia/Jakarta
`), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.MaxDelay("DISKOMINFO"); got != 4*time.Hour {
		t.Errorf("MaxDelay(DISKOMINFO) = %s, want 4h", got)
	}
	if got := cfg.MaxDelay("BKPSDM"); got != 90*time.Minute {
		t.Errorf("MaxDelay(BKPSDM) = %s, want 1h30m", got)
	}
	if got := cfg.Since("DISKOMINFO"); got != civil.MustParse("2020-03-16") {
		t.Errorf("Since(DISKOMINFO) = %s", got)
	}
	if got := cfg.Since("BKPSDM"); !got.IsZero() {
		t.Errorf("Since(BKPSDM) = %s, want unset", got)
	}
	if d := Default(); d.MaxDelay("X") != 2*time.Hour {
		t.Errorf("default max delay = %s, want 2h", d.MaxDelay("X"))
	}
}

func TestMaxDelayAndSinceErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"checkin:\n  max_delay: 0s\n", "checkin.max_delay"},
		{"offices:\n  X:\n    max_delay: -1h\n", "offices.X.max_delay"},
		{"offices:\n  X:\n    since: 16-03-2020\n", "16-03-2020"},
	} {
		_, err := Parse(strings.NewReader(c.yaml), func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error naming %q", c.yaml, err, c.want)
		}
	}
}
