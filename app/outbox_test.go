package app_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/internal/syncbuf"
	"github.com/piket-id/piket/store"
)

// While deliveries cannot be recorded, /healthz fails with the reason and
// the paused gauge is 1; both recover once writes work, and the message
// went out once.
func TestOutboxPauseShowsInHealthAndMetrics(t *testing.T) {
	cfg := config.Default()
	cfg.Database = filepath.Join(t.TempDir(), "piket.db")
	cfg.HTTP.Listen = ""
	out := &syncbuf.Buffer{}
	a, err := app.New(context.Background(), cfg, app.Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: io.Discard,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", store.DSN(cfg.Database))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TRIGGER disk_full BEFORE UPDATE ON outbox WHEN NEW.status = 'sent'
		BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	err = a.Store.Write(ctx, func(tx *store.Tx) error {
		_, _, err := tx.Enqueue(ctx, store.OutMsg{Platform: "console", ChatID: "x", Text: "sekali saja"}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Dispatcher.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rep := a.Health.Check(ctx)
	if c := rep.Checks["outbox_sending"]; c.OK || !strings.Contains(c.Detail, "disk is full") {
		t.Errorf("outbox_sending while marks fail = %+v, want failing with the reason", c)
	}
	if rep.OK() {
		t.Error("health ok while the outbox is paused")
	}
	if g := gauge(t, a); g != "1" {
		t.Errorf("piket_outbox_paused = %q, want 1", g)
	}
	if _, err := raw.Exec(`DROP TRIGGER disk_full`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for a.Dispatcher.Check(ctx) != nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		if err := a.Dispatcher.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if c := a.Health.Check(ctx).Checks["outbox_sending"]; !c.OK {
		t.Errorf("outbox_sending after recovery = %+v", c)
	}
	if g := gauge(t, a); g != "0" {
		t.Errorf("piket_outbox_paused after recovery = %q, want 0", g)
	}
	if n := strings.Count(out.String(), "sekali saja"); n != 1 {
		t.Errorf("message printed %d times, want once:\n%s", n, out.String())
	}
	var status string
	if err := a.Store.DB().QueryRow(`SELECT status FROM outbox`).Scan(&status); err != nil || status != "sent" {
		t.Errorf("outbox status %q, %v; want sent", status, err)
	}
}

func gauge(t *testing.T, a *app.App) string {
	t.Helper()
	rec := httptest.NewRecorder()
	a.Metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(l, "piket_outbox_paused "); ok {
			return v
		}
	}
	t.Fatalf("no piket_outbox_paused in /metrics")
	return ""
}
