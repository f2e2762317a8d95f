package app

import (
	"context"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow/store/sqlstore"

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
	client := whatsapp.NewClient(device, a.Log)
	ad := whatsapp.New(whatsapp.Options{
		Client: client, Device: client.Store, LIDs: client.Store.LIDs,
		Handler: a.Gate, Logger: a.Log, OnStatus: onStatus,
		Pacing: whatsapp.Pacing{PerChat: a.Cfg.WhatsApp.PerChat, Global: a.Cfg.WhatsApp.Global},
		Typing: a.Cfg.WhatsApp.Typing,
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
	case whatsapp.StatusBanned:
		a.Log.Error("whatsapp: the number is temporarily banned by WhatsApp")
	default:
		a.Log.Info("whatsapp: connection state", "state", string(s))
	}
}
