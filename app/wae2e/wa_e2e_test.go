//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

// Package wae2e_test runs Piket's real serve wiring (app.New: store, core,
// outbox, the WhatsApp adapter with the real whatsmeow client) against
// wafake, the WhatsApp server emulator. It is its own package because it
// reroutes http.DefaultTransport for the whole test binary.
package wae2e_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/bot/whatsapp/wafake"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

func TestMain(m *testing.M) {
	wafake.RouteDefaultTransport()
	os.Exit(m.Run())
}

// People of the sample registry (sample/staff.csv).
const (
	botNumber      = "6281100000000"
	sariNumber     = "6281238411414" // Ni Made Sari, DISKOMINFO staff
	sukadanaNumber = "6281237171717" // I Made Sukadana, DISKOMINFO staff and admin
)

var wita = time.FixedZone("WITA", 8*3600)

// monday0730 is 07:30 WITA (Denpasar) on a working day.
var monday0730 = time.Date(2026, 3, 16, 7, 30, 0, 0, wita)

type harness struct {
	t   *testing.T
	ctx context.Context
	srv *wafake.Server
	app *app.App
	bot types.JID
	log *slog.Logger // the app's logger; discarded (or stderr with -v) if nil
}

// link creates the session file the way `piket whatsapp pair` leaves it.
func link(t *testing.T, ctx context.Context, srv *wafake.Server, path string) types.JID {
	t.Helper()
	return linkAs(t, ctx, srv, botNumber, path)
}

// linkAs is link for the bot's number number (another of several).
func linkAs(t *testing.T, ctx context.Context, srv *wafake.Server, number, path string) types.JID {
	t.Helper()
	c, err := whatsapp.OpenStore(ctx, path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dev, err := c.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jid, err := srv.Phone(number).Link(ctx, dev)
	if err != nil {
		t.Fatal(err)
	}
	return jid
}

// newHarness links a bot device on a fresh emulator; start runs the app.
func newHarness(t *testing.T) (*harness, config.Config) {
	srv := wafake.New(wafake.Options{})
	t.Cleanup(srv.Close)
	srv.Route()
	h, cfg := newHarnessWith(t, srv, filepath.Join(t.TempDir(), "piket-whatsapp.db"), types.EmptyJID)
	h.bot = link(t, h.ctx, srv, cfg.WhatsApp.SessionDB)
	return h, cfg
}

// newHarnessWith is a harness on srv for the session file at session,
// linked to the bot device bot.
func newHarnessWith(t *testing.T, srv *wafake.Server, session string, bot types.JID) (*harness, config.Config) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	dir := t.TempDir()
	cfg := config.Default()
	cfg.HTTP.Listen = ""
	cfg.Database = filepath.Join(dir, "piket.db")
	cfg.Console.Enabled = false
	cfg.WhatsApp.Enabled = true
	cfg.WhatsApp.SessionDB = session
	cfg.WhatsApp.PerChat = 10 * time.Millisecond
	cfg.WhatsApp.Global = 10 * time.Millisecond
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, ctx: ctx, srv: srv, bot: bot}, cfg
}

func (h *harness) start(cfg config.Config, now time.Time) { h.startIn(h.t, cfg, now, true) }

// startIn runs the app until t ends; seed imports the sample registry.
func (h *harness) startIn(t *testing.T, cfg config.Config, now time.Time, seed bool) {
	ctx, cancel := context.WithCancel(context.Background())
	log := h.log
	switch {
	case log != nil:
	case testing.Verbose():
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	default:
		log = slog.New(slog.DiscardHandler)
	}
	a, err := app.New(ctx, cfg, app.Env{Clock: clock.NewFrozen(now), Log: log})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.app = a
	if seed {
		importSample(t, a.Store)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		// Let replies in flight finish: whatsmeow races with itself when a
		// send is cancelled as its ack arrives.
		h.drainOutbox(5 * time.Second)
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("App.Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("App.Run did not return after cancel")
		}
		a.Close()
	})
	if err := h.srv.WaitLoggedIn(h.ctx, h.bot); err != nil {
		t.Fatal(err)
	}
}

