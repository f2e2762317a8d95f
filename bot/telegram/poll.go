package telegram

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// allowedUpdates are the update types we ask for; everything else would be
// ignored anyway. Telegram remembers the list for webhook and polling.
var allowedUpdates = []string{"message"}

// apiError is an error reply of the Bot API to our own getUpdates call.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
}

func (e *apiError) Error() string {
	return fmt.Sprintf("telegram API error %d: %s", e.Code, e.Description)
}

// runPolling is the getUpdates loop. Each answer (up to 100 updates) goes
// to the core as one batch, one group commit (see handleUpdates). It
// confirms updates to Telegram (by asking for a higher offset) and
// persists the offset only after the core committed each of them.
func (a *Adapter) runPolling(ctx context.Context) error {
	offset, err := a.opts.Offsets.TelegramOffset(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("telegram: load offset: %w", err)
	}
	// getUpdates answers 409 while a webhook is set.
	err = a.retry(ctx, "deleteWebhook", func() error {
		_, err := a.client.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
		a.observe(ctx, "deleteWebhook", err) // failing at start is failing: health must see it
		return err
	})
	if err != nil {
		return err
	}
	a.log.Info("telegram: polling", "offset", offset)

	connected := true
	b := a.backoff()
	for ctx.Err() == nil {
		asked := time.Now()
		raws, err := a.getUpdates(ctx, offset)
		a.observe(ctx, "getUpdates", err)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ae *apiError
			if errors.As(err, &ae) && ae.Code == http.StatusUnauthorized {
				return fmt.Errorf("telegram: getUpdates: %w", err)
			}
			if connected {
				a.log.Warn("telegram: connection lost", "err", err)
				connected = false
			} else {
				a.log.Debug("telegram: still disconnected", "err", err)
			}
			var wait time.Duration
			if ae != nil && ae.RetryAfter > 0 {
				wait = time.Duration(ae.RetryAfter) * time.Second
			}
			b.waitAtLeast(ctx, wait)
			continue
		}
		if !connected {
			a.log.Info("telegram: connection restored")
			connected = true
		}
		b.reset()
		if len(raws) == 0 {
			// A server that ignores timeout (an emulator, a proxy)
			// answers at once: do not spin on it. One that held the
			// long poll has waited already: ask again at once, or a
			// message arriving just after the poll expired would wait
			// for the pause too.
			if !pause(ctx, a.opts.EmptyPause-time.Since(asked)) {
				return nil
			}
			continue
		}

		next, saved, ok := a.handleUpdates(ctx, offset, raws)
		if next != offset {
			if !saved {
				a.saveOffset(ctx, next)
			}
			offset = next
		}
		if !ok {
			return nil // ctx is done: the rest is not confirmed
		}
	}
	return nil
}

// decodedUpdate is what decode returns for one raw update.
type decodedUpdate struct {
	id int64
	in bot.Inbound
	mv *chatMove
	ok bool
}

// update is one decoded update of a getUpdates answer.
type update struct {
	id int64
	in bot.Inbound
	ok bool // in is for the core
}

// txOffsets is an OffsetStore that can also write the offset in the
// core's transaction (store.TelegramOffsets), so a batch and the offset
// confirming it cost one commit.
type txOffsets interface {
	SetTelegramOffsetTx(ctx context.Context, tx *store.Tx, offset int64) error
}

// handleUpdates hands one getUpdates answer to the core: the messages
// between two chat migrations go as one batch (one group commit), in
// order. It returns the offset that confirms what was committed, whether
// that offset was persisted with the last batch, and false if ctx ended
// first.
func (a *Adapter) handleUpdates(ctx context.Context, offset int64, raws []json.RawMessage) (next int64, saved, ok bool) {
	next = offset
	seg := make([]update, 0, len(raws))
	flush := func() bool {
		end := next
		for _, u := range seg {
			end = max(end, u.id+1)
		}
		done, inTx := a.handleSegment(ctx, seg, end, func(committed int64) { a.saveOffset(ctx, max(next, committed)) })
		if !done {
			return false
		}
		next, saved = end, inTx
		seg = seg[:0]
		return true
	}
	// Decoding is independent per update: both cores share it while the
	// writer waits for the batch.
	ds := make([]decodedUpdate, len(raws))
	bot.EachParallel(len(raws), func(i int) {
		d := &ds[i]
		d.id, d.in, d.mv, d.ok = a.decode(raws[i])
	})
	for _, d := range ds {
		id, in, mv, ok := d.id, d.in, d.mv, d.ok
		if id == 0 {
			a.log.Warn("telegram: update without update_id skipped")
			continue
		}
		if offset > 0 && id < offset {
			continue // already confirmed; Telegram should not send it
		}
		if mv != nil {
			// What came before the migration is handled before it.
			if !flush() || !a.handled(ctx) || !a.follow(ctx, *mv, func() { a.saveOffset(ctx, next) }) {
				return next, saved, false
			}
			saved = false
		}
		seg = append(seg, update{id: id, in: in, ok: ok})
	}
	ok = flush()
	return next, saved, ok
}

// handled waits until the handler has handled what it received ahead
// (see Options.ReceiveAhead); false if ctx ended first.
func (a *Adapter) handled(ctx context.Context) bool {
	w, ok := a.opts.Handler.(interface{ WaitHandled(context.Context) bool })
	if !a.opts.ReceiveAhead || !ok {
		return true
	}
	return w.WaitHandled(ctx)
}

