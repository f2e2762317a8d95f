package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/holiday"
	"github.com/piket-id/piket/scheduler"
)

// newRosterPolicies reads every office's roster configuration once
// (holiday files included) and returns the look-up the core uses.
func newRosterPolicies(cfg config.Config) (func(code string) bot.RosterPolicy, error) {
	national := holiday.NewCalendar()
	build := func(code string) (bot.RosterPolicy, error) {
		r := cfg.RosterFor(code)
		var p bot.RosterPolicy
		var err error
		if p.Policy, err = r.Policy(); err != nil {
			return p, err
		}
		if p.Workdays, err = r.Weekdays(); err != nil {
			return p, err
		}
		if p.FixedLevels, err = r.Levels(); err != nil {
			return p, err
		}
		p.PostTime = r.PostTime.Minutes()
		extra, err := cfg.RosterHolidays(code)
		if err != nil {
			return p, err
		}
		p.Calendar = national.With(extra...)
		return p, nil
	}
	def, err := build("")
	if err != nil {
		return nil, fmt.Errorf("app: roster: %w", err)
	}
	offices := map[string]bot.RosterPolicy{}
	for code := range cfg.Offices {
		if offices[code], err = build(code); err != nil {
			return nil, fmt.Errorf("app: offices.%s.roster: %w", code, err)
		}
	}
	return func(code string) bot.RosterPolicy {
		if p, ok := offices[code]; ok {
			return p
		}
		return def
	}, nil
}

// rosterJobs are one roster post per office, at its post time in its own
// time zone, and a refresh every five minutes that re-registers them (an
// import may have added offices) and sends missed posts.
func (a *App) rosterJobs() []scheduler.Job {
	jobs := []scheduler.Job{{Name: "roster-refresh", Spec: "*/5 * * * *", Loc: time.UTC, Run: func(ctx context.Context, at time.Time) error {
		return a.refreshRosters(ctx)
	}, Idle: a.jobsUnchanged}}
	scheds, err := a.Service.RosterSchedules(context.Background())
	if err != nil {
		a.Log.Error("roster: list offices for the scheduler", "err", err)
	}
	for _, s := range scheds {
		code := s.Code
		jobs = append(jobs, scheduler.Job{
			Name: "roster-post " + code, Spec: fmt.Sprintf("%d %d * * *", s.PostTime%60, s.PostTime/60), Loc: s.Loc,
			Run: func(ctx context.Context, at time.Time) error { return a.Service.PostRosterAt(ctx, code, at) },
		})
	}
	return jobs
}

// refreshRosters re-registers the jobs and, unless only the console (with
// its simulated clock) runs, sends missed roster posts.
func (a *App) refreshRosters(ctx context.Context) error {
	if err := a.Scheduler.Set(a.jobs()); err != nil {
		return err
	}
	if a.onlyConsole() {
		return nil
	}
	return a.CatchUpRosters(ctx)
}

// jobsUnchanged tells a jump of the console's clock that the refresh has
// nothing to do: the offices are as planned (an import between two lines
// is picked up; none runs during a jump) and the jump itself posts what
// falls due, so there is nothing to catch up.
func (a *App) jobsUnchanged(context.Context) (bool, error) {
	return scheduler.Same(a.Scheduler.Jobs(), a.jobs()), nil
}

// CatchUpRosters sends, for every office, a roster post whose time passed
// while Piket was not running (once: posts are unique per office and day).
func (a *App) CatchUpRosters(ctx context.Context) error {
	scheds, err := a.Service.RosterSchedules(ctx)
	if err != nil {
		return err
	}
	codes := make([]string, len(scheds))
	for i, s := range scheds {
		codes[i] = s.Code
	}
	return catchUpEach(ctx, codes, a.Service.CatchUpRoster)
}

// catchUpEach runs catchUp for each office in turn and joins their
// errors; when ctx ends (shutdown) it stops with one error saying where,
// not one per office left.
func catchUpEach(ctx context.Context, codes []string, catchUp func(ctx context.Context, code string) error) error {
	var errs []error
	for i, code := range codes {
		if ctx.Err() != nil {
			errs = append(errs, fmt.Errorf("roster catch-up stopped after %d of %d offices: %w", i, len(codes), ctx.Err()))
			break
		}
		if err := catchUp(ctx, code); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RosterPolicies is the roster configuration look-up for a core built
// outside an App (the roster commands of the CLI).
func RosterPolicies(cfg config.Config) (func(code string) bot.RosterPolicy, error) {
	return newRosterPolicies(cfg)
}

// WorkingDays returns, from the configuration, whether an office works on
// a day: its roster weekdays, the national holidays and its own.
func WorkingDays(cfg config.Config) (func(officeCode string, d civil.Date) bool, error) {
	policy, err := newRosterPolicies(cfg)
	if err != nil {
		return nil, err
	}
	return func(code string, d civil.Date) bool { return policy(code).IsWorkingDay(d) }, nil
}
