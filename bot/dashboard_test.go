package bot_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

var linkRE = regexp.MustCompile(`https://piket\.example\.go\.id/masuk\?t=([A-Za-z0-9_-]{43})`)

// TestDashboardLink: /dasbor gives supervisors and admins a one-time link
// in a private chat; staff are refused, a group gets no link, and a
// Piket without the dashboard says so.
func TestDashboardLink(t *testing.T) {
	f := newFixture(t, "id")
	f.svc = bot.New(bot.Options{Store: f.st, Texts: bot.TextsFor("id"), Clock: f.clock.Now,
		Implicit: []bot.Addresser{consoleAddr{}}, DashboardURL: "https://piket.example.go.id/"})
	ctx := context.Background()
	for _, tt := range []struct {
		name, nip, text string
		group           bool
		link            bool
		outcome         string
	}{
		{"admin", nipHead, "/dasbor", false, true, "ok"},
		{"supervisor", nipKabid, "/dashboard", false, true, "ok"},
		{"supervisor without slash", nipKabid, "dasbor", false, true, "ok"},
		{"staff", nipSari, "/dasbor", false, false, "denied"},
		{"admin in a group", nipHead, "/dasbor", true, false, "rejected"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f.seq++
			id := "dash-" + tt.name
			m := bot.Inbound{Platform: bot.Console, MessageID: id, SenderID: tt.nip, ChatID: tt.nip, Text: tt.text, Time: f.clock.Now(), Addressed: true}
			if tt.group {
				m.ChatID, m.Group = "grup:DISKOMINFO", true
			}
			out := f.deliver(m)
			text := onlyReply(t, out, m.ChatID)
			got := linkRE.FindStringSubmatch(text)
			if (got != nil) != tt.link {
				t.Fatalf("reply %q: link %v, want %v", text, got != nil, tt.link)
			}
			if o := f.outcomeOf(id); o != tt.outcome {
				t.Errorf("outcome %q, want %q", o, tt.outcome)
			}
			if got == nil {
				return
			}
			// The link is bound to the sender and works once.
			who, err := f.st.StaffByNIP(ctx, tt.nip)
			if err != nil {
				t.Fatal(err)
			}
			sess := bot.NewWebToken()
			id2, err := f.st.RedeemWebToken(ctx, store.TokenHash(got[1]), store.TokenHash(sess), "csrf", f.clock.Now(), f.clock.Now().Add(time.Hour))
			if err != nil || id2 != who.ID {
				t.Fatalf("redeem: staff %d, %v; want %d", id2, err, who.ID)
			}
			if _, err := f.st.RedeemWebToken(ctx, store.TokenHash(got[1]), store.TokenHash(bot.NewWebToken()), "csrf", f.clock.Now(), f.clock.Now().Add(time.Hour)); err != store.ErrTokenUsed {
				t.Errorf("second redeem: %v, want ErrTokenUsed", err)
			}
		})
	}
	// No base URL: the dashboard is off.
	f.svc = bot.New(bot.Options{Store: f.st, Texts: bot.TextsFor("en"), Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}}})
	text := onlyReply(t, f.say(nipHead, "/dashboard"), nipHead)
	if !strings.Contains(text, "not enabled") {
		t.Errorf("dashboard off: %q", text)
	}
}

// TestDashboardChatterIgnored: "dashboard" in a sentence is not the command.
func TestDashboardChatterIgnored(t *testing.T) {
	if k := bot.Parse("dashboard nya error pak").Kind; k == bot.KindDashboard {
		t.Errorf("chatter parsed as /dasbor")
	}
	if k := bot.Parse("/dasbor").Kind; k != bot.KindDashboard {
		t.Errorf("/dasbor parsed as %v", k)
	}
}
