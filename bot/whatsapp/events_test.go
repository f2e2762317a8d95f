package whatsapp

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/piket-id/piket/bot"
)

// message builds an incoming message event.
func message(chat, sender types.JID, msg *waE2E.Message, mods ...func(*events.Message)) *events.Message {
	evt := &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{
				Chat:    chat,
				Sender:  sender,
				IsGroup: chat.Server == types.GroupServer,
			},
			ID:        "3A0123456789ABCDEF",
			Timestamp: t0.In(time.FixedZone("WIB", 7*3600)),
		},
		Message: msg,
	}
	for _, m := range mods {
		m(evt)
	}
	return evt
}

func text(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }

func extended(s string, ci *waE2E.ContextInfo) *waE2E.Message {
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(s), ContextInfo: ci}}
}

func mentions(jids ...types.JID) *waE2E.ContextInfo {
	ci := &waE2E.ContextInfo{}
	for _, j := range jids {
		ci.MentionedJID = append(ci.MentionedJID, j.String())
	}
	return ci
}

func TestToInbound(t *testing.T) {
	private := bot.Inbound{
		Platform:    bot.WhatsApp,
		MessageID:   "3A0123456789ABCDEF",
		ChatID:      "6281234567890@s.whatsapp.net",
		SenderID:    "6281234567890",
		SenderPhone: "+6281234567890",
		Text:        "hadir",
		Time:        t0,
		Addressed:   true,
	}
	inGroup := private
	inGroup.ChatID = "120363000000000001@g.us"
	inGroup.Group = true
	inGroup.Addressed = false
	inGroup.SenderChat = "6281234567890@s.whatsapp.net"

	with := func(base bot.Inbound, f func(*bot.Inbound)) *bot.Inbound {
		f(&base)
		return &base
	}
	tests := []struct {
		name string
		evt  *events.Message
		want *bot.Inbound // nil: ignored
	}{
		{"private conversation", message(userPN, userPN, text("hadir")), &private},
		{"sender with device part", message(userPN, types.JID{User: userPN.User, Device: 12, Server: types.DefaultUserServer}, text("hadir")), &private},
		{"extended text reply", message(userPN, userPN, extended("hadir", &waE2E.ContextInfo{StanzaID: proto.String("3EB0QUOTED")})),
			with(private, func(in *bot.Inbound) { in.ReplyTo = "3EB0QUOTED" })},
		{"image caption", message(userPN, userPN, &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("hadir")}}), &private},
		{"video caption", message(userPN, userPN, &waE2E.Message{VideoMessage: &waE2E.VideoMessage{Caption: proto.String("hadir")}}), &private},
		{"document caption", message(userPN, userPN, &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{Caption: proto.String("hadir")}}), &private},
		{"group chatter", message(groupJID, userPN, text("hadir")), &inGroup},
		{"group command", message(groupJID, userPN, text("/hadir")),
			with(inGroup, func(in *bot.Inbound) { in.Text = "/hadir"; in.Addressed = true })},
		{"group image caption command", message(groupJID, userPN, &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String(" /hadir")}}),
			with(inGroup, func(in *bot.Inbound) { in.Text = " /hadir"; in.Addressed = true })},
		{"group mentions bot number", message(groupJID, userPN, extended("@6281100000001 hadir", mentions(userLID, botPN))),
			with(inGroup, func(in *bot.Inbound) { in.Text = "@6281100000001 hadir"; in.Addressed = true })},
		{"group mentions bot LID", message(groupJID, userLID, extended("@99990000000001 hadir", mentions(botLID)), senderAlt(userPN)),
			with(inGroup, func(in *bot.Inbound) {
				in.Text, in.Addressed, in.SenderChat = "@99990000000001 hadir", true, "123456789012345@lid"
			})},
		{"group mentions someone else", message(groupJID, userPN, extended("@555 hadir", mentions(otherLID))),
			with(inGroup, func(in *bot.Inbound) { in.Text = "@555 hadir" })},
		{"group reply to the bot", message(groupJID, userPN, extended("hadir", &waE2E.ContextInfo{StanzaID: proto.String("3EB0ROSTER"), Participant: proto.String(botPN.String())})),
			with(inGroup, func(in *bot.Inbound) { in.ReplyTo = "3EB0ROSTER"; in.Addressed = true })},
		{"LID sender with SenderAlt", message(userLID, userLID, text("hadir"), senderAlt(userPN)),
			with(private, func(in *bot.Inbound) { in.ChatID = "123456789012345@lid" })},
		{"LID sender via LID store", message(userLID, userLID, text("hadir")),
			with(private, func(in *bot.Inbound) { in.ChatID = "123456789012345@lid" })},
		{"unresolvable LID", message(otherLID, otherLID, text("hadir")),
			with(private, func(in *bot.Inbound) {
				in.ChatID, in.SenderID, in.SenderPhone = "555555555555555@lid", "555555555555555@lid", ""
			})},
		{"LID in group, unresolvable", message(groupJID, otherLID, text("/hadir")),
			with(inGroup, func(in *bot.Inbound) {
				in.SenderID, in.SenderPhone, in.Text, in.Addressed = "555555555555555@lid", "", "/hadir", true
				in.SenderChat = "555555555555555@lid"
			})},
		{"thumbs-up reaction", message(userPN, userPN, reaction("👍", "3EB0ALERT")),
			with(private, func(in *bot.Inbound) { in.Text, in.ReplyTo = "ok", "3EB0ALERT" })},
		{"thumbs-up with skin tone", message(userPN, userPN, reaction("👍🏽", "3EB0ALERT")),
			with(private, func(in *bot.Inbound) { in.Text, in.ReplyTo = "ok", "3EB0ALERT" })},
		{"folded hands reaction", message(userPN, userPN, reaction("🙏🏻", "3EB0ALERT")),
			with(private, func(in *bot.Inbound) { in.Text, in.ReplyTo = "ok", "3EB0ALERT" })},
		{"check mark reaction", message(userPN, userPN, reaction("✅", "3EB0ALERT")),
			with(private, func(in *bot.Inbound) { in.Text, in.ReplyTo = "ok", "3EB0ALERT" })},
		{"OK hand reaction with selector", message(userPN, userPN, reaction("👌\ufe0f", "3EB0ALERT")),
			with(private, func(in *bot.Inbound) { in.Text, in.ReplyTo = "ok", "3EB0ALERT" })},
		{"reaction in a group is addressed", message(groupJID, userPN, reaction("👍", "3EB0ALERT")),
			with(inGroup, func(in *bot.Inbound) { in.Text, in.ReplyTo, in.Addressed = "ok", "3EB0ALERT", true })},
		{"heart reaction", message(userPN, userPN, reaction("❤️", "3EB0ALERT")), nil},
		{"reaction removed", message(userPN, userPN, reaction("", "3EB0ALERT")), nil},
		{"reaction without key", message(userPN, userPN, &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Text: proto.String("👍")}}), nil},

		{"from me", message(userPN, botPN, text("hadir"), func(e *events.Message) { e.Info.IsFromMe = true }), nil},
		{"status broadcast", message(types.StatusBroadcastJID, userPN, text("hadir")), nil},
		{"broadcast list", message(types.NewJID("1234567890", types.BroadcastServer), userPN, text("hadir")), nil},
		{"newsletter", message(types.NewJID("120363999", types.NewsletterServer), userPN, text("hadir")), nil},
		{"encrypted reaction", message(userPN, userPN, &waE2E.Message{EncReactionMessage: &waE2E.EncReactionMessage{}}), nil},
		{"revoke", message(userPN, userPN, &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_REVOKE.Enum()}}), nil},
		{"edit", message(userPN, userPN, text("hadir"), func(e *events.Message) { e.IsEdit = true }), nil},
		{"edit attribute", message(userPN, userPN, text("hadir"), func(e *events.Message) { e.Info.Edit = types.EditAttributeMessageEdit }), nil},
		{"sticker", message(userPN, userPN, &waE2E.Message{StickerMessage: &waE2E.StickerMessage{}}), nil},
		{"image without caption", message(userPN, userPN, &waE2E.Message{ImageMessage: &waE2E.ImageMessage{}}), nil},
		{"blank text", message(userPN, userPN, text(" \n\t")), nil},
		{"nil message", message(userPN, userPN, nil), nil},
		{"empty message", message(userPN, userPN, &waE2E.Message{}), nil},
		{"no ID", message(userPN, userPN, text("hadir"), func(e *events.Message) { e.Info.ID = "" }), nil},
		{"empty sender", message(userPN, types.EmptyJID, text("hadir")), nil},
		{"empty chat", message(types.EmptyJID, userPN, text("hadir")), nil},
	}
	env := newTestAdapter(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := env.a.toInbound(context.Background(), tt.evt)
			if tt.want == nil {
				if ok {
					t.Fatalf("toInbound accepted %+v, want ignored", got)
				}
				return
			}
			if !ok {
				t.Fatalf("toInbound ignored the message, want %+v", *tt.want)
			}
			if !reflect.DeepEqual(got, *tt.want) {
				t.Errorf("toInbound:\n got %+v\nwant %+v", got, *tt.want)
			}
		})
	}
}

