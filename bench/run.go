package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"text/tabwriter"
	"time"

	"github.com/piket-id/piket/store"
)

// Config sizes one bench run.
type Config struct {
	Staff, Offices int     // staff loaded (memory, ingest senders)
	Messages       int     // check-ins in the ingest run
	Senders        int     // concurrent senders
	RawRows        int     // rows for the raw SQLite ceiling
	PaceMessages   int     // outbound burst
	PaceGroups     int     // group chats in the burst (one roster post each)
	PaceScale      float64 // 1 = Telegram's real limits
	RosterStaff    int
	RosterOffices  int
	OutboxSent     int    // sent history for the outbox pass measure
	WavePerBot     int    // reminders per bot in the two-bot wave (bench/accounts.go)
	LinkPeople     int    // people linked by contact card
	Dir            string // temp dir for databases
	E2E            E2EConfig
	OnlyE2E        bool // skip everything but the end-to-end run
}

// Full is the sizes.
func Full() Config {
	return Config{Staff: 100000, Offices: 2000, Messages: 100000, Senders: 128, RawRows: 200000,
		PaceMessages: 10000, PaceGroups: 50, PaceScale: 1, RosterStaff: 100000, RosterOffices: 2000, OutboxSent: 3_000_000,
		WavePerBot: 25000, LinkPeople: 100000,
		E2E: E2EConfig{Staff: 100000, Offices: 2000, Messages: 60000, Latency: 100, LatencyRate: 10, Wave: 10000, Rounds: 4}}
}

// Quick is a CI-sized run (about a minute; the outbound burst runs at Telegram's real limits).
func Quick() Config {
	return Config{Staff: 20000, Offices: 400, Messages: 20000, Senders: 128, RawRows: 50000,
		PaceMessages: 1000, PaceGroups: 50, PaceScale: 1, RosterStaff: 20000, RosterOffices: 400, OutboxSent: 1_000_000,
		WavePerBot: 300, LinkPeople: 20000,
		// Rounds of the full run's size (15,000 check-ins): shorter rounds
		// weigh a round's start and end more, and measure those instead.
		E2E: E2EConfig{Staff: 33000, Offices: 660, Messages: 30000, Latency: 30, LatencyRate: 10, Wave: 10000, Rounds: 2}}
}

