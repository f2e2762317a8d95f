package scheduler

import (
	"context"
	"testing"
	"time"
)

// A job may call Set (to re-register jobs when offices change) and still
// run again at its next time.
func TestSetFromJob(t *testing.T) {
	now := time.Date(2020, 3, 18, 0, 0, 0, 0, time.UTC)
	s := New(func() time.Time { return now }, nil, nil, nil)
	runs := 0
	var jobs func() []Job
	jobs = func() []Job {
		return []Job{{Name: "refresh", Spec: "*/5 * * * *", Loc: time.UTC, Run: func(ctx context.Context, at time.Time) error {
			runs++
			return s.Set(jobs())
		}}}
	}
	if err := s.Set(jobs()); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		now = now.Add(5 * time.Minute)
		s.Tick(context.Background())
	}
	if runs != 3 {
		t.Errorf("got %d runs, want 3", runs)
	}
}
