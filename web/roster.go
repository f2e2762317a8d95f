package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/export"
	"github.com/piket-id/piket/store"
)

type rosterData struct {
	Month, Prev, Next string // YYYY-MM
	Label             string // "Maret 2020"
	Weeks             [][]rosterCell
	Swaps             []swapRow
	Pending           []pendingSwap // swap requests the viewer may decide
	// The admin's swap form.
	CanSwap  bool
	SwapDays []option
	Staff    []option
	Sel      swapForm // the values to show again (after a refusal)
}

type rosterCell struct {
	In       bool
	Day      int
	Date     string
	Working  bool
	Stored   bool
	Draft    bool
	Manual   bool
	People   []bot.RosterPerson
	Problems []string
}

type swapRow struct {
	N                 int64
	Date, Out, In     string
	Status, Initiator string
}

type option struct{ Value, Label string }

type swapForm struct {
	Day, Out, In string
	Force        bool
	Ask          bool // refused for breaking a rule: ask to confirm
	// A pending request's approval refused for breaking Rules: the
	// admin is asked to confirm request ConfirmN.
	ConfirmN int64
	Rules    []string
}

// month reads ?bulan=YYYY-MM (default: the month of today).
func monthParam(r *http.Request, today civil.Date) (civil.Date, bool) {
	if m := r.URL.Query().Get("bulan"); m != "" {
		y, mon, err := export.ParseMonth(m)
		if err != nil {
			return civil.Date{}, false
		}
		return civil.Date{Year: y, Month: mon, Day: 1}, true
	}
	return civil.Date{Year: today.Year, Month: today.Month, Day: 1}, true
}

func monthEnd(first civil.Date) civil.Date {
	next := civil.Date{Year: first.Year, Month: first.Month + 1, Day: 1}
	if first.Month == time.December {
		next = civil.Date{Year: first.Year + 1, Month: time.January, Day: 1}
	}
	return next.AddDays(-1)
}

