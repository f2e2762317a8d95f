package app

import (
	"context"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/scheduler"
)

// jobs returns the scheduled jobs; New passes them to the scheduler.
func (a *App) jobs() []scheduler.Job {
	return append([]scheduler.Job{
		// A check of what is due now (escalations, overdue returns), so it
		// reads the clock rather than the minute it was planned for: after
		// a pause or a clock jump nothing waits another minute.
		{Name: "leave-escalation", Spec: "* * * * *", Loc: time.UTC, Run: func(ctx context.Context, _ time.Time) error {
			return a.Service.LeaveTick(ctx, a.Clock.Now())
		}, Idle: a.noOpenLeaves},
		a.flexJob(),
	}, append(append(a.reminderJobs(), a.rosterJobs()...), a.opsJobs()...)...)
}

// noOpenLeaves tells a jump of the console's clock that the minute job
// has nothing to do: no report is open, and only a message opens one.
func (a *App) noOpenLeaves(ctx context.Context) (bool, error) {
	open, err := a.Store.OpenLeaves(ctx)
	return len(open) == 0, err
}

// opsJobs are the health heartbeat and the retention purge.
func (a *App) opsJobs() []scheduler.Job {
	jobs := []scheduler.Job{a.Health.HeartbeatJob()}
	loc, err := time.LoadLocation(a.Cfg.Timezone)
	if err != nil {
		loc = time.UTC
	}
	if j, ok := ops.RetentionJob(a.Store, a.Cfg.Retention.MessageText, loc, a.Log); ok {
		jobs = append(jobs, j)
	}
	return jobs
}

// leavePolicy converts an office's leave configuration for the core.
func leavePolicy(cfg config.Config, code string) bot.LeavePolicy {
	l := cfg.LeaveFor(code)
	p := bot.LeavePolicy{EscalateAfter: l.EscalateAfter, DefaultDuration: l.DefaultDuration, ReturnGrace: l.ReturnGrace}
	if start, end, err := config.ParseHours(l.WorkingHours); err == nil {
		p.WorkStart, p.WorkEnd = start.Minutes(), end.Minutes()
	}
	if l.NightEscalation != nil {
		p.Night = *l.NightEscalation
	}
	return p
}
