package telegram

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
)

func TestPollingDeliversText(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	h := newRecorder()
	store := &memOffsets{}
	a := newTestAdapter(t, s, h, store)
	stop := start(t, a)

	m := s.PrivateText(7001, "hadir wfh")
	in := h.next(t)
	want := bot.Inbound{
		Platform:  bot.Telegram,
		MessageID: "7001:" + itoa(m.ID),
		ChatID:    "7001",
		SenderID:  "7001",
		Text:      "hadir wfh",
		Time:      time.Unix(int64(m.Date), 0).UTC(),
		Addressed: true,
	}
	if in != want {
		t.Errorf("got %+v, want %+v", in, want)
	}
	eventually(t, "offset saved", func() bool { return store.get() > 0 })
	eventually(t, "update confirmed", func() bool { return s.Pending() == 0 })
	if err := stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
	if s.Calls("getMe") != 1 || s.Calls("deleteWebhook") != 1 {
		t.Errorf("getMe %d, deleteWebhook %d calls, want 1 each", s.Calls("getMe"), s.Calls("deleteWebhook"))
	}
}

func TestFailingHandlerGetsSameUpdateAgain(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	h := newRecorder()
	h.fail = func(n int, _ bot.Inbound) error {
		if n <= 2 {
			return errors.New("database is locked")
		}
		return nil
	}
	store := &memOffsets{}
	a := newTestAdapter(t, s, h, store)
	start(t, a)

	s.PrivateText(7001, "hadir")
	first := h.next(t)
	if store.get() != 0 {
		t.Fatalf("offset saved (%d) before the handler succeeded", store.get())
	}
	for range 2 {
		if again := h.next(t); again.MessageID != first.MessageID {
			t.Fatalf("retry got %q, want %q", again.MessageID, first.MessageID)
		}
	}
	eventually(t, "offset saved", func() bool { return store.get() > 0 })
	s.PrivateText(7001, "pulang")
	if in := h.next(t); in.Text != "pulang" {
		t.Errorf("next message: got %q", in.Text)
	}
}

// A restart resumes from the persisted offset: updates whose handling was
// committed are not delivered again, even though Telegram had not been told.
func TestRestartDoesNotRedeliverCommitted(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	h := newRecorder()
	store := &memOffsets{}
	ctx, cancel := context.WithCancel(context.Background())
	store.onSet = func(int64) { cancel() } // "crash" right after the commit
	a := newTestAdapter(t, s, h, store)
	stop := startCtx(t, ctx, cancel, a)

	m1 := s.PrivateText(7001, "satu")
	h.next(t)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if s.Pending() != 1 {
		t.Fatalf("pending at Telegram = %d, want 1 (never confirmed)", s.Pending())
	}
	store.onSet = nil

	s.PrivateText(7001, "dua")
	h2 := newRecorder()
	b := newTestAdapter(t, s, h2, store)
	start(t, b)
	if in := h2.next(t); in.Text != "dua" {
		t.Fatalf("after restart got %q (%s), want only \"dua\"; %q was committed", in.Text, in.MessageID, m1.Text)
	}
	h2.none(t, 200*time.Millisecond)
}

// A crash before the handler committed redelivers the update after a
// restart, with the same MessageID so the core can tell a duplicate.
func TestCrashBeforeCommitRedelivers(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	store := &memOffsets{}
	ctx, cancel := context.WithCancel(context.Background())
	h := newRecorder()
	h.fail = func(int, bot.Inbound) error { cancel(); return context.Canceled }
	a := newTestAdapter(t, s, h, store)
	stop := startCtx(t, ctx, cancel, a)
	s.PrivateText(7001, "hadir")
	first := h.next(t)
	_ = stop()
	if store.get() != 0 {
		t.Fatalf("offset %d saved for an uncommitted update", store.get())
	}

	h2 := newRecorder()
	start(t, newTestAdapter(t, s, h2, store))
	again := h2.next(t)
	if again.MessageID != first.MessageID || again.Text != "hadir" {
		t.Errorf("redelivery: got %+v, want MessageID %q", again, first.MessageID)
	}
}

