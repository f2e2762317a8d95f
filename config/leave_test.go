package config

import (
	"strings"
	"testing"
	"time"
)

func TestLeaveDefaultsAndOverrides(t *testing.T) {
	const doc = `
leave:
  escalate_after: 20m
offices:
  DISKOMINFO:
    leave:
      working_hours: "08:00-15:30"
      night_escalation: true
`
	cfg, err := Parse(strings.NewReader(doc), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	l := cfg.LeaveFor("DISKOMINFO")
	if l.EscalateAfter != 20*time.Minute || l.WorkingHours != "08:00-15:30" || !*l.NightEscalation ||
		l.DefaultDuration != 3*time.Hour || l.ReturnGrace != 30*time.Minute {
		t.Errorf("DISKOMINFO leave = %+v", l)
	}
	o := cfg.LeaveFor("BKPSDM")
	if o.WorkingHours != "07:30-16:00" || *o.NightEscalation {
		t.Errorf("BKPSDM leave = %+v, want the defaults", o)
	}
}

func TestLeaveValidate(t *testing.T) {
	for _, doc := range []string{
		"leave:\n  working_hours: \"16:00-07:30\"\n",
		"leave:\n  escalate_after: -1m\n",
		"offices:\n  X:\n    leave:\n      working_hours: pagi\n",
	} {
		if _, err := Parse(strings.NewReader(doc), func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "leave") {
			t.Errorf("Parse(%q) error = %v, want a leave error", doc, err)
		}
	}
	start, end, err := ParseHours("07:30-16:00")
	if err != nil || start.Minutes() != 450 || end.Minutes() != 960 {
		t.Errorf("ParseHours = %v %v %v", start, end, err)
	}
}
