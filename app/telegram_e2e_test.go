package app_test

// End-to-end tests of Piket on Telegram: the real app (store, core,
// outbox, the Telegram adapter with the real go-telegram/bot client)
// against tgfake, a fake Bot API with Telegram's rate limits.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// People of the sample registry (sample/staff.csv), with made-up Telegram
// user IDs. A private chat's ID is the user's ID.
type person struct {
	name  string
	phone string // as Telegram's contact card gives it
	user  int64
}

var (
	sari     = person{"Ni Made Sari", "6281238411414", 5001}                    // DISKOMINFO staff
	lestari  = person{"Ni Made Dwi Lestari", "+6281936011606", 5002}            // Sari's supervisor
	sukadana = person{"I Made Sukadana", "6281237171717", 5003}                 // DISKOMINFO staff and admin
	asep     = person{"H. Asep Saepudin, S.Sos., M.Si.", "6281119603101", 5004} // BKPSDM head and admin
	stranger = person{"Stranger", "6281299999999", 5999}                        // not in the registry
)

// monday0730 is 07:30 WITA (Denpasar) on a working day, before the
// default check-in deadline.
var monday0730 = time.Date(2026, 3, 16, 7, 30, 0, 0, time.FixedZone("WITA", 8*3600))

type harness struct {
	t     *testing.T
	fake  *tgfake.Server
	app   *app.App
	clock *clock.Sim
	api   string // Bot API URL the app uses (the fake, or a proxy in front)
}

type setup struct {
	fake    tgfake.Options
	webhook bool
	// proxy, if set, wraps the fake's handler (to record traffic).
	proxy func(target string) http.Handler
	// config, if set, changes the configuration before it is validated.
	config func(*config.Config)
}

