package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// TestCapacityWarning: at start, an account whose offices have more
// active staff than it can remind between 07:45 and 08:00 makes /healthz
// degraded with the figures; the same staff split over two numbers does
// not.
func TestCapacityWarning(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := dbConfig(dir)
	cfg.WhatsApp.Enabled = true
	cfg.WhatsApp.SessionDB = filepath.Join(dir, "wa.db")
	cfg.WhatsApp.Global, cfg.WhatsApp.Jitter = 20*time.Second, -1 // 45 reminders in 15 minutes
	open := func(cfg config.Config) *App {
		t.Helper()
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		a, err := New(ctx, cfg, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := open(cfg)
	recs, rowErrs, err := staff.ReadCSV(bytes.NewReader(sample.StaffCSV()))
	if err != nil || len(rowErrs) > 0 {
		t.Fatal(err, rowErrs)
	}
	var rows []store.StaffInput
	per := map[string]int{}
	for _, r := range recs {
		rows = append(rows, store.StaffInput{NIP: r.NIP, Name: r.Name, Office: r.Office, Division: r.Division, Level: string(r.Level),
			SupervisorNIP: r.SupervisorNIP, Phone: r.Phone, Roles: r.Roles})
		per[r.Office]++
	}
	if _, err := a.Store.ImportStaff(ctx, rows, store.ImportOptions{DefaultTZ: "Asia/Jakarta"}); err != nil {
		t.Fatal(err)
	}
	if r := a.Health.Check(ctx).Checks[CheckCapacity]; r.Status != ops.StatusOK {
		t.Errorf("before the import was there: %+v, want ok", r) // counted at start
	}
	a.Close()

	a = open(cfg)
	r := a.Health.Check(ctx).Checks[CheckCapacity]
	want := "whatsapp: " + strconv.Itoa(len(recs)) + " active staff in its offices, about 45 reminders fit in the 15m0s"
	if r.Status != ops.StatusDegraded || !strings.Contains(r.Detail, want) {
		t.Errorf("all %d staff on one number: %+v, want degraded with %q", len(recs), r, want)
	}
	a.Close()

	if per["DISKOMINFO"] > 45 || per["BKPSDM"] > 45 {
		t.Fatalf("sample offices too large for the split: %v", per)
	}
	cfg.WhatsApp.Accounts = []config.WhatsAppAccount{{Name: "bkpsdm", Offices: []string{"BKPSDM"}}}
	a = open(cfg)
	defer a.Close()
	if r := a.Health.Check(ctx).Checks[CheckCapacity]; r.Status != ops.StatusOK || !strings.Contains(r.Detail, "2 accounts within capacity") {
		t.Errorf("offices split over two numbers: %+v, want ok", r)
	}
}

// TestUnservedQueueWarned: messages queued for a bot that is no longer
// configured are named in a warning at start.
func TestUnservedQueueWarned(t *testing.T) {
	ctx := context.Background()
	cfg := dbConfig(t.TempDir())
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		for _, acc := range []string{"dinkes", "dinkes", ""} {
			if _, _, err := tx.Enqueue(ctx, store.OutMsg{Platform: "telegram", Account: acc, ChatID: "5001", Text: "x"}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	a, err := New(ctx, cfg, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	for _, want := range []string{"account=telegram:dinkes messages=2", "account=telegram messages=1"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log %q lacks %q", logs.String(), want)
		}
	}
}

// dbConfig is the default configuration on a database in dir, without
// the HTTP endpoint.
func dbConfig(dir string) config.Config {
	cfg := config.Default()
	cfg.HTTP.Listen = ""
	cfg.Database = filepath.Join(dir, "piket.db")
	return cfg
}
