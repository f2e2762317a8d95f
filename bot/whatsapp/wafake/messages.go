package wafake

import (
	"context"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"go.mau.fi/libsignal/protocol"
	"go.mau.fi/libsignal/session"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
)

// Received is a message a fake user received from a linked client.
type Received struct {
	ID      string
	From    types.JID // the sending device (AD JID)
	Chat    types.JID // the destination as the client addressed it
	Time    time.Time // server time of acceptance
	Message *waE2E.Message
	Type    string // "pkmsg" or "msg"
}

// handleMessage acknowledges a message the client sends (or refuses it,
// see FailSends), then decrypts it for every fake user it is addressed to
// into their inbox.
func (c *conn) handleMessage(n *waBinary.Node) error {
	s := c.srv
	now := s.now()
	to, _ := n.Attrs["to"].(types.JID)
	id, _ := n.Attrs["id"].(string)
	s.mu.Lock()
	sender := c.device
	var failCode int
	if len(s.sendFailures) > 0 {
		failCode = s.sendFailures[0]
		s.sendFailures = s.sendFailures[1:]
	}
	s.mu.Unlock()
	if failCode != 0 {
		// Refused: nobody gets it.
		return c.send(waBinary.Node{Tag: "ack", Attrs: waBinary.Attrs{
			"class": "message", "id": id, "t": strconv.FormatInt(now.Unix(), 10), "error": strconv.Itoa(failCode),
		}})
	}
	// Accepted: ack first, as the server does, then hand it to the users.
	ack := waBinary.Attrs{"class": "message", "id": id, "t": strconv.FormatInt(now.Unix(), 10)}
	if !to.IsEmpty() {
		ack["from"] = to
	}
	if err := c.send(waBinary.Node{Tag: "ack", Attrs: ack}); err != nil {
		return err
	}
	participants := n.GetChildByTag("participants")
	for _, p := range participants.GetChildren() {
		dj, ok := p.Attrs["jid"].(types.JID)
		if p.Tag != "to" || !ok {
			continue
		}
		u := s.userFor(dj)
		if u == nil {
			continue // one of the client's own devices, or nobody we emulate
		}
		for _, enc := range p.GetChildrenByTag("enc") {
			r := Received{ID: id, From: sender, Chat: to, Time: now}
			r.Type, _ = enc.Attrs["type"].(string)
			u.sig.Lock()
			msg, err := u.decrypt(context.Background(), sender, &enc)
			if err == nil && msg.GetSenderKeyDistributionMessage() != nil {
				err = u.processSKDM(context.Background(), sender, msg.GetSenderKeyDistributionMessage())
			}
			u.sig.Unlock()
			if err != nil {
				u.fail(fmt.Errorf("message %s: %w", id, err))
				continue
			}
			if msg.GetSenderKeyDistributionMessage() != nil {
				continue // carries no content of its own
			}
			r.Message = msg
			u.receive(r)
		}
	}
	if to.Server == types.GroupServer {
		c.readGroupMessage(n, Received{ID: id, From: sender, Chat: to, Time: now}, sender)
	}
	return nil
}

// userFor returns the fake user whose device dj is (by phone number or
// LID, device 0), or nil.
func (s *Server) userFor(dj types.JID) *User {
	if dj.Device != 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.userByNumber[dj.User]; u != nil {
		return u
	}
	for _, u := range s.userByNumber {
		if u.phone.lid == dj.User {
			return u
		}
	}
	return nil
}

