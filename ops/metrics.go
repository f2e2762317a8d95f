// Package ops is what an operator sees of a running Piket: the /healthz
// health report, the Prometheus /metrics, the HTTP server that serves
// both, and a gate that lets shutdown finish in-flight messages. The app
// wires it (see WIRING.md); nothing here imports a chat SDK.
package ops

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/outbox"
	"github.com/piket-id/piket/scheduler"
	"github.com/piket-id/piket/store"
)

// Metrics are Piket's Prometheus metrics, in their own registry. Counters
// are fed by the app (InboundObserved) and by the outbox dispatcher and
// the scheduler (Metrics is their Observer); gauges are read from the
// store at each scrape.
type Metrics struct {
	reg         *prometheus.Registry
	inbound     *prometheus.CounterVec
	out         *prometheus.CounterVec
	sendErrors  *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	jobRuns     *prometheus.CounterVec
	jobFailures *prometheus.CounterVec
}

// Metrics is what the outbox and the scheduler report to.
var (
	_ outbox.Observer    = (*Metrics)(nil)
	_ scheduler.Observer = (*Metrics)(nil)
)

// NewMetrics returns the metrics. st may be nil (no store gauges); now is
// the clock the store gauges measure ages against (default time.Now).
func NewMetrics(st *store.Store, now func() time.Time) *Metrics {
	if now == nil {
		now = time.Now
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		inbound: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piket_messages_in_total",
			Help: "Messages received, by platform and outcome.",
		}, []string{"platform", "outcome"}),
		out: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piket_messages_out_total",
			Help: "Messages delivered, by platform.",
		}, []string{"platform"}),
		sendErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piket_send_errors_total",
			Help: "Failed send attempts, by platform; permanent=true: the message was given up.",
		}, []string{"platform", "permanent"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piket_rate_limited_total",
			Help: "Sends refused by the platform's rate limit (HTTP 429, retry-after), by platform.",
		}, []string{"platform"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piket_job_runs_total",
			Help: "Scheduled job runs, by job.",
		}, []string{"job"}),
		jobFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "piket_job_failures_total",
			Help: "Scheduled job runs that failed or panicked, by job.",
		}, []string{"job"}),
	}
	m.reg.MustRegister(m.inbound, m.out, m.sendErrors, m.rateLimited, m.jobRuns, m.jobFailures,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if st != nil {
		m.reg.MustRegister(newStoreCollector(st, now))
	}
	return m
}

// Registry returns the registry (to add more collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format. A failing
// store query drops its gauges from that scrape and keeps the rest.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Inbound outcomes for InboundObserved when the core's own outcome is not
// known to the caller.
const (
	OutcomeHandled  = "handled"  // Handle returned nil
	OutcomeReceived = "received" // ReceiveBatch returned nil: in the inbox, handled right after
	OutcomeFailed   = "error"    // Handle returned an error (the platform redelivers)
	OutcomeRefused  = "refused"  // shutting down: not handled (the platform redelivers)
)

// InboundObserved counts one received message.
func (m *Metrics) InboundObserved(platform, outcome string) {
	m.inbound.WithLabelValues(platform, outcome).Inc()
}

// Sent implements outbox.Observer.
func (m *Metrics) Sent(p bot.Platform) { m.out.WithLabelValues(string(p)).Inc() }

// Failed implements outbox.Observer.
func (m *Metrics) Failed(p bot.Platform, permanent bool) {
	m.sendErrors.WithLabelValues(string(p), fmt.Sprint(permanent)).Inc()
}

// RateLimited implements outbox.Observer.
func (m *Metrics) RateLimited(p bot.Platform) { m.rateLimited.WithLabelValues(string(p)).Inc() }

// JobRan implements scheduler.Observer.
func (m *Metrics) JobRan(name string, err error) {
	m.jobRuns.WithLabelValues(name).Inc()
	if err != nil {
		m.jobFailures.WithLabelValues(name).Inc()
	}
}

// scrapeTimeout bounds the store queries of one scrape.
const scrapeTimeout = 5 * time.Second

