package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/store"
)

func runBackup(ctx context.Context, args []string, io IO) error {
	var cfgPath string
	var verify bool
	fs := flags("backup", io.Stderr, &cfgPath)
	fs.BoolVar(&verify, "verify", false, "check the backup FILE instead of writing one: integrity check and row counts")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, `Usage: piket backup [-config FILE] BACKUP-FILE
       piket backup -verify BACKUP-FILE

Writes a consistent copy of the configured database to BACKUP-FILE while Piket
keeps running (SQLite VACUUM INTO). It never overwrites an existing file.
With -verify, opens BACKUP-FILE read-only, runs the integrity check and prints
each table's row count; the exit code is 1 if the check fails.
To restore, see "Backups" in the README (stop Piket first).`)
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	file := pos[0]
	if verify {
		return verifyBackup(ctx, file, io.Stdout)
	}
	cfg, err := loadConfig(cfgPath, io)
	if err != nil {
		return err
	}
	if _, err := os.Stat(cfg.Database); err != nil {
		return fmt.Errorf("backup: database %s: %w", cfg.Database, err)
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, file); err != nil {
		if errors.Is(err, store.ErrExists) {
			return &exitError{code: 1, msg: fmt.Sprintf("piket: backup: %s already exists; choose a new file name (backups are never overwritten)", file)}
		}
		return err
	}
	var size int64
	if fi, err := os.Stat(file); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(io.Stdout, "backup written: %s (%d bytes, %s)\ncheck it with: piket backup -verify %s\n", file, size, time.Since(start).Round(time.Millisecond), file)
	return nil
}

func verifyBackup(ctx context.Context, file string, w io.Writer) error {
	rep, err := store.VerifyBackup(ctx, file)
	if err != nil {
		return err
	}
	integrity := "ok"
	if !rep.OK() {
		integrity = "FAILED"
	}
	fmt.Fprintf(w, "%s: integrity %s, schema version %d (this piket: %d)\n", file, integrity, rep.SchemaVersion, store.SchemaVersion())
	for _, c := range rep.Tables {
		fmt.Fprintf(w, "  %-24s %d\n", c.Table, c.Rows)
	}
	if !rep.OK() {
		for _, line := range rep.Integrity {
			fmt.Fprintf(w, "  problem: %s\n", line)
		}
		return &exitError{code: 1, msg: "piket: backup: " + file + " failed the integrity check; do not restore it"}
	}
	if rep.SchemaVersion > store.SchemaVersion() {
		fmt.Fprintf(w, "note: the backup is newer than this piket; restore it with a piket of schema version %d or later\n", rep.SchemaVersion)
	}
	return nil
}

func runHealthcheck(ctx context.Context, args []string, io IO) error {
	var cfgPath, url string
	var timeout time.Duration
	fs := flags("healthcheck", io.Stderr, &cfgPath)
	fs.StringVar(&url, "url", "", "health `URL` to get (default: http://ADDRESS/healthz from http.listen)")
	fs.DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, `Usage: piket healthcheck [-config FILE] [-url URL]

Asks the running Piket's /healthz and exits 0 if it is healthy, 1 if not
(the failing checks are printed). For container health checks: the image has
no curl.`)
		fs.PrintDefaults()
	}
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		fs.Usage()
		return errUsage
	}
	if url == "" {
		cfg, err := loadConfig(cfgPath, io)
		if err != nil {
			return err
		}
		if cfg.HTTP.Listen == "" {
			return &exitError{code: 1, msg: "piket: healthcheck: http.listen is empty (the endpoint is disabled)"}
		}
		url = "http://" + localAddr(cfg.HTTP.Listen) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("piket: healthcheck: %v", err)}
	}
	defer resp.Body.Close()
	var rep ops.Report
	_ = json.NewDecoder(resp.Body).Decode(&rep)
	if resp.StatusCode == http.StatusOK {
		if deg := rep.Degraded(); len(deg) > 0 {
			fmt.Fprintln(io.Stdout, "degraded")
			for _, name := range deg {
				fmt.Fprintf(io.Stdout, "  %s: %s\n", name, rep.Checks[name].Detail)
			}
			return nil
		}
		fmt.Fprintln(io.Stdout, "ok")
		return nil
	}
	msg := fmt.Sprintf("piket: healthcheck: %s", resp.Status)
	for _, name := range rep.Failing() {
		msg += fmt.Sprintf("\n  %s: %s", name, rep.Checks[name].Detail)
	}
	return &exitError{code: 1, msg: msg}
}

// localAddr turns a listen address into one to connect to on this host
// (":8080" and "0.0.0.0:8080" become "127.0.0.1:8080").
func localAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}
