// Package scheduler runs Piket's timed jobs: robfig/cron/v3 parses each
// job's spec and computes its next run in the job's own time zone; the
// loop itself reads an injected clock, so a simulated or test clock drives
// real cron schedules. Jobs are plain domain calls that are safe to run
// twice (their effects are unique per office and day); the scheduler only
// maps a spec and zone to a call, recovers panics, skips overlaps and logs.
// Like cron, it does not catch up missed runs: callers do that at start.
// A simulated clock is instead stepped through every run due on a jump by
// RunUntil, so each job sees the clock at its own due time.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is one scheduled call.
type Job struct {
	Name string         // unique, e.g. "roster-post DISKOMINFO"
	Spec string         // standard 5-field cron spec, e.g. "0 15 * * 1-5"
	Loc  *time.Location // the zone the spec is read in
	// Run is called with the scheduled instant (not the time it ran).
	Run func(ctx context.Context, at time.Time) error
	// Idle, if set, lets RunUntil (a jump of a simulated clock) skip the
	// job's runs: it is asked once per jump, when the job first falls
	// due, and true means that none of its runs in this jump can change
	// anything (say, no leave-home report is open: only a message opens
	// one, and no message arrives during a jump). Tick ignores it.
	Idle func(ctx context.Context) (bool, error)
}

type entry struct {
	job     Job
	sched   cron.Schedule
	next    time.Time
	running bool
}

// Observer receives job outcomes (for metrics). May be nil.
type Observer interface {
	JobRan(name string, err error)
}

// Scheduler runs jobs on an injected clock.
type Scheduler struct {
	now      func() time.Time
	changes  <-chan struct{}
	log      *slog.Logger
	observer Observer

	// runMu is held while jobs run (Tick, RunUntil), so runs never
	// interleave: a Tick waits for a RunUntil and the other way round.
	runMu sync.Mutex

	mu      sync.Mutex
	entries map[string]*entry
	last    time.Time
}

// New returns a Scheduler reading now; changes (may be nil) signals that
// the clock jumped.
func New(now func() time.Time, changes <-chan struct{}, log *slog.Logger, obs Observer) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Scheduler{now: now, changes: changes, log: log, observer: obs, entries: map[string]*entry{}}
}

// Parse checks a spec the way Set reads it.
func Parse(spec string, loc *time.Location) (cron.Schedule, error) {
	if loc == nil {
		return nil, fmt.Errorf("scheduler: spec %q: no time zone", spec)
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, fmt.Errorf("scheduler: spec %q: the zone is the job's, not the spec's", spec)
	}
	s, err := cron.ParseStandard(spec)
	if err != nil {
		return nil, fmt.Errorf("scheduler: spec %q: %w", spec, err)
	}
	// The job's zone, shared: "CRON_TZ=" in the spec would load a new
	// copy of the zone for every job (thousands of offices' jobs).
	if ss, ok := s.(*cron.SpecSchedule); ok {
		ss.Location = loc
	}
	return s, nil
}

// Set replaces the job list. Jobs whose name and spec are unchanged keep
// their next run; new or changed ones are planned from now. It can be
// called while Run runs (offices changed, config reloaded).
func (s *Scheduler) Set(jobs []Job) error {
	now := s.now()
	next := make(map[string]*entry, len(jobs))
	for _, j := range jobs {
		if _, dup := next[j.Name]; dup {
			return fmt.Errorf("scheduler: job %q listed twice", j.Name)
		}
		sched, err := Parse(j.Spec, j.Loc)
		if err != nil {
			return fmt.Errorf("scheduler: job %q: %w", j.Name, err)
		}
		e := &entry{job: j, sched: sched, next: sched.Next(now)}
		next[j.Name] = e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, e := range next {
		if old, ok := s.entries[name]; ok && old.job.Spec == e.job.Spec && old.job.Loc.String() == e.job.Loc.String() {
			e.next, e.running = old.next, old.running
		}
	}
	s.entries = next
	if s.last.IsZero() {
		s.last = now
	}
	return nil
}

// Jobs lists the planned jobs and their next run, by name.
func (s *Scheduler) Jobs() []Planned {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Planned, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, Planned{Name: e.job.Name, Spec: e.job.Spec, Loc: e.job.Loc, Next: e.next})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Planned is a job and its next run.
type Planned struct {
	Name, Spec string
	Loc        *time.Location
	Next       time.Time
}

// Same reports whether jobs are the planned ones: the same names, specs
// and zones (Set would change no plan).
func Same(planned []Planned, jobs []Job) bool {
	if len(planned) != len(jobs) {
		return false
	}
	byName := make(map[string]Planned, len(planned))
	for _, p := range planned {
		byName[p.Name] = p
	}
	for _, j := range jobs {
		p, ok := byName[j.Name]
		if !ok || p.Spec != j.Spec || p.Loc.String() != j.Loc.String() {
			return false
		}
	}
	return true
}

// Tick runs, one after another and in order of their planned time, every
// job that is due now, then plans each one's next run. It waits for jobs
// still running from another Tick or a RunUntil. The clock going backwards
// re-plans all.
func (s *Scheduler) Tick(ctx context.Context) {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	now := s.now()
	s.mu.Lock()
	if now.Before(s.last) {
		for _, e := range s.entries {
			e.next = e.sched.Next(now)
		}
	}
	s.last = now
	var due []*entry
	for _, e := range s.entries {
		if !e.next.After(now) && !e.running {
			due = append(due, e)
			e.running = true
		}
	}
	s.mu.Unlock()
	sort.Slice(due, func(i, j int) bool {
		if !due[i].next.Equal(due[j].next) {
			return due[i].next.Before(due[j].next)
		}
		return due[i].job.Name < due[j].job.Name
	})
	for _, e := range due {
		s.runEntry(ctx, e, e.next, s.now)
	}
}

// RunUntil moves a simulated clock forward to the instant to, running on
// the way every run of every job due up to and including to: in order of
// due time (jobs due at the same instant by name), each after step has set
// the clock to its due time, so a jump over several days runs each day's
// jobs in turn. Finally it steps to to. A job that fails or panics is
// logged as in Tick and does not stop the others; RunUntil returns early
// only when ctx is done or step fails. Ticks wait while it runs.
func (s *Scheduler) RunUntil(ctx context.Context, to time.Time, step func(at time.Time) error) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	idle := map[string]bool{} // by job name, asked once per jump
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("scheduler: run until %v: %w", to, err)
		}
		at, due := s.nextDue(to)
		if len(due) == 0 {
			break
		}
		due = s.skipIdle(ctx, due, at, idle)
		if len(due) == 0 {
			continue
		}
		// A run planned before the clock's time (a running clock) is run
		// late rather than moving the clock back.
		if now := s.now(); now.After(at) {
			at = now
		}
		if err := step(at); err != nil {
			return fmt.Errorf("scheduler: step to %v: %w", at, err)
		}
		for _, e := range due {
			s.runEntry(ctx, e, at, func() time.Time { return at })
		}
	}
	if err := step(to); err != nil {
		return fmt.Errorf("scheduler: step to %v: %w", to, err)
	}
	s.mu.Lock()
	s.last = to
	s.mu.Unlock()
	return nil
}

