package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ErrLocked means another process holds the instance lock of a database.
var ErrLocked = errors.New("store: database in use by another instance")

// LockedError says who holds the instance lock. It wraps ErrLocked.
type LockedError struct {
	Path  string // the lock file
	PID   int    // 0 if unknown
	Host  string // "" if unknown
	Since string // when the holder took it, as written ("" if unknown)
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = "process " + strconv.Itoa(e.PID)
		if e.Host != "" {
			who += " on host " + e.Host
		}
		if e.Since != "" {
			who += " (since " + e.Since + ")"
		}
	}
	return fmt.Sprintf("store: database in use by %s, lock file %s", who, e.Path)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// InstanceLock is the exclusive lock one running instance holds on its
// database (piket serve, piket whatsapp pair), so a second one cannot
// start beside it. Commands that only go through the store (an import, a
// backup) do not take it: SQLite serialises their writes.
type InstanceLock struct {
	f    *os.File
	path string
}

// LockPath is the lock file of the database at dbPath.
func LockPath(dbPath string) string { return dbPath + ".lock" }

// Lock takes the instance lock of the database at dbPath: an exclusive,
// non-blocking flock on LockPath(dbPath) (created 0600), into which it
// writes its pid, host and start time. The kernel releases it when the
// process ends, however it ends. It fails at once with a *LockedError
// when another process holds it.
func Lock(dbPath string) (*InstanceLock, error) {
	path := LockPath(dbPath)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: open lock file: %w", err)
	}
	if err := flock(f); err != nil {
		defer f.Close()
		if errors.Is(err, errWouldBlock) {
			le := &LockedError{Path: path}
			if b, rerr := os.ReadFile(path); rerr == nil {
				le.PID, le.Host, le.Since = parseLockInfo(string(b))
			}
			return nil, le
		}
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	host, _ := os.Hostname()
	info := fmt.Sprintf("pid=%d host=%s since=%s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(info), 0) // informational only
	}
	return &InstanceLock{f: f, path: path}, nil
}

// Close releases the lock. The file stays: removing it would let a
// process that opened it before the removal lock a file nobody else sees.
func (l *InstanceLock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}

// parseLockInfo reads what Lock writes; unknown or missing fields stay zero.
func parseLockInfo(s string) (pid int, host, since string) {
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			continue
		}
		switch k {
		case "pid":
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				pid = n
			}
		case "host":
			host = v
		case "since":
			since = v
		}
	}
	return pid, host, since
}
