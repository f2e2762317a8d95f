package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// overrideWindow is how long a question "you are on leave today: send it
// again" waits for the second send.
const overrideWindow = 30 * time.Minute

// absenceStatus returns the absence status a check-in would record over a
// range of days (sakit, izin, cuti, dinas), or "" for a plain presence.
func absenceStatus(cmd Command) string {
	switch {
	case cmd.Status == store.StatusSick, cmd.Status == store.StatusPermit, cmd.Status == store.StatusLeave:
		return cmd.Status
	case cmd.Status == store.StatusPresent && cmd.Place == store.PlaceTravel:
		return store.AbsenceTravel
	}
	return ""
}

// travelWords lead the text of "hadir dinas luar 26/3 …" ("kota" that of
// "dinas luar kota 26/3 …", whose "dinas luar" the parser took).
var travelWords = []string{"dinas luar kota", "dinas luar", "perjalanan dinas", "dinas", "dl", "kota"}

// absenceCheckIn handles what a check-in means for absences with dates:
// a check-in naming days (/cuti 20-24 Maret) records the absence. done is
// true when the message was answered here; otherwise the ordinary
// check-in goes on.
func (t *turn) absenceCheckIn(cmd Command) (done bool, err error) {
	status := absenceStatus(cmd)
	if status != "" {
		text := cmd.Arg
		if status == store.AbsenceTravel {
			low := lowerSameLen(text)
			for _, w := range travelWords {
				if hasWordPrefix(low, w) {
					text = strings.TrimSpace(text[len(w):])
					break
				}
			}
		}
		pol := t.s.rosterPolicy(t.who.Office.Code)
		dates, err := ParseAbsence(text, t.day(), pol.IsWorkingDay)
		switch {
		case err == nil:
			return true, t.recordAbsence(cmd, status, dates)
		case errors.Is(err, ErrBadAbsenceDate):
			t.outcome = OutcomeRejected
			return true, t.reply(t.s.t.Absence.BadDate)
		case errors.Is(err, ErrAbsenceTooLong):
			t.outcome = OutcomeRejected
			return true, t.reply(t.s.t.Absence.TooLong(MaxAbsenceDays))
		}
	}
	return false, nil // a check-in on a day an absence holds: checkIn asks (askBeforeOverwrite)
}

// askBeforeOverwrite answers a check-in on a day an absence holds with a
// question, unless it is the same kind of absence or the question was
// asked within overrideWindow (the day is then detached from the absence
// and the check-in overwrites it).
func (t *turn) askBeforeOverwrite(cmd Command, status string) (bool, error) {
	day := t.day()
	held, err := t.tx.AbsenceDays(t.ctx, t.who.ID, day, day)
	if err != nil {
		return true, errStore{err}
	}
	id, ok := held[day]
	if !ok {
		return false, nil
	}
	a, err := t.tx.AbsenceByID(t.ctx, id)
	if err != nil {
		return true, errStore{err}
	}
	if a.Status == status {
		return false, nil // a new note for the same absence
	}
	if t.in.Group {
		// Which absence it is stays out of the group.
		t.outcome = OutcomeRejected
		return true, t.reply(t.s.t.Absence.HeldInGroup(a.ID))
	}
	took, err := t.tx.TakeAbsenceOverride(t.ctx, t.who.ID, day, id, t.now.Add(-overrideWindow))
	if err != nil {
		return true, errStore{err}
	}
	if took {
		return false, nil
	}
	if err := t.tx.AskAbsenceOverride(t.ctx, t.who.ID, day, id, t.now); err != nil {
		return true, errStore{err}
	}
	return true, t.reply(t.s.t.Absence.AskOverwrite(t.absenceView(a), "/"+cmd.Status))
}

