package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
)

// tcpGate forwards TCP connections from its own loopback address to a
// target. Closing it closes the listener (new connections are refused)
// and cuts the open ones; opening it listens on the same address again.
type tcpGate struct {
	t      *testing.T
	addr   string
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

func newTCPGate(t *testing.T, target string) *tcpGate {
	g := &tcpGate{t: t, addr: "127.0.0.1:0", target: target, conns: map[net.Conn]bool{}}
	g.open()
	t.Cleanup(g.close)
	return g
}

func (g *tcpGate) open() {
	g.t.Helper()
	var ln net.Listener
	var err error
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if ln, err = net.Listen("tcp", g.addr); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		g.t.Fatalf("listen again on %s: %v", g.addr, err)
	}
	g.mu.Lock()
	g.ln, g.addr = ln, ln.Addr().String()
	g.mu.Unlock()
	go g.accept(ln)
}

func (g *tcpGate) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", g.target)
		if err != nil {
			c.Close()
			continue
		}
		g.mu.Lock()
		if g.ln != ln { // closed meanwhile
			g.mu.Unlock()
			c.Close()
			up.Close()
			return
		}
		g.conns[c], g.conns[up] = true, true
		g.mu.Unlock()
		go func() { _, _ = io.Copy(up, c); up.Close(); c.Close() }()
		go func() { _, _ = io.Copy(c, up); up.Close(); c.Close() }()
	}
}

func (g *tcpGate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ln != nil {
		g.ln.Close()
		g.ln = nil
	}
	for c := range g.conns {
		c.Close()
	}
	clear(g.conns)
}

func (g *tcpGate) url() string { return "http://" + g.addr }

// TestTelegramHealthConnectionRefused runs the app against a Bot API that
// stops accepting connections: /healthz turns 503 naming Telegram and the
// reason, and 200 again once the API is back.
func TestTelegramHealthConnectionRefused(t *testing.T) {
	fake := tgfake.New(t, tgfake.Options{MaxPoll: 200 * time.Millisecond})
	gate := newTCPGate(t, strings.TrimPrefix(fake.URL(), "http://"))

	cfg := config.Default()
	cfg.HTTP.Listen = ""
	cfg.Database = filepath.Join(t.TempDir(), "piket.db")
	cfg.Console.Enabled = false
	cfg.Telegram.Enabled = true
	cfg.Telegram.Token = fake.Token()
	cfg.Telegram.APIURL = gate.url()
	cfg.Health.PlatformDownAfter = time.Millisecond // down at the first failure that lasts
	cfg.Health.MinFreeDisk = 0
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &testLog{t: t}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, app.Env{Clock: clock.NewFrozen(monday0730), Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("App.Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("App.Run did not return after cancel")
		}
		logs.stop()
		a.Close()
	})

	mux := ops.Mux(a.Health, a.Metrics)
	telegram := func() (int, ops.Result) {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		var rep ops.Report
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatalf("/healthz body %q: %v", rec.Body, err)
		}
		return rec.Code, rep.Checks["telegram"]
	}
	waitHealth := func(what string, cond func(code int, r ops.Result) bool) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			code, r := telegram()
			if cond(code, r) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s: last /healthz %d, telegram %+v", what, code, r)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	waitHealth("telegram up", func(code int, r ops.Result) bool {
		return code == http.StatusOK && r.Status == ops.StatusOK && strings.HasPrefix(r.Detail, "last success")
	})

	gate.close()
	waitHealth("telegram down, connection refused", func(code int, r ops.Result) bool {
		return code == http.StatusServiceUnavailable && r.Status == ops.StatusFail &&
			strings.Contains(r.Detail, "down: calls failing") && strings.Contains(r.Detail, "connection refused")
	})
	_, r := telegram()
	if strings.Contains(r.Detail, fake.Token()) {
		t.Errorf("the health report shows the bot token: %q", r.Detail)
	}
	metrics := httptest.NewRecorder()
	mux.ServeHTTP(metrics, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(metrics.Body.String(), `piket_platform_up{platform="telegram"} 0`) {
		t.Errorf("/metrics lacks telegram down")
	}

	gate.open()
	waitHealth("telegram up again", func(code int, r ops.Result) bool {
		return code == http.StatusOK && r.Status == ops.StatusOK
	})
}
