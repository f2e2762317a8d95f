package store

import (
	"context"
	"fmt"
	"time"

	"github.com/piket-id/piket/civil"
)

// Reads for the web dashboard, on the read pool.

const (
	selectStaffRange = `SELECT ` + attendanceColumns + ` FROM attendance WHERE staff_id = ? AND day BETWEEN ? AND ? ORDER BY day`
	selectStaffWork  = `SELECT day, text, created_at FROM work_reports WHERE staff_id = ? AND day BETWEEN ? AND ? ORDER BY day, id`
	selectStaffLeave = `SELECT ` + leaveColumns + ` FROM leave_reports WHERE staff_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at, id`
	selectLeaveSince = `SELECT ` + leaveColumns + ` FROM leave_reports WHERE returned_at IS NULL OR started_at >= ? ORDER BY started_at DESC, id DESC`
	// selectChainBelow walks the supervisor links down from one person.
	selectChainBelow = `WITH RECURSIVE below(id) AS (
			SELECT id FROM staff WHERE supervisor_id = ? AND active = 1
			UNION
			SELECT s.id FROM staff s JOIN below b ON s.supervisor_id = b.id WHERE s.active = 1
		) SELECT id FROM below`
	selectSwapsRange = `SELECT id, office_id, day, out_staff_id, in_staff_id, COALESCE(requested_by, 0), status
		FROM roster_swaps WHERE office_id = ? AND day BETWEEN ? AND ? ORDER BY day, id`
	selectSwapsPending = `SELECT id, office_id, day, out_staff_id, in_staff_id, COALESCE(requested_by, 0), status
		FROM roster_swaps WHERE office_id = ? AND status = 'pending' ORDER BY day, id`
)

// StaffAttendance lists a person's records from from to to, by day.
func (s *Store) StaffAttendance(ctx context.Context, staffID int64, from, to civil.Date) ([]Attendance, error) {
	rows, err := s.r.QueryContext(ctx, selectStaffRange, staffID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: list a person's attendance: %w", err)
	}
	defer rows.Close()
	var out []Attendance
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list a person's attendance: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// StaffWorkReports lists a person's work report parts from from to to,
// by day, oldest first.
func (s *Store) StaffWorkReports(ctx context.Context, staffID int64, from, to civil.Date) (map[civil.Date][]WorkReport, error) {
	rows, err := s.r.QueryContext(ctx, selectStaffWork, staffID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: list a person's work reports: %w", err)
	}
	defer rows.Close()
	out := map[civil.Date][]WorkReport{}
	for rows.Next() {
		var day string
		var w WorkReport
		var at int64
		if err := rows.Scan(&day, &w.Text, &at); err != nil {
			return nil, fmt.Errorf("store: list a person's work reports: %w", err)
		}
		d, err := civil.Parse(day)
		if err != nil {
			return nil, fmt.Errorf("store: list a person's work reports: %w", err)
		}
		w.CreatedAt = fromMS(at)
		out[d] = append(out[d], w)
	}
	return out, rows.Err()
}

// StaffLeaves lists a person's leave-home reports started in [from, to).
func (s *Store) StaffLeaves(ctx context.Context, staffID int64, from, to time.Time) ([]LeaveReport, error) {
	return leaveList(ctx, s, selectStaffLeave, staffID, ms(from), ms(to))
}

// LeavesSince lists every open leave-home report and every report started
// at or after since, newest first.
func (s *Store) LeavesSince(ctx context.Context, since time.Time) ([]LeaveReport, error) {
	return leaveList(ctx, s, selectLeaveSince, ms(since))
}

func leaveList(ctx context.Context, s *Store, q string, args ...any) ([]LeaveReport, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list leave reports: %w", err)
	}
	defer rows.Close()
	var out []LeaveReport
	for rows.Next() {
		l, err := scanLeave(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list leave reports: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LeaveSteps lists a report's alert steps, first to last (read pool).
func (s *Store) LeaveSteps(ctx context.Context, reportID int64) ([]LeaveEscalation, error) {
	return leaveSteps(ctx, s.r, reportID)
}

// ChainBelow returns the IDs of every active person below a supervisor,
// down the whole chain.
func (s *Store) ChainBelow(ctx context.Context, supervisorID int64) (map[int64]bool, error) {
	rows, err := s.r.QueryContext(ctx, selectChainBelow, supervisorID)
	if err != nil {
		return nil, fmt.Errorf("store: list a supervisor's chain: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: list a supervisor's chain: %w", err)
		}
		if id != supervisorID {
			out[id] = true
		}
	}
	return out, rows.Err()
}

// SwapsBetween lists an office's swap requests for days from from to to.
func (s *Store) SwapsBetween(ctx context.Context, officeID int64, from, to civil.Date) ([]Swap, error) {
	return s.swaps(ctx, "list swaps", selectSwapsRange, officeID, from.String(), to.String())
}

func (s *Store) swaps(ctx context.Context, what, query string, args ...any) ([]Swap, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Swap
	for rows.Next() {
		var w Swap
		var day string
		if err := rows.Scan(&w.ID, &w.OfficeID, &day, &w.OutStaffID, &w.InStaffID, &w.RequestedBy, &w.Status); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		if w.Day, err = civil.Parse(day); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// PendingSwaps lists an office's swap requests waiting for a decision,
// by day.
func (s *Store) PendingSwaps(ctx context.Context, officeID int64) ([]Swap, error) {
	return s.swaps(ctx, "list pending swaps", selectSwapsPending, officeID)
}

// DecidedFlexRequests lists the flexible-work requests decided (or
// lapsed, or cancelled) at or after since, newest first.
func (s *Store) DecidedFlexRequests(ctx context.Context, since time.Time) ([]FlexRequest, error) {
	return listFlex(ctx, s.r, "list decided flexible-work requests", `SELECT `+flexRequestColumns+` FROM flex_requests r
		WHERE r.state <> 'pending' AND r.decided_at >= ? ORDER BY r.decided_at DESC, r.id DESC`, ms(since))
}

// FlexRequestDetail returns a request's working days and its escalation
// steps, in order, read outside any write.
func (s *Store) FlexRequestDetail(ctx context.Context, id int64) ([]civil.Date, []FlexEscalation, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT day FROM flex_days WHERE request_id = ? ORDER BY day`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("store: read flexible-work request days: %w", err)
	}
	defer rows.Close()
	var days []civil.Date
	for rows.Next() {
		var day string
		if err := rows.Scan(&day); err != nil {
			return nil, nil, fmt.Errorf("store: read flexible-work request days: %w", err)
		}
		d, err := civil.Parse(day)
		if err != nil {
			return nil, nil, fmt.Errorf("store: read flexible-work request days: %w", err)
		}
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: read flexible-work request days: %w", err)
	}
	steps, err := s.r.QueryContext(ctx, `SELECT request_id, step, COALESCE(staff_id, 0), at FROM flex_escalations WHERE request_id = ? ORDER BY step`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("store: list flexible-work escalations: %w", err)
	}
	defer steps.Close()
	var out []FlexEscalation
	for steps.Next() {
		var e FlexEscalation
		var at int64
		if err := steps.Scan(&e.RequestID, &e.Step, &e.StaffID, &at); err != nil {
			return nil, nil, fmt.Errorf("store: list flexible-work escalations: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return days, out, steps.Err()
}
