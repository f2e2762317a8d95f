// Package app wires Piket together from a configuration: store, core
// service, outbox dispatcher, scheduler and the enabled platform adapters.
// The commands in package cli build an App and run it.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.mau.fi/whatsmeow"
	wastore "go.mau.fi/whatsmeow/store"
	"golang.org/x/sync/errgroup"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/console"
	"github.com/piket-id/piket/bot/telegram"
	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/outbox"
	"github.com/piket-id/piket/scheduler"
	"github.com/piket-id/piket/store"
	"github.com/piket-id/piket/web"
)

// Env is the process environment an App runs in.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Clock, if set, replaces the simulated clock (tests freeze it).
	Clock *clock.Sim
	// Prompt shows a prompt in the console (stdin is a terminal).
	Prompt bool
	// Log, if set, replaces the logger built from config.
	Log *slog.Logger
	// WhatsAppClient, if set, builds the whatsmeow client of a paired
	// device (tests: one that cannot reach a server).
	WhatsAppClient func(*wastore.Device) *whatsmeow.Client
	// WebAnyPort: when http.listen is taken, serve the dashboard on a
	// free port instead (the demo).
	WebAnyPort bool
}

// App is a wired Piket.
type App struct {
	Cfg        config.Config
	Log        *slog.Logger
	Store      *store.Store
	Service    *bot.Service
	Dispatcher *outbox.Dispatcher
	Scheduler  *scheduler.Scheduler
	Clock      *clock.Sim
	Console    *console.Console
	Telegram   *telegram.Adapter // the primary bot; nil unless telegram.enabled
	WhatsApp   *whatsapp.Adapter // nil unless whatsapp.enabled
	Metrics    *ops.Metrics
	Health     *ops.Health
	HTTP       *ops.Server
	Web        *web.Server // nil unless web.enabled
	WebURL     string      // the dashboard's base URL ("" when off)
	// Gate is the core's Handler as every adapter sees it: it counts
	// messages and lets shutdown drain the ones in flight.
	Gate   *ops.Gate
	wa     []*waPart // every WhatsApp number, the primary (WhatsApp) first
	env    Env
	lock   *store.InstanceLock
	inbox  *store.Inbox // nil: nothing receives ahead
	httpLn net.Listener // opened early for the dashboard (see listenWeb)
	// tgBots are every Telegram bot, the primary (Telegram) first.
	tgBots   []telegramBot
	accounts *accounts
}

