package scheduler

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/piket-id/piket/clock"
)

// A jump over several days runs every day's jobs in turn, in order of
// their due time across zones, each seeing the clock at its due time.
func TestRunUntilRunsEveryDueRunInOrder(t *testing.T) {
	wib, wita := loc(t, "Asia/Jakarta"), loc(t, "Asia/Makassar")
	// Friday 2020-03-20 15:01 WIB.
	c := clock.NewFrozen(time.Date(2020, 3, 20, 15, 1, 0, 0, wib))
	s := New(c.Now, nil, nil, nil)
	var ran []string
	job := func(name, spec string, l *time.Location) Job {
		return Job{Name: name, Spec: spec, Loc: l, Run: func(_ context.Context, at time.Time) error {
			if !c.Now().Equal(at) {
				t.Errorf("%s at %v saw the clock at %v", name, at, c.Now())
			}
			ran = append(ran, fmt.Sprintf("%s %s", at.In(l).Format("Mon 15:04"), name))
			return nil
		}}
	}
	if err := s.Set([]Job{
		job("post-wib", "0 15 * * *", wib),
		job("post-wita", "0 15 * * *", wita),
		job("remind-wita", "45 7 * * 1-5", wita),
	}); err != nil {
		t.Fatal(err)
	}
	to := time.Date(2020, 3, 24, 15, 1, 0, 0, wib) // Tuesday
	if err := s.RunUntil(context.Background(), to, func(at time.Time) error { c.Set(at); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Sat 15:00 post-wita", "Sat 15:00 post-wib",
		"Sun 15:00 post-wita", "Sun 15:00 post-wib",
		"Mon 07:45 remind-wita", "Mon 15:00 post-wita", "Mon 15:00 post-wib",
		"Tue 07:45 remind-wita", "Tue 15:00 post-wita", "Tue 15:00 post-wib",
	}
	if fmt.Sprint(ran) != fmt.Sprint(want) {
		t.Errorf("ran\n%q\nwant\n%q", ran, want)
	}
	if !c.Now().Equal(to) {
		t.Errorf("clock at %v after RunUntil, want %v", c.Now(), to)
	}
	// Nothing runs twice: a Tick and a second RunUntil to the same time
	// find nothing due.
	n := len(ran)
	s.Tick(context.Background())
	if err := s.RunUntil(context.Background(), to, func(at time.Time) error { c.Set(at); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ran) != n {
		t.Errorf("ran again: %q", ran[n:])
	}
}

// A job due exactly at the target runs; the minute job runs once a minute.
func TestRunUntilMinuteJobAndBoundary(t *testing.T) {
	start := time.Date(2020, 3, 18, 10, 0, 0, 0, time.UTC)
	c := clock.NewFrozen(start)
	s := New(c.Now, nil, nil, nil)
	var minutes []time.Time
	s.Set([]Job{{Name: "leave", Spec: "* * * * *", Loc: time.UTC, Run: func(_ context.Context, at time.Time) error {
		minutes = append(minutes, c.Now())
		return nil
	}}})
	to := start.Add(45 * time.Minute)
	if err := s.RunUntil(context.Background(), to, func(at time.Time) error { c.Set(at); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(minutes) != 45 || !minutes[0].Equal(start.Add(time.Minute)) || !minutes[44].Equal(to) {
		t.Errorf("minute job saw %d runs from %v to %v, want 45 from 10:01 to 10:45", len(minutes), minutes[0], minutes[len(minutes)-1])
	}
}

// A job that re-registers the jobs (the roster refresh) keeps every job
// on its plan; failures and panics do not stop the jump.
func TestRunUntilWithSetFailuresAndPanics(t *testing.T) {
	start := time.Date(2020, 3, 18, 0, 0, 0, 0, time.UTC)
	c := clock.NewFrozen(start)
	s := New(c.Now, nil, nil, nil)
	counts := map[string]int{}
	var jobs func() []Job
	jobs = func() []Job {
		return []Job{
			{Name: "a-refresh", Spec: "*/5 * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error {
				counts["refresh"]++
				return s.Set(jobs())
			}},
			{Name: "b-panics", Spec: "*/10 * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error {
				counts["panic"]++
				panic("boom")
			}},
			{Name: "c-fails", Spec: "0 * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error {
				counts["fail"]++
				return errors.New("nope")
			}},
		}
	}
	if err := s.Set(jobs()); err != nil {
		t.Fatal(err)
	}
	if err := s.RunUntil(context.Background(), start.Add(24*time.Hour), func(at time.Time) error { c.Set(at); return nil }); err != nil {
		t.Fatal(err)
	}
	if counts["refresh"] != 288 || counts["panic"] != 144 || counts["fail"] != 24 {
		t.Errorf("runs in a day: %v, want refresh 288, panic 144, fail 24", counts)
	}
}

func TestRunUntilStopsWhenCancelled(t *testing.T) {
	start := time.Date(2020, 3, 18, 0, 0, 0, 0, time.UTC)
	c := clock.NewFrozen(start)
	s := New(c.Now, nil, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	runs := 0
	s.Set([]Job{{Name: "x", Spec: "* * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error {
		runs++
		if runs == 3 {
			cancel()
		}
		return nil
	}}})
	err := s.RunUntil(ctx, start.Add(time.Hour), func(at time.Time) error { c.Set(at); return nil })
	if !errors.Is(err, context.Canceled) || runs != 3 {
		t.Errorf("err %v after %d runs, want context.Canceled after 3", err, runs)
	}
}

// Jump starts a simulation: nothing between the old and new time runs.
func TestJumpSkipsTheGap(t *testing.T) {
	c := clock.NewFrozen(time.Date(2020, 3, 18, 0, 0, 0, 0, time.UTC))
	s := New(c.Now, nil, nil, nil)
	runs := 0
	s.Set([]Job{{Name: "x", Spec: "0 15 * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error { runs++; return nil }}})
	if err := s.Jump(time.Date(2021, 1, 1, 16, 0, 0, 0, time.UTC), func(at time.Time) error { c.Set(at); return nil }); err != nil {
		t.Fatal(err)
	}
	s.Tick(context.Background())
	if runs != 0 {
		t.Errorf("ran %d times after Jump, want 0", runs)
	}
	if next := s.NextRun(); !next.Equal(time.Date(2021, 1, 2, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("next run %v", next)
	}
}

// An idle job is asked once per jump and then skipped for the whole jump,
// still planned after it; a busy one runs at every due time; Tick runs
// both.
func TestRunUntilSkipsIdleJobs(t *testing.T) {
	start := time.Date(2020, 3, 18, 10, 0, 0, 0, time.UTC)
	c := clock.NewFrozen(start)
	s := New(c.Now, nil, nil, nil)
	runs := map[string]int{}
	asked := map[string]int{}
	job := func(name string, idle bool) Job {
		return Job{Name: name, Spec: "* * * * *", Loc: time.UTC,
			Run:  func(context.Context, time.Time) error { runs[name]++; return nil },
			Idle: func(context.Context) (bool, error) { asked[name]++; return idle, nil }}
	}
	s.Set([]Job{job("busy", false), job("idle", true)})
	step := func(at time.Time) error { c.Set(at); return nil }
	for jump := 1; jump <= 2; jump++ {
		if err := s.RunUntil(context.Background(), start.Add(time.Duration(jump)*time.Hour), step); err != nil {
			t.Fatal(err)
		}
		if runs["busy"] != 60*jump || runs["idle"] != 0 || asked["busy"] != jump || asked["idle"] != jump {
			t.Fatalf("after jump %d: runs %v, asked %v", jump, runs, asked)
		}
	}
	if next := s.NextRun(); !next.Equal(start.Add(2*time.Hour + time.Minute)) {
		t.Errorf("next run %v, want the minute after the jump", next)
	}
	c.Advance(time.Minute)
	s.Tick(context.Background())
	if runs["idle"] != 1 {
		t.Errorf("Tick did not run the idle job: %v", runs)
	}
}

func TestSame(t *testing.T) {
	wita := loc(t, "Asia/Makassar")
	noop := func(context.Context, time.Time) error { return nil }
	s := New(func() time.Time { return time.Date(2020, 3, 18, 0, 0, 0, 0, time.UTC) }, nil, nil, nil)
	jobs := []Job{{Name: "a", Spec: "0 15 * * *", Loc: wita, Run: noop}, {Name: "b", Spec: "* * * * *", Loc: time.UTC, Run: noop}}
	s.Set(jobs)
	tests := []struct {
		name string
		jobs []Job
		want bool
	}{
		{"same", []Job{jobs[1], jobs[0]}, true},
		{"one less", jobs[:1], false},
		{"other spec", []Job{{Name: "a", Spec: "0 16 * * *", Loc: wita}, jobs[1]}, false},
		{"other zone", []Job{{Name: "a", Spec: "0 15 * * *", Loc: time.UTC}, jobs[1]}, false},
		{"other name", []Job{{Name: "c", Spec: "0 15 * * *", Loc: wita}, jobs[1]}, false},
	}
	for _, tt := range tests {
		if got := Same(s.Jobs(), tt.jobs); got != tt.want {
			t.Errorf("%s: Same = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// A Tick (the console settling after a line, or the end of input) waits
// for a job another Tick is running, so what the job does is done when it
// returns; before, it skipped the running job and returned at once.
func TestTickWaitsForRunningJob(t *testing.T) {
	c := clock.NewFrozen(time.Date(2020, 3, 18, 10, 0, 0, 0, time.UTC))
	s := New(c.Now, nil, nil, nil)
	started, release := make(chan struct{}), make(chan struct{})
	events := make(chan string, 4)
	s.Set([]Job{{Name: "slow", Spec: "* * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error {
		close(started)
		<-release
		events <- "job done"
		return nil
	}}})
	c.Advance(time.Minute)
	first := make(chan struct{})
	go func() { s.Tick(context.Background()); close(first) }()
	<-started
	second := make(chan struct{})
	go func() { s.Tick(context.Background()); events <- "second tick returned"; close(second) }()
	// Give a wrongly non-waiting Tick time to return first; a waiting one
	// cannot, however long this takes.
	time.Sleep(50 * time.Millisecond)
	close(release)
	<-first
	<-second
	if got := []string{<-events, <-events}; got[0] != "job done" {
		t.Errorf("events %q: the second Tick returned before the job it found running was done", got)
	}
}
