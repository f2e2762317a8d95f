package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/piket-id/piket/store"
)

// Receiver is a BatchHandler that can also take a batch now and handle it
// right after: ReceiveBatch commits the messages to the inbox (with after,
// one group commit) and returns, and RunInbox handles them from there, in
// order. A platform that confirms deliveries one batch at a time
// (Telegram's getUpdates) may then confirm a batch and fetch the next
// while the previous one is being handled, instead of waiting for it.
type Receiver interface {
	BatchHandler
	ReceiveBatch(ctx context.Context, ms []Inbound, after AfterBatch) (errs []error)
}

var _ Receiver = (*Service)(nil)

// ReceiveAll hands ms to h as ReceiveBatch when h is a Receiver, and as
// HandleAll otherwise. Either way errs[i] is nil only once ms[i] is
// committed: handled, or in the inbox, to be handled even after a
// restart.
func ReceiveAll(ctx context.Context, h Handler, ms []Inbound, after AfterBatch) []error {
	if r, ok := h.(Receiver); ok {
		return r.ReceiveBatch(ctx, ms, after)
	}
	return HandleAll(ctx, h, ms, after)
}

const (
	// inboxTake is how many received messages RunInbox handles in one
	// batch at most: when it falls behind, several received batches
	// share one commit.
	inboxTake = 400
	// inboxQueued is how many received messages may wait for RunInbox
	// before ReceiveBatch waits for room (they are in the inbox table
	// already; this bounds memory and how far a platform runs ahead).
	inboxQueued = 2000
)

// ReceiveBatch implements Receiver. Each message keeps Handle's
// guarantees: it is handled once (a duplicate delivery, or a message
// handled before a crash and found in the inbox again, is recognised when
// it is handled), its replies go through the outbox, and the messages of
// one chat are handled in the order received. errs[i] is nil once ms[i]
// is committed to the inbox (Options.Inbox). RunInbox must be running for
// the messages to be handled; ReceiveBatch waits while inboxQueued
// messages wait for it. Without an inbox it is HandleBatch.
//
// after is written in the transaction that handles the batch's last
// message, and only if all of them were handled (best effort, as in
// BatchHandler): never ahead of what was handled.
func (s *Service) ReceiveBatch(ctx context.Context, ms []Inbound, after AfterBatch) []error {
	if s.inbox == nil {
		return s.HandleBatch(ctx, ms, after)
	}
	errs := make([]error, len(ms))
	jobs := make([]*job, len(ms))
	raws := make([][]byte, len(ms))
	EachParallel(len(ms), func(i int) {
		if jobs[i], errs[i] = s.prepare(ctx, ms[i]); errs[i] == nil {
			raws[i], errs[i] = json.Marshal(ms[i])
		}
	})
	received := make([]*job, 0, len(ms))
	add := make([][]byte, 0, len(ms))
	for i, j := range jobs {
		if errs[i] == nil {
			received, add = append(received, j), append(add, raws[i])
		}
	}
	if len(received) == 0 {
		return errs
	}
	q := s.queue()
	now := s.now()
	// The senders are looked up on the read pool while the inbox commits,
	// so the writer need not (unless the registry changes meanwhile).
	looked := make(chan struct{})
	go func() {
		defer close(looked)
		who := make([]*store.Sender, len(received))
		for k, j := range received {
			who[k] = j.who
		}
		for k, a := range s.store.LookUpSenders(ctx, who) {
			received[k].pre = &a
		}
	}()
	// Several pollers (one per bot account) may receive at once: the
	// queue must hold messages in the order of their inbox IDs, since
	// RunInbox's "handled through" mark is the last ID it handled.
	s.recvMu.Lock()
	defer s.recvMu.Unlock()
	ids, err := s.inbox.Add(ctx, add, now, q.handledThrough())
	<-looked
	if err != nil {
		err = fmt.Errorf("bot: receive %d messages: %w", len(ms), err)
		for i := range errs {
			errs[i] = cmp.Or(errs[i], err)
		}
		return errs
	}
	batch := q.nextBatch()
	for k, j := range received {
		j.received, j.inboxID, j.batch = now, ids[k], batch
	}
	if len(received) == len(ms) {
		received[len(received)-1].after = after
	}
	// On ctx's end they stay in the inbox, for the next start.
	_ = q.push(ctx, received)
	return errs
}

