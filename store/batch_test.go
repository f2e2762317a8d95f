package store

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// appendLog is a write that appends i to the "log" setting, so the
// setting's final value shows the order the writes ran in.
func appendLog(i int) func(*Tx) error {
	return func(tx *Tx) error {
		var v string
		if err := tx.queryRow(noCancel, `SELECT coalesce((SELECT value FROM settings WHERE key = 'log'), '')`).Scan(&v); err != nil {
			return err
		}
		if v != "" {
			v += ","
		}
		return tx.SetSettingTx(noCancel, "log", v+strconv.Itoa(i))
	}
}

// openCounting opens a store that counts its commits.
func openCounting(t *testing.T) (*Store, *atomic.Int64) {
	t.Helper()
	commits := new(atomic.Int64)
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "piket.db"), Options{WriteFault: func() error { commits.Add(1); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, commits
}

func TestWriteBatchOneCommitInOrder(t *testing.T) {
	ctx := context.Background()
	s, commits := openCounting(t)

	boom := errors.New("boom")
	var ws []BatchWrite
	var want []string
	for i := range 100 {
		fn := appendLog(i)
		if i == 3 || i == 57 {
			inner := fn
			fn = func(tx *Tx) error {
				if err := inner(tx); err != nil {
					return err
				}
				return boom // its own change is rolled back
			}
		} else {
			want = append(want, strconv.Itoa(i))
		}
		ws = append(ws, BatchWrite{Fn: fn})
	}
	before := commits.Load()
	errs := s.WriteBatch(ctx, ws)
	for i, err := range errs {
		if (i == 3 || i == 57) != errors.Is(err, boom) {
			t.Errorf("write %d: err %v", i, err)
		}
	}
	got, err := s.Setting(ctx, "log")
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.Join(want, ",") {
		t.Errorf("order of the writes:\n got %s\nwant %s", got, strings.Join(want, ","))
	}
	// One try without savepoints (rolled back: a write failed), then one
	// with them: only the second reaches the commit.
	if n := commits.Load() - before; n != 1 {
		t.Errorf("%d commits for one batch, want 1", n)
	}
}

func TestWriteBatchCancelled(t *testing.T) {
	s := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs := s.WriteBatch(ctx, []BatchWrite{{Fn: appendLog(1)}, {Fn: appendLog(2)}})
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("write %d: err %v, want context.Canceled", i, err)
		}
	}
	if len(s.WriteBatch(context.Background(), nil)) != 0 {
		t.Error("an empty batch returned outcomes")
	}
}

// Writes made with Soon share one commit when they come within the wait;
// an ordinary write ends the wait at once.
func TestSoonWritesShareACommit(t *testing.T) {
	ctx := context.Background()
	s, commits := openCounting(t)
	soon := Soon(ctx, time.Hour) // only company ends the wait
	errs := make(chan error, 3)
	before := commits.Load()
	for i := range 3 {
		go func() { errs <- s.Write(soon, appendLog(i)) }()
	}
	// All three are held (an hour) until an ordinary write comes.
	if err := waitUntil(func() bool { return s.heldSoon.Load() == 3 }); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errs:
		t.Fatalf("a Soon write returned (%v) before any company came", err)
	case <-time.After(50 * time.Millisecond):
	}
	if err := s.Write(ctx, appendLog(3)); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := commits.Load() - before; n != 1 {
		t.Errorf("%d commits for three Soon writes and one ordinary one, want 1", n)
	}
}

func waitUntil(cond func() bool) error {
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return nil
}
