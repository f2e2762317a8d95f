package bench

import (
	"context"
	"io"
	"os"
	"testing"
)

// TestMain lets the end-to-end run start this test binary as the serving
// child, as cmd/piket-bench starts itself.
func TestMain(m *testing.M) {
	if os.Getenv(ServeEnv) != "" {
		os.Exit(ServeChild())
	}
	os.Exit(m.Run())
}

// The end-to-end run at a small size: serve commits every check-in it
// was sent, answers every latency probe, and the figures are filled in.
// (No figure is asserted: they depend on the machine.)
func TestE2ESmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve")
	}
	var progress io.Writer = io.Discard
	if testing.Verbose() {
		progress = os.Stderr
	}
	r, err := E2E(context.Background(), E2EConfig{Staff: 400, Offices: 4, Messages: 300, Latency: 5, LatencyRate: 20, Wave: 50, Rounds: 2, Dir: t.TempDir()}, progress)
	if err != nil {
		t.Fatal(err)
	}
	if r.Elapsed <= 0 || r.Raw <= 0 || r.P50 <= 0 || r.WaveP50 <= 0 || r.IdleRSS == 0 || r.LoadRSS == 0 {
		t.Errorf("figures missing: %+v", r)
	}
	if r.Got429 != 0 {
		t.Errorf("%d answers 429 at Telegram's limits", r.Got429)
	}
	if r.DispatcherShare < 0 || r.DispatcherShare > 1 {
		t.Errorf("dispatcher share %v", r.DispatcherShare)
	}
}
