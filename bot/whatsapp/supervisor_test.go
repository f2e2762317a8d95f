package whatsapp

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/piket-id/piket/internal/syncbuf"
	pstore "github.com/piket-id/piket/store"
)

// waitFor polls cond until it holds, failing after a generous deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// StoreTestDevice stores a paired device (fresh keys, a made-up number) in
// container, as `piket whatsapp pair` would.
func storeTestDevice(t *testing.T, container *sqlstore.Container, user string) *store.Device {
	t.Helper()
	d := container.NewDevice()
	jid := types.NewADJID(user, 0, 12)
	lid := types.NewADJID("9"+user, 0, 12)
	lid.Server = types.HiddenUserServer
	d.ID, d.LID = &jid, lid
	d.PushName, d.Platform = "Piket", "chrome"
	d.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64),
		AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
	if err := d.Save(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}

// offlineClient is a real whatsmeow client that cannot reach any server:
// its connections go through a proxy on a closed loopback port.
func offlineClient(t *testing.T) func(*store.Device) *whatsmeow.Client {
	return func(d *store.Device) *whatsmeow.Client {
		cli := NewClient(d, nil)
		cli.EnableAutoReconnect = false
		if err := cli.SetProxyAddress("socks5://127.0.0.1:1"); err != nil {
			t.Error(err)
		}
		return cli
	}
}

type stateRecorder struct {
	mu  sync.Mutex
	all []State
}

func (r *stateRecorder) record(s State) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, s)
}

func (r *stateRecorder) states() []State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]State(nil), r.all...)
}

// memSettings is Settings in memory.
type memSettings struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memSettings) Setting(_ context.Context, key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key], nil
}

func (s *memSettings) SetSetting(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
	return nil
}

type liveEnv struct {
	a         *Adapter
	container *sqlstore.Container
	path      string
	clock     *fakeClock
	states    *stateRecorder
	settings  *memSettings
	logs      *syncbuf.Buffer
	cancel    context.CancelFunc
	done      chan error
}

// startLive runs an adapter on a Session over a real session store file,
// with a real but offline whatsmeow client. paired stores a device first.
func startLive(t *testing.T, paired bool) *liveEnv {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wa.db")
	container, err := OpenStore(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { container.Close() })
	if paired {
		storeTestDevice(t, container, "6281100000099")
	}
	log, logs := newTestLogger(slog.LevelInfo)
	env := &liveEnv{container: container, path: path, clock: newFakeClock(), states: &stateRecorder{},
		settings: &memSettings{m: map[string]string{}}, logs: logs, done: make(chan error, 1)}
	env.a = New(Options{
		Logger:  log,
		Session: NewSession(container, path, nil, offlineClient(t)),
		Handler: &fakeHandler{}, OnState: env.states.record, Settings: env.settings,
		Now: env.clock.Now, Sleep: env.clock.Sleep, Tick: 5 * time.Millisecond, PairPoll: 5 * time.Millisecond,
	})
	rctx, cancel := context.WithCancel(ctx)
	env.cancel = cancel
	go func() { env.done <- env.a.Run(rctx) }()
	t.Cleanup(env.stop)
	t.Cleanup(func() {
		if t.Failed() {
			for _, s := range env.states.states() {
				t.Logf("state %s (incident %q)", s, s.Incident)
			}
		}
	})
	return env
}

func (e *liveEnv) stop() {
	if e.cancel != nil {
		e.cancel()
		<-e.done
		e.cancel = nil
	}
}

// internals is the whatsmeow client in use, once it exists.
func (e *liveEnv) internals(t *testing.T) *whatsmeow.DangerousInternalClient {
	t.Helper()
	waitFor(t, "a client", func() bool { return e.a.WhatsmeowClient() != nil })
	return e.a.WhatsmeowClient().DangerousInternals()
}

// waitState waits for the adapter to reach status.
func (e *liveEnv) waitState(t *testing.T, status Status) State {
	t.Helper()
	waitFor(t, "state "+string(status)+" (now "+e.a.State().String()+")", func() bool { return e.a.Status() == status })
	return e.a.State()
}

// connects counts the supervisor's connection attempts so far.
func (e *liveEnv) connects() int {
	n := 0
	for _, s := range e.states.states() {
		if s.Status == StatusConnecting {
			n++
		}
	}
	return n
}

func failure(reason string, attrs map[string]string) *waBinary.Node {
	n := &waBinary.Node{Tag: "failure", Attrs: waBinary.Attrs{"reason": reason}}
	for k, v := range attrs {
		n.Attrs[k] = v
	}
	return n
}

func streamError(code, conflict string) *waBinary.Node {
	n := &waBinary.Node{Tag: "stream:error", Attrs: waBinary.Attrs{}}
	if code != "" {
		n.Attrs["code"] = code
	}
	if conflict != "" {
		n.Content = []waBinary.Node{{Tag: "conflict", Attrs: waBinary.Attrs{"type": conflict}}}
	}
	return n
}

