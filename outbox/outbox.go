// Package outbox delivers the messages queued in the store's outbox through
// each platform's Sender. Each platform's queue is read on its own, by
// priority (replies, then alerts, then bulk) and then in queue order, so
// one platform's backlog never delays another; a pass reads a page of as
// many messages as the platform has send slots, and nothing while its rate
// limit says wait. Messages go in queue order per chat (within a
// priority), within the platform's rate limits, retrying transient
// failures with backoff and obeying the platform's retry-after. A message
// is marked sent only after its Sender returned; a crash in between sends
// it again (at least once), never loses it.
//
// Before sending, a dispatcher claims each message in the store (a lease
// with its owner ID and an expiry), so a second dispatcher on the same
// database skips what the first is sending. When a delivery cannot be
// recorded (the disk is full, the database read-only), the dispatcher
// pauses: it sends nothing more until the record can be written, retrying
// it with backoff, so a message is never sent again in a loop; Check
// reports the pause.
package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// Limits are one platform's sending limits. Zero values mean no limit.
type Limits struct {
	PerSecond      float64       // messages per second for the whole bot
	PerChat        time.Duration // minimum interval between messages to one chat
	GroupPerMinute int           // messages per minute to one group chat
	Concurrency    int           // sends in flight at once (default 1)
	// MaxPerWindow, with Window, caps the sends in flight or ended within
	// the last Window. The platform counts a send when it arrives, at
	// some instant between its start and its end, so spacing the starts
	// (PerSecond) is not enough when requests are delayed unevenly; this
	// cap never lets more than MaxPerWindow arrivals share one Window.
	MaxPerWindow int
	Window       time.Duration
	// Warmup holds the first send until this long after Run starts: the
	// process this one replaces (after a crash or a restart) may have
	// used up the platform's current rate window.
	Warmup time.Duration
}

// TelegramLimits are Telegram's published limits: sends start at most 29
// a second, and never more than 30 are in flight or ended within one
// second (so at most 30 can arrive in any second, however unevenly the
// requests travel).
func TelegramLimits() Limits {
	return Limits{PerSecond: 29, PerChat: 1010 * time.Millisecond, GroupPerMinute: 20, Concurrency: 16,
		MaxPerWindow: 30, Window: time.Second, Warmup: time.Second}
}

// Queue names one platform account's queue: each account of a platform
// (several Telegram bots, several WhatsApp numbers) has its own queue, its
// own sender and its own limits, so one account's backlog or rate limit
// never holds up another's messages. Account "" is the platform's primary
// account.
type Queue struct {
	Platform bot.Platform
	Account  string
}

// label names the queue for metrics and logs: the platform, or
// "platform:account" for an account other than the primary.
func (q Queue) label() bot.Platform {
	if q.Account == "" {
		return q.Platform
	}
	return q.Platform + bot.Platform(":"+q.Account)
}

// Account is one more account of a platform: its sender and limits.
type Account struct {
	Queue
	Sender bot.Sender
	Limits Limits
}

// Observer receives delivery outcomes (for metrics). May be nil. The
// platform is "platform:account" for an account other than the primary.
type Observer interface {
	Sent(platform bot.Platform)
	Failed(platform bot.Platform, permanent bool)
	RateLimited(platform bot.Platform)
}

// Options configure a Dispatcher.
type Options struct {
	Store *store.Store
	// Senders and Limits are each platform's primary account's.
	Senders map[bot.Platform]bot.Sender
	Limits  map[bot.Platform]Limits
	// Accounts are the platforms' other accounts.
	Accounts []Account
	Log      *slog.Logger
	Observer Observer
	// Now is the real clock (rate limits and retries); default time.Now.
	Now func() time.Time
	// Batch is how many queued messages of one platform a pass reads at
	// most (default 512). A pass reads a page of as many messages as the
	// platform has send slots and reads on only while slots are free and
	// what it read is blocked (a chat's earlier message waits, say).
	Batch int
	// MaxBackoff caps the retry delay after transient errors (default 5m).
	MaxBackoff time.Duration
	// Owner identifies this dispatcher in its outbox leases (default: a
	// random ID per Dispatcher).
	Owner string
	// Lease is how long a claim on a message holds (default 2m): another
	// dispatcher may take a message over once its lease expired.
	Lease time.Duration
	// TakeOver drops, when Run starts, the leases other owners left: set
	// it only when this process holds the database's instance lock, so
	// those owners are dead (messages in flight at a crash are then sent
	// at once, not after their lease).
	TakeOver bool
	// WatchEvery is how often Run looks for commits made by other
	// processes (PRAGMA data_version) to wake up (default 1s; negative:
	// never, only Notify and the timers wake it).
	WatchEvery time.Duration
	// MaxProbe caps the interval between attempts to record a delivery
	// while paused (default 30s; the first retry is after a second).
	MaxProbe time.Duration
	// IdleWait is how long Run waits, with nothing due, before it looks
	// again on its own (default 1m). Notify and the commit watch
	// (WatchEvery) wake it sooner.
	IdleWait time.Duration
}

