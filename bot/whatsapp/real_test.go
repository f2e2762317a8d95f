package whatsapp

import (
	"context"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/piket-id/piket/bot"
)

// These tests drive a real whatsmeow.Client, on a real session store file
// holding a stored device, through its internals (no network): stanza
// nodes as they come off the wire go through ParseMessageInfo, and
// protobuf messages through the decrypted-message path whatsmeow takes
// after decryption, to the adapter's handler and the core's Inbound.

// realEnv is a real client whose events reach an adapter.
type realEnv struct {
	cli     *whatsmeow.Client
	a       *Adapter
	handler *fakeHandler
}

func newRealEnv(t *testing.T) *realEnv {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	path := filepath.Join(t.TempDir(), "wa.db")
	container, err := OpenStore(ctx, path, log)
	if err != nil {
		t.Fatal(err)
	}
	dev := container.NewDevice()
	id := types.JID{User: botPN.User, Device: 7, Server: types.DefaultUserServer}
	dev.ID = &id
	dev.LID = types.JID{User: botLID.User, Device: 7, Server: types.HiddenUserServer}
	dev.PushName = "Piket"
	dev.Account = &waAdv.ADVSignedDeviceIdentity{
		Details: []byte{1}, AccountSignature: make([]byte, 64), AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64),
	}
	if err := container.PutDevice(ctx, dev); err != nil {
		t.Fatal(err)
	}
	if err := container.Close(); err != nil {
		t.Fatal(err)
	}
	// Open it again, as serve does at start.
	container, err = OpenStore(ctx, path, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { container.Close() })
	stored, err := container.GetFirstDevice(ctx)
	if err != nil || stored.ID == nil || stored.ID.User != botPN.User {
		t.Fatalf("stored device: %v %v", stored.ID, err)
	}
	cli := NewClient(stored, log)
	h := &fakeHandler{}
	clk := newFakeClock()
	a := New(Options{Client: cli, Device: cli.Store, LIDs: cli.Store.LIDs, Handler: h, Logger: log, Now: clk.Now, Sleep: clk.Sleep})
	cli.AddEventHandlerWithSuccessStatus(a.handleEvent) // what Run registers
	return &realEnv{cli: cli, a: a, handler: h}
}