const (
	// countCheckins counts attendance records written in the last 24 hours
	// (across offices' time zones, simpler than each office's "today").
	countCheckins = `SELECT status, count(*) FROM attendance WHERE updated_at >= ? GROUP BY status`
	hasTable      = `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	// countLeaveUnacked counts open leave-home reports nobody acknowledged
	// yet (migration 0002: acked_by/acked_at set by /ok, returned_at by /kembali).
	countLeaveUnacked = `SELECT count(*) FROM leave_reports WHERE acked_at IS NULL AND returned_at IS NULL`
)

var (
	checkinsDesc = prometheus.NewDesc("piket_checkins_24h",
		"Attendance records (check-ins, sick, permit, leave) written in the last 24 hours, by status.", []string{"status"}, nil)
	backlogDesc = prometheus.NewDesc("piket_outbox_pending",
		"Messages queued in the outbox and not yet sent.", nil, nil)
	oldestDesc = prometheus.NewDesc("piket_outbox_oldest_age_seconds",
		"Age of the oldest message still queued in the outbox (0: none).", nil, nil)
	leaveDesc = prometheus.NewDesc("piket_leave_unacknowledged",
		"Open leave-home reports not yet acknowledged by a supervisor.", nil, nil)
	storeUpDesc = prometheus.NewDesc("piket_store_up",
		"1 if the store answered this scrape's queries, else 0.", nil, nil)
)

// storeCollector reads gauges from the store at scrape time.
type storeCollector struct {
	db  *sql.DB
	st  *store.Store
	now func() time.Time
}

func newStoreCollector(st *store.Store, now func() time.Time) *storeCollector {
	return &storeCollector{db: st.DB(), st: st, now: now}
}

// Describe implements prometheus.Collector.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{checkinsDesc, backlogDesc, oldestDesc, leaveDesc, storeUpDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.now()
	var errs []error

	if err := c.checkins(ctx, ch, now); err != nil {
		errs = append(errs, err)
		ch <- prometheus.NewInvalidMetric(checkinsDesc, err)
	}
	if pending, oldest, err := c.st.OutboxStats(ctx, now); err != nil {
		errs = append(errs, err)
		ch <- prometheus.NewInvalidMetric(backlogDesc, err)
	} else {
		ch <- prometheus.MustNewConstMetric(backlogDesc, prometheus.GaugeValue, float64(pending))
		ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, max(oldest, 0).Seconds())
	}
	if n, ok, err := c.leaveUnacked(ctx); err != nil {
		errs = append(errs, err)
		ch <- prometheus.NewInvalidMetric(leaveDesc, err)
	} else if ok {
		ch <- prometheus.MustNewConstMetric(leaveDesc, prometheus.GaugeValue, float64(n))
	}
	up := 1.0
	if len(errs) > 0 {
		up = 0
	}
	ch <- prometheus.MustNewConstMetric(storeUpDesc, prometheus.GaugeValue, up)
}

func (c *storeCollector) checkins(ctx context.Context, ch chan<- prometheus.Metric, now time.Time) error {
	rows, err := c.db.QueryContext(ctx, countCheckins, now.Add(-24*time.Hour).UnixMilli())
	if err != nil {
		return fmt.Errorf("ops: count check-ins: %w", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var status string
		var n int64
		if err := rows.Scan(&status, &n); err != nil {
			return fmt.Errorf("ops: count check-ins: %w", err)
		}
		seen[status] = true
		ch <- prometheus.MustNewConstMetric(checkinsDesc, prometheus.GaugeValue, float64(n), status)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("ops: count check-ins: %w", err)
	}
	// Always show hadir, so a dashboard sees 0 rather than no series.
	if !seen[store.StatusPresent] {
		ch <- prometheus.MustNewConstMetric(checkinsDesc, prometheus.GaugeValue, 0, store.StatusPresent)
	}
	return nil
}

// leaveUnacked returns the unacknowledged leave reports; ok is false when
// the database has no leave_reports table.
func (c *storeCollector) leaveUnacked(ctx context.Context) (n int64, ok bool, err error) {
	var tables int
	if err := c.db.QueryRowContext(ctx, hasTable, "leave_reports").Scan(&tables); err != nil {
		return 0, false, fmt.Errorf("ops: look for leave_reports: %w", err)
	}
	if tables == 0 {
		return 0, false, nil
	}
	if err := c.db.QueryRowContext(ctx, countLeaveUnacked).Scan(&n); err != nil {
		return 0, false, fmt.Errorf("ops: count unacknowledged leave reports: %w", err)
	}
	return n, true, nil
}

var (
	healthOKDesc = prometheus.NewDesc("piket_health_ok",
		"1 unless the /healthz check fails (degraded counts as 1), by check; platforms are checks too.", []string{"check"}, nil)
	healthDegradedDesc = prometheus.NewDesc("piket_health_degraded",
		"1 if the /healthz check is degraded (e.g. disk low), by check.", []string{"check"}, nil)
	platformUpDesc = prometheus.NewDesc("piket_platform_up",
		"1 if the platform is up by its last calls or connection state, by platform.", []string{"platform"}, nil)
	platformSuccessDesc = prometheus.NewDesc("piket_platform_last_success_timestamp_seconds",
		"Unix time of the platform's last successful call (or of its connection), by platform; absent: none since start.", []string{"platform"}, nil)
	platformErrorDesc = prometheus.NewDesc("piket_platform_last_error_timestamp_seconds",
		"Unix time of the platform's last failed call, by platform; absent: none since start.", []string{"platform"}, nil)
	heartbeatDesc = prometheus.NewDesc("piket_store_heartbeat_timestamp_seconds",
		"Unix time the store's heartbeat row was last written and read back; absent: never since start.", nil, nil)
	diskFreeDesc = prometheus.NewDesc("piket_disk_free_bytes",
		"Bytes free to Piket on the database's file system, at the last check.", nil, nil)
)

// WatchHealth adds h's states as gauges: each scrape runs h's checks (so
// the store heartbeat is written) and reports them.
func (m *Metrics) WatchHealth(h *Health) {
	m.reg.MustRegister(healthCollector{h})
}

// healthCollector reports a Health at scrape time.
type healthCollector struct{ h *Health }

// Describe implements prometheus.Collector.
func (c healthCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{healthOKDesc, healthDegradedDesc, platformUpDesc, platformSuccessDesc, platformErrorDesc, heartbeatDesc, diskFreeDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c healthCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	rep := c.h.Check(ctx)
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	bit := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	for name, r := range rep.Checks {
		gauge(healthOKDesc, bit(r.OK), name)
		gauge(healthDegradedDesc, bit(r.Status == StatusDegraded), name)
	}
	for _, p := range c.h.Platforms() {
		gauge(platformUpDesc, bit(p.Up), p.Name)
		if !p.LastSuccess.IsZero() {
			gauge(platformSuccessDesc, unixSeconds(p.LastSuccess), p.Name)
		}
		if !p.LastError.IsZero() {
			gauge(platformErrorDesc, unixSeconds(p.LastError), p.Name)
		}
	}
	if t := c.h.StoreHeartbeat(); !t.IsZero() {
		gauge(heartbeatDesc, unixSeconds(t))
	}
	if free, ok := c.h.DiskFree(); ok {
		gauge(diskFreeDesc, float64(free))
	}
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
