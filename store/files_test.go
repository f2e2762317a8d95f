package store

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// assertPrivate fails unless path exists and nobody but its owner may
// read or write it.
func assertPrivate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got&0o077 != 0 || got&0o600 != 0o600 {
		t.Errorf("%s: mode %v, want 0600 (or stricter for group and others)", filepath.Base(path), got)
	}
}

// TestDatabaseFilesPrivate checks the database and the -wal and -shm
// files SQLite creates beside it are 0600, whatever the umask lets
// SQLite's own default (0644) through.
func TestDatabaseFilesPrivate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "piket.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed(t, s) // a write: the -wal and -shm files exist now
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		assertPrivate(t, p)
	}
	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	assertPrivate(t, dst)
	if rep, err := VerifyBackup(ctx, dst); err != nil || !rep.OK() {
		t.Fatalf("backup: %v %v", rep.Integrity, err)
	}
}

// TestDatabaseExistingFileKept checks Open leaves an existing database's
// mode alone (the operator may have chosen it).
func TestDatabaseExistingFileKept(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "piket.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != fs.FileMode(0o640) {
		t.Errorf("mode %v, want 0640 kept", got)
	}
}
