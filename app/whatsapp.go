package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/outbox"
)

// waPart is one WhatsApp number: its adapter and its session store.
type waPart struct {
	acc       config.Account
	label     string // its name in /healthz: "whatsapp", "whatsapp:kedua"
	adapter   *whatsapp.Adapter
	container *sqlstore.Container
}

// newWhatsApps builds a waPart for each configured number, the primary
// first (whatsapp.session_db, then whatsapp.accounts).
func (a *App) newWhatsApps(ctx context.Context) ([]*waPart, error) {
	var out []*waPart
	for _, acc := range a.Cfg.WhatsAppAccounts() {
		w, err := a.newWhatsApp(ctx, acc)
		if err != nil {
			for _, w := range out {
				w.container.Close()
			}
			return nil, fmt.Errorf("whatsapp account %q: %w", acc.Name, err)
		}
		out = append(out, w)
	}
	return out, nil
}

// newWhatsApp opens the session store of the WhatsApp number acc (its own
// SQLite file: it holds the device's keys) and builds the adapter on it.
// The adapter's supervisor reports each connection state to whatsAppState
// (health, metrics, admin warnings); an unpaired session is not an error:
// the adapter waits for `piket whatsapp pair [-account NAME]` while the
// rest runs.
func (a *App) newWhatsApp(ctx context.Context, acc config.Account) (*waPart, error) {
	container, err := whatsapp.OpenStore(ctx, acc.Session, a.Log)
	if err != nil {
		return nil, err
	}
	salt, err := a.whatsAppIDSalt(ctx)
	if err != nil {
		container.Close()
		return nil, err
	}
	w := &waPart{acc: acc, label: acc.Label(string(bot.WhatsApp)), container: container}
	a.Health.SetPlatform(w.label, "starting", false)
	var settings whatsapp.Settings = a.Store
	if acc.Key != "" {
		settings = accountSettings{s: a.Store, account: acc.Key}
	}
	w.adapter = whatsapp.New(whatsapp.Options{
		IDSalt:  salt,
		Account: acc.Key,
		Session: whatsapp.NewSession(container, acc.Session, a.Log, a.env.WhatsAppClient),
		Handler: a.Gate, Logger: a.Log, OnState: func(s whatsapp.State) { a.whatsAppState(w, s) }, Settings: settings,
		Pacing:        whatsapp.Pacing{PerChat: a.Cfg.WhatsApp.PerChat, Global: a.Cfg.WhatsApp.Global, Jitter: a.Cfg.WhatsApp.Jitter},
		Typing:        a.Cfg.WhatsApp.Typing,
		Undeliverable: a.whatsAppUndeliverable, // groups and LIDs: the session's live client
	})
	a.accounts.setHandle(bot.WhatsApp, acc.Key, w.adapter.Phone)
	a.registerWhatsAppMetrics(w)
	return w, nil
}

// accountSettings keeps the settings of a WhatsApp number other than the
// primary one apart: "whatsapp.x" is stored as "whatsapp[account].x".
type accountSettings struct {
	s interface {
		Setting(ctx context.Context, key string) (string, error)
		SetSetting(ctx context.Context, key, value string) error
	}
	account string
}

func (s accountSettings) key(k string) string {
	if rest, ok := strings.CutPrefix(k, "whatsapp."); ok {
		return "whatsapp[" + s.account + "]." + rest
	}
	return s.account + ":" + k
}

func (s accountSettings) Setting(ctx context.Context, key string) (string, error) {
	return s.s.Setting(ctx, s.key(key))
}

func (s accountSettings) SetSetting(ctx context.Context, key, value string) error {
	return s.s.SetSetting(ctx, s.key(key), value)
}

// registerWhatsAppMetrics exports the connection state: one gauge per
// state (1 for the current one), the time it began and a ban's end. The
// primary number's are piket_whatsapp_*; another number's are
// piket_whatsapp_account_* with its name in the label "account".
func (a *App) registerWhatsAppMetrics(w *waPart) {
	reg := a.Metrics.Registry()
	ad := w.adapter
	prefix, labels := "piket_whatsapp_", prometheus.Labels{}
	if w.acc.Key != "" {
		prefix, labels = "piket_whatsapp_account_", prometheus.Labels{"account": w.acc.Key}
	}
	with := func(l prometheus.Labels) prometheus.Labels {
		out := prometheus.Labels{}
		for k, v := range labels {
			out[k] = v
		}
		for k, v := range l {
			out[k] = v
		}
		return out
	}
	for _, s := range whatsapp.Statuses() {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name:        prefix + "state",
			Help:        "1 for the WhatsApp connection's current state (connected, logged_out, banned, stream_replaced, …), 0 for the others.",
			ConstLabels: with(prometheus.Labels{"state": string(s)}),
		}, func() float64 {
			if ad.Status() == s {
				return 1
			}
			return 0
		}))
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        prefix + "state_since_timestamp_seconds",
		Help:        "Unix time the WhatsApp connection's current state began; 0 before the first.",
		ConstLabels: labels,
	}, func() float64 { return unixOrZero(ad.State().Since) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        prefix + "ban_until_timestamp_seconds",
		Help:        "Unix time a temporary WhatsApp ban ends; 0 when not banned.",
		ConstLabels: labels,
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

// whatsAppState reports a WhatsApp number's connection state to /healthz
// and warns the office admins of an incident. The adapter has logged it.
// It runs on whatsmeow's event goroutine and must not block.
func (a *App) whatsAppState(w *waPart, s whatsapp.State) {
	name := w.label
	switch s.Status {
	case whatsapp.StatusConnected:
		a.Health.SetPlatform(name, s.String(), true)
	case whatsapp.StatusPhoneOffline, whatsapp.StatusKeepAliveLost:
		a.Health.SetPlatformDegraded(name, s.String())
	default:
		a.Health.SetPlatform(name, s.String(), false)
	}
	if s.Incident != "" {
		go a.warnAdminsWhatsApp(w, s)
	}
}

// warnAdminsWhatsApp tells the office admins of a WhatsApp incident on
// every platform they use: WhatsApp too when it still works (the phone
// offline), otherwise the others. The incident's key makes it once per
// incident.
func (a *App) warnAdminsWhatsApp(w *waPart, s whatsapp.State) {
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
	key := "whatsapp:" + s.Incident
	if w.acc.Key != "" {
		key = "whatsapp[" + w.acc.Key + "]:" + s.Incident
		text = texts.Accounts.Named(w.acc.Name, text)
	}
	if err := a.Service.WarnAdmins(ctx, text, key, skip); err != nil {
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
