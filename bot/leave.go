package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/holiday"
	"github.com/piket-id/piket/store"
)

// Leave-home reports: a person working from home reports leaving it
// (/keluar), their supervisor is alerted at once and acknowledges (/ok N);
// an alert nobody acknowledges escalates up the chain, then to the office
// admins; /kembali closes the report. LeaveTick does the timed parts.

// LeavePolicy is an office's leave-home configuration. Zero fields take
// the defaults (15 minutes, 07:30-16:00, 3 hours, 30 minutes).
type LeavePolicy struct {
	EscalateAfter time.Duration // unacknowledged this long, counted in working time: escalate
	WorkStart     int           // minutes after local midnight
	WorkEnd       int
	// Night counts escalation time around the clock, every day.
	Night           bool
	DefaultDuration time.Duration // expected absence when none was given
	ReturnGrace     time.Duration // after the overdue reminder until the supervisor is told
	// Workdays are the working weekdays (default Monday to Friday);
	// Calendar the holidays (default: the built-in national calendar).
	Workdays *[7]bool
	Calendar *holiday.Calendar
}

var nationalCalendar = sync.OnceValue(func() *holiday.Calendar { return holiday.NewCalendar() })

func (p LeavePolicy) withDefaults() LeavePolicy {
	if p.EscalateAfter <= 0 {
		p.EscalateAfter = 15 * time.Minute
	}
	if p.WorkEnd <= p.WorkStart {
		p.WorkStart, p.WorkEnd = 7*60+30, 16*60
	}
	if p.DefaultDuration <= 0 {
		p.DefaultDuration = 3 * time.Hour
	}
	if p.ReturnGrace <= 0 {
		p.ReturnGrace = 30 * time.Minute
	}
	if p.Workdays == nil {
		w := holiday.MondayToFriday()
		p.Workdays = &w
	}
	if p.Calendar == nil {
		p.Calendar = nationalCalendar()
	}
	return p
}

// addWorking returns the instant d of working time after start: time
// counts only inside working hours on working days, unless Night is set.
func (p LeavePolicy) addWorking(start time.Time, d time.Duration, loc *time.Location) time.Time {
	if p.Night {
		return start.Add(d)
	}
	t := start.In(loc)
	for i := 0; i < 800; i++ {
		day := civil.In(t, loc)
		from := day.At(p.WorkStart/60, p.WorkStart%60, loc)
		until := day.At(p.WorkEnd/60, p.WorkEnd%60, loc)
		if p.Calendar.IsWorkingDay(day, *p.Workdays) && t.Before(until) {
			if t.Before(from) {
				t = from
			}
			left := until.Sub(t)
			if d <= left {
				return t.Add(d)
			}
			d -= left
		}
		t = day.AddDays(1).Start(loc)
	}
	return start.Add(d) // no working time within two years: do not wait forever
}

func (s *Service) leavePolicy(officeCode string) LeavePolicy {
	p := s.policy(officeCode).Leave
	if p.Workdays == nil && p.Calendar == nil {
		// Working days are the office's: its roster weekdays and holidays.
		rp := s.rosterPolicy(officeCode)
		p.Workdays, p.Calendar = &rp.Workdays, rp.Calendar
	}
	return p.withDefaults()
}

// chainAbove returns st's active supervisors, nearest first.
func chainAbove(ctx context.Context, tx *store.Tx, st store.Staff) ([]store.Staff, error) {
	var out []store.Staff
	seen := map[int64]bool{st.ID: true}
	id := st.SupervisorID
	for id != 0 && !seen[id] && len(out) < 32 {
		seen[id] = true
		sup, err := tx.StaffByID(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			return nil, err
		}
		if sup.Active {
			out = append(out, sup)
		}
		id = sup.SupervisorID
	}
	return out, nil
}

