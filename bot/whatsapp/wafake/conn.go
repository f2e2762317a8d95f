package wafake

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waWa6"
	"go.mau.fi/whatsmeow/socket"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/keys"
	"google.golang.org/protobuf/proto"
)

var errClosed = errors.New("wafake: connection closed")

// handshakeTimeout bounds each handshake read, so a stuck client cannot
// hold a server goroutine forever.
const handshakeTimeout = 10 * time.Second

// preKey is a one-time or signed pre-key a device uploaded.
type preKey struct {
	id        uint32
	pub       [32]byte
	signature []byte // signed pre-key only
}

// device is a linked (companion) device the server knows.
type device struct {
	jid, lid    types.JID
	noise       [32]byte
	identity    [32]byte
	regID       uint32
	signed      *preKey
	preKeys     []preKey
	logins      int
	bannedUntil time.Time
	offline     []waBinary.Node // waiting for the next login
	unacked     []waBinary.Node // sent, not yet acked
}

// registration is what an unpaired client sent in its handshake.
type registration struct {
	noise    [32]byte
	identity [32]byte
	regID    uint32
	signed   preKey
	refs     []string
	pairID   string    // ID of the pair-success IQ sent, once scanned
	pending  *device   // the device being linked
	result   chan bool // receives the client's answer to pair-success
}

// conn is one websocket connection from a client.
type conn struct {
	srv  *Server
	ws   *websocket.Conn
	done chan struct{}
	once sync.Once

	buf    []byte
	header bool // the connection header has been read

	sendMu  sync.Mutex
	sendKey cipher.AEAD
	sendCtr uint32
	recvKey cipher.AEAD
	recvCtr uint32

	// guarded by srv.mu
	device types.JID
	ready  bool
	reg    *registration
}

func (c *conn) close() {
	c.once.Do(func() {
		close(c.done)
		_ = c.ws.CloseNow()
	})
}

// streamError sends n, stops treating the connection as logged in, and
// closes it after the server's grace period.
func (c *conn) streamError(n waBinary.Node) {
	c.srv.mu.Lock()
	c.ready = false
	c.srv.notify()
	c.srv.mu.Unlock()
	_ = c.send(n)
	t := time.AfterFunc(c.srv.grace, c.close)
	go func() {
		<-c.done
		t.Stop()
	}()
}

// readFrame returns the next length-prefixed frame.
func (c *conn) readFrame(ctx context.Context) ([]byte, error) {
	for {
		if !c.header && len(c.buf) >= len(socket.WAConnHeader) {
			if !bytes.Equal(c.buf[:len(socket.WAConnHeader)], socket.WAConnHeader) {
				return nil, fmt.Errorf("wafake: bad connection header %x", c.buf[:len(socket.WAConnHeader)])
			}
			c.buf = c.buf[len(socket.WAConnHeader):]
			c.header = true
		}
		if c.header && len(c.buf) >= socket.FrameLengthSize {
			n := int(c.buf[0])<<16 | int(c.buf[1])<<8 | int(c.buf[2])
			if len(c.buf) >= socket.FrameLengthSize+n {
				frame := c.buf[socket.FrameLengthSize : socket.FrameLengthSize+n]
				c.buf = c.buf[socket.FrameLengthSize+n:]
				return frame, nil
			}
		}
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			select {
			case <-c.done:
				return nil, errClosed
			default:
			}
			return nil, fmt.Errorf("wafake: read: %w", err)
		}
		if typ != websocket.MessageBinary {
			return nil, fmt.Errorf("wafake: unexpected websocket message type %v", typ)
		}
		c.buf = append(c.buf, data...)
	}
}

func (c *conn) writeFrame(ctx context.Context, data []byte) error {
	frame := make([]byte, socket.FrameLengthSize+len(data))
	frame[0], frame[1], frame[2] = byte(len(data)>>16), byte(len(data)>>8), byte(len(data))
	copy(frame[socket.FrameLengthSize:], data)
	if err := c.ws.Write(ctx, websocket.MessageBinary, frame); err != nil {
		return fmt.Errorf("wafake: write: %w", err)
	}
	return nil
}

// send encrypts and writes one node.
func (c *conn) send(n waBinary.Node) error {
	payload, err := waBinary.Marshal(n)
	if err != nil {
		return fmt.Errorf("wafake: marshal %s: %w", n.Tag, err)
	}
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	if c.sendKey == nil {
		return errors.New("wafake: send before handshake")
	}
	ct := c.sendKey.Seal(nil, iv(c.sendCtr), payload, nil)
	c.sendCtr++
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.writeFrame(ctx, ct)
}

