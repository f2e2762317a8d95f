package wafake

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
	"go.mau.fi/whatsmeow"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/keys"
)

// Options configures a Server. The zero value is usable.
type Options struct {
	// Clock gives the server's time: the t attribute of stanzas and the
	// default time of delivered messages. time.Now if nil.
	Clock func() time.Time
	// Log receives the emulator's own diagnostics; discarded if nil.
	Log *slog.Logger
	// CloseGrace is how long the server leaves a socket open after a
	// <stream:error> before closing it itself, unless the client closes it
	// first; DefaultCloseGrace if zero. whatsmeow handles the stream error
	// on its handler queue, after its read loop: closing at once races
	// with it (a replaced session would be reconnected).
	CloseGrace time.Duration
}

// DefaultCloseGrace is Options.CloseGrace's default.
const DefaultCloseGrace = 2 * time.Second

// Server is a running WhatsApp emulator on a loopback port.
type Server struct {
	clock  func() time.Time
	log    *slog.Logger
	grace  time.Duration
	hs     *httptest.Server
	addr   string // hs's loopback address
	static *keys.KeyPair
	cert   []byte

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever state changes
	phones   map[string]*Phone
	devices  map[types.JID]*device // by AD JID (user:device@s.whatsapp.net)
	conns    map[*conn]struct{}
	pairing  map[string]*conn // QR ref → pre-login connection
	received []Stanza
	idSeq    int
	closed   bool

	dir          string              // fake users' stores
	users        *sqlstore.Container // opened on first User call
	userByNumber map[string]*User
	delivered    map[types.JID][]waBinary.Node // every message delivered, by device
	groups       map[types.JID]*Group
	sendFailures []int                   // error codes for the client's next messages
	codePairings map[string]*codePairing // by phone number
}

// Stanza is one node a client sent after its handshake, with the device it
// was logged in as (empty before login).
type Stanza struct {
	Device types.JID
	Node   waBinary.Node
}

// New starts an emulator listening on 127.0.0.1. Close it when done. It
// panics if it cannot create its temporary directory (for fake users'
// stores). Clients must trust the test root
// (TrustTestRoot) and dial through HTTPClient (Attach does both for a
// whatsmeow client).
func New(opts Options) *Server {
	s := &Server{
		clock:   opts.Clock,
		log:     opts.Log,
		grace:   opts.CloseGrace,
		static:  keyFromSeed("piket wafake server static key"),
		changed: make(chan struct{}),
		phones:  make(map[string]*Phone),
		devices: make(map[types.JID]*device),
		conns:   make(map[*conn]struct{}),
		pairing: make(map[string]*conn),

		userByNumber: make(map[string]*User),
		delivered:    make(map[types.JID][]waBinary.Node),
		groups:       make(map[types.JID]*Group),
		codePairings: make(map[string]*codePairing),
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.grace <= 0 {
		s.grace = DefaultCloseGrace
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	cert, err := certChain(s.static)
	if err != nil {
		panic(err) // only a broken protobuf library gets here
	}
	s.cert = cert
	if s.dir, err = os.MkdirTemp("", "wafake-"); err != nil {
		panic(fmt.Errorf("wafake: temporary directory: %w", err))
	}
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	s.hs.Start()
	s.addr = s.hs.Listener.Addr().String()
	return s
}

// Close disconnects every client and stops the server.
func (s *Server) Close() {
	s.unroute()
	s.mu.Lock()
	s.closed = true
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
	s.hs.Close()
	s.mu.Lock()
	users := s.users
	s.users = nil
	s.mu.Unlock()
	if users != nil {
		_ = users.Close()
	}
	_ = os.RemoveAll(s.dir)
}

// Addr is the loopback address the server listens on.
func (s *Server) Addr() string { return s.addr }

// HTTPClient returns an HTTP client that sends every connection, whatever
// host it names (wss://web.whatsapp.com/ws/chat), to the emulator, without
// TLS.
func (s *Server) HTTPClient() *http.Client {
	addr := s.Addr()
	dial := func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", addr)
	}
	return &http.Client{Transport: &http.Transport{DialContext: dial, DialTLSContext: dial}}
}

// Attach points cli's websocket at the emulator and trusts the test root.
// Call it before cli connects.
func (s *Server) Attach(cli *whatsmeow.Client) {
	TrustTestRoot()
	hc := s.HTTPClient()
	cli.SetWebsocketHTTPClient(hc)
	cli.SetPreLoginHTTPClient(hc)
}

func (s *Server) now() time.Time { return s.clock() }

// notify wakes everyone waiting for a state change; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// nextID returns a fresh stanza ID; s.mu must be held.
func (s *Server) nextID() string {
	s.idSeq++
	return "wafake-" + strconv.Itoa(s.idSeq)
}

// NewID returns a fresh message or stanza ID.
func (s *Server) NewID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextID()
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/ws/chat" {
		http.NotFound(w, r)
		return
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: []string{"web.whatsapp.com"}})
	if err != nil {
		s.log.Warn("wafake: websocket accept", "err", err)
		return
	}
	ws.SetReadLimit(1 << 24)
	c := &conn{srv: s, ws: ws, done: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ws.CloseNow()
		return
	}
	s.conns[c] = struct{}{}
	s.notify()
	s.mu.Unlock()
	defer func() {
		c.close()
		s.mu.Lock()
		delete(s.conns, c)
		// Messages the client did not ack come again on its next login.
		if d := s.devices[c.device]; d != nil && len(s.loggedIn(c.device)) == 0 {
			d.offline = append(d.unacked, d.offline...)
			d.unacked = nil
		}
		for ref, pc := range s.pairing {
			if pc == c {
				delete(s.pairing, ref)
			}
		}
		for num, cp := range s.codePairings {
			if cp.conn == c {
				delete(s.codePairings, num)
			}
		}
		s.notify()
		s.mu.Unlock()
	}()
	if err := c.serve(r.Context()); err != nil && !errors.Is(err, errClosed) {
		s.log.Debug("wafake: connection ended", "err", err)
	}
}

