package tgfake

import (
	"math"
	"time"
)

// Limit allows N sends in any window of length Per. A zero Limit is none.
type Limit struct {
	N   int
	Per time.Duration
}

// Limits are the rate limits the fake enforces on sendMessage.
type Limits struct {
	Disabled bool
	Global   Limit // all chats together
	Chat     Limit // one chat
	Group    Limit // one group chat (negative chat ID), on top of Chat
}

// DefaultLimits are Telegram's documented limits: about 30 messages per
// second overall, about one per second per chat, 20 per minute per group.
// The zero Limits means DefaultLimits.
func DefaultLimits() Limits {
	return Limits{
		Global: Limit{N: 30, Per: time.Second},
		Chat:   Limit{N: 1, Per: time.Second},
		Group:  Limit{N: 20, Per: time.Minute},
	}
}

// NoLimits turns rate limiting off.
func NoLimits() Limits { return Limits{Disabled: true} }

// window holds the times of recent sends, oldest first.
type window []time.Time

// wait drops sends older than lim.Per and returns how long until one more
// send fits.
func (w *window) wait(lim Limit, now time.Time) time.Duration {
	if lim.N <= 0 || lim.Per <= 0 {
		return 0
	}
	i := 0
	for i < len(*w) && !(*w)[i].After(now.Add(-lim.Per)) {
		i++
	}
	*w = (*w)[i:]
	if len(*w) < lim.N {
		return 0
	}
	return (*w)[len(*w)-lim.N].Add(lim.Per).Sub(now)
}

func (w *window) add(lim Limit, now time.Time) {
	if lim.N > 0 && lim.Per > 0 {
		*w = append(*w, now)
	}
}

type limiter struct {
	lim          Limits
	global       window
	chats        map[int64]*window
	groups       map[int64]*window
	globalUntil  time.Time
	blockedUntil map[int64]time.Time
}

func newLimiter(l Limits) *limiter {
	if l == (Limits{}) {
		l = DefaultLimits()
	}
	return &limiter{
		lim:          l,
		chats:        make(map[int64]*window),
		groups:       make(map[int64]*window),
		blockedUntil: make(map[int64]time.Time),
	}
}

// allow records a send at now if the limits permit it and returns 0, or
// returns the whole seconds to wait (Telegram's retry_after). While a
// retry_after is pending, further sends are refused and not counted.
func (l *limiter) allow(now time.Time, chat int64) int {
	if l.lim.Disabled {
		return 0
	}
	if now.Before(l.globalUntil) {
		return ceilSeconds(l.globalUntil.Sub(now))
	}
	if until, ok := l.blockedUntil[chat]; ok && now.Before(until) {
		return ceilSeconds(until.Sub(now))
	}
	if w := l.global.wait(l.lim.Global, now); w > 0 {
		secs := ceilSeconds(w)
		l.globalUntil = now.Add(time.Duration(secs) * time.Second)
		return secs
	}
	cw := l.chats[chat]
	if cw == nil {
		cw = new(window)
		l.chats[chat] = cw
	}
	w := cw.wait(l.lim.Chat, now)
	var gw *window
	if chat < 0 {
		gw = l.groups[chat]
		if gw == nil {
			gw = new(window)
			l.groups[chat] = gw
		}
		w = max(w, gw.wait(l.lim.Group, now))
	}
	if w > 0 {
		secs := ceilSeconds(w)
		l.blockedUntil[chat] = now.Add(time.Duration(secs) * time.Second)
		return secs
	}
	l.global.add(l.lim.Global, now)
	cw.add(l.lim.Chat, now)
	if gw != nil {
		gw.add(l.lim.Group, now)
	}
	return 0
}

func ceilSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
