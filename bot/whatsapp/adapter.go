package whatsapp

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/bot"
)

// Client is the part of *whatsmeow.Client the adapter uses. Tests use a
// fake.
type Client interface {
	SendMessage(ctx context.Context, to types.JID, msg *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	IsConnected() bool

	// Used by Run only.
	ConnectContext(ctx context.Context) error
	Disconnect()
	AddEventHandlerWithSuccessStatus(handler whatsmeow.EventHandlerWithSuccessStatus) uint32
	RemoveEventHandler(id uint32) bool
}

// Device tells who the bot is: its phone-number JID (empty until paired)
// and its LID. *store.Device (client.Store) implements it.
type Device interface {
	GetJID() types.JID
	GetLID() types.JID
}

// LIDResolver maps a LID to the phone-number JID behind it, returning an
// empty JID when the mapping is unknown. store.LIDStore
// (client.Store.LIDs) implements it.
type LIDResolver interface {
	GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error)
}

// The real implementations.
var (
	_ Client      = (*whatsmeow.Client)(nil)
	_ Device      = (*store.Device)(nil)
	_ LIDResolver = (store.LIDStore)(nil)
)

// Status is the state of the WhatsApp connection, for health checks and
// admin notices.
type Status string

// Connection states reported through Options.OnStatus.
const (
	StatusConnecting   Status = "connecting"
	StatusConnected    Status = "connected"
	StatusDisconnected Status = "disconnected" // whatsmeow reconnects by itself
	StatusLoggedOut    Status = "logged_out"   // not paired: needs `piket whatsapp pair`
	StatusBanned       Status = "banned"       // temporarily banned by WhatsApp
	// More in supervisor.go.
)

// Errors callers may branch on.
var (
	// ErrNotPaired is returned by Connect, and by Run without a Session,
	// when the session store holds no linked device.
	ErrNotPaired = errors.New("whatsapp: no paired device; run `piket whatsapp pair` first")
	// ErrNotConnected is wrapped by Send's error while the connection is
	// down. The error also carries a *bot.RetryAfterError (Global).
	ErrNotConnected = errors.New("whatsapp: not connected")
)

