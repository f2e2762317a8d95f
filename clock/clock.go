// Package clock provides the settable clocks Piket injects for time: a
// simulated clock that keeps running from the time it was set to, and a
// frozen one, which only Set and Advance move: the console simulator's
// (a scheduler steps it through the jobs due on a jump) and tests'.
package clock

import (
	"sync"
	"time"
)

// Sim is a clock that runs at real speed from a time it can be set to.
// Set notifies Changes, so a scheduler can re-plan after a jump.
type Sim struct {
	mu      sync.Mutex
	real    func() time.Time
	offset  time.Duration
	frozen  bool
	at      time.Time
	changes chan struct{}
}

// NewSim returns a clock that shows real time until Set.
func NewSim() *Sim { return &Sim{real: time.Now, changes: make(chan struct{}, 1)} }

// NewFrozen returns a clock stopped at t; only Set and Advance move it.
func NewFrozen(t time.Time) *Sim {
	return &Sim{real: time.Now, frozen: true, at: t, changes: make(chan struct{}, 1)}
}

// NewStepped returns a clock that starts at the real time and stands
// still there, and at each time it is set to: only Set and Advance move
// it. The console simulator uses it so that what happens depends on the
// script, not on how fast it runs.
func NewStepped() *Sim { return NewFrozen(time.Now()) }

// Now returns the clock's time.
func (c *Sim) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.at
	}
	return c.real().Add(c.offset)
}

// Set moves the clock to t (it keeps running from there unless frozen).
func (c *Sim) Set(t time.Time) {
	c.mu.Lock()
	if c.frozen {
		c.at = t
	} else {
		c.offset = t.Sub(c.real())
	}
	c.mu.Unlock()
	c.signal()
}

// Advance moves the clock forward by d.
func (c *Sim) Advance(d time.Duration) {
	c.mu.Lock()
	if c.frozen {
		c.at = c.at.Add(d)
	} else {
		c.offset += d
	}
	c.mu.Unlock()
	c.signal()
}

// Changes receives a value after each Set or Advance.
func (c *Sim) Changes() <-chan struct{} { return c.changes }

func (c *Sim) signal() {
	select {
	case c.changes <- struct{}{}:
	default:
	}
}
