package bot_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/internal/syncbuf"
	"github.com/piket-id/piket/store"
)

// inboxService is the fixture's service with an inbox beside its store.
func inboxService(t *testing.T, f *fixture) (*bot.Service, *store.Inbox) {
	t.Helper()
	in, err := store.OpenInbox(context.Background(), f.st.Path(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return bot.New(bot.Options{
		Store: f.st, Texts: bot.TextsFor("id"), Clock: f.clock.Now, Inbox: in,
		Policy:   func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} },
		Implicit: []bot.Addresser{consoleAddr{}},
	}), in
}

// runInbox runs svc's inbox until stop is called (or the test ends).
func runInbox(t *testing.T, svc *bot.Service) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.RunInbox(ctx) }()
	var stopped bool
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunInbox: %v", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

// ReceiveBatch returns once the batch is in the inbox; RunInbox then
// handles it with Handle's guarantees, in order, and writes the batch's
// after with its last message.
func TestReceiveBatch(t *testing.T) {
	f := newFixture(t, "id")
	svc, _ := inboxService(t, f)
	ctx := context.Background()
	msg := func(id, nip, text string) bot.Inbound {
		return bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: nip, ChatID: nip, Text: text, Time: f.clock.Now(), Addressed: true}
	}
	batch := []bot.Inbound{
		msg("r1", nipSari, "hadir kantor"),
		msg("r2", nipTangse, "hadir wfh sehat"),
		msg("r1", nipSari, "hadir kantor"), // the same delivery twice
		msg("r3", nipSari, "sakit demam"),  // after r1: the day ends sick
	}
	after := func(ctx context.Context, tx *store.Tx) error { return tx.SetSettingTx(ctx, "test.after", "done") }
	for i, err := range svc.ReceiveBatch(ctx, batch, after) {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	if got := f.pending(); len(got) != 0 {
		t.Fatalf("replies before the inbox ran: %+v", got)
	}
	if v, _ := f.st.Setting(ctx, "test.after"); v != "" {
		t.Fatalf("after written before the batch was handled: %q", v)
	}
	runInbox(t, svc)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if !svc.WaitHandled(wctx) {
		t.Fatal("the received batch was not handled")
	}
	if got := f.pending(); len(got) != 3 {
		t.Errorf("replies: %+v; want one per message (r1, r2, r3)", got)
	}
	if a, ok := f.attendance(nipSari, "2020-03-18"); !ok || a.Status != "sakit" {
		t.Errorf("Sari's day: %+v (found %v), want sakit: handled in the order received", a, ok)
	}
	if v, _ := f.st.Setting(ctx, "test.after"); v != "done" {
		t.Errorf("after = %q, want it written once the batch was handled", v)
	}
}

// What a run received and did not handle is handled by the next run, and
// what it handled but had not yet forgotten is not handled twice.
func TestInboxAfterRestart(t *testing.T) {
	f := newFixture(t, "id")
	ctx := context.Background()
	first, in := inboxService(t, f) // its RunInbox never runs: it "crashed"
	msg := func(id, nip, text string) bot.Inbound {
		return bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: nip, ChatID: nip, Text: text, Time: f.clock.Now(), Addressed: true}
	}
	handled := msg("h1", nipTangse, "hadir wfh")
	if err := f.svc.Handle(ctx, handled); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(handled)
	if err != nil {
		t.Fatal(err)
	}
	// Handled before the crash, still in the inbox.
	if _, err := in.Add(ctx, [][]byte{raw}, f.clock.Now(), 0); err != nil {
		t.Fatal(err)
	}
	for _, err := range first.ReceiveBatch(ctx, []bot.Inbound{msg("n1", nipSari, "hadir kantor"), msg("n2", nipSari, "sakit pilek")}, nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(f.clock.Now().Add(2 * time.Hour)) // the restart is later; the messages keep their time

	second, _ := inboxService(t, f)
	stop := runInbox(t, second)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if !second.WaitHandled(wctx) {
		t.Fatal("the inbox left by the first run was not handled")
	}
	if got := f.pending(); len(got) != 3 {
		t.Errorf("replies: %d, want 3 (h1 once, n1, n2): %+v", len(got), got)
	}
	a, ok := f.attendance(nipSari, "2020-03-18")
	if !ok || a.Status != "sakit" || a.Delayed {
		t.Errorf("Sari's day: %+v (found %v), want sakit, not delayed: received before the restart", a, ok)
	}
	if n, err := f.st.InboundCount(ctx, ""); err != nil || n != 3 {
		t.Errorf("inbound rows: %d (%v), want 3", n, err)
	}
	stop() // a run forgets what it handled when it ends, at the latest
	left, err := in.Entries(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("inbox after the restart's run: %d left, want them forgotten once handled", len(left))
	}
}

// A batch received while the messages left by the last run are being
// recovered waits in the queue: recovery stops at what was left, so the
// new batch goes through the core once, not once by recovery and again
// (as a duplicate) from the queue.
func TestInboxRecoveryLeavesNewBatches(t *testing.T) {
	f := newFixture(t, "id")
	ctx := context.Background()
	msg := func(id, nip, text string) bot.Inbound {
		return bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: nip, ChatID: nip, Text: text, Time: f.clock.Now(), Addressed: true}
	}
	// The last run left one message in the inbox.
	crashed, err := store.OpenInbox(ctx, f.st.Path(), "")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(msg("old", nipTangse, "hadir wfh"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crashed.Add(ctx, [][]byte{raw}, f.clock.Now(), 0); err != nil {
		t.Fatal(err)
	}
	if err := crashed.Close(); err != nil {
		t.Fatal(err)
	}

	in, err := store.OpenInbox(ctx, f.st.Path(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	if in.Left() != 1 {
		t.Fatalf("Left: %d, want 1 (the one message the last run left)", in.Left())
	}
	var log syncbuf.Buffer
	svc := bot.New(bot.Options{
		Store: f.st, Texts: bot.TextsFor("id"), Clock: f.clock.Now, Inbox: in,
		Log:      slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Policy:   func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} },
		Implicit: []bot.Addresser{consoleAddr{}},
	})
	// Received before recovery reads the inbox: in the file, and queued.
	var afters atomic.Int32
	after := func(context.Context, *store.Tx) error { afters.Add(1); return nil }
	for _, err := range svc.ReceiveBatch(ctx, []bot.Inbound{msg("n1", nipSari, "hadir kantor"), msg("n2", nipSari, "sakit pilek")}, after) {
		if err != nil {
			t.Fatal(err)
		}
	}
	stop := runInbox(t, svc)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if !svc.WaitHandled(wctx) {
		t.Fatal("not handled")
	}
	stop()
	out := log.String()
	if n := strings.Count(out, "duplicate delivery"); n != 0 {
		t.Errorf("%d messages went through the core twice; log:\n%s", n, out)
	}
	if !strings.Contains(out, "messages=1\n") {
		t.Errorf("recovery should handle the 1 message left, no more; log:\n%s", out)
	}
	if n := afters.Load(); n != 1 {
		t.Errorf("the batch's after ran %d times, want 1", n)
	}
	if n, err := f.st.InboundCount(ctx, ""); err != nil || n != 3 {
		t.Errorf("inbound rows: %d (%v), want 3", n, err)
	}
	if got := f.pending(); len(got) != 3 {
		t.Errorf("replies: %d, want 3: %+v", len(got), got)
	}
}
