package bot

import (
	"errors"

	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// checkIn records the day's self-assessment (hadir, sakit, izin, cuti).
func (t *turn) checkIn(cmd Command) error {
	if done, err := t.absenceCheckIn(cmd); done || err != nil {
		return err
	}
	loc := t.loc()
	deadline := t.s.policy(t.who.Office.Code).Deadline
	// The time of record (when it was sent) decides the day and lateness;
	// a day off is never late.
	local, day, delayed := t.at.In(loc), t.day(), t.delayed()
	off := t.dayOff(day)
	flex, err := t.flexCheckIn(&cmd, &deadline, day) // mode fleksibel: place and start window (flex_time.go)
	if err != nil {
		return err
	}
	// The store merges this into a record already there (first time,
	// plan, lateness decided by the first "hadir") in the same statement.
	rec := store.Attendance{
		StaffID: t.who.ID, Day: day, Status: cmd.Status, Place: cmd.Place, Health: cmd.Health, Plan: cmd.Plan,
		Late: off == "" && local.Hour()*60+local.Minute() > deadline, FirstAt: t.at, UpdatedAt: t.now, Delayed: delayed,
		FlexKind: flex.Kind, Unapproved: flex.Unapproved,
	}
	// The day's first record, the common case, is one insert. A day that
	// has a record may be an absence day: that asks first (an absence's
	// days are records), then the check-in is merged in.
	inserted, err := t.tx.FirstCheckIn(t.ctx, rec, t.inboundID)
	if err != nil {
		return errStore{err}
	}
	a, existed := rec, false
	if inserted {
		a.Late = a.Late && a.Status == store.StatusPresent
	} else {
		if done, err := t.askBeforeOverwrite(cmd, absenceStatus(cmd)); done || err != nil {
			return err
		}
		if a, existed, err = t.tx.MergeCheckIn(t.ctx, rec, t.inboundID); err != nil {
			return errStore{err}
		}
	}
	v := t.view(a, 0) // the confirmation does not show report parts: no query on the hot path
	v.Date, v.Time = t.s.t.FormatDate(local), t.s.t.FormatTime(local)
	v.Updated = existed
	v.Deadline = t.s.t.FormatClock(deadline, loc)
	text := t.s.t.CheckedIn(v) + flex.Note + t.recordNotes(off, delayed)
	if !t.in.Group {
		return t.reply(text)
	}
	// In a group, the group sees that it was recorded and when; place,
	// health, plan and lateness are personal data (UU 27/2022) and go to
	// the person's private chat.
	if flex.Private != "" {
		text += "\n" + flex.Private
	}
	n, err := t.s.toPersonAs(t.ctx, t.tx, *t.who, store.PriorityReply, "", text, t.now, "")
	if err != nil {
		return errStore{err}
	}
	t.queued += n
	return t.reply(t.s.t.Privacy.CheckedInGroup(t.who.Name, v.Time, n > 0))
}

func (t *turn) view(a store.Attendance, reports int) DayView {
	loc := t.loc()
	return DayView{
		Name: t.who.Name, Date: t.s.t.FormatDate(t.now.In(loc)), Time: t.s.t.FormatTime(t.now.In(loc)),
		Status: a.Status, Place: a.Place, Health: a.Health, Plan: a.Plan, Late: a.Late,
		Reports: reports, FirstAt: t.s.t.FormatTime(a.FirstAt.In(loc)),
	}
}

// workReport appends to today's work report.
func (t *turn) workReport(cmd Command) error {
	if cmd.Arg == "" {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.ReportEmpty)
	}
	day := t.day()
	if err := t.tx.AddWorkReport(t.ctx, t.who.ID, day, cmd.Arg, t.at, t.inboundID); err != nil {
		return errStore{err}
	}
	reports, err := t.tx.WorkReports(t.ctx, t.who.ID, day)
	if err != nil {
		return errStore{err}
	}
	return t.reply(t.s.t.ReportAdded(len(reports), t.s.t.FormatTime(t.at.In(t.loc()))) + t.recordNotes("", t.delayed()))
}

