package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/piket-id/piket/civil"
)

// AbsenceTravel is the absence status of official travel (dinas luar):
// its days are recorded as present, at place dinas.
const AbsenceTravel = "dinas"

// Absence is a sakit, izin, cuti or dinas luar over a range of days. Each
// of its working days is an attendance record tagged with its ID.
type Absence struct {
	ID          int64
	StaffID     int64
	Status      string // sakit, izin, cuti or dinas
	First, Last civil.Date
	Reason      string
	CreatedAt   time.Time
	CancelledAt time.Time // zero: in force
	CancelledBy int64
	// Days are its recorded days (from the day asked for on, see
	// UpcomingAbsences).
	Days []civil.Date
}

// Cancelled reports whether the absence was cancelled.
func (a Absence) Cancelled() bool { return !a.CancelledAt.IsZero() }

const (
	absenceColumns = `id, staff_id, status, first_day, last_day, reason, created_at, cancelled_at, COALESCE(cancelled_by, 0)`
	insertAbsence  = `INSERT INTO absences (staff_id, status, first_day, last_day, reason, created_at, inbound_id)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`
	// saveAbsenceDay writes one day of an absence over whatever the day
	// held (today's ordinary check-in); first_at stays.
	saveAbsenceDay = `INSERT INTO attendance (staff_id, day, status, place, health, plan, late, first_at, updated_at, absence_id)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
		ON CONFLICT (staff_id, day) DO UPDATE SET status = excluded.status, place = excluded.place, health = excluded.health,
			plan = excluded.plan, late = 0, updated_at = excluded.updated_at, versions = versions + 1, absence_id = excluded.absence_id,
			flex_kind = '', unapproved = 0`
	selectAbsenceDays = `SELECT day, absence_id FROM attendance
		WHERE staff_id = ? AND day >= ? AND day <= ? AND absence_id IS NOT NULL ORDER BY day`
	selectAbsence         = `SELECT ` + absenceColumns + ` FROM absences WHERE id = ?`
	selectUpcomingAbsence = `SELECT ` + absenceColumns + ` FROM absences
		WHERE staff_id = ? AND cancelled_at IS NULL AND last_day >= ? ORDER BY first_day, id`
	selectAbsenceDaysFrom = `SELECT day FROM attendance WHERE absence_id = ? AND day >= ? ORDER BY day`
	deleteAbsenceDays     = `DELETE FROM attendance WHERE absence_id = ? AND day >= ? RETURNING day`
	cancelAbsence         = `UPDATE absences SET cancelled_at = ?, cancelled_by = ? WHERE id = ? AND cancelled_at IS NULL`
	selectUndigested      = `SELECT ` + absenceColumns + ` FROM absences a
		WHERE digested_at IS NULL AND cancelled_at IS NULL AND staff_id IN (SELECT id FROM staff WHERE office_id = ?)
		ORDER BY staff_id, first_day, id`
	markDigested = `UPDATE absences SET digested_at = ? WHERE id = ?`
	upsertAsk    = `INSERT INTO absence_overrides (staff_id, day, absence_id, asked_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (staff_id, day) DO UPDATE SET absence_id = excluded.absence_id, asked_at = excluded.asked_at`
	takeAsk       = `DELETE FROM absence_overrides WHERE staff_id = ? AND day = ? AND absence_id = ? AND asked_at >= ? RETURNING 1`
	detachAbsence = `UPDATE attendance SET absence_id = NULL WHERE staff_id = ? AND day = ?`
)

func scanAbsence(r scanner) (Absence, error) {
	var a Absence
	var first, last string
	var created int64
	var cancelled sql.NullInt64
	if err := r.Scan(&a.ID, &a.StaffID, &a.Status, &first, &last, &a.Reason, &created, &cancelled, &a.CancelledBy); err != nil {
		return Absence{}, err
	}
	var err error
	if a.First, err = civil.Parse(first); err != nil {
		return Absence{}, err
	}
	if a.Last, err = civil.Parse(last); err != nil {
		return Absence{}, err
	}
	a.CreatedAt, a.CancelledAt = fromMS(created), nullTime(cancelled)
	return a, nil
}

// AbsenceDays returns, for each day from from to to that a person's
// absence holds, that absence's ID.
func (t *Tx) AbsenceDays(ctx context.Context, staffID int64, from, to civil.Date) (map[civil.Date]int64, error) {
	rows, err := t.query(ctx, selectAbsenceDays, staffID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: absence days: %w", err)
	}
	defer rows.Close()
	out := map[civil.Date]int64{}
	for rows.Next() {
		var day string
		var id int64
		if err := rows.Scan(&day, &id); err != nil {
			return nil, fmt.Errorf("store: absence days: %w", err)
		}
		d, err := civil.Parse(day)
		if err != nil {
			return nil, fmt.Errorf("store: absence days: %w", err)
		}
		out[d] = id
	}
	return out, rows.Err()
}

