package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// today is the viewer's local day.
func (s *Server) today(w http.ResponseWriter, r *http.Request, v *viewer) {
	ctx := r.Context()
	loc := s.loc(v.Staff.Office.TZ)
	now := s.now().In(loc)
	day := civil.In(now, loc)
	entries, err := s.scopeEntries(ctx, v, day)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	d := todayData{Date: s.t.FormatDate(day.Start(loc)), At: s.t.FormatTime(now), C: bot.BuildRecap(entries, false).All}
	d.Present = d.C.Present()
	d.Scope = s.t.Web.Page.ScopeOffice + " " + v.Staff.Office.Code
	if !v.Admin {
		d.Scope = s.t.Web.Page.ScopeChain + " " + v.Staff.Name
	}
	if d.Out, err = s.leaveRows(ctx, v, true); err != nil {
		s.serverError(w, v, err)
		return
	}
	rd, err := s.st.RosterDays(ctx, v.Staff.Office.ID, day, day)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	if len(rd) == 1 {
		d.DutyKnown, d.DutyDraft = true, !rd[0].Published()
		for _, x := range rd[0].Duty {
			p, err := s.st.StaffByID(ctx, x.StaffID)
			if err != nil {
				s.serverError(w, v, err)
				return
			}
			d.Duty = append(d.Duty, p.Name)
		}
		slices.Sort(d.Duty)
	}
	s.render(w, http.StatusOK, "today", &page{V: v, Title: s.t.Web.Page.Today, Nav: "today", Refresh: true, Data: d})
}

type todayData struct {
	Date, At, Scope      string
	C                    bot.RecapCounts
	Present              int
	Out                  []leaveRow
	Duty                 []string
	DutyKnown, DutyDraft bool
}

// scopeEntries returns the day of everyone the viewer may see: an
// admin's whole office, a supervisor's chain (which may reach into
// another office).
func (s *Server) scopeEntries(ctx context.Context, v *viewer, day civil.Date) ([]store.DayEntry, error) {
	var out []store.DayEntry
	seen := map[int64]bool{}
	done := map[int64]bool{}
	add := func(officeID int64) error {
		if done[officeID] {
			return nil
		}
		done[officeID] = true
		all, err := s.st.OfficeDay(ctx, officeID, day)
		if err != nil {
			return err
		}
		for _, e := range all {
			if v.canSee(e.Staff) && !seen[e.Staff.ID] {
				seen[e.Staff.ID] = true
				out = append(out, e)
			}
		}
		return nil
	}
	if err := add(v.Staff.Office.ID); err != nil {
		return nil, err
	}
	err := s.eachUnseen(ctx, v, seen, func(p store.Staff) error { return add(p.Office.ID) })
	return out, err
}

