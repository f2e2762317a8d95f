package bot

import (
	"sync"
	"time"
)

// OutcomeRateLimited is recorded for a message refused because its sender
// sent too many. The inbound row is kept for audit.
const OutcomeRateLimited = "rate_limited"

// Default per-sender limits: 20 messages a minute, bursts of 10.
const (
	DefaultRatePerMinute = 20
	DefaultRateBurst     = 10
)

// RateLimiter is a token bucket per sender (platform and sender ID): each
// sender may send Burst messages at once and PerMinute a minute after
// that. Over the limit, the first refused message is answered once with a
// polite "too many messages"; later ones are recorded and not answered
// until the sender is allowed again. Safe for concurrent use.
type RateLimiter struct {
	perSec float64
	burst  float64
	now    func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	calls   int
}

type bucket struct {
	tokens float64
	last   time.Time
	warned bool // the sender was told once since last allowed
}

// NewRateLimiter returns a limiter of perMinute messages a minute with
// bursts of burst, reading time from now (time.Now if nil).
func NewRateLimiter(perMinute, burst int, now func() time.Time) *RateLimiter {
	if now == nil {
		now = time.Now
	}
	return &RateLimiter{perSec: float64(perMinute) / 60, burst: float64(max(burst, 1)), now: now, buckets: map[string]*bucket{}}
}

// Allow takes a token for key. allowed is false when the sender is over
// the limit; warn is true for the first refused message since the sender
// was last allowed (the one to answer).
func (l *RateLimiter) Allow(key string) (allowed, warn bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.calls++
	if l.calls%4096 == 0 {
		l.prune(now)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.perSec)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		b.warned = false
		return true, false
	}
	warn = !b.warned
	b.warned = true
	return false, warn
}

// prune forgets senders whose bucket has refilled: they are
// indistinguishable from new ones. Called with l.mu held.
func (l *RateLimiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// rateLimited applies the per-sender limit to an addressed message. It
// reports whether the message is refused (outcome rate_limited); the first
// refused private message is answered once.
func (t *turn) rateLimited() (bool, error) {
	if t.s.limiter == nil || t.trustedPlatform() {
		return false, nil // the console's operator is not a flood risk
	}
	allowed, warn := t.s.limiter.Allow(string(t.in.Platform) + "\x00" + t.in.SenderID)
	if allowed {
		return false, nil
	}
	t.outcome = OutcomeRateLimited
	if warn && !t.in.Group {
		return true, t.reply(t.s.t.TooMany)
	}
	return true, nil
}

// trustedPlatform reports whether the message came from a platform whose
// sender the operator picks (the console).
func (t *turn) trustedPlatform() bool {
	for _, a := range t.s.implicit {
		if a.Platform() == t.in.Platform && a.TrustsSender() {
			return true
		}
	}
	return false
}
