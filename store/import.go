package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
)

// StaffInput is one validated row of a staff import.
type StaffInput struct {
	NIP, Name, Office, Division, Level string
	SupervisorNIP                      string // "" for none
	Phone                              string // E.164 or ""
	Roles                              []string
}

// ImportOptions control ImportStaff.
type ImportOptions struct {
	DefaultTZ string            // time zone of offices created by the import
	OfficeTZ  map[string]string // per office code, overriding DefaultTZ for new offices
	// DeactivateMissing deactivates the active staff of the offices in the
	// file who are not in it; other offices are not touched.
	DeactivateMissing bool
	// DryRun computes the result and writes nothing.
	DryRun bool
	Now    time.Time
	// Audit, if set, is called in the import's transaction after it
	// applied (not in a dry run): the web dashboard's audit row.
	Audit func(t *Tx, res ImportResult) error
}

// goLive is the go-live day of an office created by an import at now: the
// import's local day (” when now is unset).
func goLive(now time.Time, tz string) string {
	if now.IsZero() {
		return ""
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	return civil.In(now, loc).String()
}

// ImportResult counts what an import changed (or, in a dry run, would
// change) and lists the people concerned.
type ImportResult struct {
	Created, Updated, Unchanged, Deactivated, OfficesCreated int
	// Changes lists each person added, changed or deactivated, in file
	// order (deactivations last, by NIP); NewOffices the offices created.
	Changes    []StaffChange
	NewOffices []string
}

// Kinds of StaffChange.
const (
	ChangeAdded       = "added"
	ChangeUpdated     = "updated"
	ChangeDeactivated = "deactivated"
)

// StaffChange is one person an import adds, changes or deactivates.
type StaffChange struct {
	Kind      string
	NIP, Name string
	Office    string   // the office code (after the change)
	Fields    []string // updated: the columns that change (nama, opd, bidang, jabatan, atasan_nip, telepon, peran, aktif)
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("store: import: dry run")

type existingStaff struct {
	id                                          int64
	name, office, division, level, phone, roles string
	supervisorNIP                               string
	active                                      bool
}

// ImportStaff applies validated rows in one transaction: people are
// matched by NIP and created or updated; offices are created as needed;
// supervisors are linked by NIP (they must be in the rows or the
// registry). The caller validates rows first; ImportStaff still refuses an
// unknown supervisor rather than writing a half-linked registry.
func (s *Store) ImportStaff(ctx context.Context, rows []StaffInput, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	err := s.Tx(ctx, func(t *Tx) error {
		r, err := t.importStaff(ctx, rows, opt)
		res = r
		if err == nil && opt.DryRun {
			return errDryRun
		}
		if err == nil && opt.Audit != nil {
			err = opt.Audit(t, r)
		}
		return err
	})
	if err != nil && !(opt.DryRun && errors.Is(err, errDryRun)) {
		return ImportResult{}, err
	}
	return res, nil
}

func (t *Tx) importStaff(ctx context.Context, rows []StaffInput, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	now := ms(opt.Now)
	offices, err := t.officeIDs(ctx)
	if err != nil {
		return res, err
	}
	for i, r := range rows {
		if i%1024 == 0 && ctx.Err() != nil {
			return res, fmt.Errorf("store: import: %w", ctx.Err())
		}
		code := strings.ToUpper(strings.TrimSpace(r.Office))
		if _, ok := offices[code]; ok {
			continue
		}
		tz := opt.DefaultTZ
		if v := opt.OfficeTZ[code]; v != "" {
			tz = v
		}
		var id int64
		if err := t.queryRow(ctx, `INSERT INTO offices (code, name, tz, created_at, since) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			code, code, tz, now, goLive(opt.Now, tz)).Scan(&id); err != nil {
			return res, fmt.Errorf("store: import: create office %s: %w", code, err)
		}
		offices[code] = id
		res.OfficesCreated++
		res.NewOffices = append(res.NewOffices, code)
	}

	existing, err := t.existingStaff(ctx)
	if err != nil {
		return res, err
	}
	ins, err := t.prepare(ctx, `INSERT INTO staff (nip, name, office_id, division, level, phone, roles, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`)
	if err != nil {
		return res, fmt.Errorf("store: import: %w", err)
	}
	defer ins.Close()
	upd, err := t.prepare(ctx, `UPDATE staff SET name = ?, office_id = ?, division = ?, level = ?, phone = ?, roles = ?, active = 1, updated_at = ? WHERE id = ?`)
	if err != nil {
		return res, fmt.Errorf("store: import: %w", err)
	}
	defer upd.Close()

	ids := make(map[string]int64, len(rows)+len(existing))
	for nip, e := range existing {
		ids[nip] = e.id
	}
	inFile := make(map[string]bool, len(rows))
	fileOffices := map[string]bool{}
	for i, r := range rows {
		if i%1024 == 0 && ctx.Err() != nil {
			return res, fmt.Errorf("store: import: %w", ctx.Err())
		}
		code := strings.ToUpper(strings.TrimSpace(r.Office))
		roles := strings.Join(r.Roles, ",")
		inFile[r.NIP] = true
		fileOffices[code] = true
		e, ok := existing[r.NIP]
		if !ok {
			var id int64
			if err := ins.QueryRowContext(noCancel, r.NIP, r.Name, offices[code], r.Division, r.Level, r.Phone, roles, now, now).Scan(&id); err != nil {
				return res, fmt.Errorf("store: import: add NIP %s: %w", r.NIP, err)
			}
			ids[r.NIP] = id
			res.Created++
			res.Changes = append(res.Changes, StaffChange{Kind: ChangeAdded, NIP: r.NIP, Name: r.Name, Office: code})
			continue
		}
		fields := e.diff(r, code, roles)
		if len(fields) == 0 {
			res.Unchanged++
			continue
		}
		res.Changes = append(res.Changes, StaffChange{Kind: ChangeUpdated, NIP: r.NIP, Name: r.Name, Office: code, Fields: fields})
		if _, err := upd.ExecContext(noCancel, r.Name, offices[code], r.Division, r.Level, r.Phone, roles, now, e.id); err != nil {
			return res, fmt.Errorf("store: import: update NIP %s: %w", r.NIP, err)
		}
		res.Updated++
	}

	setSup, err := t.prepare(ctx, `UPDATE staff SET supervisor_id = ? WHERE id = ?`)
	if err != nil {
		return res, fmt.Errorf("store: import: %w", err)
	}
	defer setSup.Close()
	for _, r := range rows {
		if e, ok := existing[r.NIP]; ok && e.supervisorNIP == r.SupervisorNIP {
			continue
		}
		var sup any
		if r.SupervisorNIP != "" {
			id, ok := ids[r.SupervisorNIP]
			if !ok {
				return res, fmt.Errorf("store: import: NIP %s: supervisor %s is not in the registry", r.NIP, r.SupervisorNIP)
			}
			sup = id
		}
		if _, err := setSup.ExecContext(noCancel, sup, ids[r.NIP]); err != nil {
			return res, fmt.Errorf("store: import: link supervisor of NIP %s: %w", r.NIP, err)
		}
	}

	if opt.DeactivateMissing {
		// Only the offices the file speaks for: a file of one office says
		// nothing about the staff of another.
		nips := make([]string, 0, len(existing))
		for nip, e := range existing {
			if e.active && !inFile[nip] && fileOffices[e.office] {
				nips = append(nips, nip)
			}
		}
		slices.Sort(nips)
		for _, nip := range nips {
			if _, err := t.exec(ctx, `UPDATE staff SET active = 0, updated_at = ? WHERE nip = ?`, now, nip); err != nil {
				return res, fmt.Errorf("store: import: deactivate NIP %s: %w", nip, err)
			}
			res.Deactivated++
			e := existing[nip]
			res.Changes = append(res.Changes, StaffChange{Kind: ChangeDeactivated, NIP: nip, Name: e.name, Office: e.office})
		}
	}
	return res, nil
}

// diff names the columns in which row r differs from the registered
// person e ("aktif" when e is inactive and r reactivates them).
func (e existingStaff) diff(r StaffInput, office, roles string) []string {
	var out []string
	for _, c := range []struct {
		col    string
		differ bool
	}{
		{"nama", e.name != r.Name}, {"opd", e.office != office}, {"bidang", e.division != r.Division},
		{"jabatan", e.level != r.Level}, {"atasan_nip", e.supervisorNIP != r.SupervisorNIP},
		{"telepon", e.phone != r.Phone}, {"peran", e.roles != roles}, {"aktif", !e.active},
	} {
		if c.differ {
			out = append(out, c.col)
		}
	}
	return out
}

func (t *Tx) officeIDs(ctx context.Context) (map[string]int64, error) {
	rows, err := t.query(ctx, `SELECT code, id FROM offices`)
	if err != nil {
		return nil, fmt.Errorf("store: import: list offices: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, fmt.Errorf("store: import: list offices: %w", err)
		}
		out[code] = id
	}
	return out, rows.Err()
}

const existingStaffQuery = `SELECT s.id, s.nip, s.name, o.code, s.division, s.level, s.phone, s.roles, s.active, COALESCE(sup.nip, '')
	FROM staff s JOIN offices o ON o.id = s.office_id LEFT JOIN staff sup ON sup.id = s.supervisor_id`

func (t *Tx) existingStaff(ctx context.Context) (map[string]existingStaff, error) {
	rows, err := t.query(ctx, existingStaffQuery)
	if err != nil {
		return nil, fmt.Errorf("store: import: list staff: %w", err)
	}
	defer rows.Close()
	out := map[string]existingStaff{}
	for rows.Next() {
		var e existingStaff
		var nip string
		if err := rows.Scan(&e.id, &nip, &e.name, &e.office, &e.division, &e.level, &e.phone, &e.roles, &e.active, &e.supervisorNIP); err != nil {
			return nil, fmt.Errorf("store: import: list staff: %w", err)
		}
		out[nip] = e
	}
	return out, rows.Err()
}

// RegisteredPerson is what an import's validation needs to know of a
// person already in the registry.
type RegisteredPerson struct {
	SupervisorNIP string
	Phone         string
	Active        bool
}

// Registry returns every registered NIP with its supervisor's NIP, for
// validating an import against people not in the file.
func (s *Store) Registry(ctx context.Context) (map[string]RegisteredPerson, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT s.nip, COALESCE(sup.nip, ''), s.phone, s.active FROM staff s LEFT JOIN staff sup ON sup.id = s.supervisor_id`)
	if err != nil {
		return nil, fmt.Errorf("store: read registry: %w", err)
	}
	defer rows.Close()
	out := map[string]RegisteredPerson{}
	for rows.Next() {
		var nip string
		var p RegisteredPerson
		if err := rows.Scan(&nip, &p.SupervisorNIP, &p.Phone, &p.Active); err != nil {
			return nil, fmt.Errorf("store: read registry: %w", err)
		}
		out[nip] = p
	}
	return out, rows.Err()
}