// start runs the real app against a fresh fake until the test ends.
func start(t *testing.T, s setup) *harness {
	t.Helper()
	if s.fake.MaxPoll == 0 {
		// Long: the adapter pauses a second after each empty answer, and
		// a message sent during the pause would wait for it.
		s.fake.MaxPoll = 5 * time.Second
	}
	fake := tgfake.New(t, s.fake)
	h := &harness{t: t, fake: fake, clock: clock.NewFrozen(monday0730), api: fake.URL()}
	if s.proxy != nil {
		srv := httptest.NewServer(s.proxy(fake.URL()))
		t.Cleanup(srv.Close)
		h.api = srv.URL
	}

	cfg := config.Default()
	cfg.HTTP.Listen = "" // no fixed port in tests
	cfg.Database = filepath.Join(t.TempDir(), "piket.db")
	cfg.Console.Enabled = false
	cfg.Telegram.Enabled = true
	cfg.Telegram.Token = fake.Token()
	cfg.Telegram.APIURL = h.api
	if s.webhook {
		cfg.Telegram.Mode = "webhook"
		cfg.Telegram.Webhook = config.Webhook{Listen: "127.0.0.1:0", PublicURL: "https://piket.example.go.id/telegram/hook", Secret: "rahasia-piket-0123456789"}
	}
	if s.config != nil {
		s.config(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("config: %v", err)
	}
	logs := &testLog{t: t}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, app.Env{Clock: h.clock, Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.app = a
	importSample(t, a.Store)

	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("App.Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("App.Run did not return after cancel")
		}
		logs.stop()
		a.Close()
	})
	return h
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

// testLog sends the app's log to t.Log until the test stops it.
type testLog struct {
	t       *testing.T
	mu      sync.Mutex
	stopped bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

func (l *testLog) stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
}

// waitFor polls cond until it is true or timeout passes.
func (h *harness) waitFor(what string, timeout time.Duration, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitOutboxEmpty waits until every queued message is marked sent (the
// fake records a send a moment before the outbox commits it as sent).
func (h *harness) waitOutboxEmpty() {
	h.t.Helper()
	h.waitFor("the outbox to drain", 15*time.Second, func() bool {
		pending, _, err := h.app.Store.OutboxStats(context.Background(), time.Now())
		return err == nil && pending == 0
	})
}

// waitSent waits until chat has received n messages and returns them.
func (h *harness) waitSent(chat int64, n int) []tgfake.SentMessage {
	h.t.Helper()
	var got []tgfake.SentMessage
	h.waitFor(fmt.Sprintf("%d message(s) to chat %d", n, chat), 15*time.Second, func() bool {
		got = h.fake.SentTo(chat)
		return len(got) >= n
	})
	return got
}

// reply waits for the n-th message (1-based) to chat and checks it
// contains want.
func (h *harness) reply(chat int64, n int, want string) tgfake.SentMessage {
	h.t.Helper()
	got := h.waitSent(chat, n)[n-1]
	if !strings.Contains(got.Text, want) {
		h.t.Fatalf("message %d to chat %d: got %q, want it to contain %q", n, chat, got.Text, want)
	}
	return got
}

// register links p's Telegram account by sharing the contact card and
// waits for the welcome reply (message n to p's chat).
func (h *harness) register(p person, n int) {
	h.t.Helper()
	h.fake.Contact(p.user, p.user, p.phone, p.user)
	h.reply(p.user, n, "Akun Anda sudah terhubung")
}

// quiet waits long enough for anything in flight to show up.
func (h *harness) settle() {
	h.waitFor("the update queue to drain", 10*time.Second, func() bool { return h.fake.Pending() == 0 })
	time.Sleep(300 * time.Millisecond)
}

func (h *harness) count(query string, args ...any) int {
	h.t.Helper()
	var n int
	if err := h.app.Store.DB().QueryRow(query, args...).Scan(&n); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func (h *harness) linkedStaff(user int64) string {
	h.t.Helper()
	var name string
	err := h.app.Store.DB().QueryRow(`SELECT s.name FROM identities i JOIN staff s ON s.id = i.staff_id
		WHERE i.platform = 'telegram' AND i.external_id = ?`, strconv.FormatInt(user, 10)).Scan(&name)
	if err != nil {
		return ""
	}
	return name
}

func hasContactButton(t *testing.T, m tgfake.SentMessage, label string) bool {
	t.Helper()
	if m.ReplyMarkup == nil {
		return false
	}
	var kb models.ReplyKeyboardMarkup
	if err := json.Unmarshal(m.ReplyMarkup, &kb); err != nil {
		t.Fatalf("reply markup %s: %v", m.ReplyMarkup, err)
	}
	for _, row := range kb.Keyboard {
		for _, b := range row {
			if b.RequestContact && b.Text == label {
				return true
			}
		}
	}
	return false
}

func TestTelegramCommandMenu(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.waitFor("setMyCommands", 5*time.Second, func() bool { return len(h.fake.Commands()) > 0 })
	var names []string
	for _, c := range h.fake.Commands() {
		names = append(names, c.Command)
	}
	for _, want := range []string{"hadir", "sakit", "izin", "cuti", "laporan", "status", "bantuan", "daftar", "putus", "grup", "keluar", "kembali", "ok", "keluar_aktif", "piket", "tukar", "rekap", "dasbor"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("command menu %v lacks %q", names, want)
		}
	}
}

func TestTelegramRegisterByContact(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})

	h.fake.PrivateText(sari.user, "/start")
	ask := h.reply(sari.user, 1, "ketuk tombol «Bagikan nomor telepon»")
	if !hasContactButton(t, ask, "Bagikan nomor telepon") {
		t.Errorf("/start reply has no share-contact button: markup %s", ask.ReplyMarkup)
	}
	if name := h.linkedStaff(sari.user); name != "" {
		t.Fatalf("linked as %q before sharing the contact", name)
	}

	h.fake.Contact(sari.user, sari.user, sari.phone, sari.user)
	welcome := h.reply(sari.user, 2, "Terima kasih, Ni Made Sari (DISKOMINFO). Akun Anda sudah terhubung")
	if welcome.ReplyMarkup != nil {
		t.Errorf("welcome reply: got markup %s, want none", welcome.ReplyMarkup)
	}
	if name := h.linkedStaff(sari.user); name != sari.name {
		t.Errorf("linked staff: got %q, want %q", name, sari.name)
	}

	// /daftar again says who the account is linked to.
	h.fake.PrivateText(sari.user, "/daftar")
	h.reply(sari.user, 3, "sudah terhubung sebagai Ni Made Sari")

	// /putus unlinks.
	h.fake.PrivateText(sari.user, "/putus")
	h.reply(sari.user, 4, "sudah diputus")
	if name := h.linkedStaff(sari.user); name != "" {
		t.Errorf("after /putus: still linked as %q", name)
	}
}

func TestTelegramRefusedContacts(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})

	// Someone else's contact card (an admin's number).
	h.fake.Contact(sari.user, sari.user, sukadana.phone, sukadana.user)
	m := h.reply(sari.user, 1, "hanya nomor Anda sendiri")
	if !hasContactButton(t, m, "Bagikan nomor telepon") {
		t.Errorf("refusal has no share-contact button: markup %s", m.ReplyMarkup)
	}
	// A card typed in by hand (no user ID), with the sender's own number.
	h.fake.Contact(sari.user, sari.user, sari.phone, 0)
	h.reply(sari.user, 2, "hanya nomor Anda sendiri")
	// A typed phone number.
	h.fake.PrivateText(sari.user, "+62 812-3841-1414")
	m = h.reply(sari.user, 3, "nomor tidak dapat diketik")
	if !hasContactButton(t, m, "Bagikan nomor telepon") {
		t.Errorf("typed number: reply has no share-contact button: markup %s", m.ReplyMarkup)
	}
	// Own card, but the number is nobody's in the registry.
	h.fake.Contact(stranger.user, stranger.user, stranger.phone, stranger.user)
	h.reply(stranger.user, 1, "tidak ada pada data pegawai aktif")
	// A contact card shared in a group is ignored.
	h.fake.Contact(-100777, sari.user, sari.phone, sari.user)

	h.settle()
	for _, p := range []person{sari, sukadana, stranger} {
		if name := h.linkedStaff(p.user); name != "" {
			t.Errorf("user %d: linked as %q, want not linked", p.user, name)
		}
	}
	if n := len(h.fake.SentTo(-100777)); n != 0 {
		t.Errorf("group: got %d replies, want none", n)
	}
}

