package store

import (
	"context"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

func queue(t *testing.T, s *Store, n int) {
	t.Helper()
	err := s.Write(context.Background(), func(tx *Tx) error {
		for i := range n {
			if _, _, err := tx.Enqueue(context.Background(), OutMsg{Platform: "telegram", ChatID: "c", Text: string(rune('a' + i))}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestClaimOutboxLease(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	queue(t, s, 3)
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	got, err := s.ClaimOutbox(ctx, "A", []int64{1, 2}, now, now.Add(2*time.Minute))
	if err != nil || !slices.Equal(got, []int64{1, 2}) {
		t.Fatalf("A claims 1, 2: %v, %v", got, err)
	}
	// B gets only what A does not hold.
	if got, _ = s.ClaimOutbox(ctx, "B", []int64{1, 2, 3}, now.Add(time.Minute), now.Add(3*time.Minute)); !slices.Equal(got, []int64{3}) {
		t.Errorf("B while A's lease holds: %v, want [3]", got)
	}
	// A renews its own.
	if got, _ = s.ClaimOutbox(ctx, "A", []int64{1}, now.Add(time.Minute), now.Add(3*time.Minute)); !slices.Equal(got, []int64{1}) {
		t.Errorf("A renews 1: %v", got)
	}
	// B takes over 2 once A's lease expired.
	if got, _ = s.ClaimOutbox(ctx, "B", []int64{2}, now.Add(2*time.Minute), now.Add(4*time.Minute)); !slices.Equal(got, []int64{2}) {
		t.Errorf("B after A's lease on 2 expired: %v, want [2]", got)
	}
	// A sent message is never claimed again, and its lease is gone.
	if err := s.MarkSent(ctx, 1, "x", now); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.ClaimOutbox(ctx, "B", []int64{1}, now.Add(time.Hour), now.Add(2*time.Hour)); len(got) != 0 {
		t.Errorf("claimed a sent message: %v", got)
	}
	p, err := s.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p) != 2 || p[0].ClaimedBy != "B" || !p[0].ClaimedUntil.Equal(now.Add(4*time.Minute)) {
		t.Errorf("pending = %+v, want 2 and 3 held by B", p)
	}
	// Releasing keeps the caller's own leases and drops the others'.
	if n, err := s.ReleaseOutboxClaims(ctx, "B"); err != nil || n != 0 {
		t.Errorf("release by B: %d, %v", n, err)
	}
	if n, err := s.ReleaseOutboxClaims(ctx, "C"); err != nil || n != 2 {
		t.Errorf("release by C: %d, %v; want 2", n, err)
	}
	if p, _ = s.PendingOutbox(ctx, 10); p[0].ClaimedBy != "" || !p[0].ClaimedUntil.IsZero() {
		t.Errorf("after release: %+v", p[0])
	}
}

func TestWatchCommitsSeesOtherConnections(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var n atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.WatchCommits(ctx, 10*time.Millisecond, func() { n.Add(1) }) }()
	time.Sleep(50 * time.Millisecond) // let it read a first version
	queue(t, other, 1)
	deadline := time.Now().Add(20 * time.Second)
	for n.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n.Load() == 0 {
		t.Error("a commit by another connection was not seen")
	}
}

func TestSynchronousMode(t *testing.T) {
	for _, tc := range []struct {
		mode string
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{{"", 2}, {SyncFull, 2}, {SyncNormal, 1}, {"NORMAL", 1}} {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), Options{Synchronous: tc.mode})
		if err != nil {
			t.Fatal(err)
		}
		var got int
		err = s.Write(context.Background(), func(tx *Tx) error {
			return tx.queryRow(context.Background(), `PRAGMA synchronous`).Scan(&got)
		})
		s.Close()
		if err != nil || got != tc.want {
			t.Errorf("mode %q: synchronous = %d, %v; want %d", tc.mode, got, err, tc.want)
		}
	}
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), Options{Synchronous: "off"}); err == nil {
		t.Error("Open accepted synchronous mode off")
	}
}
