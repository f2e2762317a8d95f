package cli

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/sample"
)

func TestBackupCommand(t *testing.T) {
	cfg, _ := writeConfig(t, "")
	if r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "staff.csv", string(sample.StaffCSV()))); r.code != 0 {
		t.Fatalf("import exit %d: %s", r.code, r.stderr)
	}
	file := filepath.Join(t.TempDir(), "piket-backup.db")
	r := run(t, "", "backup", "-config", cfg, file)
	if r.code != 0 || !strings.Contains(r.stdout, "backup written: "+file) {
		t.Fatalf("backup: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("backup file: %v %v, want mode 0600", fi.Mode(), err)
	}
	r = run(t, "", "backup", file, "-config", cfg)
	if r.code != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup over an existing file: exit %d, %q", r.code, r.stderr)
	}
	r = run(t, "", "backup", "-verify", file)
	if r.code != 0 || !strings.Contains(r.stdout, "integrity ok") || !strings.Contains(r.stdout, "  staff                    60\n") {
		t.Errorf("verify: exit %d, stdout:\n%s\nstderr: %s", r.code, r.stdout, r.stderr)
	}

	bad := writeFile(t, "bad.db", strings.Repeat("not a database ", 100))
	if r := run(t, "", "backup", "-verify", bad); r.code != 1 {
		t.Errorf("verify of a text file: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, "", "backup", "-config", cfg); r.code != 2 {
		t.Errorf("backup without a file: exit %d, want 2", r.code)
	}
	missing, _ := writeConfig(t, "")
	if r := run(t, "", "backup", "-config", missing, filepath.Join(t.TempDir(), "x.db")); r.code != 1 {
		t.Errorf("backup of a missing database: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(strings.TrimSuffix(missing, "piket.yaml") + "piket.db"); err == nil {
		t.Error("backup created the missing database")
	}
}

func TestHealthcheckCommand(t *testing.T) {
	h := ops.NewHealth(ops.HealthOptions{SchedulerStale: -1})
	srv := httptest.NewServer(ops.Mux(h, nil))
	defer srv.Close()
	r := run(t, "", "healthcheck", "-url", srv.URL+"/healthz")
	if r.code != 0 || r.stdout != "ok\n" {
		t.Errorf("healthy: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	h.AddCheck("disk", func(context.Context) error { return ops.Degraded(errors.New("50 MiB free")) })
	r = run(t, "", "healthcheck", "-url", srv.URL+"/healthz")
	if r.code != 0 || r.stdout != "degraded\n  disk: 50 MiB free\n" {
		t.Errorf("degraded: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	h.SetPlatform("whatsapp", "logged_out", false)
	r = run(t, "", "healthcheck", "-url", srv.URL+"/healthz")
	if r.code != 1 || !strings.Contains(r.stderr, "503") || !strings.Contains(r.stderr, "whatsapp: logged_out") {
		t.Errorf("unhealthy: exit %d, %q", r.code, r.stderr)
	}
	// From the config: http.listen ":PORT" is asked on 127.0.0.1.
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	cfg, _ := writeConfig(t, "http:\n  listen: \""+port+"\"\n")
	if r := run(t, "", "healthcheck", "-config", cfg); r.code != 1 || !strings.Contains(r.stderr, "whatsapp") {
		t.Errorf("healthcheck from config: exit %d, %q", r.code, r.stderr)
	}
	cfg, _ = writeConfig(t, "http:\n  listen: \"\"\n")
	if r := run(t, "", "healthcheck", "-config", cfg); r.code != 1 || !strings.Contains(r.stderr, "disabled") {
		t.Errorf("healthcheck with the endpoint disabled: exit %d, %q", r.code, r.stderr)
	}
	srv.Close()
	if r := run(t, "", "healthcheck", "-url", srv.URL+"/healthz"); r.code != 1 {
		t.Errorf("nothing listening: exit %d", r.code)
	}
}

func TestLocalAddr(t *testing.T) {
	for in, want := range map[string]string{
		":8080": "127.0.0.1:8080", "0.0.0.0:8080": "127.0.0.1:8080", "[::]:8080": "[::1]:8080",
		"127.0.0.1:9": "127.0.0.1:9", "10.0.0.5:8080": "10.0.0.5:8080",
	} {
		if got := localAddr(in); got != want {
			t.Errorf("localAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