func TestTelegramCheckIn(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.register(sari, 1)

	h.fake.PrivateText(sari.user, "hadir wfh, sehat, menyusun SPJ")
	m := h.reply(sari.user, 2, "✅ Kehadiran Ni Made Sari tercatat: Senin, 16 Maret 2026 pukul 07.30 WITA.")
	for _, want := range []string{"WFH", "Kesehatan: sehat", "Rencana: menyusun SPJ"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("confirmation %q lacks %q", m.Text, want)
		}
	}
	var status, place, health, plan string
	var late bool
	err := h.app.Store.DB().QueryRow(`SELECT a.status, a.place, a.health, a.plan, a.late FROM attendance a
		JOIN staff s ON s.id = a.staff_id WHERE s.name = ? AND a.day = '2026-03-16'`, sari.name).Scan(&status, &place, &health, &plan, &late)
	if err != nil {
		t.Fatalf("attendance row: %v", err)
	}
	if status != "hadir" || place != "wfh" || health != "sehat" || plan != "menyusun SPJ" || late {
		t.Errorf("attendance: got %s/%s/%s/%s late=%v, want hadir/wfh/sehat/menyusun SPJ on time", status, place, health, plan, late)
	}

	// Work report and status, with a slash command addressed to the bot by name.
	h.fake.PrivateText(sari.user, "/laporan@piket_bot Draf SPJ Maret selesai")
	h.reply(sari.user, 3, "Laporan kerja tercatat pukul 07.30 WITA (bagian ke-1")
	h.fake.PrivateText(sari.user, "/status")
	h.reply(sari.user, 4, "Laporan kerja: 1 bagian")

	// Things the core must not choke on: a sticker, a photo without
	// caption, an edited message, a forward, a service message.
	h.fake.Sticker(sari.user, sari.user)
	h.fake.Photo(sari.user, sari.user, "")
	h.fake.Edited(m0(h, sari), "hadir kantor")
	h.fake.Forwarded(sari.user, sari.user, lestari.user, "hadir")
	h.fake.MembersJoined(-100555, sukadana.user, sari.user)
	h.settle()
	if n := len(h.fake.SentTo(sari.user)); n != 4 {
		t.Errorf("after ignored updates: got %d messages to Sari, want still 4", n)
	}
	if n := h.count(`SELECT count(*) FROM attendance WHERE place = 'wfh'`); n != 1 {
		t.Errorf("ignored updates changed the record: %d rows still at wfh, want 1", n)
	}
}

