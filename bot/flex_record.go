package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// Flexible-work records that tell the truth (issue #19). In an office in
// mode fleksibel a check-in that states working away (wfh, wfa, dari
// rumah, lokasi lain) on a day without an approved request is recorded as
// stated, flagged "tanpa persetujuan": the person is told the day counts
// as an office day, and their supervisor sees it in the private digest,
// /rekap and the export. A requester may cancel their own pending or
// approved request before its first day (/batal wfa N).

// flexMark is what mode fleksibel adds to a check-in's record and reply.
type flexMark struct {
	Kind       string // wfa or wfh: the day was worked away (store.Attendance.FlexKind)
	Unapproved bool   // without an approved request
	Note       string // for the confirmation
	Private    string // for the person's private chat, once the record is written (a check-in in a group)
}

// unapprovedNote tells the person that no approved request holds day,
// naming the request there is (pending, declined, lapsed) and who sees it.
func (t *turn) unapprovedNote(kind string, day civil.Date) (string, error) {
	v := UnapprovedView{Kind: kind}
	f, err := t.tx.LatestFlexOn(t.ctx, t.who.ID, day)
	switch {
	case err == nil:
		v.N, v.State = f.ID, f.State
	case !errors.Is(err, store.ErrNotFound):
		return "", errStore{err}
	}
	if t.who.SupervisorID != 0 {
		sup, err := t.tx.StaffByID(t.ctx, t.who.SupervisorID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return "", errStore{err}
		}
		if err == nil && sup.Active {
			v.Supervisor = sup.Name
		}
	}
	return t.s.t.FlexRecord.Unapproved(v), nil
}

// privately queues text to the sender's private chats (a note on a
// message they sent in a group).
func (t *turn) privately(text string) error {
	n, err := t.s.toPersonAs(t.ctx, t.tx, *t.who, store.PriorityReply, "", text, t.now, "")
	if err != nil {
		return errStore{err}
	}
	t.queued += n
	return nil
}

// myDay is /status's view of a record, with the flag of a day away
// without approval (not in a group).
func (t *turn) myDay(a store.Attendance, reports int) string {
	s := t.s.t.MyDay(t.view(a, reports))
	if a.Unapproved && a.Status == store.StatusPresent && !t.in.Group {
		s += t.s.t.FlexRecord.StatusNote(a.FlexKind)
	}
	return s
}

// unapprovedLabel names a person on a day away without approval in a
// supervisor's private list: "Ni Made Sari (Bidang Statistik) — WFH
// tanpa persetujuan". ok is false for any other record.
func (s *Service) unapprovedLabel(e store.DayEntry) (string, bool) {
	if !e.Recorded || !e.Attendance.Unapproved || e.Attendance.Status != store.StatusPresent {
		return "", false
	}
	label := e.Staff.Name
	if e.Staff.Division != "" {
		label += " (" + e.Staff.Division + ")"
	}
	return label + " — " + s.t.FlexRecord.Label(e.Attendance.FlexKind), true
}

// flexCancelArg reads the argument of /batal as a flexible-work request
// to cancel: "wfa N", "wfh N", "pengajuan N" (N optional). ok is false for
// anything else, which stays an absence (/batal N, /batal cuti N).
func flexCancelArg(arg string) (n int64, ok bool) {
	w, rest := firstWord(arg)
	switch normWord(w) {
	case "wfa", "wfh", "fwa", "pengajuan":
	default:
		return 0, false
	}
	rest = strings.ToLower(strings.TrimSpace(strings.TrimLeft(rest, " ,;:")))
	if rest == "" {
		return 0, true
	}
	for _, p := range []string{"nomor", "no"} { // "No. 4", "nomor 4"
		if r, ok := strings.CutPrefix(rest, p); ok && r != "" && strings.ContainsRune(" .#:", rune(r[0])) {
			rest = r
			break
		}
	}
	rest = strings.TrimRight(strings.TrimLeft(rest, " .#:"), " .")
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 || strings.ContainsAny(rest, "+-") {
		return -1, true // not a lone number: ask for one
	}
	return n, true
}

// flexCancel answers /batal wfa [N]: the requester cancels their own
// pending or approved request before its first day starts; its days stop
// counting against the weekly cap and the office's quota. The one who
// approved it (else the direct supervisor) is told.
func (t *turn) flexCancel(n int64) error {
	ft := t.s.t.FlexRecord
	if t.in.Group {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.Flex.GroupOnly)
	}
	if n < 0 {
		t.outcome = OutcomeRejected
		return t.reply(ft.CancelUsage)
	}
	loc := t.loc()
	if n == 0 {
		open, err := t.tx.OpenFlexRequests(t.ctx, t.who.ID, t.today().AddDays(1))
		if err != nil {
			return errStore{err}
		}
		switch len(open) {
		case 0:
			t.outcome = OutcomeRejected
			return t.reply(ft.CancelNone)
		case 1:
			n = open[0].ID
		default:
			t.outcome = OutcomeRejected
			vs := make([]FlexView, len(open))
			for i, f := range open {
				vs[i] = t.s.flexView(f, *t.who, loc)
			}
			return t.reply(ft.CancelWhich(vs))
		}
	}
	f, err := t.tx.FlexRequestByID(t.ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.Flex.Unknown(n))
	}
	if err != nil {
		return errStore{err}
	}
	if f.StaffID != t.who.ID {
		t.outcome = OutcomeDenied
		return t.reply(ft.CancelNotYours(n))
	}
	v := t.s.flexView(f, *t.who, loc)
	if f.State != store.FlexPending && f.State != store.FlexApproved {
		t.outcome = OutcomeRejected
		return t.reply(ft.CancelNotOpen(v))
	}
	if !t.now.Before(f.First.Start(loc)) {
		t.outcome = OutcomeRejected
		return t.reply(ft.CancelStarted(v))
	}
	was, err := t.tx.CancelFlexRequest(t.ctx, f.ID, t.now)
	if err != nil {
		return errStore{err}
	}
	if was == "" { // decided in between: read it again
		t.outcome = OutcomeRejected
		return t.reply(ft.CancelNotOpen(v))
	}
	approved := was == store.FlexApproved
	if approved {
		to := f.DecidedBy
		if to == 0 {
			to = t.who.SupervisorID
		}
		if to != 0 {
			sup, err := t.tx.StaffByID(t.ctx, to)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return errStore{err}
			}
			if err == nil && sup.Active {
				if err := t.notifyFlex(sup, fmt.Sprintf("flex:%d:cancelled", f.ID), ft.CancelledNotice(v)); err != nil {
					return err
				}
			}
		}
	}
	return t.reply(ft.Cancelled(v, approved))
}

// notifyFlex queues text to a person's private chats as an alert.
func (t *turn) notifyFlex(st store.Staff, key, text string) error {
	n, err := t.s.toPersonAs(t.ctx, t.tx, st, store.PriorityAlert, key, text, t.now, "")
	if err != nil {
		return errStore{err}
	}
	t.queued += n
	return nil
}