// NewLogger builds the root logger from config.
func NewLogger(w io.Writer, c config.Log) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// New opens the store and wires every part. Close releases it.
func New(ctx context.Context, cfg config.Config, env Env) (*App, error) {
	log := env.Log
	if log == nil {
		log = NewLogger(env.Stderr, cfg.Log)
	}
	// One running instance per database: a second one would send every
	// queued message again and, on WhatsApp, replace the first one's
	// connection.
	lock, err := store.Lock(cfg.Database)
	if err != nil {
		return nil, lockError(cfg.Database, err)
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{Synchronous: cfg.DatabaseSynchronous})
	if err != nil {
		lock.Close()
		return nil, err
	}
	a := &App{Cfg: cfg, Log: log, Store: st, Clock: env.Clock, env: env, lock: lock, accounts: newAccounts(cfg)}
	healthOpts := ops.HealthOptions{Store: st}
	if a.Clock == nil {
		a.Clock = clock.NewSim()
		if cfg.Console.Enabled && a.onlyConsole() {
			// The console simulator: time moves only by :waktu, so the
			// minute heartbeat says nothing about the scheduler.
			a.Clock = clock.NewStepped()
			healthOpts.SchedulerStale = -1
		}
	}
	a.Metrics = ops.NewMetrics(st, nil)
	ho := healthOptions(cfg, st)
	ho.SchedulerStale = healthOpts.SchedulerStale
	a.Health = ops.NewHealth(ho)
	a.Metrics.WatchHealth(a.Health)
	a.Gate = ops.NewGate(core{a}, a.Metrics)
	a.HTTP = ops.NewServer(cfg.HTTP.Listen, a.Health, a.Metrics, log)
	if err := a.applyOfficeZones(ctx); err != nil {
		st.Close()
		lock.Close()
		return nil, err
	}
	if err := errors.Join(a.checkCapacity(ctx), a.warnUnservedQueues(ctx)); err != nil {
		st.Close()
		lock.Close()
		return nil, err
	}
	senders := map[bot.Platform]bot.Sender{}
	limits := map[bot.Platform]outbox.Limits{}
	var implicit []bot.Addresser
	defaultLoc, _ := time.LoadLocation(cfg.Timezone)
	if cfg.Console.Enabled {
		a.Console = console.New(console.Options{
			In: env.Stdin, Out: env.Stdout, Handler: a.Gate, Directory: st, Clock: a.Clock,
			DefaultTZ: defaultLoc, Settle: a.settle, Advance: a.advance, Lang: cfg.Language, Prompt: env.Prompt,
		})
		senders[bot.Console] = a.Console
		limits[bot.Console] = outbox.Limits{Concurrency: 1}
		implicit = append(implicit, a.Console)
	}
	if cfg.Telegram.Enabled {
		a.tgBots, err = a.newTelegramBots(cfg, st, a.Gate, log)
		if err != nil {
			st.Close()
			lock.Close()
			return nil, err
		}
		a.Telegram = a.tgBots[0].adapter
		senders[bot.Telegram] = a.Telegram
		limits[bot.Telegram] = outbox.TelegramLimits()
	}
	if cfg.WhatsApp.Enabled {
		a.wa, err = a.newWhatsApps(ctx)
		if err != nil {
			st.Close()
			lock.Close()
			return nil, err
		}
		a.WhatsApp = a.wa[0].adapter
		senders[bot.WhatsApp] = a.WhatsApp
		limits[bot.WhatsApp] = whatsAppLimits(cfg.WhatsApp.PerChat, cfg.WhatsApp.Global)
	}
	// TakeOver: this process holds the instance lock, so leases left in
	// the outbox are a previous run's.
	a.Dispatcher = outbox.New(outbox.Options{Store: st, Senders: senders, Limits: limits, Accounts: a.moreAccounts(), Log: log, Observer: a.Metrics, TakeOver: true})
	a.addCheck(CheckDispatch, a.Dispatcher)
	a.Metrics.Registry().MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "piket_outbox_paused",
		Help: "1 while the outbox sends nothing because it cannot record deliveries in the database (disk full, read-only).",
	}, func() float64 {
		if a.Dispatcher.Paused() {
			return 1
		}
		return 0
	}))
	rosterPolicy, err := newRosterPolicies(cfg)
	if err != nil {
		st.Close()
		lock.Close()
		return nil, err
	}
	dashURL, err := a.listenWeb()
	if err != nil {
		st.Close()
		lock.Close()
		return nil, err
	}
	// Telegram polling receives ahead of handling, through the inbox. An
	// inbox left by an earlier run is opened whatever the configuration
	// now says (Telegram switched to webhook or off): RunInbox handles
	// what it holds before anything new.
	_, leftInbox := os.Stat(store.InboxPath(cfg.Database))
	if cfg.Telegram.Enabled && cfg.Telegram.Mode != telegram.ModeWebhook || leftInbox == nil {
		if a.inbox, err = store.OpenInbox(ctx, cfg.Database, cfg.DatabaseSynchronous); err != nil {
			a.closeListener()
			st.Close()
			lock.Close()
			return nil, err
		}
	}
	a.Service = bot.New(bot.Options{
		Store: st, Inbox: a.inbox, Texts: bot.TextsFor(cfg.Language), Clock: a.Clock.Now, Log: log,
		Policy: memoPolicy(func(code string) bot.OfficePolicy {
			return bot.OfficePolicy{Deadline: cfg.Deadline(code).Minutes(), Leave: leavePolicy(cfg, code), Roster: rosterPolicy(code),
				MaxDelay: cfg.MaxDelay(code), Since: cfg.Since(code), Flex: flexPolicy(cfg, code)}
		}),
		Implicit: implicit, Notify: a.Dispatcher.Notify,
		RateLimit:    bot.NewRateLimiter(bot.DefaultRatePerMinute, bot.DefaultRateBurst, nil),
		DashboardURL: dashURL,
		Accounts:     a.accounts,
	})
	if err := a.newWeb(dashURL); err != nil {
		a.closeListener()
		a.closeInbox()
		st.Close()
		lock.Close()
		return nil, err
	}
	a.Scheduler = scheduler.New(a.Clock.Now, a.Clock.Changes(), log, a.Metrics)
	if err := a.Scheduler.Set(a.jobs()); err != nil {
		a.closeListener()
		st.Close()
		lock.Close()
		return nil, err
	}
	return a, nil
}

// settle runs due jobs and sends what is queued (the console calls it
// after each line so output appears in order).
func (a *App) settle(ctx context.Context) error {
	a.Scheduler.Tick(ctx)
	return a.Dispatcher.Flush(ctx)
}

// advance moves the clock forward to to for the console. With runDue,
// the scheduler steps the clock through every job due on the way, in
// order; without, the clock jumps there (the simulation starts). What the
// jobs queued is sent before it returns (in the order queued; the console
// prints nothing between the steps, so one flush at the end suffices).
func (a *App) advance(ctx context.Context, to time.Time, runDue bool) error {
	step := func(at time.Time) error {
		a.Clock.Set(at)
		return nil
	}
	var err error
	if runDue {
		err = a.Scheduler.RunUntil(ctx, to, step)
	} else {
		err = a.Scheduler.Jump(to, step)
	}
	if err != nil {
		return fmt.Errorf("app: move the clock: %w", err)
	}
	return a.Dispatcher.Flush(ctx)
}

