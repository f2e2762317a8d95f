// Package bench measures Piket on the machine it runs on: check-in ingest
// through the real handler and store against the raw SQLite ceiling,
// outbound pacing against a fake Telegram Bot API that enforces Telegram's
// limits, roster generation for a province, and memory with a province's
// staff loaded. cmd/piket-bench prints the figures as one table; the tests
// here run the same code at small sizes.
package bench

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// Env is a database with generated staff, in dir.
type Env struct {
	Path  string
	Store *store.Store
	NIPs  []string // active staff, in file order
}

// NewEnv creates a database in dir and imports n generated staff in the
// given number of offices (sample.Generate, staff.ReadCSV, one import).
func NewEnv(ctx context.Context, dir string, n, offices int) (*Env, error) {
	var buf bytes.Buffer
	if err := sample.Generate(&buf, n, offices, 1); err != nil {
		return nil, err
	}
	recs, rowErrs, err := staff.ReadCSV(&buf)
	if err != nil {
		return nil, fmt.Errorf("bench: read staff: %w", err)
	}
	if len(rowErrs) > 0 {
		return nil, fmt.Errorf("bench: generated staff has %d bad rows, first: %v", len(rowErrs), rowErrs[0])
	}
	path := filepath.Join(dir, "piket.db")
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return nil, err
	}
	rows := make([]store.StaffInput, len(recs))
	nips := make([]string, len(recs))
	for i, r := range recs {
		rows[i] = store.StaffInput{
			NIP: r.NIP, Name: r.Name, Office: r.Office, Division: r.Division, Level: string(r.Level),
			SupervisorNIP: r.SupervisorNIP, Phone: r.Phone, Roles: r.Roles,
		}
		nips[i] = r.NIP
	}
	if _, err := st.ImportStaff(ctx, rows, store.ImportOptions{DefaultTZ: "Asia/Jakarta", Now: time.Now()}); err != nil {
		st.Close()
		return nil, err
	}
	return &Env{Path: path, Store: st, NIPs: nips}, nil
}

// Close closes the store.
func (e *Env) Close() error { return e.Store.Close() }

// benchAddr is an in-process adapter's addressing: the sender ID is the
// NIP, as on the console, so identification is one indexed look-up.
type benchAddr struct{}

func (benchAddr) Platform() bot.Platform       { return bot.Console }
func (benchAddr) PersonChat(nip string) string { return nip }
func (benchAddr) GroupChat(code string) string { return "grup:" + code }
func (benchAddr) TrustsSender() bool           { return true }

// NewService returns the real core service over e's store, as the console
// adapter wires it, with clock now.
func (e *Env) NewService(now func() time.Time) *bot.Service { return newService(e.Store, now) }

// newService is the core service over st, as the console adapter wires it.
func newService(st *store.Store, now func() time.Time) *bot.Service {
	return bot.New(bot.Options{
		Store: st, Clock: now,
		Policy:   func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} },
		Implicit: []bot.Addresser{benchAddr{}},
	})
}
