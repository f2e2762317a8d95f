package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/piket-id/piket/civil"
)

// Attendance statuses.
const (
	StatusPresent = "hadir"
	StatusSick    = "sakit"
	StatusPermit  = "izin"
	StatusLeave   = "cuti"
)

// Places of work for a present status.
const (
	PlaceHome   = "wfh"
	PlaceOffice = "kantor"
	PlaceDuty   = "piket"
	PlaceTravel = "dinas"
)

// Attendance is one person's record for one local day.
type Attendance struct {
	StaffID   int64
	Day       civil.Date
	Status    string
	Place     string
	Health    string
	Plan      string
	Late      bool
	FirstAt   time.Time // first check-in of the day
	UpdatedAt time.Time
	// Delayed is true when a message that set the record was sent on an
	// earlier local day than it was received, or long before (see the
	// check-in's max delay): stored with its true time, flagged for review.
	Delayed bool
	// FlexKind is wfa or wfh for a day worked away from the office in an
	// office in mode fleksibel: the approved request's kind, or the kind
	// the person stated; "" otherwise.
	FlexKind string
	// Unapproved is true when the person stated working away on a day
	// without an approved request (tanpa persetujuan): recorded as stated,
	// flagged for the supervisor.
	Unapproved bool
}

const attendanceColumns = `staff_id, day, status, place, health, plan, late, first_at, updated_at, delayed, flex_kind, unapproved`

func scanAttendance(r scanner) (Attendance, error) {
	var a Attendance
	var day string
	var first, updated int64
	if err := r.Scan(&a.StaffID, &day, &a.Status, &a.Place, &a.Health, &a.Plan, &a.Late, &first, &updated, &a.Delayed, &a.FlexKind, &a.Unapproved); err != nil {
		return Attendance{}, err
	}
	d, err := civil.Parse(day)
	if err != nil {
		return Attendance{}, err
	}
	a.Day, a.FirstAt, a.UpdatedAt = d, fromMS(first), fromMS(updated)
	return a, nil
}

// Attendance returns a person's record for a day, or ErrNotFound.
func (t *Tx) Attendance(ctx context.Context, staffID int64, day civil.Date) (Attendance, error) {
	a, err := scanAttendance(t.queryRow(ctx, `SELECT `+attendanceColumns+` FROM attendance WHERE staff_id = ? AND day = ?`, staffID, day.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return Attendance{}, ErrNotFound
	}
	if err != nil {
		return Attendance{}, fmt.Errorf("store: read attendance: %w", err)
	}
	return a, nil
}

// DayAttendance returns every record of a day for the given staff (all
// staff when ids is empty), keyed by staff ID.
func (s *Store) DayAttendance(ctx context.Context, day civil.Date) (map[int64]Attendance, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+attendanceColumns+` FROM attendance WHERE day = ?`, day.String())
	if err != nil {
		return nil, fmt.Errorf("store: list attendance: %w", err)
	}
	defer rows.Close()
	out := map[int64]Attendance{}
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list attendance: %w", err)
		}
		out[a.StaffID] = a
	}
	return out, rows.Err()
}

