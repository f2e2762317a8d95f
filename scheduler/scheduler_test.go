package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/clock"
)

func loc(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestRunsAtLocalTimeInEachZone(t *testing.T) {
	ctx := context.Background()
	wib, wita, wit := loc(t, "Asia/Jakarta"), loc(t, "Asia/Makassar"), loc(t, "Asia/Jayapura")
	// Tuesday 2020-03-17 05:00 UTC = 12:00 WIB, 13:00 WITA, 14:00 WIT.
	c := clock.NewFrozen(time.Date(2020, 3, 17, 5, 0, 0, 0, time.UTC))
	var ran []string
	job := func(name string, l *time.Location) Job {
		return Job{Name: name, Spec: "0 15 * * 1-5", Loc: l, Run: func(_ context.Context, at time.Time) error {
			if got := at.In(l); got.Hour() != 15 || got.Minute() != 0 {
				t.Errorf("%s ran for %v, want 15:00 local", name, got)
			}
			ran = append(ran, name)
			return nil
		}}
	}
	s := New(c.Now, nil, nil, nil)
	if err := s.Set([]Job{job("wib", wib), job("wita", wita), job("wit", wit)}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		utc  int // hour UTC on 2020-03-17
		want []string
	}{
		{5, nil},
		{6, []string{"wit"}},         // 15:00 WIT
		{7, []string{"wit", "wita"}}, // 15:00 WITA
		{8, []string{"wit", "wita", "wib"}},
		{9, []string{"wit", "wita", "wib"}}, // nothing twice
	}
	for _, st := range steps {
		c.Set(time.Date(2020, 3, 17, st.utc, 0, 0, 0, time.UTC))
		s.Tick(ctx)
		if len(ran) != len(st.want) {
			t.Fatalf("at %02d:00 UTC ran %v, want %v", st.utc, ran, st.want)
		}
		for i := range ran {
			if ran[i] != st.want[i] {
				t.Fatalf("at %02d:00 UTC ran %v, want %v", st.utc, ran, st.want)
			}
		}
	}
	// Weekend: Friday 15:00 runs, then nothing until Monday.
	ran = nil
	c.Set(time.Date(2020, 3, 20, 8, 0, 0, 0, time.UTC)) // Friday 15:00 WIB
	s.Tick(ctx)
	c.Set(time.Date(2020, 3, 22, 9, 0, 0, 0, time.UTC)) // Sunday
	s.Tick(ctx)
	if len(ran) != 3 {
		t.Errorf("Friday..Sunday ran %v, want one run per office (Friday)", ran)
	}
}

func TestPanicsAndErrorsAreContained(t *testing.T) {
	c := clock.NewFrozen(time.Date(2020, 3, 17, 0, 0, 0, 0, time.UTC))
	var obs recorder
	s := New(c.Now, nil, nil, &obs)
	calls := 0
	err := s.Set([]Job{
		{Name: "a-panics", Spec: "* * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error { panic("boom") }},
		{Name: "b-fails", Spec: "* * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error { return errors.New("nope") }},
		{Name: "c-works", Spec: "* * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error { calls++; return nil }},
	})
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	s.Tick(context.Background())
	if calls != 1 {
		t.Errorf("working job ran %d times, want 1", calls)
	}
	if len(obs) != 3 || obs["a-panics"] == nil || obs["b-fails"] == nil || obs["c-works"] != nil {
		t.Errorf("observed %v", obs)
	}
}

type recorder map[string]error

func (r *recorder) JobRan(name string, err error) {
	if *r == nil {
		*r = recorder{}
	}
	(*r)[name] = err
}

func TestSetKeepsPlanAndRejectsBadSpecs(t *testing.T) {
	c := clock.NewFrozen(time.Date(2020, 3, 17, 0, 0, 0, 0, time.UTC))
	s := New(c.Now, nil, nil, nil)
	noop := func(context.Context, time.Time) error { return nil }
	if err := s.Set([]Job{{Name: "x", Spec: "0 15 * * *", Loc: time.UTC, Run: noop}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Set([]Job{{Name: "x", Spec: "61 15 * * *", Loc: time.UTC, Run: noop}}); err == nil {
		t.Error("bad spec accepted")
	}
	if err := s.Set([]Job{{Name: "x", Spec: "0 15 * * *", Loc: time.UTC, Run: noop}, {Name: "x", Spec: "0 16 * * *", Loc: time.UTC, Run: noop}}); err == nil {
		t.Error("duplicate job name accepted")
	}
	jobs := s.Jobs()
	if len(jobs) != 1 || !jobs[0].Next.Equal(time.Date(2020, 3, 17, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("jobs = %+v", jobs)
	}
}

func TestClockGoingBackReplans(t *testing.T) {
	c := clock.NewFrozen(time.Date(2020, 3, 18, 16, 0, 0, 0, time.UTC))
	s := New(c.Now, nil, nil, nil)
	n := 0
	s.Set([]Job{{Name: "x", Spec: "0 15 * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error { n++; return nil }}})
	c.Set(time.Date(2020, 3, 17, 14, 0, 0, 0, time.UTC)) // the console went back a day
	s.Tick(context.Background())
	c.Set(time.Date(2020, 3, 17, 15, 0, 0, 0, time.UTC))
	s.Tick(context.Background())
	if n != 1 {
		t.Errorf("after going back, job ran %d times at its time, want 1", n)
	}
}

// TestJobStoppedByShutdownIsNotAnError: a job that returns an error
// because its context ended (shutdown) is logged as stopped, not as a
// failure; a job that fails on its own still is.
func TestJobStoppedByShutdownIsNotAnError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cancel  bool
		wantLvl string
	}{
		{"stopped by shutdown", true, "level=INFO msg=\"scheduler: job stopped by shutdown\""},
		{"fails on its own", false, "level=ERROR msg=\"scheduler: job failed\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := clock.NewFrozen(time.Date(2020, 3, 17, 0, 0, 0, 0, time.UTC))
			var logs strings.Builder
			var obs recorder
			s := New(c.Now, nil, slog.New(slog.NewTextHandler(&logs, nil)), &obs)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			err := s.Set([]Job{{Name: "refresh", Spec: "* * * * *", Loc: time.UTC, Run: func(ctx context.Context, _ time.Time) error {
				if tc.cancel {
					cancel()
					return fmt.Errorf("refresh: %w", ctx.Err())
				}
				return errors.New("disk full")
			}}})
			if err != nil {
				t.Fatal(err)
			}
			c.Advance(time.Minute)
			s.Tick(ctx)
			if obs["refresh"] == nil {
				t.Errorf("observer saw no error for the job: %v", obs)
			}
			if !strings.Contains(logs.String(), tc.wantLvl) {
				t.Errorf("log %q lacks %q", logs.String(), tc.wantLvl)
			}
		})
	}
}
