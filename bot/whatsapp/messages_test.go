package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/bot"
)

// A LID sender the LID store does not know is found in the group's
// participant list when addressing the bot; the mapping is remembered, so
// the next message resolves without asking again.
func TestGroupParticipantsResolveLID(t *testing.T) {
	otherPN := types.NewJID("6281299990000", types.DefaultUserServer)
	groups := &fakeGroups{info: map[types.JID]*types.GroupInfo{groupJID: {
		JID: groupJID,
		Participants: []types.GroupParticipant{
			{JID: userLID, LID: userLID, PhoneNumber: userPN},
			{JID: otherLID, LID: otherLID, PhoneNumber: otherPN},
		},
	}}}
	lids := fakeLIDs{m: map[string]types.JID{}}
	env := newTestAdapter(t, func(o *Options) { o.Groups, o.LIDs = groups, lids })
	ctx := context.Background()

	// Chatter is not worth a look-up.
	in, ok := env.a.toInbound(ctx, message(groupJID, otherLID, text("pagi semua")))
	if !ok || in.SenderID != "555555555555555@lid" || groups.calls != 0 {
		t.Fatalf("chatter: %+v, %d look-ups; want the LID and none", in, groups.calls)
	}
	for i, want := range []int{1, 1} {
		in, ok := env.a.toInbound(ctx, message(groupJID, otherLID, text("/hadir")))
		if !ok || in.SenderID != "6281299990000" || in.SenderPhone != "+6281299990000" {
			t.Fatalf("message %d: %+v, want the phone number", i, in)
		}
		if groups.calls != want {
			t.Errorf("message %d: %d group look-ups, want %d", i, groups.calls, want)
		}
	}
	// The same person in a private chat now resolves too: one ID per person.
	in, _ = env.a.toInbound(ctx, message(otherLID, otherLID, text("hadir")))
	if in.SenderID != "6281299990000" {
		t.Errorf("private message after the group: SenderID %q, want the phone number", in.SenderID)
	}

	// Not a member (left the group): stays a LID, never fails the message.
	stranger := types.NewJID("777777777777777", types.HiddenUserServer)
	in, ok = env.a.toInbound(ctx, message(groupJID, stranger, text("/hadir")))
	if !ok || in.SenderID != "777777777777777@lid" || in.SenderChat != "777777777777777@lid" {
		t.Errorf("stranger: %+v", in)
	}
	if groups.calls != 1 {
		t.Errorf("%d group look-ups, want the cached one", groups.calls)
	}
	env.clock.Advance(groupInfoTTL)
	groups.err = errBoom
	if in, ok = env.a.toInbound(ctx, message(groupJID, stranger, text("/hadir"))); !ok || in.SenderID != "777777777777777@lid" {
		t.Errorf("look-up failing: %+v %v", in, ok)
	}
	if groups.calls != 2 {
		t.Errorf("%d group look-ups, want a second one after %v", groups.calls, groupInfoTTL)
	}
}

// undeliverables records Options.Undeliverable calls.
type undeliverables struct {
	mu  sync.Mutex
	got []string
}

func (u *undeliverables) record(chat string, group bool, why string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.got = append(u.got, fmt.Sprintf("%s group=%v %s", chat, group, why))
}

func (u *undeliverables) all() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.got)
}

func TestSendErrorsClassified(t *testing.T) {
	const (
		permanent = "permanent"
		retryAt   = "retry-after"
		plain     = "retry"
	)
	group, person := groupJID.String(), userPN.String()
	tests := []struct {
		name, chat string
		err        error
		want       string
		why        string // Undeliverable's why; "" not called
	}{
		{"bot left the group", group, fmt.Errorf("failed to get group members: %w", fakeIQ(whatsmeow.ErrNotInGroup, 403)), permanent, bot.WhyNotInGroup},
		{"group deleted", group, fmt.Errorf("failed to get group members: %w", fakeIQ(whatsmeow.ErrGroupNotFound, 404)), permanent, bot.WhyGroupNotFound},
		{"number not on WhatsApp", person, fmt.Errorf("no LID found for %s from server", userPN), permanent, bot.WhyNotOnPlatform},
		{"server 403 to a group", group, fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 403), permanent, bot.WhyNotInGroup},
		{"server 404 to a person", person, fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 404), permanent, bot.WhyNotOnPlatform},
		{"server 406", person, fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 406), permanent, bot.WhyRefused},
		{"IQ forbidden to a person", person, fmt.Errorf("failed to get user info: %w", whatsmeow.ErrIQForbidden), permanent, bot.WhyRefused},
		{"unknown server", person, whatsmeow.ErrUnknownServer, permanent, ""},
		{"rate limited", person, fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 429), retryAt, ""},
		{"IQ rate limited", group, fmt.Errorf("failed to get group members: %w", whatsmeow.ErrIQRateOverLimit), retryAt, ""},
		{"new-chat limit (463)", person, fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 463), plain, ""},
		{"server 500", person, fmt.Errorf("%w %d", whatsmeow.ErrServerReturnedError, 500), plain, ""},
		{"IQ 503", group, fmt.Errorf("x: %w", whatsmeow.ErrIQServiceUnavailable), plain, ""},
		{"timeout", person, whatsmeow.ErrMessageTimedOut, plain, ""},
		{"odd server text", person, fmt.Errorf("%w abc", whatsmeow.ErrServerReturnedError), plain, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := &undeliverables{}
			env := newTestAdapter(t, func(o *Options) { o.Undeliverable = u.record })
			env.client.sendErr = tt.err
			_, err := env.a.Send(context.Background(), bot.Outbound{ChatID: tt.chat, Text: "x"})
			var ra *bot.RetryAfterError
			got := plain
			switch {
			case errors.Is(err, bot.ErrPermanent):
				got = permanent
			case errors.As(err, &ra):
				got = retryAt
				if !ra.Global || ra.After < rateLimitWait {
					t.Errorf("retry-after %+v, want global, at least %v", ra, rateLimitWait)
				}
			}
			if err == nil || got != tt.want {
				t.Fatalf("Send error %v classified %s, want %s", err, got, tt.want)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("error %v does not wrap the cause", err)
			}
			var want []string
			if tt.why != "" {
				want = []string{fmt.Sprintf("%s group=%v %s", tt.chat, tt.chat == group, tt.why)}
			}
			if got := u.all(); !slices.Equal(got, want) {
				t.Errorf("Undeliverable calls %q, want %q", got, want)
			}
		})
	}
}