// PauseObserver is an optional interface of an Observer: it is told when
// the dispatcher pauses (cannot write to the store) and resumes.
type PauseObserver interface {
	OutboxPaused(paused bool)
}

// Dispatcher sends queued messages.
type Dispatcher struct {
	o       Options
	wake    chan struct{}
	mu      sync.Mutex // one pass at a time; guards the fields below
	plat    map[Queue]*platformState
	order   []Queue        // d.plat's keys, sorted: the order of a pass
	running map[int64]bool // outbox IDs in flight
	idle    *sync.Cond     // signalled when the last send in flight ends (uses mu)

	// unmarked holds outcomes of finished sends the store could not
	// record; while any is left, nothing is sent (paused).
	unmarked map[int64]outcome
	probeAt  time.Time     // earliest next attempt to write, while paused
	probe    time.Duration // current interval between attempts

	hmu         sync.Mutex // guards pauseErr, pausedSince (Check must not wait for a pass)
	pauseErr    error
	pausedSince time.Time
}

// outcome is the record of one finished send.
type outcome struct {
	kind      outcomeKind
	sentID    string
	at        time.Time // sent at
	notBefore time.Time // retry at
	cause     string
}

type outcomeKind int

const (
	outcomeSent outcomeKind = iota
	outcomeRetry
	outcomeFailed
)

type platformState struct {
	label       bot.Platform // for the observer
	lim         Limits
	sender      bot.Sender
	inflight    int
	nextGlobal  time.Time            // earliest next send on the platform
	chatNext    map[string]time.Time // earliest next send per chat
	chatBusy    map[string]bool      // a send in flight to the chat
	groupWindow map[string][]time.Time
	ended       []time.Time // ends of sends within the last lim.Window, ascending
	recording   int         // sends in flight that ended, their outcome being recorded (in ended)
}