func importSample(t *testing.T, st *store.Store) {
	t.Helper()
	recs, rowErrs, err := staff.ReadCSV(bytes.NewReader(sample.StaffCSV()))
	if err != nil || len(rowErrs) > 0 {
		t.Fatalf("read sample staff: %v %v", err, rowErrs)
	}
	rows := make([]store.StaffInput, len(recs))
	for i, r := range recs {
		rows[i] = store.StaffInput{NIP: r.NIP, Name: r.Name, Office: r.Office, Division: r.Division, Level: string(r.Level),
			SupervisorNIP: r.SupervisorNIP, Phone: r.Phone, Roles: r.Roles}
	}
	_, err = st.ImportStaff(context.Background(), rows, store.ImportOptions{
		DefaultTZ: "Asia/Jakarta", OfficeTZ: map[string]string{"DISKOMINFO": "Asia/Makassar", "BKPSDM": "Asia/Jakarta"}, Now: monday0730,
	})
	if err != nil {
		t.Fatalf("import sample staff: %v", err)
	}
}

// waitReply waits until u has received a message containing want.
func (h *harness) waitReply(u *wafake.User, want string) string {
	h.t.Helper()
	for n := 1; ; n++ {
		inbox, err := u.WaitInbox(h.ctx, n)
		if err != nil {
			var texts []string
			for _, r := range u.Inbox() {
				texts = append(texts, r.Message.GetConversation()+r.Message.GetExtendedTextMessage().GetText())
			}
			h.t.Fatalf("no reply to %s containing %q: %v; got %q (errors %v)", u.Name(), want, err, texts, u.Errors())
		}
		m := inbox[n-1].Message
		if text := m.GetConversation() + m.GetExtendedTextMessage().GetText(); strings.Contains(text, want) {
			return text
		}
	}
}

// record reads a person's attendance for a day; ok is false when none.
func (h *harness) record(name, day string) (late, ok bool) {
	h.t.Helper()
	err := h.app.Store.DB().QueryRowContext(h.ctx, `SELECT a.late FROM attendance a JOIN staff s ON s.id = a.staff_id
		WHERE s.name = ? AND a.day = ?`, name, day).Scan(&late)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return late, true
}

// A check-in sent while Piket was down is delivered when it connects,
// with its original time, and is on time; a live check-in in a private
// chat is confirmed with its time. Both replies are end-to-end encrypted
// to the staff member's own Signal store.
func TestWhatsAppCheckIn(t *testing.T) {
	h, cfg := newHarness(t)
	sari, err := h.srv.User(h.ctx, sariNumber, "Sari")
	if err != nil {
		t.Fatal(err)
	}
	sukadana, err := h.srv.User(h.ctx, sukadanaNumber, "Sukadana")
	if err != nil {
		t.Fatal(err)
	}

	// Piket is not running yet: the message waits on the server.
	sent := time.Date(2026, 3, 16, 7, 15, 0, 0, wita)
	if _, err := sukadana.Send(h.ctx, h.bot, textMessage("hadir wfh, sehat"), wafake.SendOptions{Time: sent}); err != nil {
		t.Fatal(err)
	}
	h.start(cfg, monday0730.Add(2*time.Hour)) // handled at 09:30, after the deadline
	if text := h.waitReply(sukadana, "07.15 WITA"); !strings.Contains(text, "16 Maret 2026") {
		t.Errorf("Sukadana's confirmation: %q", text)
	}
	if late, ok := h.record("I Made Sukadana", "2026-03-16"); !ok || late {
		t.Errorf("Sukadana's record found=%v late=%v, want on time", ok, late)
	}

	if _, err := sari.Send(h.ctx, h.bot, textMessage("Selamat pagi bu, hadir kerja dari rumah, agak pilek"), wafake.SendOptions{Time: monday0730.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	h.waitReply(sari, "09.30 WITA")
	if late, ok := h.record("Ni Made Sari", "2026-03-16"); !ok || !late {
		t.Errorf("Sari's record found=%v late=%v, want late", ok, late)
	}
	if n := h.srv.Pending(h.bot); n != 0 {
		t.Errorf("%d messages to the bot unconfirmed", n)
	}
}

// drainOutbox waits up to limit for the outbox to have nothing pending.
func (h *harness) drainOutbox(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		pending, _, err := h.app.Store.OutboxStats(context.Background(), time.Now())
		if err == nil && pending == 0 {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// waitLog waits until the app has logged a message starting with prefix.
func (h *harness) waitLog(w interface{ seen(string) bool }, prefix string) {
	h.t.Helper()
	for !w.seen(prefix) {
		select {
		case <-h.ctx.Done():
			h.t.Fatalf("the app never logged %q", prefix)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