// recordAbsence records each working day of dates as an absence.
func (t *turn) recordAbsence(cmd Command, status string, dates AbsenceDates) error {
	at := t.s.t.Absence
	if t.in.Group {
		t.outcome = OutcomeRejected
		return t.reply(at.PrivateOnly)
	}
	loc := t.loc()
	today := t.day()
	if dates.From.Before(today) {
		t.outcome = OutcomeRejected
		return t.reply(at.Past(t.s.t.FormatDate(dates.From.Start(loc))))
	}
	pol := t.s.rosterPolicy(t.who.Office.Code)
	var days []civil.Date
	v := AbsenceView{Kind: at.Kind(status), From: t.s.t.FormatDate(dates.From.Start(loc)), To: t.s.t.FormatDate(dates.To.Start(loc)), Reason: dates.Rest}
	for d := dates.From; !d.After(dates.To); d = d.AddDays(1) {
		if pol.IsWorkingDay(d) {
			days = append(days, d)
			v.Days = append(v.Days, t.s.t.FormatDate(d.Start(loc)))
			continue
		}
		h, _ := pol.Calendar.Lookup(d)
		v.Skipped = append(v.Skipped, t.s.t.FormatDate(d.Start(loc))+" ("+at.OffDay(h.Name, d.Weekday() == time.Saturday || d.Weekday() == time.Sunday)+")")
	}
	if len(days) == 0 {
		t.outcome = OutcomeRejected
		return t.reply(at.NoWorkingDay(v))
	}
	held, err := t.tx.AbsenceDays(t.ctx, t.who.ID, dates.From, dates.To)
	if err != nil {
		return errStore{err}
	}
	for _, d := range days {
		if id, ok := held[d]; ok {
			other, err := t.tx.AbsenceByID(t.ctx, id)
			if err != nil {
				return errStore{err}
			}
			t.outcome = OutcomeRejected
			return t.reply(at.Overlap(t.s.t.FormatDate(d.Start(loc)), t.absenceView(other)))
		}
	}
	rec := store.Attendance{Status: cmd.Status, Place: cmd.Place}
	switch status {
	case store.StatusSick:
		rec.Health = dates.Rest
	case store.AbsenceTravel:
		rec.Status, rec.Place, rec.Plan = store.StatusPresent, store.PlaceTravel, dates.Rest
	default:
		rec.Plan = dates.Rest
	}
	id, err := t.tx.CreateAbsence(t.ctx, store.Absence{StaffID: t.who.ID, Status: status, First: dates.From, Last: dates.To, Reason: dates.Rest},
		days, rec, t.now, t.inboundID)
	if err != nil {
		return errStore{err}
	}
	// Drafts of those days were made with this person: made again on demand.
	if err := t.tx.DeleteDraftRosterDays(t.ctx, t.who.Office.ID, dates.From, dates.To); err != nil {
		return errStore{err}
	}
	// A published list stays as posted: the person is told to swap.
	duties, err := t.tx.DutyDays(t.ctx, t.who.ID, dates.From, MaxAbsenceDays)
	if err != nil {
		return errStore{err}
	}
	for _, d := range duties {
		if d.Published() && !d.Day.After(dates.To) {
			v.Duty = append(v.Duty, t.s.t.FormatDate(d.Day.Start(loc)))
		}
	}
	v.N = id
	return t.reply(at.Recorded(v))
}

// absenceView formats an absence for messages.
func (t *turn) absenceView(a store.Absence) AbsenceView {
	return t.s.absenceView(a, t.loc())
}

func (s *Service) absenceView(a store.Absence, loc *time.Location) AbsenceView {
	v := AbsenceView{N: a.ID, Kind: s.t.Absence.Kind(a.Status), From: s.t.FormatDate(a.First.Start(loc)), To: s.t.FormatDate(a.Last.Start(loc)), Reason: a.Reason}
	for _, d := range a.Days {
		v.Days = append(v.Days, s.t.FormatDate(d.Start(loc)))
	}
	return v
}

