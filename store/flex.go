package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/piket-id/piket/civil"
)

// Flexible work (PermenPANRB 4/2025): eligibility, requests for
// flexible-location days and their decisions.

// StaffFlex is a person's flexible-work data from the staff import.
type StaffFlex struct {
	Eligible bool
	TMT      civil.Date // zero: unknown (the NIP's appointment month counts)
	Home     string     // "LAT,LON" of the declared domicile, or ""
}

// States of a flexible-work request.
const (
	FlexPending   = "pending"
	FlexApproved  = "approved"
	FlexDeclined  = "declined"
	FlexLapsed    = "lapsed"
	FlexCancelled = "cancelled"
)

// FlexRequest is a request for flexible-location days.
type FlexRequest struct {
	ID            int64
	StaffID       int64
	Kind          string // wfa or wfh
	First, Last   civil.Date
	Reason, Plan  string
	Preset        string // the circular whose days it asks for, or ""
	State         string
	CreatedAt     time.Time
	DecidedAt     time.Time
	DecidedBy     int64
	DeclineReason string
	Days          []civil.Date // filled by FlexRequestByID
}

// FlexDay is one working day of a request; Capped: it counts against the
// weekly cap.
type FlexDay struct {
	Day    civil.Date
	Capped bool
}

const (
	upsertStaffFlex = `INSERT INTO staff_flex (staff_id, eligible, tmt, home) VALUES (?, ?, ?, ?)
		ON CONFLICT (staff_id) DO UPDATE SET eligible = excluded.eligible, tmt = excluded.tmt, home = excluded.home`
	selectStaffFlex = `SELECT eligible, tmt, home FROM staff_flex WHERE staff_id = ?`

	// Read from flex_requests r.
	flexRequestColumns = `r.id, r.staff_id, r.kind, r.first_day, r.last_day, r.reason, r.plan, r.preset, r.state, r.created_at,
		COALESCE(r.decided_at, 0), COALESCE(r.decided_by, 0), r.decline_reason`
	insertFlexRequest = `INSERT INTO flex_requests (staff_id, kind, first_day, last_day, reason, plan, preset, created_at, inbound_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	insertFlexDay = `INSERT INTO flex_days (request_id, staff_id, office_id, day, capped) VALUES (?, ?, ?, ?, ?)`
	// Days held by a live request: pending (reserving its place) or approved.
	liveFlexDays = ` FROM flex_days d JOIN flex_requests r ON r.id = d.request_id WHERE r.state IN ('pending', 'approved') `
)

// importFlex writes the flexible-work columns of every imported row.
func (t *Tx) importFlex(ctx context.Context, rows []StaffInput, ids map[string]int64) error {
	st, err := t.prepare(ctx, upsertStaffFlex)
	if err != nil {
		return fmt.Errorf("store: import flexible-work data: %w", err)
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(noCancel, ids[r.NIP], !r.NoFlex, r.TMT, r.Home); err != nil {
			return fmt.Errorf("store: import flexible-work data of NIP %s: %w", r.NIP, err)
		}
	}
	return nil
}

// StaffFlex returns a person's flexible-work data (eligible, no TMT when
// the import had none).
func (t *Tx) StaffFlex(ctx context.Context, staffID int64) (StaffFlex, error) {
	f := StaffFlex{Eligible: true}
	var tmt string
	err := t.queryRow(ctx, selectStaffFlex, staffID).Scan(&f.Eligible, &tmt, &f.Home)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("store: read flexible-work data: %w", err)
	}
	f.TMT = parseSince(tmt)
	return f, nil
}

func scanFlexRequest(r scanner) (FlexRequest, error) {
	var f FlexRequest
	var first, last string
	var created, decided int64
	if err := r.Scan(&f.ID, &f.StaffID, &f.Kind, &first, &last, &f.Reason, &f.Plan, &f.Preset, &f.State, &created,
		&decided, &f.DecidedBy, &f.DeclineReason); err != nil {
		return FlexRequest{}, err
	}
	f.First, f.Last, f.CreatedAt = parseSince(first), parseSince(last), fromMS(created)
	if decided != 0 {
		f.DecidedAt = fromMS(decided)
	}
	return f, nil
}

// CreateFlexRequest stores a pending request and its days; it returns the
// request's ID.
func (t *Tx) CreateFlexRequest(ctx context.Context, f FlexRequest, officeID int64, days []FlexDay, now time.Time, inboundID int64) (int64, error) {
	var id int64
	if err := t.queryRow(ctx, insertFlexRequest, f.StaffID, f.Kind, f.First.String(), f.Last.String(), f.Reason, f.Plan, f.Preset,
		ms(now), nullID(inboundID)).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: create flexible-work request: %w", err)
	}
	for _, d := range days {
		if _, err := t.exec(ctx, insertFlexDay, id, f.StaffID, officeID, d.Day.String(), d.Capped); err != nil {
			return 0, fmt.Errorf("store: create flexible-work request: %w", err)
		}
	}
	return id, nil
}

// FlexRequestByID returns a request with its days, or ErrNotFound.
func (t *Tx) FlexRequestByID(ctx context.Context, id int64) (FlexRequest, error) {
	f, err := scanFlexRequest(t.queryRow(ctx, `SELECT `+flexRequestColumns+` FROM flex_requests r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return FlexRequest{}, ErrNotFound
	}
	if err != nil {
		return FlexRequest{}, fmt.Errorf("store: read flexible-work request: %w", err)
	}
	rows, err := t.query(ctx, `SELECT day FROM flex_days WHERE request_id = ? ORDER BY day`, id)
	if err != nil {
		return FlexRequest{}, fmt.Errorf("store: read flexible-work request days: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return FlexRequest{}, fmt.Errorf("store: read flexible-work request days: %w", err)
		}
		f.Days = append(f.Days, parseSince(d))
	}
	return f, rows.Err()
}

