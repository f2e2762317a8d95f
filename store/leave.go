package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// LeaveReport is one report of leaving home during working from home.
type LeaveReport struct {
	ID               int64
	StaffID          int64
	Reason           string
	StartedAt        time.Time
	ExpectedAt       time.Time // zero: the reporter gave no expected return
	DueAt            time.Time // overdue after this
	AckedBy          int64     // 0: not acknowledged
	AckedAt          time.Time
	ReturnedAt       time.Time // zero: still out
	RemindedAt       time.Time
	OverdueAlertedAt time.Time
}

// Open reports whether the reporter has not come back yet.
func (r LeaveReport) Open() bool { return r.ReturnedAt.IsZero() }

// Acked reports whether someone acknowledged the report.
func (r LeaveReport) Acked() bool { return r.AckedBy != 0 }

// LeaveEscalation is one alert step of a report: step 0 is the first alert.
type LeaveEscalation struct {
	ReportID int64
	Step     int
	StaffID  int64 // 0: the office admins
	At       time.Time
}

const leaveColumns = `id, staff_id, reason, started_at, expected_at, due_at, acked_by, acked_at, returned_at, reminded_at, overdue_alerted_at`

const (
	insertLeave = `INSERT INTO leave_reports (staff_id, reason, started_at, expected_at, due_at, inbound_id)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`
	ackLeave = `UPDATE leave_reports SET acked_by = ?, acked_at = ? WHERE id = ? AND acked_by IS NULL`
	// closeLeave closes an open report.
	closeLeave          = `UPDATE leave_reports SET returned_at = ? WHERE id = ? AND returned_at IS NULL`
	markLeaveReminded   = `UPDATE leave_reports SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND returned_at IS NULL`
	markLeaveOverdue    = `UPDATE leave_reports SET overdue_alerted_at = ? WHERE id = ? AND overdue_alerted_at IS NULL AND returned_at IS NULL`
	insertLeaveStep     = `INSERT INTO leave_escalations (report_id, step, staff_id, at) VALUES (?, ?, ?, ?) ON CONFLICT (report_id, step) DO NOTHING`
	selectLeaveSteps    = `SELECT report_id, step, COALESCE(staff_id, 0), at FROM leave_escalations WHERE report_id = ? ORDER BY step`
	selectOpenLeaves    = `SELECT ` + leaveColumns + ` FROM leave_reports WHERE returned_at IS NULL ORDER BY started_at, id`
	selectOpenLeaveByID = `SELECT ` + leaveColumns + ` FROM leave_reports WHERE staff_id = ? AND returned_at IS NULL`
	selectLeaveByID     = `SELECT ` + leaveColumns + ` FROM leave_reports WHERE id = ?`
)

func scanLeave(r scanner) (LeaveReport, error) {
	var l LeaveReport
	var started, due int64
	var expected, ackedBy, ackedAt, returned, reminded, overdue sql.NullInt64
	if err := r.Scan(&l.ID, &l.StaffID, &l.Reason, &started, &expected, &due, &ackedBy, &ackedAt, &returned, &reminded, &overdue); err != nil {
		return LeaveReport{}, err
	}
	l.StartedAt, l.DueAt = fromMS(started), fromMS(due)
	l.ExpectedAt = nullTime(expected)
	l.AckedBy = ackedBy.Int64
	l.AckedAt = nullTime(ackedAt)
	l.ReturnedAt = nullTime(returned)
	l.RemindedAt = nullTime(reminded)
	l.OverdueAlertedAt = nullTime(overdue)
	return l, nil
}

func nullTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// CreateLeave records a new open report and returns its ID. It returns
// ErrDuplicate when the person already has an open report.
func (t *Tx) CreateLeave(ctx context.Context, l LeaveReport, inboundID int64) (int64, error) {
	var id int64
	err := t.queryRow(ctx, insertLeave, l.StaffID, l.Reason, ms(l.StartedAt), nullMS(l.ExpectedAt), ms(l.DueAt), nullID(inboundID)).Scan(&id)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed") {
			return 0, ErrDuplicate
		}
		return 0, fmt.Errorf("store: create leave report: %w", err)
	}
	return id, nil
}

