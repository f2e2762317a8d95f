package app

import (
	"context"
	"fmt"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/scheduler"
)

// reminderJobs returns, per office in the database, the check-in
// reminder, the supervisors' digest, the work-report reminder and (when
// configured) the group recap, each in the office's time zone on Monday to
// Friday; the domain methods skip holidays themselves.
func (a *App) reminderJobs() []scheduler.Job {
	offices, err := a.Store.Offices(context.Background())
	if err != nil {
		a.Log.Error("app: list offices for reminders", "err", err)
		return nil
	}
	r := bot.NewReminders(a.Service)
	var jobs []scheduler.Job
	type zone struct {
		loc *time.Location
		err error
	}
	zones := map[string]zone{} // one copy per zone, not per office
	for _, o := range offices {
		z, ok := zones[o.TZ]
		if !ok {
			z.loc, z.err = time.LoadLocation(o.TZ)
			zones[o.TZ] = z
		}
		loc, err := z.loc, z.err
		if err != nil {
			a.Log.Error("app: office time zone", "office", o.Code, "tz", o.TZ, "err", err)
			continue
		}
		cfg := a.Cfg.RemindersFor(o.Code)
		add := func(name string, at config.TimeOfDay, fn func(context.Context, string, time.Time) (int, error)) {
			code := o.Code
			jobs = append(jobs, scheduler.Job{
				Name: name + " " + code, Spec: fmt.Sprintf("%d %d * * 1-5", at.Minute, at.Hour), Loc: loc,
				Run: func(ctx context.Context, at time.Time) error {
					_, err := fn(ctx, code, at)
					return err
				},
			})
		}
		if cfg.On() {
			add("remind-checkin", cfg.CheckIn, r.RemindCheckIn)
			add("supervisor-digest", cfg.Digest, r.SupervisorDigest)
			add("remind-report", cfg.Report, r.RemindReport)
		}
		if !cfg.GroupRecap.IsZero() {
			add("group-recap", cfg.GroupRecap, r.PostRecap)
		}
	}
	return jobs
}
