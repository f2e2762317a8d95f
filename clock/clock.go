// Package clock provides the settable clocks Piket injects for time: a
// simulated clock that keeps running from the time it was set to, the
// console's stepped clock (which stands still once set, so a scheduler can
// step it through the jobs due on a jump) and a frozen one for tests.
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
	hold    bool // the first Set freezes the clock
	at      time.Time
	changes chan struct{}
}

// NewSim returns a clock that shows real time until Set.
func NewSim() *Sim { return &Sim{real: time.Now, changes: make(chan struct{}, 1)} }

// NewFrozen returns a clock stopped at t; only Set and Advance move it.
func NewFrozen(t time.Time) *Sim {
	return &Sim{real: time.Now, frozen: true, at: t, changes: make(chan struct{}, 1)}
}

// NewStepped returns a clock that shows real time until the first Set and
// from then on stands still at the time it was last set to: only Set and
// Advance move it. The console simulator uses it so that what happens
// depends on the script, not on how fast it runs.
func NewStepped() *Sim { return &Sim{real: time.Now, hold: true, changes: make(chan struct{}, 1)} }

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
	if c.hold {
		c.frozen = true
	}
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
