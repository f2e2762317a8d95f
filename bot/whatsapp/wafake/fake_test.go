//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wafake_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

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
func linkedClient(t *testing.T, ctx context.Context, srv *wafake.Server, container *sqlstore.Container, number string) (*whatsmeow.Client, types.JID) {
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
	return client(t, srv, dev), jid
}

func client(t *testing.T, srv *wafake.Server, dev *store.Device) *whatsmeow.Client {
	t.Helper()
	cli := whatsapp.NewClient(dev, testLog(t))
	srv.Attach(cli)
	t.Cleanup(cli.Disconnect)
	return cli
}

// connect connects cli and waits for Connected. It connects with
// Connect, not ConnectContext(t.Context()): whatsmeow's read loop ends
// when that context does, and testing cancels it just before the cleanup
// that calls Disconnect, two closes whatsmeow races on.
func connect(t *testing.T, ctx context.Context, cli *whatsmeow.Client) *recorder {
	t.Helper()
	rec := newRecorder(cli)
	if err := cli.Connect(); err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "Connected", 1, is[*events.Connected])
	return rec
}

func TestLinkedDeviceConnectsAndKeepsAlive(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	cli, jid := linkedClient(t, ctx, srv, openStore(t, ctx), "6281200000001")
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
	// The server records the stanza as it answers it: wait for it.
	waitStanzas(t, ctx, srv, "<iq xmlns=passive><active/>", 1, func(st wafake.Stanza) bool {
		return st.Node.Tag == "iq" && st.Node.Attrs["xmlns"] == "passive" && len(st.Node.GetChildrenByTag("active")) == 1
	})
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

func TestDroppedSocketReconnects(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	cli, jid := linkedClient(t, ctx, srv, openStore(t, ctx), "6281200000002")
	rec := connect(t, ctx, cli)
	if err := srv.Drop(jid); err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "Disconnected", 1, is[*events.Disconnected])
	rec.waitN(t, ctx, "second Connected", 2, is[*events.Connected])
	if err := srv.WaitLoggedIn(ctx, jid); err != nil {
		t.Fatal(err)
	}
	if got := srv.Logins(jid); got != 2 {
		t.Errorf("logins = %d, want 2", got)
	}
}

func TestStreamErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		do        func(*wafake.Server, types.JID) error
		event     func(any) bool
		reconnect bool // whatsmeow logs in again by itself
		deleted   bool // whatsmeow deletes the device from its store
	}{
		{"replaced", (*wafake.Server).StreamReplaced, is[*events.StreamReplaced], false, false},
		{"device removed", (*wafake.Server).DeviceRemoved, func(e any) bool {
			lo, ok := e.(*events.LoggedOut)
			return ok && !lo.OnConnect && lo.Reason == events.ConnectFailureLoggedOut
		}, false, true},
		{"restart 515", func(s *wafake.Server, j types.JID) error { return s.StreamErrorCode(j, 515) }, func(e any) bool { return false }, true, false},
		{"temporary ban", func(s *wafake.Server, j types.JID) error { return s.Ban(j, time.Now().Add(time.Hour)) }, func(e any) bool {
			tb, ok := e.(*events.TemporaryBan)
			return ok && tb.Expire > 59*time.Minute && tb.Expire <= time.Hour
		}, false, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			srv := newServer(t)
			container := openStore(t, ctx)
			cli, jid := linkedClient(t, ctx, srv, container, fmt.Sprintf("628120000011%d", i))
			rec := connect(t, ctx, cli)
			if err := tt.do(srv, jid); err != nil {
				t.Fatal(err)
			}
			if tt.reconnect {
				rec.waitN(t, ctx, "second Connected", 2, is[*events.Connected])
				if got := srv.Logins(jid); got != 2 {
					t.Errorf("logins = %d, want 2", got)
				}
				return
			}
			rec.waitN(t, ctx, tt.name+" event", 1, tt.event)
			if err := srv.WaitLoggedOut(ctx, jid); err != nil {
				t.Fatal(err)
			}
			// No reconnect follows: give it a moment and check nothing logged in.
			time.Sleep(500 * time.Millisecond)
			if got := srv.Logins(jid); !tt.deleted && got != 1 {
				t.Errorf("logins = %d, want 1 (no reconnect)", got)
			}
			if cli.IsConnected() {
				t.Error("client still connected")
			}
			dev, err := container.GetFirstDevice(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if deleted := dev.ID == nil; deleted != tt.deleted {
				t.Errorf("device deleted from the store = %v, want %v", deleted, tt.deleted)
			}
		})
	}
}

func TestUnknownDeviceIsLoggedOut(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	container := openStore(t, ctx)
	other := newServer(t)
	cli, _ := linkedClient(t, ctx, other, container, "6281200000003")
	// The device was linked on another server: this one does not know it.
	srv := newServer(t)
	srv.Attach(cli)
	rec := newRecorder(cli)
	if err := cli.Connect(); err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "LoggedOut on connect", 1, func(e any) bool {
		lo, ok := e.(*events.LoggedOut)
		return ok && lo.OnConnect && lo.Reason == events.ConnectFailureLoggedOut
	})
}

func textMessage(text string) *waE2E.Message {
	return &waE2E.Message{Conversation: proto.String(text)}
}
