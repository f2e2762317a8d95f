//go:build linux || darwin || freebsd

package ops

import (
	"errors"
	"fmt"
	"syscall"
)

// errNoStatfs: this system has no free-space call (the disk check passes).
var errNoStatfs = errors.New("ops: free space unknown on this system")

// freeSpace returns the bytes available to an unprivileged user on the
// file system holding dir (statfs: available blocks × block size).
func freeSpace(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("statfs: %w", err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil //nolint:unconvert // field types differ by system
}
