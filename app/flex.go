package app

import (
	"context"
	"sync"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/scheduler"
)

// flexPolicy converts an office's mode and flexible-work configuration
// for the core (config validated it).
func flexPolicy(cfg config.Config, code string) bot.FlexPolicy {
	f := cfg.Offices[code].Flex
	p := bot.FlexPolicy{
		Enabled: cfg.Mode(code) == config.ModeFleksibel, WeeklyCap: f.WeeklyCap, LeadTime: f.LeadTime,
		NewStaffMonths: f.NewStaffMonths, EscalateAfter: f.EscalateAfter, MaxAway: quota(f.MaxAway),
		Location: bot.LocationPolicy{Enabled: f.Location.Enabled, Office: fwa.Point{Lat: f.Location.Latitude, Lon: f.Location.Longitude},
			RadiusM: f.Location.RadiusM, Keep: f.Location.KeepCoordinates},
	}
	if a, b, err := config.ParseHours(f.StartWindow); err == nil {
		p.StartFrom, p.StartUntil = a.Minutes(), b.Minutes()
	}
	if a, b, err := config.ParseHours(f.CoreHours); err == nil {
		p.CoreFrom, p.CoreUntil = a.Minutes(), b.Minutes()
	}
	for _, pr := range f.Presets {
		if c, ok := fwa.CircularByID(pr.Circular); ok {
			p.Presets = append(p.Presets, bot.FlexPreset{Circular: c, MaxAway: quota(pr.MaxAway)})
		}
	}
	if len(f.Ramadan) > 0 {
		var days []civil.Date
		for _, r := range f.Ramadan {
			d, _ := fwa.ParseDays(r)
			days = append(days, d...)
		}
		r := fwa.RamadanOf(days)
		p.Ramadan = &r
	}
	return p
}

func quota(s string) bot.Quota {
	q, _ := config.ParseQuota(s)
	return bot.Quota{Percent: q.Percent, Count: q.Count}
}

// flexJob escalates undecided flexible-work requests and lapses those
// whose day started. Like the leave-home job it reads the clock, and it
// is idle while no request is pending. Every 5 minutes: escalation waits
// hours, and every Indonesian zone's midnight (the lapse) falls on a
// 5-minute mark in UTC.
func (a *App) flexJob() scheduler.Job {
	return scheduler.Job{Name: "flex-requests", Spec: "*/5 * * * *", Loc: time.UTC, Run: func(ctx context.Context, _ time.Time) error {
		return a.Service.FlexTick(ctx, a.Clock.Now())
	}, Idle: func(ctx context.Context) (bool, error) {
		pending, err := a.Service.HasPendingFlex(ctx)
		return !pending, err
	}}
}

// memoPolicy remembers each office's policy: the configuration does not
// change while the process runs, and the core asks for it several times
// per message (parsing hours and quotas each time cost a tenth of the
// writer's time under a flood of check-ins).
func memoPolicy(build func(code string) bot.OfficePolicy) func(code string) bot.OfficePolicy {
	var mu sync.RWMutex
	known := map[string]bot.OfficePolicy{}
	return func(code string) bot.OfficePolicy {
		mu.RLock()
		p, ok := known[code]
		mu.RUnlock()
		if ok {
			return p
		}
		p = build(code)
		mu.Lock()
		known[code] = p
		mu.Unlock()
		return p
	}
}
