package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/piket-id/piket/scheduler"
	"github.com/piket-id/piket/store"
)

// Health check names in the /healthz report. Platforms appear under their
// own name ("telegram", "whatsapp", "console").
const (
	CheckStore     = "store"
	CheckOutbox    = "outbox"
	CheckScheduler = "scheduler"
)

// Defaults of HealthOptions.
const (
	DefaultMaxPending     = 1000
	DefaultMaxOldest      = 10 * time.Minute
	DefaultSchedulerStale = 3 * time.Minute
	DefaultCheckTimeout   = 2 * time.Second
)

// HealthOptions configure NewHealth. The zero value of each field is its
// default.
type HealthOptions struct {
	// Store, if set, is checked: a read (SELECT 1) and a no-op write
	// through the writer, and the outbox backlog.
	Store *store.Store
	// MaxPending and MaxOldest: the outbox is unhealthy with this many
	// messages pending, or when the oldest has waited longer.
	MaxPending int
	MaxOldest  time.Duration
	// SchedulerStale: the scheduler is unhealthy when its heartbeat job
	// (HeartbeatJob) has not run for this long. Negative: no check.
	SchedulerStale time.Duration
	// Timeout bounds each check.
	Timeout time.Duration
	// Now is the real clock (default time.Now).
	Now func() time.Time
}

// CheckFunc is a named health check: detail describes the state, err
// (non-nil) makes the check fail.
type CheckFunc func(ctx context.Context) (detail string, err error)

// Result is one check's outcome in the report.
type Result struct {
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Report is the /healthz body. Status is "ok" or "fail".
type Report struct {
	Status string            `json:"status"`
	Checks map[string]Result `json:"checks"`
}

// OK reports whether every check passed.
func (r Report) OK() bool { return r.Status == "ok" }

// Failing lists the names of the failing checks, sorted.
func (r Report) Failing() []string {
	var out []string
	for name, c := range r.Checks {
		if !c.OK {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

type platformState struct {
	state string
	ok    bool
	since time.Time
}

// Health is a registry of named checks, served as /healthz. It is safe for
// concurrent use: adapters report their connection state from their own
// goroutines.
type Health struct {
	o       HealthOptions
	started time.Time

	mu        sync.Mutex
	checks    map[string]CheckFunc
	platforms map[string]platformState
	beat      time.Time // last scheduler heartbeat
}

// NewHealth returns a Health with the store, outbox and scheduler checks
// (as configured in o). Platforms are added by SetPlatform.
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
	h := &Health{o: o, started: o.Now(), checks: map[string]CheckFunc{}, platforms: map[string]platformState{}}
	if o.Store != nil {
		h.Add(CheckStore, h.checkStore)
		h.Add(CheckOutbox, h.checkOutbox)
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
	if p, had := h.platforms[name]; had && p.state == state && p.ok == ok {
		return
	}
	h.platforms[name] = platformState{state: state, ok: ok, since: h.o.Now()}
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
	rep := Report{Status: "ok", Checks: make(map[string]Result, len(checks)+len(h.platforms))}
	now := h.o.Now()
	for name, p := range h.platforms {
		rep.Checks[name] = Result{OK: p.ok, Detail: fmt.Sprintf("%s for %s", p.state, now.Sub(p.since).Round(time.Second))}
	}
	h.mu.Unlock()

	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, fn := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, h.o.Timeout)
			defer cancel()
			detail, err := runCheck(cctx, fn)
			r := Result{OK: err == nil, Detail: detail}
			if err != nil {
				r.Detail = err.Error()
			}
			mu.Lock()
			rep.Checks[name] = r
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, r := range rep.Checks {
		if !r.OK {
			rep.Status = "fail"
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

// ServeHTTP serves the report as JSON: 200 when every check passes, else
// 503 (the body names the failing checks).
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

func (h *Health) checkStore(ctx context.Context) (string, error) {
	var one int
	if err := h.o.Store.DB().QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return "", fmt.Errorf("read: %w", err)
	}
	// A no-op write proves the single writer is not wedged.
	if err := h.o.Store.Write(ctx, func(*store.Tx) error { return nil }); err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	return "reads and writes", nil
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
