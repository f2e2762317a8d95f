//go:build linux

package ops

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/piket-id/piket/store"
)

// mountTmpfs mounts a small tmpfs on a fresh directory, or skips the test
// where mounting is not allowed (not root, no CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v); TestHealthInjectedWriteErrors covers this with an injected error", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill writes a file until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return
			}
			t.Fatal(err)
		}
	}
}

// TestHealthTmpfsFull fills the database's file system for real, then frees
// it. (A real read-only remount is refused with EBUSY while SQLite holds
// the file open for writing, so read-only is covered by an injected error
// in TestHealthInjectedWriteErrors.)
func TestHealthTmpfsFull(t *testing.T) {
	dir := mountTmpfs(t, "8m")
	st := openStoreAt(t, filepath.Join(dir, "piket.db"), store.Options{})
	h := newTestHealth(st, HealthOptions{MinFreeDisk: 1 << 20})
	wantHealth(t, h, http.StatusOK, "", "", map[string]string{CheckStore: "read back", CheckDisk: "free in " + dir})

	filler := filepath.Join(dir, "filler")
	fill(t, filler)
	wantHealth(t, h, http.StatusServiceUnavailable, CheckStore, CheckDisk,
		map[string]string{CheckStore: "write heartbeat", CheckDisk: "below 1.0 MiB"})
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, h, http.StatusOK, "", "", nil)
}