// stepTargets returns who step k of a report's alerts goes to: the k-th
// supervisor up the chain, then (one step after the chain) the office
// admins not alerted before. ok is false when there is no step k.
func stepTargets(ctx context.Context, tx *store.Tx, reporter store.Staff, k int) (targets []store.Staff, staffID int64, ok bool, err error) {
	chain, err := chainAbove(ctx, tx, reporter)
	if err != nil {
		return nil, 0, false, err
	}
	if k < len(chain) {
		return chain[k : k+1], chain[k].ID, true, nil
	}
	if k > len(chain) {
		return nil, 0, false, nil
	}
	admins, err := tx.OfficeAdmins(ctx, reporter.Office.ID)
	if err != nil {
		return nil, 0, false, err
	}
	alerted := map[int64]bool{reporter.ID: true}
	for _, c := range chain {
		alerted[c.ID] = true
	}
	for _, a := range admins {
		if !alerted[a.ID] {
			targets = append(targets, a)
		}
	}
	return targets, 0, true, nil
}

// alertedStaff returns everyone a report's alerts went to so far.
func alertedStaff(ctx context.Context, tx *store.Tx, reporter store.Staff, reportID int64) ([]store.Staff, error) {
	steps, err := tx.LeaveEscalations(ctx, reportID)
	if err != nil {
		return nil, err
	}
	var out []store.Staff
	seen := map[int64]bool{}
	for _, e := range steps {
		var ts []store.Staff
		if e.StaffID != 0 {
			st, err := tx.StaffByID(ctx, e.StaffID)
			if err != nil {
				return nil, err
			}
			ts = []store.Staff{st}
		} else {
			ts, _, _, err = stepTargets(ctx, tx, reporter, e.Step)
			if err != nil {
				return nil, err
			}
		}
		for _, st := range ts {
			if !seen[st.ID] && st.Active {
				seen[st.ID] = true
				out = append(out, st)
			}
		}
	}
	return out, nil
}

func names(sts []store.Staff) []string {
	out := make([]string, len(sts))
	for i, st := range sts {
		out[i] = st.Name
	}
	return out
}

// leaveView describes a report for messages, in the reporter's office zone.
func (s *Service) leaveView(l store.LeaveReport, who store.Staff) LeaveView {
	loc := s.locs.get(who.Office.TZ)
	v := LeaveView{N: l.ID, Name: who.Name, Office: who.Office.Code, Division: who.Division, Reason: l.Reason, Since: s.stamp(l.StartedAt, loc)}
	if !l.ExpectedAt.IsZero() {
		v.Expected = s.stamp(l.ExpectedAt, loc)
	}
	return v
}

// stamp formats a local time, with the date when it is not today's.
func (s *Service) stamp(tm time.Time, loc *time.Location) string {
	tm = tm.In(loc)
	if civil.In(tm, loc) != civil.In(s.now(), loc) {
		return fmt.Sprintf("%s %s", s.t.FormatDate(tm), s.t.FormatTime(tm))
	}
	return s.t.FormatTime(tm)
}

