package bot_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/store"
)

// consoleAddr is the console's addressing without a terminal.
type consoleAddr struct{}

func (consoleAddr) Platform() bot.Platform       { return bot.Console }
func (consoleAddr) PersonChat(nip string) string { return nip }
func (consoleAddr) GroupChat(code string) string { return "grup:" + code }
func (consoleAddr) TrustsSender() bool           { return true }

const (
	nipHead   = "197008141995031004" // I Wayan Sudarsana, DISKOMINFO head, admin (WITA)
	nipKabid  = "197803252003121005" // I Made Agus Wiryawan
	nipSari   = "199203142015032001" // Ni Made Sari (WITA)
	nipTangse = "199001102015031003" // Agus Setiawan, BKPSDM (WIB)
)

type fixture struct {
	t     *testing.T
	st    *store.Store
	svc   *bot.Service
	clock *clock.Sim
	seq   int
}

func newFixture(t *testing.T, lang string) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.ImportStaff(ctx, []store.StaffInput{
		{NIP: nipHead, Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: store.LevelEselon2, Phone: "+6281234500001", Roles: []string{"admin"}},
		{NIP: nipKabid, Name: "I Made Agus Wiryawan", Office: "DISKOMINFO", Level: store.LevelEselon3, SupervisorNIP: nipHead, Phone: "+6281234500002"},
		{NIP: nipSari, Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Bidang Statistik", Level: store.LevelPelaksana, SupervisorNIP: nipKabid, Phone: "+6281234500003"},
		{NIP: nipTangse, Name: "Agus Setiawan", Office: "BKPSDM", Level: store.LevelPelaksana, Phone: "+6281234500004"},
	}, store.ImportOptions{DefaultTZ: "Asia/Jakarta", OfficeTZ: map[string]string{"DISKOMINFO": "Asia/Makassar"}, Now: time.Date(2020, 3, 1, 9, 0, 0, 0, wita)})
	if err != nil {
		t.Fatal(err)
	}
	c := clock.NewFrozen(time.Date(2020, 3, 18, 7, 30, 0, 0, wita))
	svc := bot.New(bot.Options{
		Store: st, Texts: bot.TextsFor(lang), Clock: c.Now,
		Policy:   func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} },
		Implicit: []bot.Addresser{consoleAddr{}},
	})
	return &fixture{t: t, st: st, svc: svc, clock: c}
}

var (
	wita = mustLoc("Asia/Makassar")
	wib  = mustLoc("Asia/Jakarta")
)

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// say sends text as a console user in private and returns the replies queued since.
func (f *fixture) say(nip, text string) []store.Pending {
	f.t.Helper()
	f.seq++
	return f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "m" + string(rune('a'+f.seq%26)) + time.Now().Format("150405.000000000"),
		SenderID: nip, ChatID: nip, Text: text, Time: f.clock.Now(), Addressed: true})
}

func (f *fixture) deliver(m bot.Inbound) []store.Pending {
	f.t.Helper()
	before := f.pending()
	if err := f.svc.Handle(context.Background(), m); err != nil {
		f.t.Fatalf("Handle(%q): %v", m.Text, err)
	}
	return f.pending()[len(before):]
}

func (f *fixture) pending() []store.Pending {
	f.t.Helper()
	p, err := f.st.PendingOutbox(context.Background(), 10000)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) attendance(nip string, day string) (store.Attendance, bool) {
	f.t.Helper()
	all, err := f.st.DayAttendance(context.Background(), civil.MustParse(day))
	if err != nil {
		f.t.Fatal(err)
	}
	people, err := f.st.FindStaff(context.Background(), nip)
	if err != nil || len(people) != 1 {
		f.t.Fatalf("find %s: %v", nip, err)
	}
	a, ok := all[people[0].ID]
	return a, ok
}

func onlyReply(t *testing.T, out []store.Pending, chat string) string {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("got %d replies, want 1: %+v", len(out), out)
	}
	if out[0].ChatID != chat {
		t.Fatalf("reply went to %q, want %q", out[0].ChatID, chat)
	}
	return out[0].Text
}

