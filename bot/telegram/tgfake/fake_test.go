package tgfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/bot/telegram/tgfake"
)

type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// call posts a JSON body to method and decodes the envelope.
func call(t *testing.T, base, token, method string, body any) (int, envelope) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/bot"+token+"/"+method, "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env envelope
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("%s: decode %q: %v", method, raw, err)
	}
	return resp.StatusCode, env
}

func updateIDs(t *testing.T, env envelope) []int64 {
	t.Helper()
	var ups []models.Update
	if err := json.Unmarshal(env.Result, &ups); err != nil {
		t.Fatalf("decode updates: %v", err)
	}
	ids := make([]int64, 0, len(ups))
	for _, u := range ups {
		ids = append(ids, u.ID)
	}
	return ids
}

func newClient(t *testing.T, s *tgfake.Server) *tgbot.Bot {
	t.Helper()
	b, err := tgbot.New(s.Token(), tgbot.WithServerURL(s.URL()), tgbot.WithSkipGetMe(),
		tgbot.WithErrorsHandler(func(err error) { t.Logf("tgbot: %v", err) }))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUnauthorizedAndUnknownMethod(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	code, env := call(t, s.URL(), "1:wrong", "getMe", map[string]any{})
	if code != http.StatusUnauthorized || env.OK || env.ErrorCode != 401 || env.Description != "Unauthorized" {
		t.Errorf("wrong token: got %d %+v", code, env)
	}
	code, env = call(t, s.URL(), s.Token(), "noSuchMethod", map[string]any{})
	if code != http.StatusNotFound || env.ErrorCode != 404 || env.Description != "Not Found" {
		t.Errorf("unknown method: got %d %+v", code, env)
	}
	code, env = call(t, s.URL(), s.Token(), "getMe", nil)
	var me models.User
	_ = json.Unmarshal(env.Result, &me)
	if code != http.StatusOK || me.Username != tgfake.DefaultUsername || !me.IsBot || me.ID != 123456789 {
		t.Errorf("getMe: got %d %+v", code, me)
	}
}

func TestOffsetSemantics(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	a := s.Inject(models.Update{Message: s.NewMessage(7, 7, "a")})
	b := s.Inject(models.Update{Message: s.NewMessage(7, 7, "b")})
	c := s.Inject(models.Update{Message: s.NewMessage(7, 7, "c")})

	_, env := call(t, s.URL(), s.Token(), "getUpdates", map[string]any{})
	if got := updateIDs(t, env); len(got) != 3 || got[0] != a || got[2] != c {
		t.Fatalf("no offset: got %v, want [%d %d %d]", got, a, b, c)
	}
	// Without a higher offset nothing is confirmed: the same updates again.
	_, env = call(t, s.URL(), s.Token(), "getUpdates", map[string]any{"limit": 2})
	if got := updateIDs(t, env); len(got) != 2 || got[0] != a || got[1] != b {
		t.Fatalf("limit 2: got %v", got)
	}
	// offset b confirms a forever.
	_, env = call(t, s.URL(), s.Token(), "getUpdates", map[string]any{"offset": b})
	if got := updateIDs(t, env); len(got) != 2 || got[0] != b {
		t.Fatalf("offset b: got %v", got)
	}
	_, env = call(t, s.URL(), s.Token(), "getUpdates", map[string]any{"offset": a})
	if got := updateIDs(t, env); len(got) != 2 || got[0] != b {
		t.Fatalf("offset a after b confirmed: got %v, want a dropped", got)
	}
	_, env = call(t, s.URL(), s.Token(), "getUpdates", map[string]any{"offset": c + 1})
	if got := updateIDs(t, env); len(got) != 0 {
		t.Fatalf("offset c+1: got %v, want none", got)
	}
	if s.Pending() != 0 {
		t.Errorf("pending = %d, want 0", s.Pending())
	}
}

func TestLongPollReturnsEarlyOnInject(t *testing.T) {
	// A poll that may wait an hour returns at all only because the
	// update arrived (a poll that waited would end the test by timeout).
	s := tgfake.New(t, tgfake.Options{MaxPoll: time.Hour})
	go func() {
		time.Sleep(50 * time.Millisecond)
		s.PrivateText(7, "hadir")
	}()
	_, env := call(t, s.URL(), s.Token(), "getUpdates", map[string]any{"timeout": 3600})
	if got := updateIDs(t, env); len(got) != 1 {
		t.Fatalf("got %v, want one update", got)
	}

	// Nothing queued: the poll waits for MaxPoll at most.
	s2 := tgfake.New(t, tgfake.Options{MaxPoll: 100 * time.Millisecond})
	_, env = call(t, s2.URL(), s2.Token(), "getUpdates", map[string]any{"timeout": 3600})
	if got := updateIDs(t, env); len(got) != 0 {
		t.Errorf("empty poll: got %v, want none", got)
	}
}

func TestMultipartAndFormParsing(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	b := newClient(t, s)
	ctx := context.Background()
	// go-telegram/bot sends multipart/form-data.
	msg, err := b.SendMessage(ctx, &tgbot.SendMessageParams{
		ChatID: int64(42), Text: "Halo, Bu Siti & \"kawan\"",
		ReplyParameters: &models.ReplyParameters{MessageID: 9},
		ReplyMarkup: &models.ReplyKeyboardMarkup{
			Keyboard:        [][]models.KeyboardButton{{{Text: "Bagikan nomor telepon", RequestContact: true}}},
			OneTimeKeyboard: true,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// A urlencoded form works too.
	resp, err := http.PostForm(s.URL()+"/bot"+s.Token()+"/sendMessage", url.Values{"chat_id": {"42"}, "text": {"dua"}, "parse_mode": {"HTML"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	sent := s.Sent()
	if len(sent) != 2 {
		t.Fatalf("sent %d messages, want 2", len(sent))
	}
	if sent[0].MessageID != msg.ID || sent[0].ChatID != 42 || sent[0].Text != "Halo, Bu Siti & \"kawan\"" || sent[0].ReplyTo != 9 || sent[0].ParseMode != "" {
		t.Errorf("multipart: got %+v", sent[0])
	}
	var kb models.ReplyKeyboardMarkup
	if err := json.Unmarshal(sent[0].ReplyMarkup, &kb); err != nil || !kb.OneTimeKeyboard || !kb.Keyboard[0][0].RequestContact {
		t.Errorf("reply markup: got %s (%v)", sent[0].ReplyMarkup, err)
	}
	if sent[1].Text != "dua" || sent[1].ParseMode != "HTML" || sent[1].MessageID != msg.ID+1 {
		t.Errorf("form: got %+v", sent[1])
	}
}

func TestSendMessageValidation(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	b := newClient(t, s)
	ctx := context.Background()
	_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(1), Text: strings.Repeat("x", 4097)})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "message is too long") {
		t.Errorf("4097 chars: got %v", err)
	}
	// 2048 emoji are 4096 UTF-16 code units: allowed.
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(1), Text: strings.Repeat("😀", 2048)}); err != nil {
		t.Errorf("4096 UTF-16 units: %v", err)
	}
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(1), Text: strings.Repeat("😀", 2049)}); !errors.Is(err, tgbot.ErrorBadRequest) {
		t.Errorf("4098 UTF-16 units: got %v", err)
	}
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(1), Text: ""}); !errors.Is(err, tgbot.ErrorBadRequest) {
		t.Errorf("empty: got %v", err)
	}
	s.BlockChat(5)
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(5), Text: "x"}); !errors.Is(err, tgbot.ErrorForbidden) || !strings.Contains(err.Error(), "blocked by the user") {
		t.Errorf("blocked: got %v", err)
	}
	s.DeleteChat(6)
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(6), Text: "x"}); !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("gone: got %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	clock := tgfake.NewClock(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	s := tgfake.New(t, tgfake.Options{Clock: clock.Now})
	b := newClient(t, s)
	ctx := context.Background()
	send := func(chat int64) error {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chat, Text: "x"})
		return err
	}
	retryAfter := func(err error) int {
		var tm *tgbot.TooManyRequestsError
		if !errors.As(err, &tm) {
			t.Fatalf("got %v, want TooManyRequestsError", err)
		}
		return tm.RetryAfter
	}

	// Per chat: one a second; a pending retry_after refuses further sends.
	if err := send(7); err != nil {
		t.Fatal(err)
	}
	if got := retryAfter(send(7)); got != 1 {
		t.Errorf("second send in a second: retry_after %d, want 1", got)
	}
	clock.Advance(500 * time.Millisecond)
	if got := retryAfter(send(7)); got != 1 {
		t.Errorf("while pending: retry_after %d, want 1", got)
	}
	clock.Advance(500 * time.Millisecond)
	if err := send(7); err != nil {
		t.Errorf("after retry_after: %v", err)
	}

	// Globally: 30 a second across chats.
	clock.Advance(time.Minute)
	for i := range 30 {
		if err := send(int64(1000 + i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if got := retryAfter(send(2000)); got != 1 {
		t.Errorf("31st send: retry_after %d, want 1", got)
	}

	// Groups: 20 a minute.
	clock.Advance(time.Minute)
	for i := range 20 {
		if err := send(-42); err != nil {
			t.Fatalf("group send %d: %v", i, err)
		}
		clock.Advance(time.Second)
	}
	if got := retryAfter(send(-42)); got != 40 {
		t.Errorf("21st group send: retry_after %d, want 40", got)
	}
	if s.Count429() != 4 {
		t.Errorf("Count429 = %d, want 4", s.Count429())
	}
	if n := len(s.Sent()); n != 2+30+20 {
		t.Errorf("sent %d, want 52", n)
	}
}

func TestRateLimitRawEnvelope(t *testing.T) {
	clock := tgfake.NewClock(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC))
	s := tgfake.New(t, tgfake.Options{Clock: clock.Now})
	call(t, s.URL(), s.Token(), "sendMessage", map[string]any{"chat_id": 7, "text": "a"})
	code, env := call(t, s.URL(), s.Token(), "sendMessage", map[string]any{"chat_id": 7, "text": "b"})
	if code != 429 || env.ErrorCode != 429 || env.Parameters.RetryAfter != 1 || env.Description != "Too Many Requests: retry after 1" {
		t.Errorf("got %d %+v", code, env)
	}
}

func TestFaults(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	b := newClient(t, s)
	ctx := context.Background()
	s.FailNext("sendMessage", 2)
	for i := range 2 {
		if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(1), Text: "x"}); err == nil {
			t.Errorf("call %d: want 502 error", i)
		}
	}
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: int64(1), Text: "x"}); err != nil {
		t.Errorf("third call: %v", err)
	}

	s.HangNext("", 1)
	hctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := b.GetMe(hctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hang: got %v, want deadline exceeded", err)
	}
	if _, err := b.GetMe(ctx); err != nil {
		t.Errorf("after hang: %v", err)
	}
}