func (c *conn) serve(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	go func() {
		select {
		case <-c.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	payload, err := c.handshake(ctx)
	if err != nil {
		return err
	}
	if err := c.start(payload); err != nil {
		return err
	}
	for {
		frame, err := c.readFrame(ctx)
		if err != nil {
			return err
		}
		pt, err := c.recvKey.Open(nil, iv(c.recvCtr), frame, nil)
		c.recvCtr++
		if err != nil {
			return fmt.Errorf("wafake: decrypt frame: %w", err)
		}
		raw, err := waBinary.Unpack(pt)
		if err != nil {
			return fmt.Errorf("wafake: unpack frame: %w", err)
		}
		node, err := waBinary.Unmarshal(raw)
		if err != nil {
			return fmt.Errorf("wafake: decode node: %w", err)
		}
		c.srv.mu.Lock()
		dev := c.device
		c.srv.mu.Unlock()
		// Handled before it is recorded, so that a test that saw a
		// stanza also sees its effect on the server.
		err = c.handle(node)
		c.srv.record(dev, node)
		if err != nil {
			return err
		}
	}
}

// handshake runs the responder side of Noise XX and returns the client's
// login or registration payload.
func (c *conn) handshake(ctx context.Context) (*waWa6.ClientPayload, error) {
	hctx, cancel := context.WithTimeout(ctx, handshakeTimeout)
	defer cancel()
	ns, err := newNoiseState()
	if err != nil {
		return nil, err
	}
	frame, err := c.readFrame(hctx)
	if err != nil {
		return nil, err
	}
	var hello waWa6.HandshakeMessage
	if err := proto.Unmarshal(frame, &hello); err != nil {
		return nil, fmt.Errorf("wafake: client hello: %w", err)
	}
	clientEph := hello.GetClientHello().GetEphemeral()
	if len(clientEph) != 32 {
		return nil, errors.New("wafake: client hello without ephemeral key")
	}
	ns.authenticate(clientEph)
	eph := keys.NewKeyPair()
	ns.authenticate(eph.Pub[:])
	if err := ns.mixDH(*eph.Priv, [32]byte(clientEph)); err != nil {
		return nil, err
	}
	static := ns.encrypt(c.srv.static.Pub[:])
	if err := ns.mixDH(*c.srv.static.Priv, [32]byte(clientEph)); err != nil {
		return nil, err
	}
	certCT := ns.encrypt(c.srv.cert)
	out, err := proto.Marshal(&waWa6.HandshakeMessage{ServerHello: &waWa6.HandshakeMessage_ServerHello{
		Ephemeral: eph.Pub[:], Static: static, Payload: certCT,
	}})
	if err != nil {
		return nil, fmt.Errorf("wafake: server hello: %w", err)
	}
	if err := c.writeFrame(hctx, out); err != nil {
		return nil, err
	}
	if frame, err = c.readFrame(hctx); err != nil {
		return nil, err
	}
	var finish waWa6.HandshakeMessage
	if err := proto.Unmarshal(frame, &finish); err != nil {
		return nil, fmt.Errorf("wafake: client finish: %w", err)
	}
	clientStatic, err := ns.decrypt(finish.GetClientFinish().GetStatic())
	if err != nil {
		return nil, err
	}
	if len(clientStatic) != 32 {
		return nil, errors.New("wafake: client static key is not 32 bytes")
	}
	if err := ns.mixDH(*eph.Priv, [32]byte(clientStatic)); err != nil {
		return nil, err
	}
	payloadBytes, err := ns.decrypt(finish.GetClientFinish().GetPayload())
	if err != nil {
		return nil, err
	}
	var payload waWa6.ClientPayload
	if err := proto.Unmarshal(payloadBytes, &payload); err != nil {
		return nil, fmt.Errorf("wafake: client payload: %w", err)
	}
	if c.sendKey, c.recvKey, err = ns.split(); err != nil {
		return nil, err
	}
	// Keep the client's static key for the login check.
	c.srv.mu.Lock()
	c.reg = &registration{noise: [32]byte(clientStatic)}
	c.srv.mu.Unlock()
	return &payload, nil
}

// start answers the handshake payload: <success> or <failure> for a login,
// the QR references for a registration.
func (c *conn) start(p *waWa6.ClientPayload) error {
	s := c.srv
	if p.Username == nil {
		return c.startPairing(p.GetDevicePairingData())
	}
	jid := types.JID{User: strconv.FormatUint(p.GetUsername(), 10), Device: uint16(p.GetDevice()), Server: types.DefaultUserServer}
	s.mu.Lock()
	d := s.devices[jid]
	noise := c.reg.noise
	c.reg = nil
	var failure *waBinary.Node
	switch {
	case d == nil || d.noise != noise:
		failure = &waBinary.Node{Tag: "failure", Attrs: waBinary.Attrs{"reason": "401", "location": "wafake"}}
	case d.bannedUntil.After(s.now()):
		failure = &waBinary.Node{Tag: "failure", Attrs: waBinary.Attrs{
			"reason": "402", "code": "101", "expire": strconv.FormatInt(int64(d.bannedUntil.Sub(s.now()).Seconds()), 10),
		}}
	}
	if failure != nil {
		c.device = jid // not ready: a failed login
		s.mu.Unlock()
		c.streamError(*failure)
		return nil
	}
	// A second login of the same device replaces the first session, and
	// takes over what was sent on it unconfirmed: the old socket may be
	// dead without the server having seen it close yet (a client killed
	// and restarted at once), or may have had a stream error.
	old := s.loggedIn(jid)
	c.device = jid
	c.ready = true
	d.logins++
	queued := append(append([]waBinary.Node(nil), d.unacked...), d.offline...)
	d.offline = nil
	d.unacked = append([]waBinary.Node(nil), queued...)
	lid := d.lid
	s.notify()
	s.mu.Unlock()
	for _, oc := range old {
		oc.streamError(waBinary.Node{Tag: "stream:error", Content: []waBinary.Node{{Tag: "conflict", Attrs: waBinary.Attrs{"type": "replaced"}}}})
	}
	success := waBinary.Attrs{
		"t": strconv.FormatInt(s.now().Unix(), 10), "props": "1", "abprops": "1", "location": "wafake",
		"creation": strconv.FormatInt(s.now().Unix(), 10),
	}
	if !lid.IsEmpty() {
		success["lid"] = lid
	}
	err := c.send(waBinary.Node{Tag: "success", Attrs: success})
	if err != nil {
		return err
	}
	for _, n := range queued {
		if err := c.send(n); err != nil {
			return err
		}
	}
	return c.send(waBinary.Node{Tag: "ib", Attrs: waBinary.Attrs{"from": types.ServerJID}, Content: []waBinary.Node{
		{Tag: "offline", Attrs: waBinary.Attrs{"count": strconv.Itoa(len(queued))}},
	}})
}

// qrRefs is how many QR references a pairing connection gets, like the
// real server (the client shows each for 20–60 s).
const qrRefs = 6

func (c *conn) startPairing(reg *waWa6.ClientPayload_DevicePairingRegistrationData) error {
	s := c.srv
	if reg == nil || len(reg.GetEIdent()) != 32 || len(reg.GetESkeyVal()) != 32 || len(reg.GetERegid()) != 4 || len(reg.GetESkeyID()) != 3 {
		_ = c.send(waBinary.Node{Tag: "failure", Attrs: waBinary.Attrs{"reason": "400"}})
		return errors.New("wafake: incomplete registration payload")
	}
	s.mu.Lock()
	r := c.reg
	r.identity = [32]byte(reg.GetEIdent())
	r.regID = binary.BigEndian.Uint32(reg.GetERegid())
	r.signed = preKey{id: uint32(reg.GetESkeyID()[0])<<16 | uint32(reg.GetESkeyID()[1])<<8 | uint32(reg.GetESkeyID()[2]),
		pub: [32]byte(reg.GetESkeyVal()), signature: reg.GetESkeySig()}
	refs := make([]waBinary.Node, qrRefs)
	for i := range refs {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		ref := "2@" + base64.StdEncoding.EncodeToString(b)
		r.refs = append(r.refs, ref)
		s.pairing[ref] = c
		refs[i] = waBinary.Node{Tag: "ref", Content: []byte(ref)}
	}
	id := s.nextID()
	s.notify()
	s.mu.Unlock()
	return c.send(waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{
		"from": types.ServerJID, "type": "set", "id": id, "xmlns": "md",
	}, Content: []waBinary.Node{{Tag: "pair-device", Content: refs}}})
}

// result answers IQ n with type=result and the given children.
func (c *conn) result(n *waBinary.Node, content ...waBinary.Node) error {
	reply := waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{
		"id": n.Attrs["id"], "type": "result", "from": types.ServerJID,
	}}
	if len(content) > 0 {
		reply.Content = content
	}
	return c.send(reply)
}

