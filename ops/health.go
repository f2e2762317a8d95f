package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/scheduler"
	"github.com/piket-id/piket/store"
)

// Health check names in the /healthz report. Platforms appear under their
// own name ("telegram", "whatsapp", "console").
const (
	CheckStore     = "store"         // heartbeat row written and read back
	CheckFile      = "database_file" // the path still names the file opened
	CheckDisk      = "disk"          // free space where the database lives
	CheckOutbox    = "outbox"
	CheckScheduler = "scheduler"
)

// Statuses of a check and of the whole report. A failing check makes
// /healthz answer 503 (restart or page someone: the store takes no writes,
// its file is gone, a platform is down); a degraded one keeps 200 and says
// why (act soon: the disk is nearly full, a platform failed briefly).
const (
	StatusOK       = "ok"
	StatusDegraded = "degraded"
	StatusFail     = "fail"
)

// Defaults of HealthOptions.
const (
	DefaultMaxPending        = 1000
	DefaultMaxOldest         = 10 * time.Minute
	DefaultSchedulerStale    = 3 * time.Minute
	DefaultCheckTimeout      = 2 * time.Second
	DefaultMinFreeDisk       = 100_000_000 // bytes (100MB)
	DefaultPlatformDownAfter = 2 * time.Minute
	DefaultPlatformGrace     = 2 * time.Minute
)

// maxReason bounds an error text kept for a platform.
const maxReason = 300

// HealthOptions configure NewHealth. The zero value of each field is its
// default.
type HealthOptions struct {
	// Store, if set, is checked: a heartbeat row written through the
	// writer and read back (CheckStore), the database file still being the
	// one opened (CheckFile), free disk space (CheckDisk) and the outbox
	// backlog (CheckOutbox).
	Store *store.Store
	// MaxPending and MaxOldest: the outbox is unhealthy with this many
	// messages pending, or when the oldest has waited longer.
	MaxPending int
	MaxOldest  time.Duration
	// SchedulerStale: the scheduler is unhealthy when its heartbeat job
	// (HeartbeatJob) has not run for this long. Negative: no check.
	SchedulerStale time.Duration
	// MinFreeDisk: less free space than this (bytes) in the database's
	// directory is degraded. Negative: no disk check.
	MinFreeDisk int64
	// FreeSpace returns the bytes available to Piket in dir (default:
	// statfs). Tests inject a full disk here.
	FreeSpace func(dir string) (uint64, error)
	// PlatformDownAfter: a platform watched by its calls (WatchPlatform)
	// is down when its calls have failed for this long; shorter failures
	// are degraded. PlatformGrace: it is down when no call succeeded this
	// long after WatchPlatform.
	PlatformDownAfter time.Duration
	PlatformGrace     time.Duration
	// Timeout bounds each check.
	Timeout time.Duration
	// Now is the real clock (default time.Now).
	Now func() time.Time
}

// CheckFunc is a named health check: detail describes the state, err
// (non-nil) makes the check fail, or only degraded if err is (or wraps)
// one made by Degraded.
type CheckFunc func(ctx context.Context) (detail string, err error)

// Degraded marks err as a degraded state: the check reports it with 200.
func Degraded(err error) error { return &degradedError{err} }

type degradedError struct{ err error }

func (e *degradedError) Error() string { return e.err.Error() }
func (e *degradedError) Unwrap() error { return e.err }

