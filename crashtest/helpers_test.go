package crashtest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/piket-id/piket/bench"
	"github.com/piket-id/piket/store"
)

// crashSize skips the test unless PIKET_CRASH=1 and returns how many
// check-ins to send: the value of the variable env, or def.
func crashSize(t *testing.T, env string, def int) int {
	t.Helper()
	if os.Getenv("PIKET_CRASH") != "1" {
		t.Skip("set PIKET_CRASH=1 (or run crashtest/run.sh)")
	}
	if v, err := strconv.Atoi(os.Getenv(env)); err == nil && v > 0 {
		return v
	}
	return def
}

// buildPiket builds the piket command into dir with the given build tags
// and returns the binary's path.
func buildPiket(t *testing.T, dir string, tags ...string) string {
	t.Helper()
	binary := filepath.Join(dir, "piket")
	args := []string{"build", "-o", binary}
	for _, tag := range tags {
		args = append(args, "-tags", tag)
	}
	if out, err := exec.Command("go", append(args, "github.com/piket-id/piket/cmd/piket")...).CombinedOutput(); err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out)
	}
	return binary
}

// binaryHas reports whether the file at path contains s.
func binaryHas(t *testing.T, path, s string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(s))
}

// newRegistry creates the database in dir with one generated person per
// check-in (about 50 to an office) and returns it open, with the people.
func newRegistry(t *testing.T, ctx context.Context, dir string, n int) (*bench.Env, []store.Staff) {
	t.Helper()
	env, err := bench.NewEnv(ctx, dir, n, max(1, n/50))
	if err != nil {
		t.Fatal(err)
	}
	people, err := env.Store.ActiveStaff(ctx)
	if err != nil {
		env.Close()
		t.Fatal(err)
	}
	return env, people
}

// server runs `piket serve` as a child process, again and again.
type server struct {
	binary, cfg string
	env         []string     // added to the test's environment
	stderr      bytes.Buffer // both outputs of every run
	rng         *rand.Rand
}

func newServer(binary, cfg string, env ...string) *server {
	return &server{binary: binary, cfg: cfg, env: env, rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 8))}
}

// run is one `piket serve` process.
type run struct {
	cmd  *exec.Cmd
	done chan error // its exit, once
}

// start starts one run.
func (s *server) start(t *testing.T) *run {
	t.Helper()
	cmd := exec.Command(s.binary, "serve", "-config", s.cfg)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdout, cmd.Stderr = &s.stderr, &s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &run{cmd: cmd, done: make(chan error, 1)}
	go func() { r.done <- cmd.Wait() }()
	return r
}

// killSoon kills r with SIGKILL after a random time from least to most
// (where in its work the kill falls) and waits for it to end.
func (s *server) killSoon(r *run, least, most time.Duration) {
	time.Sleep(least + time.Duration(s.rng.Int64N(int64(most-least))))
	r.kill()
}

// kill kills r with SIGKILL and waits for it to end.
func (r *run) kill() {
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.done
}

// stop stops r with SIGTERM, as an operator would, and fails the test
// unless it ends cleanly.
func (s *server) stop(t *testing.T, r *run) {
	t.Helper()
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-r.done; err != nil {
		t.Fatalf("piket serve after SIGTERM: %v\n%s", err, s.stderr.String())
	}
}

// await polls finished (every 100 ms) while r runs, until it reports
// true. The test sets no time budget of its own: a slow machine only
// makes it wait longer. It fails when r ends before it is stopped, and,
// when the deadline `go test -timeout` gives the test is near, with what
// state reports rather than the runner's goroutine dump.
func (s *server) await(t *testing.T, r *run, finished func() bool, state func() string) {
	t.Helper()
	ctx := runnerContext(t)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !finished() {
		select {
		case err := <-r.done:
			t.Fatalf("piket serve ended before it was stopped (%v): %s; stderr:\n%s", err, state(), s.stderr.String())
		case <-ctx.Done():
			r.kill()
			t.Fatalf("go test's -timeout is near, the last run unfinished: %s; stderr:\n%s", state(), s.stderr.String())
		case <-tick.C:
		}
	}
}

// runnerContext ends shortly before the deadline `go test -timeout` sets
// for the test (never, with -timeout 0), keeping a twentieth of what is
// left for the test to report how far it got.
func runnerContext(t *testing.T) context.Context {
	dl, ok := t.Deadline()
	if !ok {
		return t.Context()
	}
	ctx, cancel := context.WithDeadline(t.Context(), dl.Add(-time.Until(dl)/20))
	t.Cleanup(cancel)
	return ctx
}

// checkCounts checks the database's counts (see counts) after a crash
// test of messages check-ins, one from each person: each stored once, with
// one attendance and one history row, answered once, everything queued
// marked sent.
func checkCounts(t *testing.T, c map[string]int, messages int) {
	t.Helper()
	if c["inbound"] != messages || c["inbound_distinct"] != messages {
		t.Errorf("inbound rows %d, distinct %d, want %d", c["inbound"], c["inbound_distinct"], messages)
	}
	if c["attendance"] != messages || c["attendance_distinct"] != messages || c["history"] != messages {
		t.Errorf("attendance %d (distinct %d), history %d, want %d each", c["attendance"], c["attendance_distinct"], c["history"], messages)
	}
	if c["replies"] != messages || c["outbox_sent"] != c["outbox"] {
		t.Errorf("check-in replies %d, want %d; outbox rows %d, marked sent %d", c["replies"], messages, c["outbox"], c["outbox_sent"])
	}
}

// writeConfig writes dir/piket.yaml for `piket serve` on the database db
// with the given platform section (top-level YAML), no console, no
// reminders, no HTTP, and returns its path.
func writeConfig(t *testing.T, dir, db, platform string) string {
	t.Helper()
	cfg := filepath.Join(dir, "piket.yaml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`database: %s
console:
  enabled: false
%sreminders:
  enabled: false
http:
  listen: ""
log:
  level: warn
`, db, platform)), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}