// applyOfficeZones sets the time zone of offices named in config.
func (a *App) applyOfficeZones(ctx context.Context) error {
	offices, err := a.Store.Offices(ctx)
	if err != nil {
		return err
	}
	for _, o := range offices {
		if tz := a.Cfg.OfficeTZ(o.Code); tz != o.TZ {
			if _, ok := a.Cfg.Offices[o.Code]; !ok {
				continue // keep what the import set
			}
			if err := a.Store.SetOfficeTZ(ctx, o.Code, tz); err != nil {
				return err
			}
		}
	}
	return nil
}

// Run runs every part until ctx is done or, when the console is the only
// platform, until its input ends.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The inbox (messages received ahead of handling, see
	// bot.Receiver) is handled until shutdown has drained it, after the
	// adapters stopped: it is not cancelled with them.
	ictx, stopInbox := context.WithCancel(context.WithoutCancel(ctx))
	inboxDone := make(chan struct{})
	go func() {
		defer close(inboxDone)
		if err := a.Service.RunInbox(ictx); err != nil {
			a.Log.Error("inbox stopped", "err", err)
		}
	}()
	defer func() { stopInbox(); <-inboxDone }() // on a panic or early return
	g, gctx := errgroup.WithContext(ctx)
	if !a.onlyConsole() {
		if err := a.CatchUpRosters(ctx); err != nil {
			a.Log.Error("roster: send missed posts", "err", err)
		}
	}
	g.Go(func() error { return a.serveHTTP(gctx) })
	g.Go(func() error { return a.Dispatcher.Run(gctx) })
	g.Go(func() error { return a.Scheduler.Run(gctx) })
	for _, b := range a.tgBots {
		a.Health.WatchPlatform(b.label)
		g.Go(func() error {
			err := b.adapter.Run(gctx)
			if err != nil {
				a.Health.SetPlatform(b.label, "stopped: "+err.Error(), false)
			}
			return err
		})
	}
	for _, w := range a.wa {
		g.Go(func() error { return w.adapter.Run(gctx) })
	}
	if a.Console != nil {
		g.Go(func() error {
			err := a.Console.Run(gctx)
			if err == nil && a.onlyConsole() {
				// End of input: a job still running finishes first (a Tick
				// waits for it), then what it queued is sent.
				a.Scheduler.Tick(gctx)
				if ferr := a.Dispatcher.Flush(gctx); ferr != nil && !errors.Is(ferr, context.Canceled) {
					a.Log.Error("flush outbox at end of input", "err", ferr)
				}
				cancel()
			}
			return err
		})
	}
	err := g.Wait()
	a.shutdown(ctx, func() { stopInbox(); <-inboxDone })
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("app: %w", err)
	}
	return nil
}

// shutdown runs after the adapters stopped receiving: it waits for the
// messages still being handled (new ones are refused and will be
// redelivered by their platform) and for those received into the inbox
// (left there for the next start if that takes too long), then sends what
// can be sent in a few seconds. What is not sent stays queued for the next start. The store is
// closed by Close.
func (a *App) shutdown(ctx context.Context, stopInbox func()) {
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	if err := a.Gate.Drain(dctx); err != nil {
		a.Log.Warn("shutdown: messages still in flight were cut short", "err", err)
	}
	if !a.Service.WaitHandled(dctx) {
		a.Log.Warn("shutdown: received messages left in the inbox for the next start")
	}
	stopInbox()
	cancel()
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	if err := a.Dispatcher.Flush(fctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		a.Log.Warn("shutdown: flush outbox", "err", err)
	}
	cancel()
}

// closeInbox closes the inbox, if there is one.
func (a *App) closeInbox() error {
	if a.inbox == nil {
		return nil
	}
	return a.inbox.Close()
}

func (a *App) onlyConsole() bool { return !a.Cfg.Telegram.Enabled && !a.Cfg.WhatsApp.Enabled }

// Close closes the stores and releases the instance lock.
func (a *App) Close() error {
	a.closeListener() // when Run never served it
	var errs []error
	for _, w := range a.wa {
		errs = append(errs, w.container.Close())
	}
	errs = append(errs, a.closeInbox(), a.Store.Close())
	return errors.Join(append(errs, a.lock.Close())...)
}

// lockError explains a failed instance lock.
func lockError(db string, err error) error {
	var le *store.LockedError
	if errors.As(err, &le) {
		return fmt.Errorf("another Piket is already running on %s: stop it first (%w)", db, err)
	}
	return err
}
