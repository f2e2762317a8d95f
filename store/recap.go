package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
)

// DayEntry is one person's day, for recaps and reminders.
type DayEntry struct {
	Staff      Staff
	Attendance Attendance // valid when Recorded
	Recorded   bool       // the person checked in (any status) that day
	Reports    int        // work report parts that day
	Out        bool       // an open leave-home report (only when the leave table exists)
}

const (
	selectDayAttendance = `SELECT a.staff_id, a.day, a.status, a.place, a.health, a.plan, a.late, a.first_at, a.updated_at, a.delayed,
		a.flex_kind, a.unapproved FROM attendance a JOIN staff s ON s.id = a.staff_id WHERE s.office_id = ? AND a.day = ?`
	selectDayReportCounts = `SELECT w.staff_id, count(*) FROM work_reports w JOIN staff s ON s.id = w.staff_id
		WHERE s.office_id = ? AND w.day = ? GROUP BY w.staff_id`
	selectOpenLeaveStaff = `SELECT l.staff_id FROM leave_reports l JOIN staff s ON s.id = l.staff_id
		WHERE s.office_id = ? AND l.returned_at IS NULL`
	selectOfficeIdents = `SELECT i.staff_id, i.platform, i.external_id, i.chat_id FROM identities i JOIN staff s ON s.id = i.staff_id
		WHERE s.office_id = ? AND s.active = 1 AND i.chat_id <> '' ORDER BY i.staff_id, i.platform`
)

// OfficeDay returns every active staff member of an office (by name) with
// their record, work report count and leave-home state for a day.
func (t *Tx) OfficeDay(ctx context.Context, officeID int64, day civil.Date) ([]DayEntry, error) {
	return officeDay(ctx, txQuerier{t}, officeID, day)
}

// OfficeDay is Tx.OfficeDay on the read pool.
func (s *Store) OfficeDay(ctx context.Context, officeID int64, day civil.Date) ([]DayEntry, error) {
	return officeDay(ctx, s.r, officeID, day)
}

func officeDay(ctx context.Context, q querier, officeID int64, day civil.Date) ([]DayEntry, error) {
	staff, err := manyStaff(ctx, q, `WHERE s.office_id = ? AND s.active = 1 ORDER BY s.division, s.name`, officeID)
	if err != nil {
		return nil, err
	}
	att := map[int64]Attendance{}
	rows, err := q.QueryContext(ctx, selectDayAttendance, officeID, day.String())
	if err != nil {
		return nil, fmt.Errorf("store: office day attendance: %w", err)
	}
	for rows.Next() {
		a, err := scanAttendance(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: office day attendance: %w", err)
		}
		att[a.StaffID] = a
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: office day attendance: %w", err)
	}
	reports := map[int64]int{}
	rows, err = q.QueryContext(ctx, selectDayReportCounts, officeID, day.String())
	if err != nil {
		return nil, fmt.Errorf("store: office day reports: %w", err)
	}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: office day reports: %w", err)
		}
		reports[id] = n
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: office day reports: %w", err)
	}
	out := map[int64]bool{}
	rows, err = q.QueryContext(ctx, selectOpenLeaveStaff, officeID)
	if err != nil {
		return nil, fmt.Errorf("store: office day leave reports: %w", err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: office day leave reports: %w", err)
		}
		out[id] = true
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: office day leave reports: %w", err)
	}
	entries := make([]DayEntry, len(staff))
	for i, st := range staff {
		a, ok := att[st.ID]
		entries[i] = DayEntry{Staff: st, Attendance: a, Recorded: ok, Reports: reports[st.ID], Out: out[st.ID]}
	}
	return entries, nil
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// OfficeIdentities returns the linked platform accounts of an office's
// active staff that have a private chat, keyed by staff ID.
func (t *Tx) OfficeIdentities(ctx context.Context, officeID int64) (map[int64][]Identity, error) {
	rows, err := t.query(ctx, selectOfficeIdents, officeID)
	if err != nil {
		return nil, fmt.Errorf("store: list office identities: %w", err)
	}
	defer rows.Close()
	out := map[int64][]Identity{}
	for rows.Next() {
		var id int64
		var i Identity
		if err := rows.Scan(&id, &i.Platform, &i.ExternalID, &i.ChatID); err != nil {
			return nil, fmt.Errorf("store: list office identities: %w", err)
		}
		out[id] = append(out[id], i)
	}
	return out, rows.Err()
}

// ExportStaff lists the people of an export, by office code, division and
// name: the active staff plus anyone with a record between from and to.
// officeCode "" means every office.
func (s *Store) ExportStaff(ctx context.Context, officeCode string, from, to civil.Date) ([]Staff, error) {
	where := `WHERE (s.active = 1 OR EXISTS (SELECT 1 FROM attendance a WHERE a.staff_id = s.id AND a.day BETWEEN ? AND ?))`
	args := []any{from.String(), to.String()}
	if officeCode != "" {
		where += ` AND o.code = upper(?)`
		args = append(args, strings.TrimSpace(officeCode))
	}
	return manyStaff(ctx, s.r, where+` ORDER BY o.code, s.division, s.name, s.nip`, args...)
}

// DayRecords is what was recorded on one day, keyed by staff ID.
type DayRecords struct {
	Day        civil.Date
	Attendance map[int64]Attendance
	Reports    map[int64][]string // work report parts, oldest first
	Leaves     map[int64][]LeaveSpan
}

// LeaveSpan is a leave-home report as exports show it.
type LeaveSpan struct {
	Reason     string
	StartedAt  time.Time
	ReturnedAt time.Time // zero: not back (yet)
}

