package bot

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/store"
)

// Flexible time: a dynamic start inside the office's start window, the
// day's end (/pulang) and the week's hours against 37.5 (32.5 in Ramadan).

// flexCheckIn adjusts a presence check-in in an office in mode fleksibel:
// the start window's end is the deadline; the place is away on a day of
// an approved request, and the office on any other day unless the person
// wrote a place away, which is recorded as written and flagged "tanpa
// persetujuan" (flex_record.go). It returns the record's flexible-work
// fields and a note for the confirmation.
func (t *turn) flexCheckIn(cmd *Command, deadline *int, day civil.Date) (flexMark, error) {
	fp := t.s.policy(t.who.Office.Code).Flex
	var m flexMark
	if !fp.Enabled || cmd.Status != store.StatusPresent {
		return m, nil
	}
	ft := t.s.t.Flex
	if cmd.Place == store.PlaceHome || cmd.Place == store.PlaceOffice || cmd.Place == "" {
		f, err := t.tx.ApprovedFlexDay(t.ctx, t.who.ID, day)
		switch {
		case err == nil:
			if cmd.Place != store.PlaceOffice {
				cmd.Place, m.Kind = store.PlaceHome, f.Kind
			}
			m.Note += ft.OnFlexDay(t.s.flexView(f, *t.who, t.loc()))
		case errors.Is(err, store.ErrNotFound):
			if cmd.Place == store.PlaceOffice {
				break
			}
			if cmd.Away == "" {
				cmd.Place = store.PlaceOffice // no place written: the office, as the rules say
				break
			}
			if !t.s.rosterPolicy(t.who.Office.Code).IsWorkingDay(day) {
				cmd.Place = store.PlaceHome // a day off needs no approval: as written, no flag
				break
			}
			cmd.Place, m.Kind, m.Unapproved = store.PlaceHome, cmd.Away, true
			note, err := t.unapprovedNote(cmd.Away, day)
			if err != nil {
				return m, err
			}
			if !t.in.Group {
				m.Note += note
			} else {
				m.Private = strings.TrimPrefix(note, "\n") // the flag is between the person and their supervisor: never in the group
			}
		default:
			return m, errStore{err}
		}
	}
	if fp.StartUntil > 0 {
		*deadline = fp.StartUntil
		local := t.at.In(t.loc())
		if at := local.Hour()*60 + local.Minute(); at <= fp.StartUntil {
			m.Note += ft.OnTimeNote(t.s.window(fp.StartFrom, fp.StartUntil, t.loc()))
		}
	}
	return m, nil
}

func (s *Service) window(from, until int, loc *time.Location) string {
	return s.t.FormatClock(from, loc)[:5] + "–" + s.t.FormatClock(until, loc)
}

// dayEnd answers /pulang: the end of today's work and the hours since the
// first check-in (not before the start window), then the week's total.
func (t *turn) dayEnd() error {
	ft := t.s.t.Flex
	day := t.day()
	a, err := t.tx.Attendance(t.ctx, t.who.ID, day)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Status != store.StatusPresent) {
		t.outcome = OutcomeRejected
		return t.reply(ft.NoCheckIn)
	}
	if err != nil {
		return errStore{err}
	}
	loc := t.loc()
	fp := t.s.flexPolicy(t.who.Office.Code)
	start := a.FirstAt
	if fp.StartUntil > 0 {
		if from := day.At(fp.StartFrom/60, fp.StartFrom%60, loc); start.Before(from) {
			start = from
		}
	}
	worked := max(t.at.Sub(start).Truncate(time.Minute), 0)
	if err := t.tx.SaveDayEnd(t.ctx, t.who.ID, day, t.at, int(worked/time.Minute), t.inboundID); err != nil {
		return errStore{err}
	}
	v, err := t.s.weekHours(t, *t.who, day)
	if err != nil {
		return err
	}
	v.Day, v.Start, v.End = worked, t.s.t.FormatTime(start.In(loc)), t.s.t.FormatTime(t.at.In(loc))
	local := t.at.In(loc)
	if fp.CoreUntil > 0 && local.Hour()*60+local.Minute() < fp.CoreUntil {
		v.CoreEnd = t.s.t.FormatClock(fp.CoreUntil, loc)
	}
	// The week's last working day: the supervisor sees the week's total.
	pol := t.s.rosterPolicy(t.who.Office.Code)
	if last := lastWorkingDay(day, pol.IsWorkingDay); last == day && t.who.SupervisorID != 0 {
		sup, err := t.tx.StaffByID(t.ctx, t.who.SupervisorID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return errStore{err}
		}
		if err == nil && sup.Active {
			if err := t.notifyStaff(sup, ft.WeekReport(v), fmt.Sprintf("hours:%d:%s", t.who.ID, fwa.WeekStart(day))); err != nil {
				return err
			}
		}
	}
	return t.reply(ft.DayEnded(v))
}

