package bot_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// A batch is handled in order, as one group commit, with every guarantee
// of Handle: a duplicate (inside the batch or redelivered later) is
// stored and answered once, a bad message fails alone, and the outbox is
// woken once.
func TestHandleBatch(t *testing.T) {
	f := newFixture(t, "id")
	var notified atomic.Int64
	svc := bot.New(bot.Options{
		Store: f.st, Texts: bot.TextsFor("id"), Clock: f.clock.Now,
		Policy:   func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} },
		Implicit: []bot.Addresser{consoleAddr{}},
		Notify:   func() { notified.Add(1) },
	})
	msg := func(id, nip, text string) bot.Inbound {
		return bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: nip, ChatID: nip, Text: text, Time: f.clock.Now(), Addressed: true}
	}
	batch := []bot.Inbound{
		msg("b1", nipSari, "hadir kantor"),
		msg("b2", nipTangse, "hadir wfh sehat"),
		msg("b1", nipSari, "hadir kantor"), // the same delivery twice
		{Platform: bot.Console, SenderID: nipSari, ChatID: nipSari, Text: "no ID"},
		msg("b3", nipSari, "sakit demam"), // after b1: the day ends sick
	}
	errs := svc.HandleBatch(context.Background(), batch, nil)
	for i, err := range errs {
		if (i == 3) != (err != nil) {
			t.Errorf("message %d: err %v", i, err)
		}
	}
	if n := notified.Load(); n != 1 {
		t.Errorf("outbox woken %d times for one batch, want 1", n)
	}
	out := f.pending()
	var sari []string
	for _, p := range out {
		if p.ChatID == nipSari {
			sari = append(sari, p.Text)
		}
	}
	if len(out) != 3 || len(sari) != 2 {
		t.Fatalf("replies: %+v; want one per message (b1, b2, b3)", out)
	}
	a, ok := f.attendance(nipSari, "2020-03-18")
	if !ok || a.Status != "sakit" {
		t.Errorf("Sari's day: %+v (found %v), want sakit: the batch's order is the order written", a, ok)
	}

	// Redelivered in a later batch: stored and answered once.
	errs = svc.HandleBatch(context.Background(), batch[:3], nil)
	for i, err := range errs {
		if err != nil {
			t.Errorf("redelivery %d: %v", i, err)
		}
	}
	if got := f.pending(); len(got) != len(out) {
		t.Errorf("a redelivered batch queued %d more replies", len(got)-len(out))
	}
	if n := notified.Load(); n != 1 {
		t.Errorf("outbox woken for a batch of duplicates (%d)", n)
	}
}

// after is written in the batch's transaction only when every message of
// the batch committed.
func TestHandleBatchAfter(t *testing.T) {
	f := newFixture(t, "id")
	ctx := context.Background()
	mark := func(v string) bot.AfterBatch {
		return func(ctx context.Context, tx *store.Tx) error { return tx.SetSettingTx(ctx, "test.after", v) }
	}
	msg := func(id, text string) bot.Inbound {
		return bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: nipSari, ChatID: nipSari, Text: text, Time: f.clock.Now(), Addressed: true}
	}
	for _, tc := range []struct {
		name  string
		batch []bot.Inbound
		want  string
	}{
		{"all committed", []bot.Inbound{msg("a1", "hadir kantor"), msg("a2", "status")}, "1"},
		{"one refused", []bot.Inbound{msg("a3", "status"), {Platform: bot.Console, Text: "no ID"}}, "1"},
		{"duplicates only", []bot.Inbound{msg("a1", "hadir kantor")}, "3"},
	} {
		v := map[string]string{"all committed": "1", "one refused": "2", "duplicates only": "3"}[tc.name]
		f.svc.HandleBatch(ctx, tc.batch, mark(v))
		got, err := f.st.Setting(ctx, "test.after")
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: after wrote %q, want %q", tc.name, got, tc.want)
		}
	}
}

// When a message of a batch fails to be written, the later messages of
// its chat in the batch are not written either, so that handing the
// failed ones again keeps the chat's order; other chats are unaffected.
func TestHandleBatchKeepsChatOrderOnFailure(t *testing.T) {
	f := newFixture(t, "id")
	ctx := context.Background()
	// A real failure inside SQLite: a trigger refuses one message ID.
	if _, err := f.st.DB().ExecContext(ctx, `CREATE TRIGGER poison BEFORE INSERT ON inbound
		WHEN NEW.message_id = 'p1' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`); err != nil {
		t.Fatal(err)
	}
	msg := func(id, nip, text string) bot.Inbound {
		return bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: nip, ChatID: nip, Text: text, Time: f.clock.Now(), Addressed: true}
	}
	batch := []bot.Inbound{msg("p1", nipSari, "hadir kantor"), msg("p2", nipSari, "sakit demam"), msg("p3", nipTangse, "hadir wfh")}
	errs := f.svc.HandleBatch(ctx, batch, nil)
	if errs[0] == nil || errs[1] == nil || errs[2] != nil {
		t.Fatalf("outcomes %v; want Sari's two failed (the second held back), Agus's committed", errs)
	}
	if _, ok := f.attendance(nipSari, "2020-03-18"); ok {
		t.Fatal("Sari's later message was written before her earlier one")
	}
	if _, err := f.st.DB().ExecContext(ctx, `DROP TRIGGER poison`); err != nil {
		t.Fatal(err)
	}
	for i, err := range f.svc.HandleBatch(ctx, batch[:2], nil) {
		if err != nil {
			t.Fatalf("again, message %d: %v", i, err)
		}
	}
	if a, ok := f.attendance(nipSari, "2020-03-18"); !ok || a.Status != "sakit" {
		t.Errorf("Sari's day %+v (found %v), want sakit: her messages in order", a, ok)
	}
}
