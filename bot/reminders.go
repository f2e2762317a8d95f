package bot

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// Reminders sends the scheduled daily messages of one Service: check-in
// and work-report reminders, the supervisors' digest and the group recap.
// Each method is a plain domain call taking the scheduled instant; it
// does nothing on days off and before the office's go-live day, and
// outbox dedupe keys make a second run of the same day harmless.
type Reminders struct {
	s *Service
}

// NewReminders returns the reminders of s. They run on each office's
// working days: its roster policy's weekdays and holiday calendar (the
// national holidays and cuti bersama plus the office's own).
func NewReminders(s *Service) *Reminders {
	return &Reminders{s: s}
}

// reminderRun is one office's run inside a write transaction.
type reminderRun struct {
	s      *Service
	ctx    context.Context
	tx     *store.Tx
	now    time.Time
	office store.Office
	loc    *time.Location
	day    civil.Date
	queued int
}

// run opens the transaction and calls fn on a working day; it returns how
// many messages were queued.
func (r *Reminders) run(ctx context.Context, officeCode string, now time.Time, fn func(*reminderRun) error) (int, error) {
	var queued int
	err := r.s.store.Write(ctx, func(tx *store.Tx) error {
		office, err := tx.OfficeByCode(ctx, officeCode)
		if errors.Is(err, store.ErrNotFound) {
			return nil // an office in config that has no staff yet
		}
		if err != nil {
			return err
		}
		loc := r.s.locs.get(office.TZ)
		day := civil.In(now, loc)
		if !r.s.rosterPolicy(office.Code).IsWorkingDay(day) || !r.s.liveOn(office, day) {
			return nil // a day off, or before the office started using Piket
		}
		rr := &reminderRun{s: r.s, ctx: ctx, tx: tx, now: now, office: office, loc: loc, day: day}
		if err := fn(rr); err != nil {
			return err
		}
		queued = rr.queued
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("bot: reminders for %s: %w", officeCode, err)
	}
	if queued > 0 {
		r.s.notify()
	}
	return queued, nil
}

// RemindCheckIn sends each person of the office who has not checked in
// today a private reminder. It returns how many messages were queued.
func (r *Reminders) RemindCheckIn(ctx context.Context, officeCode string, now time.Time) (int, error) {
	return r.remindEach(ctx, officeCode, now, "remind:checkin",
		func(e store.DayEntry) bool { return !e.Recorded }, // not present, sick, on leave nor permitted absence
		func(rr *reminderRun, e store.DayEntry, date string) string {
			deadline := rr.s.t.FormatClock(rr.s.policy(rr.office.Code).Deadline, rr.loc)
			return rr.s.t.Recap.RemindCheckIn(e.Staff.Name, date, deadline)
		})
}

// RemindReport reminds each person present today who has no work report.
func (r *Reminders) RemindReport(ctx context.Context, officeCode string, now time.Time) (int, error) {
	return r.remindEach(ctx, officeCode, now, "remind:report",
		func(e store.DayEntry) bool {
			return e.Recorded && e.Attendance.Status == store.StatusPresent && e.Reports == 0
		},
		func(rr *reminderRun, e store.DayEntry, date string) string {
			return rr.s.t.Recap.RemindReport(e.Staff.Name, date)
		})
}

// remindEach sends a reminder of kind to each person of the office whom
// want selects, with the text text makes.
func (r *Reminders) remindEach(ctx context.Context, officeCode string, now time.Time, kind string,
	want func(store.DayEntry) bool, text func(rr *reminderRun, e store.DayEntry, date string) string) (int, error) {
	return r.run(ctx, officeCode, now, func(rr *reminderRun) error {
		entries, err := rr.tx.OfficeDay(ctx, rr.office.ID, rr.day)
		if err != nil {
			return err
		}
		ids, err := rr.tx.OfficeIdentities(ctx, rr.office.ID)
		if err != nil {
			return err
		}
		date := rr.s.t.FormatDate(rr.day.Start(rr.loc))
		for _, e := range entries {
			if !want(e) {
				continue
			}
			if err := rr.toPerson(e.Staff, ids[e.Staff.ID], kind, text(rr, e, date)); err != nil {
				return err
			}
		}
		return nil
	})
}

// SupervisorDigest sends each supervisor the list of their direct
// subordinates in the office who have not checked in and the absences
// with dates they recorded since the last digest; supervisors with
// neither get nothing.
func (r *Reminders) SupervisorDigest(ctx context.Context, officeCode string, now time.Time) (int, error) {
	return r.run(ctx, officeCode, now, func(rr *reminderRun) error {
		entries, err := rr.tx.OfficeDay(ctx, rr.office.ID, rr.day)
		if err != nil {
			return err
		}
		away, err := rr.tx.ApprovedFlexOn(ctx, rr.office.ID, rr.day) // approved WFA/WFH days (flex.go)
		if err != nil {
			return err
		}
		missing, unapproved := map[int64][]string{}, map[int64][]string{}
		for _, e := range entries {
			if label, ok := rr.s.unapprovedLabel(e); ok && e.Staff.SupervisorID != 0 { // away without approval (flex_record.go)
				unapproved[e.Staff.SupervisorID] = append(unapproved[e.Staff.SupervisorID], label)
			}
			if !e.Recorded && e.Staff.SupervisorID != 0 {
				label := e.Staff.Name
				if e.Staff.Division != "" {
					label += " (" + e.Staff.Division + ")"
				}
				if f, ok := away[e.Staff.ID]; ok {
					label += " — " + strings.ToUpper(f.Kind)
				}
				missing[e.Staff.SupervisorID] = append(missing[e.Staff.SupervisorID], label)
			}
		}
		absent, told, err := rr.newAbsences(entries)
		if err != nil {
			return err
		}
		sups := make([]int64, 0, len(missing)+len(absent))
		for id := range missing {
			sups = append(sups, id)
		}
		for id := range absent {
			if _, ok := missing[id]; !ok {
				sups = append(sups, id)
			}
		}
		for id := range unapproved {
			_, m := missing[id]
			if _, a := absent[id]; !m && !a {
				sups = append(sups, id)
			}
		}
		sort.Slice(sups, func(i, j int) bool { return sups[i] < sups[j] })
		t := rr.s.t
		date, at := t.FormatDate(rr.day.Start(rr.loc)), t.FormatTime(rr.now.In(rr.loc))
		for _, id := range sups {
			sup, err := rr.tx.StaffByID(ctx, id)
			if err != nil {
				return err
			}
			if !sup.Active {
				continue
			}
			ids, err := rr.tx.Identities(ctx, id)
			if err != nil {
				return err
			}
			var parts []string
			if len(missing[id]) > 0 {
				parts = append(parts, t.Recap.Digest(date, at, missing[id]))
			}
			if len(unapproved[id]) > 0 {
				parts = append(parts, t.FlexRecord.Digest(date, unapproved[id]))
			}
			if len(absent[id]) > 0 {
				parts = append(parts, t.Absence.Digest(absent[id]))
			}
			if err := rr.toPerson(sup, ids, "remind:digest", strings.Join(parts, "\n\n")); err != nil {
				return err
			}
		}
		return rr.markTold(told)
	})
}

// PostRecap posts the day's office recap to the office's group chats.
func (r *Reminders) PostRecap(ctx context.Context, officeCode string, now time.Time) (int, error) {
	return r.run(ctx, officeCode, now, func(rr *reminderRun) error {
		entries, err := rr.tx.OfficeDay(ctx, rr.office.ID, rr.day)
		if err != nil {
			return err
		}
		v := BuildRecap(entries, true)
		v.Office = rr.office.Code
		v.Date = rr.s.t.FormatDate(rr.day.Start(rr.loc))
		v.At = rr.s.t.FormatTime(rr.now.In(rr.loc))
		v.OutKnown = true   // the recap is posted on its own day
		v.CountsOnly = true // a group sees no names (who is sick is personal data)
		text := rr.s.t.Recap.Recap(v)
		n, err := rr.s.toGroups(ctx, rr.tx, rr.office, fmt.Sprintf("recap:group:%s:%s", rr.office.Code, rr.day), text, rr.now)
		rr.queued += n
		if err != nil {
			return err
		}
		return nil
	})
}

// toPerson queues a reminder of kind to st's private chats, at most once
// per person, kind and day.
func (rr *reminderRun) toPerson(st store.Staff, ids []store.Identity, kind, text string) error {
	key := fmt.Sprintf("%s:%d:%s", kind, st.ID, rr.day)
	n, err := enqueueAllAs(rr.ctx, rr.tx, rr.s.personChats(st, ids, ""), false, store.PriorityBulk, key, text, rr.now)
	rr.queued += n
	return err
}
