package wafake

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/hkdfutil"
	"go.mau.fi/whatsmeow/util/keys"
	"golang.org/x/crypto/curve25519"
)

// codePairing is a pending "link with phone number" request.
type codePairing struct {
	conn     *conn
	ref      string
	wrapped  []byte      // companion's wrapped ephemeral key (salt, IV, key)
	finished chan []byte // the companion's wrapped key bundle
}

// handleLinkCode answers the client's link_code_companion_reg IQs
// (PairPhone's companion_hello, then companion_finish).
func (c *conn) handleLinkCode(n *waBinary.Node) error {
	s := c.srv
	reg := n.GetChildByTag("link_code_companion_reg")
	jid, _ := reg.Attrs["jid"].(types.JID)
	switch reg.Attrs["stage"] {
	case "companion_hello":
		wrapped, _ := reg.GetChildByTag("link_code_pairing_wrapped_companion_ephemeral_pub").Content.([]byte)
		if len(wrapped) != 80 || jid.User == "" {
			return c.iqError(n, 400, "bad-request")
		}
		ref := s.NewID()
		s.mu.Lock()
		s.codePairings[jid.User] = &codePairing{conn: c, ref: ref, wrapped: wrapped, finished: make(chan []byte, 1)}
		s.notify()
		s.mu.Unlock()
		return c.result(n, waBinary.Node{Tag: "link_code_companion_reg", Content: []waBinary.Node{
			{Tag: "link_code_pairing_ref", Content: []byte(ref)},
		}})
	case "companion_finish":
		bundle, _ := reg.GetChildByTag("link_code_pairing_wrapped_key_bundle").Content.([]byte)
		s.mu.Lock()
		cp := s.codePairings[jid.User]
		s.mu.Unlock()
		if cp == nil || cp.conn != c {
			return c.iqError(n, 404, "item-not-found")
		}
		select {
		case cp.finished <- bundle:
		default:
		}
		return c.result(n)
	}
	return c.iqError(n, 400, "bad-request")
}

// linkCodeKey derives the key that wraps an ephemeral key under code.
func linkCodeKey(code string, salt []byte) (cipher.Block, error) {
	key, err := pbkdf2.Key(sha256.New, code, salt, 2<<16, 32)
	if err != nil {
		return nil, fmt.Errorf("wafake: pbkdf2: %w", err)
	}
	return aes.NewCipher(key)
}

// WaitPairingCode waits until a client asked to be linked to this phone
// by code (whatsmeow's PairPhone).
func (p *Phone) WaitPairingCode(ctx context.Context) error {
	return p.srv.wait(ctx, func() bool { return p.srv.codePairings[p.number] != nil })
}

// EnterCode does what the phone does when its owner types the 8-character
// code PairPhone returned ("ABCD-EFGH"): it unwraps the client's ephemeral
// key with the code, sends its own (primary_hello notification), reads
// the client's key bundle, derives the ADV secret from both key exchanges,
// and then links the device as ScanQR does. A wrong code fails.
func (p *Phone) EnterCode(ctx context.Context, code string) (types.JID, error) {
	s := p.srv
	code = strings.ToUpper(strings.ReplaceAll(code, "-", ""))
	s.mu.Lock()
	cp := s.codePairings[p.number]
	var r *registration
	if cp != nil {
		r = cp.conn.reg
	}
	s.mu.Unlock()
	if cp == nil || r == nil {
		return types.EmptyJID, fmt.Errorf("wafake: no client waits to be linked to %s by code", p.number)
	}
	block, err := linkCodeKey(code, cp.wrapped[:32])
	if err != nil {
		return types.EmptyJID, err
	}
	companionEph := make([]byte, 32)
	cipher.NewCTR(block, cp.wrapped[32:48]).XORKeyStream(companionEph, cp.wrapped[48:80])

	primaryEph := keys.NewKeyPair()
	salt, iv := make([]byte, 32), make([]byte, 16)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(iv)
	if block, err = linkCodeKey(code, salt); err != nil {
		return types.EmptyJID, err
	}
	wrappedPrimary := make([]byte, 32)
	cipher.NewCTR(block, iv).XORKeyStream(wrappedPrimary, primaryEph.Pub[:])
	err = cp.conn.send(waBinary.Node{Tag: "notification", Attrs: waBinary.Attrs{
		"from": types.ServerJID, "type": "link_code_companion_reg", "id": s.NewID(),
	}, Content: []waBinary.Node{{Tag: "link_code_companion_reg", Attrs: waBinary.Attrs{"stage": "primary_hello"}, Content: []waBinary.Node{
		{Tag: "link_code_pairing_ref", Content: []byte(cp.ref)},
		{Tag: "link_code_pairing_wrapped_primary_ephemeral_pub", Content: append(append(salt, iv...), wrappedPrimary...)},
		{Tag: "primary_identity_pub", Content: p.identity.Pub[:]},
	}}}})
	if err != nil {
		return types.EmptyJID, err
	}
	var bundle []byte
	select {
	case bundle = <-cp.finished:
	case <-cp.conn.done:
		return types.EmptyJID, errors.New("wafake: the client disconnected during pairing")
	case <-ctx.Done():
		return types.EmptyJID, fmt.Errorf("wafake: enter code: %w", ctx.Err())
	}
	if len(bundle) < 32+12+16 {
		return types.EmptyJID, errors.New("wafake: key bundle too short")
	}
	ephShared, err := curve25519.X25519(primaryEph.Priv[:], companionEph)
	if err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: x25519: %w", err)
	}
	gcmBlock, err := aes.NewCipher(hkdfutil.SHA256(ephShared, bundle[:32], []byte("link_code_pairing_key_bundle_encryption_key"), 32))
	if err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: aes: %w", err)
	}
	gcm, err := cipher.NewGCM(gcmBlock)
	if err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: gcm: %w", err)
	}
	plain, err := gcm.Open(nil, bundle[32:44], bundle[44:], nil)
	if err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: key bundle (wrong code?): %w", err)
	}
	if len(plain) != 96 || !bytes.Equal(plain[32:64], p.identity.Pub[:]) {
		return types.EmptyJID, errors.New("wafake: key bundle does not name this phone")
	}
	companionIdentity := [32]byte(plain[:32])
	if companionIdentity != r.identity {
		return types.EmptyJID, errors.New("wafake: key bundle identity differs from the registration's")
	}
	idShared, err := curve25519.X25519(p.identity.Priv[:], companionIdentity[:])
	if err != nil {
		return types.EmptyJID, fmt.Errorf("wafake: x25519: %w", err)
	}
	adv := hkdfutil.SHA256(append(append(append([]byte{}, ephShared...), idShared...), plain[64:96]...), nil, []byte("adv_secret"), 32)
	s.mu.Lock()
	delete(s.codePairings, p.number)
	s.mu.Unlock()
	return p.pair(ctx, cp.conn, r, companionIdentity, adv)
}