func (t *Tx) oneLeave(ctx context.Context, q string, arg any) (LeaveReport, error) {
	l, err := scanLeave(t.queryRow(ctx, q, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return LeaveReport{}, ErrNotFound
	}
	if err != nil {
		return LeaveReport{}, fmt.Errorf("store: read leave report: %w", err)
	}
	return l, nil
}

// OpenLeave returns a person's open report, or ErrNotFound.
func (t *Tx) OpenLeave(ctx context.Context, staffID int64) (LeaveReport, error) {
	return t.oneLeave(ctx, selectOpenLeaveByID, staffID)
}

// LeaveByID returns a report, or ErrNotFound.
func (t *Tx) LeaveByID(ctx context.Context, id int64) (LeaveReport, error) {
	return t.oneLeave(ctx, selectLeaveByID, id)
}

// OpenLeaves lists every open report, oldest first.
func (t *Tx) OpenLeaves(ctx context.Context) ([]LeaveReport, error) {
	return manyLeaves(ctx, txQuerier{t})
}

// OpenLeaves lists every open report, oldest first (read pool).
func (s *Store) OpenLeaves(ctx context.Context) ([]LeaveReport, error) {
	return manyLeaves(ctx, s.r)
}

func manyLeaves(ctx context.Context, q querier) ([]LeaveReport, error) {
	rows, err := q.QueryContext(ctx, selectOpenLeaves)
	if err != nil {
		return nil, fmt.Errorf("store: list open leave reports: %w", err)
	}
	defer rows.Close()
	var out []LeaveReport
	for rows.Next() {
		l, err := scanLeave(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list open leave reports: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func (t *Tx) changed(ctx context.Context, what, q string, args ...any) (bool, error) {
	res, err := t.exec(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("store: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: %s: %w", what, err)
	}
	return n > 0, nil
}

// AckLeave records who acknowledged a report; false if it already was.
func (t *Tx) AckLeave(ctx context.Context, id, by int64, at time.Time) (bool, error) {
	return t.changed(ctx, "acknowledge leave report", ackLeave, by, ms(at), id)
}

// CloseLeave records the return; false if the report was already closed.
func (t *Tx) CloseLeave(ctx context.Context, id int64, at time.Time) (bool, error) {
	return t.changed(ctx, "close leave report", closeLeave, ms(at), id)
}

// MarkLeaveReminded records the overdue reminder; false if it was already
// sent or the report is closed.
func (t *Tx) MarkLeaveReminded(ctx context.Context, id int64, at time.Time) (bool, error) {
	return t.changed(ctx, "mark leave reminded", markLeaveReminded, ms(at), id)
}

// MarkLeaveOverdueAlerted records the overdue alert to the supervisor;
// false if it was already sent or the report is closed.
func (t *Tx) MarkLeaveOverdueAlerted(ctx context.Context, id int64, at time.Time) (bool, error) {
	return t.changed(ctx, "mark leave overdue alerted", markLeaveOverdue, ms(at), id)
}

// AddLeaveEscalation records an alert step; false if the step exists.
func (t *Tx) AddLeaveEscalation(ctx context.Context, e LeaveEscalation) (bool, error) {
	return t.changed(ctx, "add leave escalation", insertLeaveStep, e.ReportID, e.Step, nullID(e.StaffID), ms(e.At))
}

// LeaveEscalations lists a report's alert steps, first to last.
func (t *Tx) LeaveEscalations(ctx context.Context, reportID int64) ([]LeaveEscalation, error) {
	return leaveSteps(ctx, txQuerier{t}, reportID)
}

func leaveSteps(ctx context.Context, q querier, reportID int64) ([]LeaveEscalation, error) {
	rows, err := q.QueryContext(ctx, selectLeaveSteps, reportID)
	if err != nil {
		return nil, fmt.Errorf("store: list leave escalations: %w", err)
	}
	defer rows.Close()
	var out []LeaveEscalation
	for rows.Next() {
		var e LeaveEscalation
		var at int64
		if err := rows.Scan(&e.ReportID, &e.Step, &e.StaffID, &at); err != nil {
			return nil, fmt.Errorf("store: list leave escalations: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