// reaction is an emoji reaction to message id.
func reaction(emoji, id string) *waE2E.Message {
	return &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{
		Key:  &waCommon.MessageKey{ID: proto.String(id), FromMe: proto.Bool(true), RemoteJID: proto.String(groupJID.String())},
		Text: proto.String(emoji),
	}}
}

func senderAlt(j types.JID) func(*events.Message) {
	return func(e *events.Message) { e.Info.SenderAlt = j }
}

func TestToInboundNilEvent(t *testing.T) {
	env := newTestAdapter(t, nil)
	if _, ok := env.a.toInbound(context.Background(), nil); ok {
		t.Error("nil event accepted")
	}
}

func TestToInboundWithoutLIDStoreOrDevice(t *testing.T) {
	env := newTestAdapter(t, func(o *Options) { o.LIDs = nil; o.Device = nil })
	got, ok := env.a.toInbound(context.Background(), message(groupJID, userLID, extended("hai", mentions(botPN))))
	if !ok {
		t.Fatal("ignored")
	}
	if got.SenderPhone != "" || got.SenderID != "123456789012345@lid" || got.Addressed {
		t.Errorf("got %+v, want unresolved LID sender, not addressed", got)
	}
}

func TestToInboundLIDStoreError(t *testing.T) {
	env := newTestAdapter(t, func(o *Options) { o.LIDs = fakeLIDs{err: errBoom} })
	got, ok := env.a.toInbound(context.Background(), message(userLID, userLID, text("hadir")))
	if !ok || got.SenderPhone != "" {
		t.Errorf("got %+v, %v; want accepted with no phone", got, ok)
	}
	if strings.Contains(env.logs.String(), userLID.User) {
		t.Errorf("log names the LID above debug level:\n%s", env.logs.String())
	}
}

