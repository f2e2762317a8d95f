package bot

import (
	"context"

	"github.com/piket-id/piket/store"
)

// BatchHandler is a Handler that also takes several messages at once, as
// a platform delivers them (a getUpdates answer of up to 100 updates).
// HandleBatch handles ms in order, as one group commit, and returns each
// message's outcome with Handle's meaning: errs[i] is nil only once ms[i]
// and everything it caused are committed (or it was a duplicate), so the
// adapter may then confirm it. A message that fails leaves the others
// unaffected.
type BatchHandler interface {
	Handler
	HandleBatch(ctx context.Context, ms []Inbound) (errs []error)
}

// HandleBatch implements BatchHandler: every message keeps Handle's
// guarantees (a duplicate delivery is stored and answered once, replies go
// through the outbox, nothing is confirmed before its commit), and
// messages of one chat are written in the order given.
func (s *Service) HandleBatch(ctx context.Context, ms []Inbound) []error {
	errs := make([]error, len(ms))
	jobs := make([]*job, 0, len(ms))
	idx := make([]int, 0, len(ms))
	writes := make([]store.BatchWrite, 0, len(ms))
	for i, m := range ms {
		j, err := s.prepare(ctx, m)
		if err != nil {
			errs[i] = err
			continue
		}
		jobs, idx = append(jobs, j), append(idx, i)
		writes = append(writes, store.BatchWrite{Who: j.who, Fn: j.fn})
	}
	werrs := s.store.WriteBatch(ctx, writes)
	queued := false
	for k, j := range jobs {
		if werrs[k] != nil {
			errs[idx[k]] = j.done(s, werrs[k])
			continue
		}
		queued = queued || j.queued > 0
	}
	if queued {
		s.notify()
	}
	return errs
}

// HandleAll hands ms to h: as one batch when h is a BatchHandler,
// otherwise one at a time, in order.
func HandleAll(ctx context.Context, h Handler, ms []Inbound) []error {
	if bh, ok := h.(BatchHandler); ok {
		return bh.HandleBatch(ctx, ms)
	}
	errs := make([]error, len(ms))
	for i, m := range ms {
		errs[i] = h.Handle(ctx, m)
	}
	return errs
}
