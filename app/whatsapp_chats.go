package app

import (
	"context"
	"time"

	"github.com/piket-id/piket/bot"
)

// whatsAppUndeliverable warns the office admins, once per chat and day,
// that a WhatsApp chat can no longer be reached (the bot left the group,
// the number is not on WhatsApp). The adapter calls it from Send, so the
// warning is queued before the outbox records the failed message.
func (a *App) whatsAppUndeliverable(chat string, group bool, why string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a.Log.Warn("whatsapp: chat cannot be reached; warning the office admins", "group", group, "why", why)
	if err := a.Service.WarnUndeliverable(ctx, bot.WhatsApp, chat, group, why); err != nil {
		a.Log.Error("whatsapp: warn admins of an unreachable chat", "err", err)
	}
}