// stanza is a <message> node as decoded from the wire: built, encoded
// with whatsmeow's binary XML and decoded again.
func stanza(t *testing.T, attrs waBinary.Attrs) *waBinary.Node {
	t.Helper()
	data, err := waBinary.Marshal(waBinary.Node{Tag: "message", Attrs: attrs})
	if err != nil {
		t.Fatal(err)
	}
	if data, err = waBinary.Unpack(data); err != nil {
		t.Fatal(err)
	}
	n, err := waBinary.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// deliver parses node and hands msg to whatsmeow's decrypted-message
// path; it reports whether whatsmeow would acknowledge the message.
func (e *realEnv) deliver(t *testing.T, node *waBinary.Node, msg *waE2E.Message) (acked bool) {
	t.Helper()
	in := e.cli.DangerousInternals()
	info, err := in.ParseMessageInfo(node)
	if err != nil {
		t.Fatalf("ParseMessageInfo: %v", err)
	}
	return !in.HandleDecryptedMessage(context.Background(), info, msg, 0)
}

func TestRealClientMessages(t *testing.T) {
	const ts = 1773799200 // 2026-03-18 02:00 UTC
	when := time.Unix(ts, 0).UTC()
	userDev := types.JID{User: userPN.User, Device: 3, Server: types.DefaultUserServer}
	userLIDDev := types.JID{User: userLID.User, Device: 3, Server: types.HiddenUserServer}
	otherLIDDev := types.JID{User: otherLID.User, Device: 2, Server: types.HiddenUserServer}
	base := func(extra waBinary.Attrs) waBinary.Attrs {
		a := waBinary.Attrs{"id": "3A00000000000000AA", "t": strconv.Itoa(ts), "type": "text", "notify": "Sari"}
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	lidGroup := func(sender types.JID, extra waBinary.Attrs) waBinary.Attrs {
		a := base(waBinary.Attrs{"from": groupJID, "participant": sender, "addressing_mode": "lid"})
		for k, v := range extra {
			a[k] = v
		}
		return a
	}
	hadir := func(s string) *waE2E.Message { return &waE2E.Message{Conversation: proto.String(s)} }
	private := bot.Inbound{Platform: bot.WhatsApp, MessageID: "3A00000000000000AA", ChatID: userPN.String(),
		SenderID: userPN.User, SenderPhone: "+" + userPN.User, Text: "hadir", Time: when, Addressed: true}
	inGroup := private
	inGroup.ChatID, inGroup.Group, inGroup.Text, inGroup.SenderChat = groupJID.String(), true, "/hadir", userLID.String()

	tests := []struct {
		name  string
		attrs waBinary.Attrs
		msg   *waE2E.Message
		want  *bot.Inbound // nil: ignored (and acknowledged)
	}{
		{"private, phone number", base(waBinary.Attrs{"from": userDev}), hadir("hadir"), &private},
		{"private, LID with sender_pn", base(waBinary.Attrs{"from": userLIDDev, "sender_pn": userDev}), hadir("hadir"),
			func() *bot.Inbound { in := private; in.ChatID = userLID.String(); return &in }()},
		{"LID group with participant_pn", lidGroup(userLIDDev, waBinary.Attrs{"participant_pn": userDev}), hadir("/hadir"), &inGroup},
		{"LID group, mapping from the LID store", lidGroup(otherLIDDev, nil), hadir("/hadir"),
			func() *bot.Inbound {
				in := inGroup
				in.SenderID, in.SenderPhone, in.SenderChat = "6281299990000", "+6281299990000", otherLID.String()
				return &in
			}()},
		{"ephemeral wrapper", base(waBinary.Attrs{"from": userDev}),
			&waE2E.Message{EphemeralMessage: &waE2E.FutureProofMessage{Message: &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("hadir")}}}},
			&private},
		{"reply", base(waBinary.Attrs{"from": userDev}),
			&waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("hadir"), ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("3EB0ALERT")}}},
			func() *bot.Inbound { in := private; in.ReplyTo = "3EB0ALERT"; return &in }()},
		{"reaction", base(waBinary.Attrs{"from": userDev, "type": "reaction"}),
			&waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{Key: &waCommon.MessageKey{ID: proto.String("3EB0ALERT"), FromMe: proto.Bool(true)}, Text: proto.String("👍🏼")}},
			func() *bot.Inbound { in := private; in.Text, in.ReplyTo = "ok", "3EB0ALERT"; return &in }()},
		{"edit", base(waBinary.Attrs{"from": userDev, "edit": "1"}),
			&waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_MESSAGE_EDIT.Enum(),
				Key: &waCommon.MessageKey{ID: proto.String("3A00000000000000A0")}, EditedMessage: hadir("hadir")}}, nil},
		{"own message from another device", lidGroup(types.JID{User: botLID.User, Device: 1, Server: types.HiddenUserServer}, nil), hadir("/hadir"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newRealEnv(t)
			if err := e.cli.Store.LIDs.PutLIDMapping(context.Background(), otherLID, types.NewJID("6281299990000", types.DefaultUserServer)); err != nil {
				t.Fatal(err)
			}
			if !e.deliver(t, stanza(t, tt.attrs), tt.msg) {
				t.Fatal("handler reported failure")
			}
			got := e.handler.calls()
			if tt.want == nil {
				if len(got) != 0 {
					t.Fatalf("handled %+v, want ignored", got)
				}
				return
			}
			if len(got) != 1 || got[0] != *tt.want {
				t.Fatalf("handled\n %+v\nwant %+v", got, *tt.want)
			}
		})
	}
}

// A message the core cannot take is not acknowledged, so WhatsApp
// delivers it again; the second delivery is handled.
func TestRealClientFailedHandlerRedelivers(t *testing.T) {
	e := newRealEnv(t)
	e.handler.errs = []error{errBoom, errBoom, errBoom} // every in-adapter retry fails
	node := stanza(t, waBinary.Attrs{"from": types.JID{User: userPN.User, Device: 3, Server: types.DefaultUserServer},
		"id": "3A00000000000000BB", "t": "1773799200", "type": "text"})
	msg := &waE2E.Message{Conversation: proto.String("hadir")}
	if e.deliver(t, node, msg) {
		t.Fatal("a failed handler was acknowledged")
	}
	if !e.deliver(t, node, msg) {
		t.Fatal("the redelivery was not acknowledged")
	}
	got := e.handler.calls()
	if len(got) != 4 || got[3].MessageID != "3A00000000000000BB" {
		t.Errorf("handler saw %d deliveries, want 3 failed tries and the redelivery", len(got))
	}
}