func TestHandleEventMessage(t *testing.T) {
	env := newTestAdapter(t, nil)
	if ok := env.a.handleEvent(message(userPN, userPN, text("hadir"))); !ok {
		t.Fatal("handleEvent reported failure")
	}
	if ok := env.a.handleEvent(message(userPN, userPN, &waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{}})); !ok {
		t.Fatal("handleEvent reported failure for an ignored message")
	}
	got := env.handler.calls()
	if len(got) != 1 || got[0].Text != "hadir" {
		t.Fatalf("handler got %+v, want one message", got)
	}
	if _, ok := env.handler.ctxs[0].Deadline(); !ok {
		t.Error("Handle context has no deadline")
	}
	if strings.Contains(env.logs.String(), "hadir") || strings.Contains(env.logs.String(), userPN.User) {
		t.Errorf("text or phone logged above debug level:\n%s", env.logs.String())
	}
}

func TestHandleEventRetriesThenFails(t *testing.T) {
	env := newTestAdapter(t, nil)
	env.handler.errs = []error{errBoom, errBoom}
	if ok := env.a.handleEvent(message(userPN, userPN, text("hadir"))); !ok {
		t.Fatal("handleEvent failed although the third attempt succeeded")
	}
	if n := len(env.handler.calls()); n != 3 {
		t.Errorf("Handle called %d times, want 3", n)
	}

	env = newTestAdapter(t, nil)
	env.handler.errs = []error{errBoom, errBoom, errBoom}
	if ok := env.a.handleEvent(message(userPN, userPN, text("hadir"))); ok {
		t.Fatal("handleEvent succeeded although every attempt failed; WhatsApp would not redeliver")
	}
	if !strings.Contains(env.logs.String(), "level=ERROR") {
		t.Errorf("no error logged:\n%s", env.logs.String())
	}
}

