package ops

import (
	"context"
	"testing"
	"time"
)

// A platform reported working but needing attention answers 200 with
// status degraded and the state as the reason; SetPlatform ends it.
func TestSetPlatformDegraded(t *testing.T) {
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	h := NewHealth(HealthOptions{SchedulerStale: -1, Now: func() time.Time { return now }})
	h.SetPlatform("whatsapp", "connected", true)
	h.SetPlatformDegraded("whatsapp", "phone_offline 12 days")
	now = now.Add(time.Minute)
	rep := h.Check(context.Background())
	r := rep.Checks["whatsapp"]
	if rep.Status != StatusDegraded || !rep.OK() || r.Status != StatusDegraded || r.Detail != "phone_offline 12 days for 1m0s" {
		t.Errorf("report %s, whatsapp %+v", rep.Status, r)
	}
	h.SetPlatform("whatsapp", "connected", true)
	if r := h.Check(context.Background()).Checks["whatsapp"]; r.Status != StatusOK {
		t.Errorf("after SetPlatform: %+v", r)
	}
	h.SetPlatform("whatsapp", "banned until T", false)
	if r := h.Check(context.Background()).Checks["whatsapp"]; r.Status != StatusFail {
		t.Errorf("failing state: %+v", r)
	}
}
