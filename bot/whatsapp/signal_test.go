package whatsapp

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"

	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/keys/prekey"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/util/optional"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/proto/waE2E"
	wastore "go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
)

// pkmsg encrypts msg from a second device (a staff member's phone, with
// its own session store) to the bot's device, as a first message: a real
// Signal prekey message built against the bot's stored keys and a
// one-time prekey from its store. It returns the <message> stanza.
func pkmsg(t *testing.T, bot *wastore.Device, from types.JID, id string, msg *waE2E.Message) *waBinary.Node {
	t.Helper()
	ctx := context.Background()
	container, err := OpenStore(ctx, filepath.Join(t.TempDir(), "phone.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { container.Close() })
	phone := container.NewDevice()
	phone.ID = &from
	phone.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64), AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
	if err := container.PutDevice(ctx, phone); err != nil {
		t.Fatal(err)
	}

	// The bundle the server would hand out for the bot's device.
	pre, err := bot.PreKeys.GenOnePreKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bundle := prekey.NewBundle(bot.RegistrationID, uint32(bot.ID.Device),
		optional.NewOptionalUint32(pre.KeyID), bot.SignedPreKey.KeyID,
		ecc.NewDjbECPublicKey(*pre.Pub), ecc.NewDjbECPublicKey(*bot.SignedPreKey.Pub), *bot.SignedPreKey.Signature,
		identity.NewKey(ecc.NewDjbECPublicKey(*bot.IdentityKey.Pub)))
	to := bot.ID.SignalAddress()
	builder := session.NewBuilderFromSignal(phone, to, wastore.SignalProtobufSerializer)
	if err := builder.ProcessBundle(ctx, bundle); err != nil {
		t.Fatalf("process the bot's bundle: %v", err)
	}
	plain, err := proto.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	plain = append(plain, 1) // whatsmeow's padding: n bytes of value n
	ct, err := session.NewCipher(builder, to).Encrypt(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	if ct.Type() != protocol.PREKEY_TYPE {
		t.Fatalf("ciphertext type %d, want a prekey message", ct.Type())
	}
	node := waBinary.Node{
		Tag:   "message",
		Attrs: waBinary.Attrs{"from": from, "id": id, "t": "1773799200", "type": "text", "notify": "Sari"},
		Content: []waBinary.Node{{
			Tag: "enc", Attrs: waBinary.Attrs{"v": "2", "type": "pkmsg"}, Content: ct.Serialize(),
		}},
	}
	// As it comes off the wire.
	data, err := waBinary.Marshal(node)
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

// A real Signal-encrypted first message (pkmsg) from a staff member's
// phone goes through whatsmeow's decryption to the core. When the core
// fails, whatsmeow keeps the decrypted plaintext (the prekey is used up,
// so the ciphertext could not be decrypted twice) and sends no receipt;
// WhatsApp's redelivery is then handled from that buffer, and a third
// copy is dropped as already processed.
func TestRealClientEncryptedMessage(t *testing.T) {
	e := newRealEnv(t)
	ctx := context.Background()
	from := types.JID{User: userPN.User, Device: 3, Server: types.DefaultUserServer}
	reply := &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
		Text:        proto.String("siap"),
		ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("3EB0ALERT")},
	}}
	node := pkmsg(t, e.cli.Store, from, "3A00000000000000CC", reply)

	e.handler.errs = []error{errBoom, errBoom, errBoom} // the core is down for this delivery
	e.cli.DangerousInternals().HandleEncryptedMessage(ctx, node)
	if n := len(e.handler.calls()); n != 3 {
		t.Fatalf("handler called %d times, want 3 tries", n)
	}
	e.cli.DangerousInternals().HandleEncryptedMessage(ctx, node) // WhatsApp delivers it again
	got := e.handler.calls()
	if len(got) != 4 {
		t.Fatalf("redelivery: handler called %d times in all, want 4", len(got))
	}
	in := got[3]
	if in.MessageID != "3A00000000000000CC" || in.SenderID != userPN.User || in.Text != "siap" || in.ReplyTo != "3EB0ALERT" || in.Group {
		t.Errorf("decrypted message handed over as %+v", in)
	}

	e.cli.DangerousInternals().HandleEncryptedMessage(ctx, node) // a stray third copy
	if n := len(e.handler.calls()); n != 4 {
		t.Errorf("already processed message handled again (%d calls)", n)
	}
}
