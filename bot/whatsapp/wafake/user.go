package wafake

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/libsignal/keys/identity"
	"go.mau.fi/libsignal/keys/prekey"
	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/session"
	"go.mau.fi/libsignal/util/optional"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	waLog "go.mau.fi/whatsmeow/util/log"
	"google.golang.org/protobuf/proto"
	_ "modernc.org/sqlite" // the "sqlite" driver for fake users' stores
)

// User is a fake WhatsApp user: an account whose phone has its own
// libsignal store (a whatsmeow device store in the server's temporary
// directory). Users encrypt what they send to a linked client with real
// Signal sessions and decrypt what the client sends them.
type User struct {
	srv   *Server
	phone *Phone
	name  string
	dev   *store.Device
	// sig serialises the user's Signal operations (a session record is
	// read, changed and written back), as whatsmeow does for its own.
	sig sync.Mutex

	// guarded by srv.mu
	inbox    []Received
	errs     []error
	skdmSent map[string]bool // "group device" → sender key sent
}

// userStore opens (once) the container holding every fake user's device.
func (s *Server) userStore(ctx context.Context) (*sqlstore.Container, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.users != nil {
		return s.users, nil
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", filepath.Join(s.dir, "users.db")+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("wafake: open user store: %w", err)
	}
	c := sqlstore.NewWithDB(db, "sqlite", waLog.Noop)
	if err := c.Upgrade(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("wafake: upgrade user store: %w", err), c.Close())
	}
	s.users = c
	return c, nil
}

// User returns the fake user with phone number (digits, e.g.
// "6281234567890") and display name, creating their phone and its Signal
// store on first use.
func (s *Server) User(ctx context.Context, number, name string) (*User, error) {
	s.mu.Lock()
	if u := s.userByNumber[number]; u != nil {
		s.mu.Unlock()
		return u, nil
	}
	s.mu.Unlock()
	c, err := s.userStore(ctx)
	if err != nil {
		return nil, err
	}
	p := s.Phone(number)
	dev := c.NewDevice()
	dev.IdentityKey = p.identity
	dev.SignedPreKey = p.identity.CreateSignedPreKey(1)
	jid, lid := p.JID(), p.LID()
	dev.ID, dev.LID, dev.PushName = &jid, lid, name
	// A primary device signs for itself; the columns only need values.
	dev.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{}, AccountSignature: make([]byte, 64), AccountSignatureKey: p.identity.Pub[:], DeviceSignature: make([]byte, 64)}
	if err := dev.Save(ctx); err != nil {
		return nil, fmt.Errorf("wafake: save user %s: %w", number, err)
	}
	u := &User{srv: s, phone: p, name: name, dev: dev, skdmSent: make(map[string]bool)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.userByNumber[number]; old != nil {
		return old, nil
	}
	s.userByNumber[number] = u
	return u, nil
}

// JID is the user's phone-number JID.
func (u *User) JID() types.JID { return u.phone.JID() }

// LID is the user's LID.
func (u *User) LID() types.JID { return u.phone.LID() }

// Name is the user's push name (the notify attribute of their messages).
func (u *User) Name() string { return u.name }

// SendOptions tunes one message a user sends.
type SendOptions struct {
	ID   string    // message ID; a fresh one if empty
	Time time.Time // the t attribute; the server clock if zero
	// FromLID addresses the message from the user's LID with sender_pn
	// (as WhatsApp does for LID-migrated chats) instead of from the phone
	// number with sender_lid.
	FromLID bool
}

// SendText sends text to the account to (any of its JIDs; every linked
// device of it gets a copy) and returns the message ID.
func (u *User) SendText(ctx context.Context, to types.JID, text string) (string, error) {
	return u.Send(ctx, to, &waE2E.Message{Conversation: proto.String(text)}, SendOptions{})
}

// Send encrypts msg for every linked device of the account to and
// delivers it: at once to a logged-in device, or queued until its next
// login (the offline queue). It returns the message ID.
func (u *User) Send(ctx context.Context, to types.JID, msg *waE2E.Message, opts SendOptions) (string, error) {
	u.sig.Lock()
	defer u.sig.Unlock()
	s := u.srv
	plaintext, err := proto.Marshal(msg)
	if err != nil {
		return "", fmt.Errorf("wafake: marshal message: %w", err)
	}
	if opts.ID == "" {
		opts.ID = s.NewMessageID()
	}
	if opts.Time.IsZero() {
		opts.Time = s.now()
	}
	targets := s.devicesOf(to.User)
	if len(targets) == 0 {
		return "", fmt.Errorf("wafake: %s has no linked device", to.User)
	}
	for _, dj := range targets {
		enc, err := u.encryptFor(ctx, dj, plaintext)
		if err != nil {
			return "", err
		}
		attrs := waBinary.Attrs{
			"id": opts.ID, "t": strconv.FormatInt(opts.Time.Unix(), 10), "type": "text", "notify": u.name,
			"from": u.JID(), "sender_lid": u.LID(),
		}
		if opts.FromLID {
			delete(attrs, "sender_lid")
			attrs["from"], attrs["sender_pn"] = u.LID(), u.JID()
		}
		s.deliver(dj, waBinary.Node{Tag: "message", Attrs: attrs, Content: []waBinary.Node{*enc}})
	}
	return opts.ID, nil
}