// leave records a leave-home report and alerts the supervisor at once.
func (t *turn) leave(cmd Command) error {
	if cmd.Arg == "" {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.LeaveAskReason)
	}
	open, err := t.tx.OpenLeave(t.ctx, t.who.ID)
	if err == nil {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.LeaveAlreadyOpen(t.s.leaveView(open, *t.who)))
	}
	if !errors.Is(err, store.ErrNotFound) {
		return errStore{err}
	}
	p := t.s.leavePolicy(t.who.Office.Code)
	loc := t.loc()
	// The person left when they sent the report (its time of record).
	l := store.LeaveReport{StaffID: t.who.ID, Reason: cmd.Arg, StartedAt: t.at}
	switch {
	case cmd.For > 0:
		l.ExpectedAt = t.at.Add(cmd.For)
	case cmd.Until >= 0:
		at := t.day().At(cmd.Until/60, cmd.Until%60, loc)
		if !at.After(t.at) && cmd.Until < 12*60 {
			at = at.Add(12 * time.Hour) // "sampai 2" in the afternoon: 14.00
		}
		if at.After(t.at) {
			l.ExpectedAt = at
		}
	}
	l.DueAt = l.ExpectedAt
	if l.DueAt.IsZero() {
		l.DueAt = t.at.Add(p.DefaultDuration)
	}
	id, err := t.tx.CreateLeave(t.ctx, l, t.inboundID)
	if err != nil {
		return errStore{err}
	}
	l.ID = id
	targets, staffID, _, err := stepTargets(t.ctx, t.tx, *t.who, 0)
	if err != nil {
		return errStore{err}
	}
	if _, err := t.tx.AddLeaveEscalation(t.ctx, store.LeaveEscalation{ReportID: id, Step: 0, StaffID: staffID, At: t.now}); err != nil {
		return errStore{err}
	}
	v := t.s.leaveView(l, *t.who)
	// The reporter is always told who was alerted, who could not be
	// reached (no linked chat), and to phone the office if nobody was.
	role := t.s.t.Alerted.Admin // step 0 without an active supervisor: the office admins
	if staffID != 0 {
		role = t.s.t.Alerted.Supervisor
	}
	var reached, unreached []string
	for _, st := range targets {
		n, err := t.s.toPersonAs(t.ctx, t.tx, st, store.PriorityAlert, fmt.Sprintf("leave:%d:alert:%d", id, st.ID), t.s.t.LeaveAlert(v), t.now, "")
		t.queued += n
		if err != nil {
			return errStore{err}
		}
		if n > 0 {
			reached = append(reached, role(st.Name))
		} else {
			unreached = append(unreached, role(st.Name))
		}
	}
	v.Alerted = reached
	text := t.s.t.LeaveRecorded(v)
	if len(unreached) > 0 {
		text += "\n\n" + t.s.t.Alerted.Unreached(unreached)
	}
	if len(reached) == 0 {
		text += "\n\n" + t.s.t.Alerted.Nobody
	}
	return t.reply(text)
}

// mayAcknowledge reports whether who may acknowledge reporter's reports:
// a supervisor anywhere above them, or an admin of their office.
func mayAcknowledge(ctx context.Context, tx *store.Tx, who, reporter store.Staff) (bool, error) {
	if who.ID == reporter.ID {
		return false, nil
	}
	if who.HasRole(store.RoleAdmin) && who.Office.ID == reporter.Office.ID {
		return true, nil
	}
	chain, err := chainAbove(ctx, tx, reporter)
	if err != nil {
		return false, err
	}
	for _, c := range chain {
		if c.ID == who.ID {
			return true, nil
		}
	}
	return false, nil
}

// ack records a supervisor's acknowledgement and tells the reporter.
func (t *turn) ack(cmd Command) error {
	if cmd.N == 0 {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.LeaveAckUsage)
	}
	l, err := t.tx.LeaveByID(t.ctx, cmd.N)
	if errors.Is(err, store.ErrNotFound) {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.LeaveUnknown(cmd.N))
	}
	if err != nil {
		return errStore{err}
	}
	reporter, err := t.tx.StaffByID(t.ctx, l.StaffID)
	if err != nil {
		return errStore{err}
	}
	ok, err := mayAcknowledge(t.ctx, t.tx, *t.who, reporter)
	if err != nil {
		return errStore{err}
	}
	if !ok {
		t.outcome = OutcomeDenied
		return t.reply(t.s.t.NotAllowed)
	}
	v := t.s.leaveView(l, reporter)
	if l.Acked() {
		by, err := t.tx.StaffByID(t.ctx, l.AckedBy)
		if err != nil {
			return errStore{err}
		}
		v.By, v.At = by.Name, t.s.stamp(l.AckedAt, t.s.locs.get(reporter.Office.TZ))
		return t.reply(t.s.t.LeaveAckAlready(v))
	}
	if _, err := t.tx.AckLeave(t.ctx, l.ID, t.who.ID, t.now); err != nil {
		return errStore{err}
	}
	v.By, v.At = t.who.Name, t.s.stamp(t.now, t.s.locs.get(reporter.Office.TZ))
	if err := t.notifyStaff(reporter, t.s.t.LeaveAcked(v), fmt.Sprintf("leave:%d:acked", l.ID)); err != nil {
		return err
	}
	return t.reply(t.s.t.LeaveAckDone(v))
}