// CappedFlexDays counts a person's days of live requests between from and
// to (inclusive) that count against the weekly cap.
func (t *Tx) CappedFlexDays(ctx context.Context, staffID int64, from, to civil.Date) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(DISTINCT d.day)`+liveFlexDays+`AND d.staff_id = ? AND d.capped = 1 AND d.day BETWEEN ? AND ?`,
		staffID, from.String(), to.String()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count capped flexible days: %w", err)
	}
	return n, nil
}

// FlexAway counts the people of an office holding a live request for day.
func (t *Tx) FlexAway(ctx context.Context, officeID int64, day civil.Date) (int, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(DISTINCT d.staff_id)`+liveFlexDays+`AND d.office_id = ? AND d.day = ?`, officeID, day.String()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count staff away: %w", err)
	}
	return n, nil
}

// FlexHeld returns the live request holding each of a person's days
// between from and to.
func (t *Tx) FlexHeld(ctx context.Context, staffID int64, from, to civil.Date) (map[civil.Date]FlexRequest, error) {
	rows, err := t.query(ctx, `SELECT d.day, `+flexRequestColumns+liveFlexDays+`AND d.staff_id = ? AND d.day BETWEEN ? AND ? ORDER BY d.day`,
		staffID, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("store: read flexible days: %w", err)
	}
	defer rows.Close()
	out := map[civil.Date]FlexRequest{}
	for rows.Next() {
		var day string
		f, err := scanFlexRequest(prefixScanner{rows, &day})
		if err != nil {
			return nil, fmt.Errorf("store: read flexible days: %w", err)
		}
		out[parseSince(day)] = f
	}
	return out, rows.Err()
}

// ApprovedFlexDay returns the approved request holding a person's day, or
// ErrNotFound.
func (t *Tx) ApprovedFlexDay(ctx context.Context, staffID int64, day civil.Date) (FlexRequest, error) {
	held, err := t.FlexHeld(ctx, staffID, day, day)
	if err != nil {
		return FlexRequest{}, err
	}
	if f, ok := held[day]; ok && f.State == FlexApproved {
		return f, nil
	}
	return FlexRequest{}, ErrNotFound
}