// status shows my day.
func (t *turn) status() error {
	day := t.today()
	a, err := t.tx.Attendance(t.ctx, t.who.ID, day)
	if errors.Is(err, store.ErrNotFound) {
		return t.reply(t.s.t.NoCheckInYet(t.s.t.FormatDate(t.now.In(t.loc()))))
	}
	if err != nil {
		return errStore{err}
	}
	reports, err := t.tx.WorkReports(t.ctx, t.who.ID, day)
	if err != nil {
		return errStore{err}
	}
	return t.reply(t.myDay(a, len(reports)))
}

// onContact links the sender's account when they shared their own
// contact card and its number belongs to an active staff member.
func (t *turn) onContact() error {
	c := t.in.Contact
	if t.in.Group {
		t.outcome = OutcomeIgnored
		return nil
	}
	if c.UserID == "" || c.UserID != t.in.SenderID {
		t.outcome = OutcomeRejected
		return t.send(Outgoing{Text: t.s.t.ContactNotOwn, RequestContact: true})
	}
	phone, err := staff.NormalizePhone(c.Phone)
	if err != nil {
		t.outcome = OutcomeRejected
		return t.send(Outgoing{Text: t.s.t.ContactNoMatch(c.Phone), RequestContact: true})
	}
	st, err := t.tx.ActiveStaffByPhone(t.ctx, phone)
	if errors.Is(err, store.ErrNotFound) {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.ContactNoMatch(phone))
	}
	if err != nil {
		return errStore{err}
	}
	if want := t.s.accountOf(t.in.Platform, st.Office.Code); want != t.in.Account {
		// The office's own bot must be the one they talk to: this one
		// would answer their check-ins, but their reminders and alerts
		// come from the other.
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.Accounts.Wrong(t.in.Platform, st.Office.Code, t.s.handle(t.in.Platform, want), true))
	}
	if err := t.tx.LinkIdentity(t.ctx, st.ID, store.Identity{Platform: string(t.in.Platform), ExternalID: t.in.SenderID, ChatID: t.in.ChatID}, t.now); err != nil {
		return errStore{err}
	}
	t.who = &st
	t.outcome = OutcomeOK
	return t.reply(t.s.t.Linked(st.Name, st.Office.Code))
}

// unlink removes the sender's platform link.
func (t *turn) unlink() error {
	for _, a := range t.s.implicit {
		if a.Platform() == t.in.Platform {
			t.outcome = OutcomeRejected
			return t.reply(t.s.t.NotLinked)
		}
	}
	ok, err := t.tx.UnlinkIdentity(t.ctx, string(t.in.Platform), t.in.SenderID)
	if err != nil {
		return errStore{err}
	}
	if !ok {
		return t.reply(t.s.t.NotLinked)
	}
	return t.reply(t.s.t.Unlinked)
}

// linkGroup links the group chat the command was sent in to an office.
// Only that office's admins may.
func (t *turn) linkGroup(cmd Command) error {
	if !t.in.Group {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.GroupOnly)
	}
	if cmd.Arg == "" {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.GroupLinkUsage)
	}
	office, err := t.tx.OfficeByCode(t.ctx, cmd.Arg)
	if errors.Is(err, store.ErrNotFound) {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.GroupUnknownOffice(cmd.Arg))
	}
	if err != nil {
		return errStore{err}
	}
	if !t.who.HasRole(store.RoleAdmin) || t.who.Office.ID != office.ID {
		t.outcome = OutcomeDenied
		return t.reply(t.s.t.NotAllowed)
	}
	if err := t.tx.LinkOfficeChat(t.ctx, office.ID, store.GroupChat{Platform: string(t.in.Platform), ChatID: t.in.ChatID, Account: t.in.Account}, t.who.ID, t.now); err != nil {
		return errStore{err}
	}
	if err := t.reply(t.s.t.GroupLinked(office.Code)); err != nil {
		return err
	}
	return t.postLatestRoster(office)
}
