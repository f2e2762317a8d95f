package app

import (
	"context"

	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/store"
)

// CheckDispatch is the /healthz check of the outbox dispatcher's own state
// (paused because sends cannot be marked sent), when it has one.
const CheckDispatch = "outbox_sending"

// healthOptions builds /healthz's options from config.
func healthOptions(cfg config.Config, st *store.Store) ops.HealthOptions {
	minFree := int64(cfg.Health.MinFreeDisk)
	if minFree == 0 {
		minFree = -1 // "0" turns the disk check off
	}
	return ops.HealthOptions{
		Store:             st,
		MinFreeDisk:       minFree,
		PlatformDownAfter: cfg.Health.PlatformDownAfter,
		PlatformGrace:     cfg.Health.PlatformGrace,
	}
}

// checker is a part that can report its own health (the outbox
// dispatcher's Check, where it has one).
type checker interface {
	Check(ctx context.Context) error
}

// addCheck plugs part's Check into /healthz under name if part has one.
func (a *App) addCheck(name string, part any) {
	if c, ok := part.(checker); ok {
		a.Health.AddCheck(name, c.Check)
	}
}