// decrypt opens one <enc> node from device from with u's Signal store.
func (u *User) decrypt(ctx context.Context, from types.JID, enc *waBinary.Node) (*waE2E.Message, error) {
	ct, ok := enc.Content.([]byte)
	if !ok {
		return nil, fmt.Errorf("enc without content")
	}
	addr := from.SignalAddress()
	cipher := session.NewCipher(session.NewBuilderFromSignal(u.dev, addr, store.SignalProtobufSerializer), addr)
	var pt []byte
	var err error
	switch enc.Attrs["type"] {
	case "pkmsg":
		var m *protocol.PreKeySignalMessage
		if m, err = protocol.NewPreKeySignalMessageFromBytes(ct, store.SignalProtobufSerializer.PreKeySignalMessage, store.SignalProtobufSerializer.SignalMessage); err == nil {
			pt, err = cipher.DecryptMessage(ctx, m)
		}
	case "msg":
		var m *protocol.SignalMessage
		if m, err = protocol.NewSignalMessageFromBytes(ct, store.SignalProtobufSerializer.SignalMessage); err == nil {
			pt, err = cipher.Decrypt(ctx, m)
		}
	default:
		return nil, fmt.Errorf("unsupported enc type %v", enc.Attrs["type"])
	}
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	if pt, err = unpad(pt); err != nil {
		return nil, err
	}
	var msg waE2E.Message
	if err := proto.Unmarshal(pt, &msg); err != nil {
		return nil, fmt.Errorf("message protobuf: %w", err)
	}
	return &msg, nil
}

func (u *User) receive(r Received) {
	s := u.srv
	s.mu.Lock()
	u.inbox = append(u.inbox, r)
	s.notify()
	s.mu.Unlock()
}

func (u *User) fail(err error) {
	s := u.srv
	s.log.Warn("wafake: user could not read a message", "user", u.phone.number, "err", err)
	s.mu.Lock()
	u.errs = append(u.errs, err)
	s.notify()
	s.mu.Unlock()
}

// Inbox returns the messages u received, in order.
func (u *User) Inbox() []Received {
	u.srv.mu.Lock()
	defer u.srv.mu.Unlock()
	return append([]Received(nil), u.inbox...)
}

// Errors returns the messages to u that could not be decrypted.
func (u *User) Errors() []error {
	u.srv.mu.Lock()
	defer u.srv.mu.Unlock()
	return append([]error(nil), u.errs...)
}

// WaitInbox waits until u has received at least n messages and returns
// them.
func (u *User) WaitInbox(ctx context.Context, n int) ([]Received, error) {
	var out []Received
	err := u.srv.wait(ctx, func() bool {
		if len(u.inbox) >= n {
			out = append([]Received(nil), u.inbox...)
			return true
		}
		return false
	})
	return out, err
}

// ackReceipt acknowledges a receipt the client sends.
func (c *conn) ackReceipt(n *waBinary.Node) error {
	attrs := waBinary.Attrs{"class": "receipt", "id": n.Attrs["id"]}
	if to, ok := n.Attrs["to"].(types.JID); ok {
		attrs["from"] = to
	}
	if typ, ok := n.Attrs["type"].(string); ok {
		attrs["type"] = typ
	}
	return c.send(waBinary.Node{Tag: "ack", Attrs: attrs})
}

// handleUsync answers a device list query: a fake user has their phone
// (device 0); a linked account lists its linked devices (the emulator has
// no real primary phone to sync to).
func (c *conn) handleUsync(n *waBinary.Node) error {
	s := c.srv
	usync := n.GetChildByTag("usync")
	var users []waBinary.Node
	list := usync.GetChildByTag("list")
	for _, un := range list.GetChildren() {
		jid, ok := un.Attrs["jid"].(types.JID)
		if un.Tag != "user" || !ok {
			continue
		}
		var devs []waBinary.Node
		if s.userFor(types.JID{User: jid.User, Server: jid.Server}) != nil {
			devs = append(devs, waBinary.Node{Tag: "device", Attrs: waBinary.Attrs{"id": "0"}})
		}
		for _, dj := range s.devicesOf(jid.User) {
			devs = append(devs, waBinary.Node{Tag: "device", Attrs: waBinary.Attrs{"id": strconv.Itoa(int(dj.Device))}})
		}
		content := []waBinary.Node{{Tag: "devices", Content: []waBinary.Node{{Tag: "device-list", Content: devs}}}}
		if u := s.userFor(types.JID{User: jid.User, Server: jid.Server}); u != nil && jid.Server == types.DefaultUserServer {
			content = append(content, waBinary.Node{Tag: "lid", Attrs: waBinary.Attrs{"val": u.LID()}})
		}
		users = append(users, waBinary.Node{Tag: "user", Attrs: waBinary.Attrs{"jid": jid}, Content: content})
	}
	return c.result(n, waBinary.Node{Tag: "usync", Attrs: waBinary.Attrs{"sid": usync.Attrs["sid"], "mode": usync.Attrs["mode"], "last": "true", "index": "0"},
		Content: []waBinary.Node{{Tag: "list", Content: users}}})
}

