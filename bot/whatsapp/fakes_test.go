package whatsapp

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/internal/syncbuf"
)

var (
	botPN    = types.NewJID("6281100000001", types.DefaultUserServer)
	botLID   = types.NewJID("99990000000001", types.HiddenUserServer)
	userPN   = types.NewJID("6281234567890", types.DefaultUserServer)
	userLID  = types.NewJID("123456789012345", types.HiddenUserServer)
	otherLID = types.NewJID("555555555555555", types.HiddenUserServer)
	groupJID = types.NewJID("120363000000000001", types.GroupServer)
	t0       = time.Date(2026, 11, 2, 1, 30, 0, 0, time.UTC)
)

// fakeDevice is the bot's identity.
type fakeDevice struct{ pn, lid types.JID }

func (d fakeDevice) GetJID() types.JID { return d.pn }
func (d fakeDevice) GetLID() types.JID { return d.lid }

// fakeLIDs maps LID users to phone-number JIDs.
type fakeLIDs struct {
	m   map[string]types.JID
	err error
}

func (f fakeLIDs) GetPNForLID(_ context.Context, lid types.JID) (types.JID, error) {
	if f.err != nil {
		return types.EmptyJID, f.err
	}
	return f.m[lid.User], nil
}

func (f fakeLIDs) PutLIDMapping(_ context.Context, lid, pn types.JID) error {
	if f.err != nil {
		return f.err
	}
	f.m[lid.User] = pn
	return nil
}

func (f fakeLIDs) GetLIDForPN(_ context.Context, pn types.JID) (types.JID, error) {
	if f.err != nil {
		return types.EmptyJID, f.err
	}
	for l, p := range f.m {
		if p == pn {
			return types.NewJID(l, types.HiddenUserServer), nil
		}
	}
	return types.EmptyJID, nil
}

// fakeGroups answers GetGroupInfo from a map.
type fakeGroups struct {
	mu    sync.Mutex
	info  map[types.JID]*types.GroupInfo
	err   error
	calls int
}

func (g *fakeGroups) GetGroupInfo(_ context.Context, jid types.JID) (*types.GroupInfo, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if g.err != nil {
		return nil, g.err
	}
	if info, ok := g.info[jid]; ok {
		return info, nil
	}
	return nil, whatsmeow.ErrGroupNotFound
}

type sent struct {
	to   types.JID
	text string
	at   time.Time
	id   types.MessageID // the ID the adapter asked for ("" if none)
	msg  *waE2E.Message
}

// fakeClient records what the adapter does with the WhatsApp client.
type fakeClient struct {
	mu        sync.Mutex
	connected bool
	now       func() time.Time
	sendErr   error
	errFor    map[types.JID]error // per chat, before sendErr
	attempts  map[types.JID]int   // SendMessage calls per chat
	sent      []sent
	presence  []types.ChatPresence
	handler   whatsmeow.EventHandlerWithSuccessStatus
	connects  int
	connectFn func(ctx context.Context) error
	removed   []uint32
	disconns  int
	nextID    int
}

var _ Client = (*fakeClient)(nil)

func (c *fakeClient) SendMessage(_ context.Context, to types.JID, msg *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.attempts == nil {
		c.attempts = map[types.JID]int{}
	}
	c.attempts[to]++
	if err := c.errFor[to]; err != nil {
		return whatsmeow.SendResponse{}, err
	}
	if c.sendErr != nil {
		return whatsmeow.SendResponse{}, c.sendErr
	}
	var at time.Time
	if c.now != nil {
		at = c.now()
	}
	var asked types.MessageID
	if len(extra) > 0 {
		asked = extra[0].ID
	}
	txt := msg.GetConversation()
	if txt == "" {
		txt = msg.GetExtendedTextMessage().GetText()
	}
	c.sent = append(c.sent, sent{to: to, text: txt, at: at, id: asked, msg: msg})
	c.nextID++
	if asked != "" {
		return whatsmeow.SendResponse{ID: asked}, nil
	}
	return whatsmeow.SendResponse{ID: "3EB0" + string(rune('A'+c.nextID-1))}, nil
}

func (c *fakeClient) SendChatPresence(_ context.Context, _ types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.presence = append(c.presence, state)
	return nil
}

func (c *fakeClient) IsConnected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connected
}

func (c *fakeClient) ConnectContext(ctx context.Context) error {
	c.mu.Lock()
	c.connects++
	fn := c.connectFn
	c.mu.Unlock()
	if fn != nil {
		return fn(ctx)
	}
	return nil
}

func (c *fakeClient) Disconnect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.disconns++
	c.connected = false
}

func (c *fakeClient) AddEventHandlerWithSuccessStatus(h whatsmeow.EventHandlerWithSuccessStatus) uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.handler = h
	return 7
}

func (c *fakeClient) RemoveEventHandler(id uint32) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removed = append(c.removed, id)
	return true
}

func (c *fakeClient) sentMessages() []sent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]sent(nil), c.sent...)
}

// fakeHandler records inbound messages.
type fakeHandler struct {
	mu    sync.Mutex
	got   []bot.Inbound
	ctxs  []context.Context
	errs  []error // returned in turn; nil when exhausted
	panic bool
}

func (h *fakeHandler) Handle(ctx context.Context, m bot.Inbound) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.panic {
		panic("boom")
	}
	h.got = append(h.got, m)
	h.ctxs = append(h.ctxs, ctx)
	if len(h.errs) > 0 {
		err := h.errs[0]
		h.errs = h.errs[1:]
		return err
	}
	return nil
}

func (h *fakeHandler) calls() []bot.Inbound {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Inbound(nil), h.got...)
}

// fakeClock is a manual clock whose Sleep advances time.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestLogger(level slog.Level) (*slog.Logger, *syncbuf.Buffer) {
	b := &syncbuf.Buffer{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: level})), b
}

type testEnv struct {
	a       *Adapter
	client  *fakeClient
	handler *fakeHandler
	clock   *fakeClock
	status  *statusRecorder
	logs    *syncbuf.Buffer
}

type statusRecorder struct {
	mu  sync.Mutex
	got []Status
}

func (r *statusRecorder) record(s Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, s)
}

func (r *statusRecorder) all() []Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Status(nil), r.got...)
}

// newTestAdapter builds an adapter on fakes; mod may change the options.
func newTestAdapter(t *testing.T, mod func(*Options)) *testEnv {
	t.Helper()
	clock := newFakeClock()
	client := &fakeClient{connected: true, now: clock.Now}
	handler := &fakeHandler{}
	status := &statusRecorder{}
	log, logs := newTestLogger(slog.LevelInfo)
	opts := Options{
		Client:   client,
		Device:   fakeDevice{pn: botPN, lid: botLID},
		LIDs:     fakeLIDs{m: map[string]types.JID{userLID.User: userPN}},
		Handler:  handler,
		Logger:   log,
		OnStatus: status.record,
		Now:      clock.Now,
		Sleep:    clock.Sleep,
	}
	if mod != nil {
		mod(&opts)
	}
	return &testEnv{a: New(opts), client: client, handler: handler, clock: clock, status: status, logs: logs}
}

var errBoom = errors.New("boom")