// handleSegment hands the messages of seg to the handler as one batch
// and hands again, in order, those that failed until every one is
// committed. When it can, the offset end (confirming all of seg) is
// written in the transaction that commits the last of them: inTx reports
// it was. Before the first retry it calls onFail with the offset that
// confirms the updates before the first failure. done is false if ctx
// ended before all were committed.
func (a *Adapter) handleSegment(ctx context.Context, seg []update, end int64, onFail func(committed int64)) (done, inTx bool) {
	todo := make([]update, 0, len(seg))
	for _, u := range seg {
		if u.ok {
			todo = append(todo, u)
		}
	}
	var after bot.AfterBatch
	_, batches := a.opts.Handler.(bot.BatchHandler)
	if to, ok := a.opts.Offsets.(txOffsets); ok && batches && len(todo) > 0 {
		after = func(ctx context.Context, tx *store.Tx) error { return to.SetTelegramOffsetTx(ctx, tx, end) }
	}
	b := a.backoff()
	for attempt := 1; len(todo) > 0; attempt++ {
		ins := make([]bot.Inbound, len(todo))
		for i, u := range todo {
			ins[i] = u.in
		}
		var errs []error
		if a.opts.ReceiveAhead {
			errs = bot.ReceiveAll(ctx, a.opts.Handler, ins, after)
		} else {
			errs = bot.HandleAll(ctx, a.opts.Handler, ins, after)
		}
		failed := todo[:0]
		var first error
		for i, err := range errs {
			if err != nil {
				failed = append(failed, todo[i])
				first = cmp.Or(first, err)
			}
		}
		if len(failed) == 0 {
			return true, after != nil
		}
		if ctx.Err() != nil {
			return false, false
		}
		if attempt == 1 {
			var committed int64
			for _, u := range seg {
				if u.id == failed[0].id {
					break
				}
				committed = u.id + 1
			}
			onFail(committed)
		}
		a.log.Warn("telegram: handler failed, retrying", "update_id", failed[0].id, "message_id", failed[0].in.MessageID,
			"failed", len(failed), "attempt", attempt, "err", first)
		if !b.wait(ctx) {
			return false, false
		}
		todo = failed
	}
	return true, false
}

// pause waits d; it returns false if ctx ended first.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// saveOffset persists offset. A failure is logged, not fatal: the handler
// has committed everything, so the worst case after a restart is a
// redelivery the core recognises as a duplicate.
func (a *Adapter) saveOffset(ctx context.Context, offset int64) {
	if offset == 0 {
		return
	}
	// Save even while shutting down: the handled updates are committed.
	ctx = context.WithoutCancel(ctx)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.opts.Offsets.SetTelegramOffset(ctx, offset); err != nil {
		a.log.Error("telegram: save offset", "offset", offset, "err", err)
	}
}

// decode decodes and converts one raw update. id is 0 if even the
// update_id cannot be read; ok is false for updates the core does not get;
// mv is the migration a service message announces, if any.
func (a *Adapter) decode(raw []byte) (id int64, in bot.Inbound, mv *chatMove, ok bool) {
	u, err := decodeUpdate(raw)
	if err != nil {
		id, _ = rawUpdateID(raw)
		a.log.Warn("telegram: undecodable update skipped", "update_id", id, "err", err)
		return id, in, nil, false
	}
	if m, isMove := migrationOf(u); isMove {
		mv = &m
	}
	in, reason, ok := convert(u, identity{id: a.botID, username: a.user.Load()})
	if !ok {
		a.log.Debug("telegram: update ignored", "update_id", u.ID, "reason", reason)
		return u.ID, in, mv, false
	}
	a.log.Debug("telegram: message", "update_id", u.ID, "message_id", in.MessageID, "chat", in.ChatID,
		"sender", in.SenderID, "group", in.Group, "addressed", in.Addressed, "text", in.Text)
	return u.ID, in, mv, true
}

// getUpdates makes one long-poll call. It is a plain POST so that the
// offset sent is exactly the one we committed.
func (a *Adapter) getUpdates(ctx context.Context, offset int64) ([]json.RawMessage, error) {
	timeout := int(a.opts.PollTimeout / time.Second)
	body, err := json.Marshal(struct {
		Offset         int64    `json:"offset,omitempty"`
		Timeout        int      `json:"timeout"`
		AllowedUpdates []string `json:"allowed_updates"`
	}{offset, timeout, allowedUpdates})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, a.opts.PollTimeout+15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.opts.APIURL+"/bot"+a.opts.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, a.redact(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.httpc.Do(req)
	if err != nil {
		return nil, a.redact(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read getUpdates response: %w", err)
	}
	var env struct {
		OK          bool              `json:"ok"`
		Result      []json.RawMessage `json:"result"`
		ErrorCode   int               `json:"error_code"`
		Description string            `json:"description"`
		Parameters  struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, fmt.Errorf("getUpdates: HTTP %d, undecodable response: %w", resp.StatusCode, err)
	}
	if !env.OK {
		code := env.ErrorCode
		if code == 0 {
			code = resp.StatusCode
		}
		return nil, &apiError{Code: code, Description: env.Description, RetryAfter: env.Parameters.RetryAfter}
	}
	return env.Result, nil
}

// redact removes the token from a URL in err.
func (a *Adapter) redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = strings.ReplaceAll(ue.URL, a.opts.Token, "***")
	}
	return err
}
