package store

import (
	"context"
	"errors"
)

// BatchWrite is one function of a WriteBatch, with whom it is done for
// (nil: as Write; otherwise as WriteFor).
type BatchWrite struct {
	Who *Sender
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
		reqs[i] = &writeReq{ctx: ctx, fn: w.Fn, done: make(chan error, 1), who: w.Who}
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