// Run measures everything and writes one table to w. progress, if not
// nil, gets a line per step.
func Run(ctx context.Context, c Config, w, progress io.Writer) error {
	if progress == nil {
		progress = io.Discard
	}
	step := func(f string, a ...any) { fmt.Fprintf(progress, "piket-bench: "+f+"\n", a...) }
	dir := c.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "piket-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}

	c.E2E.Dir = dir
	if c.OnlyE2E {
		e2e, err := E2E(ctx, c.E2E, progress)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
		fmt.Fprintf(tw, "piket-bench\t%s/%s, %d CPU, %s\t\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
		fmt.Fprintf(tw, "measure\tresult\ttarget\n")
		e2e.print(tw)
		return tw.Flush()
	}

	step("importing %d staff in %d offices", c.Staff, c.Offices)
	t0 := time.Now()
	env, err := NewEnv(ctx, dir, c.Staff, c.Offices)
	if err != nil {
		return err
	}
	defer env.Close()
	importTime := time.Since(t0)
	env.NIPs = nil // the list below is what a running bot holds
	active, err := env.Store.ActiveStaff(ctx)
	if err != nil {
		return err
	}
	nips := make([]string, len(active))
	for i, s := range active {
		nips[i] = s.NIP
	}
	runtime.GC()
	debug.FreeOSMemory()
	idle := ReadMem()

	step("ingest: %d check-ins from %d concurrent senders", c.Messages, c.Senders)
	svc := env.NewService(time.Now)
	stop := PeakRSS(50 * time.Millisecond)
	ing, err := Ingest(ctx, svc, nips, c.Messages, c.Senders, "bench-")
	load := stop()
	if err != nil {
		return err
	}
	runtime.KeepAlive(active)
	step("ingest again: %d check-ins of the next day, synchronous NORMAL", c.Messages)
	ingNormal, err := IngestSync(ctx, env, store.SyncNormal, 1, nips, c.Messages, c.Senders, "bench-normal-")
	if err != nil {
		return err
	}
	step("raw SQLite ceiling B: %d check-ins' rows, 1000 check-ins per transaction", c.RawRows/4)
	rawB, err := RawCheckInCeiling(ctx, env.Path, 0, c.RawRows/4, 1000)
	if err != nil {
		return err
	}

	step("outbound: %d messages to the fake Bot API (limits × %g)", c.PaceMessages, c.PaceScale)
	pace, err := Pacing(ctx, dir, c.PaceMessages, c.PaceGroups, c.PaceScale)
	if err != nil {
		return err
	}

	step("outbox: a dispatcher pass's page read and claim, without and with %d sent messages", c.OutboxSent)
	obx, err := OutboxHistory(ctx, dir, c.OutboxSent, 2000, 16, 500)
	if err != nil {
		return err
	}

	acc, err := Accounts(ctx, c, dir, step)
	if err != nil {
		return err
	}

	step("roster: a month for %d staff in %d offices", c.RosterStaff, c.RosterOffices)
	ros := Roster(c.RosterStaff, c.RosterOffices)

	// Last: the serving child and the fake must not weigh on this
	// process's memory figures above.
	e2e, err := E2E(ctx, c.E2E, progress)
	if err != nil {
		return err
	}

	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	p := func(f string, a ...any) { fmt.Fprintf(tw, f+"\n", a...) }
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "NO"
	}
	ok := func(b bool) string {
		if b {
			return "ok"
		}
		return "BELOW TARGET"
	}
	p("piket-bench\t%s/%s, %d CPU, %s\t", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	p("measure\tresult\ttarget")
	e2e.print(tw)
	p("console handler (in-process Service.Handle, %d goroutines, no dispatcher): check-ins/s, FULL\t%.0f\t", ing.Senders, ing.PerSecond())
	p("console handler: latency p50 / p99, FULL\t%s / %s\t", ing.P50.Round(10*time.Microsecond), ing.P99.Round(10*time.Microsecond))
	p("console handler: check-ins/s, synchronous NORMAL (ack after commit; a power cut may lose the last)\t%.0f\t", ingNormal.PerSecond())
	p("console handler: latency p50 / p99, NORMAL\t%s / %s\t", ingNormal.P50.Round(10*time.Microsecond), ingNormal.P99.Round(10*time.Microsecond))
	p("console handler: FULL / NORMAL (the cost of durable acknowledgements)\t%.2f\t", ing.PerSecond()/ingNormal.PerSecond())
	p("console handler: messages, senders\t%d, %d\t", ing.Messages, ing.Senders)
	p("raw ceiling B: check-ins/s, their 4 rows (inbound, attendance, history, outbox; 1000/tx)\t%.0f\t", rawB)
	p("console handler / ceiling B (the handler's cost over its own rows)\t%.2f\t", ing.PerSecond()/rawB)
	p("outbound: burst (private + group chats)\t%d (%d + %d)\t", pace.Messages, pace.Messages-c.PaceGroups, c.PaceGroups)
	p("outbound: achieved / allowed rate\t%.1f/s of %.0f/s = %.3f\t≥ 0.95 %s", pace.Rate, pace.Allowed, pace.Fraction(), ok(pace.Fraction() >= 0.95))
	p("outbound: limits scale, elapsed\t×%g, %s\t", pace.Scale, pace.Elapsed.Round(100*time.Millisecond))
	p("outbound: 429 answers during the burst\t%d\t0 %s", pace.Got429, ok(pace.Got429 == 0))
	p("outbound: injected 429 (retry_after %s) obeyed\t%s (%s)\t", pace.RetryAfter, yes(pace.RespectedRetry), pace.RetryDetail)
	p("outbox: read a page of %d queued Telegram messages (median), 0 vs %d sent in the table\t%s vs %s = ×%.2f\t≤ ×2 %s",
		obx.Page, obx.Sent, obx.ReadEmpty.Round(time.Microsecond), obx.ReadFull.Round(time.Microsecond), obx.ReadRatio(), ok(obx.ReadRatio() <= 2))
	p("outbox: claim that page (one write transaction, median), 0 vs %d sent\t%s vs %s = ×%.2f\t≤ ×2 %s",
		obx.Sent, obx.ClaimEmpty.Round(time.Microsecond), obx.ClaimFull.Round(time.Microsecond), obx.ClaimRatio(), ok(obx.ClaimRatio() <= 2))
	acc.print(p, ok)
	p("roster: one month, %d staff / %d offices / %d days\t%s\t", ros.Staff, ros.Offices, ros.Days, ros.Elapsed.Round(time.Millisecond))
	p("staff import (%d rows, one transaction)\t%s\t", c.Staff, importTime.Round(time.Millisecond))
	// The memory target is serve's (the e2e RSS rows): this process also
	// holds the whole registry as a list, its 128 senders and the
	// earlier phases' results.
	p("console handler: this bench process's RSS, %d staff listed in memory, idle (serve's own: e2e rows)\t%s (heap %s)\t", len(active), MB(idle.RSS), MB(idle.HeapInuse))
	p("console handler: this bench process's peak RSS under its ingest load\t%s (heap %s)\t", MB(load.RSS), MB(load.HeapInuse))
	return tw.Flush()
}
