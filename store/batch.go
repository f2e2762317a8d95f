package store

import (
	"context"
	"errors"
	"time"
)

// BatchWrite is one function of a WriteBatch, with whom it is done for
// (nil: as Write; otherwise as WriteFor).
type BatchWrite struct {
	Who *Sender
	// Pre is Who looked up ahead (LookUpSenders), or nil.
	Pre *SenderAnswer
	Fn  func(*Tx) error
}

// WriteBatch runs the functions of ws in one transaction, in order (other
// callers' writes may share it, but none runs between two of ws), and
// returns each one's outcome, as Write would: errs[i] is nil only after
// the transaction holding ws[i]'s changes committed. A function that fails
// rolls back only its own changes. Callers that received a batch of
// messages at once (a getUpdates answer) hand it to the writer this way,
// so the batch costs one commit, not one per message, and the order of
// the messages is the order they are written in.
func (s *Store) WriteBatch(ctx context.Context, ws []BatchWrite) []error {
	errs := make([]error, len(ws))
	if len(ws) == 0 {
		return errs
	}
	reqs := make([]*writeReq, len(ws))
	for i, w := range ws {
		reqs[i] = &writeReq{ctx: ctx, fn: w.Fn, done: make(chan error, 1), who: w.Who, pre: w.Pre}
	}
	head := reqs[0]
	head.rest = reqs[1:]
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	select {
	case s.reqs <- head:
	case <-s.done:
		return fail(errors.New("store: closed"))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	for i, r := range reqs {
		select {
		case errs[i] = <-r.done:
		case <-ctx.Done():
			// The batch may still commit; the outcome is unknown, as
			// after any cancelled write.
			errs[i] = ctx.Err()
		}
	}
	return errs
}

// appendTo appends r and the writes queued with it to batch.
func (r *writeReq) appendTo(batch []*writeReq) []*writeReq {
	batch = append(batch, r)
	return append(batch, r.rest...)
}

// soonKey is the context key of Soon.
type soonKey struct{}

// Soon returns a context for writes that need not commit at once
// (recording that a message was sent): when nothing else is waiting to be
// written, the writer holds such a write up to wait for other writes to
// share its commit (and its fsync), so a steady trickle of them does not
// cost a commit each between the batches of incoming messages. Write and
// the store's methods honour it.
func Soon(ctx context.Context, wait time.Duration) context.Context {
	return context.WithValue(ctx, soonKey{}, wait)
}

func soonOf(ctx context.Context) time.Duration {
	d, _ := ctx.Value(soonKey{}).(time.Duration)
	return d
}

// waitForCompany holds a batch made only of WriteSoon writes until
// another write arrives, the shortest of their waits passed, or the store
// closes (writer goroutine).
func (s *Store) waitForCompany(batch []*writeReq) []*writeReq {
	var deadline time.Time
	later := func(r *writeReq) bool {
		if r.soon <= 0 {
			return false
		}
		if at := time.Now().Add(r.soon); deadline.IsZero() || at.Before(deadline) {
			deadline = at
		}
		return true
	}
	for _, r := range batch {
		if !later(r) {
			return batch
		}
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	defer s.heldSoon.Store(0)
	for len(batch) < s.maxBatch {
		s.heldSoon.Store(int64(len(batch)))
		select {
		case req := <-s.reqs:
			batch = req.appendTo(batch)
			if !later(req) {
				return batch
			}
			t.Reset(time.Until(deadline))
		case <-t.C:
			return batch
		case <-s.done:
			return batch
		}
	}
	return batch
}