// DecideFlexRequest moves a pending request to state (approved, declined,
// lapsed, cancelled); false when it was no longer pending.
func (t *Tx) DecideFlexRequest(ctx context.Context, id int64, state string, by int64, reason string, now time.Time) (bool, error) {
	return t.changed(ctx, "decide flexible-work request",
		`UPDATE flex_requests SET state = ?, decided_at = ?, decided_by = ?, decline_reason = ? WHERE id = ? AND state = 'pending'`,
		state, ms(now), nullID(by), reason, id)
}

// PendingFlexRequests lists the requests waiting for a decision.
func (s *Store) PendingFlexRequests(ctx context.Context) ([]FlexRequest, error) {
	return pendingFlex(ctx, s.r)
}

// PendingFlexRequests lists the requests waiting for a decision.
func (t *Tx) PendingFlexRequests(ctx context.Context) ([]FlexRequest, error) {
	return pendingFlex(ctx, txQuerier{t})
}

func pendingFlex(ctx context.Context, q querier) ([]FlexRequest, error) {
	return listFlex(ctx, q, "list pending flexible-work requests", `SELECT `+flexRequestColumns+` FROM flex_requests r WHERE r.state = 'pending' ORDER BY r.id`)
}

// listFlex lists the requests a query selects (flexRequestColumns).
func listFlex(ctx context.Context, q querier, what, query string, args ...any) ([]FlexRequest, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	return scanFlexRequests(rows, err, what)
}