func TestCheckInStoresAndConfirms(t *testing.T) {
	f := newFixture(t, "id")
	text := onlyReply(t, f.say(nipSari, "Hadir WFH, sehat, menyusun laporan statistik"), nipSari)
	for _, want := range []string{"Ni Made Sari", "Rabu, 18 Maret 2020", "07.30 WITA", "WFH", "sehat", "menyusun laporan statistik"} {
		if !strings.Contains(text, want) {
			t.Errorf("reply %q lacks %q", text, want)
		}
	}
	if strings.Contains(text, "terlambat") {
		t.Errorf("07:30 check-in marked late: %q", text)
	}
	a, ok := f.attendance(nipSari, "2020-03-18")
	if !ok || a.Status != "hadir" || a.Place != "wfh" || a.Health != "sehat" || a.Plan != "menyusun laporan statistik" || a.Late {
		t.Fatalf("attendance = %+v (found %v)", a, ok)
	}
}

func TestLateAcrossTimeZones(t *testing.T) {
	f := newFixture(t, "id")
	// 08:30 WITA is 07:30 WIB: late in Denpasar, on time in Tangerang Selatan.
	f.clock.Set(time.Date(2020, 3, 18, 8, 30, 0, 0, wita))
	sari := onlyReply(t, f.say(nipSari, "hadir"), nipSari)
	agus := onlyReply(t, f.say(nipTangse, "hadir"), nipTangse)
	if !strings.Contains(sari, "terlambat (batas 08.00 WITA)") {
		t.Errorf("WITA reply %q: want late", sari)
	}
	if strings.Contains(agus, "terlambat") || !strings.Contains(agus, "07.30 WIB") {
		t.Errorf("WIB reply %q: want on time at 07.30 WIB", agus)
	}
	if a, _ := f.attendance(nipSari, "2020-03-18"); !a.Late {
		t.Errorf("WITA record not late: %+v", a)
	}
	if a, _ := f.attendance(nipTangse, "2020-03-18"); a.Late {
		t.Errorf("WIB record late: %+v", a)
	}
	// 23:30 WIB on the 18th is already the 19th in WITA: days follow the office's zone.
	f.clock.Set(time.Date(2020, 3, 18, 23, 30, 0, 0, wib))
	f.say(nipSari, "hadir kantor")
	if _, ok := f.attendance(nipSari, "2020-03-19"); !ok {
		t.Errorf("check-in at 00:30 WITA not recorded on 2020-03-19")
	}
}

func TestLaterMessageUpdatesAndKeepsHistory(t *testing.T) {
	f := newFixture(t, "id")
	f.say(nipSari, "hadir wfh, sehat, entri data")
	f.clock.Advance(time.Hour) // 08:30: later, but the first check-in decides lateness
	text := onlyReply(t, f.say(nipSari, "hadir kantor"), nipSari)
	if !strings.Contains(text, "diperbarui") || strings.Contains(text, "terlambat") {
		t.Errorf("update reply %q", text)
	}
	a, _ := f.attendance(nipSari, "2020-03-18")
	if a.Place != "kantor" || a.Plan != "entri data" || a.Late {
		t.Errorf("updated record = %+v", a)
	}
	f.say(nipSari, "sakit demam")
	a, _ = f.attendance(nipSari, "2020-03-18")
	if a.Status != "sakit" || a.Health != "demam" {
		t.Errorf("after sakit: %+v", a)
	}
	people, _ := f.st.FindStaff(context.Background(), nipSari)
	hist, err := f.st.AttendanceHistory(context.Background(), people[0].ID, civil.MustParse("2020-03-18"))
	if err != nil || len(hist) != 3 {
		t.Fatalf("history = %d versions (%v), want 3", len(hist), err)
	}
	if hist[0].Place != "wfh" || hist[1].Place != "kantor" || hist[2].Status != "sakit" {
		t.Errorf("history = %+v", hist)
	}
}

