package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/piket-id/piket/ops"
)

// platforms are the /healthz checks that are chat platforms, shown first.
var platforms = []string{"whatsapp", "telegram", "console"}

func runStatus(ctx context.Context, args []string, io IO) error {
	var cfgPath string
	fs := flags("status", io.Stderr, &cfgPath)
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, `Usage: piket status [-config FILE]

Prints the state of the running Piket: each platform (WhatsApp: connected,
logged_out, banned until …, stream_replaced, client_outdated, keepalive_lost,
phone_offline N days …) and each other check, as its /healthz (on
http.listen) reports them.`)
		fs.PrintDefaults()
	}
	cfg, err := parseConfig(fs, args, &cfgPath, io)
	if err != nil {
		return err
	}
	if cfg.HTTP.Listen == "" {
		return &exitError{code: 1, msg: "piket: status: http.listen is empty, so the running Piket cannot be asked (set http.listen, e.g. 127.0.0.1:8080)"}
	}
	url := "http://" + localAddr(cfg.HTTP.Listen) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &exitError{code: 3, msg: fmt.Sprintf("Piket (serve) tidak berjalan: tidak ada jawaban di %s.\nPiket (serve) is not running: no answer at %s (%v).", url, url, err)}
	}
	defer resp.Body.Close()
	var rep ops.Report
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil || rep.Status == "" {
		return &exitError{code: 1, msg: fmt.Sprintf("piket: status: %s answered %s without a health report", url, resp.Status)}
	}
	printReport(io, rep)
	if !rep.OK() {
		return &exitError{code: 1}
	}
	return nil
}

// printReport writes rep as a table: the platforms first, then the other
// checks, each with its status and detail.
func printReport(io IO, rep ops.Report) {
	fmt.Fprintf(io.Stdout, "Piket: %s\n", rep.Status)
	names := make([]string, 0, len(rep.Checks))
	for n := range rep.Checks {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		pi, pj := platformRank(names[i]), platformRank(names[j])
		switch {
		case pi != pj && pi >= 0 && pj >= 0:
			return pi < pj
		case pi != pj && (pi >= 0 || pj >= 0):
			return pi >= 0
		}
		return names[i] < names[j]
	})
	tw := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	for _, n := range names {
		c := rep.Checks[n]
		status := c.Status
		if status == "" {
			status = map[bool]string{true: ops.StatusOK, false: ops.StatusFail}[c.OK]
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", n, status, c.Detail)
	}
	tw.Flush()
}

// platformRank is the place of a platform's check among the platforms
// (another bot account's, "telegram:dinkes", beside its platform's), -1
// for other checks.
func platformRank(name string) int {
	p, _, _ := strings.Cut(name, ":")
	return slices.Index(platforms, p)
}
