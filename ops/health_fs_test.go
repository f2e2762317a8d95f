package ops

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/piket-id/piket/store"
)

// faultSwitch is an injected write error (store.Options.WriteFault) the
// test turns on and off.
type faultSwitch struct{ err atomic.Pointer[error] }

func (f *faultSwitch) set(err error) {
	if err == nil {
		f.err.Store(nil)
		return
	}
	f.err.Store(&err)
}

func (f *faultSwitch) check() error {
	if p := f.err.Load(); p != nil {
		return *p
	}
	return nil
}

func openStoreAt(t *testing.T, path string, o store.Options) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// wantHealth asserts /healthz's code and the checks failing and degraded,
// and that each has a reason containing the given text.
func wantHealth(t *testing.T, h *Health, code int, failing, degraded string, reasons map[string]string) Report {
	t.Helper()
	got, rep := healthz(t, h)
	if got != code {
		t.Errorf("/healthz %d, want %d (report %+v)", got, code, rep.Checks)
	}
	if f := strings.Join(rep.Failing(), ","); f != failing {
		t.Errorf("failing %q, want %q (report %+v)", f, failing, rep.Checks)
	}
	if d := strings.Join(rep.Degraded(), ","); d != degraded {
		t.Errorf("degraded %q, want %q (report %+v)", d, degraded, rep.Checks)
	}
	for name, want := range reasons {
		if c := rep.Checks[name]; !strings.Contains(c.Detail, want) {
			t.Errorf("check %s detail %q, want it to contain %q", name, c.Detail, want)
		}
	}
	return rep
}

// newTestHealth is a Health whose scheduler and disk checks stay quiet
// unless the test sets them.
func newTestHealth(st *store.Store, o HealthOptions) *Health {
	o.Store = st
	o.SchedulerStale = -1
	if o.FreeSpace == nil && o.MinFreeDisk == 0 {
		o.MinFreeDisk = -1
	}
	return NewHealth(o)
}

func TestHealthDatabaseFileDeleted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "piket.db")
	st := openStoreAt(t, path, store.Options{})
	h := newTestHealth(st, HealthOptions{})
	wantHealth(t, h, http.StatusOK, "", "", map[string]string{CheckFile: "same file"})

	// Keep the inode reachable to put it back later.
	keep := filepath.Join(dir, "keep.db")
	if err := os.Link(path, keep); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	// Writes still "succeed" into the unlinked file: only the file check
	// can tell.
	wantHealth(t, h, http.StatusServiceUnavailable, CheckFile, "", map[string]string{CheckFile: "no longer exists"})

	// Another file put at the path (a restore copied over it) is not the
	// one open either. (Not opened as a database: that would share the
	// open database's -wal and -shm files.)
	if err := os.WriteFile(path, []byte("SQLite format 3\x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, h, http.StatusServiceUnavailable, CheckFile, "", map[string]string{CheckFile: "not the file opened"})

	// The original file back at its path: healthy again.
	if err := os.Rename(keep, path); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, h, http.StatusOK, "", "", nil)
	if !errors.Is(st.CheckFile(), nil) {
		t.Errorf("CheckFile after recovery: %v", st.CheckFile())
	}
}

func TestHealthInjectedWriteErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		free   uint64
		reason string
		deg    string
	}{
		{"read-only", errors.New("attempt to write a readonly database (8)"), 1 << 30, "readonly", ""},
		{"disk full", errors.New("database or disk is full (13)"), 0, "disk is full", CheckDisk},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fault faultSwitch
			var free atomic.Uint64
			free.Store(1 << 30)
			st := openStoreAt(t, filepath.Join(t.TempDir(), "piket.db"), store.Options{WriteFault: fault.check})
			h := newTestHealth(st, HealthOptions{MinFreeDisk: 100 << 20, FreeSpace: func(string) (uint64, error) { return free.Load(), nil }})
			wantHealth(t, h, http.StatusOK, "", "", map[string]string{CheckStore: "written and read back", CheckDisk: "1.0 GiB free"})

			fault.set(tt.err)
			free.Store(tt.free)
			wantHealth(t, h, http.StatusServiceUnavailable, CheckStore, tt.deg, map[string]string{CheckStore: tt.reason})
			// Every other write fails the same way: nothing is acknowledged.
			if err := st.SetSetting(context.Background(), "x", "y"); err == nil {
				t.Error("a write succeeded while writes fail")
			}

			fault.set(nil)
			free.Store(1 << 30)
			wantHealth(t, h, http.StatusOK, "", "", nil)
		})
	}
}

func TestHealthDiskLowIsDegraded(t *testing.T) {
	st := openStoreAt(t, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	h := newTestHealth(st, HealthOptions{MinFreeDisk: 100 << 20, FreeSpace: func(string) (uint64, error) { return 50 << 20, nil }})
	rep := wantHealth(t, h, http.StatusOK, "", CheckDisk, map[string]string{CheckDisk: "50.0 MiB free"})
	if rep.Status != StatusDegraded {
		t.Errorf("status %q, want %q", rep.Status, StatusDegraded)
	}
	h = newTestHealth(st, HealthOptions{MinFreeDisk: 100 << 20, FreeSpace: func(string) (uint64, error) { return 0, errors.New("statfs: permission denied") }})
	wantHealth(t, h, http.StatusOK, "", CheckDisk, map[string]string{CheckDisk: "permission denied"})
	// The real statfs of the test's directory answers.
	h = newTestHealth(st, HealthOptions{MinFreeDisk: 1})
	wantHealth(t, h, http.StatusOK, "", "", map[string]string{CheckDisk: "free in"})
	if free, ok := h.DiskFree(); !ok || free == 0 {
		t.Errorf("DiskFree = %d, %v; want the free bytes", free, ok)
	}
}
