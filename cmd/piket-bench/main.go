// Command piket-bench measures Piket on this machine and prints one table:
// check-in ingest against the raw SQLite ceiling, outbound pacing against
// a fake Telegram Bot API, roster generation and memory. See bench/README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/piket-id/piket/bench"
)

func main() {
	if os.Getenv(bench.ServeEnv) != "" {
		// The end-to-end run's serving child: `piket serve`, as cmd/piket.
		os.Exit(bench.ServeChild())
	}
	quick := flag.Bool("quick", false, "CI sizes: 20,000 staff, 1,000 outbound messages (about a minute)")
	c := bench.Full()
	if len(os.Args) > 1 {
		// -quick changes the defaults the other flags start from.
		for _, a := range os.Args[1:] {
			if a == "-quick" || a == "--quick" || a == "-quick=true" {
				c = bench.Quick()
			}
		}
	}
	flag.IntVar(&c.Staff, "staff", c.Staff, "staff imported and loaded")
	flag.IntVar(&c.Offices, "offices", c.Offices, "offices of the imported staff")
	flag.IntVar(&c.Messages, "messages", c.Messages, "check-ins in the ingest run")
	flag.IntVar(&c.Senders, "senders", c.Senders, "concurrent senders in the ingest run")
	flag.IntVar(&c.RawRows, "raw-rows", c.RawRows, "rows inserted for the raw SQLite ceiling")
	flag.IntVar(&c.PaceMessages, "pace-messages", c.PaceMessages, "outbound burst size")
	flag.IntVar(&c.PaceGroups, "pace-groups", c.PaceGroups, "group chats in the outbound burst")
	flag.Float64Var(&c.PaceScale, "pace-scale", c.PaceScale, "multiply Telegram's limits (fake and dispatcher) to shorten the run; 1 is real time")
	flag.IntVar(&c.RosterStaff, "roster-staff", c.RosterStaff, "staff in the roster run")
	flag.IntVar(&c.RosterOffices, "roster-offices", c.RosterOffices, "offices in the roster run")
	flag.IntVar(&c.OutboxSent, "outbox-sent", c.OutboxSent, "sent messages in the outbox history measure (written with one INSERT … SELECT)")
	flag.IntVar(&c.E2E.Staff, "e2e-staff", c.E2E.Staff, "end-to-end run: staff imported and linked on Telegram")
	flag.IntVar(&c.E2E.Offices, "e2e-offices", c.E2E.Offices, "end-to-end run: offices of those staff")
	flag.IntVar(&c.E2E.Messages, "e2e-messages", c.E2E.Messages, "end-to-end run: check-ins of the ingest phase")
	flag.IntVar(&c.E2E.Wave, "e2e-wave", c.E2E.Wave, "end-to-end run: bulk messages queued before the second latency phase")
	flag.IntVar(&c.E2E.Rounds, "e2e-rounds", c.E2E.Rounds, "end-to-end run: the ingest and the raw baseline alternate this many times (serve restarted for each ingest round)")
	flag.BoolVar(&c.OnlyE2E, "e2e-only", false, "run only the end-to-end measure")
	flag.StringVar(&c.Dir, "dir", "", "directory for the databases (default: a new temporary directory)")
	flag.Parse()
	_ = quick
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := bench.Run(ctx, c, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "piket-bench:", err)
		os.Exit(1)
	}
}
