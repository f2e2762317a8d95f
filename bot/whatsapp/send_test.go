package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/piket-id/piket/bot"
)

func TestSend(t *testing.T) {
	tests := []struct {
		chat string
		want types.JID
	}{
		{"6281234567890@s.whatsapp.net", userPN},
		{"+6281234567890", userPN},
		{"6281234567890:3@s.whatsapp.net", userPN},
		{"120363000000000001@g.us", groupJID},
		{"123456789012345@lid", userLID},
	}
	for _, tt := range tests {
		t.Run(tt.chat, func(t *testing.T) {
			env := newTestAdapter(t, nil)
			id, err := env.a.Send(context.Background(), bot.Outbound{ID: 1, Platform: bot.WhatsApp, ChatID: tt.chat, Text: "Selamat pagi"})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if id != "3EB0A" {
				t.Errorf("id = %q, want %q", id, "3EB0A")
			}
			got := env.client.sentMessages()
			if len(got) != 1 || got[0].to != tt.want || got[0].text != "Selamat pagi" {
				t.Errorf("sent %+v, want one message to %s", got, tt.want)
			}
			if len(env.client.presence) != 0 {
				t.Error("typing shown although Typing is off")
			}
		})
	}
}

func TestSendInvalidChatIsPermanent(t *testing.T) {
	for _, chat := range []string{"", "  ", "abc", "+0812", "081234567890", "x@newsletter", "status@broadcast",
		"123@s.whatsapp.net", "abc@s.whatsapp.net", "@g.us", "a@b@c", "6281234567890@c.us"} {
		t.Run(chat, func(t *testing.T) {
			env := newTestAdapter(t, nil)
			_, err := env.a.Send(context.Background(), bot.Outbound{ChatID: chat, Text: "x"})
			if !errors.Is(err, bot.ErrPermanent) {
				t.Fatalf("Send(%q) = %v, want ErrPermanent", chat, err)
			}
			if len(env.client.sentMessages()) != 0 {
				t.Error("sent anyway")
			}
		})
	}
}

func TestSendNotConnectedIsRetryable(t *testing.T) {
	env := newTestAdapter(t, nil)
	env.client.connected = false
	_, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: "x"})
	checkRetryable(t, err)
	if len(env.client.sentMessages()) != 0 {
		t.Error("sent while disconnected")
	}
}

func checkRetryable(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrNotConnected) {
		t.Errorf("err = %v, want ErrNotConnected", err)
	}
	if errors.Is(err, bot.ErrPermanent) {
		t.Errorf("err = %v is permanent", err)
	}
	var ra *bot.RetryAfterError
	if !errors.As(err, &ra) || !ra.Global || ra.After <= 0 {
		t.Errorf("err = %v, want a global *bot.RetryAfterError", err)
	}
}

func TestSendErrors(t *testing.T) {
	env := newTestAdapter(t, nil)
	send := func(sendErr error) error {
		env.client.sendErr = sendErr
		_, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: "x"})
		return err
	}
	checkRetryable(t, send(whatsmeow.ErrNotConnected))
	checkRetryable(t, send(fmt.Errorf("wrapped: %w", whatsmeow.ErrNotLoggedIn)))
	if err := send(whatsmeow.ErrUnknownServer); !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("unknown server: %v, want permanent", err)
	}
	err := send(whatsmeow.ErrMessageTimedOut)
	if !errors.Is(err, whatsmeow.ErrMessageTimedOut) || errors.Is(err, bot.ErrPermanent) || errors.Is(err, ErrNotConnected) {
		t.Errorf("timeout: %v, want a plain retryable error", err)
	}
}

func TestSendTyping(t *testing.T) {
	env := newTestAdapter(t, func(o *Options) { o.Typing = true })
	if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: "Selamat pagi"}); err != nil {
		t.Fatal(err)
	}
	if want := []types.ChatPresence{types.ChatPresenceComposing}; !slices.Equal(env.client.presence, want) {
		t.Errorf("presence %v, want %v", env.client.presence, want)
	}
	if want := []time.Duration{500 * time.Millisecond}; !slices.Equal(env.clock.sleeps, want) {
		t.Errorf("slept %v, want %v (typing pause)", env.clock.sleeps, want)
	}
}

