package app

import (
	"context"

	"github.com/piket-id/piket/bot"
)

// core is the core service as the Gate calls it: one message, or a batch
// (one group commit) as a platform delivered it, handled at once or
// received into the inbox (RunInbox handles it right after). The service
// is built after the Gate, so it is looked up at each call.
type core struct{ a *App }

func (c core) Handle(ctx context.Context, m bot.Inbound) error { return c.a.Service.Handle(ctx, m) }

func (c core) HandleBatch(ctx context.Context, ms []bot.Inbound, after bot.AfterBatch) []error {
	return c.a.Service.HandleBatch(ctx, ms, after)
}

func (c core) ReceiveBatch(ctx context.Context, ms []bot.Inbound, after bot.AfterBatch) []error {
	return c.a.Service.ReceiveBatch(ctx, ms, after)
}

func (c core) WaitHandled(ctx context.Context) bool { return c.a.Service.WaitHandled(ctx) }