// Connection failures and stream errors go through whatsmeow's own
// handlers (HandleConnectFailure, HandleStreamError) into the supervisor:
// each ends in its own state, with an incident for the admin warning when
// an operator must act, and the supervisor reconnects when it can.
func TestSupervisorStates(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		drive    func(in *whatsmeow.DangerousInternalClient)
		want     Status
		reason   string
		incident bool
		// retry: advancing the clock this far makes the supervisor
		// reconnect (0: it must not, the device is gone).
		retry time.Duration
	}{
		{"401 logged out", func(in *whatsmeow.DangerousInternalClient) { in.HandleConnectFailure(ctx, failure("401", nil)) },
			StatusLoggedOut, "logged out", true, 0},
		{"402 temporary ban", func(in *whatsmeow.DangerousInternalClient) {
			in.HandleConnectFailure(ctx, failure("402", map[string]string{"code": "101", "expire": "3600"}))
		}, StatusBanned, "code 101", true, time.Hour + BanMargin},
		{"405 client outdated", func(in *whatsmeow.DangerousInternalClient) { in.HandleConnectFailure(ctx, failure("405", nil)) },
			StatusClientOutdated, "405", true, OutdatedRetry},
		{"418 unknown client, not retried by whatsmeow", func(in *whatsmeow.DangerousInternalClient) {
			in.HandleConnectFailure(ctx, failure("418", nil))
		}, StatusConnectFailed, "connect failure 418", false, FailureRetry},
		{"stream replaced", func(in *whatsmeow.DangerousInternalClient) { in.HandleStreamError(ctx, streamError("", "replaced")) },
			StatusStreamReplaced, "another client", true, ReplacedRetry},
		{"device removed", func(in *whatsmeow.DangerousInternalClient) {
			in.HandleStreamError(ctx, streamError("401", "device_removed"))
		}, StatusLoggedOut, "logged out", true, 0},
		{"dropped and not reconnected by whatsmeow", func(in *whatsmeow.DangerousInternalClient) {
			in.DispatchEvent(&events.Connected{})
			in.DispatchEvent(&events.Disconnected{})
		}, StatusDisconnected, "connection lost", false, DisconnectedReconnect},
		{"keep-alive lost", func(in *whatsmeow.DangerousInternalClient) {
			in.DispatchEvent(&events.Connected{})
			in.DispatchEvent(&events.KeepAliveTimeout{ErrorCount: 3, LastSuccess: time.Now()})
		}, StatusKeepAliveLost, "3 keep-alive", false, KeepAliveReconnect},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := startLive(t, true)
			in := env.internals(t)
			env.waitState(t, StatusConnectFailed) // the offline client's first connect
			tt.drive(in)
			var last []State
			waitFor(t, string(tt.want)+" saying "+tt.reason, func() bool {
				st := env.a.State()
				last = env.states.states()
				// The state is set, then logged: wait for both.
				return st.Status == tt.want && strings.Contains(st.String(), tt.reason) &&
					strings.Contains(env.logs.String(), "state="+string(tt.want))
			})
			t.Logf("states: %v", last)
			st := env.a.State()
			if (st.Incident != "") != tt.incident {
				t.Errorf("incident %q, want one: %v", st.Incident, tt.incident)
			}
			if logs := env.logs.String(); !strings.Contains(logs, "state="+string(tt.want)) {
				t.Errorf("state %s not logged:\n%s", tt.want, logs)
			}
			if tt.want == StatusBanned && !st.Until.Equal(t0.Add(time.Hour)) {
				t.Errorf("ban until %s, want %s", st.Until, t0.Add(time.Hour))
			}
			before := env.connects()
			if tt.retry == 0 {
				// Logged out: whatsmeow deleted the device; Run waits for a
				// new pairing instead of returning.
				waitFor(t, "the client dropped", func() bool { return env.a.WhatsmeowClient() == nil })
				if d, err := env.container.GetFirstDevice(ctx); err != nil || d.ID != nil {
					t.Fatalf("device still stored after logout: %v %v", d.ID, err)
				}
				select {
				case err := <-env.done:
					t.Fatalf("Run returned %v on logout", err)
				default:
				}
				return
			}
			env.clock.Advance(tt.retry - time.Second)
			time.Sleep(50 * time.Millisecond) // ten ticks: too early, nothing happens
			if n := env.connects(); n != before {
				t.Fatalf("reconnected %d times before the delay", n-before)
			}
			env.clock.Advance(2 * time.Second)
			waitFor(t, "a reconnect", func() bool { return env.connects() > before })
		})
	}
}