// eachUnseen calls fn for each person of the viewer's chain not in seen
// (seen may grow while it runs), by ID.
func (s *Server) eachUnseen(ctx context.Context, v *viewer, seen map[int64]bool, fn func(store.Staff) error) error {
	for _, id := range sortedIDs(v.Chain) {
		if seen[id] {
			continue
		}
		p, err := s.st.StaffByID(ctx, id)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func sortedIDs(m map[int64]bool) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// scopePeople lists the active people the viewer may see, by name.
func (s *Server) scopePeople(ctx context.Context, v *viewer) ([]store.Staff, error) {
	var out []store.Staff
	seen := map[int64]bool{}
	if v.Admin {
		all, err := s.st.OfficeStaff(ctx, v.Staff.Office.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	err := s.eachUnseen(ctx, v, seen, func(p store.Staff) error {
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b store.Staff) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// matches reports whether a person matches a search: NIP equal, or name
// containing it (case-insensitive).
func matches(p store.Staff, q string) bool {
	q = strings.TrimSpace(q)
	return q == "" || p.NIP == strings.ReplaceAll(q, " ", "") || strings.Contains(strings.ToLower(p.Name), strings.ToLower(q))
}

// people lists the people in scope, with a search.
func (s *Server) people(w http.ResponseWriter, r *http.Request, v *viewer) {
	all, err := s.scopePeople(r.Context(), v)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	q := r.URL.Query().Get("q")
	all = slices.DeleteFunc(all, func(p store.Staff) bool { return !matches(p, q) })
	s.render(w, http.StatusOK, "people", &page{V: v, Title: s.t.Web.Page.People, Nav: "people", Data: peopleData{Q: q, People: all}})
}

type peopleData struct {
	Q      string
	People []store.Staff
}

// maxRange bounds the days one person page shows.
const maxRange = 366

// person shows one person's records over a range (default: this month).
func (s *Server) person(w http.ResponseWriter, r *http.Request, v *viewer) {
	ctx := r.Context()
	p, err := s.st.StaffByNIP(ctx, r.PathValue("nip"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !v.canSee(p)) {
		s.notFound(w, v) // another office's people do not exist here
		return
	}
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	loc := s.loc(p.Office.TZ)
	today := civil.In(s.now(), loc)
	from := civil.Date{Year: today.Year, Month: today.Month, Day: 1}
	to := from.AddDays(40)
	to = civil.Date{Year: to.Year, Month: to.Month, Day: 1}.AddDays(-1)
	pg := &page{V: v, Title: p.Name, Nav: "people"}
	q := r.URL.Query()
	if a, b := q.Get("dari"), q.Get("sampai"); a != "" || b != "" {
		f, err1 := civil.Parse(a)
		t, err2 := civil.Parse(b)
		if err1 != nil || err2 != nil || t.Before(f) || f.AddDays(maxRange).Before(t) {
			pg.Error = s.t.Web.Page.BadRange
			w = statusWriter(w, http.StatusUnprocessableEntity)
		} else {
			from, to = f, t
		}
	}
	d, err := s.personDays(ctx, p, from, to, today)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	pg.Data = d
	s.render(w, http.StatusOK, "person", pg)
}

type personData struct {
	P        store.Staff
	From, To string // YYYY-MM-DD for the form
	Range    string
	Weeks    [][]calCell
	Days     []dayRow
}

type calCell struct {
	In    bool // inside the range
	Day   int
	Label string // status in a word
	Class string
	Title string
}

type dayRow struct {
	Date     string
	Working  bool
	Rec      bool
	Status   string
	Place    string
	Time     string
	Late     bool
	Delayed  bool
	Health   string
	Plan     string
	Work     []string
	Leaves   []string
	Missing  bool // a past working day without a record
	OffLabel string
}

func (s *Server) personDays(ctx context.Context, p store.Staff, from, to, today civil.Date) (personData, error) {
	loc := s.loc(p.Office.TZ)
	pt := s.t.Web.Page
	d := personData{P: p, From: from.String(), To: to.String(),
		Range: s.t.FormatDate(from.Start(loc)) + " – " + s.t.FormatDate(to.Start(loc))}
	att, err := s.st.StaffAttendance(ctx, p.ID, from, to)
	if err != nil {
		return d, err
	}
	byDay := map[civil.Date]store.Attendance{}
	for _, a := range att {
		byDay[a.Day] = a
	}
	work, err := s.st.StaffWorkReports(ctx, p.ID, from, to)
	if err != nil {
		return d, err
	}
	leaves, err := s.st.StaffLeaves(ctx, p.ID, from.Start(loc), to.AddDays(1).Start(loc))
	if err != nil {
		return d, err
	}
	leaveOn := map[civil.Date][]string{}
	for _, l := range leaves {
		day := civil.In(l.StartedAt, loc)
		text := s.t.FormatTime(l.StartedAt.In(loc)) + " " + l.Reason
		if !l.ReturnedAt.IsZero() {
			text += " (" + pt.Returned + " " + s.t.FormatTime(l.ReturnedAt.In(loc)) + ")"
		}
		leaveOn[day] = append(leaveOn[day], text)
	}
	// Before the office's go-live nobody was asked to check in.
	goLive := p.Office.Since
	if s.since != nil && !s.since(p.Office.Code).IsZero() {
		goLive = s.since(p.Office.Code)
	}
	cells := map[civil.Date]calCell{}
	for day := from; !day.After(to); day = day.AddDays(1) {
		working := s.svc.IsWorkingDay(p.Office.Code, day)
		row := dayRow{Date: s.t.FormatDate(day.Start(loc)), Working: working, Leaves: leaveOn[day]}
		for _, w := range work[day] {
			row.Work = append(row.Work, w.Text)
		}
		cell := calCell{In: true, Day: day.Day, Title: row.Date}
		if a, ok := byDay[day]; ok {
			row.Rec, row.Status, row.Late, row.Delayed, row.Health, row.Plan = true, s.t.Status(a.Status), a.Late, a.Delayed, a.Health, a.Plan
			if a.Status == store.StatusPresent {
				row.Place = s.t.Place(a.Place)
				if a.Unapproved && a.FlexKind != "" {
					row.Place = s.t.FlexRecord.Label(a.FlexKind) // as the export shows it
				}
			}
			row.Time = s.t.FormatTime(a.FirstAt.In(loc))
			cell.Label, cell.Class = shortStatus(pt, a), "st-"+a.Status
			if a.Late {
				cell.Class += " late"
			}
		} else if working && !day.After(today) && !day.Before(goLive) {
			row.Missing = true
			cell.Label, cell.Class = pt.NoRecord, "st-none"
		} else if !working {
			row.OffLabel = pt.NotWorking
			cell.Class = "off"
		}
		if row.Rec || working || len(row.Leaves) > 0 || len(row.Work) > 0 {
			d.Days = append(d.Days, row)
		}
		cells[day] = cell
	}
	// Weeks from the Monday on or before from to the Sunday on or after to.
	start := from.AddDays(-((int(from.Start(time.UTC).Weekday()) + 6) % 7))
	end := to.AddDays((7 - int(to.Start(time.UTC).Weekday())) % 7)
	var week []calCell
	for day := start; !day.After(end); day = day.AddDays(1) {
		c, ok := cells[day]
		if !ok {
			c = calCell{Day: day.Day}
		}
		week = append(week, c)
		if len(week) == 7 {
			d.Weeks = append(d.Weeks, week)
			week = nil
		}
	}
	return d, nil
}

func shortStatus(pt bot.WebPageTexts, a store.Attendance) string {
	switch a.Status {
	case store.StatusSick:
		return pt.Sick
	case store.StatusPermit:
		return pt.Permit
	case store.StatusLeave:
		return pt.OnLeave
	}
	switch a.Place {
	case store.PlaceOffice:
		return pt.AtOffice
	case store.PlaceDuty:
		return pt.OnDuty
	case store.PlaceTravel:
		return pt.Travel
	}
	return pt.WFH
}

// leaveRow is a leave-home report with its timeline.
type leaveRow struct {
	N                     int64
	Name, NIP, Division   string
	Reason, Since, Expect string
	Back                  string // "" while out
	Open, Acked, CanAck   bool
	AckedBy               string
	Timeline              []string
}

// leaveDays is how far back the leave page lists closed reports.
const leaveDays = 7

// leaveRows lists the reports of people in scope: open ones only, or
// also those of the last leaveDays days.
func (s *Server) leaveRows(ctx context.Context, v *viewer, openOnly bool) ([]leaveRow, error) {
	all, err := s.st.LeavesSince(ctx, s.now().Add(-leaveDays*24*time.Hour))
	if err != nil {
		return nil, err
	}
	who := staffCache(ctx, s.st)
	pt := s.t.Web.Page
	var out []leaveRow
	for _, l := range all {
		if openOnly && !l.Open() {
			continue
		}
		p, err := who(l.StaffID)
		if err != nil {
			return nil, err
		}
		if !v.canSee(p) {
			continue
		}
		loc := s.loc(p.Office.TZ)
		row := leaveRow{N: l.ID, Name: p.Name, NIP: p.NIP, Division: p.Division, Reason: l.Reason,
			Since: s.stamp(l.StartedAt, loc), Open: l.Open(), Acked: l.Acked(), CanAck: !l.Acked()}
		if !l.ExpectedAt.IsZero() {
			row.Expect = s.stamp(l.ExpectedAt, loc)
		}
		steps, err := s.st.LeaveSteps(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		for _, st := range steps {
			name := pt.AdminsLabel
			if st.StaffID != 0 {
				to, err := who(st.StaffID)
				if err != nil {
					return nil, err
				}
				name = to.Name
			}
			label := pt.AlertedTo
			if st.Step > 0 {
				label = pt.EscalatedTo
			}
			row.Timeline = append(row.Timeline, s.stamp(st.At, loc)+" — "+label+" "+name)
		}
		if l.Acked() {
			by, err := who(l.AckedBy)
			if err != nil {
				return nil, err
			}
			row.AckedBy = by.Name + ", " + s.stamp(l.AckedAt, loc)
			row.Timeline = append(row.Timeline, s.stamp(l.AckedAt, loc)+" — "+pt.AckedBy+" "+by.Name)
		}
		if !l.Open() {
			row.Back = s.stamp(l.ReturnedAt, loc)
			row.Timeline = append(row.Timeline, row.Back+" — "+pt.Returned)
		}
		out = append(out, row)
	}
	return out, nil
}

// stamp formats an instant in a zone, with the date unless it is today.
func (s *Server) stamp(tm time.Time, loc *time.Location) string {
	tm = tm.In(loc)
	if civil.In(tm, loc) == civil.In(s.now(), loc) {
		return s.t.FormatTime(tm)
	}
	return s.t.FormatDate(tm) + " " + s.t.FormatTime(tm)
}

// leaves lists open and recent leave-home reports.
func (s *Server) leaves(w http.ResponseWriter, r *http.Request, v *viewer) {
	s.renderLeaves(w, r, v, http.StatusOK, "", "")
}

func (s *Server) renderLeaves(w http.ResponseWriter, r *http.Request, v *viewer, status int, notice, failure string) {
	rows, err := s.leaveRows(r.Context(), v, false)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	var d leaveData
	for _, row := range rows {
		if row.Open {
			d.Open = append(d.Open, row)
		} else {
			d.Recent = append(d.Recent, row)
		}
	}
	s.render(w, status, "leave", &page{V: v, Title: s.t.Web.Page.Leave, Nav: "leave", Notice: notice, Error: failure, Data: d})
}

type leaveData struct{ Open, Recent []leaveRow }

// ackLeave is /ok N from the page.
func (s *Server) ackLeave(w http.ResponseWriter, r *http.Request, v *viewer) {
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n <= 0 {
		s.notFound(w, v)
		return
	}
	reply, err := s.svc.AckLeaveAs(r.Context(), v.Staff.ID, n)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, bot.ErrNotAllowed) {
		s.notFound(w, v) // someone else's report does not exist here
		return
	}
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	s.renderLeaves(w, r, v, http.StatusOK, reply, "")
}

// statusWriter makes the next WriteHeader use status instead.
func statusWriter(w http.ResponseWriter, status int) http.ResponseWriter {
	return &fixedStatus{ResponseWriter: w, status: status}
}

type fixedStatus struct {
	http.ResponseWriter
	status int
}

func (f *fixedStatus) WriteHeader(int) { f.ResponseWriter.WriteHeader(f.status) }
