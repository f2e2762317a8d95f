package clock

import (
	"testing"
	"time"
)

func TestFrozen(t *testing.T) {
	start := time.Date(2020, 3, 18, 7, 0, 0, 0, time.UTC)
	c := NewFrozen(start)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("Now = %v, want %v", got, start)
	}
	c.Advance(90 * time.Minute)
	if got, want := c.Now(), start.Add(90*time.Minute); !got.Equal(want) {
		t.Fatalf("after Advance: Now = %v, want %v", got, want)
	}
	select {
	case <-c.Changes():
	default:
		t.Fatal("Advance did not signal Changes")
	}
}

func TestSimRuns(t *testing.T) {
	real := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	c := NewSim()
	c.real = func() time.Time { return real }
	target := time.Date(2020, 3, 18, 15, 0, 0, 0, time.UTC)
	c.Set(target)
	real = real.Add(5 * time.Second)
	if got, want := c.Now(), target.Add(5*time.Second); !got.Equal(want) {
		t.Fatalf("Now = %v, want %v", got, want)
	}
}

func TestSteppedStandsStill(t *testing.T) {
	before := time.Now()
	c := NewStepped()
	start := c.Now()
	if start.Before(before) || start.After(time.Now()) {
		t.Fatalf("starts at %v, want the real time (%v)", start, before)
	}
	time.Sleep(2 * time.Millisecond)
	if got := c.Now(); !got.Equal(start) {
		t.Fatalf("moved by itself from %v to %v", start, got)
	}
	target := time.Date(2020, 3, 18, 15, 0, 0, 0, time.UTC)
	c.Set(target)
	time.Sleep(2 * time.Millisecond)
	if got := c.Now(); !got.Equal(target) {
		t.Fatalf("after Set: Now = %v, want %v", got, target)
	}
}
