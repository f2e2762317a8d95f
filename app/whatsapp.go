package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

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
// holds the device's keys) and builds the adapter. onStatus receives
// connection changes (health, admin notices).
func (a *App) newWhatsApp(ctx context.Context, onStatus func(whatsapp.Status)) (*waPart, error) {
	container, err := whatsapp.OpenStore(ctx, a.Cfg.WhatsApp.SessionDB, a.Log)
	if err != nil {
		return nil, err
	}
	device, err := container.GetFirstDevice(ctx)
	if err != nil {
		container.Close()
		return nil, fmt.Errorf("whatsapp: load device: %w", err)
	}
	salt, err := a.whatsAppIDSalt(ctx)
	if err != nil {
		container.Close()
		return nil, err
	}
	client := whatsapp.NewClient(device, a.Log)
	ad := whatsapp.New(whatsapp.Options{
		IDSalt: salt,
		Client: client, Device: client.Store, LIDs: client.Store.LIDs,
		Handler: a.Gate, Logger: a.Log, OnStatus: onStatus,
		Pacing: whatsapp.Pacing{PerChat: a.Cfg.WhatsApp.PerChat, Global: a.Cfg.WhatsApp.Global, Jitter: a.Cfg.WhatsApp.Jitter},
		Typing: a.Cfg.WhatsApp.Typing,
		Groups: client, Undeliverable: a.whatsAppUndeliverable,
	})
	return &waPart{adapter: ad, container: container}, nil
}

// whatsAppLimits paces the outbox for WhatsApp; the adapter adds jitter.
func whatsAppLimits(perChat, global time.Duration) outbox.Limits {
	l := outbox.Limits{PerChat: perChat, Concurrency: 1}
	if global > 0 {
		l.PerSecond = float64(time.Second) / float64(global)
	}
	return l
}

// whatsAppStatus reports WhatsApp connection changes. It runs on
// whatsmeow's event goroutine and must not block.
func (a *App) whatsAppStatus(s whatsapp.Status) {
	a.Health.SetPlatform("whatsapp", string(s), s == whatsapp.StatusConnected)
	switch s {
	case whatsapp.StatusLoggedOut:
		a.Log.Error("whatsapp: session logged out; run `piket whatsapp pair` again")
		go a.warnAdminsLoggedOut()
	case whatsapp.StatusBanned:
		a.Log.Error("whatsapp: the number is temporarily banned by WhatsApp")
	default:
		a.Log.Info("whatsapp: connection state", "state", string(s))
	}
}

// warnAdminsLoggedOut tells office admins on the other platforms that
// WhatsApp is unlinked (once per hour of logouts at most).
func (a *App) warnAdminsLoggedOut() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	key := "whatsapp-logged-out:" + time.Now().UTC().Format("2006-01-02T15")
	texts := bot.TextsFor(a.Cfg.Language)
	if err := a.Service.WarnAdmins(ctx, texts.WhatsAppLoggedOut, key, bot.WhatsApp); err != nil {
		a.Log.Error("whatsapp: warn admins of the logout", "err", err)
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
