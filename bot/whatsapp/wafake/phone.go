package wafake

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"go.mau.fi/libsignal/ecc"
	"go.mau.fi/whatsmeow"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/keys"
	"google.golang.org/protobuf/proto"
)

// Phone is a WhatsApp account's primary device (the phone): it owns the
// account identity key that signs linked devices.
type Phone struct {
	srv      *Server
	number   string
	lid      string
	identity *keys.KeyPair
	next     uint16 // last device number handed out
}

// Phone returns the account for number (digits only, e.g. "6281234567890"),
// creating it on first use. Its LID is derived from the number.
func (s *Server) Phone(number string) *Phone {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.phones[number]; p != nil {
		return p
	}
	p := &Phone{srv: s, number: number, lid: lidFor(number), identity: keyFromSeed("phone identity " + number)}
	s.phones[number] = p
	return p
}

// JID is the account's phone-number JID (number@s.whatsapp.net).
func (p *Phone) JID() types.JID { return types.NewJID(p.number, types.DefaultUserServer) }

// LID is the account's LID (…@lid).
func (p *Phone) LID() types.JID { return types.NewJID(p.lid, types.HiddenUserServer) }

// deviceIdentity builds the ADV identity the phone signs for a companion
// with identity key companion, and the device number it gets. The caller
// holds no lock.
func (p *Phone) deviceIdentity(companion [32]byte, advSecret []byte) (*waAdv.ADVSignedDeviceIdentityHMAC, *waAdv.ADVSignedDeviceIdentity, uint16, error) {
	p.srv.mu.Lock()
	p.next++
	num := p.next
	now := p.srv.now()
	p.srv.mu.Unlock()
	details, err := proto.Marshal(&waAdv.ADVDeviceIdentity{
		RawID:     proto.Uint32(uint32(num)),
		Timestamp: proto.Uint64(uint64(now.Unix())),
		KeyIndex:  proto.Uint32(uint32(num)),
	})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("wafake: device identity: %w", err)
	}
	msg := append(append(append([]byte{}, whatsmeow.AdvAccountSignaturePrefix...), details...), companion[:]...)
	sig := ecc.CalculateSignature(ecc.NewDjbECPrivateKey(*p.identity.Priv), msg)
	signed := &waAdv.ADVSignedDeviceIdentity{
		Details:             details,
		AccountSignatureKey: p.identity.Pub[:],
		AccountSignature:    sig[:],
	}
	signedBytes, err := proto.Marshal(signed)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("wafake: signed device identity: %w", err)
	}
	mac := hmac.New(sha256.New, advSecret)
	mac.Write(signedBytes)
	return &waAdv.ADVSignedDeviceIdentityHMAC{Details: signedBytes, HMAC: mac.Sum(nil)}, signed, num, nil
}

func (p *Phone) companionJIDs(num uint16) (types.JID, types.JID) {
	jid := types.JID{User: p.number, Device: num, Server: types.DefaultUserServer}
	lid := types.JID{User: p.lid, Device: num, Server: types.HiddenUserServer}
	return jid, lid
}

// Link links dev, a fresh device from a whatsmeow store (GetFirstDevice
// of an empty store), to this account without a socket: it writes what a
// successful QR pairing writes (JID, LID, the signed account identity and
// the phone's identity key) and registers the device with the server, so
// a client on dev logs straight in.
func (p *Phone) Link(ctx context.Context, dev *store.Device) (types.JID, error) {
	if dev.ID != nil {
		return types.EmptyJID, errors.New("wafake: device is already linked")
	}
	_, signed, num, err := p.deviceIdentity(*dev.IdentityKey.Pub, dev.AdvSecretKey)
	if err != nil {
		return types.EmptyJID, err
	}
	// The companion's own signature, as whatsmeow's handlePair adds it.
	msg := append(append(append(append([]byte{}, whatsmeow.AdvDeviceSignaturePrefix...), signed.Details...), dev.IdentityKey.Pub[:]...), signed.AccountSignatureKey...)
	devSig := ecc.CalculateSignature(ecc.NewDjbECPrivateKey(*dev.IdentityKey.Priv), msg)
	signed.DeviceSignature = devSig[:]
	jid, lid := p.companionJIDs(num)
	dev.Account = signed
	dev.ID = &jid
	dev.LID = lid
	dev.Platform = "android"
	if err := dev.Save(ctx); err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: save device: %w", err)
	}
	if err := dev.LIDs.PutLIDMapping(ctx, lid.ToNonAD(), jid.ToNonAD()); err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: save LID mapping: %w", err)
	}
	if err := dev.Identities.PutIdentity(ctx, p.LID().SignalAddress().String(), *p.identity.Pub); err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: save phone identity: %w", err)
	}
	p.srv.mu.Lock()
	p.srv.devices[jid] = &device{jid: jid, lid: lid, noise: *dev.NoiseKey.Pub, identity: *dev.IdentityKey.Pub,
		regID: dev.RegistrationID, signed: &preKey{id: dev.SignedPreKey.KeyID, pub: *dev.SignedPreKey.Pub, signature: dev.SignedPreKey.Signature[:]}}
	p.srv.notify()
	p.srv.mu.Unlock()
	return jid, nil
}