// m0 is a message of p to edit (its content does not matter).
func m0(h *harness, p person) *models.Message { return h.fake.NewMessage(p.user, p.user, "hadir wfh") }

func TestTelegramDuplicateUpdate(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.register(sari, 1)

	msg := h.fake.NewMessage(sari.user, sari.user, "hadir wfh, sehat, menyusun SPJ")
	u := models.Update{Message: msg}
	id := h.fake.Inject(u)
	u.ID = id
	h.fake.Inject(u) // the same update again
	h.reply(sari.user, 2, "Kehadiran Ni Made Sari tercatat")
	// Telegram redelivers the same message under a new update ID (after a
	// webhook/polling switch, say): the core must recognise it too.
	u.ID = 0
	last := h.fake.Inject(u)
	h.waitFor("the redelivery to be confirmed", 10*time.Second, func() bool {
		off, err := h.app.Store.TelegramOffsets(h.fake.Token()).TelegramOffset(context.Background())
		return err == nil && off > last
	})
	h.settle()

	if n := len(h.fake.SentTo(sari.user)); n != 2 {
		t.Errorf("got %d messages to Sari, want 2 (welcome and one confirmation)", n)
	}
	if n := h.count(`SELECT count(*) FROM attendance`); n != 1 {
		t.Errorf("got %d attendance rows, want 1", n)
	}
	if n := h.count(`SELECT count(*) FROM inbound WHERE platform = 'telegram' AND message_id = ?`, fmt.Sprintf("%d:%d", sari.user, msg.ID)); n != 1 {
		t.Errorf("got %d inbound rows for the message, want 1", n)
	}
}

func TestTelegramGroupLink(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.register(sari, 1)
	h.register(sukadana, 1)
	const group, other = -1001234567890, -1009876543210

	// A non-admin is refused.
	h.fake.Text(group, sari.user, "/grup@piket_bot DISKOMINFO")
	h.reply(group, 1, "tidak berwenang")
	// An admin of another office too.
	h.register(asep, 1)
	h.fake.Text(group, asep.user, "/grup DISKOMINFO")
	h.reply(group, 2, "tidak berwenang")
	if n := h.count(`SELECT count(*) FROM office_chats`); n != 0 {
		t.Fatalf("got %d linked groups after refusals, want 0", n)
	}
	// A command for another bot and group chatter are ignored.
	h.fake.Text(group, sukadana.user, "/grup@other_bot DISKOMINFO")
	h.fake.Text(group, sukadana.user, "selamat pagi semua")
	// The office's admin links the group.
	h.fake.Text(group, sukadana.user, "/grup@piket_bot DISKOMINFO")
	h.reply(group, 3, "Grup ini sekarang terhubung dengan DISKOMINFO")
	var office string
	err := h.app.Store.DB().QueryRow(`SELECT o.code FROM office_chats c JOIN offices o ON o.id = c.office_id
		WHERE c.platform = 'telegram' AND c.chat_id = ?`, strconv.FormatInt(group, 10)).Scan(&office)
	if err != nil || office != "DISKOMINFO" {
		t.Errorf("linked group: got %q, %v, want DISKOMINFO", office, err)
	}
	// Strangers in a group get no answer.
	h.fake.Text(other, stranger.user, "/grup DISKOMINFO")
	h.settle()
	if n := len(h.fake.SentTo(group)); n != 3 {
		t.Errorf("got %d messages to the group, want 3", n)
	}
	if n := len(h.fake.SentTo(other)); n != 0 {
		t.Errorf("stranger in a group: got %d replies, want none", n)
	}
}

