//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package store

import (
	"errors"
	"os"
)

var errWouldBlock = errors.New("store: lock held")

// flock is a no-op where flock(2) is missing: the outbox lease still
// keeps two instances from sending the same message.
func flock(*os.File) error { return nil }