func TestHandleEventPanicIsContained(t *testing.T) {
	env := newTestAdapter(t, nil)
	env.handler.panic = true
	if ok := env.a.handleEvent(message(userPN, userPN, text("hadir"))); !ok {
		t.Error("panicking message not acknowledged; it would be redelivered forever")
	}
}

func TestLoggedOutReportsStatus(t *testing.T) {
	env := newTestAdapter(t, nil)
	env.a.handleEvent(&events.Connected{})
	env.a.handleEvent(&events.LoggedOut{Reason: events.ConnectFailureLoggedOut})
	want := []Status{StatusConnected, StatusLoggedOut}
	if got := env.status.all(); !reflect.DeepEqual(got, want) {
		t.Errorf("OnStatus got %v, want %v", got, want)
	}
	if got := env.a.Status(); got != StatusLoggedOut {
		t.Errorf("Status() = %q, want %q", got, StatusLoggedOut)
	}
	logs := env.logs.String()
	if !strings.Contains(logs, "level=ERROR") || !strings.Contains(logs, "run `piket whatsapp pair` again") {
		t.Errorf("logged-out error missing:\n%s", logs)
	}
}

func TestConnectionStatuses(t *testing.T) {
	env := newTestAdapter(t, nil)
	for _, evt := range []any{
		&events.Connected{},
		&events.Connected{}, // no change, not reported again
		&events.Disconnected{},
		&events.Connected{},
		&events.TemporaryBan{Code: events.TempBanSentToTooManyPeople, Expire: time.Hour},
		&events.StreamReplaced{},
		&events.HistorySync{},
		&events.Receipt{},
	} {
		if !env.a.handleEvent(evt) {
			t.Errorf("handleEvent(%T) = false", evt)
		}
	}
	want := []Status{StatusConnected, StatusDisconnected, StatusConnected, StatusBanned, StatusStreamReplaced}
	if got := env.status.all(); !reflect.DeepEqual(got, want) {
		t.Errorf("OnStatus got %v, want %v", got, want)
	}
}

func TestRun(t *testing.T) {
	t.Run("not paired", func(t *testing.T) {
		env := newTestAdapter(t, func(o *Options) { o.Device = fakeDevice{} })
		if err := env.a.Run(context.Background()); !errors.Is(err, ErrNotPaired) {
			t.Fatalf("Run = %v, want ErrNotPaired", err)
		}
		if env.client.connects != 0 {
			t.Error("connected without a paired device")
		}
	})
	t.Run("connect error", func(t *testing.T) {
		// A failed connect is a state to retry from, not the end of Run
		// (it would stop the other platforms).
		env := newTestAdapter(t, nil)
		env.client.connectFn = func(context.Context) error { return errBoom }
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- env.a.Run(ctx) }()
		waitFor(t, "state connect_failed", func() bool { return env.a.Status() == StatusConnectFailed })
		if st := env.a.State(); !strings.Contains(st.String(), "boom") {
			t.Errorf("state %q does not say why", st)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run = %v, want nil after cancel", err)
		}
		if len(env.client.removed) != 1 {
			t.Error("event handler not removed")
		}
	})
	t.Run("runs until cancelled", func(t *testing.T) {
		env := newTestAdapter(t, nil)
		ctx, cancel := context.WithCancel(context.Background())
		connected := make(chan struct{})
		env.client.connectFn = func(context.Context) error { close(connected); return nil }
		done := make(chan error, 1)
		go func() { done <- env.a.Run(ctx) }()
		<-connected

		env.client.mu.Lock()
		h := env.client.handler
		env.client.mu.Unlock()
		h(&events.Connected{})
		if !h(message(userPN, userPN, text("hadir"))) {
			t.Error("message handling failed")
		}
		if got := env.handler.calls(); len(got) != 1 {
			t.Errorf("handler got %d messages, want 1", len(got))
		}
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
		if env.client.disconns != 1 || len(env.client.removed) != 1 {
			t.Errorf("disconnects %d, handlers removed %d; want 1 and 1", env.client.disconns, len(env.client.removed))
		}
		// The Handle context derives from Run's, so shutdown cancels it.
		if env.handler.ctxs[0].Err() == nil {
			t.Error("Handle context not cancelled with Run's")
		}
		if got := env.a.Status(); got != StatusDisconnected {
			t.Errorf("Status after Run = %q", got)
		}
	})
}