func TestPollingSkipsIgnoredUpdates(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	h := newRecorder()
	store := &memOffsets{}
	start(t, newTestAdapter(t, s, h, store))

	const group = -1001234567890
	orig := s.PrivateText(7001, "hadir")
	if got := h.next(t); got.Text != "hadir" {
		t.Fatalf("got %q", got.Text)
	}
	s.Edited(orig, "hadir wfh")
	s.Forwarded(7001, 7001, 7002, "izin sakit")
	s.Sticker(7001, 7001)
	s.Photo(group, 7001, "")
	s.MembersJoined(group, 7001, 7003, 7004)
	s.Text(group, 7002, "selamat pagi semua")
	s.InjectRaw(`{"channel_post":{"message_id":1,"date":1,"chat":{"id":-100777,"type":"channel"},"text":"x"}}`)
	s.InjectRaw(`{"callback_query":{"id":"1","from":{"id":7001,"is_bot":false,"first_name":"A"},"chat_instance":"1","data":"x"}}`)
	s.InjectRaw(`{"message":{"message_id":5,"date":1,"chat":{"id":7001,"type":"private"},"from":{"id":7001,"first_name":"A"},"forward_origin":{"type":"from_the_future"},"text":"x"}}`)
	s.Text(group, 7002, "/hadir@piket_bot wfh")
	s.Photo(7001, 7001, "bukti kunjungan")
	s.Contact(7001, 7001, "+6281234567890", 7001)

	got := []bot.Inbound{h.next(t), h.next(t), h.next(t), h.next(t)}
	if got[0].Text != "selamat pagi semua" || got[0].Addressed || !got[0].Group {
		t.Errorf("group chatter: got %+v, want passed on, not addressed", got[0])
	}
	if got[1].Text != "/hadir wfh" || !got[1].Addressed {
		t.Errorf("group command: got %+v", got[1])
	}
	if got[2].Text != "bukti kunjungan" {
		t.Errorf("photo caption: got %+v", got[2])
	}
	if c := got[3].Contact; c == nil || c.Phone != "+6281234567890" || c.UserID != "7001" {
		t.Errorf("contact: got %+v", got[3])
	}
	h.none(t, 100*time.Millisecond)
	eventually(t, "all confirmed", func() bool { return s.Pending() == 0 })
}

func TestPollingSurvivesBadGateway(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	s.FailNext("getUpdates", 3)
	h := newRecorder()
	stop := start(t, newTestAdapter(t, s, h, &memOffsets{}))
	s.PrivateText(7001, "hadir")
	if in := h.next(t); in.Text != "hadir" {
		t.Errorf("got %q", in.Text)
	}
	if err := stop(); err != nil {
		t.Errorf("Run returned %v, want nil (a drop is not an error)", err)
	}
}

func TestPollingWrongTokenIsFatal(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{}, func(o *Options) {
		o.Token = "999:wrong"
		o.Username = "piket_bot"
	})
	err := a.Run(context.Background())
	if err == nil {
		t.Fatal("Run with a wrong token: got nil error")
	}
}

func TestSetCommands(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{}, func(o *Options) {
		o.Commands = []Command{{Name: "hadir", Description: "Lapor hadir"}, {Name: "izin_sakit", Description: "Izin sakit"}}
	})
	if err := a.SetCommands(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := s.Commands()
	if len(got) != 2 || got[0].Command != "hadir" || got[1].Command != "izin_sakit" || got[1].Description != "Izin sakit" {
		t.Errorf("commands = %+v", got)
	}

	_, err := New(Options{Token: "1:x", Handler: newRecorder(), Offsets: &memOffsets{},
		Commands: []Command{{Name: "hadir", Description: "x"}, {Name: "Pulang-Cepat", Description: "x"}}})
	if err == nil || !contains(err.Error(), "Pulang-Cepat") {
		t.Errorf("bad command name: got %v, want an error naming it", err)
	}
}
