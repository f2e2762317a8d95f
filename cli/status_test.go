package cli

import (
	"context"
	"flag"
	"io"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/store"
)

// piket status prints each platform's state from the running Piket's
// /healthz, platforms first; it exits 1 when a check fails and 3 when no
// Piket answers.
func TestStatus(t *testing.T) {
	h := ops.NewHealth(ops.HealthOptions{SchedulerStale: -1})
	srv := httptest.NewServer(ops.Mux(h, nil))
	defer srv.Close()
	cfg, _ := writeConfig(t, "http:\n  listen: "+strings.TrimPrefix(srv.URL, "http://")+"\n")

	h.SetPlatform("telegram", "polling", true)
	h.SetPlatform("whatsapp", "banned until 2026-12-03T10:00:00Z: code 101", false)
	r := run(t, "", "status", "-config", cfg)
	if r.code != 1 {
		t.Errorf("exit %d with WhatsApp banned, want 1; stderr %q", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 3 || lines[0] != "Piket: fail" || !strings.Contains(lines[1], "whatsapp") ||
		!strings.Contains(lines[1], "fail") || !strings.Contains(lines[1], "banned until 2026-12-03T10:00:00Z") ||
		!strings.Contains(lines[2], "telegram") {
		t.Errorf("status output:\n%s", r.stdout)
	}

	h.SetPlatformDegraded("whatsapp", "phone_offline 12 days")
	r = run(t, "", "status", "-config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "Piket: degraded") || !strings.Contains(r.stdout, "phone_offline 12 days") {
		t.Errorf("degraded: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	cfg, _ = writeConfig(t, "http:\n  listen: "+closed+"\n")
	r = run(t, "", "status", "-config", cfg)
	if r.code != 3 || !strings.Contains(r.stderr, "tidak berjalan") || !strings.Contains(r.stderr, "not running") {
		t.Errorf("no serve: exit %d, %q", r.code, r.stderr)
	}
	cfg, _ = writeConfig(t, "")
	if r = run(t, "", "status", "-config", cfg); r.code != 1 || !strings.Contains(r.stderr, "http.listen is empty") {
		t.Errorf("no http.listen: exit %d, %q", r.code, r.stderr)
	}
}

// Pairing beside a running serve is allowed only while serve's WhatsApp
// holds no session (unpaired); listing groups never is.
func TestWhatsAppCommandLocks(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	session := filepath.Join(dir, "wa.db")
	cfg, db := writeConfig(t, "whatsapp:\n  enabled: true\n  session_db: "+session+"\n")
	open := func(pair bool) error {
		var cfgPath, account string
		fs := flag.NewFlagSet("whatsapp", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.StringVar(&cfgPath, "config", "", "")
		var stderr strings.Builder
		container, _, unlock, err := openWhatsApp(ctx, fs, []string{"-config", cfg}, &cfgPath, &account, IO{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}, pair)
		if err == nil {
			container.Close()
			unlock()
		}
		return err
	}
	if err := open(false); err != nil {
		t.Fatalf("no serve running: %v", err)
	}

	serve, err := store.Lock(db) // serve runs
	if err != nil {
		t.Fatal(err)
	}
	defer serve.Close()
	if err := open(true); err != nil {
		t.Errorf("pair beside a serve with unpaired WhatsApp refused: %v", err)
	}
	if err := open(false); err == nil || !strings.Contains(err.Error(), "Stop it first") {
		t.Errorf("groups beside serve: %v, want refused", err)
	}
	inUse, err := whatsapp.LockSession(session) // serve's WhatsApp uses its device
	if err != nil {
		t.Fatal(err)
	}
	defer inUse.Close()
	if err := open(true); err == nil || !strings.Contains(err.Error(), "session is in use") {
		t.Errorf("pair beside serve using its device: %v, want refused", err)
	}
}
