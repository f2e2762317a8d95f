package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// privateMode is the mode of every file Piket creates with personal data
// in it (the database, backups, exports). The umask can only make it
// stricter.
const privateMode fs.FileMode = 0o600

// createPrivate creates the database file at path, empty and 0600, if
// nothing is there yet. SQLite would create it 0644 (readable by every
// user of the machine), and on unix it gives the -wal and -shm files the
// database file's mode, so they follow. An existing file (or symlink) is
// left as it is.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return nil
}
