//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
)

// withTelegram runs Telegram against tgfake beside WhatsApp.
func withTelegram(t *testing.T, cfg *config.Config) *tgfake.Server {
	fake := tgfake.New(t, tgfake.Options{MaxPoll: 200 * time.Millisecond})
	cfg.Telegram.Enabled = true
	cfg.Telegram.Token = fake.Token()
	cfg.Telegram.APIURL = fake.URL()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return fake
}

// waitTelegram waits until chat has been sent a message containing want.
func (h *harness) waitTelegram(fake *tgfake.Server, chat int64, want string) {
	h.t.Helper()
	for {
		var got []string
		for _, m := range fake.SentTo(chat) {
			if strings.Contains(m.Text, want) {
				return
			}
			got = append(got, m.Text)
		}
		select {
		case <-h.ctx.Done():
			h.t.Fatalf("Telegram chat %d never got %q; got %q", chat, want, got)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitHealth waits until /healthz (the real handler) answers code with
// every want in its body.
func (h *harness) waitHealth(code int, want ...string) string {
	h.t.Helper()
	mux := ops.Mux(h.app.Health, h.app.Metrics)
	for {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequestWithContext(h.ctx, http.MethodGet, "/healthz", nil))
		body := rec.Body.String()
		if rec.Code == code && !slices.ContainsFunc(want, func(w string) bool { return !strings.Contains(body, w) }) {
			return body
		}
		select {
		case <-h.ctx.Done():
			h.t.Fatalf("/healthz %d %s; want %d with %q", rec.Code, body, code, want)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Another process taking over the session (stream replaced), unlinking
// the device on the phone (logout) and a temporary ban each stop the
// connection without a reconnect loop, show their state in /healthz, and
// warn the office admin once on his other platform, Telegram; not on
// WhatsApp, which is down.
func TestWhatsAppConnectionIncidents(t *testing.T) {
	const admin = 5003 // I Made Sukadana's Telegram account
	for _, tt := range []struct {
		name   string
		do     func(*harness) error
		state  func(whatsapp.Status) bool
		health []string
		warn   string
		logins int // the logout makes the emulator forget the device
	}{
		{"replaced", func(h *harness) error { return h.srv.StreamReplaced(h.bot) },
			func(s whatsapp.Status) bool { return s == whatsapp.StatusStreamReplaced },
			[]string{"stream_replaced"}, "dipakai program lain", 1},
		{"logout", func(h *harness) error { return h.srv.DeviceRemoved(h.bot) },
			func(s whatsapp.Status) bool { return s == whatsapp.StatusLoggedOut },
			[]string{"logged_out"}, "terputus dari WhatsApp", 0},
		{"banned", func(h *harness) error { return h.srv.Ban(h.bot, time.Now().Add(24*time.Hour)) },
			func(s whatsapp.Status) bool { return s == whatsapp.StatusBanned },
			[]string{"banned until"}, "diblokir sementara", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, cfg := newHarness(t)
			tg := withTelegram(t, &cfg)
			h.start(cfg, monday0730)
			h.waitStatus("connected", func(s whatsapp.Status) bool { return s == whatsapp.StatusConnected })
			h.waitHealth(http.StatusOK, `"whatsapp"`, "connected")
			// The admin uses both: WhatsApp, and Telegram (contact shared).
			sukadana, err := h.srv.User(h.ctx, sukadanaNumber, "Sukadana")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := sukadana.SendText(h.ctx, h.bot, "/status"); err != nil {
				t.Fatal(err)
			}
			if _, err := sukadana.WaitInbox(h.ctx, 1); err != nil {
				t.Fatal(err)
			}
			tg.Contact(admin, admin, sukadanaNumber, admin)
			h.waitTelegram(tg, admin, "Akun Anda sudah terhubung")

			if err := tt.do(h); err != nil {
				t.Fatal(err)
			}
			h.waitStatus(tt.name, tt.state)
			h.waitHealth(http.StatusServiceUnavailable, append([]string{`"whatsapp"`}, tt.health...)...)
			h.waitTelegram(tg, admin, tt.warn)
			if err := h.srv.WaitLoggedOut(h.ctx, h.bot); err != nil {
				t.Fatal(err)
			}
			if n := h.count(`SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'whatsapp:%' AND platform = 'telegram'`); n != 1 {
				t.Errorf("warnings queued on Telegram: %d, want 1", n)
			}
			if n := h.count(`SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'whatsapp:%' AND platform = 'whatsapp'`); n != 0 {
				t.Errorf("warnings queued on WhatsApp, which is down: %d", n)
			}
			time.Sleep(300 * time.Millisecond) // no reconnect follows
			if got := h.srv.Logins(h.bot); got != tt.logins {
				t.Errorf("logins = %d, want %d", got, tt.logins)
			}
			if n := len(sukadana.Inbox()); n != 1 {
				t.Errorf("Sukadana got %d WhatsApp messages, want 1 (the /status answer)", n)
			}
		})
	}
}
