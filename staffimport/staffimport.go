// Package staffimport checks staff records against the registry and
// imports them: the one path of `piket staff import`, `piket staff add`
// and the web dashboard's import and person forms.
package staffimport

import (
	"context"
	"sort"
	"time"

	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// Settings control Apply.
type Settings struct {
	DefaultTZ string            // time zone of offices the import creates
	OfficeTZ  map[string]string // per office code, over DefaultTZ
	// Deactivate deactivates the active staff of the offices in the file
	// who are not in it.
	Deactivate bool
	DryRun     bool      // compute what would change, write nothing
	Now        time.Time // zero: time.Now()
	// Check, if set, adds errors of the caller's own (the web: rows for
	// another office than the admin's).
	Check func(staff.Record) *staff.RowError
	// Audit, if set, runs in the import's transaction (not in a dry run).
	Audit func(t *store.Tx, res store.ImportResult) error
}

// Apply validates recs (with the read errors rowErrs) against the
// registry and, if no row is bad, imports them. Bad rows are returned,
// sorted by line, and nothing is written.
func Apply(ctx context.Context, st *store.Store, recs []staff.Record, rowErrs []staff.RowError, s Settings) (store.ImportResult, []staff.RowError, error) {
	reg, err := st.Registry(ctx)
	if err != nil {
		return store.ImportResult{}, nil, err
	}
	rowErrs = append(rowErrs, staff.Validate(recs, func(nip string) (string, bool) {
		p, ok := reg[nip]
		return p.SupervisorNIP, ok
	})...)
	rowErrs = append(rowErrs, phoneConflicts(recs, reg)...)
	if s.Check != nil {
		for _, r := range recs {
			if e := s.Check(r); e != nil {
				rowErrs = append(rowErrs, *e)
			}
		}
	}
	if len(rowErrs) > 0 {
		sort.SliceStable(rowErrs, func(i, j int) bool { return rowErrs[i].Line < rowErrs[j].Line })
		return store.ImportResult{}, rowErrs, nil
	}
	rows := make([]store.StaffInput, len(recs))
	for i, r := range recs {
		rows[i] = store.StaffInput{
			NIP: r.NIP, Name: r.Name, Office: r.Office, Division: r.Division, Level: string(r.Level),
			SupervisorNIP: r.SupervisorNIP, Phone: r.Phone, Roles: r.Roles,
		}
	}
	now := s.Now
	if now.IsZero() {
		now = time.Now()
	}
	res, err := st.ImportStaff(ctx, rows, store.ImportOptions{
		DefaultTZ: s.DefaultTZ, OfficeTZ: s.OfficeTZ, DeactivateMissing: s.Deactivate, DryRun: s.DryRun, Now: now, Audit: s.Audit,
	})
	return res, nil, err
}

// phoneConflicts reports phones in the file that belong to another active
// person in the registry who is not in the file (a phone identifies one
// person on WhatsApp and Telegram).
func phoneConflicts(recs []staff.Record, reg map[string]store.RegisteredPerson) []staff.RowError {
	inFile := make(map[string]bool, len(recs))
	for _, r := range recs {
		inFile[r.NIP] = true
	}
	owner := map[string]string{}
	for nip, p := range reg {
		if p.Active && p.Phone != "" && !inFile[nip] {
			owner[p.Phone] = nip
		}
	}
	var errs []staff.RowError
	for _, r := range recs {
		if other, ok := owner[r.Phone]; ok && r.Phone != "" {
			errs = append(errs, staff.RowError{Line: r.Line, NIP: r.NIP, Field: staff.ColPhone, Code: staff.CodePhoneTaken, Detail: "NIP " + other})
		}
	}
	return errs
}
