package app

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A shutdown during the roster catch-up stops it at once, with one error
// saying where, not one "context canceled" per office left; an office's
// own failure does not stop the others.
func TestCatchUpEachStopsAtShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	codes := []string{"A", "B", "C", "D", "E"}
	var ran []string
	err := catchUpEach(ctx, codes, func(ctx context.Context, code string) error {
		ran = append(ran, code)
		switch code {
		case "A":
			return errors.New("office A: no roster policy")
		case "B":
			cancel() // shutdown while B is caught up
			return ctx.Err()
		}
		return nil
	})
	if got := strings.Join(ran, ","); got != "A,B" {
		t.Errorf("caught up %s, want A,B (nothing after the shutdown)", got)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled in it", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "office A: no roster policy") || !strings.Contains(msg, "stopped after 2 of 5 offices") {
		t.Errorf("err %q: want office A's failure and where the catch-up stopped", msg)
	}
	if n := strings.Count(msg, "context canceled"); n != 2 {
		t.Errorf("err %q: %d mentions of the cancellation, want 2 (B's own, and the stop)", msg, n)
	}

	// Without a shutdown every office is caught up.
	ran = nil
	if err := catchUpEach(context.Background(), codes, func(_ context.Context, code string) error {
		ran = append(ran, code)
		return nil
	}); err != nil || len(ran) != len(codes) {
		t.Errorf("without a shutdown: caught up %v, err %v; want all, nil", ran, err)
	}
}