// record stores a node the client sent.
func (s *Server) record(dev types.JID, n *waBinary.Node) {
	s.mu.Lock()
	s.received = append(s.received, Stanza{Device: dev, Node: *n})
	s.notify()
	s.mu.Unlock()
}

// Received returns every node clients sent so far, in order.
func (s *Server) Received() []Stanza {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Stanza(nil), s.received...)
}

// Wait blocks until cond (called with the server's lock held, so it must
// not call the Server) returns true, or ctx ends.
func (s *Server) wait(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok := cond()
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("wafake: wait: %w", ctx.Err())
		}
	}
}

// WaitStanza waits until a client has sent a node match accepts and returns
// the first such node. match is called with the server's lock held: it
// must not call the Server.
func (s *Server) WaitStanza(ctx context.Context, match func(Stanza) bool) (Stanza, error) {
	var found Stanza
	err := s.wait(ctx, func() bool {
		for _, st := range s.received {
			if match(st) {
				found = st
				return true
			}
		}
		return false
	})
	return found, err
}

// WaitStanzas waits until clients have sent at least n nodes match
// accepts. match is called with the server's lock held: it must not call
// the Server.
func (s *Server) WaitStanzas(ctx context.Context, n int, match func(Stanza) bool) error {
	return s.wait(ctx, func() bool {
		k := 0
		for _, st := range s.received {
			if match(st) {
				k++
			}
		}
		return k >= n
	})
}

// CountStanzas returns how many received nodes match accepts.
func (s *Server) CountStanzas(match func(Stanza) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, st := range s.received {
		if match(st) {
			n++
		}
	}
	return n
}

// IsPing reports whether st is a keepalive ping.
func IsPing(st Stanza) bool {
	return st.Node.Tag == "iq" && st.Node.Attrs["xmlns"] == "w:p"
}

// loggedIn returns the live, logged-in connections of dev; s.mu must be held.
func (s *Server) loggedIn(dev types.JID) []*conn {
	var out []*conn
	for c := range s.conns {
		if c.device == dev && c.ready {
			out = append(out, c)
		}
	}
	return out
}