func TestSendCancelledWhilePacing(t *testing.T) {
	env := newTestAdapter(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := env.a.Send(ctx, bot.Outbound{ChatID: userPN.String(), Text: "1"}); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := env.a.Send(ctx, bot.Outbound{ChatID: userPN.String(), Text: "2"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	if n := len(env.client.sentMessages()); n != 1 {
		t.Errorf("sent %d messages, want 1", n)
	}
}

func TestPacingSameChat(t *testing.T) {
	pacing := Pacing{PerChat: 1500 * time.Millisecond, Global: 200 * time.Millisecond, Jitter: 300 * time.Millisecond}
	env := newTestAdapter(t, func(o *Options) { o.Pacing = pacing })
	for _, text := range []string{"1", "2", "3"} {
		if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	got := env.client.sentMessages()
	for i := 1; i < len(got); i++ {
		gap := got[i].at.Sub(got[i-1].at)
		if gap < pacing.PerChat || gap >= pacing.PerChat+pacing.Jitter {
			t.Errorf("gap %d = %v, want in [%v, %v)", i, gap, pacing.PerChat, pacing.PerChat+pacing.Jitter)
		}
	}
}

func TestPacingAcrossChats(t *testing.T) {
	pacing := Pacing{PerChat: 5 * time.Second, Global: time.Second, Jitter: -1}
	env := newTestAdapter(t, func(o *Options) { o.Pacing = pacing })
	for _, chat := range []string{userPN.String(), groupJID.String(), userLID.String(), userPN.String()} {
		if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: chat, Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	got := env.client.sentMessages()
	var at []time.Duration
	for _, s := range got {
		at = append(at, s.at.Sub(t0))
	}
	// Three different chats one global interval apart; the fourth goes
	// back to the first chat and waits out its 5s.
	want := []time.Duration{0, time.Second, 2 * time.Second, 5 * time.Second}
	if !slices.Equal(at, want) {
		t.Errorf("send times %v, want %v", at, want)
	}
}

func TestPacingIdleNoWait(t *testing.T) {
	env := newTestAdapter(t, nil)
	send := func() {
		if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	send()
	env.clock.Advance(time.Minute)
	send()
	if len(env.clock.sleeps) != 0 {
		t.Errorf("slept %v after an idle minute", env.clock.sleeps)
	}
}

func TestPacingDisabled(t *testing.T) {
	env := newTestAdapter(t, func(o *Options) { o.Pacing = Pacing{PerChat: -1, Global: -1, Jitter: -1} })
	for range 5 {
		if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	if len(env.clock.sleeps) != 0 {
		t.Errorf("slept %v with pacing disabled", env.clock.sleeps)
	}
}

func TestPacingDefaults(t *testing.T) {
	got := Pacing{}.withDefaults()
	want := Pacing{PerChat: DefaultPerChat, Global: DefaultGlobal, Jitter: DefaultJitter}
	if got != want {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
}

type slotKey struct{}

// TestPacerConcurrent reserves slots from many goroutines at one instant:
// the slots must be at least Global apart, and a chat's at least PerChat.
func TestPacerConcurrent(t *testing.T) {
	const global, perChat = time.Second, 3 * time.Second
	p := newPacer(Pacing{PerChat: perChat, Global: global, Jitter: 100 * time.Millisecond},
		func() time.Time { return t0 },
		func(ctx context.Context, d time.Duration) error {
			*ctx.Value(slotKey{}).(*time.Duration) = d // each caller learns its slot
			return nil
		})
	var (
		mu    sync.Mutex
		slots = map[string][]time.Time{}
		all   []time.Time
		wg    sync.WaitGroup
	)
	for i := range 40 {
		chat := fmt.Sprintf("chat%d", i%4)
		wg.Go(func() {
			var d time.Duration
			if err := p.wait(context.WithValue(context.Background(), slotKey{}, &d), chat); err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			slots[chat] = append(slots[chat], t0.Add(d))
			all = append(all, t0.Add(d))
		})
	}
	wg.Wait()
	check := func(name string, ts []time.Time, min time.Duration) {
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		for i := 1; i < len(ts); i++ {
			if gap := ts[i].Sub(ts[i-1]); gap < min {
				t.Errorf("%s: slots %d and %d only %v apart, want ≥ %v", name, i-1, i, gap, min)
			}
		}
	}
	check("all", all, global)
	for chat, ts := range slots {
		check(chat, ts, perChat)
	}
}

func TestPacerPrunes(t *testing.T) {
	clock := newFakeClock()
	p := newPacer(Pacing{}, clock.Now, clock.Sleep)
	for i := range pruneAt + 10 {
		clock.Advance(time.Hour)
		if err := p.wait(context.Background(), fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(p.chats); n > pruneAt {
		t.Errorf("%d chats remembered, want ≤ %d", n, pruneAt)
	}
}

func TestSendEmptyTextIsPermanent(t *testing.T) {
	env := newTestAdapter(t, nil)
	if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: " "}); !errors.Is(err, bot.ErrPermanent) {
		t.Fatalf("Send = %v, want ErrPermanent", err)
	}
}

func TestSendLoggedOutWaitsLonger(t *testing.T) {
	env := newTestAdapter(t, nil)
	env.client.connected = false
	env.a.handleEvent(&events.LoggedOut{})
	_, err := env.a.Send(context.Background(), bot.Outbound{ChatID: userPN.String(), Text: "x"})
	checkRetryable(t, err)
	var ra *bot.RetryAfterError
	if errors.As(err, &ra) && ra.After != operatorWait {
		t.Errorf("RetryAfter %v, want %v while logged out", ra.After, operatorWait)
	}
}

// With a salt, an outbox message has one WhatsApp message ID however often
// it is sent, distinct from other messages and from other databases.
func TestSendUsesStableOutboxID(t *testing.T) {
	env := newTestAdapter(t, func(o *Options) { o.IDSalt = "salt-a" })
	ctx := context.Background()
	first, err := env.a.Send(ctx, bot.Outbound{ID: 7, Platform: bot.WhatsApp, ChatID: "+6281234567890", Text: "pertama"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := env.a.Send(ctx, bot.Outbound{ID: 7, Platform: bot.WhatsApp, ChatID: "+6281234567890", Text: "pertama"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := env.a.Send(ctx, bot.Outbound{ID: 8, Platform: bot.WhatsApp, ChatID: "+6281234567890", Text: "kedua"})
	if first != again || first == other || first != string(OutboxMessageID("salt-a", 7)) {
		t.Errorf("IDs: first %q, resend %q, next %q", first, again, other)
	}
	if OutboxMessageID("salt-a", 7) == OutboxMessageID("salt-b", 7) {
		t.Error("two databases give outbox message 7 the same WhatsApp ID")
	}
	// Like the client's own IDs: the web prefix and 18 upper-case hex digits.
	if id := string(OutboxMessageID("salt-a", 7)); !regexp.MustCompile(`^` + whatsmeow.WebMessageIDPrefix + `[0-9A-F]{18}$`).MatchString(id) {
		t.Errorf("ID %q does not look like a WhatsApp web message ID", id)
	}
}
