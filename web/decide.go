package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// Decisions on the dashboard: flexible-work requests (/setujui N,
// /tolak N ALASAN) on their own page, pending duty swaps (/setuju N,
// /tolak N) on the roster page. Each goes through the chat command's own
// code (bot.Service.DecideFlex, DecideSwap), with the audit row in the
// decision's transaction.

// flexRecentDays is how far back the page lists decided requests.
const flexRecentDays = 30

type flexData struct {
	Pending, Recent []flexRow
	Reason          string // the decline reason typed, shown again after a refusal
	Failed          int64  // the request whose decision was refused
}

// flexRow is a request as the page lists it.
type flexRow struct {
	N                          int64
	Name, NIP, Unit, Kind      string
	Days, Reason, Plan         string
	Filed, Deadline, State, By string
	DeclineReason, DecidedAt   string
	Steps                      []string
}

// flexPage lists the requests the viewer may decide and those decided
// recently in their scope.
func (s *Server) flexPage(w http.ResponseWriter, r *http.Request, v *viewer) {
	s.renderFlex(w, r, v, http.StatusOK, &page{}, flexData{})
}

func (s *Server) renderFlex(w http.ResponseWriter, r *http.Request, v *viewer, status int, pg *page, d flexData) {
	ctx := r.Context()
	pending, err := s.st.PendingFlexRequests(ctx)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	decided, err := s.st.DecidedFlexRequests(ctx, s.now().AddDate(0, 0, -flexRecentDays))
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	people := staffCache(ctx, s.st)
	for i, list := range [][]store.FlexRequest{pending, decided} {
		for _, f := range list {
			row, ok, err := s.flexRow(ctx, v, people, f)
			if err != nil {
				s.serverError(w, v, err)
				return
			}
			if !ok {
				continue
			}
			if i == 0 {
				d.Pending = append(d.Pending, row)
			} else {
				d.Recent = append(d.Recent, row)
			}
		}
	}
	pg.V, pg.Title, pg.Nav, pg.Data = v, s.t.Web.Page.Decide.FlexTitle, "flex", d
	s.render(w, status, "flex", pg)
}

// flexRow describes a request in the viewer's scope (ok false: out of
// it). The chat's rule is bot's mayAcknowledge: not one's own, an admin
// of the requester's office or a supervisor above them.
func (s *Server) flexRow(ctx context.Context, v *viewer, people func(int64) (store.Staff, error), f store.FlexRequest) (flexRow, bool, error) {
	requester, err := people(f.StaffID)
	if err != nil {
		return flexRow{}, false, err
	}
	if requester.ID == v.Staff.ID || !v.canSee(requester) {
		return flexRow{}, false, nil
	}
	days, steps, err := s.st.FlexRequestDetail(ctx, f.ID)
	if err != nil {
		return flexRow{}, false, err
	}
	f.Days = days
	fv := s.svc.FlexViewOf(f, requester)
	loc := s.loc(requester.Office.TZ)
	dt := s.t.Web.Page.Decide
	row := flexRow{N: f.ID, Name: requester.Name, NIP: requester.NIP, Unit: fv.Unit, Kind: fv.Kind, Days: strings.Join(fv.Days, ", "),
		Reason: f.Reason, Plan: f.Plan, Filed: s.stamp(f.CreatedAt, loc), Deadline: fv.Deadline, State: fv.State, DeclineReason: f.DeclineReason}
	if row.Days == "" {
		row.Days = fv.From + " – " + fv.To
	}
	for _, e := range steps {
		to := s.t.Web.Page.AdminsLabel
		if e.StaffID != 0 {
			p, err := people(e.StaffID)
			if err != nil {
				return flexRow{}, false, err
			}
			to = p.Name
		}
		row.Steps = append(row.Steps, dt.Step(e.Step, to, s.stamp(e.At, loc)))
	}
	if !f.DecidedAt.IsZero() {
		row.DecidedAt = s.stamp(f.DecidedAt, loc)
	}
	if f.DecidedBy != 0 {
		p, err := people(f.DecidedBy)
		if err != nil {
			return flexRow{}, false, err
		}
		row.By = p.Name
	}
	return row, true, nil
}

// staffCache reads people by ID once per page.
func staffCache(ctx context.Context, st *store.Store) func(int64) (store.Staff, error) {
	people := map[int64]store.Staff{}
	return func(id int64) (store.Staff, error) {
		if p, ok := people[id]; ok {
			return p, nil
		}
		p, err := st.StaffByID(ctx, id)
		if err == nil {
			people[id] = p
		}
		return p, err
	}
}

