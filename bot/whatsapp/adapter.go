package whatsapp

import (
	"context"
	"errors"
	"fmt"
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
	StatusLoggedOut    Status = "logged_out"   // needs `piket whatsapp pair`
	StatusBanned       Status = "banned"       // temporarily banned by WhatsApp
)

// Errors callers may branch on.
var (
	// ErrNotPaired is returned by Run and Connect when the session store
	// holds no linked device.
	ErrNotPaired = errors.New("whatsapp: no paired device; run `piket whatsapp pair` first")
	// ErrNotConnected is wrapped by Send's error while the connection is
	// down. The error also carries a *bot.RetryAfterError (Global).
	ErrNotConnected = errors.New("whatsapp: not connected")
)

// Options configure an Adapter. Client, Device and Handler are required.
type Options struct {
	Client  Client
	Device  Device      // usually client.Store
	LIDs    LIDResolver // usually client.Store.LIDs; nil: LIDs stay unresolved
	Handler bot.Handler
	Logger  *slog.Logger
	// OnStatus, if set, is called on every connection state change. It runs
	// on whatsmeow's event goroutine and must not block.
	OnStatus func(Status)
	Pacing   Pacing
	// Typing shows "typing…" in the chat for a moment before each message.
	Typing bool
	// IDSalt, when set, makes each outbox message's WhatsApp message ID
	// fixed (OutboxMessageID), so retries cannot deliver it twice. Use a
	// random value kept with the database.
	IDSalt string
	// HandleTimeout bounds one Handler.Handle call; default 30s.
	HandleTimeout time.Duration

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
	handler       bot.Handler
	log           *slog.Logger
	onStatus      func(Status)
	typing        bool
	idSalt        string
	handleTimeout time.Duration
	sleep         func(ctx context.Context, d time.Duration) error
	pace          *pacer

	mu     sync.Mutex
	status Status
	runCtx context.Context // Run's context, for Handler calls
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
	return &Adapter{
		client:        opts.Client,
		device:        opts.Device,
		lids:          opts.LIDs,
		handler:       opts.Handler,
		log:           opts.Logger.With("platform", string(bot.WhatsApp)),
		onStatus:      opts.OnStatus,
		typing:        opts.Typing,
		idSalt:        opts.IDSalt,
		handleTimeout: opts.HandleTimeout,
		sleep:         opts.Sleep,
		pace:          newPacer(opts.Pacing, opts.Now, opts.Sleep),
		status:        StatusDisconnected,
		runCtx:        context.Background(),
	}
}

// Run connects to WhatsApp and handles events until ctx ends, then
// disconnects and returns nil. whatsmeow reconnects by itself after a
// connection drop; drops are reported through OnStatus, not returned. Run
// returns ErrNotPaired if the session store holds no linked device.
func (a *Adapter) Run(ctx context.Context) error {
	if a.device == nil || a.device.GetJID().IsEmpty() {
		return ErrNotPaired
	}
	a.mu.Lock()
	a.runCtx = ctx
	a.mu.Unlock()

	id := a.client.AddEventHandlerWithSuccessStatus(a.handleEvent)
	defer a.client.RemoveEventHandler(id)

	a.setStatus(StatusConnecting)
	// whatsmeow's read loop also ends with the context it connected with;
	// ending it while Disconnect below closes the socket is a data race in
	// whatsmeow (seen with the race detector against wafake), so the
	// connection lives until Disconnect.
	if err := a.client.ConnectContext(context.WithoutCancel(ctx)); err != nil {
		a.setStatus(StatusDisconnected)
		return fmt.Errorf("whatsapp: connect: %w", err)
	}
	<-ctx.Done()
	a.client.Disconnect()
	a.setStatus(StatusDisconnected)
	return nil
}

// Status is the last connection state.
func (a *Adapter) Status() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status
}

func (a *Adapter) setStatus(s Status) {
	a.mu.Lock()
	changed := a.status != s
	a.status = s
	a.mu.Unlock()
	if changed && a.onStatus != nil {
		a.onStatus(s)
	}
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