// One incident warns once: a second ban while the first incident is open
// keeps its key; a stable connection ends it.
func TestSupervisorIncidents(t *testing.T) {
	env := startLive(t, true)
	in := env.internals(t)
	env.waitState(t, StatusConnectFailed)
	ban := failure("402", map[string]string{"code": "101", "expire": "60"})
	in.HandleConnectFailure(context.Background(), ban)
	first := env.waitState(t, StatusBanned).Incident
	env.clock.Advance(2 * time.Minute)
	env.waitState(t, StatusConnectFailed) // reconnected after the ban (offline)
	in.HandleConnectFailure(context.Background(), ban)
	if again := env.waitState(t, StatusBanned).Incident; again != first {
		t.Errorf("second ban of one incident has key %q, first %q", again, first)
	}
	env.clock.Advance(2 * time.Minute)
	env.waitState(t, StatusConnectFailed)
	in.DispatchEvent(&events.Connected{})
	env.waitState(t, StatusConnected)
	env.clock.Advance(StableAfter + time.Minute)
	time.Sleep(50 * time.Millisecond)
	in.HandleConnectFailure(context.Background(), ban)
	if later := env.waitState(t, StatusBanned).Incident; later == first || later == "" {
		t.Errorf("a ban after a stable connection has key %q, the old incident's %q", later, first)
	}
}

// Unpaired at start, Run keeps running and says why; a device paired while
// it runs (here: stored in the session store, as `piket whatsapp pair`
// does) is picked up without a restart. While it is in use, the session is
// locked against a second client; after a logout the lock is released so
// that pairing can run.
func TestSupervisorPicksUpPairing(t *testing.T) {
	env := startLive(t, false)
	st := env.waitState(t, StatusLoggedOut)
	if !strings.Contains(st.Reason, "piket whatsapp pair") || st.Incident != "" {
		t.Errorf("unpaired state %+v: want the instruction and no incident", st)
	}
	// Pairing needs the session lock: it is free.
	lock, err := LockSession(env.path)
	if err != nil {
		t.Fatalf("session locked while unpaired: %v", err)
	}
	storeTestDevice(t, env.container, "6281100000098")
	time.Sleep(30 * time.Millisecond)
	if env.a.WhatsmeowClient() != nil {
		t.Fatal("device used while the pairing command still holds the session")
	}
	lock.Close()
	in := env.internals(t)
	if got := env.a.device.GetJID().User; got != "6281100000098" {
		t.Errorf("device in use %q", got)
	}
	env.waitState(t, StatusConnectFailed)
	if _, err := LockSession(env.path); !errors.Is(err, pstore.ErrLocked) {
		t.Errorf("session not locked while its device is in use: %v", err)
	}
	in.HandleConnectFailure(context.Background(), failure("401", nil))
	env.waitState(t, StatusLoggedOut)
	waitFor(t, "the session lock released", func() bool {
		l, err := LockSession(env.path)
		if err == nil {
			l.Close()
		}
		return err == nil
	})
	storeTestDevice(t, env.container, "6281100000097")
	env.internals(t)
	waitFor(t, "the second pairing in use", func() bool { return env.a.device.GetJID().User == "6281100000097" })
}

// The phone not seen for 12 days makes the state phone_offline (an
// incident per last sighting); a receipt from the phone ends it. The last
// sighting survives a restart through Settings.
func TestSupervisorPhoneOffline(t *testing.T) {
	env := startLive(t, true)
	in := env.internals(t)
	env.waitState(t, StatusConnectFailed)
	in.DispatchEvent(&events.Connected{})
	env.waitState(t, StatusConnected)
	if v := env.settings.m[phoneSeenKey]; !strings.HasPrefix(v, "6281100000099@s.whatsapp.net ") {
		t.Errorf("last sighting stored as %q", v)
	}
	env.clock.Advance(PhoneOfflineWarn + 12*time.Hour)
	st := env.waitState(t, StatusPhoneOffline)
	if st.PhoneOfflineDays != 12 || !strings.HasPrefix(st.Incident, "phone_offline:") || !strings.Contains(st.String(), "phone_offline 12 days") {
		t.Errorf("state %+v", st)
	}
	self := types.NewADJID("6281100000099", 0, 0)
	in.DispatchEvent(&events.Receipt{MessageSource: types.MessageSource{Chat: self, Sender: self, IsFromMe: true}, Timestamp: env.clock.Now()})
	env.waitState(t, StatusConnected)
	if v := env.settings.m[phoneSeenKey]; !strings.HasSuffix(v, env.clock.Now().UTC().Format(time.RFC3339)) {
		t.Errorf("new sighting stored as %q", v)
	}
}

// FuzzPhoneSeen: a stored last sighting parses only for its own device and
// as a valid time, and never panics.
func FuzzPhoneSeen(f *testing.F) {
	f.Add("6281100000099@s.whatsapp.net 2026-11-02T01:30:00Z", "6281100000099@s.whatsapp.net")
	f.Add("6281100000099@s.whatsapp.net 2026-11-02T01:30:00Z", "6281100000098@s.whatsapp.net")
	f.Add(" ", "")
	f.Add("x 2026-13-40T99:99:99Z", "x")
	f.Fuzz(func(t *testing.T, v, jid string) {
		got, ok := parsePhoneSeen(v, jid)
		if !ok {
			return
		}
		if jid == "" || !strings.HasPrefix(v, jid+" ") {
			t.Fatalf("accepted %q for device %q", v, jid)
		}
		if got.IsZero() && !strings.Contains(v, "0001-01-01") {
			t.Fatalf("zero time from %q", v)
		}
	})
}
