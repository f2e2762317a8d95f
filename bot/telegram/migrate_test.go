package telegram

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
)

// movesRecorder is a ChatMover that records moves; fail, if set, decides
// the result of each call (n counts calls from 1).
type movesRecorder struct {
	mu    sync.Mutex
	moves [][2]string
	fail  func(n int) error
}

func (m *movesRecorder) MoveChat(_ context.Context, from, to string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.moves = append(m.moves, [2]string{from, to})
	if m.fail != nil {
		return m.fail(len(m.moves))
	}
	return nil
}

func (m *movesRecorder) got() [][2]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.moves)
}

const (
	oldGroup   = -4001
	superGroup = -1004001
)

func TestSendFollowsMigrationAnswer(t *testing.T) {
	ctx := context.Background()
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	mover := &movesRecorder{}
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{}, func(o *Options) { o.Chats = mover })
	s.MigrateGroup(oldGroup, superGroup, 0, false)

	id, err := a.Send(ctx, bot.Outbound{ID: 1, Platform: bot.Telegram, ChatID: "-4001", Group: true, Text: "Jadwal piket"})
	if err != nil {
		t.Fatalf("Send to the migrated group: %v", err)
	}
	got := s.SentTo(superGroup)
	if len(got) != 1 || got[0].Text != "Jadwal piket" {
		t.Fatalf("sent to the supergroup: %+v, want the message", got)
	}
	if want := "-1004001:" + itoa(got[0].MessageID); id != want {
		t.Errorf("id = %q, want %q", id, want)
	}
	if want := [][2]string{{"-4001", "-1004001"}}; !slices.Equal(mover.got(), want) {
		t.Errorf("moves: got %v, want %v", mover.got(), want)
	}
	// The adapter remembers: the next message to the old ID goes straight
	// to the supergroup.
	if _, err := a.Send(ctx, bot.Outbound{ID: 2, Platform: bot.Telegram, ChatID: "-4001", Group: true, Text: "kedua"}); err != nil {
		t.Fatal(err)
	}
	if n := s.Calls("sendMessage"); n != 3 {
		t.Errorf("sendMessage calls: got %d, want 3 (refused, resent, direct)", n)
	}
	if n := len(s.SentTo(superGroup)); n != 2 {
		t.Errorf("messages in the supergroup: got %d, want 2", n)
	}
}

func TestSendMigrationMoveFailsIsRetryable(t *testing.T) {
	ctx := context.Background()
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	mover := &movesRecorder{fail: func(n int) error {
		if n == 1 {
			return errors.New("disk I/O error")
		}
		return nil
	}}
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{}, func(o *Options) { o.Chats = mover })
	s.MigrateGroup(oldGroup, superGroup, 0, false)

	m := bot.Outbound{ID: 1, Platform: bot.Telegram, ChatID: "-4001", Group: true, Text: "Jadwal piket"}
	_, err := a.Send(ctx, m)
	var ra *bot.RetryAfterError
	if err == nil || errors.Is(err, bot.ErrPermanent) || errors.As(err, &ra) {
		t.Fatalf("Send with a failing move: got %v, want a retryable error", err)
	}
	if n := len(s.Sent()); n != 0 {
		t.Fatalf("sent %d messages before the move was stored", n)
	}
	if _, err := a.Send(ctx, m); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if n := len(s.SentTo(superGroup)); n != 1 {
		t.Errorf("messages in the supergroup: got %d, want 1", n)
	}
}

func TestSendMigrationWithoutMover(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{})
	s.MigrateGroup(oldGroup, superGroup, 0, false)
	if _, err := a.Send(context.Background(), bot.Outbound{ID: 1, ChatID: "-4001", Group: true, Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if n := len(s.SentTo(superGroup)); n != 1 {
		t.Errorf("messages in the supergroup: got %d, want 1", n)
	}
}

func TestPollingFollowsMigrationMessages(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	h := newRecorder()
	offsets := &memOffsets{}
	mover := &movesRecorder{fail: func(n int) error {
		if n == 1 {
			return errors.New("database is locked")
		}
		return nil
	}}
	a := newTestAdapter(t, s, h, offsets, func(o *Options) { o.Chats = mover })
	start(t, a)

	s.MigrateGroup(oldGroup, superGroup, 7001, true)
	s.Text(superGroup, 7001, "/hadir")
	if in := h.next(t); in.ChatID != "-1004001" || in.Text != "/hadir" {
		t.Errorf("after the migration: got %+v, want /hadir in the supergroup", in)
	}
	eventually(t, "updates confirmed", func() bool { return s.Pending() == 0 })
	// Both service messages announce the same move; the first attempt
	// failed and was retried before the update was confirmed.
	want := [][2]string{{"-4001", "-1004001"}, {"-4001", "-1004001"}, {"-4001", "-1004001"}}
	if got := mover.got(); !slices.Equal(got, want) {
		t.Errorf("moves: got %v, want %v", got, want)
	}
	if got := h.calls(); len(got) != 1 {
		t.Errorf("handler got %d messages, want only /hadir (service messages are not for the core)", len(got))
	}
}

func TestPollingPausesAfterEmptyAnswer(t *testing.T) {
	// A server that ignores the long-poll timeout answers at once.
	s := tgfake.New(t, tgfake.Options{Immediate: true})
	h := newRecorder()
	a := newTestAdapter(t, s, h, &memOffsets{})
	stop := start(t, a)

	eventually(t, "polling", func() bool { return s.Calls("getUpdates") > 0 })
	time.Sleep(1500 * time.Millisecond)
	// Without a pause this is hundreds; with a one-second pause at most
	// 3. The bound is loose on purpose: only spinning can exceed it.
	if n := s.Calls("getUpdates"); n > 10 {
		t.Errorf("%d getUpdates calls in 1.5 s against a server answering at once, want a pause after each empty answer", n)
	}
	// A message still arrives.
	s.PrivateText(7001, "hadir")
	if in := h.next(t); in.Text != "hadir" {
		t.Errorf("got %+v", in)
	}
	if err := stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
}

func TestWebhookFollowsMigration(t *testing.T) {
	h := newRecorder()
	mover := &movesRecorder{fail: func(n int) error {
		if n == 1 {
			return errors.New("database is locked")
		}
		return nil
	}}
	a, err := New(Options{
		Token: "123456789:TEST", Mode: ModeWebhook, Handler: h, Username: "piket_bot", Logger: testLogger(t), Chats: mover,
		Webhook: Webhook{Listen: "127.0.0.1:0", PublicURL: "https://piket.example.go.id/telegram", Secret: "rahasia-123"},
	})
	if err != nil {
		t.Fatal(err)
	}
	const update = `{"update_id":901,"message":{"message_id":3,"date":1762060000,"chat":{"id":-4001,"type":"group","title":"Dinas"},"from":{"id":7001,"is_bot":false,"first_name":"Siti"},"migrate_to_chat_id":-1004001}}`
	// The move fails: Telegram must deliver the update again.
	if code := post(t, a.WebhookHandler(), "rahasia-123", update); code != http.StatusInternalServerError {
		t.Errorf("failing move: got %d, want 500", code)
	}
	if code := post(t, a.WebhookHandler(), "rahasia-123", update); code != http.StatusOK {
		t.Errorf("redelivery: got %d, want 200", code)
	}
	if want := [][2]string{{"-4001", "-1004001"}, {"-4001", "-1004001"}}; !slices.Equal(mover.got(), want) {
		t.Errorf("moves: got %v, want %v", mover.got(), want)
	}
	if n := len(h.calls()); n != 0 {
		t.Errorf("handler got %d service messages, want none", n)
	}
}