// pathNumber reads the {n} of a path; 0 when it is not a number.
func pathNumber(r *http.Request) int64 {
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// decision binds a decision handler to yes: approve (true) or decline.
func decision(h func(http.ResponseWriter, *http.Request, *viewer, bool), yes bool) handler {
	return func(w http.ResponseWriter, r *http.Request, v *viewer) { h(w, r, v, yes) }
}

// decideFlex is /setujui N or /tolak N ALASAN (the form's alasan) from
// the page.
func (s *Server) decideFlex(w http.ResponseWriter, r *http.Request, v *viewer, approve bool) {
	n := pathNumber(r)
	if n == 0 {
		s.notFound(w, v)
		return
	}
	reason := r.PostFormValue("alasan")
	dt := s.t.Web.Page.Decide
	d, err := s.svc.DecideFlex(r.Context(), v.Staff, n, approve, reason, func(tx *store.Tx, d bot.FlexDecision) error {
		action, detail := "flex_approve", flexAuditDetail(d)
		if !approve {
			action = "flex_decline"
		}
		e := s.entry(v, action, detail)
		e.OfficeID = d.Requester.Office.ID
		return tx.AddAudit(r.Context(), e)
	})
	refused := flexData{Reason: bot.CleanReason(reason), Failed: n}
	switch {
	case errors.Is(err, store.ErrNotFound) || errors.Is(err, bot.ErrNotAllowed):
		s.notFound(w, v) // someone else's request does not exist here
	case errors.Is(err, bot.ErrNeedReason):
		s.renderFlex(w, r, v, http.StatusUnprocessableEntity, &page{Error: dt.NeedReason}, refused)
	case errors.Is(err, bot.ErrReasonTooLong):
		s.renderFlex(w, r, v, http.StatusUnprocessableEntity, &page{Error: dt.ReasonTooLong(bot.MaxDeclineReason)}, refused)
	case err != nil:
		s.serverError(w, v, err)
	case !d.Decided:
		// Decided already, or lapsed: the chat's answer, politely.
		s.renderFlex(w, r, v, http.StatusConflict, &page{Error: d.Reply}, flexData{})
	default:
		s.renderFlex(w, r, v, http.StatusOK, &page{Notice: d.Reply}, flexData{})
	}
}

func flexAuditDetail(d bot.FlexDecision) string {
	f := d.Request
	detail := fmt.Sprintf("No. %d: %s (%s), %s %s – %s", f.ID, d.Requester.Name, d.Requester.NIP, strings.ToUpper(f.Kind), f.First, f.Last)
	if f.DeclineReason != "" {
		detail += ": " + f.DeclineReason
	}
	return detail
}

// pendingSwap is a swap request the viewer may decide.
type pendingSwap struct {
	N                    int64
	Date, Out, In, AskBy string
}

// pendingSwaps lists the office's pending swap requests the viewer may
// decide: all of them for an admin, else those asking the viewer (as
// /setuju N in chat).
func (s *Server) pendingSwaps(ctx context.Context, v *viewer) ([]pendingSwap, error) {
	all, err := s.st.PendingSwaps(ctx, v.Staff.Office.ID)
	if err != nil {
		return nil, err
	}
	people := staffCache(ctx, s.st)
	loc := s.loc(v.Staff.Office.TZ)
	var out []pendingSwap
	for _, sw := range all {
		if !v.Admin && sw.InStaffID != v.Staff.ID {
			continue
		}
		var names [3]string
		for i, id := range []int64{sw.OutStaffID, sw.InStaffID, sw.RequestedBy} {
			if id == 0 {
				continue
			}
			p, err := people(id)
			if err != nil {
				return nil, err
			}
			names[i] = p.Name
		}
		out = append(out, pendingSwap{N: sw.ID, Date: s.t.FormatDate(sw.Day.Start(loc)), Out: names[0], In: names[1], AskBy: names[2]})
	}
	return out, nil
}

// decideSwap is /setuju N or /tolak N from the roster page; paksa=1 is
// the admin's confirmation of a swap that breaks a coverage rule.
func (s *Server) decideSwap(w http.ResponseWriter, r *http.Request, v *viewer, agree bool) {
	n := pathNumber(r)
	if n == 0 {
		s.notFound(w, v)
		return
	}
	confirmed := r.PostFormValue("paksa") == "1"
	d, err := s.svc.DecideSwap(r.Context(), v.Staff, n, agree, confirmed, func(tx *store.Tx, d bot.SwapDecision) error {
		action := "swap_refuse"
		if d.Status == store.SwapDone {
			action = "swap_agree"
		}
		detail := fmt.Sprintf("No. %d, %s: %s (%s) → %s (%s)", d.N, d.Day, d.Out.Name, d.Out.NIP, d.In.Name, d.In.NIP)
		if len(d.Rules) > 0 {
			detail += " [" + strings.Join(d.Rules, "; ") + "]"
		}
		return tx.AddAudit(r.Context(), s.entry(v, action, detail))
	})
	switch {
	case errors.Is(err, store.ErrNotFound) || errors.Is(err, bot.ErrNotAllowed):
		s.notFound(w, v)
		return
	case err != nil:
		s.serverError(w, v, err)
		return
	}
	loc := s.loc(v.Staff.Office.TZ)
	day := civil.In(s.now(), loc)
	if !d.Day.IsZero() {
		day = d.Day
	}
	first := civil.Date{Year: day.Year, Month: day.Month, Day: 1}
	switch {
	case d.NeedConfirm:
		s.renderRoster(w, r, v, first, http.StatusConflict, &page{Error: d.Reply}, swapForm{ConfirmN: d.N, Rules: d.Rules})
	case d.Outcome != bot.OutcomeOK:
		s.renderRoster(w, r, v, first, http.StatusConflict, &page{Error: d.Reply}, swapForm{})
	default:
		s.renderRoster(w, r, v, first, http.StatusOK, &page{Notice: d.Reply}, swapForm{})
	}
}
