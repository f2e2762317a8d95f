package ops

import (
	"context"
	"errors"
	"sync"

	"github.com/piket-id/piket/bot"
)

// ErrShuttingDown is returned by Gate.Handle once Drain began: the message
// was not handled, and the adapter must not acknowledge it, so the
// platform delivers it again after the restart.
var ErrShuttingDown = errors.New("ops: shutting down, message not taken")

// Gate wraps the core's bot.Handler for graceful shutdown: it counts the
// Handle calls in flight, lets them finish even after the adapters' context
// is cancelled, refuses new ones once Drain is called, and reports each
// outcome to Metrics (if set).
type Gate struct {
	next    bot.Handler
	metrics *Metrics

	mu       sync.Mutex
	closed   bool
	inflight sync.WaitGroup
	hard     context.Context // cancelled when Drain gives up waiting
	stop     context.CancelFunc
}

var _ bot.Handler = (*Gate)(nil)

// NewGate wraps next. metrics may be nil.
func NewGate(next bot.Handler, metrics *Metrics) *Gate {
	hard, stop := context.WithCancel(context.Background())
	return &Gate{next: next, metrics: metrics, hard: hard, stop: stop}
}

// Handle implements bot.Handler. The inner Handle runs with ctx's values
// and deadline but not its cancellation: a message being handled when the
// signal arrives is finished (committed) rather than abandoned half-way.
// Only Drain's deadline cuts it short.
func (g *Gate) Handle(ctx context.Context, m bot.Inbound) error {
	return g.HandleBatch(ctx, []bot.Inbound{m}, nil)[0]
}

var _ bot.BatchHandler = (*Gate)(nil)

// HandleBatch implements bot.BatchHandler like Handle, for a batch: the
// next handler gets it as one batch when it takes batches.
func (g *Gate) HandleBatch(ctx context.Context, ms []bot.Inbound, after bot.AfterBatch) []error {
	return g.pass(ctx, ms, after, false)
}

var _ bot.Receiver = (*Gate)(nil)

// ReceiveBatch implements bot.Receiver like HandleBatch: the next handler
// receives the batch when it is a bot.Receiver, and handles it otherwise.
func (g *Gate) ReceiveBatch(ctx context.Context, ms []bot.Inbound, after bot.AfterBatch) []error {
	return g.pass(ctx, ms, after, true)
}

// WaitHandled waits until the next handler has handled what it received
// (when it receives ahead); false if ctx ended first.
func (g *Gate) WaitHandled(ctx context.Context) bool {
	if w, ok := g.next.(interface{ WaitHandled(context.Context) bool }); ok {
		return w.WaitHandled(ctx)
	}
	return true
}

func (g *Gate) pass(ctx context.Context, ms []bot.Inbound, after bot.AfterBatch, receive bool) []error {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		errs := make([]error, len(ms))
		for i, m := range ms {
			g.observe(m, OutcomeRefused)
			errs[i] = ErrShuttingDown
		}
		return errs
	}
	g.inflight.Add(1)
	g.mu.Unlock()
	defer g.inflight.Done()

	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	if dl, ok := ctx.Deadline(); ok {
		var c2 context.CancelFunc
		hctx, c2 = context.WithDeadline(hctx, dl)
		defer c2()
	}
	defer cancel()
	stopAfter := context.AfterFunc(g.hard, cancel)
	defer stopAfter()

	var errs []error
	ok := OutcomeHandled
	switch _, receives := g.next.(bot.Receiver); {
	case receive && receives:
		errs, ok = bot.ReceiveAll(hctx, g.next, ms, after), OutcomeReceived
	case len(ms) == 1 && after == nil:
		errs = []error{g.next.Handle(hctx, ms[0])}
	default:
		errs = bot.HandleAll(hctx, g.next, ms, after)
	}
	for i, m := range ms {
		if errs[i] != nil {
			g.observe(m, OutcomeFailed)
		} else {
			g.observe(m, ok)
		}
	}
	return errs
}

func (g *Gate) observe(m bot.Inbound, outcome string) {
	if g.metrics != nil {
		g.metrics.InboundObserved(string(m.Platform), outcome)
	}
}

// Drain stops taking messages and waits for those in flight. If ctx ends
// first, it cancels them (their outcome is then unknown to the platform,
// which redelivers: the inbound table's UNIQUE key makes that harmless) and
// returns ctx's error. Calling it again waits again.
func (g *Gate) Drain(ctx context.Context) error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	done := make(chan struct{})
	go func() {
		g.inflight.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		g.stop()
		<-done
		return ctx.Err()
	}
}