// skipIdle re-plans, without running them, the due jobs that are idle for
// this jump, and returns the others.
func (s *Scheduler) skipIdle(ctx context.Context, due []*entry, at time.Time, idle map[string]bool) []*entry {
	run := due[:0]
	for _, e := range due {
		name := e.job.Name
		if _, asked := idle[name]; !asked && e.job.Idle != nil {
			ok, err := e.job.Idle(ctx)
			if err != nil {
				s.log.Error("scheduler: ask whether a job is idle", "job", name, "err", err)
			}
			idle[name] = ok && err == nil
		}
		if !idle[name] {
			run = append(run, e)
			continue
		}
		s.mu.Lock()
		e.running = false
		e.next = e.sched.Next(at)
		if cur, ok := s.entries[name]; ok && cur != e && cur.running && cur.job.Spec == e.job.Spec {
			cur.running, cur.next = false, e.next
		}
		s.mu.Unlock()
	}
	return run
}

// nextDue marks as running and returns the jobs planned at the earliest
// instant not after to, by name.
func (s *Scheduler) nextDue(to time.Time) (time.Time, []*entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var at time.Time
	var due []*entry
	for _, e := range s.entries {
		switch {
		case e.running || e.next.After(to):
		case len(due) == 0 || e.next.Before(at):
			at, due = e.next, []*entry{e}
		case e.next.Equal(at):
			due = append(due, e)
		}
	}
	for _, e := range due {
		e.running = true
	}
	sort.Slice(due, func(i, j int) bool { return due[i].job.Name < due[j].job.Name })
	return at, due
}

// runEntry runs one planned run of e at at, then plans its next run after
// planFrom().
func (s *Scheduler) runEntry(ctx context.Context, e *entry, at time.Time, planFrom func() time.Time) {
	err := s.run(ctx, e.job, at)
	s.mu.Lock()
	e.running = false
	e.next = e.sched.Next(planFrom())
	// A job that called Set (offices changed) left a new entry that
	// copied running from e: finish that one too.
	if cur, ok := s.entries[e.job.Name]; ok && cur != e && cur.running && cur.job.Spec == e.job.Spec {
		cur.running, cur.next = false, e.next
	}
	s.mu.Unlock()
	if s.observer != nil {
		s.observer.JobRan(e.job.Name, err)
	}
}

// Jump moves a simulated clock to the instant to (by step) without
// running what falls between, and plans every job's next run from there,
// as if just added: the first setting of the console's clock starts a
// simulation rather than catching up on the time in between.
func (s *Scheduler) Jump(to time.Time, step func(at time.Time) error) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if err := step(to); err != nil {
		return fmt.Errorf("scheduler: jump to %v: %w", to, err)
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.entries {
		e.next = e.sched.Next(now)
	}
	s.last = now
	return nil
}

func (s *Scheduler) run(ctx context.Context, j Job, at time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scheduler: job %q panicked: %v", j.Name, p)
			s.log.Error("scheduler: job panicked", "job", j.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	start := time.Now()
	err = j.Run(ctx, at)
	if err != nil && ctx.Err() != nil {
		// Shutdown cut it short: not a failure to alarm anyone.
		s.log.Info("scheduler: job stopped by shutdown", "job", j.Name, "at", at, "err", err)
		return err
	}
	if err != nil {
		s.log.Error("scheduler: job failed", "job", j.Name, "at", at, "err", err)
		return err
	}
	s.log.Info("scheduler: job ran", "job", j.Name, "at", at, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// NextRun returns the earliest planned run (zero if no jobs).
func (s *Scheduler) NextRun() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var next time.Time
	for _, e := range s.entries {
		if next.IsZero() || e.next.Before(next) {
			next = e.next
		}
	}
	return next
}

// Run ticks until ctx is done: at each planned run, when the clock jumps,
// and at least every poll interval (the clock may be simulated).
func (s *Scheduler) Run(ctx context.Context) error {
	const poll = 30 * time.Second
	for {
		s.Tick(ctx)
		wait := poll
		if n := s.NextRun(); !n.IsZero() {
			wait = min(max(n.Sub(s.now()), 10*time.Millisecond), poll)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.changes:
		case <-t.C:
		}
		t.Stop()
	}
}
