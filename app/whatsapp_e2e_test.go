package app_test

// End-to-end tests of the WhatsApp connection supervisor in the real app:
// a real whatsmeow client (that cannot reach any server) on a real session
// store file, Telegram through tgfake, /healthz and /metrics through the
// real HTTP handlers.

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waAdv"
	wastore "go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
)

// offlineWhatsApp builds real whatsmeow clients whose connections go
// through a proxy on a closed loopback port.
func offlineWhatsApp(t *testing.T) func(*wastore.Device) *whatsmeow.Client {
	return func(d *wastore.Device) *whatsmeow.Client {
		cli := whatsapp.NewClient(d, nil)
		cli.EnableAutoReconnect = false
		if err := cli.SetProxyAddress("socks5://127.0.0.1:1"); err != nil {
			t.Error(err)
		}
		return cli
	}
}

// pairDevice stores a paired device in the session store at path the way
// `piket whatsapp pair` does while serve runs: holding the session lock,
// through its own connection to the file.
func pairDevice(t *testing.T, path, user string) {
	t.Helper()
	ctx := context.Background()
	lock, err := whatsapp.LockSession(path)
	if err != nil {
		t.Fatalf("pairing refused: %v", err)
	}
	defer lock.Close()
	container, err := whatsapp.OpenStore(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer container.Close()
	d := container.NewDevice()
	jid := types.NewADJID(user, 0, 14)
	d.ID = &jid
	d.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64),
		AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
	if err := d.Save(ctx); err != nil {
		t.Fatal(err)
	}
}

type waHarness struct {
	*harness
	session string
	http    *httptest.Server
}

// startWhatsApp runs the real app with Telegram (tgfake) and WhatsApp on
// an empty (logged-out) session store.
func startWhatsApp(t *testing.T) *waHarness {
	t.Helper()
	fake := tgfake.New(t, tgfake.Options{MaxPoll: 200 * time.Millisecond})
	h := &harness{t: t, fake: fake, clock: clock.NewFrozen(monday0730), api: fake.URL()}
	dir := t.TempDir()
	cfg := config.Default()
	cfg.HTTP.Listen = ""
	cfg.Database = filepath.Join(dir, "piket.db")
	cfg.Console.Enabled = false
	cfg.Telegram.Enabled = true
	cfg.Telegram.Token = fake.Token()
	cfg.Telegram.APIURL = fake.URL()
	cfg.WhatsApp.Enabled = true
	cfg.WhatsApp.SessionDB = filepath.Join(dir, "wa.db")
	if err := cfg.Validate(); err != nil {
		t.Fatalf("config: %v", err)
	}
	logs := &testLog{t: t}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, app.Env{Clock: h.clock, WhatsAppClient: offlineWhatsApp(t),
		Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.app = a
	importSample(t, a.Store)
	srv := httptest.NewServer(ops.Mux(a.Health, a.Metrics))
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("App.Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("App.Run did not stop")
		}
		srv.Close()
		logs.stop()
		a.Close()
	})
	return &waHarness{harness: h, session: cfg.WhatsApp.SessionDB, http: srv}
}

func (h *waHarness) get(path string) (int, string) {
	h.t.Helper()
	resp, err := http.Get(h.http.URL + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// waitHealth waits until /healthz answers code with every want in its body.
func (h *waHarness) waitHealth(code int, want ...string) string {
	h.t.Helper()
	var body string
	var got int
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, body = h.get("/healthz")
		ok := got == code
		for _, w := range want {
			ok = ok && strings.Contains(body, w)
		}
		if ok {
			return body
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("/healthz %d %s, want %d with %q", got, body, code, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *waHarness) client() *whatsmeow.Client {
	h.t.Helper()
	var c *whatsmeow.Client
	h.waitFor("the WhatsApp client", 20*time.Second, func() bool {
		c = h.app.WhatsApp.WhatsmeowClient()
		return c != nil
	})
	return c
}

func (h *waHarness) warnings(prefix string) int {
	return h.count(`SELECT count(*) FROM outbox WHERE dedupe_key LIKE ?`, prefix+"%")
}

// Serve with a logged-out WhatsApp session keeps running: Telegram works,
// /healthz and /metrics say why WhatsApp is down. Pairing while it runs
// brings WhatsApp up without a restart. A ban and a logout then show in
// /healthz and warn the office admins once, on Telegram.
func TestWhatsAppLifecycleInServe(t *testing.T) {
	h := startWhatsApp(t)
	ctx := context.Background()
	body := h.waitHealth(http.StatusServiceUnavailable, `"whatsapp"`, "logged_out", "piket whatsapp pair")
	if !strings.Contains(body, `"telegram"`) {
		t.Errorf("telegram missing from /healthz: %s", body)
	}
	if _, m := h.get("/metrics"); !strings.Contains(m, `piket_whatsapp_state{state="logged_out"} 1`) {
		t.Errorf("metrics lack the logged_out state:\n%s", grepLines(m, "piket_whatsapp"))
	}
	// Telegram keeps working: an admin registers.
	h.register(sukadana, 1)
	if n := h.warnings("whatsapp:"); n != 0 {
		t.Errorf("%d warnings for a session that was never paired in this run", n)
	}

	// Pair while serve runs; serve picks the device up and connects.
	pairDevice(t, h.session, "6281100000077")
	in := h.client().DangerousInternals()
	// The offline client's first connect fails; then the server "accepts".
	h.waitHealth(http.StatusServiceUnavailable, "connect_failed")
	in.HandleConnectSuccess(ctx, &waBinary.Node{Tag: "success", Attrs: waBinary.Attrs{}})
	h.waitHealth(http.StatusOK, `"whatsapp"`, "connected")
	if _, m := h.get("/metrics"); !strings.Contains(m, `piket_whatsapp_state{state="connected"} 1`) {
		t.Errorf("metrics lack the connected state:\n%s", grepLines(m, "piket_whatsapp"))
	}

	// A temporary ban: /healthz says until when; the admin is told once.
	in.HandleConnectFailure(ctx, &waBinary.Node{Tag: "failure", Attrs: waBinary.Attrs{"reason": "402", "code": "101", "expire": "3600"}})
	h.waitHealth(http.StatusServiceUnavailable, "banned until", "code 101")
	h.reply(sukadana.user, 2, "diblokir sementara")
	first := h.app.WhatsApp.State().Until
	in.HandleConnectFailure(ctx, &waBinary.Node{Tag: "failure", Attrs: waBinary.Attrs{"reason": "402", "code": "101", "expire": "3000"}})
	h.waitFor("the second ban", 20*time.Second, func() bool { return !h.app.WhatsApp.State().Until.Equal(first) })
	h.settle()
	if n := h.warnings("whatsapp:banned:"); n != 1 {
		t.Errorf("ban warnings queued: %d, want 1 (one incident)", n)
	}

	// Logged out from the phone: /healthz says so, the admin is told, and
	// Run keeps going (Telegram too).
	in.HandleConnectFailure(ctx, &waBinary.Node{Tag: "failure", Attrs: waBinary.Attrs{"reason": "401"}})
	h.waitHealth(http.StatusServiceUnavailable, "logged_out", "logged out by WhatsApp")
	h.reply(sukadana.user, 3, "terputus dari WhatsApp")
	h.fake.PrivateText(sukadana.user, "/bantuan")
	h.waitSent(sukadana.user, 4)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
