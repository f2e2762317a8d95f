package ops

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
)

func TestHealthPlatformCalls(t *testing.T) {
	refused := errors.New(`Post "http://127.0.0.1:1/bot***/getUpdates": dial tcp 127.0.0.1:1: connect: connection refused`)
	type step struct {
		advance time.Duration
		method  string // "" : no call
		err     error
	}
	tests := []struct {
		name   string
		steps  []step
		status string
		detail string
	}{
		{"starting", []step{{advance: time.Minute}}, StatusOK, "starting (1m0s)"},
		{"never succeeded", []step{{method: "getMe", err: refused}, {advance: 2*time.Minute + time.Second}}, StatusFail,
			"down: no successful call since start 2m1s ago; last error 2m1s ago: getMe: Post"},
		{"up", []step{{method: "getUpdates"}, {advance: 5 * time.Second}}, StatusOK, "last success 5s ago"},
		{"failing briefly", []step{{method: "getUpdates"}, {advance: time.Second, method: "getUpdates", err: refused}, {advance: 30 * time.Second, method: "getUpdates", err: refused}},
			StatusDegraded, "calls failing for 30s, last success 31s ago; last error 0s ago: getUpdates: Post"},
		{"down", []step{{method: "getUpdates"}, {advance: time.Second, method: "getUpdates", err: refused}, {advance: 2*time.Minute + time.Second, method: "sendMessage", err: refused}},
			StatusFail, "down: calls failing for 2m1s (limit 2m0s), last success 2m2s ago; last error 0s ago: sendMessage: Post"},
		{"back up", []step{{method: "getUpdates"}, {advance: time.Second, method: "getUpdates", err: refused}, {advance: 5 * time.Minute, method: "getUpdates"}},
			StatusOK, "last success 0s ago; last error 5m0s ago: getUpdates: Post"},
		{"answered errors are up", []step{{method: "getUpdates"}, {advance: time.Second, method: "getUpdates", err: refused},
			{advance: 5 * time.Minute, method: "sendMessage", err: fmt.Errorf("telegram: send: %w: chat not found", bot.ErrPermanent)},
			{method: "sendMessage", err: &bot.RetryAfterError{After: time.Second}}}, StatusOK, "last success 0s ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &fakeClock{t: t0}
			h := NewHealth(HealthOptions{Now: clk.Now, SchedulerStale: -1})
			h.WatchPlatform("telegram")
			call := h.PlatformObserver("telegram")
			for _, s := range tt.steps {
				clk.Advance(s.advance)
				if s.method != "" {
					call(s.method, s.err)
				}
			}
			rep := h.Check(context.Background())
			got := rep.Checks["telegram"]
			if got.Status != tt.status || !strings.HasPrefix(got.Detail, tt.detail) {
				t.Errorf("got %s %q, want %s %q…", got.Status, got.Detail, tt.status, tt.detail)
			}
			if got.OK != (tt.status != StatusFail) || rep.OK() != got.OK {
				t.Errorf("ok %v, report ok %v; want %v", got.OK, rep.OK(), tt.status != StatusFail)
			}
		})
	}
}

func TestHealthPlatformStopped(t *testing.T) {
	clk := &fakeClock{t: t0}
	h := NewHealth(HealthOptions{Now: clk.Now, SchedulerStale: -1})
	h.WatchPlatform("telegram")
	h.PlatformCall("telegram", "getUpdates", nil)
	h.SetPlatform("telegram", "stopped: telegram: getUpdates: telegram API error 401: Unauthorized", false)
	code, rep := healthz(t, h)
	if c := rep.Checks["telegram"]; code != http.StatusServiceUnavailable || c.OK || !strings.Contains(c.Detail, "401") {
		t.Errorf("got %d %+v, want 503 with the reason", code, c)
	}
}

func TestHealthAddCheck(t *testing.T) {
	h := NewHealth(HealthOptions{SchedulerStale: -1})
	paused := errors.New("paused: marking a sent message failed: database or disk is full")
	var state error
	h.AddCheck("outbox_dispatch", func(context.Context) error { return state })
	if code, rep := healthz(t, h); code != http.StatusOK || rep.Checks["outbox_dispatch"].Status != StatusOK {
		t.Errorf("running: %d %+v", code, rep.Checks)
	}
	state = paused
	if code, rep := healthz(t, h); code != http.StatusServiceUnavailable || rep.Checks["outbox_dispatch"].Detail != paused.Error() {
		t.Errorf("paused: %d %+v", code, rep.Checks)
	}
	state = Degraded(errors.New("slow"))
	if code, rep := healthz(t, h); code != http.StatusOK || rep.Status != StatusDegraded || strings.Join(rep.Degraded(), ",") != "outbox_dispatch" {
		t.Errorf("degraded: %d %+v", code, rep)
	}
}

func TestHealthMetrics(t *testing.T) {
	clk := &fakeClock{t: t0}
	st, _ := openStore(t)
	h := NewHealth(HealthOptions{Store: st, Now: clk.Now, SchedulerStale: -1, MinFreeDisk: 100 << 20,
		FreeSpace: func(string) (uint64, error) { return 10 << 20, nil }})
	h.WatchPlatform("telegram")
	h.PlatformCall("telegram", "getUpdates", nil)
	clk.Advance(time.Second)
	h.PlatformCall("telegram", "getUpdates", errors.New("connection refused"))
	clk.Advance(3 * time.Minute)
	h.SetPlatform("whatsapp", "connected", true)
	m := NewMetrics(nil, clk.Now)
	m.WatchHealth(h)

	_, body := get(t, Mux(nil, m), "/metrics")
	ts := func(t time.Time) string { return fmt.Sprint(float64(t.UnixMilli()) / 1000) }
	for _, want := range []string{
		`piket_health_ok{check="store"} 1`,
		`piket_health_ok{check="database_file"} 1`,
		`piket_health_ok{check="disk"} 1`,
		`piket_health_degraded{check="disk"} 1`,
		`piket_health_ok{check="telegram"} 0`,
		`piket_health_ok{check="whatsapp"} 1`,
		`piket_platform_up{platform="telegram"} 0`,
		`piket_platform_up{platform="whatsapp"} 1`,
		`piket_platform_last_success_timestamp_seconds{platform="telegram"} ` + ts(t0),
		`piket_platform_last_error_timestamp_seconds{platform="telegram"} ` + ts(t0.Add(time.Second)),
		`piket_platform_last_success_timestamp_seconds{platform="whatsapp"} ` + ts(clk.Now()),
		`piket_store_heartbeat_timestamp_seconds ` + ts(clk.Now()),
		`piket_disk_free_bytes 1.048576e+07`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