// CreateAbsence stores an absence and records each of days (its working
// days) as the day's attendance, from the template rec (status, place,
// health, plan), over whatever the day held; every record gets a history
// version. It returns the absence's ID.
func (t *Tx) CreateAbsence(ctx context.Context, a Absence, days []civil.Date, rec Attendance, now time.Time, inboundID int64) (int64, error) {
	var id int64
	if err := t.queryRow(ctx, insertAbsence, a.StaffID, a.Status, a.First.String(), a.Last.String(), a.Reason, ms(now), nullID(inboundID)).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: create absence: %w", err)
	}
	for _, d := range days {
		r := rec
		r.StaffID, r.Day, r.Late, r.FirstAt, r.UpdatedAt = a.StaffID, d, false, now, now
		if _, err := t.exec(ctx, saveAbsenceDay, r.StaffID, d.String(), r.Status, r.Place, r.Health, r.Plan, ms(now), ms(now), id); err != nil {
			return 0, fmt.Errorf("store: create absence: %w", err)
		}
		if err := t.addHistory(ctx, r, inboundID); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// AbsenceByID returns an absence (without its days), or ErrNotFound.
func (t *Tx) AbsenceByID(ctx context.Context, id int64) (Absence, error) {
	a, err := scanAbsence(t.queryRow(ctx, selectAbsence, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Absence{}, ErrNotFound
	}
	if err != nil {
		return Absence{}, fmt.Errorf("store: read absence: %w", err)
	}
	return a, nil
}

// UpcomingAbsences lists a person's absences in force that end on or
// after from, each with its recorded days from from on.
func (t *Tx) UpcomingAbsences(ctx context.Context, staffID int64, from civil.Date) ([]Absence, error) {
	rows, err := t.query(ctx, selectUpcomingAbsence, staffID, from.String())
	if err != nil {
		return nil, fmt.Errorf("store: upcoming absences: %w", err)
	}
	var out []Absence
	for rows.Next() {
		a, err := scanAbsence(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: upcoming absences: %w", err)
		}
		out = append(out, a)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: upcoming absences: %w", err)
	}
	for i := range out {
		if out[i].Days, err = t.absenceDaysFrom(ctx, out[i].ID, from); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *Tx) absenceDaysFrom(ctx context.Context, id int64, from civil.Date) ([]civil.Date, error) {
	rows, err := t.query(ctx, selectAbsenceDaysFrom, id, from.String())
	if err != nil {
		return nil, fmt.Errorf("store: absence days: %w", err)
	}
	defer rows.Close()
	var out []civil.Date
	for rows.Next() {
		var day string
		if err := rows.Scan(&day); err != nil {
			return nil, fmt.Errorf("store: absence days: %w", err)
		}
		d, err := civil.Parse(day)
		if err != nil {
			return nil, fmt.Errorf("store: absence days: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CancelAbsence cancels an absence in force: its records from from on are
// removed (earlier days stay). It returns the removed days, sorted;
// ErrNotFound if there is no such absence in force.
func (t *Tx) CancelAbsence(ctx context.Context, id, by int64, from civil.Date, now time.Time) ([]civil.Date, error) {
	res, err := t.exec(ctx, cancelAbsence, ms(now), nullID(by), id)
	if err != nil {
		return nil, fmt.Errorf("store: cancel absence: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("store: cancel absence: %w", err)
	} else if n == 0 {
		return nil, ErrNotFound
	}
	rows, err := t.query(ctx, deleteAbsenceDays, id, from.String())
	if err != nil {
		return nil, fmt.Errorf("store: cancel absence: %w", err)
	}
	var days []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: cancel absence: %w", err)
		}
		days = append(days, d)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: cancel absence: %w", err)
	}
	if _, err := t.exec(ctx, `DELETE FROM absence_overrides WHERE absence_id = ?`, id); err != nil {
		return nil, fmt.Errorf("store: cancel absence: %w", err)
	}
	out := make([]civil.Date, 0, len(days))
	slices.Sort(days)
	for _, s := range days {
		d, err := civil.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("store: cancel absence: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// UndigestedAbsences lists the absences in force of an office's staff that
// no supervisor's digest has told of yet, each with all its days.
func (t *Tx) UndigestedAbsences(ctx context.Context, officeID int64) ([]Absence, error) {
	rows, err := t.query(ctx, selectUndigested, officeID)
	if err != nil {
		return nil, fmt.Errorf("store: undigested absences: %w", err)
	}
	var out []Absence
	for rows.Next() {
		a, err := scanAbsence(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: undigested absences: %w", err)
		}
		out = append(out, a)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: undigested absences: %w", err)
	}
	for i := range out {
		if out[i].Days, err = t.absenceDaysFrom(ctx, out[i].ID, out[i].First); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MarkAbsenceDigested records that a digest told of an absence.
func (t *Tx) MarkAbsenceDigested(ctx context.Context, id int64, now time.Time) error {
	if _, err := t.exec(ctx, markDigested, ms(now), id); err != nil {
		return fmt.Errorf("store: mark absence digested: %w", err)
	}
	return nil
}

// AskAbsenceOverride records that a check-in on day, held by absence id,
// was answered with a question; a second one may then overwrite the day
// (see TakeAbsenceOverride).
func (t *Tx) AskAbsenceOverride(ctx context.Context, staffID int64, day civil.Date, id int64, now time.Time) error {
	if _, err := t.exec(ctx, upsertAsk, staffID, day.String(), id, ms(now)); err != nil {
		return fmt.Errorf("store: ask absence override: %w", err)
	}
	return nil
}

// TakeAbsenceOverride consumes a question asked at or after since about
// the day held by absence id. If there was one, the day is detached from
// the absence (so the check-in that follows overwrites an ordinary
// record) and it returns true.
func (t *Tx) TakeAbsenceOverride(ctx context.Context, staffID int64, day civil.Date, id int64, since time.Time) (bool, error) {
	var one int
	err := t.queryRow(ctx, takeAsk, staffID, day.String(), id, ms(since)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: take absence override: %w", err)
	}
	if _, err := t.exec(ctx, detachAbsence, staffID, day.String()); err != nil {
		return false, fmt.Errorf("store: take absence override: %w", err)
	}
	return true, nil
}