func TestCommandsAndWebhook(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	b := newClient(t, s)
	ctx := context.Background()
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "hadir", Description: "Lapor hadir"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Hadir", Description: "x"}}}); !errors.Is(err, tgbot.ErrorBadRequest) {
		t.Errorf("uppercase command: got %v", err)
	}
	if got := s.Commands(); len(got) != 1 || got[0].Command != "hadir" {
		t.Errorf("commands = %+v", got)
	}
	if _, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: "https://piket.example/tg", SecretToken: "s3cret"}); err != nil {
		t.Fatal(err)
	}
	if wh := s.Webhook(); wh.URL != "https://piket.example/tg" || wh.SecretToken != "s3cret" {
		t.Errorf("webhook = %+v", wh)
	}
	code, env := call(t, s.URL(), s.Token(), "getUpdates", map[string]any{})
	if code != http.StatusConflict || env.ErrorCode != 409 {
		t.Errorf("getUpdates with webhook: got %d %+v", code, env)
	}
	if _, err := b.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
	if s.Webhook().URL != "" {
		t.Error("webhook still set")
	}
}

// InjectMany queues a flood in order; getUpdates serves it 100 at a time,
// after what was queued before.
func TestInjectManyServesBatchesOf100(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	first := s.Inject(models.Update{Message: s.NewMessage(7, 7, "before")})
	flood := make([]models.Update, 150)
	for i := range flood {
		flood[i] = models.Update{Message: s.NewMessage(int64(100+i), int64(100+i), "hadir")}
	}
	s.InjectMany(flood)
	if s.Pending() != 151 {
		t.Fatalf("pending %d, want 151", s.Pending())
	}
	_, env := call(t, s.URL(), s.Token(), "getUpdates", map[string]any{})
	got := updateIDs(t, env)
	if len(got) != 100 || got[0] != first {
		t.Fatalf("first answer: %d updates from %v, want 100 from %d", len(got), got[:min(1, len(got))], first)
	}
	for i := 1; i < len(got); i++ {
		if got[i] != got[i-1]+1 || got[i] != flood[i-1].ID {
			t.Fatalf("update %d has ID %d after %d (flood gave %d): want the flood in order", i, got[i], got[i-1], flood[i-1].ID)
		}
	}
	_, env = call(t, s.URL(), s.Token(), "getUpdates", map[string]any{"offset": got[99] + 1})
	if rest := updateIDs(t, env); len(rest) != 51 || rest[50] != flood[149].ID {
		t.Fatalf("second answer: %d updates, want the last 51", len(rest))
	}
}