// SaveAttendance writes the day's record (creating or replacing it) and
// appends the new version to the history.
func (t *Tx) SaveAttendance(ctx context.Context, a Attendance, inboundID int64) error {
	_, err := t.exec(ctx, `INSERT INTO attendance (`+attendanceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (staff_id, day) DO UPDATE SET status = excluded.status, place = excluded.place,
			health = excluded.health, plan = excluded.plan, late = excluded.late, updated_at = excluded.updated_at,
			delayed = excluded.delayed, flex_kind = excluded.flex_kind, unapproved = excluded.unapproved, versions = versions + 1`,
		a.StaffID, a.Day.String(), a.Status, a.Place, a.Health, a.Plan, a.Late, ms(a.FirstAt), ms(a.UpdatedAt), a.Delayed, a.FlexKind, a.Unapproved)
	if err != nil {
		return fmt.Errorf("store: save attendance: %w", err)
	}
	return t.addHistory(ctx, a, inboundID)
}

// CheckIn records a check-in as the day's record, merged into the record
// already there in one statement:
//   - the earliest check-in's time (a.FirstAt, when it was sent) is the
//     record's first time, even when a delayed one arrives after a later one;
//   - an empty plan keeps the earlier plan when the status is unchanged;
//   - lateness is decided by the first "hadir" of the day: a.Late is what
//     this check-in would be if it were that first one;
//   - once a delayed message touched the day's record it stays flagged.
//
// It returns the record as saved and whether one existed before, and
// appends the saved version to the history. It is FirstCheckIn, then
// MergeCheckIn when the day had a record.
func (t *Tx) CheckIn(ctx context.Context, a Attendance, inboundID int64) (saved Attendance, existed bool, err error) {
	a.Late = a.Late && a.Status == StatusPresent
	if inserted, err := t.FirstCheckIn(ctx, a, inboundID); err != nil || inserted {
		return a, false, err
	}
	return t.MergeCheckIn(ctx, a, inboundID)
}

// FirstCheckIn records a check-in when the day has no record yet, the
// common case, as a plain insert (and its history version), and reports
// whether it did. When it did not, nothing was written: the day holds a
// record (an earlier check-in, or an absence day) for MergeCheckIn.
func (t *Tx) FirstCheckIn(ctx context.Context, a Attendance, inboundID int64) (inserted bool, err error) {
	a.Late = a.Late && a.Status == StatusPresent
	var res sql.Result
	if a.plain() {
		// The common record binds only what it says: every value bound
		// costs the writer, and the rest are the columns' defaults.
		res, err = t.exec(ctx, `INSERT INTO attendance (staff_id, day, status, place, health, plan, late, first_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (staff_id, day) DO NOTHING`,
			a.StaffID, a.Day.String(), a.Status, a.Place, a.Health, a.Plan, a.Late, ms(a.FirstAt), ms(a.UpdatedAt))
	} else {
		res, err = t.exec(ctx, `INSERT INTO attendance (`+attendanceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (staff_id, day) DO NOTHING`,
			a.StaffID, a.Day.String(), a.Status, a.Place, a.Health, a.Plan, a.Late, ms(a.FirstAt), ms(a.UpdatedAt), a.Delayed, a.FlexKind, a.Unapproved)
	}
	if err != nil {
		return false, fmt.Errorf("store: save check-in: %w", err)
	}
	if _, inserted, err = insertedID(res); err != nil {
		return false, fmt.Errorf("store: save check-in: %w", err)
	}
	if !inserted {
		return false, nil
	}
	return true, t.addHistory(ctx, a, inboundID)
}

// MergeCheckIn merges a check-in into the day's record as CheckIn says
// (inserting it if there is none) and appends the saved version to the
// history. existed reports that the day had a record before.
func (t *Tx) MergeCheckIn(ctx context.Context, a Attendance, inboundID int64) (saved Attendance, existed bool, err error) {
	a.Late = a.Late && a.Status == StatusPresent
	var first int64
	var versions int
	err = t.queryRow(ctx, `INSERT INTO attendance (`+attendanceColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (staff_id, day) DO UPDATE SET status = excluded.status, place = excluded.place, health = excluded.health,
			plan = CASE WHEN excluded.plan = '' AND status = excluded.status THEN plan ELSE excluded.plan END,
			late = CASE WHEN status = 'hadir' AND excluded.status = 'hadir' AND excluded.first_at >= first_at THEN late ELSE excluded.late END,
			first_at = min(first_at, excluded.first_at),
			updated_at = excluded.updated_at, delayed = delayed OR excluded.delayed, flex_kind = excluded.flex_kind,
			unapproved = excluded.unapproved, versions = versions + 1
		RETURNING plan, late, first_at, versions, delayed`,
		a.StaffID, a.Day.String(), a.Status, a.Place, a.Health, a.Plan, a.Late, ms(a.FirstAt), ms(a.UpdatedAt), a.Delayed, a.FlexKind, a.Unapproved).
		Scan(&a.Plan, &a.Late, &first, &versions, &a.Delayed)
	if err != nil {
		return Attendance{}, false, fmt.Errorf("store: save check-in: %w", err)
	}
	a.FirstAt = fromMS(first)
	if err := t.addHistory(ctx, a, inboundID); err != nil {
		return Attendance{}, false, err
	}
	return a, versions > 1, nil
}

// plain reports that a's delayed, flex_kind and unapproved are their
// columns' defaults (false, "", false), as on most days.
func (a Attendance) plain() bool { return !a.Delayed && a.FlexKind == "" && !a.Unapproved }

// addHistory appends a version of a record to its history.
func (t *Tx) addHistory(ctx context.Context, a Attendance, inboundID int64) error {
	var err error
	if a.plain() {
		_, err = t.exec(ctx, `INSERT INTO attendance_history (staff_id, day, status, place, health, plan, late, recorded_at, inbound_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.StaffID, a.Day.String(), a.Status, a.Place, a.Health, a.Plan, a.Late, ms(a.UpdatedAt), nullID(inboundID))
	} else {
		_, err = t.exec(ctx, `INSERT INTO attendance_history (staff_id, day, status, place, health, plan, late, recorded_at, inbound_id, delayed, flex_kind, unapproved)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.StaffID, a.Day.String(), a.Status, a.Place, a.Health, a.Plan, a.Late, ms(a.UpdatedAt), nullID(inboundID), a.Delayed, a.FlexKind, a.Unapproved)
	}
	if err != nil {
		return fmt.Errorf("store: save attendance history: %w", err)
	}
	return nil
}

// AttendanceHistory lists every version of a person's record for a day.
func (s *Store) AttendanceHistory(ctx context.Context, staffID int64, day civil.Date) ([]Attendance, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT staff_id, day, status, place, health, plan, late, recorded_at, recorded_at, delayed, flex_kind, unapproved
		FROM attendance_history WHERE staff_id = ? AND day = ? ORDER BY id`, staffID, day.String())
	if err != nil {
		return nil, fmt.Errorf("store: list attendance history: %w", err)
	}
	defer rows.Close()
	var out []Attendance
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list attendance history: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// WorkReport is one part of a day's work report.
type WorkReport struct {
	Text      string
	CreatedAt time.Time
}

// AddWorkReport appends text to a person's work report for a day.
func (t *Tx) AddWorkReport(ctx context.Context, staffID int64, day civil.Date, text string, now time.Time, inboundID int64) error {
	_, err := t.exec(ctx, `INSERT INTO work_reports (staff_id, day, text, created_at, inbound_id) VALUES (?, ?, ?, ?, ?)`,
		staffID, day.String(), text, ms(now), nullID(inboundID))
	if err != nil {
		return fmt.Errorf("store: add work report: %w", err)
	}
	return nil
}

// WorkReports lists a person's work report parts for a day, oldest first.
func (t *Tx) WorkReports(ctx context.Context, staffID int64, day civil.Date) ([]WorkReport, error) {
	rows, err := t.query(ctx, `SELECT text, created_at FROM work_reports WHERE staff_id = ? AND day = ? ORDER BY id`, staffID, day.String())
	if err != nil {
		return nil, fmt.Errorf("store: list work reports: %w", err)
	}
	defer rows.Close()
	var out []WorkReport
	for rows.Next() {
		var w WorkReport
		var at int64
		if err := rows.Scan(&w.Text, &at); err != nil {
			return nil, fmt.Errorf("store: list work reports: %w", err)
		}
		w.CreatedAt = fromMS(at)
		out = append(out, w)
	}
	return out, rows.Err()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