func TestTelegramLeaveHome(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.register(sari, 1)
	h.register(lestari, 1)

	h.fake.PrivateText(sari.user, "/keluar antar ibu kontrol ke rumah sakit, 2 jam")
	h.reply(sari.user, 2, "Laporan keluar rumah No. ")
	alert := h.reply(lestari.user, 2, "Ni Made Sari")
	var n int
	if _, err := fmt.Sscanf(alert.Text[strings.Index(alert.Text, "No. "):], "No. %d", &n); err != nil || n == 0 {
		t.Fatalf("alert %q: no report number: %v", alert.Text, err)
	}
	if !strings.Contains(alert.Text, fmt.Sprintf("/ok %d", n)) || !strings.Contains(alert.Text, "antar ibu kontrol") {
		t.Errorf("alert %q: want the reason and how to acknowledge", alert.Text)
	}

	// Someone outside her chain and office cannot acknowledge.
	h.register(asep, 1)
	h.fake.PrivateText(asep.user, fmt.Sprintf("/ok %d", n))
	h.reply(asep.user, 2, "tidak berwenang")

	h.fake.PrivateText(lestari.user, fmt.Sprintf("/ok %d", n))
	h.reply(lestari.user, 3, fmt.Sprintf("Laporan No. %d (Ni Made Sari) sudah Anda terima", n))
	h.reply(sari.user, 3, "sudah diterima oleh Ni Made Dwi Lestari")
	var acked int
	if err := h.app.Store.DB().QueryRow(`SELECT count(*) FROM leave_reports WHERE acked_by IS NOT NULL`).Scan(&acked); err != nil || acked != 1 {
		t.Errorf("acknowledged reports: got %d, %v, want 1", acked, err)
	}
}

func TestTelegramRosterPost(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	h.register(sukadana, 1)
	const group = -1002222222222
	h.fake.Text(group, sukadana.user, "/grup DISKOMINFO")
	h.reply(group, 1, "terhubung dengan DISKOMINFO")
	// Today's list was published by the scheduler's start-up catch-up,
	// before the group was linked: the group gets it at once.
	h.reply(group, 2, "Senin, 16 Maret 2026")

	// A working day ahead.
	day := civil.MustParse("2026-04-07")
	ctx := context.Background()
	if err := h.app.Service.PostRoster(ctx, "DISKOMINFO", day); err != nil {
		t.Fatalf("PostRoster: %v", err)
	}
	post := h.reply(group, 3, "Selasa, 7 April 2026")
	if !strings.Contains(post.Text, "/hadir") {
		t.Errorf("roster post %q lacks the footer", post.Text)
	}
	// Posting the same day again (a double fire of the job) sends nothing.
	if err := h.app.Service.PostRoster(ctx, "DISKOMINFO", day); err != nil {
		t.Fatalf("PostRoster again: %v", err)
	}
	h.settle()
	h.waitOutboxEmpty()
	if n := len(h.fake.SentTo(group)); n != 3 {
		t.Errorf("got %d messages to the group, want 3 (link reply, today's list, one roster post)", n)
	}
}

// attempt is one sendMessage request seen by the recording proxy.
type attempt struct {
	chat       int64
	text       string
	at         time.Time // request arrived
	done       time.Time // response came back from the fake, before the client saw it
	status     int
	retryAfter time.Duration
}

// recorder is a proxy in front of the fake that records every sendMessage
// attempt, including the ones answered 429.
type recorder struct {
	mu       sync.Mutex
	attempts []attempt
}

func (rec *recorder) handler(target string) http.Handler {
	u, _ := url.Parse(target)
	proxy := httputil.NewSingleHostReverseProxy(u)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/sendMessage") {
			proxy.ServeHTTP(w, r)
			return
		}
		a := attempt{at: time.Now()}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if _, params, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && params["boundary"] != "" {
			form, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(1 << 20)
			if err == nil {
				a.chat, _ = strconv.ParseInt(first(form.Value["chat_id"]), 10, 64)
				a.text = first(form.Value["text"])
			}
		}
		rw := &statusWriter{ResponseWriter: w}
		proxy.ServeHTTP(rw, r)
		a.done = rw.at
		a.status = rw.status
		if s, err := strconv.Atoi(rw.Header().Get("Retry-After")); err == nil {
			a.retryAfter = time.Duration(s) * time.Second
		}
		rec.mu.Lock()
		rec.attempts = append(rec.attempts, a)
		rec.mu.Unlock()
	})
}

func (rec *recorder) all() []attempt {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]attempt(nil), rec.attempts...)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// statusWriter records the status and when it was written (before the
// client can see the response).
type statusWriter struct {
	http.ResponseWriter
	status int
	at     time.Time
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status, w.at = code, time.Now()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status, w.at = http.StatusOK, time.Now()
	}
	return w.ResponseWriter.Write(b)
}