// encryptFor encrypts plaintext for device dj, starting a session from
// the device's uploaded pre-keys if there is none.
func (u *User) encryptFor(ctx context.Context, dj types.JID, plaintext []byte) (*waBinary.Node, error) {
	addr := dj.SignalAddress()
	builder := session.NewBuilderFromSignal(u.dev, addr, store.SignalProtobufSerializer)
	has, err := u.dev.ContainsSession(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("wafake: session lookup: %w", err)
	}
	if !has {
		bundle, err := u.srv.takeBundle(dj)
		if err != nil {
			return nil, err
		}
		if err := builder.ProcessBundle(ctx, bundle); err != nil {
			return nil, fmt.Errorf("wafake: process pre-key bundle of %s: %w", dj, err)
		}
	}
	ct, err := session.NewCipher(builder, addr).Encrypt(ctx, pad(plaintext))
	if err != nil {
		return nil, fmt.Errorf("wafake: encrypt for %s: %w", dj, err)
	}
	typ := "msg"
	if ct.Type() == protocol.PREKEY_TYPE {
		typ = "pkmsg"
	}
	return &waBinary.Node{Tag: "enc", Attrs: waBinary.Attrs{"v": "2", "type": typ}, Content: ct.Serialize()}, nil
}

// pad adds WhatsApp's random padding (1–15 bytes, each the pad length).
func pad(b []byte) []byte {
	var n [1]byte
	_, _ = rand.Read(n[:])
	n[0] &= 0xf
	if n[0] == 0 {
		n[0] = 0xf
	}
	return append(append([]byte{}, b...), bytes.Repeat(n[:], int(n[0]))...)
}

// unpad removes the padding pad added.
func unpad(b []byte) ([]byte, error) {
	if len(b) == 0 || int(b[len(b)-1]) > len(b) || b[len(b)-1] == 0 {
		return nil, errors.New("wafake: bad padding")
	}
	return b[:len(b)-int(b[len(b)-1])], nil
}

// devicesOf returns the linked devices of the account with this user part
// (phone number or LID user).
func (s *Server) devicesOf(user string) []types.JID {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []types.JID
	for jid, d := range s.devices {
		if jid.User == user || d.lid.User == user {
			out = append(out, jid)
		}
	}
	return out
}

// takeBundle returns dj's pre-key bundle, consuming one one-time pre-key
// as the server does.
func (s *Server) takeBundle(dj types.JID) (*prekey.Bundle, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.devices[dj]
	if d == nil || d.signed == nil || len(d.signed.signature) != 64 {
		return nil, fmt.Errorf("wafake: no pre-keys for %s", dj)
	}
	ik := identity.NewKey(ecc.NewDjbECPublicKey(d.identity))
	spk := ecc.NewDjbECPublicKey(d.signed.pub)
	if len(d.preKeys) == 0 {
		return prekey.NewBundle(d.regID, uint32(dj.Device), optional.NewEmptyUint32(), d.signed.id,
			nil, spk, [64]byte(d.signed.signature), ik), nil
	}
	pk := d.preKeys[0]
	d.preKeys = d.preKeys[1:]
	return prekey.NewBundle(d.regID, uint32(dj.Device), optional.NewOptionalUint32(pk.id), d.signed.id,
		ecc.NewDjbECPublicKey(pk.pub), spk, [64]byte(d.signed.signature), ik), nil
}

// NewMessageID returns a fresh message ID in WhatsApp's style.
func (s *Server) NewMessageID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("3EB0%X", b)
}

// deliver sends n to device dj if it is logged in, else queues it. Either
// way n stays pending until the client acks it, and is delivered again on
// the next login if the connection ends first.
func (s *Server) deliver(dj types.JID, n waBinary.Node) {
	s.mu.Lock()
	d := s.devices[dj]
	if d == nil {
		s.mu.Unlock()
		return
	}
	s.delivered[dj] = append(s.delivered[dj], n)
	cs := s.loggedIn(dj)
	if len(cs) == 0 {
		d.offline = append(d.offline, n)
		s.notify()
		s.mu.Unlock()
		return
	}
	d.unacked = append(d.unacked, n)
	s.mu.Unlock()
	for _, c := range cs {
		_ = c.send(n)
	}
}

// Redeliver sends the message with this ID to dj again, as WhatsApp does
// when it did not see the ack.
func (s *Server) Redeliver(dj types.JID, id string) error {
	s.mu.Lock()
	var n *waBinary.Node
	for _, m := range s.delivered[dj] {
		if m.Attrs["id"] == id {
			n = &m
		}
	}
	s.mu.Unlock()
	if n == nil {
		return fmt.Errorf("wafake: no message %s was delivered to %s", id, dj)
	}
	s.deliver(dj, *n)
	return nil
}

// Pending returns how many messages to dj are queued or delivered but not
// yet confirmed by a receipt.
func (s *Server) Pending(dj types.JID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.devices[dj]; d != nil {
		return len(d.offline) + len(d.unacked)
	}
	return 0
}

// EncTypes returns the enc type ("pkmsg", "msg", "skmsg") of the first
// delivered copy of each message ID, "" if unknown.
func (s *Server) EncTypes(ids ...string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(ids))
	for i, id := range ids {
	search:
		for _, msgs := range s.delivered {
			for _, m := range msgs {
				if m.Attrs["id"] == id {
					for _, enc := range m.GetChildrenByTag("enc") {
						out[i], _ = enc.Attrs["type"].(string)
						break search
					}
				}
			}
		}
	}
	return out
}
