package wafake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"sync"

	"go.mau.fi/libsignal/ecc"
	signallog "go.mau.fi/libsignal/logger"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waCert"
	"go.mau.fi/whatsmeow/socket"
	"go.mau.fi/whatsmeow/util/keys"
	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/hkdf"
	"google.golang.org/protobuf/proto"
)

// rootKey is the emulator's certificate root. It is derived from a fixed
// seed so that every Server in a test binary shares it and TrustTestRoot
// can install it once, before any client runs.
var rootKey = keyFromSeed("piket wafake test root key")

// keyFromSeed returns a deterministic Curve25519 key pair.
func keyFromSeed(seed string) *keys.KeyPair {
	priv := sha256.Sum256([]byte(seed))
	priv[0] &= 248
	priv[31] &= 127
	priv[31] |= 64
	return keys.NewKeyPairFromPrivateKey(priv)
}

var trustOnce sync.Once

// TrustTestRoot makes whatsmeow accept the emulator's server certificate by
// replacing whatsmeow.WACertPubKey, a package variable, with the test root
// key. Call it before the first client connects (TestMain is the safest
// place): the variable is read without synchronisation. It never restores
// the real key, so never call it in a binary that talks to WhatsApp.
func TrustTestRoot() {
	trustOnce.Do(func() { whatsmeow.WACertPubKey = *rootKey.Pub })
}

// certChain is the serialised waCert.CertChain for the server's static key:
// root → intermediate (serial 1) → leaf (the static key).
func certChain(static *keys.KeyPair) ([]byte, error) {
	inter := keyFromSeed("piket wafake test intermediate key")
	interDetails, err := proto.Marshal(&waCert.CertChain_NoiseCertificate_Details{
		Serial:       proto.Uint32(1),
		IssuerSerial: proto.Uint32(whatsmeow.WACertIssuerSerial),
		Key:          inter.Pub[:],
	})
	if err != nil {
		return nil, fmt.Errorf("wafake: intermediate certificate: %w", err)
	}
	leafDetails, err := proto.Marshal(&waCert.CertChain_NoiseCertificate_Details{
		Serial:       proto.Uint32(2),
		IssuerSerial: proto.Uint32(1),
		Key:          static.Pub[:],
	})
	if err != nil {
		return nil, fmt.Errorf("wafake: leaf certificate: %w", err)
	}
	interSig := ecc.CalculateSignature(ecc.NewDjbECPrivateKey(*rootKey.Priv), interDetails)
	leafSig := ecc.CalculateSignature(ecc.NewDjbECPrivateKey(*inter.Priv), leafDetails)
	return proto.Marshal(&waCert.CertChain{
		Intermediate: &waCert.CertChain_NoiseCertificate{Details: interDetails, Signature: interSig[:]},
		Leaf:         &waCert.CertChain_NoiseCertificate{Details: leafDetails, Signature: leafSig[:]},
	})
}

// noiseState is the responder side of WhatsApp's
// Noise_XX_25519_AESGCM_SHA256 handshake. It mirrors socket.NoiseHandshake,
// whose final key split is not exported.
type noiseState struct {
	hash    []byte
	salt    []byte
	key     cipher.AEAD
	counter uint32
}

func newNoiseState() (*noiseState, error) {
	ns := &noiseState{}
	h := []byte(socket.NoiseStartPattern)
	if len(h) != 32 {
		sum := sha256.Sum256(h)
		h = sum[:]
	}
	ns.hash, ns.salt = h, h
	var err error
	if ns.key, err = newGCM(h); err != nil {
		return nil, err
	}
	ns.authenticate(socket.WAConnHeader)
	return ns, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("wafake: aes: %w", err)
	}
	return cipher.NewGCM(block)
}

func iv(counter uint32) []byte {
	v := make([]byte, 12)
	binary.BigEndian.PutUint32(v[8:], counter)
	return v
}

func (ns *noiseState) authenticate(data []byte) {
	sum := sha256.Sum256(append(append([]byte{}, ns.hash...), data...))
	ns.hash = sum[:]
}

func (ns *noiseState) encrypt(plaintext []byte) []byte {
	ct := ns.key.Seal(nil, iv(ns.counter), plaintext, ns.hash)
	ns.counter++
	ns.authenticate(ct)
	return ct
}

func (ns *noiseState) decrypt(ciphertext []byte) ([]byte, error) {
	pt, err := ns.key.Open(nil, iv(ns.counter), ciphertext, ns.hash)
	ns.counter++
	if err != nil {
		return nil, fmt.Errorf("wafake: noise decrypt: %w", err)
	}
	ns.authenticate(ciphertext)
	return pt, nil
}

func (ns *noiseState) mixDH(priv, pub [32]byte) error {
	secret, err := curve25519.X25519(priv[:], pub[:])
	if err != nil {
		return fmt.Errorf("wafake: x25519: %w", err)
	}
	ns.counter = 0
	write, read, err := expand(ns.salt, secret)
	if err != nil {
		return err
	}
	ns.salt = write
	ns.key, err = newGCM(read)
	return err
}

// split returns the transport ciphers from the server's point of view:
// the client's write key is the server's read key.
func (ns *noiseState) split() (send, recv cipher.AEAD, err error) {
	clientWrite, clientRead, err := expand(ns.salt, nil)
	if err != nil {
		return nil, nil, err
	}
	if send, err = newGCM(clientRead); err != nil {
		return nil, nil, err
	}
	if recv, err = newGCM(clientWrite); err != nil {
		return nil, nil, err
	}
	return send, recv, nil
}

func expand(salt, data []byte) (write, read []byte, err error) {
	h := hkdf.New(sha256.New, data, salt, nil)
	write, read = make([]byte, 32), make([]byte, 32)
	if _, err = io.ReadFull(h, write); err != nil {
		return nil, nil, fmt.Errorf("wafake: hkdf: %w", err)
	}
	if _, err = io.ReadFull(h, read); err != nil {
		return nil, nil, fmt.Errorf("wafake: hkdf: %w", err)
	}
	return write, read, nil
}

// quietSignalLog discards libsignal's log lines.
type quietSignalLog struct{}

func (quietSignalLog) Debug(string, string)   {}
func (quietSignalLog) Info(string, string)    {}
func (quietSignalLog) Warning(string, string) {}
func (quietSignalLog) Error(string, string)   {}
func (quietSignalLog) Configure(string)       {}

// init installs a libsignal logger before any test goroutine runs:
// libsignal sets its package logger lazily on first use, without
// synchronisation, which the race detector reports when two servers or
// fake users sign or encrypt at the same time.
func init() {
	if signallog.Logger == nil {
		var l signallog.Loggable = quietSignalLog{}
		signallog.Setup(&l)
	}
}