func TestDuplicateDeliveryStoredAndAnsweredOnce(t *testing.T) {
	f := newFixture(t, "id")
	m := bot.Inbound{Platform: bot.Console, MessageID: "dup-1", SenderID: nipSari, ChatID: nipSari, Text: "hadir", Addressed: true}
	first := f.deliver(m)
	second := f.deliver(m)
	if len(first) != 1 || len(second) != 0 {
		t.Fatalf("replies: first %d, second %d; want 1, 0", len(first), len(second))
	}
	if n, _ := f.st.InboundCount(context.Background(), ""); n != 1 {
		t.Errorf("inbound rows = %d, want 1", n)
	}
}

func TestUnknownSender(t *testing.T) {
	f := newFixture(t, "id")
	tests := []struct {
		name    string
		m       bot.Inbound
		replies int
		contact bool
		want    string
	}{
		{"telegram private", bot.Inbound{Platform: bot.Telegram, MessageID: "1:1", SenderID: "999", ChatID: "999", Text: "hadir"}, 1, true, "belum terdaftar"},
		{"telegram typed number", bot.Inbound{Platform: bot.Telegram, MessageID: "1:3", SenderID: "999", ChatID: "999", Text: "0812-3450-0003"}, 1, true, "nomor tidak dapat diketik"},
		{"telegram start", bot.Inbound{Platform: bot.Telegram, MessageID: "1:2", SenderID: "999", ChatID: "999", Text: "/start"}, 1, true, "Bagikan nomor telepon"},
		{"whatsapp unknown number", bot.Inbound{Platform: bot.WhatsApp, MessageID: "W1", SenderID: "6289999", SenderPhone: "+6289999000111", ChatID: "6289999@s.whatsapp.net", Text: "hadir"}, 1, false, "admin kepegawaian"},
		{"console unknown NIP", bot.Inbound{Platform: bot.Console, MessageID: "c1", SenderID: "000", ChatID: "000", Text: "hadir"}, 1, false, "belum terdaftar"},
		{"stranger in a group", bot.Inbound{Platform: bot.Telegram, MessageID: "-5:1", SenderID: "999", ChatID: "-5", Group: true, Addressed: true, Text: "/hadir"}, 0, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.Addressed = tt.m.Addressed || !tt.m.Group
			out := f.deliver(tt.m)
			if len(out) != tt.replies {
				t.Fatalf("replies = %d, want %d", len(out), tt.replies)
			}
			if tt.replies == 1 && (!strings.Contains(out[0].Text, tt.want) || out[0].RequestContact != tt.contact) {
				t.Errorf("reply %q (contact button %v), want %q (contact %v)", out[0].Text, out[0].RequestContact, tt.want, tt.contact)
			}
		})
	}
	if n, _ := f.st.InboundCount(context.Background(), bot.OutcomeUnknownSender); n != len(tests) {
		t.Errorf("audit rows with unknown_sender = %d, want %d", n, len(tests))
	}
	all, _ := f.st.DayAttendance(context.Background(), civil.MustParse("2020-03-18"))
	if len(all) != 0 {
		t.Errorf("unknown senders wrote attendance: %+v", all)
	}
}

func TestWhatsAppLinksByProvenPhone(t *testing.T) {
	f := newFixture(t, "id")
	out := f.deliver(bot.Inbound{Platform: bot.WhatsApp, MessageID: "W2", SenderID: "6281234500003", SenderPhone: "+6281234500003",
		ChatID: "6281234500003@s.whatsapp.net", Text: "hadir wfh"})
	if text := onlyReply(t, out, "6281234500003@s.whatsapp.net"); !strings.Contains(text, "Ni Made Sari") {
		t.Errorf("reply %q", text)
	}
}

