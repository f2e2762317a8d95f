package app

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/outbox"
)

// waPart is the WhatsApp adapter and its session store.
type waPart struct {
	adapter   *whatsapp.Adapter
	container *sqlstore.Container
}

// newWhatsApp opens the WhatsApp session store (its own SQLite file: it
// holds the device's keys) and builds the adapter on it. The adapter's
// supervisor reports each connection state to whatsAppState (health,
// metrics, admin warnings); an unpaired session is not an error: the
// adapter waits for `piket whatsapp pair` while the rest runs.
func (a *App) newWhatsApp(ctx context.Context) (*waPart, error) {
	container, err := whatsapp.OpenStore(ctx, a.Cfg.WhatsApp.SessionDB, a.Log)
	if err != nil {
		return nil, err
	}
	salt, err := a.whatsAppIDSalt(ctx)
	if err != nil {
		container.Close()
		return nil, err
	}
	ad := whatsapp.New(whatsapp.Options{
		IDSalt:  salt,
		Session: whatsapp.NewSession(container, a.Cfg.WhatsApp.SessionDB, a.Log, a.env.WhatsAppClient),
		Handler: a.Gate, Logger: a.Log, OnState: a.whatsAppState, Settings: a.Store,
		Pacing:        whatsapp.Pacing{PerChat: a.Cfg.WhatsApp.PerChat, Global: a.Cfg.WhatsApp.Global, Jitter: a.Cfg.WhatsApp.Jitter},
		Typing:        a.Cfg.WhatsApp.Typing,
		Undeliverable: a.whatsAppUndeliverable, // groups and LIDs: the session's live client
	})
	a.registerWhatsAppMetrics(ad)
	return &waPart{adapter: ad, container: container}, nil
}

// registerWhatsAppMetrics exports the connection state: one gauge per
// state (1 for the current one), the time it began and a ban's end.
func (a *App) registerWhatsAppMetrics(ad *whatsapp.Adapter) {
	reg := a.Metrics.Registry()
	for _, s := range whatsapp.Statuses() {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        "piket_whatsapp_state",
			Help:        "1 for the WhatsApp connection's current state (connected, logged_out, banned, stream_replaced, …), 0 for the others.",
			ConstLabels: prometheus.Labels{"state": string(s)},
		}, func() float64 {
			if ad.Status() == s {
				return 1
			}
			return 0
		}))
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "piket_whatsapp_state_since_timestamp_seconds",
		Help: "Unix time the WhatsApp connection's current state began; 0 before the first.",
	}, func() float64 { return unixOrZero(ad.State().Since) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "piket_whatsapp_ban_until_timestamp_seconds",
		Help: "Unix time a temporary WhatsApp ban ends; 0 when not banned.",
	}, func() float64 {
		if s := ad.State(); s.Status == whatsapp.StatusBanned {
			return unixOrZero(s.Until)
		}
		return 0
	}))
}

func unixOrZero(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1000
}

// whatsAppLimits paces the outbox for WhatsApp; the adapter adds jitter.
func whatsAppLimits(perChat, global time.Duration) outbox.Limits {
	l := outbox.Limits{PerChat: perChat, Concurrency: 1}
	if global > 0 {
		l.PerSecond = float64(time.Second) / float64(global)
	}
	return l
}

// whatsAppState reports a WhatsApp connection state to /healthz and
// warns the office admins of an incident. The adapter has logged it. It
// runs on whatsmeow's event goroutine and must not block.
func (a *App) whatsAppState(s whatsapp.State) {
	const name = string(bot.WhatsApp)
	switch s.Status {
	case whatsapp.StatusConnected:
		a.Health.SetPlatform(name, s.String(), true)
	case whatsapp.StatusPhoneOffline, whatsapp.StatusKeepAliveLost:
		a.Health.SetPlatformDegraded(name, s.String())
	default:
		a.Health.SetPlatform(name, s.String(), false)
	}
	if s.Incident != "" {
		go a.warnAdminsWhatsApp(s)
	}
}

// warnAdminsWhatsApp tells the office admins of a WhatsApp incident on
// every platform they use: WhatsApp too when it still works (the phone
// offline), otherwise the others. The incident's key makes it once per
// incident.
func (a *App) warnAdminsWhatsApp(s whatsapp.State) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	texts := bot.TextsFor(a.Cfg.Language)
	skip := bot.WhatsApp
	var text string
	switch s.Status {
	case whatsapp.StatusLoggedOut:
		text = texts.WhatsAppLoggedOut
	case whatsapp.StatusBanned:
		until := ""
		if !s.Until.IsZero() {
			loc, err := time.LoadLocation(a.Cfg.Timezone)
			if err != nil {
				loc = time.UTC
			}
			until = s.Until.In(loc).Format("02-01-2006 15.04 MST")
		}
		text = texts.WhatsAppConn.Banned(until)
	case whatsapp.StatusStreamReplaced:
		text = texts.WhatsAppConn.StreamReplaced
	case whatsapp.StatusClientOutdated:
		text = texts.WhatsAppConn.ClientOutdated
	case whatsapp.StatusPhoneOffline:
		text, skip = texts.WhatsAppConn.PhoneOffline(s.PhoneOfflineDays), ""
	default:
		return
	}
	if err := a.Service.WarnAdmins(ctx, text, "whatsapp:"+s.Incident, skip); err != nil {
		a.Log.Error("whatsapp: warn admins", "state", string(s.Status), "err", err)
	}
}

// whatsAppIDSalt returns this database's random salt for stable WhatsApp
// message IDs, creating it on first use.
func (a *App) whatsAppIDSalt(ctx context.Context) (string, error) {
	const key = "whatsapp.id_salt"
	salt, err := a.Store.Setting(ctx, key)
	if err != nil || salt != "" {
		return salt, err
	}
	salt = rand.Text()
	if err := a.Store.SetSetting(ctx, key, salt); err != nil {
		return "", err
	}
	return salt, nil
}
