package cli

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/internal/syncbuf"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/store"
)

// TestHelperProcess is not a test: the tests below run the test binary
// again as a second process that runs the piket command line given in
// PIKET_HELPER_ARGS (one argument a line).
func TestHelperProcess(t *testing.T) {
	args := os.Getenv("PIKET_HELPER_ARGS")
	if args == "" {
		t.Skip("helper process only")
	}
	code := Run(context.Background(), strings.Split(args, "\n"), IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: func(string) string { return "" }})
	os.Exit(code)
}

// startServe runs `piket serve` (console only) in another process and
// returns once it holds the database's lock; closing stdin stops it.
func startServe(t *testing.T, cfg, db string) (stdin io.WriteCloser, wait func() (int, string), output func() string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "PIKET_HELPER_ARGS=serve\n-config\n"+cfg)
	out := &syncbuf.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Process.Kill(); cmd.Wait() })
	want := "pid=" + strconv.Itoa(cmd.Process.Pid) + " "
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(store.LockPath(db))
		if strings.HasPrefix(string(b), want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not take the lock; lock file %q; output:\n%s", b, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return stdin, func() (int, string) {
		err := cmd.Wait()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String()
	}, out.String
}

// A second serve on the same database exits at once, non-zero, naming the
// process that runs; commands that go through the store still work beside
// it; whatsapp pair and groups refuse.
func TestSecondServeRefusedBesideARunningOne(t *testing.T) {
	cfg, db := writeConfig(t, "")
	csv := writeFile(t, "staff.csv", string(sample.StaffCSV()))
	if r := run(t, "", "staff", "import", "-config", cfg, csv); r.code != 0 {
		t.Fatalf("import exit %d: %s", r.code, r.stderr)
	}
	stdin, wait, _ := startServe(t, cfg, db)
	host, _ := os.Hostname()

	r := run(t, "", "serve", "-config", cfg)
	if r.code != 1 {
		t.Errorf("second serve exit %d, want 1; stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"already running", db, "pid", host} {
		if want == "pid" {
			want = "process "
		}
		if !strings.Contains(r.stderr, want) {
			t.Errorf("second serve said %q, want it to name %q", r.stderr, want)
		}
	}
	if r.stdout != "" {
		t.Errorf("second serve wrote %q", r.stdout)
	}
	t.Logf("second serve: %s", r.stderr)

	for _, args := range [][]string{{"whatsapp", "groups"}, {"whatsapp", "pair"}} {
		r := run(t, "", append(args, "-config", cfg)...)
		if r.code != 1 || !strings.Contains(r.stderr, "Stop it first") {
			t.Errorf("%s beside serve: exit %d, %q; want 1 and a request to stop serve", strings.Join(args, " "), r.code, r.stderr)
		}
		t.Logf("%s: %s", strings.Join(args, " "), r.stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(db), "piket-whatsapp.db")); err == nil {
		t.Error("whatsapp commands opened the session store beside serve")
	}

	if r := run(t, "", "staff", "import", "-config", cfg, csv); r.code != 0 {
		t.Errorf("import beside serve: exit %d: %s", r.code, r.stderr)
	}
	out := filepath.Join(t.TempDir(), "maret.csv")
	if r := run(t, "", "export", "-config", cfg, "-month", "2020-03", "-o", out); r.code != 0 {
		t.Errorf("export beside serve: exit %d: %s", r.code, r.stderr)
	}
	if r := run(t, "", "backup", "-config", cfg, filepath.Join(t.TempDir(), "b.db")); r.code != 0 {
		t.Errorf("backup beside serve: exit %d: %s", r.code, r.stderr)
	}

	stdin.Close() // end of console input stops the first serve
	if code, out := wait(); code != 0 {
		t.Fatalf("first serve exit %d:\n%s", code, out)
	}
	// Once it stopped, serve starts again.
	if r := run(t, "", "serve", "-config", cfg); r.code != 0 {
		t.Errorf("serve after the first stopped: exit %d: %s", r.code, r.stderr)
	}
}

func TestDemoWithDBRefusedWhileLocked(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	l, err := store.Lock(db)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, ":as Ni Made Sari\nhadir\n", "demo", "-db", db)
	if r.code != 1 || !strings.Contains(r.stderr, "already running") {
		t.Errorf("demo -db beside a running instance: exit %d, %q", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "✅") {
		t.Errorf("demo answered a check-in: %q", r.stdout)
	}
	l.Close()
	if r := run(t, ":as Ni Made Sari\nhadir\n", "demo", "-db", db); r.code != 0 || !strings.Contains(r.stdout, "✅") {
		t.Errorf("demo -db after the lock was released: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

// waitOutput polls a process's output for want.
func waitOutput(t *testing.T, output func() string, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(output(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %v; output:\n%s", want, within, output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A swap made with the command line while serve runs, in another
// process, is sent by serve's outbox. That serve wakes for it at once
// (it watches for other processes' commits, instead of sleeping on its
// idle timer) is outbox.TestWakesOnOtherProcessCommit; here the wait
// is only a guard against a hang, longer than that timer.
func TestRosterSwapBesideServeIsSent(t *testing.T) {
	cfg := importSampleStaff(t, "")
	db := filepath.Join(filepath.Dir(cfg), "piket.db")
	stdin, wait, output := startServe(t, cfg, db)
	// A first exchange shows serve's outbox running.
	if _, err := io.WriteString(stdin, ":as Ni Made Sari\n/bantuan\n"); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, output, "→ [Ni Made Sari]", 60*time.Second)
	const head, other = "197008141995031004", "199203142015032001" // I Wayan Sudarsana (fixed), Ni Made Sari
	if r := run(t, "", "roster", "swap", "-config", cfg, "-opd", "DISKOMINFO", "-date", "2020-03-24", "-out", head, "-in", other); r.code != 0 {
		t.Fatalf("swap exit %d: %s", r.code, r.stderr)
	}
	waitOutput(t, output, "→ [grup DISKOMINFO]", 3*time.Minute)
	stdin.Close()
	if code, out := wait(); code != 0 {
		t.Fatalf("serve exit %d:\n%s", code, out)
	}
}
