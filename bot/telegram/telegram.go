// Package telegram connects Piket to Telegram through the Bot API. It only
// translates: updates become bot.Inbound values for a bot.Handler, and
// bot.Outbound values become sendMessage calls. Parsing, identity and
// authorization are the core's job.
//
// Receiving never loses a message: in polling mode the adapter runs its own
// getUpdates loop and confirms an update to Telegram (and persists the
// offset) only after the handler returned nil for it; in webhook mode it
// answers 200 only after the handler returned nil, so Telegram redelivers
// otherwise.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/piket-id/piket/bot"
)

// DefaultAPIURL is Telegram's Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Receiving modes.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Defaults for zero Options fields.
const (
	DefaultPollTimeout   = 30 * time.Second
	DefaultEmptyPause    = time.Second
	DefaultRetryMin      = time.Second
	DefaultRetryMax      = time.Minute
	DefaultContactButton = "Bagikan nomor telepon"
)

// OffsetStore persists the getUpdates offset across restarts. The value is
// the offset for the next getUpdates call (last confirmed update ID + 1);
// 0 means none was stored yet.
type OffsetStore interface {
	TelegramOffset(ctx context.Context) (int64, error)
	SetTelegramOffset(ctx context.Context, offset int64) error
}

// Command is one entry of the bot's command menu.
type Command struct {
	Name        string // 1–32 lowercase letters, digits, underscores; no "/"
	Description string // 1–256 characters
}

// Webhook configures webhook mode.
type Webhook struct {
	Listen    string // address to serve on, e.g. ":8443"
	PublicURL string // HTTPS URL Telegram posts to; its path is served
	Secret    string // X-Telegram-Bot-Api-Secret-Token: 1–256 of A-Z a-z 0-9 _ -
	// MaxConnections is how many deliveries Telegram may make at once
	// (setWebhook's max_connections, 1–100; 0: DefaultMaxConnections).
	// Deliveries for one chat are handled one at a time, in the order
	// they arrive; others run side by side and share group commits.
	MaxConnections int
}

// DefaultMaxConnections is the webhook's default concurrency.
const DefaultMaxConnections = 40

// Options configures an Adapter.
type Options struct {
	Token string
	// Account names this bot among several ("" the primary): its
	// messages carry it (see bot.ForAccount).
	Account string
	APIURL  string // DefaultAPIURL if empty
	Mode    string // ModePolling (default) or ModeWebhook
	Webhook Webhook
	Handler bot.Handler
	// ReceiveAhead makes polling confirm a batch of updates once the
	// handler has received it (committed it to its inbox, see
	// bot.Receiver) rather than once it has handled it, so the next batch
	// is fetched while this one is handled. The handler must be a
	// bot.Receiver whose inbox is being handled (RunInbox).
	ReceiveAhead bool
	Offsets      OffsetStore // required in polling mode
	// Chats, if set, is told when a group chat became a supergroup.
	Chats  ChatMover
	Logger *slog.Logger
	// Commands are set as the bot's command menu by SetCommands (and by
	// Run at start).
	Commands []Command
	// Username is the bot's username without "@", used to recognise
	// "/cmd@username" and mentions in groups. If empty, Run asks getMe.
	Username string
	// PollTimeout is the long-poll timeout of getUpdates.
	PollTimeout time.Duration
	// EmptyPause is how long polling waits after an empty getUpdates
	// answer, so a server that ignores the long-poll timeout is not
	// asked hundreds of times a second.
	EmptyPause time.Duration
	// RetryMin and RetryMax bound the backoff after a failed getUpdates
	// or a failed Handle.
	RetryMin, RetryMax time.Duration
	// ContactButton is the label of the "share my phone number" button.
	ContactButton string
	// OnCall, if set, is told the outcome of each call to the Bot API
	// that shows whether Telegram is reachable (getMe, getUpdates,
	// setWebhook, sendMessage; send errors as Send returns them), for
	// health reporting. It must not block.
	OnCall func(method string, err error)
}

// Adapter is a Telegram bot: it receives updates for a bot.Handler and
// implements bot.Sender.
type Adapter struct {
	opts   Options
	log    *slog.Logger
	client *tgbot.Bot    // sending and configuration calls
	httpc  *http.Client  // our own getUpdates loop
	botID  int64         // from the token
	secret [32]byte      // SHA-256 of the webhook secret
	user   atomicString  // bot username
	sends  progressTable // multi-part sends in progress, by outbox ID
	moved  movedChats    // groups that became supergroups
	chats  chatQueue     // webhook deliveries in flight, by chat
}