// New returns a Dispatcher.
func New(o Options) *Dispatcher {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Batch <= 0 {
		o.Batch = 512
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	if o.Owner == "" {
		o.Owner = newOwner()
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.WatchEvery == 0 {
		o.WatchEvery = time.Second
	}
	if o.MaxProbe <= 0 {
		o.MaxProbe = 30 * time.Second
	}
	if o.IdleWait <= 0 {
		o.IdleWait = time.Minute
	}
	d := &Dispatcher{o: o, wake: make(chan struct{}, 1), plat: map[Queue]*platformState{}, running: map[int64]bool{},
		unmarked: map[int64]outcome{}}
	d.idle = sync.NewCond(&d.mu)
	accounts := slices.Clone(o.Accounts)
	for p, s := range o.Senders {
		accounts = append(accounts, Account{Queue: Queue{Platform: p}, Sender: s, Limits: o.Limits[p]})
	}
	for _, a := range accounts {
		lim := a.Limits
		if lim.Concurrency <= 0 {
			lim.Concurrency = 1
		}
		d.plat[a.Queue] = &platformState{label: a.label(), lim: lim, sender: a.Sender,
			chatNext: map[string]time.Time{}, chatBusy: map[string]bool{}, groupWindow: map[string][]time.Time{}}
		d.order = append(d.order, a.Queue)
	}
	slices.SortFunc(d.order, func(a, b Queue) int {
		if c := strings.Compare(string(a.Platform), string(b.Platform)); c != 0 {
			return c
		}
		return strings.Compare(a.Account, b.Account)
	})
	return d
}

// Notify wakes the dispatcher: new messages were queued.
func (d *Dispatcher) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// newOwner returns a random lease owner ID.
func newOwner() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// Owner is the ID this dispatcher claims messages with.
func (d *Dispatcher) Owner() string { return d.o.Owner }

// Check returns nil while the dispatcher can record what it sends, and an
// error with the reason while it is paused (for a health check).
func (d *Dispatcher) Check(context.Context) error {
	d.hmu.Lock()
	defer d.hmu.Unlock()
	if d.pauseErr != nil {
		return fmt.Errorf("outbox paused since %s: %w", d.pausedSince.UTC().Format(time.RFC3339), d.pauseErr)
	}
	return nil
}

// Paused reports whether sending is paused.
func (d *Dispatcher) Paused() bool { return d.Check(context.Background()) != nil }

// pause stops sending after a failed write to the store (d.mu held).
func (d *Dispatcher) pause(err error) {
	now := d.o.Now()
	if d.probe <= 0 {
		d.probe = min(time.Second, d.o.MaxProbe)
	} else {
		d.probe = min(2*d.probe, d.o.MaxProbe)
	}
	d.probeAt = now.Add(d.probe)
	d.hmu.Lock()
	was := d.pauseErr != nil
	d.pauseErr = err
	if !was {
		d.pausedSince = now
	}
	d.hmu.Unlock()
	if was {
		d.o.Log.Warn("outbox: still paused: cannot write to the database", "retry_in", d.probe, "err", err)
		return
	}
	d.o.Log.Error("outbox: paused: cannot write to the database; sending stops until it can", "retry_in", d.probe, "err", err)
	if po, ok := d.o.Observer.(PauseObserver); ok {
		po.OutboxPaused(true)
	}
}

// resume ends a pause (d.mu held).
func (d *Dispatcher) resume() {
	d.probe, d.probeAt = 0, time.Time{}
	d.hmu.Lock()
	was := d.pauseErr != nil
	since := d.pausedSince
	d.pauseErr = nil
	d.hmu.Unlock()
	if !was {
		return
	}
	d.o.Log.Info("outbox: resumed: the database takes writes again", "paused_for", d.o.Now().Sub(since).Round(time.Millisecond))
	if po, ok := d.o.Observer.(PauseObserver); ok {
		po.OutboxPaused(false)
	}
}

// Run sends until ctx is done, then waits for sends in flight.
func (d *Dispatcher) Run(ctx context.Context) error {
	defer d.waitIdle()
	if d.o.TakeOver {
		if n, err := d.o.Store.ReleaseOutboxClaims(ctx, d.o.Owner); err != nil {
			d.o.Log.Warn("outbox: release leases of a previous run", "err", err)
		} else if n > 0 {
			d.o.Log.Info("outbox: took over messages a previous run had claimed", "messages", n)
		}
	}
	if d.o.WatchEvery > 0 {
		wctx, stop := context.WithCancel(ctx)
		watched := make(chan struct{})
		defer func() { stop(); <-watched }()
		go func() {
			defer close(watched)
			if err := d.o.Store.WatchCommits(wctx, d.o.WatchEvery, d.Notify); err != nil {
				d.o.Log.Warn("outbox: not watching for messages queued by other processes", "err", err)
			}
		}()
	}
	d.mu.Lock()
	start := d.o.Now()
	for _, ps := range d.plat {
		if at := start.Add(ps.lim.Warmup); at.After(ps.nextGlobal) {
			ps.nextGlobal = at
		}
	}
	d.mu.Unlock()
	if err := d.seedPacing(ctx, start); err != nil && ctx.Err() == nil {
		d.o.Log.Warn("outbox: recent sends unknown, rate windows start empty", "err", err)
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		next, err := d.pass(ctx)
		if err != nil && ctx.Err() == nil {
			d.o.Log.Error("outbox: pass failed", "err", err)
			next = d.o.Now().Add(time.Second)
		}
		wait := d.o.IdleWait
		if !next.IsZero() {
			wait = max(next.Sub(d.o.Now()), time.Millisecond)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-d.wake:
		case <-timer.C:
		}
	}
}

// Flush sends every message that is due and allowed now and waits for
// those sends to finish, repeating until a pass neither starts a send nor
// finds one waiting behind a send in flight (which Run may have started).
// The console uses it to print replies before reading the next line.
func (d *Dispatcher) Flush(ctx context.Context) error {
	for {
		started, busy, err := d.passCount(ctx)
		if err != nil {
			return err
		}
		d.waitIdle()
		if started == 0 && busy == 0 {
			return nil
		}
	}
}

func (d *Dispatcher) pass(ctx context.Context) (time.Time, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	next, _, _, err := d.passLocked(ctx)
	return next, err
}

func (d *Dispatcher) passCount(ctx context.Context) (started, busy int, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, started, busy, err = d.passLocked(ctx)
	return started, busy, err
}

// passLocked starts every send that may start now. It returns when the
// next blocked message may become sendable (zero: nothing waiting), how
// many sends it started, and how many due messages wait only for a send
// in flight. Each platform account's queue is read on its own, so one
// account's backlog never delays another's messages.
func (d *Dispatcher) passLocked(ctx context.Context) (next time.Time, started, busy int, err error) {
	if len(d.unmarked) > 0 && !d.recordUnmarked(ctx) {
		return d.probeAt, 0, 0, nil
	}
	if !d.probeAt.IsZero() && d.o.Now().Before(d.probeAt) {
		return d.probeAt, 0, 0, nil // paused by a failed claim
	}
	later := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, q := range d.order {
		n, b, paused, err := d.passQueue(ctx, q, d.plat[q], later)
		started, busy = started+n, busy+b
		if err != nil {
			return time.Time{}, started, busy, err
		}
		if paused {
			return d.probeAt, started, busy, nil
		}
	}
	return next, started, busy, nil
}

// recordSoon is how long recording a rate-limited platform's send may
// wait for other writes to share its commit (see store.Soon): about one
// send interval at Telegram's 30/s. A crash within it sends the message
// again after the restart (at least once), so it stays short.
const recordSoon = 30 * time.Millisecond

// claimAhead is how many queued messages a pass claims at once when it
// must claim some.
const claimAhead = 128

// passQueue starts the sends of one platform that may start now. It reads
// the platform's queue (by priority, then in queue order) a page at a
// time, a page being as many messages as the platform has send slots, and
// stops as soon as the platform can start no more sends: every slot is
// taken, or its rate limit says wait. So a pass reads what it may send,
// not the whole backlog. paused is true when claiming failed (the
// dispatcher paused).
func (d *Dispatcher) passQueue(ctx context.Context, q Queue, ps *platformState, later func(time.Time)) (started, busy int, paused bool, err error) {
	blocked := map[string]bool{} // chat: an earlier message waits, keep order
	var pos store.QueuePos
	page, scanned := ps.lim.Concurrency, 0
	for {
		now := d.o.Now()
		if ps.inflight >= ps.lim.Concurrency {
			return started, busy + 1, false, nil // each send's end wakes the dispatcher
		}
		if ps.nextGlobal.After(now) {
			later(ps.nextGlobal)
			return started, busy, false, nil
		}
		if scanned >= d.o.Batch {
			later(now.Add(50 * time.Millisecond)) // more waits than one pass reads
			return started, busy, false, nil
		}
		page = min(page, d.o.Batch-scanned)
		rows, err := d.o.Store.PendingQueue(ctx, string(q.Platform), q.Account, pos, page)
		if err != nil {
			return started, busy, false, err
		}
		scanned += len(rows)
		toClaim := rows
		if _, ids := d.held(rows, now); len(ids) > 0 && len(rows) == page && page < claimAhead {
			// Claim the next claimAhead messages in one write, so a
			// steady stream of sends does not write a claim per pass.
			if toClaim, err = d.o.Store.PendingQueue(ctx, string(q.Platform), q.Account, pos, min(claimAhead, d.o.Batch)); err != nil {
				return started, busy, false, err
			}
		}
		mine, err := d.claim(ctx, toClaim)
		if err != nil {
			if ctx.Err() != nil {
				return started, busy, false, ctx.Err()
			}
			d.pause(fmt.Errorf("claim messages to send: %w", err))
			return started, busy, true, nil
		}
		now = d.o.Now() // after the claim's write: the pacing counts from the sends
		for _, r := range rows {
			n, b := d.consider(ctx, ps, r, mine[r.ID], blocked, now, later)
			started, busy = started+n, busy+b
		}
		if len(rows) < page {
			return started, busy, false, nil // the end of the queue
		}
		pos = rows[len(rows)-1].Pos()
		page = min(2*page, d.o.Batch) // the slots are free but what was read is blocked: read on
	}
}

// consider starts the send of r if it may start now, or notes why not: it
// returns 1, 0 when it started the send, and 0, 1 when r is due and waits
// only for a send in flight.
func (d *Dispatcher) consider(ctx context.Context, ps *platformState, r store.Pending, mine bool, blocked map[string]bool,
	now time.Time, later func(time.Time)) (started, busy int) {
	key := r.ChatID
	if d.running[r.ID] {
		blocked[key] = true
		return 0, 1
	}
	if blocked[key] {
		return 0, 0
	}
	if _, ok := d.unmarked[r.ID]; ok {
		blocked[key] = true // sent (or failed); recorded once the store takes writes
		return 0, 0
	}
	if r.NotBefore.After(now) {
		blocked[key] = true
		later(r.NotBefore)
		return 0, 0
	}
	if !mine {
		blocked[key] = true // another dispatcher holds it
		if r.ClaimedUntil.After(now) {
			later(r.ClaimedUntil)
		} else {
			later(now.Add(time.Second)) // claimed since this pass read it
		}
		return 0, 0
	}
	if ps.chatBusy[r.ChatID] || ps.inflight >= ps.lim.Concurrency {
		blocked[key] = true
		return 0, 1
	}
	if at := ps.allowedAt(r.ChatID, r.Group, now); at.After(now) {
		blocked[key] = true
		later(at)
		return 0, 0
	}
	// A 429 for a private chat this process has not written to within
	// the chat's interval cannot be the chat's limit: it is the bot's.
	chatFree := ps.lim.PerChat > 0 && !r.Group && !ps.chatNext[r.ChatID].After(now)
	ps.reserve(r.ChatID, r.Group, now)
	ps.chatBusy[r.ChatID] = true
	ps.inflight++
	d.running[r.ID] = true
	go d.send(ctx, ps, r, chatFree, now)
	return 1, 0
}

// claim leases to this dispatcher every due message of rows it may send
// that it does not hold yet (or holds for less than half a lease), in one
// transaction, and returns the messages it holds. Claiming ahead of the
// rate limits keeps the claim's write out of the time between a send's
// reservation and the send.
func (d *Dispatcher) claim(ctx context.Context, rows []store.Pending) (map[int64]bool, error) {
	now := d.o.Now()
	mine, ids := d.held(rows, now)
	if len(ids) == 0 {
		return mine, nil
	}
	got, err := d.o.Store.ClaimOutbox(ctx, d.o.Owner, ids, now, now.Add(d.o.Lease))
	if err != nil {
		return nil, err
	}
	d.resume()
	for _, id := range got {
		mine[id] = true
	}
	return mine, nil
}

// held sorts the due messages of rows this dispatcher may send into those
// it holds (for at least half a lease more) and those it must claim.
func (d *Dispatcher) held(rows []store.Pending, now time.Time) (mine map[int64]bool, claim []int64) {
	mine = make(map[int64]bool, len(rows))
	var ids []int64
	for _, r := range rows {
		if d.running[r.ID] || d.plat[Queue{bot.Platform(r.Platform), r.Account}] == nil || r.NotBefore.After(now) {
			continue
		}
		if _, ok := d.unmarked[r.ID]; ok {
			continue
		}
		switch {
		case r.ClaimedBy == d.o.Owner && r.ClaimedUntil.Sub(now) >= d.o.Lease/2:
			mine[r.ID] = true
		case r.ClaimedBy != "" && r.ClaimedBy != d.o.Owner && r.ClaimedUntil.After(now):
			// another dispatcher's, while its lease holds
		default:
			ids = append(ids, r.ID)
		}
	}
	return mine, ids
}

// recordUnmarked retries recording the outcomes the store refused, once
// their probe time came (d.mu held). It reports whether none is left.
func (d *Dispatcher) recordUnmarked(ctx context.Context) bool {
	if d.o.Now().Before(d.probeAt) {
		return false
	}
	for id, oc := range d.unmarked {
		if err := d.record(ctx, id, oc); err != nil {
			if ctx.Err() != nil {
				return false
			}
			d.pause(fmt.Errorf("record the outcome of message %d: %w", id, err))
			return false
		}
		delete(d.unmarked, id)
	}
	d.resume()
	return true
}

// record writes one send's outcome to the store.
func (d *Dispatcher) record(ctx context.Context, id int64, oc outcome) error {
	switch oc.kind {
	case outcomeSent:
		return d.o.Store.MarkSent(ctx, id, oc.sentID, oc.at)
	case outcomeRetry:
		return d.o.Store.MarkRetry(ctx, id, oc.notBefore, oc.cause)
	default:
		return d.o.Store.MarkFailed(ctx, id, oc.cause)
	}
}

// allowedAt returns the earliest time a message to chat may be sent.
func (ps *platformState) allowedAt(chat string, group bool, now time.Time) time.Time {
	at := now
	if ps.nextGlobal.After(at) {
		at = ps.nextGlobal
	}
	if t := ps.chatNext[chat]; t.After(at) {
		at = t
	}
	if t := ps.windowFree(now); t.After(at) {
		at = t
	}
	if group && ps.lim.GroupPerMinute > 0 {
		w := pruneWindow(ps.groupWindow[chat], now)
		ps.groupWindow[chat] = w
		if len(w) >= ps.lim.GroupPerMinute {
			if t := w[len(w)-ps.lim.GroupPerMinute].Add(time.Minute); t.After(at) {
				at = t
			}
		}
	}
	return at
}

func (ps *platformState) reserve(chat string, group bool, now time.Time) {
	if ps.lim.PerSecond > 0 {
		// Count from the previous slot, not from when this pass ran, so
		// timer and pass latency do not eat into the rate; bank at most
		// half an interval, so no window holds more than the limit.
		iv := time.Duration(float64(time.Second) / ps.lim.PerSecond)
		base := ps.nextGlobal
		if floor := now.Add(-iv / 2); base.Before(floor) {
			base = floor
		}
		ps.nextGlobal = base.Add(iv)
	}
	if ps.lim.PerChat > 0 {
		ps.chatNext[chat] = now.Add(ps.lim.PerChat)
	}
	if group && ps.lim.GroupPerMinute > 0 {
		ps.groupWindow[chat] = append(ps.groupWindow[chat], now)
	}
}

// windowFree returns when one more send fits under MaxPerWindow: now, when
// an ended send leaves the window, or (all taken by sends in flight) a
// Window from now at the latest; a send that ends wakes the dispatcher.
func (ps *platformState) windowFree(now time.Time) time.Time {
	if ps.lim.MaxPerWindow <= 0 || ps.lim.Window <= 0 {
		return now
	}
	i := 0
	for i < len(ps.ended) && !ps.ended[i].Add(ps.lim.Window).After(now) {
		i++
	}
	ps.ended = ps.ended[i:]
	over := ps.inflight - ps.recording + len(ps.ended) - ps.lim.MaxPerWindow
	switch {
	case over < 0:
		return now
	case over < len(ps.ended):
		return ps.ended[over].Add(ps.lim.Window)
	default:
		return now.Add(ps.lim.Window)
	}
}

// settle moves a finished send's per-chat and per-group marks from when
// it started (reserved) to when it ended (done). The platform counts a
// message when it arrives, somewhere in between; counting from the start
// let a slow request and a fast next one arrive less than the interval
// apart, and the platform answered 429.
func (ps *platformState) settle(chat string, group bool, reserved, done time.Time) {
	if ps.lim.PerChat > 0 {
		if t := done.Add(ps.lim.PerChat); t.After(ps.chatNext[chat]) {
			ps.chatNext[chat] = t
		}
	}
	if group && ps.lim.GroupPerMinute > 0 {
		w := ps.groupWindow[chat]
		if i := slices.Index(w, reserved); i >= 0 {
			w = slices.Delete(w, i, i+1)
		}
		ps.groupWindow[chat] = append(w, done) // one send per chat at a time: done is the latest
	}
}

func pruneWindow(w []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(w) && !w[i].Add(time.Minute).After(now) {
		i++
	}
	return w[i:]
}

func (d *Dispatcher) send(ctx context.Context, ps *platformState, r store.Pending, chatFree bool, reserved time.Time) {
	sentID, err := ps.sender.Send(ctx, bot.Outbound{
		ID: r.ID, Platform: bot.Platform(r.Platform), Account: r.Account, ChatID: r.ChatID, Group: r.Group,
		Text: r.Text, RequestContact: r.RequestContact, Mentions: r.Mentions,
	})
	// Record the outcome even when ctx was cancelled mid-send.
	rec := context.WithoutCancel(ctx)
	if ps.lim.PerSecond > 0 {
		// A rate-limited platform's outcomes trickle in: let each wait a
		// little to share a commit (the incoming messages' next batch, or
		// other outcomes) rather than cost a commit and an fsync each.
		rec = store.Soon(rec, recordSoon)
	}
	now := d.o.Now()
	var oc outcome
	d.mu.Lock()
	ps.settle(r.ChatID, r.Group, reserved, now)
	if ps.lim.MaxPerWindow > 0 && ps.lim.Window > 0 {
		// It arrived by now: it counts as ended from here, not from when
		// its outcome is recorded (which may wait for a commit).
		i, _ := slices.BinarySearchFunc(ps.ended, now, time.Time.Compare)
		ps.ended = slices.Insert(ps.ended, i, now)
	}
	ps.recording++
	d.mu.Unlock()
	var ra *bot.RetryAfterError
	switch {
	case err == nil:
		oc = outcome{kind: outcomeSent, sentID: sentID, at: now}
		d.observe(func(o Observer) { o.Sent(ps.label) })
	case errors.As(err, &ra):
		until := now.Add(ra.After)
		d.mu.Lock()
		ps.chatNext[r.ChatID] = until
		global := ra.Global || chatFree
		if global && until.After(ps.nextGlobal) {
			ps.nextGlobal = until
		}
		d.mu.Unlock()
		d.o.Log.Warn("outbox: rate limited by platform", "platform", ps.label, "retry_after", ra.After, "global", global)
		oc = outcome{kind: outcomeRetry, notBefore: until, cause: err.Error()}
		d.observe(func(o Observer) { o.RateLimited(ps.label) })
	case errors.Is(err, bot.ErrPermanent):
		d.o.Log.Warn("outbox: giving up a message", "platform", ps.label, "id", r.ID, "err", err)
		oc = outcome{kind: outcomeFailed, cause: err.Error()}
		d.observe(func(o Observer) { o.Failed(ps.label, true) })
	default:
		delay := d.backoff(r.Attempts)
		d.o.Log.Warn("outbox: send failed, will retry", "platform", ps.label, "id", r.ID, "attempt", r.Attempts+1, "retry_in", delay, "err", err)
		oc = outcome{kind: outcomeRetry, notBefore: now.Add(delay), cause: err.Error()}
		d.observe(func(o Observer) { o.Failed(ps.label, false) })
	}
	merr := d.record(rec, r.ID, oc)
	d.mu.Lock()
	if merr != nil {
		// Keep it out of every pass until it is recorded: sending it
		// again now would repeat it on every pass.
		d.unmarked[r.ID] = oc
		d.pause(fmt.Errorf("record the outcome of message %d: %w", r.ID, merr))
	} else if len(d.unmarked) == 0 {
		d.resume()
	}
	ps.inflight--
	ps.recording--
	delete(ps.chatBusy, r.ChatID)
	delete(d.running, r.ID)
	if len(d.running) == 0 {
		d.idle.Broadcast()
	}
	d.mu.Unlock()
	d.Notify()
}

// waitIdle waits until no send is in flight. (A WaitGroup cannot be used:
// Flush and Run wait while the other may start sends.)
func (d *Dispatcher) waitIdle() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.running) > 0 {
		d.idle.Wait()
	}
}

func (d *Dispatcher) observe(f func(Observer)) {
	if d.o.Observer != nil {
		f(d.o.Observer)
	}
}

// backoff is 1s, 2s, 4s… capped at MaxBackoff.
func (d *Dispatcher) backoff(attempts int) time.Duration {
	if attempts > 20 {
		return d.o.MaxBackoff
	}
	return min(time.Second<<attempts, d.o.MaxBackoff)
}

// String describes the dispatcher for logs.
func (d *Dispatcher) String() string { return fmt.Sprintf("outbox(%d queues)", len(d.plat)) }
