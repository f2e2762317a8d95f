package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/piket-id/piket/store"
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
// was sent, once, answers every one, and the report is filled in. No
// figure is asserted (rates and latencies depend on the machine; they are
// printed by cmd/piket-bench): what is checked is what serve wrote.
func TestE2ESmall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts serve")
	}
	var progress io.Writer = io.Discard
	if testing.Verbose() {
		progress = os.Stderr
	}
	dir := t.TempDir()
	c := E2EConfig{Staff: 400, Offices: 4, Messages: 300, Latency: 5, LatencyRate: 20, Wave: 50, Rounds: 2, Dir: dir}
	r, err := E2E(context.Background(), c, progress)
	if err != nil {
		t.Fatal(err)
	}
	if r.Got429 != 0 {
		t.Errorf("%d answers 429 at Telegram's limits", r.Got429)
	}
	if r.DispatcherShare < 0 || r.DispatcherShare > 1 {
		t.Errorf("dispatcher share %v: the rounds' CPU profiles were not read", r.DispatcherShare)
	}
	if r.IdleRSS == 0 || r.LoadRSS == 0 {
		t.Errorf("serve's RSS not sampled: %+v", r)
	}
	if r.Warm != 15 {
		t.Errorf("warm-up of %d check-ins per round, want 15 (a tenth of a round)", r.Warm)
	}
	// Every check-in (warm-ups, ingest rounds and both latency phases)
	// is one attendance row and one inbound row, answered by one queued
	// reply; the raw baseline removed its own rows.
	db, err := sql.Open("sqlite", store.DSN(filepath.Join(dir, "e2e", "piket.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := c.Messages + 2*c.Latency + c.Rounds*r.Warm
	for q, what := range map[string]string{
		`SELECT count(*) FROM attendance`:                                                 "attendance rows",
		`SELECT count(DISTINCT message_id) FROM inbound WHERE outcome = 'ok'`:             "check-ins handled",
		`SELECT count(*) FROM outbox WHERE priority = ` + fmt.Sprint(store.PriorityReply): "replies queued",
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: %d, want %d", what, n, want)
		}
	}
}
