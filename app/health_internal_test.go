package app

import (
	"context"
	"errors"
	"testing"

	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
)

// pausable is a part with a Check, as the outbox dispatcher has once it
// can pause.
type pausable struct{ err error }

func (p *pausable) Check(context.Context) error { return p.err }

func TestAddCheck(t *testing.T) {
	a := &App{Health: ops.NewHealth(ops.HealthOptions{SchedulerStale: -1})}
	part := &pausable{}
	a.addCheck(CheckDispatch, part)
	a.addCheck("no-check", struct{}{}) // a part without Check adds nothing
	rep := a.Health.Check(context.Background())
	if _, ok := rep.Checks["no-check"]; ok || rep.Checks[CheckDispatch].Status != ops.StatusOK {
		t.Fatalf("running: %+v", rep.Checks)
	}
	part.err = errors.New("paused: cannot mark messages sent")
	rep = a.Health.Check(context.Background())
	if c := rep.Checks[CheckDispatch]; rep.OK() || c.Detail != part.err.Error() {
		t.Errorf("paused: %+v", rep)
	}
}

func TestHealthOptions(t *testing.T) {
	cfg := config.Default()
	if o := healthOptions(cfg, nil); o.MinFreeDisk != int64(config.DefaultMinFreeDisk) || o.PlatformDownAfter != config.DefaultPlatformDownAfter {
		t.Errorf("defaults: %+v", o)
	}
	cfg.Health.MinFreeDisk = 0
	if o := healthOptions(cfg, nil); o.MinFreeDisk >= 0 {
		t.Errorf("min_free_disk 0: MinFreeDisk %d, want negative (off)", o.MinFreeDisk)
	}
}
