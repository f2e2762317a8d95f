package bot

import (
	"context"
	"errors"
	"runtime"
	"sync"

	"github.com/piket-id/piket/store"
)

// BatchHandler is a Handler that also takes several messages at once, as
// a platform delivers them (a getUpdates answer of up to 100 updates).
// HandleBatch handles ms in order, as one group commit, and returns each
// message's outcome with Handle's meaning: errs[i] is nil only once ms[i]
// and everything it caused are committed (or it was a duplicate), so the
// adapter may then confirm it. A message that fails leaves the others
// unaffected.
//
// after, if not nil, is written in the same transaction, after the
// messages, and only if every one of them committed: an adapter records
// there how far its platform's deliveries are handled (Telegram's update
// offset), at no commit of its own and never ahead of what was committed.
// It is best effort: if after fails, or the handler cannot write it, that
// record stays behind, and the platform may deliver those messages again
// (duplicates, stored and answered once).
type BatchHandler interface {
	Handler
	HandleBatch(ctx context.Context, ms []Inbound, after AfterBatch) (errs []error)
}

// AfterBatch is a write done in a batch's transaction (see BatchHandler).
type AfterBatch func(ctx context.Context, tx *store.Tx) error

// HandleBatch implements BatchHandler: every message keeps Handle's
// guarantees (a duplicate delivery is stored and answered once, replies go
// through the outbox, nothing is confirmed before its commit), and
// messages of one chat are written in the order given: when one fails,
// the chat's later messages in the batch fail too (not written), so that
// handing the failed ones again keeps the chat's order.
func (s *Service) HandleBatch(ctx context.Context, ms []Inbound, after AfterBatch) []error {
	errs := make([]error, len(ms))
	// Cleaning and parsing are independent per message: both cores share
	// them while the writer waits for the batch.
	prepared := make([]*job, len(ms))
	EachParallel(len(ms), func(i int) { prepared[i], errs[i] = s.prepare(ctx, ms[i]) })
	jobs := make([]*job, 0, len(ms))
	idx := make([]int, 0, len(ms))
	for i, j := range prepared {
		if errs[i] == nil {
			jobs, idx = append(jobs, j), append(idx, i)
		}
	}
	var last func(tx *store.Tx, ok []bool) error
	if after != nil && len(jobs) == len(ms) {
		last = func(tx *store.Tx, ok []bool) error {
			for _, o := range ok {
				if !o {
					return nil
				}
			}
			return after(ctx, tx)
		}
	}
	for k, err := range s.writeJobs(ctx, jobs, last) {
		errs[idx[k]] = err
	}
	return errs
}

// writeJobs writes prepared jobs as one batch, in order, and returns each
// one's outcome (as Handle's). last, if not nil, is written after them in
// the same transaction, with which of them succeeded in this run.
//
// Each job's function sets (never accumulates) whether it succeeded in
// the current run of the batch. A job whose chat had an earlier job fail
// in this run is not written either (the caller hands both again, in
// order), so a chat's order holds even when one of its messages fails.
func (s *Service) writeJobs(ctx context.Context, jobs []*job, last func(tx *store.Tx, ok []bool) error) []error {
	ok := make([]bool, len(jobs))
	writes := make([]store.BatchWrite, 0, len(jobs)+1)
	for k, j := range jobs {
		writes = append(writes, store.BatchWrite{Who: j.who, Pre: j.pre, Fn: func(tx *store.Tx) error {
			ok[k] = false
			for e := range k {
				if !ok[e] && jobs[e].m.Platform == j.m.Platform && jobs[e].m.ChatID == j.m.ChatID {
					return errEarlierFailed
				}
			}
			err := j.fn(tx)
			ok[k] = err == nil
			return err
		}})
	}
	if last != nil {
		writes = append(writes, store.BatchWrite{Fn: func(tx *store.Tx) error { return last(tx, ok) }})
	}
	werrs := s.store.WriteBatch(ctx, writes)
	errs := make([]error, len(jobs))
	queued := false
	for k, j := range jobs {
		if werrs[k] != nil {
			errs[k] = j.done(s, werrs[k])
			continue
		}
		queued = queued || j.queued > 0
	}
	if queued {
		s.notify()
	}
	return errs
}

// errEarlierFailed fails a message of a batch whose chat had an earlier
// message in the batch fail.
var errEarlierFailed = errors.New("bot: an earlier message of the chat in this batch failed")

// HandleAll hands ms to h: as one batch when h is a BatchHandler (with
// after, see BatchHandler), otherwise one at a time, in order (after is
// then not written).
func HandleAll(ctx context.Context, h Handler, ms []Inbound, after AfterBatch) []error {
	if bh, ok := h.(BatchHandler); ok {
		return bh.HandleBatch(ctx, ms, after)
	}
	errs := make([]error, len(ms))
	for i, m := range ms {
		errs[i] = h.Handle(ctx, m)
	}
	return errs
}

// EachParallel calls fn(i) for every i in [0, n), spread over the
// processors but one when n is large enough to be worth it, and returns
// when all calls returned. fn must be safe to call concurrently for
// different i. One processor is left to the store's writer, which does
// the work that cannot be shared: taking it too would make the writer
// wait for the preparation of the next batch.
func EachParallel(n int, fn func(i int)) {
	const least = 16 // below, a goroutine costs more than it saves
	workers := min(runtime.GOMAXPROCS(0)-1, n/least)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for from := 0; from < n; from += per {
		to := min(from+per, n)
		wg.Go(func() {
			for i := from; i < to; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}