// lastWorkingDay returns the last working day of day's week on or after
// day (day itself when none follows).
func lastWorkingDay(day civil.Date, working func(civil.Date) bool) civil.Date {
	last := day
	for d := day.AddDays(1); d.Weekday() != time.Monday; d = d.AddDays(1) {
		if working(d) {
			last = d
		}
	}
	return last
}

// weekHours sums a person's recorded minutes in the week of day against
// the week's target.
func (s *Service) weekHours(t *turn, st store.Staff, day civil.Date) (HoursView, error) {
	mon := fwa.WeekStart(day)
	mins, err := t.tx.DayMinutes(t.ctx, st.ID, mon, mon.AddDays(6))
	if err != nil {
		return HoursView{}, errStore{err}
	}
	total := 0
	for _, m := range mins {
		total += m
	}
	fp := s.flexPolicy(st.Office.Code)
	pol := s.rosterPolicy(st.Office.Code)
	loc := s.locs.get(st.Office.TZ)
	ramadan := false
	for i := range 7 {
		ramadan = ramadan || fp.Ramadan.Has(mon.AddDays(i))
	}
	return HoursView{
		Name: st.Name, Date: s.t.FormatDate(day.Start(loc)), Week0: s.t.FormatDate(mon.Start(loc)),
		Week: time.Duration(total) * time.Minute, Ramadan: ramadan,
		Target: time.Duration(fwa.WeekTarget(day, *fp.Ramadan, pol.IsWorkingDay)) * time.Minute,
	}, nil
}

// hours answers /jam: the sender's week, and their direct subordinates'
// when they have any.
func (t *turn) hours() error {
	day := t.day()
	v, err := t.s.weekHours(t, *t.who, day)
	if err != nil {
		return err
	}
	text := t.s.t.Flex.Hours(v)
	subs, err := t.tx.Subordinates(t.ctx, t.who.ID)
	if err != nil {
		return errStore{err}
	}
	if len(subs) > 0 {
		var rows []HoursView
		for _, st := range subs {
			r, err := t.s.weekHours(t, st, day)
			if err != nil {
				return err
			}
			rows = append(rows, r)
		}
		text += "\n\n" + t.s.t.Flex.TeamHours(v.Week0, rows)
	}
	return t.reply(text)
}

// progress records a daily progress entry (/progres KEGIATAN; OUTPUT).
// It is kept apart from /laporan: see the README (e-Kinerja).
func (t *turn) progress(cmd Command) error {
	ft := t.s.t.Flex
	activity, output := ParseProgress(cmd.Arg)
	if activity == "" {
		t.outcome = OutcomeRejected
		return t.reply(ft.ProgressEmpty)
	}
	day := t.day()
	if err := t.tx.AddProgress(t.ctx, store.Progress{StaffID: t.who.ID, Day: day, Activity: activity, Output: output, At: t.at}, t.inboundID); err != nil {
		return errStore{err}
	}
	n, err := t.tx.CountProgress(t.ctx, t.who.ID, day)
	if err != nil {
		return errStore{err}
	}
	return t.reply(ft.ProgressAdded(n, t.s.t.FormatTime(t.at.In(t.loc())), output != "") + t.recordNotes("", t.delayed()))
}