// WaitLoggedIn waits until dev (an AD JID such as 628123:1@s.whatsapp.net)
// has a logged-in connection.
func (s *Server) WaitLoggedIn(ctx context.Context, dev types.JID) error {
	return s.wait(ctx, func() bool { return len(s.loggedIn(dev)) > 0 })
}

// WaitLoggedOut waits until dev has no connection left.
func (s *Server) WaitLoggedOut(ctx context.Context, dev types.JID) error {
	return s.wait(ctx, func() bool {
		for c := range s.conns {
			if c.device == dev {
				return false
			}
		}
		return true
	})
}

// Logins returns how many times dev has logged in since the server started.
func (s *Server) Logins(dev types.JID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.devices[dev]; d != nil {
		return d.logins
	}
	return 0
}

// connsOf returns dev's logged-in connections, or an error if none.
func (s *Server) connsOf(dev types.JID) ([]*conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.loggedIn(dev)
	if len(cs) == 0 {
		return nil, fmt.Errorf("wafake: %s is not connected", dev)
	}
	return cs, nil
}

// Drop closes dev's sockets abruptly, as a network failure would.
func (s *Server) Drop(dev types.JID) error {
	cs, err := s.connsOf(dev)
	for _, c := range cs {
		c.close()
	}
	return err
}

// StreamReplaced sends dev <stream:error><conflict type="replaced"/> (the
// session was opened elsewhere) and closes the socket.
func (s *Server) StreamReplaced(dev types.JID) error {
	return s.streamError(dev, waBinary.Node{Tag: "stream:error", Content: []waBinary.Node{
		{Tag: "conflict", Attrs: waBinary.Attrs{"type": "replaced"}},
	}})
}

// DeviceRemoved logs dev out as unlinking it on the phone does: it sends
// <stream:error code="401"><conflict type="device_removed"/>, closes the
// socket and forgets the device, so a later login fails with 401.
func (s *Server) DeviceRemoved(dev types.JID) error {
	err := s.streamError(dev, waBinary.Node{Tag: "stream:error", Attrs: waBinary.Attrs{"code": "401"}, Content: []waBinary.Node{
		{Tag: "conflict", Attrs: waBinary.Attrs{"type": "device_removed"}},
	}})
	s.mu.Lock()
	delete(s.devices, dev)
	s.mu.Unlock()
	return err
}

// StreamErrorCode sends <stream:error code=CODE/> (515 asks the client to
// reconnect, 503 is a server restart) and closes the socket.
func (s *Server) StreamErrorCode(dev types.JID, code int) error {
	return s.streamError(dev, waBinary.Node{Tag: "stream:error", Attrs: waBinary.Attrs{"code": strconv.Itoa(code)}})
}

// streamError sends n and closes the socket after the grace period (the
// client may close it first: it does after 515).
func (s *Server) streamError(dev types.JID, n waBinary.Node) error {
	cs, err := s.connsOf(dev)
	for _, c := range cs {
		c.streamError(n)
	}
	return err
}

// Ban makes dev's next logins fail with <failure reason="402"> (temporary
// ban) until expires (server clock); a zero time lifts the ban. Live
// connections are closed.
func (s *Server) Ban(dev types.JID, expires time.Time) error {
	s.mu.Lock()
	d := s.devices[dev]
	if d == nil {
		s.mu.Unlock()
		return fmt.Errorf("wafake: unknown device %s", dev)
	}
	d.bannedUntil = expires
	cs := s.loggedIn(dev)
	s.mu.Unlock()
	for _, c := range cs {
		c.close()
	}
	return nil
}

// SendNode sends n to dev's logged-in connection as it is.
func (s *Server) SendNode(dev types.JID, n waBinary.Node) error {
	cs, err := s.connsOf(dev)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := c.send(n); err != nil {
			return err
		}
	}
	return nil
}

// lidFor derives a stable, fake LID user for a phone number.
func lidFor(number string) string {
	sum := sha256.Sum256([]byte("lid:" + number))
	return strconv.FormatUint(binary.BigEndian.Uint64(sum[:8])%1e14+1e14, 10)
}