func monthKey(d civil.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// roster shows the viewer's office's roster month.
func (s *Server) roster(w http.ResponseWriter, r *http.Request, v *viewer) {
	loc := s.loc(v.Staff.Office.TZ)
	first, ok := monthParam(r, civil.In(s.now(), loc))
	if !ok {
		s.fail(w, v, http.StatusUnprocessableEntity, s.t.Web.Page.BadRange)
		return
	}
	s.renderRoster(w, r, v, first, http.StatusOK, &page{}, swapForm{})
}

func (s *Server) renderRoster(w http.ResponseWriter, r *http.Request, v *viewer, first civil.Date, status int, pg *page, sel swapForm) {
	ctx := r.Context()
	office := v.Staff.Office
	loc := s.loc(office.TZ)
	today := civil.In(s.now(), loc)
	last := monthEnd(first)
	days, err := s.svc.RosterMonth(ctx, office.Code, first, last)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	d := rosterData{Month: monthKey(first), Prev: monthKey(first.AddDays(-1)), Next: monthKey(last.AddDays(1)),
		Label: s.t.Months[first.Month-1] + fmt.Sprint(" ", first.Year), CanSwap: v.Admin, Sel: sel}
	byDay := map[civil.Date]bot.RosterDayView{}
	for _, x := range days {
		byDay[x.Day] = x
		if !x.Day.Before(today) && x.Stored {
			d.SwapDays = append(d.SwapDays, option{x.Day.String(), s.t.FormatDate(x.Day.Start(loc))})
		}
	}
	start := first.AddDays(-((int(first.Start(time.UTC).Weekday()) + 6) % 7))
	end := last.AddDays((7 - int(last.Start(time.UTC).Weekday())) % 7)
	var week []rosterCell
	for day := start; !day.After(end); day = day.AddDays(1) {
		c := rosterCell{Day: day.Day, In: day.Month == first.Month}
		if x, ok := byDay[day]; ok && c.In {
			c.Date, c.Working, c.Stored, c.Draft, c.Manual, c.People, c.Problems =
				s.t.FormatDate(day.Start(loc)), true, x.Stored, x.Draft, x.Manual, x.People, x.Problems
		} else if c.In {
			c.Date = s.t.FormatDate(day.Start(loc))
		}
		week = append(week, c)
		if len(week) == 7 {
			d.Weeks = append(d.Weeks, week)
			week = nil
		}
	}
	swaps, err := s.st.SwapsBetween(ctx, office.ID, first, last)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	pt := s.t.Web.Page
	for _, sw := range swaps {
		out, err1 := s.st.StaffByID(ctx, sw.OutStaffID)
		in, err2 := s.st.StaffByID(ctx, sw.InStaffID)
		if err := errors.Join(err1, err2); err != nil {
			s.serverError(w, v, err)
			return
		}
		st := map[string]string{store.SwapPending: pt.SwapPending, store.SwapDone: pt.SwapDone, store.SwapRefused: pt.SwapRefused}[sw.Status]
		d.Swaps = append(d.Swaps, swapRow{N: sw.ID, Date: s.t.FormatDate(sw.Day.Start(loc)), Out: out.Name, In: in.Name, Status: st})
	}
	if d.Pending, err = s.pendingSwaps(ctx, v); err != nil {
		s.serverError(w, v, err)
		return
	}
	if v.Admin {
		people, err := s.st.OfficeStaff(ctx, office.ID)
		if err != nil {
			s.serverError(w, v, err)
			return
		}
		for _, p := range people {
			d.Staff = append(d.Staff, option{p.NIP, p.Name + " (" + p.Level + ")"})
		}
	}
	pg.V, pg.Title, pg.Nav, pg.Data = v, s.t.Web.Page.Roster+" "+office.Code, "roster", d
	s.render(w, status, "roster", pg)
}

// swap is the admin's replacement of a person on duty: the same service
// call as piket roster swap (the rules of the roster policy, the messages
// to both people and the office's groups). A swap that breaks a coverage
// rule is refused with the rules named, and made only when the admin
// confirms it.
func (s *Server) swap(w http.ResponseWriter, r *http.Request, v *viewer) {
	ctx := r.Context()
	office := v.Staff.Office
	loc := s.loc(office.TZ)
	today := civil.In(s.now(), loc)
	f := swapForm{Day: r.PostFormValue("tanggal"), Out: strings.TrimSpace(r.PostFormValue("keluar")),
		In: strings.TrimSpace(r.PostFormValue("masuk")), Force: r.PostFormValue("paksa") == "1"}
	day, err := civil.Parse(f.Day)
	first := civil.Date{Year: today.Year, Month: today.Month, Day: 1}
	refuse := func(status int, msg string) {
		s.renderRoster(w, r, v, first, status, &page{Error: msg}, f)
	}
	if err != nil {
		refuse(http.StatusUnprocessableEntity, s.t.Roster.SwapUsage)
		return
	}
	first = civil.Date{Year: day.Year, Month: day.Month, Day: 1}
	date := s.t.FormatDate(day.Start(loc))
	if day.Before(today) {
		refuse(http.StatusUnprocessableEntity, s.t.Roster.SwapPast(date))
		return
	}
	if !s.svc.IsWorkingDay(office.Code, day) {
		refuse(http.StatusUnprocessableEntity, s.t.Roster.NotWorkingDay(date))
		return
	}
	var people [2]store.Staff
	for i, nip := range []string{f.Out, f.In} {
		p, err := s.st.StaffByNIP(ctx, nip)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (!p.Active || p.Office.ID != office.ID)) {
			// Another office's people are unknown here.
			s.renderRoster(w, r, v, first, http.StatusNotFound, &page{Error: s.t.Roster.SwapUnknownPerson(nip)}, f)
			return
		}
		if err != nil {
			s.serverError(w, v, err)
			return
		}
		people[i] = p
	}
	out, in := people[0], people[1]
	if out.ID == in.ID {
		refuse(http.StatusUnprocessableEntity, s.t.Roster.SwapUsage)
		return
	}
	days, err := s.svc.RosterMonth(ctx, office.Code, day, day)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	on := map[string]bool{}
	for _, x := range days {
		for _, p := range x.People {
			on[p.NIP] = true
		}
	}
	if !on[out.NIP] {
		refuse(http.StatusUnprocessableEntity, s.t.Web.Page.NotOnDuty(out.Name, date))
		return
	}
	if on[in.NIP] {
		refuse(http.StatusUnprocessableEntity, s.t.Roster.SwapAlreadyOnDuty(in.Name, date))
		return
	}
	// The audit row is written in the swap's own transaction.
	err = s.svc.SwapDutyAudited(ctx, office.Code, day, out.NIP, in.NIP, f.Force, func(tx *store.Tx, o, i store.Staff, broken []string) error {
		detail := fmt.Sprintf("%s: %s (%s) → %s (%s)", day, o.Name, o.NIP, i.Name, i.NIP)
		if len(broken) > 0 {
			detail += " [" + strings.Join(broken, "; ") + "]"
		}
		return tx.AddAudit(ctx, s.entry(v, "swap", detail))
	})
	var ce *bot.CoverageError
	if errors.As(err, &ce) {
		// Ask the admin to confirm, naming the rules (as /tukar does).
		f.Force, f.Ask = false, true
		s.renderRoster(w, r, v, first, http.StatusConflict, &page{Error: s.t.Coverage.Breaks(ce.Rules)}, f)
		return
	}
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrDuplicate) {
		refuse(http.StatusConflict, s.t.Web.Page.SwapConflict)
		return
	}
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	done := s.t.Roster.SwapDone(out.Name, in.Name, date)
	s.renderRoster(w, r, v, first, http.StatusOK, &page{Notice: done}, swapForm{})
}

// entry is an audit row of the viewer's action now.
func (s *Server) entry(v *viewer, action, detail string) store.AuditEntry {
	return store.AuditEntry{StaffID: v.Staff.ID, OfficeID: v.Staff.Office.ID, Action: action, Detail: detail, At: s.now()}
}

// audit records an action that changes nothing (an export); a failure is
// logged. Changes write their row in their own transaction.
func (s *Server) audit(r *http.Request, v *viewer, action, detail string) {
	if err := s.st.AddAudit(r.Context(), s.entry(v, action, detail)); err != nil {
		s.log.Error("web: write audit entry", "action", action, "err", err)
	}
}
