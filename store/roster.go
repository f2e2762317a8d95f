package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/piket-id/piket/civil"
)

// RosterDay is an office's stored roster for one working day.
type RosterDay struct {
	Day         civil.Date
	GeneratedAt time.Time
	PublishedAt time.Time // zero: not yet published (posted)
	Manual      bool      // changed by hand (a swap): not regenerated
	Problems    string    // rules that could not be met, one per line
	Duty        []Duty    // by staff ID
}

// Published reports whether the day was posted.
func (d RosterDay) Published() bool { return !d.PublishedAt.IsZero() }

// Kept reports whether generation must leave the day alone.
func (d RosterDay) Kept() bool { return d.Published() || d.Manual }

// Duty is one person on duty on a roster day.
type Duty struct {
	StaffID int64
	Fixed   bool // listed every day, not rotated
}

const (
	rosterDaysQuery = `SELECT day, generated_at, COALESCE(published_at, 0), manual, problems
		FROM roster_days WHERE office_id = ? AND day >= ? AND day <= ? ORDER BY day`
	rosterDutyQuery = `SELECT day, staff_id, fixed FROM roster_duty
		WHERE office_id = ? AND day >= ? AND day <= ? ORDER BY day, staff_id`
	upsertRosterDay = `INSERT INTO roster_days (office_id, day, generated_at, problems) VALUES (?, ?, ?, ?)
		ON CONFLICT (office_id, day) DO UPDATE SET generated_at = excluded.generated_at, problems = excluded.problems
		WHERE published_at IS NULL AND manual = 0`
	insertDuty = `INSERT INTO roster_duty (office_id, day, staff_id, fixed) VALUES (?, ?, ?, ?)
		ON CONFLICT (office_id, day, staff_id) DO UPDATE SET fixed = excluded.fixed`
)

// RosterDays returns an office's stored roster days from from to to
// (inclusive), by day, with their duty.
func (t *Tx) RosterDays(ctx context.Context, officeID int64, from, to civil.Date) ([]RosterDay, error) {
	return rosterDays(ctx, txQuerier{t}, officeID, from, to)
}

// RosterDays reads roster days outside a transaction.
func (s *Store) RosterDays(ctx context.Context, officeID int64, from, to civil.Date) ([]RosterDay, error) {
	return rosterDays(ctx, s.r, officeID, from, to)
}

func rosterDays(ctx context.Context, q querier, officeID int64, from, to civil.Date) ([]RosterDay, error) {
	rows, err := q.QueryContext(ctx, rosterDaysQuery, officeID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: list roster days: %w", err)
	}
	var days []RosterDay
	index := map[civil.Date]int{}
	for rows.Next() {
		var d RosterDay
		var day string
		var gen, pub int64
		if err := rows.Scan(&day, &gen, &pub, &d.Manual, &d.Problems); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: list roster days: %w", err)
		}
		if d.Day, err = civil.Parse(day); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: list roster days: %w", err)
		}
		d.GeneratedAt = fromMS(gen)
		if pub != 0 {
			d.PublishedAt = fromMS(pub)
		}
		index[d.Day] = len(days)
		days = append(days, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list roster days: %w", err)
	}
	rows, err = q.QueryContext(ctx, rosterDutyQuery, officeID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: list roster duty: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day string
		var d Duty
		if err := rows.Scan(&day, &d.StaffID, &d.Fixed); err != nil {
			return nil, fmt.Errorf("store: list roster duty: %w", err)
		}
		date, err := civil.Parse(day)
		if err != nil {
			return nil, fmt.Errorf("store: list roster duty: %w", err)
		}
		if i, ok := index[date]; ok {
			days[i].Duty = append(days[i].Duty, d)
		}
	}
	return days, rows.Err()
}

// RosterDay returns one stored roster day, or ErrNotFound.
func (t *Tx) RosterDay(ctx context.Context, officeID int64, day civil.Date) (RosterDay, error) {
	days, err := t.RosterDays(ctx, officeID, day, day)
	if err != nil {
		return RosterDay{}, err
	}
	if len(days) == 0 {
		return RosterDay{}, ErrNotFound
	}
	return days[0], nil
}

