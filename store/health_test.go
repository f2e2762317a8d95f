package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

func TestHeartbeat(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 { // concurrent checks share batches and may read a later beat
		wg.Go(func() { errs <- s.Heartbeat(ctx, now) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	var at int64
	if err := s.DB().QueryRow(`SELECT count(*), max(beat_at) FROM heartbeat`).Scan(&n, &at); err != nil {
		t.Fatal(err)
	}
	if n != 1 || at != now.UnixMilli() {
		t.Errorf("heartbeat table: %d rows, beat_at %d; want 1 row at %d", n, at, now.UnixMilli())
	}
}

func TestWriteFault(t *testing.T) {
	ctx := context.Background()
	var fail atomic.Bool
	full := errors.New("database or disk is full")
	s, err := Open(ctx, filepath.Join(t.TempDir(), "piket.db"), Options{WriteFault: func() error {
		if fail.Load() {
			return full
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fail.Store(true)
	if err := s.Heartbeat(ctx, now); !errors.Is(err, full) {
		t.Errorf("heartbeat with writes failing: %v, want %v", err, full)
	}
	if err := s.SetSetting(ctx, "k", "v"); !errors.Is(err, full) {
		t.Errorf("write with writes failing: %v, want %v", err, full)
	}
	if v, err := s.Setting(ctx, "k"); err != nil || v != "" {
		t.Errorf("a failed write left %q (%v)", v, err)
	}
	fail.Store(false)
	if err := s.Heartbeat(ctx, now); err != nil {
		t.Errorf("heartbeat after recovery: %v", err)
	}
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "piket.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CheckFile(); err != nil {
		t.Fatalf("fresh: %v", err)
	}
	if s.Path() != path || s.Dir() != dir {
		t.Errorf("Path %q Dir %q", s.Path(), s.Dir())
	}
	moved := filepath.Join(dir, "moved.db")
	if err := os.Rename(path, moved); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckFile(); !errors.Is(err, ErrFileGone) {
		t.Errorf("moved away: %v, want ErrFileGone", err)
	}
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckFile(); !errors.Is(err, ErrFileReplaced) {
		t.Errorf("another file at the path: %v, want ErrFileReplaced", err)
	}
	if err := os.Rename(moved, path); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckFile(); err != nil {
		t.Errorf("moved back: %v", err)
	}
}