// handleKeyFetch answers a pre-key bundle request for fake users' phones
// and linked devices.
func (c *conn) handleKeyFetch(n *waBinary.Node) error {
	s := c.srv
	var out []waBinary.Node
	req := n.GetChildByTag("key")
	for _, un := range req.GetChildren() {
		dj, ok := un.Attrs["jid"].(types.JID)
		if un.Tag != "user" || !ok {
			continue
		}
		node := waBinary.Node{Tag: "user", Attrs: waBinary.Attrs{"jid": dj}}
		if u := s.userFor(dj); u != nil {
			keys, err := u.bundleNodes(context.Background())
			if err != nil {
				return err
			}
			node.Content = keys
		} else if keys := s.deviceBundleNodes(dj); keys != nil {
			node.Content = keys
		} else {
			node.Content = []waBinary.Node{{Tag: "error", Attrs: waBinary.Attrs{"code": "404", "text": "item-not-found"}}}
		}
		out = append(out, node)
	}
	return c.result(n, waBinary.Node{Tag: "list", Content: out})
}

// bundleNodes returns the <registration>, <type>, <identity>, <skey> and
// <key> nodes of u's phone, generating a one-time pre-key.
func (u *User) bundleNodes(ctx context.Context) ([]waBinary.Node, error) {
	u.sig.Lock()
	defer u.sig.Unlock()
	pks, err := u.dev.PreKeys.GetOrGenPreKeys(ctx, 1)
	if err != nil {
		return nil, fmt.Errorf("wafake: user pre-key: %w", err)
	}
	if err := u.dev.PreKeys.MarkPreKeysAsUploaded(ctx, pks[0].KeyID); err != nil {
		return nil, fmt.Errorf("wafake: user pre-key: %w", err)
	}
	spk := u.dev.SignedPreKey
	return bundleNodes(u.dev.RegistrationID, *u.dev.IdentityKey.Pub,
		&preKey{id: spk.KeyID, pub: *spk.Pub, signature: spk.Signature[:]},
		&preKey{id: pks[0].KeyID, pub: *pks[0].Pub}), nil
}

func keyNode(tag string, k *preKey) waBinary.Node {
	id := []byte{byte(k.id >> 16), byte(k.id >> 8), byte(k.id)}
	content := []waBinary.Node{{Tag: "id", Content: id}, {Tag: "value", Content: k.pub[:]}}
	if k.signature != nil {
		content = append(content, waBinary.Node{Tag: "signature", Content: k.signature})
	}
	return waBinary.Node{Tag: tag, Content: content}
}

func bundleNodes(regID uint32, identity [32]byte, signed, one *preKey) []waBinary.Node {
	var reg [4]byte
	binary.BigEndian.PutUint32(reg[:], regID)
	out := []waBinary.Node{
		{Tag: "registration", Content: reg[:]},
		{Tag: "type", Content: []byte{5}},
		{Tag: "identity", Content: identity[:]},
		keyNode("skey", signed),
	}
	if one != nil {
		out = append(out, keyNode("key", one))
	}
	return out
}

// deviceBundleNodes returns a linked device's bundle nodes, consuming a
// one-time pre-key, or nil if the device is unknown.
func (s *Server) deviceBundleNodes(dj types.JID) []waBinary.Node {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.devices[dj]
	if d == nil || d.signed == nil {
		return nil
	}
	var one *preKey
	if len(d.preKeys) > 0 {
		one = &d.preKeys[0]
		d.preKeys = d.preKeys[1:]
	}
	return bundleNodes(d.regID, d.identity, d.signed, one)
}

// FailSends makes the server refuse the client's next messages, one per
// code, with <ack error=CODE> (429 rate limit, 500 server error, 463…);
// whatsmeow's SendMessage then returns ErrServerReturnedError.
func (s *Server) FailSends(codes ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sendFailures = append(s.sendFailures, codes...)
}
