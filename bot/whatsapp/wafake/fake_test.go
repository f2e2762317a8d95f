package wafake_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

func TestMain(m *testing.M) {
	wafake.TrustTestRoot()
	// Ping every 50–100 ms so keepalives show up within a test.
	whatsmeow.KeepAliveIntervalMin = 50 * time.Millisecond
	whatsmeow.KeepAliveIntervalMax = 100 * time.Millisecond
	os.Exit(m.Run())
}

// deadline is generous: the machine is shared and slow.
const deadline = 20 * time.Second

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), deadline)
	t.Cleanup(cancel)
	return ctx
}

func testLog(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func newServer(t *testing.T) *wafake.Server {
	t.Helper()
	srv := wafake.New(wafake.Options{Log: testLog(t)})
	t.Cleanup(srv.Close)
	return srv
}

// openStore opens a real session store in a temporary directory.
func openStore(t *testing.T, ctx context.Context) *sqlstore.Container {
	t.Helper()
	c, err := whatsapp.OpenStore(ctx, filepath.Join(t.TempDir(), "wa.db"), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// recorder keeps the events a client dispatches.
type recorder struct {
	mu      sync.Mutex
	events  []any
	changed chan struct{}
}

func newRecorder(cli *whatsmeow.Client) *recorder {
	r := &recorder{changed: make(chan struct{})}
	cli.AddEventHandler(func(evt any) {
		r.mu.Lock()
		r.events = append(r.events, evt)
		close(r.changed)
		r.changed = make(chan struct{})
		r.mu.Unlock()
	})
	return r
}

// count returns how many recorded events match.
func (r *recorder) count(match func(any) bool) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if match(e) {
			n++
		}
	}
	return n
}

// waitN waits until at least n recorded events match.
func (r *recorder) waitN(t *testing.T, ctx context.Context, what string, n int, match func(any) bool) {
	t.Helper()
	for {
		r.mu.Lock()
		ch := r.changed
		r.mu.Unlock()
		if r.count(match) >= n {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %d× %s; got %d", n, what, r.count(match))
		}
	}
}

func is[T any](e any) bool { _, ok := e.(T); return ok }

// linkedClient returns a Piket-configured whatsmeow client on a device
// linked to number, attached to srv but not connected.
func linkedClient(t *testing.T, ctx context.Context, srv *wafake.Server, container *sqlstore.Container, number string) (*whatsmeow.Client, types.JID, *recorder) {
	t.Helper()
	dev, err := container.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jid := dev.GetJID()
	if jid.IsEmpty() {
		if jid, err = srv.Phone(number).Link(ctx, dev); err != nil {
			t.Fatal(err)
		}
	}
	return client(t, srv, dev), jid, nil
}

func client(t *testing.T, srv *wafake.Server, dev *store.Device) *whatsmeow.Client {
	t.Helper()
	cli := whatsapp.NewClient(dev, testLog(t))
	srv.Attach(cli)
	t.Cleanup(cli.Disconnect)
	return cli
}

func connect(t *testing.T, ctx context.Context, cli *whatsmeow.Client) *recorder {
	t.Helper()
	rec := newRecorder(cli)
	if err := cli.ConnectContext(ctx); err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "Connected", 1, is[*events.Connected])
	return rec
}

func TestLinkedDeviceConnectsAndKeepsAlive(t *testing.T) {
	ctx := testContext(t)
	srv := newServer(t)
	cli, jid, _ := linkedClient(t, ctx, srv, openStore(t, ctx), "6281200000001")
	connect(t, ctx, cli)
	if err := srv.WaitLoggedIn(ctx, jid); err != nil {
		t.Fatal(err)
	}
	if !cli.IsLoggedIn() {
		t.Error("client does not report logged in")
	}
	// Pre-keys uploaded (an empty store uploads its initial batch) and the
	// active IQ sent before Connected.
	if n := srv.PreKeyCount(jid); n < whatsmeow.MinPreKeyCount {
		t.Errorf("server holds %d pre-keys, want ≥ %d", n, whatsmeow.MinPreKeyCount)
	}
	if srv.CountStanzas(func(st wafake.Stanza) bool {
		return st.Node.Tag == "iq" && st.Node.Attrs["xmlns"] == "passive" && len(st.Node.GetChildrenByTag("active")) == 1
	}) != 1 {
		t.Error("no <iq xmlns=passive><active/> seen")
	}
	// Keepalive pings are answered: several in a row, and the session stays.
	for i := 1; i <= 3; i++ {
		waitStanzas(t, ctx, srv, "ping", i, wafake.IsPing)
	}
	if !cli.IsConnected() || srv.Logins(jid) != 1 {
		t.Errorf("after pings: connected=%v logins=%d, want true 1", cli.IsConnected(), srv.Logins(jid))
	}
}

func waitStanzas(t *testing.T, ctx context.Context, srv *wafake.Server, what string, n int, match func(wafake.Stanza) bool) {
	t.Helper()
	if err := srv.WaitStanzas(ctx, n, match); err != nil {
		t.Fatalf("waiting for %d× %s: %v (got %d)", n, what, err, srv.CountStanzas(match))
	}
}
