package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
)

// Levels of a staff member's position (jabatan).
const (
	LevelEselon2   = "eselon2"
	LevelEselon3   = "eselon3"
	LevelEselon4   = "eselon4"
	LevelPelaksana = "pelaksana"
)

// RoleAdmin is the role of an office admin.
const RoleAdmin = "admin"

// Office is an OPD.
type Office struct {
	ID   int64
	Code string
	Name string
	TZ   string // IANA time zone name
	// Since is the local day the office started using Piket (its go-live);
	// zero when unknown. Exports and recaps count nothing before it.
	Since civil.Date
}

// parseSince reads the stored go-live day (” or unreadable: unknown).
func parseSince(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		return civil.Date{}
	}
	return d
}

// Staff is one civil servant in the registry.
type Staff struct {
	ID           int64
	NIP          string
	Name         string
	Office       Office
	Division     string
	Level        string
	SupervisorID int64 // 0: none on record
	Phone        string
	Roles        []string
	Active       bool
}

// HasRole reports whether s has role r.
func (s Staff) HasRole(r string) bool { return slices.Contains(s.Roles, r) }

// IsOfficial reports whether s holds a structural (eselon) position.
func (s Staff) IsOfficial() bool { return s.Level != LevelPelaksana }

const staffColumns = `s.id, s.nip, s.name, s.division, s.level, COALESCE(s.supervisor_id, 0), s.phone, s.roles, s.active,
	o.id, o.code, o.name, o.tz, o.since`

const staffFrom = ` FROM staff s JOIN offices o ON o.id = s.office_id `

type scanner interface{ Scan(dest ...any) error }

// scanStaff scans staffColumns, then any extra columns into extra.
func scanStaff(r scanner, extra ...any) (Staff, error) {
	var s Staff
	var roles, since string
	err := r.Scan(append([]any{&s.ID, &s.NIP, &s.Name, &s.Division, &s.Level, &s.SupervisorID, &s.Phone, &roles, &s.Active,
		&s.Office.ID, &s.Office.Code, &s.Office.Name, &s.Office.TZ, &since}, extra...)...)
	if err != nil {
		return Staff{}, err
	}
	s.Office.Since = parseSince(since)
	s.Roles = splitRoles(roles)
	return s, nil
}

