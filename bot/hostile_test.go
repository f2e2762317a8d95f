package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/clock"
)

// hostile is a corpus of bad messages. Each must be answered safely: no
// panic, no error (which would make the adapter redeliver forever), at most
// a polite reply in a private chat, nothing in a group unless addressed,
// and nothing stored but the audit row (and, for the check-in shaped
// ones, the sender's own attendance).
var hostile = []struct {
	name string
	text string
}{
	{"empty", ""},
	{"spaces", " \t\n "},
	{"100 KB", strings.Repeat("hadir wfh ", 10240)},
	{"100 KB one word", strings.Repeat("a", 100<<10)},
	{"invalid UTF-8", "hadir \xff\xfe\xfd wfh"},
	{"lone continuation bytes", "\x80\x81\x82"},
	{"NUL bytes", "hadir\x00wfh\x00"},
	{"RTL override", "\u202ehadir wfh\u202c"},
	{"zero-width", "ha\u200bdir\u200d w\u200cfh\ufeff"},
	{"bidi isolate", "\u2066/status\u2069"},
	{"SQL", "hadir wfh'); DROP TABLE attendance; --"},
	{"SQL in report", "/laporan ' OR 1=1; DELETE FROM staff; --"},
	{"HTML", "<script>alert(1)</script><b>hadir</b>"},
	{"HTML in report", "/laporan <a href=\"javascript:alert(1)\">x</a>"},
	{"Markdown", "/laporan *bold _italic [link](http://x) `code ```pre"},
	{"MarkdownV2 specials", "/laporan _*[]()~`>#+-=|{}.!\\"},
	{"command spam", strings.Repeat("/hadir ", 2000)},
	{"unknown command", "/rm -rf /"},
	{"command with bot name", "/status@some_other_bot"},
	{"forwarded-looking", "Forwarded from Ni Made Sari:\nhadir wfh sehat"},
	{"emoji only", "👍🏽🙏"},
	{"format string", "/laporan %s %d %v %n %!"},
	{"newlines", strings.Repeat("\n", 5000) + "hadir"},
	{"huge number ack", "/ok 99999999999999999999999999"},
	{"negative ack", "/ok -1"},
	{"swap garbage", "/tukar 9999-99-99 ' OR 1=1"},
	{"recap date garbage", "/rekap 2020-13-45"},
	{"group link injection", "/grup DISKOMINFO'; --"},
}

func TestHostileInput(t *testing.T) {
	for _, group := range []bool{false, true} {
		for i, h := range hostile {
			name := h.name
			if group {
				name += " (group)"
			}
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, "id")
				chat := nipSari
				if group {
					chat = "grup:DISKOMINFO"
				}
				id := fmt.Sprint("h", i)
				out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: id, ChatID: chat, SenderID: nipSari,
					Group: group, Addressed: true, Text: h.text, Time: f.clock.Now()})
				if len(out) > 2 {
					t.Errorf("%d replies", len(out))
				}
				for _, o := range out {
					if !utf8.ValidString(o.Text) || strings.TrimSpace(o.Text) == "" {
						t.Errorf("reply is empty or invalid UTF-8: %q", o.Text)
					}
					if len(o.Text) > 8*bot.MaxText {
						t.Errorf("reply of %d bytes", len(o.Text))
					}
					// A check-in in a group: its details go privately.
					if o.ChatID != chat && (!group || o.ChatID != nipSari || o.Group) {
						t.Errorf("reply to %q, want %q", o.ChatID, chat)
					}
				}
				if o := f.outcomeOf(id); o == bot.OutcomeError {
					t.Errorf("outcome %q", o)
				}
				var text string
				if err := f.st.DB().QueryRow(`SELECT coalesce(text, '') FROM inbound WHERE message_id = ?`, id).Scan(&text); err != nil {
					t.Fatal(err)
				}
				if !utf8.ValidString(text) || len(text) > bot.MaxText || strings.ContainsAny(text, "\x00\u202e\u200b") {
					t.Errorf("stored text not cleaned: %d bytes, valid UTF-8 %v", len(text), utf8.ValidString(text))
				}
				if n := f.count(`SELECT count(*) FROM staff`); n != 4 {
					t.Errorf("staff rows = %d, want 4", n)
				}
				if n := f.count(`SELECT count(*) FROM office_chats`) + f.count(`SELECT count(*) FROM identities`); n != 0 {
					t.Errorf("%d links stored", n)
				}
				if n := f.count(`SELECT count(*) FROM attendance WHERE staff_id NOT IN (SELECT id FROM staff WHERE nip = '` + nipSari + `')`); n != 0 {
					t.Errorf("attendance stored for someone else")
				}
			})
		}
	}
}

