package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// TestLeftInboxHandledWithTelegramOff: messages a polling run received
// into the inbox but did not handle before it stopped are handled by the
// next run even when Telegram is now off (or on a webhook), which needs
// no inbox of its own: they were confirmed to Telegram, so nothing else
// would deliver them again.
func TestLeftInboxHandledWithTelegramOff(t *testing.T) {
	ctx := context.Background()
	cfg := dbConfig(t.TempDir()) // console only: Telegram is off
	if cfg.Telegram.Enabled {
		t.Fatal("the default configuration has Telegram on; this test needs it off")
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	in, err := store.OpenInbox(ctx, cfg.Database, cfg.DatabaseSynchronous)
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2026, 12, 1, 7, 30, 0, 0, time.UTC)
	var raws [][]byte
	for _, id := range []string{"701", "702"} {
		raw, err := json.Marshal(bot.Inbound{Platform: bot.Telegram, MessageID: id, SenderID: "5001", ChatID: "5001",
			Text: "hadir wfh sehat", Time: sent, Addressed: true})
		if err != nil {
			t.Fatal(err)
		}
		raws = append(raws, raw)
	}
	if _, err := in.Add(ctx, raws, sent, 0); err != nil {
		t.Fatal(err)
	}
	in.Close()

	a, err := New(ctx, cfg, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// The console's input ends at once; shutdown waits for the inbox.
	if err := a.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.Store.DB().QueryRowContext(ctx,
		`SELECT count(*) FROM inbound WHERE platform = 'telegram' AND message_id IN ('701', '702')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("inbound rows of the messages left in the inbox: %d, want 2 (handled by the next run)", n)
	}
	in, err = store.OpenInbox(ctx, cfg.Database, cfg.DatabaseSynchronous)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	left, err := in.Entries(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("inbox after the run: %d entries left, want none (handled, then forgotten)", len(left))
	}
}