func splitRoles(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func oneStaff(ctx context.Context, q querier, where string, args ...any) (Staff, error) {
	s, err := scanStaff(q.QueryRowContext(ctx, `SELECT `+staffColumns+staffFrom+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Staff{}, ErrNotFound
	}
	if err != nil {
		return Staff{}, fmt.Errorf("store: read staff: %w", err)
	}
	return s, nil
}

func manyStaff(ctx context.Context, q querier, where string, args ...any) ([]Staff, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+staffColumns+staffFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	defer rows.Close()
	var out []Staff
	for rows.Next() {
		s, err := scanStaff(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list staff: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	return out, nil
}

// StaffByID returns an active or inactive staff member.
func (t *Tx) StaffByID(ctx context.Context, id int64) (Staff, error) {
	return oneStaff(ctx, txQuerier{t}, `WHERE s.id = ?`, id)
}

// StaffByID returns a staff member by ID.
func (s *Store) StaffByID(ctx context.Context, id int64) (Staff, error) {
	return oneStaff(ctx, s.r, `WHERE s.id = ?`, id)
}

// ActiveStaffByNIP returns the active staff member with this NIP.
func (t *Tx) ActiveStaffByNIP(ctx context.Context, nip string) (Staff, error) {
	return oneStaff(ctx, txQuerier{t}, `WHERE s.nip = ? AND s.active = 1`, nip)
}

// ActiveStaffByPhone returns the active staff member with this E.164 phone.
func (t *Tx) ActiveStaffByPhone(ctx context.Context, phone string) (Staff, error) {
	if phone == "" {
		return Staff{}, ErrNotFound
	}
	// phone <> '' lets SQLite use the partial index staff_phone.
	return oneStaff(ctx, txQuerier{t}, `WHERE s.phone = ? AND s.phone <> '' AND s.active = 1`, phone)
}

// StaffByIdentity returns the active staff member linked to a platform account.
func (t *Tx) StaffByIdentity(ctx context.Context, platform, externalID string) (Staff, error) {
	return oneStaff(ctx, txQuerier{t}, `JOIN identities i ON i.staff_id = s.id
		WHERE i.platform = ? AND i.external_id = ? AND s.active = 1`, platform, externalID)
}

// Subordinates returns the active direct subordinates of a staff member.
func (t *Tx) Subordinates(ctx context.Context, supervisorID int64) ([]Staff, error) {
	return manyStaff(ctx, txQuerier{t}, `WHERE s.supervisor_id = ? AND s.active = 1 ORDER BY s.name`, supervisorID)
}

// OfficeStaff returns the active staff of an office, by name.
func (s *Store) OfficeStaff(ctx context.Context, officeID int64) ([]Staff, error) {
	return manyStaff(ctx, s.r, `WHERE s.office_id = ? AND s.active = 1 ORDER BY s.name`, officeID)
}

// OfficeStaff returns the active staff of an office inside a transaction.
func (t *Tx) OfficeStaff(ctx context.Context, officeID int64) ([]Staff, error) {
	return manyStaff(ctx, txQuerier{t}, `WHERE s.office_id = ? AND s.active = 1 ORDER BY s.name`, officeID)
}

// OfficeAdmins returns the active admins of an office.
func (t *Tx) OfficeAdmins(ctx context.Context, officeID int64) ([]Staff, error) {
	all, err := t.OfficeStaff(ctx, officeID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(s Staff) bool { return !s.HasRole(RoleAdmin) }), nil
}

// Admins lists every active office admin, by office then name.
func (t *Tx) Admins(ctx context.Context) ([]Staff, error) {
	return manyStaff(ctx, txQuerier{t}, `WHERE s.active = 1 AND instr(',' || s.roles || ',', ',admin,') > 0 ORDER BY o.code, s.name`)
}

// ActiveStaff lists every active staff member, by office then name.
func (s *Store) ActiveStaff(ctx context.Context) ([]Staff, error) {
	return manyStaff(ctx, s.r, `WHERE s.active = 1 ORDER BY o.code, s.name`)
}

// FindStaff lists active staff whose NIP equals q or whose name contains q
// (case-insensitive).
func (s *Store) FindStaff(ctx context.Context, q string) ([]Staff, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return s.ActiveStaff(ctx)
	}
	return manyStaff(ctx, s.r, `WHERE s.active = 1 AND (s.nip = ? OR instr(lower(s.name), lower(?)) > 0) ORDER BY o.code, s.name`, q, q)
}

// Offices lists all offices by code.
func (s *Store) Offices(ctx context.Context) ([]Office, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, code, name, tz, since FROM offices ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: list offices: %w", err)
	}
	defer rows.Close()
	var out []Office
	for rows.Next() {
		var o Office
		var since string
		if err := rows.Scan(&o.ID, &o.Code, &o.Name, &o.TZ, &since); err != nil {
			return nil, fmt.Errorf("store: list offices: %w", err)
		}
		o.Since = parseSince(since)
		out = append(out, o)
	}
	return out, rows.Err()
}

// OfficeByCode returns an office by its code (case-insensitive).
func (t *Tx) OfficeByCode(ctx context.Context, code string) (Office, error) {
	var o Office
	var since string
	err := t.queryRow(ctx, `SELECT id, code, name, tz, since FROM offices WHERE code = upper(?)`, strings.TrimSpace(code)).
		Scan(&o.ID, &o.Code, &o.Name, &o.TZ, &since)
	o.Since = parseSince(since)
	if errors.Is(err, sql.ErrNoRows) {
		return Office{}, ErrNotFound
	}
	if err != nil {
		return Office{}, fmt.Errorf("store: read office: %w", err)
	}
	return o, nil
}

// SetOfficeTZ sets an office's time zone (from config overrides).
func (s *Store) SetOfficeTZ(ctx context.Context, code, tz string) error {
	return s.Write(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, `UPDATE offices SET tz = ? WHERE code = ?`, tz, code); err != nil {
			return fmt.Errorf("store: set office time zone: %w", err)
		}
		return nil
	})
}

// Identity is a verified platform account.
type Identity struct {
	Platform   string
	ExternalID string
	ChatID     string
}

// LinkIdentity links a platform account to a staff member, replacing any
// earlier account of that person on that platform.
func (t *Tx) LinkIdentity(ctx context.Context, staffID int64, id Identity, now time.Time) error {
	if _, err := t.exec(ctx, `DELETE FROM identities WHERE (platform = ? AND staff_id = ?) OR (platform = ? AND external_id = ?)`,
		id.Platform, staffID, id.Platform, id.ExternalID); err != nil {
		return fmt.Errorf("store: link identity: %w", err)
	}
	if _, err := t.exec(ctx, `INSERT INTO identities (platform, external_id, chat_id, staff_id, linked_at) VALUES (?, ?, ?, ?, ?)`,
		id.Platform, id.ExternalID, id.ChatID, staffID, ms(now)); err != nil {
		return fmt.Errorf("store: link identity: %w", err)
	}
	return nil
}

