package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// Decisions taken on the web dashboard: flexible-work requests
// (/setujui N, /tolak N ALASAN) and duty-swap requests (/setuju N,
// /tolak N). Each runs the chat command's own code (decideFlex,
// decideSwap) in one transaction with the dashboard's audit row.

// FlexDecision is the outcome of a decision on a flexible-work request.
type FlexDecision struct {
	N         int64
	State     string            // the request's state after the decision
	Decided   bool              // this decision approved or declined it
	Request   store.FlexRequest // set when Decided, as decided
	Requester store.Staff       // set when Decided
	Reply     string            // the answer /setujui or /tolak gives
	Outcome   string            // OutcomeRejected or OutcomeDenied when refused, else ""
	missing   bool              // no such request
}

// SwapDecision is the outcome of a decision on a duty-swap request.
type SwapDecision struct {
	N           int64
	Status      string // the request's status after the decision
	Out, In     store.Staff
	Day         civil.Date
	Rules       []string // coverage rules the swap breaks
	NeedConfirm bool     // it breaks Rules: an admin must confirm
	Reply       string   // the answer /setuju or /tolak gives
	Outcome     string   // OutcomeOK, OutcomeRejected or OutcomeDenied
	Closed      bool     // this decision made or refused it (or found it stale)
	missing     bool     // no such request in the decider's office
}

// ErrNeedReason is returned for a decline without a reason, and
// ErrReasonTooLong for one longer than MaxDeclineReason characters.
var (
	ErrNeedReason    = errors.New("bot: a decline needs a reason")
	ErrReasonTooLong = errors.New("bot: the decline reason is too long")
)

// MaxDeclineReason bounds a decline reason typed on the dashboard.
const MaxDeclineReason = 500

// CleanReason trims a reason typed in a form and makes it one line of
// valid text, without control characters.
func CleanReason(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// FlexMode reports whether an office is in mode fleksibel.
func (s *Service) FlexMode(code string) bool { return s.policy(code).Flex.Enabled }

// FlexViewOf describes a request for the dashboard, as the chat does.
func (s *Service) FlexViewOf(f store.FlexRequest, requester store.Staff) FlexView {
	return s.flexView(f, requester, s.locs.get(requester.Office.TZ))
}

// DecideFlex is /setujui N or /tolak N ALASAN from the dashboard by
// decider: the same rules (a supervisor above the requester or an admin
// of their office; a decided request is not decided again; a request
// whose first day began lapses) and the same messages. audit, if set, is
// called in the decision's transaction when the request was approved or
// declined. A refusal is a FlexDecision with Outcome set and the chat's
// answer in Reply; store.ErrNotFound: no such request; ErrNotAllowed:
// decider may not decide it; ErrNeedReason, ErrReasonTooLong: a decline
// without a reason or with too long a reason.
func (s *Service) DecideFlex(ctx context.Context, decider store.Staff, id int64, approve bool, reason string,
	audit func(tx *store.Tx, d FlexDecision) error) (FlexDecision, error) {
	reason = CleanReason(reason)
	if !approve && reason == "" {
		return FlexDecision{}, ErrNeedReason
	}
	if utf8.RuneCountInString(reason) > MaxDeclineReason {
		return FlexDecision{}, ErrReasonTooLong
	}
	d, err := decideOnWeb(ctx, s, decider.ID, func(tx *store.Tx, who store.Staff, now time.Time) (FlexDecision, int, error) {
		return s.decideFlex(ctx, tx, who, id, approve, reason, now)
	}, audit)
	if err != nil {
		return FlexDecision{}, fmt.Errorf("bot: decide flexible-work request %d: %w", id, err)
	}
	return d, nil
}

// DecideSwap is /setuju N or /tolak N from the dashboard by decider: the
// same rules (the person asked or an admin of the office; a swap that
// breaks a coverage rule needs an admin) and the same messages. Where the
// chat's admin confirms by answering the request that named the rules,
// the dashboard's admin confirms explicitly: unconfirmed, such a swap is
// refused with NeedConfirm and nothing is written. audit, if set, is
// called in the decision's transaction when the request was closed.
// store.ErrNotFound: no such request in decider's office; ErrNotAllowed:
// decider may not decide it.
func (s *Service) DecideSwap(ctx context.Context, decider store.Staff, n int64, agree, confirmed bool,
	audit func(tx *store.Tx, d SwapDecision) error) (SwapDecision, error) {
	d, err := decideOnWeb(ctx, s, decider.ID, func(tx *store.Tx, who store.Staff, now time.Time) (SwapDecision, int, error) {
		return s.decideSwap(ctx, tx, who, n, agree, confirmed, now)
	}, audit)
	if err != nil {
		return SwapDecision{}, fmt.Errorf("bot: decide swap request %d: %w", n, err)
	}
	return d, nil
}

// webDecision is a decision's outcome as decideOnWeb needs it.
type webDecision interface {
	refusal() error // store.ErrNotFound, ErrNotAllowed or nil
	changed() bool  // the decision changed the request
}

func (d FlexDecision) refusal() error { return refusalOf(d.missing, d.Outcome) }
func (d FlexDecision) changed() bool  { return d.Decided }
func (d SwapDecision) refusal() error { return refusalOf(d.missing, d.Outcome) }
func (d SwapDecision) changed() bool  { return d.Closed }

func refusalOf(missing bool, outcome string) error {
	switch {
	case missing:
		return store.ErrNotFound
	case outcome == OutcomeDenied:
		return ErrNotAllowed
	}
	return nil
}

// decideOnWeb runs decide in one write as the dashboard's decider, read
// again in the write (deactivated since: ErrNotAllowed), with audit (if
// set) when the decision changed the request. Unknown and not allowed are
// errors (nothing is written); the outbox is woken once it is committed.
func decideOnWeb[D webDecision](ctx context.Context, s *Service, deciderID int64,
	decide func(tx *store.Tx, who store.Staff, now time.Time) (D, int, error), audit func(*store.Tx, D) error) (D, error) {
	var d D
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var zero D
		d, queued = zero, 0 // the function may run twice (see store.Write)
		who, err := tx.StaffByID(ctx, deciderID)
		if err != nil {
			return err
		}
		if !who.Active {
			return ErrNotAllowed
		}
		if d, queued, err = decide(tx, who, s.now()); err != nil {
			return err
		}
		if err := d.refusal(); err != nil {
			return err
		}
		if d.changed() && audit != nil {
			return audit(tx, d)
		}
		return nil
	})
	if err == nil && queued > 0 {
		s.notify()
	}
	return d, err
}