// scanFlexRequests reads the requests of a query's rows (err: the query's).
func scanFlexRequests(rows *sql.Rows, err error, what string) ([]FlexRequest, error) {
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []FlexRequest
	for rows.Next() {
		f, err := scanFlexRequest(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// FlexEscalation is one step of a request's escalation; StaffID 0: the
// office admins.
type FlexEscalation struct {
	RequestID int64
	Step      int
	StaffID   int64
	At        time.Time
}

// FlexEscalations lists a request's escalation steps, in order.
func (t *Tx) FlexEscalations(ctx context.Context, id int64) ([]FlexEscalation, error) {
	rows, err := t.query(ctx, `SELECT request_id, step, COALESCE(staff_id, 0), at FROM flex_escalations WHERE request_id = ? ORDER BY step`, id)
	if err != nil {
		return nil, fmt.Errorf("store: list flexible-work escalations: %w", err)
	}
	defer rows.Close()
	var out []FlexEscalation
	for rows.Next() {
		var e FlexEscalation
		var at int64
		if err := rows.Scan(&e.RequestID, &e.Step, &e.StaffID, &at); err != nil {
			return nil, fmt.Errorf("store: list flexible-work escalations: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// LastFlexEscalation returns when a request's last escalation step was
// sent (zero: none), read outside any write.
func (s *Store) LastFlexEscalation(ctx context.Context, id int64) (time.Time, error) {
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(at), 0) FROM flex_escalations WHERE request_id = ?`, id).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: read flexible-work escalation: %w", err)
	}
	if at == 0 {
		return time.Time{}, nil
	}
	return fromMS(at), nil
}

// AddFlexEscalation records a step; false when it was already recorded.
func (t *Tx) AddFlexEscalation(ctx context.Context, e FlexEscalation) (bool, error) {
	return t.changed(ctx, "add flexible-work escalation",
		`INSERT INTO flex_escalations (request_id, step, staff_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		e.RequestID, e.Step, nullID(e.StaffID), ms(e.At))
}

// OfficeFlexDay is one person of an office on an approved flexible day.
type OfficeFlexDay struct {
	StaffID   int64
	RequestID int64
	Kind      string
}

// ApprovedFlexOn lists who of an office is on an approved flexible day.
func (s *Store) ApprovedFlexOn(ctx context.Context, officeID int64, day civil.Date) (map[int64]OfficeFlexDay, error) {
	return approvedFlexOn(ctx, s.r, officeID, day)
}

// ApprovedFlexOn lists who of an office is on an approved flexible day.
func (t *Tx) ApprovedFlexOn(ctx context.Context, officeID int64, day civil.Date) (map[int64]OfficeFlexDay, error) {
	return approvedFlexOn(ctx, txQuerier{t}, officeID, day)
}

func approvedFlexOn(ctx context.Context, q querier, officeID int64, day civil.Date) (map[int64]OfficeFlexDay, error) {
	rows, err := q.QueryContext(ctx, `SELECT d.staff_id, r.id, r.kind FROM flex_days d JOIN flex_requests r ON r.id = d.request_id
		WHERE r.state = 'approved' AND d.office_id = ? AND d.day = ?`, officeID, day.String())
	if err != nil {
		return nil, fmt.Errorf("store: list approved flexible days: %w", err)
	}
	defer rows.Close()
	out := map[int64]OfficeFlexDay{}
	for rows.Next() {
		var f OfficeFlexDay
		if err := rows.Scan(&f.StaffID, &f.RequestID, &f.Kind); err != nil {
			return nil, fmt.Errorf("store: list approved flexible days: %w", err)
		}
		out[f.StaffID] = f
	}
	return out, rows.Err()
}

// prefixScanner scans one leading column into first, the rest into the
// destinations a scan function passes.
type prefixScanner struct {
	r     scanner
	first any
}

func (p prefixScanner) Scan(dest ...any) error { return p.r.Scan(append([]any{p.first}, dest...)...) }

// LatestFlexOn returns a person's most recent request holding day in any
// state but cancelled (pending, approved, declined or lapsed), or
// ErrNotFound.
func (t *Tx) LatestFlexOn(ctx context.Context, staffID int64, day civil.Date) (FlexRequest, error) {
	f, err := scanFlexRequest(t.queryRow(ctx, `SELECT `+flexRequestColumns+` FROM flex_days d JOIN flex_requests r ON r.id = d.request_id
		WHERE d.staff_id = ? AND d.day = ? AND r.state <> 'cancelled' ORDER BY r.id DESC LIMIT 1`, staffID, day.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return FlexRequest{}, ErrNotFound
	}
	if err != nil {
		return FlexRequest{}, fmt.Errorf("store: read flexible-work request of a day: %w", err)
	}
	return f, nil
}

// CancelFlexRequest moves a pending or approved request to cancelled:
// its days no longer count against the weekly cap or the office's quota.
// It returns the state it had, or "" when it was neither.
func (t *Tx) CancelFlexRequest(ctx context.Context, id int64, now time.Time) (string, error) {
	var was string
	err := t.queryRow(ctx, `SELECT state FROM flex_requests WHERE id = ? AND state IN ('pending', 'approved')`, id).Scan(&was)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: cancel flexible-work request: %w", err)
	}
	ok, err := t.changed(ctx, "cancel flexible-work request",
		`UPDATE flex_requests SET state = 'cancelled', decided_at = ? WHERE id = ? AND state = ?`, ms(now), id, was)
	if err != nil || !ok {
		return "", err
	}
	return was, nil
}

// OpenFlexRequests lists a person's pending or approved requests whose
// first day is on or after from, oldest first.
func (t *Tx) OpenFlexRequests(ctx context.Context, staffID int64, from civil.Date) ([]FlexRequest, error) {
	rows, err := t.query(ctx, `SELECT `+flexRequestColumns+` FROM flex_requests r
		WHERE r.staff_id = ? AND r.state IN ('pending', 'approved') AND r.first_day >= ? ORDER BY r.first_day, r.id`, staffID, from.String())
	return scanFlexRequests(rows, err, "list open flexible-work requests")
}