// cancelAbsence answers /batal [N]: the absence's days from today on are
// removed. Only the person or an admin of their office may.
func (t *turn) cancelAbsence(cmd Command) error {
	at := t.s.t.Absence
	if t.in.Group {
		t.outcome = OutcomeRejected
		return t.reply(at.PrivateOnly)
	}
	today := t.today()
	n, hasN := absenceNumber(cmd.Arg)
	if !hasN {
		mine, err := t.tx.UpcomingAbsences(t.ctx, t.who.ID, today)
		if err != nil {
			return errStore{err}
		}
		switch len(mine) {
		case 0:
			t.outcome = OutcomeRejected
			return t.reply(at.CancelNone)
		case 1:
			n = mine[0].ID
		default:
			t.outcome = OutcomeRejected
			vs := make([]AbsenceView, len(mine))
			for i, a := range mine {
				vs[i] = t.absenceView(a)
			}
			return t.reply(at.CancelWhich(vs))
		}
	}
	a, err := t.tx.AbsenceByID(t.ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		t.outcome = OutcomeRejected
		return t.reply(at.Unknown(n))
	}
	if err != nil {
		return errStore{err}
	}
	owner := *t.who
	if a.StaffID != t.who.ID {
		if owner, err = t.tx.StaffByID(t.ctx, a.StaffID); err != nil {
			return errStore{err}
		}
		if !t.who.HasRole(store.RoleAdmin) || t.who.Office.ID != owner.Office.ID {
			t.outcome = OutcomeDenied
			return t.reply(t.s.t.NotAllowed)
		}
	}
	loc := t.s.locs.get(owner.Office.TZ)
	from := civil.In(t.now, loc)
	v := t.s.absenceView(a, loc)
	switch {
	case a.Cancelled():
		t.outcome = OutcomeRejected
		return t.reply(at.CancelDone(v))
	case a.Last.Before(from):
		t.outcome = OutcomeRejected
		return t.reply(at.CancelPast(v))
	}
	removed, err := t.tx.CancelAbsence(t.ctx, a.ID, t.who.ID, from, t.now)
	if err != nil {
		return errStore{err}
	}
	if err := t.tx.DeleteDraftRosterDays(t.ctx, owner.Office.ID, from, a.Last); err != nil {
		return errStore{err}
	}
	days := make([]string, len(removed))
	for i, d := range removed {
		days[i] = t.s.formatDay(d, loc)
	}
	if owner.ID != t.who.ID {
		q, err := t.s.toPerson(t.ctx, t.tx, owner, fmt.Sprintf("absence-cancel:%d", a.ID), at.CancelledFor(v, t.who.Name, days), t.now)
		if err != nil {
			return errStore{err}
		}
		t.queued += q
	}
	return t.reply(at.Cancelled(v, days, a.First.Before(from)))
}

// formatDay formats a calendar day as the texts do.
func (s *Service) formatDay(d civil.Date, loc *time.Location) string {
	return s.t.FormatDate(d.Start(loc))
}

// absenceNumber reads "3", "No. 3", "cuti 3", "#3" after /batal.
func absenceNumber(arg string) (int64, bool) {
	for _, f := range strings.FieldsFunc(arg, func(r rune) bool { return !unicode.IsDigit(r) }) {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil && n > 0 {
			return n, true
		}
	}
	return 0, false
}

// upcomingAbsences returns the text listing the sender's absences from
// today on, or "" when there are none.
func (t *turn) upcomingAbsences() (string, error) {
	list, err := t.tx.UpcomingAbsences(t.ctx, t.who.ID, t.today())
	if err != nil {
		return "", errStore{err}
	}
	var vs []AbsenceView
	for _, a := range list {
		if len(a.Days) > 0 {
			vs = append(vs, t.absenceView(a))
		}
	}
	if len(vs) == 0 {
		return "", nil
	}
	return t.s.t.Absence.Upcoming(vs), nil
}

// withAbsences runs a reply (/status, /piket) with the sender's upcoming
// absences appended to it.
func (t *turn) withAbsences(fn func() error) error {
	if t.in.Group {
		return fn() // not in a group chat
	}
	tail, err := t.upcomingAbsences()
	if err != nil {
		return err
	}
	t.tail = tail
	defer func() { t.tail = "" }()
	return fn()
}

// newAbsences returns, per supervisor, the absences of their direct
// subordinates (among entries) no digest has told of yet, and the IDs of
// every such absence of the office (told, or with nobody to tell).
func (rr *reminderRun) newAbsences(entries []store.DayEntry) (map[int64][]AbsenceView, []int64, error) {
	list, err := rr.tx.UndigestedAbsences(rr.ctx, rr.office.ID)
	if err != nil {
		return nil, nil, err
	}
	people := make(map[int64]store.Staff, len(entries))
	for _, e := range entries {
		people[e.Staff.ID] = e.Staff
	}
	out := map[int64][]AbsenceView{}
	ids := make([]int64, 0, len(list))
	for _, a := range list {
		ids = append(ids, a.ID)
		st, ok := people[a.StaffID]
		if !ok || st.SupervisorID == 0 || len(a.Days) == 0 {
			continue
		}
		v := rr.s.absenceView(a, rr.loc)
		v.Name, v.Unit = st.Name, st.Division
		out[st.SupervisorID] = append(out[st.SupervisorID], v)
	}
	return out, ids, nil
}

// markTold records that the digest told of absences ids.
func (rr *reminderRun) markTold(ids []int64) error {
	for _, id := range ids {
		if err := rr.tx.MarkAbsenceDigested(rr.ctx, id, rr.now); err != nil {
			return err
		}
	}
	return nil
}