// An edit (the same platform message delivered again with new text) is a
// duplicate delivery: stored and answered once.
func TestEditIsNotAnotherMessage(t *testing.T) {
	f := newFixture(t, "id")
	m := bot.Inbound{Platform: bot.Console, MessageID: "edit-1", ChatID: nipSari, SenderID: nipSari, Addressed: true, Text: "hadir wfh", Time: f.clock.Now()}
	if out := f.deliver(m); len(out) != 1 {
		t.Fatalf("%d replies", len(out))
	}
	m.Text = "sakit"
	if out := f.deliver(m); len(out) != 0 {
		t.Errorf("edit answered %d times", len(out))
	}
	if a, ok := f.attendance(nipSari, "2020-03-18"); !ok || a.Status != "hadir" {
		t.Errorf("attendance after edit = %+v, %v", a, ok)
	}
}

func TestRateLimiter(t *testing.T) {
	c := clock.NewFrozen(time.Date(2020, 3, 18, 7, 0, 0, 0, time.UTC))
	l := bot.NewRateLimiter(20, 10, c.Now)
	for i := range 10 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("message %d of the burst refused", i+1)
		}
	}
	if ok, warn := l.Allow("a"); ok || !warn {
		t.Errorf("11th: allowed %v, warn %v; want refused with a warning", ok, warn)
	}
	if ok, warn := l.Allow("a"); ok || warn {
		t.Errorf("12th: allowed %v, warn %v; want refused silently", ok, warn)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("another sender was limited")
	}
	c.Advance(3 * time.Second) // 20/min: one token per 3 s
	if ok, _ := l.Allow("a"); !ok {
		t.Error("not allowed again after 3 s")
	}
	if ok, warn := l.Allow("a"); ok || !warn {
		t.Errorf("after refill and use: allowed %v, warn %v; want a new warning", ok, warn)
	}
}

// One account flooding the bot gets one polite reply, then silence; every
// message is still recorded, as rate_limited.
func TestFloodFromOneSender(t *testing.T) {
	f := newFixture(t, "id")
	svc := bot.New(bot.Options{
		Store: f.st, Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}},
		RateLimit: bot.NewRateLimiter(bot.DefaultRatePerMinute, bot.DefaultRateBurst, f.clock.Now),
	})
	f.svc = svc
	var replies []string
	for i := range 30 {
		out := f.deliver(bot.Inbound{Platform: bot.WhatsApp, MessageID: fmt.Sprint("flood-", i), ChatID: "6281234500003@s.whatsapp.net",
			SenderID: "6281234500003", SenderPhone: "+6281234500003", Addressed: true, Text: "/status", Time: f.clock.Now()})
		for _, o := range out {
			replies = append(replies, o.Text)
		}
	}
	if len(replies) != 11 {
		t.Fatalf("%d replies to 30 messages, want 10 answers and one warning", len(replies))
	}
	if !strings.Contains(replies[10], "Terlalu banyak pesan") {
		t.Errorf("warning = %q", replies[10])
	}
	if n := f.count(`SELECT count(*) FROM inbound WHERE outcome = 'rate_limited'`); n != 20 {
		t.Errorf("rate_limited rows = %d, want 20", n)
	}
	// Someone else is not affected.
	if out := f.say(nipKabid, "/status"); len(out) != 1 {
		t.Errorf("another sender got %d replies", len(out))
	}
}

// The console's operator picks who speaks and scripts whole days: the
// per-sender limit does not apply there.
func TestConsoleNotRateLimited(t *testing.T) {
	f := newFixture(t, "id")
	f.svc = bot.New(bot.Options{
		Store: f.st, Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}},
		RateLimit: bot.NewRateLimiter(bot.DefaultRatePerMinute, bot.DefaultRateBurst, f.clock.Now),
	})
	for i := range 30 {
		out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: fmt.Sprint("console-", i), ChatID: nipSari, SenderID: nipSari,
			Addressed: true, Text: "/status", Time: f.clock.Now()})
		if len(out) != 1 || strings.Contains(out[0].Text, "Terlalu banyak") {
			t.Fatalf("console message %d: replies %+v, want one normal answer", i, out)
		}
	}
}

// FuzzHandle feeds arbitrary text through Service.Handle, privately and in
// a group: it must never fail (a failure makes the adapter redeliver) and
// replies must be valid UTF-8.
func FuzzHandle(f *testing.F) {
	for _, h := range hostile {
		if len(h.text) < 1000 {
			f.Add(h.text, false)
		}
	}
	f.Add("hadir wfh sehat", true)
	fx := newFixture(&testing.T{}, "id")
	n := 0
	f.Fuzz(func(t *testing.T, text string, group bool) {
		fx.t = t
		n++
		chat := nipSari
		if group {
			chat = "grup:DISKOMINFO"
		}
		out := fx.deliver(bot.Inbound{Platform: bot.Console, MessageID: fmt.Sprint("fz", n, "-", time.Now().UnixNano()), ChatID: chat,
			SenderID: nipSari, Group: group, Addressed: true, Text: text, Time: fx.clock.Now()})
		for _, o := range out {
			if !utf8.ValidString(o.Text) {
				t.Errorf("reply not UTF-8: %q", o.Text)
			}
		}
	})
}