func TestTelegramContactRegistration(t *testing.T) {
	f := newFixture(t, "id")
	tests := []struct {
		name    string
		contact *bot.Contact
		want    string
	}{
		{"someone else's card", &bot.Contact{Phone: "+6281234500003", UserID: "555"}, "hanya nomor Anda sendiri"},
		{"typed card without user", &bot.Contact{Phone: "081234500003"}, "hanya nomor Anda sendiri"},
		{"own card, unknown number", &bot.Contact{Phone: "+6289999000111", UserID: "777"}, "tidak ada pada data pegawai"},
		{"own card, staff number", &bot.Contact{Phone: "6281234500003", UserID: "777"}, "Terima kasih, Ni Made Sari"},
	}
	for i, tt := range tests {
		out := f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "777:" + string(rune('0'+i)), SenderID: "777", ChatID: "777", Contact: tt.contact})
		if text := onlyReply(t, out, "777"); !strings.Contains(text, tt.want) {
			t.Errorf("%s: reply %q, want %q", tt.name, text, tt.want)
		}
	}
	out := f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "777:9", SenderID: "777", ChatID: "777", Text: "/hadir"})
	if text := onlyReply(t, out, "777"); !strings.Contains(text, "Kehadiran Ni Made Sari tercatat") {
		t.Errorf("check-in after linking: %q", text)
	}
	out = f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "777:10", SenderID: "777", ChatID: "777", Text: "/putus"})
	onlyReply(t, out, "777")
	out = f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "777:11", SenderID: "777", ChatID: "777", Text: "/hadir"})
	if text := onlyReply(t, out, "777"); !strings.Contains(text, "belum terdaftar") {
		t.Errorf("after /putus: %q", text)
	}
}

func TestGroupLinkRoles(t *testing.T) {
	f := newFixture(t, "id")
	group := func(nip, text string) string {
		f.seq++
		out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "g" + string(rune('a'+f.seq)), SenderID: nip, ChatID: "grup:DISKOMINFO", Group: true, Addressed: true, Text: text})
		return onlyReply(t, out, "grup:DISKOMINFO")
	}
	if got := group(nipSari, "/grup DISKOMINFO"); !strings.Contains(got, "tidak berwenang") {
		t.Errorf("staff linking a group: %q", got)
	}
	if got := group(nipHead, "/grup BKPSDM"); !strings.Contains(got, "tidak berwenang") {
		t.Errorf("admin of another office: %q", got)
	}
	if got := group(nipHead, "/grup NOPE"); !strings.Contains(got, "tidak dikenal") {
		t.Errorf("unknown office: %q", got)
	}
	if got := group(nipHead, "/grup diskominfo"); !strings.Contains(got, "terhubung dengan DISKOMINFO") {
		t.Errorf("admin linking: %q", got)
	}
	if got := onlyReply(t, f.say(nipHead, "/grup DISKOMINFO"), nipHead); !strings.Contains(got, "di grup") {
		t.Errorf("/grup in private: %q", got)
	}
}

func TestPoliteRepliesToBadInput(t *testing.T) {
	f := newFixture(t, "id")
	tests := []struct{ in, want string }{
		{"hadr", "Maksud Anda /hadir?"},
		{"/laporan", "Tulis laporan setelah perintahnya"},
		{"apa kabar?", "tidak dimengerti"},
		{"/xyz", "tidak dikenal"},
		{strings.Repeat("hadir ", 5000), "terlalu panjang"},
		{"<script>alert(1)</script>", "tidak dimengerti"},
		{"'; DROP TABLE staff; --", "tidak dimengerti"},
	}
	for _, tt := range tests {
		out := f.say(nipSari, tt.in)
		if len(out) == 0 || !strings.Contains(out[0].Text, tt.want) {
			t.Errorf("%.30q: replies %+v, want first containing %q", tt.in, out, tt.want)
		}
	}
	if all, _ := f.st.ActiveStaff(context.Background()); len(all) != 4 {
		t.Errorf("staff after hostile input = %d, want 4", len(all))
	}
}

func TestGroupChatterIgnored(t *testing.T) {
	f := newFixture(t, "id")
	out := f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "-9:1", SenderID: "1", ChatID: "-9", Group: true, Text: "selamat pagi"})
	if len(out) != 0 {
		t.Errorf("group chatter answered: %+v", out)
	}
}

func TestEnglish(t *testing.T) {
	f := newFixture(t, "en")
	text := onlyReply(t, f.say(nipSari, "hadir kantor"), nipSari)
	if !strings.Contains(text, "Attendance of Ni Made Sari recorded: Wednesday, 18 March 2020 at 07:30 WITA") {
		t.Errorf("English reply %q", text)
	}
}