// Options configure an Adapter. Handler is required, and either Session
// or Client and Device.
type Options struct {
	// Account names this number among several ("" the primary): its
	// messages carry it (see bot.ForAccount).
	Account string
	Client  Client
	Device  Device      // usually client.Store
	LIDs    LIDResolver // usually client.Store.LIDs; nil: LIDs stay unresolved
	Handler bot.Handler
	Logger  *slog.Logger
	// OnStatus, if set, is called on every connection state change. It runs
	// on whatsmeow's event goroutine and must not block.
	OnStatus func(Status)
	// OnState, if set, is called with every new State (a new kind, reason,
	// ban end or phone-offline day count). Same rules as OnStatus.
	OnState func(State)
	// Session, if set, replaces Client, Device and LIDs: Run builds the
	// client of the device paired in the session store, keeps running
	// while none is, and picks up a new pairing by itself (polling every
	// PairPoll, default 10s).
	Session  *Session
	PairPoll time.Duration
	// Settings keeps the phone's last sighting across restarts (for the
	// phone-offline warning); nil: it starts afresh at each start.
	Settings Settings
	// Tick is how often the supervisor checks its timers (reconnect after a
	// ban, the phone's absence); default 5s.
	Tick   time.Duration
	Pacing Pacing
	// Typing shows "typing…" in the chat for a moment before each message.
	Typing bool
	// IDSalt, when set, makes each outbox message's WhatsApp message ID
	// fixed (OutboxMessageID), so retries cannot deliver it twice. Use a
	// random value kept with the database.
	IDSalt string
	// HandleTimeout bounds one Handler.Handle call; default 30s.
	HandleTimeout time.Duration

	// Groups, if set (usually the client), resolves a LID sender through
	// the group's participant list (see identity.go).
	Groups GroupInfoGetter
	// Undeliverable, if set, is told when a send ends for good because the
	// chat cannot be reached; why is one of bot.WhyNotInGroup… (see
	// send.go). It runs in Send, before Send returns: keep it short.
	Undeliverable func(chatID string, group bool, why string)

	// Now and Sleep replace the clock in tests. Sleep must return ctx.Err()
	// if ctx ends first.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Adapter connects Piket's core to WhatsApp. It implements bot.Sender.
type Adapter struct {
	client        Client
	device        Device
	lids          LIDResolver
	groups        GroupInfoGetter
	undeliverable func(chatID string, group bool, why string)
	handler       bot.Handler
	log           *slog.Logger
	onStatus      func(Status)
	typing        bool
	idSalt        string
	handleTimeout time.Duration
	sleep         func(ctx context.Context, d time.Duration) error
	pace          *pacer

	onState  func(State)
	session  *Session
	live     *liveClient
	settings Settings
	pairPoll time.Duration
	tick     time.Duration
	now      func() time.Time
	wake     chan struct{} // an event changed the state (supervisor.go)
	reportMu sync.Mutex    // one state change at a time, reported in order

	mu          sync.Mutex
	state       State
	incidents   map[Status]string // open incidents' keys by state
	connectedAt time.Time         // connected since (zero: not connected)
	phoneLast   time.Time         // the phone was last seen online
	phoneSaved  time.Time         // phoneLast as last written to Settings
	runCtx      context.Context   // Run's context, for Handler calls
}

var _ bot.Sender = (*Adapter)(nil)

// New returns an Adapter. Call Run to connect and receive messages; Send
// may be used concurrently.
func New(opts Options) *Adapter {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if opts.HandleTimeout <= 0 {
		opts.HandleTimeout = 30 * time.Second
	}
	if opts.PairPoll <= 0 {
		opts.PairPoll = 10 * time.Second
	}
	if opts.Tick <= 0 {
		opts.Tick = 5 * time.Second
	}
	var live *liveClient
	if opts.Session != nil {
		live = &liveClient{}
		opts.Client, opts.Device, opts.LIDs = live, live, live
		if opts.Groups == nil {
			opts.Groups = live
		}
	}
	return &Adapter{
		client:        opts.Client,
		device:        opts.Device,
		lids:          opts.LIDs,
		groups:        newGroupCache(opts.Groups, opts.Now),
		undeliverable: opts.Undeliverable,
		handler:       bot.ForAccount(opts.Handler, opts.Account),
		log:           logFor(opts.Logger, opts.Account),
		onStatus:      opts.OnStatus,
		typing:        opts.Typing,
		idSalt:        opts.IDSalt,
		handleTimeout: opts.HandleTimeout,
		sleep:         opts.Sleep,
		pace:          newPacer(opts.Pacing, opts.Now, opts.Sleep),
		onState:       opts.OnState,
		session:       opts.Session,
		live:          live,
		settings:      opts.Settings,
		pairPoll:      opts.PairPoll,
		tick:          opts.Tick,
		now:           opts.Now,
		wake:          make(chan struct{}, 1),
		state:         State{Status: StatusDisconnected},
		incidents:     map[Status]string{},
		runCtx:        context.Background(),
	}
}

// logFor is the adapter's logger: the platform, and the account unless
// it is the primary one.
func logFor(l *slog.Logger, account string) *slog.Logger {
	l = l.With("platform", string(bot.WhatsApp))
	if account != "" {
		l = l.With("account", account)
	}
	return l
}

// Phone is the paired number in E.164 ("+62…"), "" while none is paired
// or connected.
func (a *Adapter) Phone() string {
	if a.device == nil {
		return ""
	}
	if j := a.device.GetJID(); j.User != "" {
		return "+" + j.User
	}
	return ""
}

func (a *Adapter) context() context.Context {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.runCtx
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