// comeBack closes the sender's open report and tells everyone alerted.
func (t *turn) comeBack() error {
	l, err := t.tx.OpenLeave(t.ctx, t.who.ID)
	if errors.Is(err, store.ErrNotFound) {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.LeaveNotOut)
	}
	if err != nil {
		return errStore{err}
	}
	back := t.at // when they sent /kembali, but not before they left
	if back.Before(l.StartedAt) {
		back = l.StartedAt
	}
	if _, err := t.tx.CloseLeave(t.ctx, l.ID, back); err != nil {
		return errStore{err}
	}
	v := t.s.leaveView(l, *t.who)
	v.At, v.Took = t.s.stamp(back, t.loc()), t.s.t.LeaveTook(back.Sub(l.StartedAt))
	alerted, err := alertedStaff(t.ctx, t.tx, *t.who, l.ID)
	if err != nil {
		return errStore{err}
	}
	for _, st := range alerted {
		if err := t.notifyStaff(st, t.s.t.LeaveReturnedAlert(v), fmt.Sprintf("leave:%d:returned:%d", l.ID, st.ID)); err != nil {
			return err
		}
	}
	return t.reply(t.s.t.LeaveReturned(v))
}

// leaveList lists the open reports of everyone below the sender (an
// admin: everyone in their office).
func (t *turn) leaveList() error {
	below := map[int64]bool{}
	if t.who.HasRole(store.RoleAdmin) {
		all, err := t.tx.OfficeStaff(t.ctx, t.who.Office.ID)
		if err != nil {
			return errStore{err}
		}
		for _, st := range all {
			below[st.ID] = true
		}
	}
	queue := []int64{t.who.ID}
	seen := map[int64]bool{t.who.ID: true}
	for len(queue) > 0 {
		subs, err := t.tx.Subordinates(t.ctx, queue[0])
		if err != nil {
			return errStore{err}
		}
		queue = queue[1:]
		for _, st := range subs {
			if !seen[st.ID] {
				seen[st.ID], below[st.ID] = true, true
				queue = append(queue, st.ID)
			}
		}
	}
	delete(below, t.who.ID)
	if len(below) == 0 && !t.who.HasRole(store.RoleAdmin) {
		t.outcome = OutcomeDenied
		return t.reply(t.s.t.NotAllowed)
	}
	open, err := t.tx.OpenLeaves(t.ctx)
	if err != nil {
		return errStore{err}
	}
	var vs []LeaveView
	for _, l := range open {
		if !below[l.StaffID] {
			continue
		}
		st, err := t.tx.StaffByID(t.ctx, l.StaffID)
		if err != nil {
			return errStore{err}
		}
		v := t.s.leaveView(l, st)
		if l.Acked() {
			v.By = "-"
		}
		vs = append(vs, v)
	}
	return t.reply(t.s.t.LeaveActive(vs))
}

// statusWithLeave answers /status, adding the sender's open report.
func (t *turn) statusWithLeave() error {
	l, err := t.tx.OpenLeave(t.ctx, t.who.ID)
	if errors.Is(err, store.ErrNotFound) {
		return t.status()
	}
	if err != nil {
		return errStore{err}
	}
	v := t.s.leaveView(l, *t.who)
	if l.Acked() {
		by, err := t.tx.StaffByID(t.ctx, l.AckedBy)
		if err != nil {
			return errStore{err}
		}
		v.By = by.Name
	}
	day := t.today()
	var head string
	a, err := t.tx.Attendance(t.ctx, t.who.ID, day)
	switch {
	case errors.Is(err, store.ErrNotFound):
		head = t.s.t.NoCheckInYet(t.s.t.FormatDate(t.now.In(t.loc())))
	case err != nil:
		return errStore{err}
	default:
		reports, err := t.tx.WorkReports(t.ctx, t.who.ID, day)
		if err != nil {
			return errStore{err}
		}
		head = t.myDay(a, len(reports))
	}
	return t.reply(head + "\n" + t.s.t.LeaveStatus(v))
}