func TestLoggerAdapter(t *testing.T) {
	log, buf := newTestLogger(slog.LevelDebug)
	l := NewLogger(log).Sub("Client").Sub("Socket")
	l.Infof("connected to %s", "web.whatsapp.com")
	l.Warnf("failed to decrypt message from %s", userPN.String())
	l.Errorf("boom %d", 6281234567890)
	l.Debugf("debug %s", userPN.String())
	out := buf.String()
	for _, want := range []string{
		`level=DEBUG msg="whatsmeow: connected to web.whatsapp.com" module=Client/Socket`,
		`level=WARN msg="whatsmeow: failed to decrypt message from ***890@s.whatsapp.net"`,
		`level=ERROR msg="whatsmeow: boom ***890"`,
		`level=DEBUG msg="whatsmeow: debug 6281234567890@s.whatsapp.net"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log missing %q:\n%s", want, out)
		}
	}

	quiet, qbuf := newTestLogger(slog.LevelInfo)
	NewLogger(quiet).Infof("chatter")
	NewLogger(nil).Errorf("to nowhere")
	if qbuf.String() != "" {
		t.Errorf("whatsmeow info shown at info level: %q", qbuf.String())
	}
}

// FuzzToInbound feeds arbitrary text through conversion: it must never
// panic, and what it accepts must carry the text unchanged.
func FuzzToInbound(f *testing.F) {
	f.Add("hadir", "", uint8(0), "6281100000001@s.whatsapp.net", "120363000000000001@g.us")
	f.Add("/izin sakit", "3EB0", uint8(1), "", "6281234567890@s.whatsapp.net")
	f.Add("", "x", uint8(2), "@", "123@lid")
	f.Add(" \u200b", "", uint8(3), "a:b@c.d.e", "status@broadcast")
	f.Add("👍🏽", "3EB0ALERT", uint8(6), "", "6281234567890@s.whatsapp.net")
	f.Add("👌\ufe0f", "3EB0ALERT", uint8(6), "", "120363000000000001@g.us")
	f.Fuzz(func(t *testing.T, body, stanza string, kind uint8, mention, chat string) {
		ci := &waE2E.ContextInfo{StanzaID: proto.String(stanza), MentionedJID: []string{mention}, Participant: proto.String(mention)}
		var msg *waE2E.Message
		switch kind % 7 {
		case 0:
			msg = text(body)
		case 1:
			msg = extended(body, ci)
		case 2:
			msg = &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String(body), ContextInfo: ci}}
		case 3:
			msg = &waE2E.Message{DocumentMessage: &waE2E.DocumentMessage{Caption: proto.String(body), ContextInfo: ci}}
		case 4:
			msg = &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{}}
		case 5:
			msg = &waE2E.Message{VideoMessage: &waE2E.VideoMessage{Caption: proto.String(body)}}
		case 6:
			msg = reaction(body, stanza)
		}
		chatJID, err := types.ParseJID(chat)
		if err != nil {
			chatJID = types.EmptyJID
		}
		env := newTestAdapter(t, nil)
		for _, sender := range []types.JID{userPN, userLID, otherLID, chatJID} {
			in, ok := env.a.toInbound(context.Background(), message(chatJID, sender, msg))
			if !ok {
				continue
			}
			if kind%7 == 6 {
				if in.Text != "ok" || in.ReplyTo != stanza || !in.Addressed || !ackReaction(body) {
					t.Fatalf("reaction %q to %q accepted as %+v", body, stanza, in)
				}
			} else if kind%7 != 4 && in.Text != body {
				t.Fatalf("Text = %q, want %q", in.Text, body)
			}
			if strings.TrimSpace(in.Text) == "" {
				t.Fatalf("accepted blank text %q", in.Text)
			}
			if in.Platform != bot.WhatsApp || in.MessageID == "" || in.ChatID == "" || in.SenderID == "" {
				t.Fatalf("incomplete Inbound %+v", in)
			}
			if !in.Group && !in.Addressed {
				t.Fatalf("private message not addressed: %+v", in)
			}
			if _, err := parseChatID(in.ChatID); err != nil {
				t.Fatalf("ChatID %q does not parse back: %v", in.ChatID, err)
			}
		}
	})
}