// ParseQR splits a QR payload ("ref,noise,identity,adv-secret") the way the
// phone's camera reads it.
func ParseQR(code string) (ref string, noise, identity [32]byte, advSecret []byte, err error) {
	parts := strings.Split(code, ",")
	if len(parts) != 4 || parts[0] == "" {
		return "", noise, identity, nil, fmt.Errorf("wafake: QR payload has %d parts, want 4", len(parts))
	}
	n, err1 := base64.StdEncoding.DecodeString(parts[1])
	i, err2 := base64.StdEncoding.DecodeString(parts[2])
	a, err3 := base64.StdEncoding.DecodeString(parts[3])
	if err := errors.Join(err1, err2, err3); err != nil {
		return "", noise, identity, nil, fmt.Errorf("wafake: QR payload: %w", err)
	}
	if len(n) != 32 || len(i) != 32 || len(a) != 32 {
		return "", noise, identity, nil, errors.New("wafake: QR payload keys have the wrong length")
	}
	return parts[0], [32]byte(n), [32]byte(i), a, nil
}

// ScanQR does what the phone does when it scans code (the string of an
// events.QR / GetQRChannel item): it signs a device identity for the
// client's keys, has the server send <pair-success>, and waits for the
// client's signed confirmation. The server then asks the client to
// reconnect (stream error 515), after which it logs in as the returned
// device. It fails if the client rejected the identity.
func (p *Phone) ScanQR(ctx context.Context, code string) (types.JID, error) {
	ref, noise, identity, adv, err := ParseQR(code)
	if err != nil {
		return types.EmptyJID, err
	}
	s := p.srv
	s.mu.Lock()
	c := s.pairing[ref]
	var r *registration
	if c != nil {
		r = c.reg
	}
	s.mu.Unlock()
	if c == nil || r == nil {
		return types.EmptyJID, fmt.Errorf("wafake: QR reference %q is unknown or expired", ref)
	}
	if r.noise != noise || r.identity != identity {
		return types.EmptyJID, errors.New("wafake: QR keys do not match the connection that showed it")
	}
	return p.pair(ctx, c, r, identity, adv)
}

// pair signs a device identity for the client's identity key, sends
// <pair-success> on its pre-login connection c and waits for the client's
// answer.
func (p *Phone) pair(ctx context.Context, c *conn, r *registration, identity [32]byte, adv []byte) (types.JID, error) {
	s := p.srv
	container, _, num, err := p.deviceIdentity(identity, adv)
	if err != nil {
		return types.EmptyJID, err
	}
	containerBytes, err := proto.Marshal(container)
	if err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: device identity container: %w", err)
	}
	jid, lid := p.companionJIDs(num)
	result := make(chan bool, 1)
	s.mu.Lock()
	r.pairID = s.nextID()
	r.result = result
	r.pending = &device{jid: jid, lid: lid, noise: r.noise, identity: r.identity, regID: r.regID, signed: &r.signed}
	for _, ref := range r.refs {
		delete(s.pairing, ref)
	}
	pairID := r.pairID
	s.mu.Unlock()
	err = c.send(waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{
		"from": types.ServerJID, "type": "set", "id": pairID, "xmlns": "md",
	}, Content: []waBinary.Node{{Tag: "pair-success", Content: []waBinary.Node{
		{Tag: "device-identity", Attrs: waBinary.Attrs{"key-index": fmt.Sprint(num)}, Content: containerBytes},
		{Tag: "platform", Attrs: waBinary.Attrs{"name": "android"}},
		{Tag: "device", Attrs: waBinary.Attrs{"jid": jid, "lid": lid}},
	}}}})
	if err != nil {
		return types.EmptyJID, err
	}
	select {
	case ok := <-result:
		if !ok {
			return types.EmptyJID, errors.New("wafake: the client rejected the pairing")
		}
		return jid, nil
	case <-c.done:
		return types.EmptyJID, errors.New("wafake: the client disconnected during pairing")
	case <-ctx.Done():
		return types.EmptyJID, fmt.Errorf("wafake: scan QR: %w", ctx.Err())
	}
}

// finishPairing handles the client's answer to <pair-success>: on success
// it registers the device and asks the client to reconnect (515).
func (c *conn) finishPairing(r *registration, ok bool) error {
	s := c.srv
	s.mu.Lock()
	if ok {
		s.devices[r.pending.jid] = r.pending
	}
	c.reg = nil
	s.notify()
	s.mu.Unlock()
	r.result <- ok
	if !ok {
		return errors.New("wafake: pairing rejected by the client")
	}
	// The client closes the socket and logs in again.
	c.streamError(waBinary.Node{Tag: "stream:error", Attrs: waBinary.Attrs{"code": "515"}})
	return nil
}