// Result is one check's outcome in the report. OK is false only when
// Status is StatusFail.
type Result struct {
	Status string `json:"status"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Report is the /healthz body. Status is "ok", "degraded" (some check is
// degraded, none fails: 200) or "fail" (503).
type Report struct {
	Status string            `json:"status"`
	Checks map[string]Result `json:"checks"`
}

// OK reports whether no check failed (degraded ones included).
func (r Report) OK() bool { return r.Status != StatusFail }

// Failing lists the names of the failing checks, sorted.
func (r Report) Failing() []string { return r.named(StatusFail) }

// Degraded lists the names of the degraded checks, sorted.
func (r Report) Degraded() []string { return r.named(StatusDegraded) }

func (r Report) named(status string) []string {
	var out []string
	for name, c := range r.Checks {
		if c.Status == status || (status == StatusFail && c.Status == "" && !c.OK) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// platformState is what Health knows of one platform: a state its adapter
// reports (SetPlatform), the outcome of its calls (PlatformCall), or both.
type platformState struct {
	hasState bool
	state    string
	ok       bool
	degraded bool // working, but needs attention soon (SetPlatformDegraded)
	since    time.Time

	watched      bool
	watchedAt    time.Time
	lastOK       time.Time
	lastErr      string
	lastErrAt    time.Time
	failingSince time.Time // first failure after the last success
}

// PlatformStatus is a snapshot of one platform for the metrics.
type PlatformStatus struct {
	Name        string
	Up          bool
	LastSuccess time.Time // zero: none
	LastError   time.Time // zero: none
}

// Health is a registry of named checks, served as /healthz. It is safe for
// concurrent use: adapters report their connection state from their own
// goroutines.
type Health struct {
	o       HealthOptions
	started time.Time

	mu        sync.Mutex
	checks    map[string]CheckFunc
	platforms map[string]*platformState
	beat      time.Time // last scheduler heartbeat
	storeBeat time.Time // last store heartbeat written and read back
	diskFree  uint64    // at the last disk check
	diskKnown bool
}

// NewHealth returns a Health with the store, outbox and scheduler checks
// (as configured in o). Platforms are added by SetPlatform and
// WatchPlatform, other checks by Add and AddCheck.
func NewHealth(o HealthOptions) *Health {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MaxPending <= 0 {
		o.MaxPending = DefaultMaxPending
	}
	if o.MaxOldest <= 0 {
		o.MaxOldest = DefaultMaxOldest
	}
	if o.SchedulerStale == 0 {
		o.SchedulerStale = DefaultSchedulerStale
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultCheckTimeout
	}
	if o.MinFreeDisk == 0 {
		o.MinFreeDisk = DefaultMinFreeDisk
	}
	if o.FreeSpace == nil {
		o.FreeSpace = freeSpace
	}
	if o.PlatformDownAfter <= 0 {
		o.PlatformDownAfter = DefaultPlatformDownAfter
	}
	if o.PlatformGrace <= 0 {
		o.PlatformGrace = DefaultPlatformGrace
	}
	h := &Health{o: o, started: o.Now(), checks: map[string]CheckFunc{}, platforms: map[string]*platformState{}}
	if o.Store != nil {
		h.Add(CheckStore, h.checkStore)
		h.Add(CheckFile, h.checkFile)
		h.Add(CheckOutbox, h.checkOutbox)
		if o.MinFreeDisk > 0 {
			h.Add(CheckDisk, h.checkDisk)
		}
	}
	if o.SchedulerStale > 0 {
		h.Add(CheckScheduler, h.checkScheduler)
	}
	return h
}

// Add registers (or replaces) a named check.
func (h *Health) Add(name string, fn CheckFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.checks[name] = fn
}

// AddCheck registers (or replaces) a named check that only reports an
// error: nil passes, an error fails /healthz (503) with the error as the
// reason, or only degrades it if the error came from Degraded. For
// example the outbox dispatcher's paused state:
//
//	h.AddCheck("outbox_dispatch", dispatcher.Check)
func (h *Health) AddCheck(name string, fn func(ctx context.Context) error) {
	h.Add(name, func(ctx context.Context) (string, error) {
		if err := fn(ctx); err != nil {
			return "", err
		}
		return "ok", nil
	})
}

// SetPlatform records a platform's connection state; ok false makes
// /healthz fail until the next call with ok true. Call it once at start for
// each enabled platform (state "starting", ok false or true as the
// platform needs) and from the adapter's status callback, e.g. WhatsApp's
// OnStatus:
//
//	func(s whatsapp.Status) { h.SetPlatform("whatsapp", string(s), s == whatsapp.StatusConnected) }
//
// It does not block.
func (h *Health) SetPlatform(name, state string, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.platform(name)
	if p.hasState && p.state == state && p.ok == ok && !p.degraded {
		return
	}
	p.hasState, p.state, p.ok, p.degraded, p.since = true, state, ok, false, h.o.Now()
}

// SetPlatformDegraded records a platform's state as working but needing
// attention soon (e.g. WhatsApp's phone offline for days): /healthz
// answers 200 with status degraded and the state as the reason, until the
// next SetPlatform. It does not block.
func (h *Health) SetPlatformDegraded(name, state string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.platform(name)
	if p.hasState && p.state == state && p.degraded {
		return
	}
	p.hasState, p.state, p.ok, p.degraded, p.since = true, state, true, true, h.o.Now()
}

// WatchPlatform starts judging a platform by its calls (PlatformCall): it
// is down when no call succeeded within PlatformGrace from now, or when
// calls have failed for PlatformDownAfter. Call it when the adapter
// starts.
func (h *Health) WatchPlatform(name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.platform(name)
	p.watched, p.watchedAt = true, h.o.Now()
	p.lastOK, p.failingSince, p.lastErr, p.lastErrAt = time.Time{}, time.Time{}, "", time.Time{}
}

// PlatformCall records the outcome of one call to a platform's server
// (Telegram: getUpdates, sendMessage, setWebhook). A nil error, a
// permanent send error (bot.ErrPermanent: the server answered, about one
// chat) and a rate limit (*bot.RetryAfterError) count as success: the
// platform is reachable. It does not block.
func (h *Health) PlatformCall(name, method string, err error) {
	now := h.o.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.platform(name)
	if !p.watched {
		p.watched, p.watchedAt = true, now
	}
	var ra *bot.RetryAfterError
	if err == nil || errors.Is(err, bot.ErrPermanent) || errors.As(err, &ra) {
		p.lastOK, p.failingSince = now, time.Time{}
		return
	}
	msg := method + ": " + err.Error()
	if len(msg) > maxReason {
		msg = msg[:maxReason] + "…"
	}
	p.lastErr, p.lastErrAt = msg, now
	if p.failingSince.IsZero() {
		p.failingSince = now
	}
}

// PlatformObserver returns PlatformCall for one platform, in the shape an
// adapter's call hook takes (telegram.Options.OnCall).
func (h *Health) PlatformObserver(name string) func(method string, err error) {
	return func(method string, err error) { h.PlatformCall(name, method, err) }
}

// platform returns name's state, creating it. h.mu is held.
func (h *Health) platform(name string) *platformState {
	p, ok := h.platforms[name]
	if !ok {
		p = &platformState{}
		h.platforms[name] = p
	}
	return p
}

// judge evaluates a platform at now.
func (h *Health) judge(p *platformState, now time.Time) Result {
	ago := func(t time.Time) string { return now.Sub(t).Round(time.Second).String() }
	lastErr := ""
	if p.lastErr != "" {
		lastErr = fmt.Sprintf("; last error %s ago: %s", ago(p.lastErrAt), p.lastErr)
	}
	switch {
	case p.hasState && !p.ok:
		return fail(fmt.Sprintf("%s for %s%s", p.state, ago(p.since), lastErr))
	case p.hasState && p.degraded:
		return Result{Status: StatusDegraded, OK: true, Detail: fmt.Sprintf("%s for %s%s", p.state, ago(p.since), lastErr)}
	case !p.watched:
		return pass(fmt.Sprintf("%s for %s", p.state, ago(p.since)))
	case p.lastOK.IsZero() && now.Sub(p.watchedAt) > h.o.PlatformGrace:
		return fail(fmt.Sprintf("down: no successful call since start %s ago%s", ago(p.watchedAt), lastErr))
	case p.lastOK.IsZero():
		return pass(fmt.Sprintf("starting (%s)%s", ago(p.watchedAt), lastErr))
	case !p.failingSince.IsZero() && now.Sub(p.failingSince) > h.o.PlatformDownAfter:
		return fail(fmt.Sprintf("down: calls failing for %s (limit %s), last success %s ago%s",
			ago(p.failingSince), h.o.PlatformDownAfter, ago(p.lastOK), lastErr))
	case !p.failingSince.IsZero():
		return Result{Status: StatusDegraded, OK: true, Detail: fmt.Sprintf("calls failing for %s, last success %s ago%s",
			ago(p.failingSince), ago(p.lastOK), lastErr)}
	}
	return pass(fmt.Sprintf("last success %s ago%s", ago(p.lastOK), lastErr))
}

func pass(detail string) Result { return Result{Status: StatusOK, OK: true, Detail: detail} }
func fail(detail string) Result { return Result{Status: StatusFail, OK: false, Detail: detail} }

// Platforms returns a snapshot of every platform, sorted by name.
func (h *Health) Platforms() []PlatformStatus {
	now := h.o.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]PlatformStatus, 0, len(h.platforms))
	for name, p := range h.platforms {
		s := PlatformStatus{Name: name, Up: h.judge(p, now).OK, LastSuccess: p.lastOK, LastError: p.lastErrAt}
		if p.hasState && p.ok && p.since.After(s.LastSuccess) {
			s.LastSuccess = p.since // e.g. WhatsApp: connected since
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// SchedulerBeat records that the scheduler is alive (HeartbeatJob calls it).
func (h *Health) SchedulerBeat() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.beat = h.o.Now()
}

// HeartbeatJob is a scheduler job that runs every minute and records the
// heartbeat the scheduler check reads. A stuck job blocks later ones, so a
// stale heartbeat also reveals a job that hangs.
func (h *Health) HeartbeatJob() scheduler.Job {
	return scheduler.Job{Name: "ops-heartbeat", Spec: "* * * * *", Loc: time.UTC, Run: func(context.Context, time.Time) error {
		h.SchedulerBeat()
		return nil
	}}
}

// Check runs every check (in parallel, each with the timeout) and reports.
func (h *Health) Check(ctx context.Context) Report {
	h.mu.Lock()
	checks := make(map[string]CheckFunc, len(h.checks))
	for n, c := range h.checks {
		checks[n] = c
	}
	rep := Report{Status: StatusOK, Checks: make(map[string]Result, len(checks)+len(h.platforms))}
	now := h.o.Now()
	for name, p := range h.platforms {
		rep.Checks[name] = h.judge(p, now)
	}
	h.mu.Unlock()

	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, fn := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, h.o.Timeout)
			defer cancel()
			detail, err := runCheck(cctx, fn)
			r := pass(detail)
			var de *degradedError
			switch {
			case errors.As(err, &de):
				r = Result{Status: StatusDegraded, OK: true, Detail: err.Error()}
			case err != nil:
				r = fail(err.Error())
			}
			mu.Lock()
			rep.Checks[name] = r
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, r := range rep.Checks {
		switch {
		case r.Status == StatusFail:
			rep.Status = StatusFail
		case r.Status == StatusDegraded && rep.Status == StatusOK:
			rep.Status = StatusDegraded
		}
	}
	return rep
}

// runCheck returns when fn does or when ctx ends, whichever is first (a
// check stuck on a lock must not hang /healthz).
func runCheck(ctx context.Context, fn CheckFunc) (string, error) {
	type res struct {
		detail string
		err    error
	}
	ch := make(chan res, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- res{err: fmt.Errorf("check panicked: %v", p)}
			}
		}()
		d, err := fn(ctx)
		ch <- res{d, err}
	}()
	select {
	case r := <-ch:
		return r.detail, r.err
	case <-ctx.Done():
		return "", fmt.Errorf("no answer: %w", ctx.Err())
	}
}

// ServeHTTP serves the report as JSON: 200 when no check fails (status
// "ok" or "degraded"), else 503 (the body names each check's status and
// reason).
func (h *Health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep := h.Check(r.Context())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !rep.OK() {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if r.Method == http.MethodHead {
		return
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(rep)
}

// checkStore writes the heartbeat row through the store's writer and
// reads it back: a read-only, full or wedged database fails it.
func (h *Health) checkStore(ctx context.Context) (string, error) {
	now := h.o.Now()
	if err := h.o.Store.Heartbeat(ctx, now); err != nil {
		return "", err
	}
	h.mu.Lock()
	h.storeBeat = now
	h.mu.Unlock()
	return "heartbeat written and read back", nil
}

// StoreHeartbeat returns when the store's heartbeat last succeeded (zero:
// never).
func (h *Health) StoreHeartbeat() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.storeBeat
}

func (h *Health) checkFile(context.Context) (string, error) {
	if err := h.o.Store.CheckFile(); err != nil {
		return "", err
	}
	return "same file as opened", nil
}

// checkDisk reports low free space as degraded: writes still work, but
// soon will not.
func (h *Health) checkDisk(context.Context) (string, error) {
	dir := h.o.Store.Dir()
	free, err := h.o.FreeSpace(dir)
	if errors.Is(err, errNoStatfs) {
		return "free space unknown on this system", nil
	}
	if err != nil {
		return "", Degraded(fmt.Errorf("free space of %s: %w", dir, err))
	}
	h.mu.Lock()
	h.diskFree, h.diskKnown = free, true
	h.mu.Unlock()
	detail := fmt.Sprintf("%s free in %s", formatBytes(free), dir)
	if free < uint64(h.o.MinFreeDisk) {
		return "", Degraded(fmt.Errorf("%s, below %s (health.min_free_disk)", detail, formatBytes(uint64(h.o.MinFreeDisk))))
	}
	return detail, nil
}

// DiskFree returns the free bytes found by the last disk check; ok is
// false before the first.
func (h *Health) DiskFree() (free uint64, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.diskFree, h.diskKnown
}

// formatBytes prints n in binary units (MiB, GiB), one decimal.
func formatBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

func (h *Health) checkOutbox(ctx context.Context) (string, error) {
	pending, oldest, err := h.o.Store.OutboxStats(ctx, h.o.Now())
	if err != nil {
		return "", err
	}
	detail := fmt.Sprintf("%d pending, oldest %s", pending, max(oldest, 0).Round(time.Second))
	switch {
	case pending >= h.o.MaxPending:
		return "", fmt.Errorf("%s: backlog at or above %d", detail, h.o.MaxPending)
	case oldest > h.o.MaxOldest:
		return "", fmt.Errorf("%s: older than %s", detail, h.o.MaxOldest)
	}
	return detail, nil
}

func (h *Health) checkScheduler(context.Context) (string, error) {
	h.mu.Lock()
	beat := h.beat
	h.mu.Unlock()
	now := h.o.Now()
	if beat.IsZero() {
		if since := now.Sub(h.started); since <= h.o.SchedulerStale {
			return fmt.Sprintf("starting (%s)", since.Round(time.Second)), nil
		}
		return "", fmt.Errorf("no heartbeat since start %s ago", now.Sub(h.started).Round(time.Second))
	}
	if age := now.Sub(beat); age > h.o.SchedulerStale {
		return "", fmt.Errorf("last heartbeat %s ago (limit %s)", age.Round(time.Second), h.o.SchedulerStale)
	}
	return fmt.Sprintf("last heartbeat %s ago", now.Sub(beat).Round(time.Second)), nil
}