// fakeIQ is an error as whatsmeow's group calls return it: a human error
// wrapping the info query's.
func fakeIQ(human error, code int) error {
	return &iqWrapped{human: human, iq: &whatsmeow.IQError{Code: code}}
}

type iqWrapped struct{ human, iq error }

func (e *iqWrapped) Error() string        { return e.human.Error() }
func (e *iqWrapped) Is(target error) bool { return errors.Is(e.human, target) }
func (e *iqWrapped) Unwrap() error        { return e.iq }

func TestSendMentions(t *testing.T) {
	p1 := types.NewJID("6281211110001", types.DefaultUserServer)
	l1 := types.NewJID("111100000000001", types.HiddenUserServer)
	p2 := types.NewJID("6281211110002", types.DefaultUserServer)
	lidGroup := types.NewJID("120363000000000002", types.GroupServer)
	groups := &fakeGroups{info: map[types.JID]*types.GroupInfo{
		groupJID: {JID: groupJID, Participants: []types.GroupParticipant{{JID: p1, PhoneNumber: p1, LID: l1}}},
		lidGroup: {JID: lidGroup, AddressingMode: types.AddressingModeLID,
			Participants: []types.GroupParticipant{{JID: l1, PhoneNumber: p1, LID: l1}}},
	}}
	// p2's LID is known only to the LID store.
	lids := fakeLIDs{m: map[string]types.JID{"222200000000002": p2}}
	tests := []struct {
		name     string
		chat     types.JID
		mentions []string
		want     []string // MentionedJID; nil: a plain message
		tags     string   // the line added to the text
	}{
		{"phone-number group", groupJID, []string{p1.User, p2.User}, []string{p1.String(), p2.String()}, "@6281211110001 @6281211110002"},
		{"LID group", lidGroup, []string{p1.User, p2.User, p1.User}, []string{l1.String(), "222200000000002@lid"}, "@111100000000001 @222200000000002"},
		{"unresolved LID identity", groupJID, []string{"333300000000003@lid", "garbage", "+0812"}, []string{"333300000000003@lid"}, "@333300000000003"},
		{"nothing parses", groupJID, []string{"garbage"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestAdapter(t, func(o *Options) { o.Groups, o.LIDs = groups, lids })
			if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: tt.chat.String(), Group: true, Text: "Piket hari ini", Mentions: tt.mentions}); err != nil {
				t.Fatal(err)
			}
			msg := env.client.sentMessages()[0].msg
			if tt.want == nil {
				if msg.GetConversation() != "Piket hari ini" || msg.GetExtendedTextMessage() != nil {
					t.Errorf("sent %v, want the plain text", msg)
				}
				return
			}
			ext := msg.GetExtendedTextMessage()
			if got := ext.GetContextInfo().GetMentionedJID(); !slices.Equal(got, tt.want) {
				t.Errorf("MentionedJID %q, want %q", got, tt.want)
			}
			if want := "Piket hari ini\n\n" + tt.tags; ext.GetText() != want {
				t.Errorf("text %q, want %q", ext.GetText(), want)
			}
		})
	}

	// A tag already in the text is not repeated.
	env := newTestAdapter(t, nil)
	if _, err := env.a.Send(context.Background(), bot.Outbound{ChatID: groupJID.String(), Text: "Piket: @6281211110001", Mentions: []string{p1.User}}); err != nil {
		t.Fatal(err)
	}
	if got := env.client.sentMessages()[0].text; strings.Count(got, "@6281211110001") != 1 {
		t.Errorf("text %q repeats the tag", got)
	}
}

// FuzzServerCode: the code read from a server's error text never panics,
// and is the number whatsmeow wrote.
func FuzzServerCode(f *testing.F) {
	for _, s := range []string{"429", "500", "", "abc", "4041", " 403", "99999999999999999999", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code := serverCode(fmt.Errorf("%w %s", whatsmeow.ErrServerReturnedError, s))
		if n, err := strconv.Atoi(s); err == nil && n >= 0 && s[0] != '+' {
			if code != n {
				t.Fatalf("serverCode(%q) = %d", s, code)
			}
		}
		_ = serverCode(errors.New(s))
	})
}

func TestAckReaction(t *testing.T) {
	for emoji, want := range map[string]bool{
		"👍": true, "👍🏻": true, "👍🏿": true, "🙏": true, "🙏🏽": true, "✅": true, "👌": true, "👌🏼": true, "👍\ufe0f": true, " 👍 ": true,
		"": false, "❤️": false, "😂": false, "👎": false, "👍👍": false, "ok": false, "🏽": false,
	} {
		if got := ackReaction(emoji); got != want {
			t.Errorf("ackReaction(%q) = %v, want %v", emoji, got, want)
		}
	}
}
