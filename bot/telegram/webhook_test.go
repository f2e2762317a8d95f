package telegram

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
)

const webhookUpdate = `{"update_id":900,"message":{"message_id":12,"date":1762060000,"chat":{"id":-1001234567890,"type":"supergroup","title":"Dinas"},"from":{"id":7001,"is_bot":false,"first_name":"Siti"},"text":"/hadir@piket_bot kantor"}}`

func webhookAdapter(t *testing.T, h bot.Handler) *Adapter {
	t.Helper()
	a, err := New(Options{
		Token:    "123456789:TEST",
		Mode:     ModeWebhook,
		Webhook:  Webhook{Listen: "127.0.0.1:0", PublicURL: "https://piket.example.go.id/telegram", Secret: "rahasia-123"},
		Handler:  h,
		Username: "piket_bot",
		Logger:   testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func post(t *testing.T, hd http.Handler, secret, body string) int {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/telegram", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	return rec.Code
}

func TestWebhookSecret(t *testing.T) {
	h := newRecorder()
	hd := webhookAdapter(t, h).WebhookHandler()
	for _, secret := range []string{"", "wrong", "rahasia-1234", "rahasia-12"} {
		if code := post(t, hd, secret, webhookUpdate); code != http.StatusUnauthorized {
			t.Errorf("secret %q: got %d, want 401", secret, code)
		}
	}
	if n := len(h.calls()); n != 0 {
		t.Fatalf("handler called %d times for unauthorized requests", n)
	}
	if code := post(t, hd, "rahasia-123", webhookUpdate); code != http.StatusOK {
		t.Fatalf("right secret: got %d, want 200", code)
	}
	in := h.next(t)
	if in.Text != "/hadir kantor" || !in.Addressed || !in.Group || in.MessageID != "-1001234567890:12" || in.ChatID != "-1001234567890" {
		t.Errorf("got %+v", in)
	}
}

func TestWebhookRedeliveryAndErrors(t *testing.T) {
	h := newRecorder()
	fail := true
	h.fail = func(int, bot.Inbound) error {
		if fail {
			return errors.New("database is locked")
		}
		return nil
	}
	hd := webhookAdapter(t, h).WebhookHandler()
	if code := post(t, hd, "rahasia-123", webhookUpdate); code != http.StatusInternalServerError {
		t.Errorf("failing handler: got %d, want 500", code)
	}
	fail = false
	// Telegram redelivers; a duplicate is passed on with the same ID.
	for range 2 {
		if code := post(t, hd, "rahasia-123", webhookUpdate); code != http.StatusOK {
			t.Errorf("redelivery: got %d, want 200", code)
		}
	}
	calls := h.calls()
	if len(calls) != 3 || calls[0].MessageID != calls[2].MessageID {
		t.Errorf("calls = %+v, want 3 with the same MessageID", calls)
	}
	// Ignored and undecodable updates are acknowledged without Handle.
	for _, body := range []string{`{"update_id":901,"edited_message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":"x"}}`, `{"update_id":`, `{}`} {
		if code := post(t, hd, "rahasia-123", body); code != http.StatusOK {
			t.Errorf("%s: got %d, want 200", body, code)
		}
	}
	if len(h.calls()) != 3 {
		t.Errorf("handler called for ignored updates")
	}
	req := httptest.NewRequest(http.MethodGet, "/telegram", nil)
	rec := httptest.NewRecorder()
	hd.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: got %d", rec.Code)
	}
}

func TestWebhookRunSetsWebhook(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	a, err := New(Options{
		Token:    s.Token(),
		APIURL:   s.URL(),
		Mode:     ModeWebhook,
		Webhook:  Webhook{Listen: "127.0.0.1:0", PublicURL: "https://piket.example.go.id/telegram", Secret: "rahasia-123"},
		Handler:  newRecorder(),
		Logger:   testLogger(t),
		Commands: []Command{{Name: "hadir", Description: "Lapor hadir"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := start(t, a)
	eventually(t, "webhook set", func() bool { return s.Webhook().URL != "" })
	if wh := s.Webhook(); wh.URL != "https://piket.example.go.id/telegram" || wh.SecretToken != "rahasia-123" {
		t.Errorf("webhook = %+v", wh)
	}
	if len(s.Commands()) != 1 {
		t.Errorf("commands not set at start: %+v", s.Commands())
	}
	if err := stop(); err != nil {
		t.Errorf("Run: %v", err)
	}
}

func TestNewValidatesWebhook(t *testing.T) {
	for _, w := range []Webhook{
		{PublicURL: "https://x/y", Secret: "s"},
		{Listen: ":8443", PublicURL: "no url", Secret: "s"},
		{Listen: ":8443", PublicURL: "https://x/y"},
		{Listen: ":8443", PublicURL: "https://x/y", Secret: "bad secret!"},
	} {
		if _, err := New(Options{Token: "1:x", Mode: ModeWebhook, Webhook: w, Handler: newRecorder()}); err == nil {
			t.Errorf("%+v: got nil error", w)
		}
	}
}