// LeaveTick does the timed part of leave-home reports at now: escalates
// alerts nobody acknowledged, reminds people overdue to come back and then
// tells their supervisors. Each step runs in its own write and is recorded
// in the schema, so a second call at the same time queues nothing.
func (s *Service) LeaveTick(ctx context.Context, now time.Time) error {
	open, err := s.store.OpenLeaves(ctx)
	if err != nil {
		return fmt.Errorf("bot: leave tick: %w", err)
	}
	ids := make([]int64, len(open))
	for i, l := range open {
		ids[i] = l.ID
	}
	return s.stepEach(ctx, ids, now, "leave report", s.leaveStep)
}

// leaveStep does what is due for one report, in one write.
func (s *Service) leaveStep(ctx context.Context, id int64, now time.Time) (int, error) {
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		queued = 0
		l, err := tx.LeaveByID(ctx, id)
		if err != nil {
			return err
		}
		if !l.Open() {
			return nil
		}
		reporter, err := tx.StaffByID(ctx, l.StaffID)
		if err != nil {
			return err
		}
		p := s.leavePolicy(reporter.Office.Code)
		loc := s.locs.get(reporter.Office.TZ)
		notify := func(st store.Staff, text, key string) error {
			n, err := s.toPersonAs(ctx, tx, st, store.PriorityAlert, key, text, now, "")
			queued += n
			return err
		}
		if !l.Acked() {
			if err := s.escalate(ctx, tx, l, reporter, p, loc, now, notify); err != nil {
				return err
			}
		}
		v := s.leaveView(l, reporter)
		switch {
		case l.RemindedAt.IsZero() && !now.Before(l.DueAt):
			if ok, err := tx.MarkLeaveReminded(ctx, l.ID, now); err != nil || !ok {
				return err
			}
			return notify(reporter, s.t.LeaveReminder(v), fmt.Sprintf("leave:%d:remind", l.ID))
		case !l.RemindedAt.IsZero() && l.OverdueAlertedAt.IsZero() && !now.Before(l.RemindedAt.Add(p.ReturnGrace)):
			if ok, err := tx.MarkLeaveOverdueAlerted(ctx, l.ID, now); err != nil || !ok {
				return err
			}
			alerted, err := alertedStaff(ctx, tx, reporter, l.ID)
			if err != nil {
				return err
			}
			for _, st := range alerted {
				if err := notify(st, s.t.LeaveOverdueAlert(v), fmt.Sprintf("leave:%d:overdue:%d", l.ID, st.ID)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return queued, nil
}

// escalate sends the next alert step when the last one went
// unacknowledged for the escalation time.
func (s *Service) escalate(ctx context.Context, tx *store.Tx, l store.LeaveReport, reporter store.Staff, p LeavePolicy, loc *time.Location,
	now time.Time, notify func(store.Staff, string, string) error) error {
	steps, err := tx.LeaveEscalations(ctx, l.ID)
	if err != nil {
		return err
	}
	last := store.LeaveEscalation{Step: -1, At: l.StartedAt}
	if len(steps) > 0 {
		last = steps[len(steps)-1]
	}
	if now.Before(p.addWorking(last.At, p.EscalateAfter, loc)) {
		return nil
	}
	k := last.Step + 1
	targets, staffID, ok, err := stepTargets(ctx, tx, reporter, k)
	if err != nil || !ok {
		return err
	}
	before, err := alertedStaff(ctx, tx, reporter, l.ID)
	if err != nil {
		return err
	}
	added, err := tx.AddLeaveEscalation(ctx, store.LeaveEscalation{ReportID: l.ID, Step: k, StaffID: staffID, At: now})
	if err != nil || !added {
		return err
	}
	v := s.leaveView(l, reporter)
	v.Alerted = names(before)
	text := s.t.LeaveEscalation(v)
	if k == 0 {
		text = s.t.LeaveAlert(v) // no first alert on record: send it now
	}
	for _, st := range targets {
		if err := notify(st, text, fmt.Sprintf("leave:%d:esc:%d:%d", l.ID, k, st.ID)); err != nil {
			return err
		}
	}
	return nil
}