// RunInbox handles received messages (ReceiveBatch) until ctx ends:
// first those left in the inbox by an earlier run, then the new ones, in
// the order received, several received batches to a commit when it falls
// behind. A batch that cannot be written is tried again, with growing
// pauses, before anything after it. Messages not handled when ctx ends
// stay in the inbox for the next run. Without an inbox it returns at
// once.
func (s *Service) RunInbox(ctx context.Context) error {
	if s.inbox == nil {
		return nil
	}
	q := s.queue()
	recovered := s.recoverInbox(ctx) // q is recovering from the start (queue)
	if recovered {
		q.setRecovering(false)
	}
	defer func() {
		// Forget what is handled, so the next start has less to read.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if h := q.handledThrough(); h > 0 {
			if err := s.inbox.Forget(fctx, h); err != nil {
				s.log.Warn("bot: inbox: forget handled messages", "err", err)
			}
		}
	}()
	if !recovered {
		return nil
	}
	for {
		jobs, ok := q.take(ctx, inboxTake)
		if !ok {
			return nil
		}
		done := s.handleReceived(ctx, jobs)
		q.finish(len(jobs))
		if !done {
			return nil
		}
	}
}

// WaitHandled waits until every message received so far is handled; it
// returns false if ctx ended first.
func (s *Service) WaitHandled(ctx context.Context) bool {
	q := s.queue()
	for !q.idle() {
		if !sleepCtx(ctx, 10*time.Millisecond) {
			return false
		}
	}
	return true
}

