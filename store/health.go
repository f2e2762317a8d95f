package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Errors of CheckFile, for callers that branch on them.
var (
	ErrFileGone     = errors.New("store: database file is gone")
	ErrFileReplaced = errors.New("store: database file was replaced")
)

// dbFile is the database file as Open found it, to tell later whether the
// path still names the file the connections hold open.
type dbFile struct {
	path string
	info fs.FileInfo // nil: not a plain file (e.g. ":memory:")
}

func openedFile(path string) dbFile {
	f := dbFile{path: path}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		f.info = fi
	}
	return f
}

// commitTx commits tx unless Options.WriteFault refuses (then it rolls
// back and returns the fault).
func (s *Store) commitTx(tx *sql.Tx) error {
	if s.fault != nil {
		if err := s.fault(); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// Path returns the database file's path as given to Open.
func (s *Store) Path() string { return s.file.path }

// Dir returns the directory holding the database file (where its WAL and
// backups grow), for a free-space check.
func (s *Store) Dir() string { return filepath.Dir(s.file.path) }

// CheckFile reports whether the database path still names the file Open
// opened (same device and inode). A deleted file keeps working for the
// open connections, so every write "succeeds" into a file nobody will see
// again; a replaced one (a restore copied over it) is a different
// database. Both wrap ErrFileGone or ErrFileReplaced. An in-memory
// database always passes.
func (s *Store) CheckFile() error {
	if s.file.info == nil {
		return nil
	}
	fi, err := os.Stat(s.file.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %s no longer exists (deleted or moved while open)", ErrFileGone, s.file.path)
	case err != nil:
		return fmt.Errorf("store: check database file: %w", err)
	case !os.SameFile(fi, s.file.info):
		return fmt.Errorf("%w: %s is not the file opened at start (another file is at that path now)", ErrFileReplaced, s.file.path)
	}
	return nil
}

const (
	writeHeartbeat = `INSERT INTO heartbeat (id, seq, beat_at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, beat_at = excluded.beat_at`
	readHeartbeat = `SELECT seq, beat_at FROM heartbeat WHERE id = 1`
)

// Heartbeat writes the heartbeat row through the writer, like any other
// write (so a read-only, full or wedged database fails it), and reads it
// back through the read pool: the write is committed and visible.
func (s *Store) Heartbeat(ctx context.Context, now time.Time) error {
	// The sequence number is taken inside the write, which the writer runs
	// in its own order: taken before it, two concurrent heartbeats could
	// commit in the opposite order to their numbers, and the lower number,
	// committed last, would read back as a beat that went missing.
	var seq int64
	err := s.Write(ctx, func(t *Tx) error {
		seq = s.beats.Add(1)
		_, err := t.exec(ctx, writeHeartbeat, seq, ms(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: write heartbeat: %w", err)
	}
	var got, at int64
	if err := s.r.QueryRowContext(ctx, readHeartbeat).Scan(&got, &at); err != nil {
		return fmt.Errorf("store: read heartbeat back: %w", err)
	}
	// A concurrent heartbeat may have written a later one.
	if got < seq {
		return fmt.Errorf("store: read heartbeat back: got %d, wrote %d", got, seq)
	}
	return nil
}