// UnlinkIdentity removes a platform account link; it reports whether one existed.
func (t *Tx) UnlinkIdentity(ctx context.Context, platform, externalID string) (bool, error) {
	res, err := t.exec(ctx, `DELETE FROM identities WHERE platform = ? AND external_id = ?`, platform, externalID)
	if err != nil {
		return false, fmt.Errorf("store: unlink identity: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Identities lists a staff member's linked platform accounts.
func (t *Tx) Identities(ctx context.Context, staffID int64) ([]Identity, error) {
	rows, err := t.query(ctx, `SELECT platform, external_id, chat_id FROM identities WHERE staff_id = ? ORDER BY platform`, staffID)
	if err != nil {
		return nil, fmt.Errorf("store: list identities: %w", err)
	}
	defer rows.Close()
	var out []Identity
	for rows.Next() {
		var id Identity
		if err := rows.Scan(&id.Platform, &id.ExternalID, &id.ChatID); err != nil {
			return nil, fmt.Errorf("store: list identities: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// GroupChat is an office's group chat on a platform.
type GroupChat struct {
	Platform string
	ChatID   string
	Account  string // the platform account in the group ("" the primary), see OutMsg.Account
}

// LinkOfficeChat links a group chat to an office (moving it if it was
// linked to another).
func (t *Tx) LinkOfficeChat(ctx context.Context, officeID int64, g GroupChat, by int64, now time.Time) error {
	_, err := t.exec(ctx, `INSERT INTO office_chats (platform, chat_id, office_id, linked_by, linked_at, account) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, chat_id) DO UPDATE SET office_id = excluded.office_id, linked_by = excluded.linked_by, linked_at = excluded.linked_at,
			account = excluded.account`,
		g.Platform, g.ChatID, officeID, by, ms(now), g.Account)
	if err != nil {
		return fmt.Errorf("store: link office chat: %w", err)
	}
	return nil
}

// OfficeChats lists an office's linked group chats.
func (t *Tx) OfficeChats(ctx context.Context, officeID int64) ([]GroupChat, error) {
	rows, err := t.query(ctx, `SELECT platform, chat_id, account FROM office_chats WHERE office_id = ? ORDER BY platform, chat_id`, officeID)
	if err != nil {
		return nil, fmt.Errorf("store: list office chats: %w", err)
	}
	defer rows.Close()
	var out []GroupChat
	for rows.Next() {
		var g GroupChat
		if err := rows.Scan(&g.Platform, &g.ChatID, &g.Account); err != nil {
			return nil, fmt.Errorf("store: list office chats: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// StaffOfOffice lists an office's staff by name (code case-insensitive),
// with the inactive too when all is set. It returns ErrNotFound if there
// is no such office.
func (s *Store) StaffOfOffice(ctx context.Context, code string, all bool) ([]Staff, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, `SELECT id FROM offices WHERE code = upper(?)`, strings.TrimSpace(code)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: read office: %w", err)
	}
	if all {
		return manyStaff(ctx, s.r, `WHERE s.office_id = ? ORDER BY s.active DESC, s.name`, id)
	}
	return s.OfficeStaff(ctx, id)
}

// StaffByNIP returns an active or inactive staff member by NIP.
func (s *Store) StaffByNIP(ctx context.Context, nip string) (Staff, error) {
	return oneStaff(ctx, s.r, `WHERE s.nip = ?`, nip)
}

// Deactivation is what DeactivateStaff did.
type Deactivation struct {
	Staff   Staff // the person, as they were
	Changed bool  // false: they were inactive already
	// Subordinates are their active direct subordinates, whose alerts now
	// go further up the chain (or to the office admins).
	Subordinates []Staff
}

// DeactivateStaff marks the person with this NIP inactive, as an import
// with --deactivate-missing does: they can no longer use the bot and their
// subordinates' alerts go past them. Their history stays. It returns
// ErrNotFound if no one has this NIP.
func (s *Store) DeactivateStaff(ctx context.Context, nip string, now time.Time) (Deactivation, error) {
	return s.DeactivateStaffAudited(ctx, nip, now, nil)
}

// DeactivateStaffAudited is DeactivateStaff that also calls audit, if
// set, in the same transaction when it changed someone (the web
// dashboard's audit row).
func (s *Store) DeactivateStaffAudited(ctx context.Context, nip string, now time.Time, audit func(*Tx, Deactivation) error) (Deactivation, error) {
	var d Deactivation
	err := s.Write(ctx, func(t *Tx) error {
		d = Deactivation{}
		st, err := oneStaff(ctx, txQuerier{t}, `WHERE s.nip = ?`, nip)
		if err != nil {
			return err
		}
		d.Staff = st
		if d.Subordinates, err = t.Subordinates(ctx, st.ID); err != nil {
			return err
		}
		if !st.Active {
			return nil
		}
		if _, err := t.exec(ctx, `UPDATE staff SET active = 0, updated_at = ? WHERE id = ?`, ms(now), st.ID); err != nil {
			return fmt.Errorf("store: deactivate NIP %s: %w", nip, err)
		}
		d.Changed = true
		if audit != nil {
			return audit(t, d)
		}
		return nil
	})
	return d, err
}