var _ bot.Sender = (*Adapter)(nil)

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// New checks opts and returns an adapter. It does no I/O.
func New(opts Options) (*Adapter, error) {
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("telegram: empty token")
	}
	if opts.Handler == nil {
		return nil, errors.New("telegram: no handler")
	}
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	opts.APIURL = strings.TrimRight(opts.APIURL, "/")
	if opts.Mode == "" {
		opts.Mode = ModePolling
	}
	switch opts.Mode {
	case ModePolling:
		if opts.Offsets == nil {
			return nil, errors.New("telegram: polling mode needs an offset store")
		}
	case ModeWebhook:
		if err := validateWebhook(opts.Webhook); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("telegram: unknown mode %q (want %q or %q)", opts.Mode, ModePolling, ModeWebhook)
	}
	if err := validateCommands(opts.Commands); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = DefaultPollTimeout
	}
	if opts.EmptyPause <= 0 {
		opts.EmptyPause = DefaultEmptyPause
	}
	if opts.RetryMin <= 0 {
		opts.RetryMin = DefaultRetryMin
	}
	if opts.RetryMax < opts.RetryMin {
		opts.RetryMax = max(DefaultRetryMax, opts.RetryMin)
	}
	if opts.ContactButton == "" {
		opts.ContactButton = DefaultContactButton
	}
	opts.Username = strings.TrimPrefix(opts.Username, "@")

	log := opts.Logger.With("platform", string(bot.Telegram))
	if opts.Account != "" {
		log = log.With("account", opts.Account)
		opts.Handler = bot.ForAccount(opts.Handler, opts.Account)
	}
	client, err := tgbot.New(opts.Token,
		tgbot.WithServerURL(opts.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(opts.PollTimeout, &http.Client{Timeout: 60 * time.Second}),
		tgbot.WithErrorsHandler(func(err error) { log.Error("telegram: client", "err", err) }),
		tgbot.WithDebugHandler(func(format string, args ...any) { log.Debug("telegram: client: " + fmt.Sprintf(format, args...)) }),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	a := &Adapter{
		opts:   opts,
		log:    log,
		client: client,
		httpc:  &http.Client{},
		botID:  client.ID(),
		secret: hashSecret(opts.Webhook.Secret),
	}
	a.user.Store(opts.Username)
	return a, nil
}

func validateWebhook(w Webhook) error {
	if w.Listen == "" {
		return errors.New("telegram: webhook mode needs a listen address")
	}
	if w.MaxConnections < 0 || w.MaxConnections > 100 {
		return fmt.Errorf("telegram: webhook max connections %d is not within 1–100", w.MaxConnections)
	}
	u, err := url.Parse(w.PublicURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("telegram: bad webhook public URL %q", w.PublicURL)
	}
	if w.Secret == "" || len(w.Secret) > 256 || strings.Trim(w.Secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
		return errors.New("telegram: webhook secret must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return nil
}

func validateCommands(cmds []Command) error {
	for _, c := range cmds {
		if !commandName.MatchString(c.Name) {
			return fmt.Errorf("telegram: bad command name %q: want 1–32 lowercase letters, digits or underscores", c.Name)
		}
		if n := len([]rune(c.Description)); n < 1 || n > 256 {
			return fmt.Errorf("telegram: command %q: description must be 1–256 characters", c.Name)
		}
	}
	return nil
}

// Run receives updates until ctx is done. Lost connections are logged and
// retried, not returned; Run returns an error only when it cannot go on
// (the token is rejected, the offset store fails at start, the listen
// address is taken).
func (a *Adapter) Run(ctx context.Context) error {
	if err := a.resolveUsername(ctx); err != nil {
		return err
	}
	if len(a.opts.Commands) > 0 {
		if err := a.SetCommands(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("telegram: set commands", "err", err)
		}
	}
	if a.opts.Mode == ModeWebhook {
		return a.runWebhook(ctx)
	}
	return a.runPolling(ctx)
}

// Username is the bot's username without "@" ("" until Run asked getMe
// when Options.Username was empty).
func (a *Adapter) Username() string { return a.user.Load() }

// resolveUsername asks getMe for the bot's username unless it is known,
// retrying while the network is down.
func (a *Adapter) resolveUsername(ctx context.Context) error {
	if a.user.Load() != "" {
		return nil
	}
	return a.retry(ctx, "getMe", func() error {
		me, err := a.client.GetMe(ctx)
		a.observe(ctx, "getMe", err)
		if err != nil {
			return err
		}
		a.user.Store(me.Username)
		a.log.Info("telegram: connected", "bot", me.Username)
		return nil
	})
}

// retry calls f until it succeeds, ctx is done (nil is returned) or it
// fails in a way retrying cannot fix (the error is returned).
func (a *Adapter) retry(ctx context.Context, what string, f func() error) error {
	b := a.backoff()
	for {
		err := f()
		if err == nil || ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, tgbot.ErrorUnauthorized) || errors.Is(err, tgbot.ErrorBadRequest) {
			return fmt.Errorf("telegram: %s: %w", what, err)
		}
		a.log.Warn("telegram: request failed, retrying", "method", what, "err", err)
		if !b.wait(ctx) {
			return nil
		}
	}
}

// SetCommands sets Options.Commands as the bot's command menu.
func (a *Adapter) SetCommands(ctx context.Context) error {
	if err := validateCommands(a.opts.Commands); err != nil {
		return err
	}
	params := &tgbot.SetMyCommandsParams{}
	for _, c := range a.opts.Commands {
		params.Commands = append(params.Commands, modelsCommand(c))
	}
	if _, err := a.client.SetMyCommands(ctx, params); err != nil {
		return fmt.Errorf("telegram: set commands: %w", err)
	}
	return nil
}

// backoff is an exponential backoff between RetryMin and RetryMax.
type backoff struct {
	next, min, max time.Duration
}

func (a *Adapter) backoff() *backoff {
	return &backoff{next: a.opts.RetryMin, min: a.opts.RetryMin, max: a.opts.RetryMax}
}

// wait sleeps for the current delay and doubles it. It returns false if ctx
// ended first.
func (b *backoff) wait(ctx context.Context) bool {
	return b.waitAtLeast(ctx, 0)
}

func (b *backoff) waitAtLeast(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(max(b.next, d))
	defer t.Stop()
	b.next = min(b.next*2, b.max)
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (b *backoff) reset() { b.next = b.min }

// atomicString is a string safe for concurrent use.
type atomicString struct {
	mu sync.RWMutex
	s  string
}

func (s *atomicString) Load() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.s
}

func (s *atomicString) Store(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.s = v
}