// queue puts messages straight into the outbox, as a burst of replies or
// notices would.
func (h *harness) queue(chat int64, texts ...string) {
	h.t.Helper()
	ctx := context.Background()
	err := h.app.Store.Write(ctx, func(tx *store.Tx) error {
		for _, text := range texts {
			if _, _, err := tx.Enqueue(ctx, store.OutMsg{Platform: "telegram", ChatID: strconv.FormatInt(chat, 10), Group: chat < 0, Text: text}, h.clock.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.app.Dispatcher.Notify()
}

func TestTelegram429Storm(t *testing.T) {
	t.Parallel()
	// Telegram is stricter than its published limits under load: one
	// message per 1.2 s per chat, so the outbox's 1/s pacing runs into
	// 429 Too Many Requests with retry_after.
	rec := &recorder{}
	lim := tgfake.DefaultLimits()
	lim.Chat = tgfake.Limit{N: 1, Per: 1200 * time.Millisecond}
	h := start(t, setup{fake: tgfake.Options{Limits: lim}, proxy: rec.handler})

	const group = -1001111111111
	var want, wantGroup []string
	for i := 1; i <= 4; i++ {
		want = append(want, fmt.Sprintf("Pesan %d untuk Sari", i))
		wantGroup = append(wantGroup, fmt.Sprintf("Pengumuman %d", i))
	}
	h.queue(sari.user, want...)
	h.queue(group, wantGroup...)

	for chat, texts := range map[int64][]string{sari.user: want, group: wantGroup} {
		got := h.waitSent(chat, len(texts))
		for i, m := range got {
			if i >= len(texts) || m.Text != texts[i] {
				t.Errorf("chat %d: message %d is %q, want %q (in queue order, once)", chat, i+1, m.Text, texts[min(i, len(texts)-1)])
			}
		}
		// The fake's own record: successive sends to the chat keep its limit.
		for i := 1; i < len(got); i++ {
			if gap := got[i].Time.Sub(got[i-1].Time); gap < lim.Chat.Per {
				t.Errorf("chat %d: messages %d and %d sent %s apart, limit %s", chat, i, i+1, gap, lim.Chat.Per)
			}
		}
	}
	if h.fake.Count429() == 0 {
		t.Fatal("the fake answered no 429: the storm did not happen")
	}
	// After a 429 with retry_after, nothing was even tried on that chat
	// before it expired.
	atts := rec.all()
	for i, a := range atts {
		if a.status != http.StatusTooManyRequests {
			continue
		}
		if a.retryAfter <= 0 {
			t.Errorf("429 without retry_after: %+v", a)
			continue
		}
		for _, b := range atts[i+1:] {
			if b.chat == a.chat && b.at.Before(a.done.Add(a.retryAfter)) {
				t.Errorf("chat %d: tried again %s after a 429 with retry_after %s", a.chat, b.at.Sub(a.done), a.retryAfter)
			}
		}
	}
	h.waitOutboxEmpty()
}

func TestTelegram502Outage(t *testing.T) {
	t.Parallel()
	fc := tgfake.NewClock(time.Now())
	h := start(t, setup{fake: tgfake.Options{Clock: fc.Now, Limits: tgfake.NoLimits()}})
	h.register(sari, 1)
	h.register(lestari, 1)

	// Sending fails with 502 Bad Gateway for a stretch: check-ins are
	// recorded at once, their confirmations wait in the outbox.
	base := h.fake.Calls("sendMessage")
	h.fake.FailFor("sendMessage", time.Hour)
	h.fake.PrivateText(sari.user, "hadir wfh, sehat, menyusun SPJ")
	h.fake.PrivateText(lestari.user, "hadir kantor")
	h.fake.PrivateText(sari.user, "/laporan Rekap SPJ")
	h.waitFor("check-ins recorded during the outage", 10*time.Second, func() bool {
		return h.count(`SELECT count(*) FROM attendance`) == 2 && h.count(`SELECT count(*) FROM work_reports`) == 1
	})
	// Per chat, only the first message is tried (order is kept): two
	// chats, two failed attempts each.
	h.waitFor("the confirmations to fail twice", 10*time.Second, func() bool { return h.fake.Calls("sendMessage") >= base+4 })
	if n := len(h.fake.Sent()); n != 2 {
		t.Fatalf("during the outage: %d messages delivered, want only the 2 welcomes", n)
	}
	fc.Advance(time.Hour) // Telegram is back
	h.reply(sari.user, 2, "Kehadiran Ni Made Sari tercatat")
	h.reply(sari.user, 3, "Laporan kerja tercatat")
	h.reply(lestari.user, 2, "Kehadiran Ni Made Dwi Lestari tercatat")

	// Receiving fails for a stretch: the message waits at Telegram and is
	// handled when the API is back.
	polls := h.fake.Calls("getUpdates")
	h.fake.FailFor("getUpdates", time.Hour)
	h.waitFor("getUpdates to fail", 10*time.Second, func() bool { return h.fake.Calls("getUpdates") >= polls+1 })
	h.fake.PrivateText(sari.user, "/status")
	time.Sleep(200 * time.Millisecond)
	if h.fake.Pending() != 1 {
		t.Fatalf("during the outage: %d updates pending, want 1", h.fake.Pending())
	}
	fc.Advance(time.Hour)
	h.reply(sari.user, 4, "Laporan kerja: 1 bagian")

	h.settle()
	if n := len(h.fake.Sent()); n != 6 {
		t.Errorf("got %d messages in all, want 6 (nothing lost, nothing twice)", n)
	}
	h.waitOutboxEmpty()
}

func TestTelegramWebhook(t *testing.T) {
	t.Parallel()
	h := start(t, setup{webhook: true})
	h.waitFor("setWebhook", 5*time.Second, func() bool { return h.fake.Webhook().URL != "" })
	if wh := h.fake.Webhook(); wh.URL != "https://piket.example.go.id/telegram/hook" || wh.SecretToken != "rahasia-piket-0123456789" ||
		wh.MaxConnections != 40 {
		t.Errorf("webhook set: got %+v", wh)
	}
	srv := httptest.NewServer(h.app.Telegram.WebhookHandler())
	defer srv.Close()
	nextID := int64(500)
	post := func(secret string, m *models.Message) int {
		t.Helper()
		nextID++
		body, err := json.Marshal(models.Update{ID: nextID, Message: m})
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	const secret = "rahasia-piket-0123456789"
	contact := func(p person, phone string) *models.Message {
		m := h.fake.NewMessage(p.user, p.user, "")
		m.Contact = &models.Contact{PhoneNumber: phone, FirstName: "X", UserID: p.user}
		return m
	}

	// A wrong or missing secret: refused, nothing recorded or answered.
	for _, s := range []string{"", "tebakan-salah-0123456789", secret + "x"} {
		if code := post(s, contact(sari, sari.phone)); code != http.StatusUnauthorized {
			t.Errorf("secret %q: got HTTP %d, want 401", s, code)
		}
	}
	if n := h.count(`SELECT count(*) FROM inbound`); n != 0 {
		t.Fatalf("wrong secret: %d inbound messages recorded, want 0", n)
	}

	// The right secret: handled, answered through the outbox.
	if code := post(secret, h.fake.NewMessage(sari.user, sari.user, "/start")); code != http.StatusOK {
		t.Fatalf("/start: got HTTP %d, want 200", code)
	}
	h.reply(sari.user, 1, "Untuk mendaftar")
	if code := post(secret, contact(sari, sari.phone)); code != http.StatusOK {
		t.Fatalf("contact: got HTTP %d, want 200", code)
	}
	h.reply(sari.user, 2, "Akun Anda sudah terhubung")
	checkIn := h.fake.NewMessage(sari.user, sari.user, "hadir wfh, sehat, menyusun SPJ")
	if code := post(secret, checkIn); code != http.StatusOK {
		t.Fatalf("check-in: got HTTP %d, want 200", code)
	}
	h.reply(sari.user, 3, "Kehadiran Ni Made Sari tercatat")
	// Telegram redelivers (it did not see our 200): stored once.
	if code := post(secret, checkIn); code != http.StatusOK {
		t.Fatalf("redelivery: got HTTP %d, want 200", code)
	}
	h.settle()
	if n := h.count(`SELECT count(*) FROM attendance`); n != 1 {
		t.Errorf("got %d attendance rows, want 1", n)
	}
	if n := len(h.fake.SentTo(sari.user)); n != 3 {
		t.Errorf("got %d messages to Sari, want 3", n)
	}
	if n := h.fake.Calls("getUpdates"); n != 0 {
		t.Errorf("webhook mode: got %d getUpdates calls, want 0", n)
	}
}