// handle answers one node from the client.
func (c *conn) handle(n *waBinary.Node) error {
	switch n.Tag {
	case "iq":
		return c.handleIQ(n)
	case "message":
		return c.handleMessage(n)
	case "receipt":
		// A delivery receipt is how whatsmeow confirms a message it
		// handled; an <ack class=message> is a negative one (nack) or
		// confirms a message it could not use. A retry receipt (the
		// client could not decrypt) asks the sender to encrypt again,
		// which the emulator's users do not do: the <ack> that comes
		// with it ends the message.
		if n.Attrs["type"] != "retry" {
			c.confirmed(n.Attrs["id"])
		}
		return c.ackReceipt(n)
	case "ack":
		if n.Attrs["class"] == "message" {
			c.confirmed(n.Attrs["id"])
		}
	}
	return nil
}

func (c *conn) handleIQ(n *waBinary.Node) error {
	s := c.srv
	typ, _ := n.Attrs["type"].(string)
	if typ == "result" || typ == "error" {
		s.mu.Lock()
		r := c.reg
		s.mu.Unlock()
		if r != nil && r.pairID != "" && n.Attrs["id"] == r.pairID {
			return c.finishPairing(r, typ == "result")
		}
		return nil
	}
	xmlns, _ := n.Attrs["xmlns"].(string)
	switch xmlns {
	case "encrypt":
		return c.handleEncrypt(n)
	case "usync":
		return c.handleUsync(n)
	case "w:g2":
		return c.handleGroupIQ(n)
	case "md":
		if _, ok := n.GetOptionalChildByTag("link_code_companion_reg"); ok {
			return c.handleLinkCode(n)
		}
	}
	return c.result(n)
}