// SaveRosterDay stores a generated day, replacing an earlier unpublished,
// unchanged one. A published or manual day is left as it is; saved reports
// whether the day was written.
func (t *Tx) SaveRosterDay(ctx context.Context, officeID int64, day civil.Date, duty []Duty, problems string, now time.Time) (saved bool, err error) {
	res, err := t.exec(ctx, upsertRosterDay, officeID, day.String(), ms(now), problems)
	if err != nil {
		return false, fmt.Errorf("store: save roster day: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if _, err := t.exec(ctx, `DELETE FROM roster_duty WHERE office_id = ? AND day = ?`, officeID, day.String()); err != nil {
		return false, fmt.Errorf("store: save roster day: %w", err)
	}
	for _, d := range duty {
		if _, err := t.exec(ctx, insertDuty, officeID, day.String(), d.StaffID, d.Fixed); err != nil {
			return false, fmt.Errorf("store: save roster duty: %w", err)
		}
	}
	return true, nil
}

// DeleteDraftRosterDays removes an office's unpublished, unchanged days
// from from to to (before they are generated again).
func (t *Tx) DeleteDraftRosterDays(ctx context.Context, officeID int64, from, to civil.Date) error {
	const draft = `SELECT day FROM roster_days WHERE office_id = ? AND day >= ? AND day <= ? AND published_at IS NULL AND manual = 0`
	if _, err := t.exec(ctx, `DELETE FROM roster_duty WHERE office_id = ? AND day IN (`+draft+`)`,
		officeID, officeID, from.String(), to.String()); err != nil {
		return fmt.Errorf("store: delete draft roster: %w", err)
	}
	if _, err := t.exec(ctx, `DELETE FROM roster_days WHERE office_id = ? AND day >= ? AND day <= ? AND published_at IS NULL AND manual = 0`,
		officeID, from.String(), to.String()); err != nil {
		return fmt.Errorf("store: delete draft roster: %w", err)
	}
	return nil
}

// PublishRosterDay marks a stored day published. It reports false when the
// day was already published (or is not stored): the post for an office and
// day happens once.
func (t *Tx) PublishRosterDay(ctx context.Context, officeID int64, day civil.Date, now time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE roster_days SET published_at = ? WHERE office_id = ? AND day = ? AND published_at IS NULL`,
		ms(now), officeID, day.String())
	if err != nil {
		return false, fmt.Errorf("store: publish roster day: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// DutyHistory returns, for an office's rotating people, their duty days
// before day and their last duty day before it.
func (t *Tx) DutyHistory(ctx context.Context, officeID int64, before civil.Date) (map[int64]int, map[int64]civil.Date, error) {
	rows, err := t.query(ctx, `SELECT staff_id, count(*), max(day) FROM roster_duty
		WHERE office_id = ? AND day < ? AND fixed = 0 GROUP BY staff_id`, officeID, before.String())
	if err != nil {
		return nil, nil, fmt.Errorf("store: duty history: %w", err)
	}
	defer rows.Close()
	counts, last := map[int64]int{}, map[int64]civil.Date{}
	for rows.Next() {
		var id int64
		var n int
		var day string
		if err := rows.Scan(&id, &n, &day); err != nil {
			return nil, nil, fmt.Errorf("store: duty history: %w", err)
		}
		d, err := civil.Parse(day)
		if err != nil {
			return nil, nil, fmt.Errorf("store: duty history: %w", err)
		}
		counts[id], last[id] = n, d
	}
	return counts, last, rows.Err()
}

// RosterAbsences returns who of an office cannot be on duty per day from
// from to to: attendance recorded as sakit, izin or cuti, or official
// travel (dinas).
func (t *Tx) RosterAbsences(ctx context.Context, officeID int64, from, to civil.Date) (map[civil.Date][]int64, error) {
	rows, err := t.query(ctx, `SELECT a.day, a.staff_id FROM attendance a JOIN staff s ON s.id = a.staff_id
		WHERE s.office_id = ? AND a.day >= ? AND a.day <= ? AND (a.status IN ('sakit', 'izin', 'cuti') OR a.place = 'dinas')
		ORDER BY a.day, a.staff_id`, officeID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: roster absences: %w", err)
	}
	defer rows.Close()
	out := map[civil.Date][]int64{}
	for rows.Next() {
		var day string
		var id int64
		if err := rows.Scan(&day, &id); err != nil {
			return nil, fmt.Errorf("store: roster absences: %w", err)
		}
		d, err := civil.Parse(day)
		if err != nil {
			return nil, fmt.Errorf("store: roster absences: %w", err)
		}
		out[d] = append(out[d], id)
	}
	return out, rows.Err()
}

// DutyDays returns a person's duty days from from on, up to limit, with
// whether each is published.
func (t *Tx) DutyDays(ctx context.Context, staffID int64, from civil.Date, limit int) ([]RosterDay, error) {
	rows, err := t.query(ctx, `SELECT d.day, r.generated_at, COALESCE(r.published_at, 0), r.manual, r.problems
		FROM roster_duty d JOIN roster_days r ON r.office_id = d.office_id AND r.day = d.day
		WHERE d.staff_id = ? AND d.day >= ? ORDER BY d.day LIMIT ?`, staffID, from.String(), limit)
	if err != nil {
		return nil, fmt.Errorf("store: duty days: %w", err)
	}
	defer rows.Close()
	var out []RosterDay
	for rows.Next() {
		var d RosterDay
		var day string
		var gen, pub int64
		if err := rows.Scan(&day, &gen, &pub, &d.Manual, &d.Problems); err != nil {
			return nil, fmt.Errorf("store: duty days: %w", err)
		}
		if d.Day, err = civil.Parse(day); err != nil {
			return nil, fmt.Errorf("store: duty days: %w", err)
		}
		d.GeneratedAt = fromMS(gen)
		if pub != 0 {
			d.PublishedAt = fromMS(pub)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// ReplaceDuty puts staff in on duty instead of out on a stored day and
// marks the day manual. ErrNotFound: out is not on duty that day;
// ErrDuplicate: in already is.
func (t *Tx) ReplaceDuty(ctx context.Context, officeID int64, day civil.Date, out, in int64) error {
	var n int
	if err := t.queryRow(ctx, `SELECT count(*) FROM roster_duty WHERE office_id = ? AND day = ? AND staff_id = ?`,
		officeID, day.String(), in).Scan(&n); err != nil {
		return fmt.Errorf("store: replace duty: %w", err)
	}
	if n > 0 {
		return ErrDuplicate
	}
	res, err := t.exec(ctx, `UPDATE roster_duty SET staff_id = ?, fixed = 0 WHERE office_id = ? AND day = ? AND staff_id = ?`,
		in, officeID, day.String(), out)
	if err != nil {
		return fmt.Errorf("store: replace duty: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return ErrNotFound
	}
	if _, err := t.exec(ctx, `UPDATE roster_days SET manual = 1 WHERE office_id = ? AND day = ?`, officeID, day.String()); err != nil {
		return fmt.Errorf("store: replace duty: %w", err)
	}
	return nil
}

// Swap statuses.
const (
	SwapPending = "pending"
	SwapDone    = "done"
	SwapRefused = "refused"
)

// Swap is a request to hand a duty day from one person to another.
type Swap struct {
	ID          int64
	OfficeID    int64
	Day         civil.Date
	OutStaffID  int64
	InStaffID   int64
	RequestedBy int64
	Status      string
}

// CreateSwap records a pending swap request and returns its number.
func (t *Tx) CreateSwap(ctx context.Context, s Swap, now time.Time) (int64, error) {
	var id int64
	err := t.queryRow(ctx, `INSERT INTO roster_swaps (office_id, day, out_staff_id, in_staff_id, requested_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, s.OfficeID, s.Day.String(), s.OutStaffID, s.InStaffID, nullID(s.RequestedBy), ms(now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create swap: %w", err)
	}
	return id, nil
}

// SwapByID returns a swap request, or ErrNotFound.
func (t *Tx) SwapByID(ctx context.Context, id int64) (Swap, error) {
	var s Swap
	var day string
	err := t.queryRow(ctx, `SELECT id, office_id, day, out_staff_id, in_staff_id, COALESCE(requested_by, 0), status
		FROM roster_swaps WHERE id = ?`, id).Scan(&s.ID, &s.OfficeID, &day, &s.OutStaffID, &s.InStaffID, &s.RequestedBy, &s.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return Swap{}, ErrNotFound
	}
	if err != nil {
		return Swap{}, fmt.Errorf("store: read swap: %w", err)
	}
	if s.Day, err = civil.Parse(day); err != nil {
		return Swap{}, fmt.Errorf("store: read swap: %w", err)
	}
	return s, nil
}

// DecideSwap closes a pending swap request with status (SwapDone or
// SwapRefused). It reports false when the request was no longer pending.
func (t *Tx) DecideSwap(ctx context.Context, id int64, status string, by int64, now time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE roster_swaps SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'`,
		status, nullID(by), ms(now), id)
	if err != nil {
		return false, fmt.Errorf("store: decide swap: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// SetRosterProblems replaces the notes of a stored roster day (rules that
// are not met, one per line), e.g. after a swap an admin confirmed.
func (t *Tx) SetRosterProblems(ctx context.Context, officeID int64, day civil.Date, problems string) error {
	if _, err := t.exec(ctx, `UPDATE roster_days SET problems = ? WHERE office_id = ? AND day = ?`, problems, officeID, day.String()); err != nil {
		return fmt.Errorf("store: set roster problems: %w", err)
	}
	return nil
}
