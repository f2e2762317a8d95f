package wafake

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// WhatsAppAddr is the host and port whatsmeow's websocket dials.
const WhatsAppAddr = "web.whatsapp.com:443"

var (
	routeOnce sync.Once
	// routeTarget is the address web.whatsapp.com:443 is dialled at: a
	// Server's own addr field (so unroute can tell whose it is), or the
	// address RouteTo was given.
	routeTarget atomic.Pointer[string]
)

// RouteDefaultTransport is for tests of code that builds its own whatsmeow
// client (such as the app's serve wiring), where Attach cannot be called:
// whatsmeow's clients start from a clone of http.DefaultTransport, so this
// makes that transport send TLS dials of web.whatsapp.com:443 to the
// server last given to Route (plain TCP, no TLS) and refuses them when
// there is none. Other hosts are dialled with TLS as usual. It also calls
// TrustTestRoot.
//
// It changes process-wide state: call it once, in TestMain, before any
// HTTP client runs, and only in test binaries.
func RouteDefaultTransport() {
	TrustTestRoot()
	routeOnce.Do(func() {
		t, ok := http.DefaultTransport.(*http.Transport)
		if !ok {
			panic("wafake: http.DefaultTransport is not an *http.Transport")
		}
		t.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr == WhatsAppAddr {
				target := routeTarget.Load()
				if target == nil {
					return nil, errors.New("wafake: no emulator routed for " + WhatsAppAddr)
				}
				var d net.Dialer
				return d.DialContext(ctx, "tcp", *target)
			}
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			d := tls.Dialer{Config: &tls.Config{ServerName: host}}
			return d.DialContext(ctx, network, addr)
		}
	})
}

// Route makes the clients that RouteDefaultTransport redirects connect to
// s, until another server is routed or s is closed. Tests that rely on it
// must not run in parallel with each other.
func (s *Server) Route() { routeTarget.Store(&s.addr) }

// unroute stops routing to s.
func (s *Server) unroute() { routeTarget.CompareAndSwap(&s.addr, nil) }

// RouteTo is RouteDefaultTransport for a process other than the one the
// emulator runs in: it routes whatsmeow's dials to addr (a Server's Addr,
// e.g. 127.0.0.1:41234) and trusts the test root. The crash test runs the
// real piket binary, built with -tags wafake, as a child process; the
// binary's hook (cmd/piket/wafake.go) calls RouteTo with the address the
// test passes in PIKET_WAFAKE_ADDR before anything else runs. Like
// RouteDefaultTransport, it changes process-wide state and never belongs
// in a binary that talks to WhatsApp.
func RouteTo(addr string) {
	RouteDefaultTransport()
	routeTarget.Store(&addr)
}