func (c *conn) handleEncrypt(n *waBinary.Node) error {
	s := c.srv
	s.mu.Lock()
	d := s.devices[c.device]
	s.mu.Unlock()
	if d == nil {
		return c.result(n)
	}
	if _, ok := n.GetOptionalChildByTag("count"); ok {
		s.mu.Lock()
		count := len(d.preKeys)
		s.mu.Unlock()
		return c.result(n, waBinary.Node{Tag: "count", Attrs: waBinary.Attrs{"value": strconv.Itoa(count)}})
	}
	if list, ok := n.GetOptionalChildByTag("list"); ok {
		var uploaded []preKey
		for _, k := range list.GetChildrenByTag("key") {
			if pk, ok := parsePreKey(k); ok {
				uploaded = append(uploaded, pk)
			}
		}
		skey, hasSigned := parsePreKey(n.GetChildByTag("skey"))
		s.mu.Lock()
		d.preKeys = append(d.preKeys, uploaded...)
		if hasSigned {
			d.signed = &skey
		}
		if reg, ok := n.GetChildByTag("registration").Content.([]byte); ok && len(reg) == 4 {
			d.regID = binary.BigEndian.Uint32(reg)
		}
		s.notify()
		s.mu.Unlock()
		return c.result(n)
	}
	if _, ok := n.GetOptionalChildByTag("key"); ok {
		return c.handleKeyFetch(n)
	}
	return c.result(n)
}

// parsePreKey reads <key>/<skey> with <id> (3 bytes), <value> and
// optionally <signature>.
func parsePreKey(n waBinary.Node) (preKey, bool) {
	id, _ := n.GetChildByTag("id").Content.([]byte)
	val, _ := n.GetChildByTag("value").Content.([]byte)
	if len(id) != 3 || len(val) != 32 {
		return preKey{}, false
	}
	sig, _ := n.GetChildByTag("signature").Content.([]byte)
	return preKey{id: uint32(id[0])<<16 | uint32(id[1])<<8 | uint32(id[2]), pub: [32]byte(val), signature: sig}, true
}

// PreKeyCount returns how many one-time pre-keys dev has on the server.
func (s *Server) PreKeyCount(dev types.JID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.devices[dev]; d != nil {
		return len(d.preKeys)
	}
	return 0
}

// confirmed forgets a delivered message once the client confirmed it.
func (c *conn) confirmed(id any) {
	s := c.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.devices[c.device]
	if d == nil {
		return
	}
	for i, m := range d.unacked {
		if m.Attrs["id"] == id {
			d.unacked = append(d.unacked[:i:i], d.unacked[i+1:]...)
			break
		}
	}
}