// handleReceived writes jobs taken from the inbox and tries again those
// that failed until all are written. It returns false if ctx ended
// first.
func (s *Service) handleReceived(ctx context.Context, jobs []*job) bool {
	wait := time.Second
	for attempt := 1; len(jobs) > 0; attempt++ {
		errs := s.writeJobs(ctx, jobs, func(tx *store.Tx, ok []bool) error {
			// A received batch's after, once all of it is handled (its
			// earlier part, if taken before, was handled then).
			failed := map[uint64]bool{}
			for k, j := range jobs {
				failed[j.batch] = failed[j.batch] || !ok[k]
				if j.after != nil && !failed[j.batch] {
					if err := j.after(ctx, tx); err != nil {
						return err
					}
				}
			}
			return nil
		})
		var failed []*job
		var first error
		for k, err := range errs {
			if err != nil {
				failed = append(failed, jobs[k])
				first = cmp.Or(first, err)
			}
		}
		if len(failed) == 0 {
			s.queue().handled(jobs[len(jobs)-1].inboxID)
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		s.log.Warn("bot: handling received messages failed, retrying", "failed", len(failed), "of", len(jobs),
			"attempt", attempt, "err", first)
		if !sleepCtx(ctx, wait) {
			return false
		}
		wait = min(2*wait, 30*time.Second)
		jobs = failed
	}
	return true
}

// recoverInbox handles what an earlier run left in the inbox, oldest
// first; those it handled then are found recorded and skipped. What
// this run receives meanwhile is above the inbox's Left and waits in
// the queue: recovery does not read it, or it would be handled twice.
// It returns false if ctx ended first.
func (s *Service) recoverInbox(ctx context.Context) bool {
	var after int64
	left := s.inbox.Left()
	handled := 0
	for after < left {
		entries, err := s.inbox.Entries(ctx, after, inboxTake)
		if err != nil {
			s.log.Error("bot: read the inbox", "err", err)
			if !sleepCtx(ctx, time.Second) {
				return false
			}
			continue
		}
		if k := slices.IndexFunc(entries, func(e store.InboxEntry) bool { return e.ID > left }); k >= 0 {
			entries = entries[:k]
		}
		if len(entries) == 0 {
			break
		}
		jobs := make([]*job, 0, len(entries))
		for _, e := range entries {
			after = e.ID
			j, err := s.inboxJob(ctx, e)
			if err != nil {
				// Not a message this version can read: nothing can
				// handle it. Its content stays out of the log.
				s.log.Error("bot: unreadable message in the inbox skipped", "inbox_id", e.ID, "err", err)
				continue
			}
			jobs = append(jobs, j)
		}
		if !s.handleReceived(ctx, jobs) {
			return false
		}
		s.queue().handled(after)
		handled += len(jobs)
	}
	if handled > 0 {
		s.log.Info("bot: inbox: handled the messages left by the last run", "messages", handled)
	}
	return true
}

// inboxJob rebuilds the job of a message left in the inbox.
func (s *Service) inboxJob(ctx context.Context, e store.InboxEntry) (*job, error) {
	var m Inbound
	if err := json.Unmarshal(e.Message, &m); err != nil {
		return nil, err
	}
	j, err := s.prepare(ctx, m)
	if err != nil {
		return nil, err
	}
	j.received, j.inboxID = e.ReceivedAt, e.ID
	return j, nil
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// receivedQueue holds the jobs of received messages for RunInbox, in
// order.
type receivedQueue struct {
	mu   sync.Mutex
	jobs []*job
	busy int // taken, not yet finished
	// through: every message up to this inbox ID is handled.
	through int64
	batches uint64 // received batches, numbered
	// recovering: RunInbox handles what an earlier run left.
	recovering bool
	added      chan struct{} // a token when jobs were added
	taken      chan struct{} // a token when jobs were taken
}

func (s *Service) queue() *receivedQueue {
	s.recvOnce.Do(func() {
		// With an inbox, what an earlier run left there counts as
		// received until RunInbox has handled it.
		s.recv = &receivedQueue{added: make(chan struct{}, 1), taken: make(chan struct{}, 1), recovering: s.inbox != nil}
	})
	return s.recv
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// push appends js, waiting while the queue is full; it fails only when
// ctx ends first.
func (q *receivedQueue) push(ctx context.Context, js []*job) error {
	if len(js) == 0 {
		return nil
	}
	for {
		q.mu.Lock()
		if len(q.jobs) < inboxQueued {
			q.jobs = append(q.jobs, js...)
			q.mu.Unlock()
			signal(q.added)
			return nil
		}
		q.mu.Unlock()
		select {
		case <-q.taken:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// take returns up to n jobs, waiting for one; ok is false if ctx ended
// first.
func (q *receivedQueue) take(ctx context.Context, n int) (js []*job, ok bool) {
	for {
		q.mu.Lock()
		if len(q.jobs) > 0 {
			k := min(n, len(q.jobs))
			js = append([]*job(nil), q.jobs[:k]...)
			q.jobs = append(q.jobs[:0], q.jobs[k:]...)
			q.busy += k
			q.mu.Unlock()
			signal(q.taken)
			return js, true
		}
		q.mu.Unlock()
		select {
		case <-q.added:
		case <-ctx.Done():
			return nil, false
		}
	}
}

// finish records that n taken jobs are done with.
func (q *receivedQueue) finish(n int) {
	q.mu.Lock()
	q.busy -= n
	q.mu.Unlock()
}

// handled records that every message up to inbox ID id is handled.
func (q *receivedQueue) handled(id int64) {
	q.mu.Lock()
	q.through = max(q.through, id)
	q.mu.Unlock()
}

func (q *receivedQueue) handledThrough() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.through
}

func (q *receivedQueue) nextBatch() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.batches++
	return q.batches
}

func (q *receivedQueue) setRecovering(on bool) {
	q.mu.Lock()
	q.recovering = on
	q.mu.Unlock()
}

// idle reports that no received message waits or is being handled.
func (q *receivedQueue) idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs) == 0 && q.busy == 0 && !q.recovering
}
