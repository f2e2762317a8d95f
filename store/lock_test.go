package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLockIsExclusiveAndNamesItsHolder(t *testing.T) {
	db := filepath.Join(t.TempDir(), "piket.db")
	l, err := Lock(db)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(LockPath(db))
	if err != nil {
		t.Fatal(err)
	}
	if m := fi.Mode().Perm(); m != 0o600 {
		t.Errorf("lock file mode %v, want 0600", m)
	}
	// flock locks belong to an open file: a second open in this process
	// conflicts just as another process would.
	_, err = Lock(db)
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second Lock: %v, want a *LockedError", err)
	}
	host, _ := os.Hostname()
	if le.PID != os.Getpid() || le.Host != host || le.Since == "" {
		t.Errorf("holder = pid %d host %q since %q, want pid %d host %q", le.PID, le.Host, le.Since, os.Getpid(), host)
	}
	if msg := err.Error(); !strings.Contains(msg, "process ") || !strings.Contains(msg, host) {
		t.Errorf("message %q does not name the holder", msg)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	l2, err := Lock(db)
	if err != nil {
		t.Fatalf("Lock after Close: %v", err)
	}
	l2.Close()
}

func TestParseLockInfo(t *testing.T) {
	for _, tc := range []struct {
		in          string
		pid         int
		host, since string
	}{
		{"pid=42 host=srv-1 since=2026-12-02T10:00:00Z\n", 42, "srv-1", "2026-12-02T10:00:00Z"},
		{"", 0, "", ""},
		{"pid=-3 host= junk", 0, "", ""},
		{"pid=abc host=x", 0, "x", ""},
	} {
		pid, host, since := parseLockInfo(tc.in)
		if pid != tc.pid || host != tc.host || since != tc.since {
			t.Errorf("parseLockInfo(%q) = %d, %q, %q; want %d, %q, %q", tc.in, pid, host, since, tc.pid, tc.host, tc.since)
		}
	}
}

// The lock file is read back from disk, where anything may have been
// written: parsing it never panics and yields only plausible values.
func FuzzParseLockInfo(f *testing.F) {
	f.Add("pid=42 host=srv-1 since=2026-12-02T10:00:00Z\n")
	f.Add("pid=99999999999999999999 host==x since")
	f.Add("\x00pid=1")
	f.Fuzz(func(t *testing.T, s string) {
		pid, host, since := parseLockInfo(s)
		if pid < 0 {
			t.Errorf("pid %d from %q", pid, s)
		}
		if strings.ContainsAny(host+since, " \n\t") {
			t.Errorf("field with a space from %q: %q %q", s, host, since)
		}
	})
}