func TestStatusAndReport(t *testing.T) {
	f := newFixture(t, "id")
	if got := onlyReply(t, f.say(nipSari, "/status"), nipSari); !strings.Contains(got, "belum absen") {
		t.Errorf("status before check-in: %q", got)
	}
	f.say(nipSari, "hadir")
	if got := onlyReply(t, f.say(nipSari, "/laporan menyusun draf SPJ"), nipSari); !strings.Contains(got, "bagian ke-1") {
		t.Errorf("report: %q", got)
	}
	f.say(nipSari, "/laporan rapat zoom selesai")
	if got := onlyReply(t, f.say(nipSari, "/status"), nipSari); !strings.Contains(got, "Laporan kerja: 2 bagian") {
		t.Errorf("status: %q", got)
	}
}

func TestWarnAdminsSkipsTheFailedPlatform(t *testing.T) {
	f := newFixture(t, "id")
	// The admin is linked on WhatsApp and Telegram; WhatsApp just failed.
	f.deliver(bot.Inbound{Platform: bot.WhatsApp, MessageID: "W9", SenderID: "6281234500001", SenderPhone: "+6281234500001",
		ChatID: "6281234500001@s.whatsapp.net", Text: "/status"})
	f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "55:1", SenderID: "55", ChatID: "55", Contact: &bot.Contact{Phone: "+6281234500001", UserID: "55"}})
	before := len(f.pending())
	for range 2 { // a second logout event with the same key queues nothing
		if err := f.svc.WarnAdmins(context.Background(), "WA putus", "wa-out:1", bot.WhatsApp); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]bool{}
	for _, p := range f.pending()[before:] {
		if p.Text != "WA putus" {
			t.Errorf("unexpected message %+v", p)
		}
		got[p.Platform+" "+p.ChatID] = true
	}
	want := map[string]bool{"telegram 55": true, "console " + nipHead: true}
	if len(got) != len(want) || !got["telegram 55"] || !got["console "+nipHead] {
		t.Errorf("warned %v, want %v (the admin on Telegram and console, not WhatsApp; nobody else)", got, want)
	}
}

// A supervisor may acknowledge an alert by replying "ok" to it, where the
// platform has replies.
func TestReplyOkAcknowledgesAlert(t *testing.T) {
	f := newFixture(t, "id")
	ctx := context.Background()
	f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "66:1", SenderID: "66", ChatID: "66", Contact: &bot.Contact{Phone: "+6281234500002", UserID: "66"}})
	f.say(nipSari, "/keluar ke apotek 30 menit")
	var alert store.Pending
	for _, p := range f.pending() {
		if p.Platform == "telegram" && p.ChatID == "66" && strings.Contains(p.Text, "Ni Made Sari") {
			alert = p
		}
	}
	if alert.ID == 0 {
		t.Fatal("no Telegram alert to the supervisor")
	}
	if err := f.st.MarkSent(ctx, alert.ID, "66:900", time.Now()); err != nil {
		t.Fatal(err)
	}
	// "ok" as a reply to some other message means nothing.
	out := f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "66:2", SenderID: "66", ChatID: "66", Text: "ok", ReplyTo: "66:1"})
	if len(out) != 1 || !strings.Contains(out[0].Text, "tidak dimengerti") {
		t.Errorf("ok replying to a non-alert: %+v", out)
	}
	out = f.deliver(bot.Inbound{Platform: bot.Telegram, MessageID: "66:3", SenderID: "66", ChatID: "66", Text: "Siap!", ReplyTo: "66:900"})
	var toSari, toBoss bool
	for _, p := range out {
		toSari = toSari || p.ChatID == nipSari && strings.Contains(p.Text, "sudah diterima oleh I Made Agus Wiryawan")
		toBoss = toBoss || p.ChatID == "66" && strings.Contains(p.Text, "sudah Anda terima")
	}
	if !toSari || !toBoss {
		t.Errorf("reply 'Siap!' to the alert: replies %+v; want the reporter told and the supervisor confirmed", out)
	}
}