const (
	scanAttendanceRange = `SELECT ` + attendanceColumns + ` FROM attendance WHERE day BETWEEN ? AND ? ORDER BY day`
	scanReportRange     = `SELECT staff_id, day, text FROM work_reports WHERE day BETWEEN ? AND ? ORDER BY day, id`
	scanLeaveRange      = `SELECT l.staff_id, o.tz, l.reason, l.started_at, l.returned_at FROM leave_reports l
		JOIN staff s ON s.id = l.staff_id JOIN offices o ON o.id = s.office_id
		WHERE l.started_at >= ? AND l.started_at < ? ORDER BY l.started_at`
)

// ScanDays calls fn for each day from from to to (inclusive) with that
// day's records. It reads the period in one pass, holding one day at a
// time (leave-home reports, which are few, are read at once).
func (s *Store) ScanDays(ctx context.Context, from, to civil.Date, fn func(DayRecords) error) error {
	leaves, err := s.leaveSpans(ctx, from, to)
	if err != nil {
		return err
	}
	arows, err := s.r.QueryContext(ctx, scanAttendanceRange, from.String(), to.String())
	if err != nil {
		return fmt.Errorf("store: scan attendance: %w", err)
	}
	defer arows.Close()
	rrows, err := s.r.QueryContext(ctx, scanReportRange, from.String(), to.String())
	if err != nil {
		return fmt.Errorf("store: scan work reports: %w", err)
	}
	defer rrows.Close()

	var pendA *Attendance
	nextA := func() (*Attendance, error) {
		if !arows.Next() {
			return nil, arows.Err()
		}
		a, err := scanAttendance(arows)
		return &a, err
	}
	type rep struct {
		staff int64
		day   string
		text  string
	}
	var pendR *rep
	nextR := func() (*rep, error) {
		if !rrows.Next() {
			return nil, rrows.Err()
		}
		var r rep
		err := rrows.Scan(&r.staff, &r.day, &r.text)
		return &r, err
	}
	if pendA, err = nextA(); err != nil {
		return fmt.Errorf("store: scan attendance: %w", err)
	}
	if pendR, err = nextR(); err != nil {
		return fmt.Errorf("store: scan work reports: %w", err)
	}
	for d := from; !d.After(to); d = d.AddDays(1) {
		rec := DayRecords{Day: d, Attendance: map[int64]Attendance{}, Reports: map[int64][]string{}, Leaves: leaves[d]}
		for pendA != nil && !pendA.Day.After(d) {
			if pendA.Day == d {
				rec.Attendance[pendA.StaffID] = *pendA
			}
			if pendA, err = nextA(); err != nil {
				return fmt.Errorf("store: scan attendance: %w", err)
			}
		}
		ds := d.String()
		for pendR != nil && pendR.day <= ds {
			if pendR.day == ds {
				rec.Reports[pendR.staff] = append(rec.Reports[pendR.staff], pendR.text)
			}
			if pendR, err = nextR(); err != nil {
				return fmt.Errorf("store: scan work reports: %w", err)
			}
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) leaveSpans(ctx context.Context, from, to civil.Date) (map[civil.Date]map[int64][]LeaveSpan, error) {
	out := map[civil.Date]map[int64][]LeaveSpan{}
	// Wide enough for every Indonesian zone; the local day is checked below.
	lo, hi := from.Start(time.UTC).Add(-14*time.Hour), to.AddDays(1).Start(time.UTC).Add(14*time.Hour)
	rows, err := s.r.QueryContext(ctx, scanLeaveRange, ms(lo), ms(hi))
	if err != nil {
		return nil, fmt.Errorf("store: scan leave reports: %w", err)
	}
	defer rows.Close()
	locs := map[string]*time.Location{}
	for rows.Next() {
		var id, started int64
		var tz string
		var returned sql.NullInt64
		var l LeaveSpan
		if err := rows.Scan(&id, &tz, &l.Reason, &started, &returned); err != nil {
			return nil, fmt.Errorf("store: scan leave reports: %w", err)
		}
		l.StartedAt = fromMS(started)
		if returned.Valid {
			l.ReturnedAt = fromMS(returned.Int64)
		}
		loc, ok := locs[tz]
		if !ok {
			if loc, err = time.LoadLocation(tz); err != nil {
				loc = time.FixedZone("WIB", 7*3600)
			}
			locs[tz] = loc
		}
		d := civil.In(l.StartedAt, loc)
		if d.Before(from) || d.After(to) {
			continue
		}
		if out[d] == nil {
			out[d] = map[int64][]LeaveSpan{}
		}
		out[d][id] = append(out[d][id], l)
	}
	return out, rows.Err()
}

// DutyDays counts each person's published duty (piket) days between from
// and to, and reports which offices published a roster in that time (the
// others keep no roster in Piket).
func (s *Store) DutyDays(ctx context.Context, from, to civil.Date) (days map[int64]int, offices map[int64]bool, err error) {
	rows, err := s.r.QueryContext(ctx, `SELECT d.staff_id, d.office_id, count(DISTINCT d.day)
		FROM roster_duty d JOIN roster_days r ON r.office_id = d.office_id AND r.day = d.day
		WHERE d.day BETWEEN ? AND ? AND r.published_at IS NOT NULL GROUP BY d.staff_id, d.office_id`,
		from.String(), to.String())
	if err != nil {
		return nil, nil, fmt.Errorf("store: count duty days: %w", err)
	}
	defer rows.Close()
	days, offices = map[int64]int{}, map[int64]bool{}
	for rows.Next() {
		var id, office int64
		var n int
		if err := rows.Scan(&id, &office, &n); err != nil {
			return nil, nil, fmt.Errorf("store: count duty days: %w", err)
		}
		days[id] += n
		offices[office] = true
	}
	return days, offices, rows.Err()
}
