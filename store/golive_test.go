package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The go-live migration fills existing offices from their earliest staff
// creation (as a local day) or first attendance record.
func TestGoLiveMigrationBackfills(t *testing.T) {
	ctx := context.Background()
	before := -1
	for i, m := range migrations {
		if strings.Contains(m.name, "_record_time_golive") {
			before = i // the version before it
		}
	}
	if before < 0 {
		t.Fatal("go-live migration not found")
	}
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, before); err != nil {
		t.Fatal(err)
	}
	at := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMilli()
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO offices (id, code, tz, created_at) VALUES (1, 'DENPASAR', 'Asia/Makassar', 0), (2, 'TANGSEL', 'Asia/Jakarta', 0), (3, 'EMPTY', 'Asia/Jayapura', 0)`, nil},
		// 16:30 UTC on the 15th is 00:30 WITA on Monday the 16th.
		{`INSERT INTO staff (id, nip, name, office_id, level, created_at, updated_at) VALUES (1, '1', 'A', 1, 'pelaksana', ?, 0)`, []any{at("2020-03-15T16:30:00Z")}},
		{`INSERT INTO staff (id, nip, name, office_id, level, created_at, updated_at) VALUES (2, '2', 'B', 2, 'pelaksana', ?, 0)`, []any{at("2020-04-01T01:00:00Z")}},
		{`INSERT INTO attendance (staff_id, day, status, first_at, updated_at) VALUES (1, '2020-03-20', 'hadir', 0, 0), (2, '2020-03-17', 'hadir', 0, 0)`, nil},
	} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	db.Close()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	offices, err := s.Offices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"DENPASAR": "2020-03-16", "TANGSEL": "2020-03-17", "EMPTY": ""}
	for _, o := range offices {
		got := ""
		if !o.Since.IsZero() {
			got = o.Since.String()
		}
		if got != want[o.Code] {
			t.Errorf("%s: go-live %q, want %q", o.Code, got, want[o.Code])
		}
	}
}

// An import creates offices going live on the import's local day; a later
// import keeps it.
func TestImportSetsGoLive(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	imp := func(now time.Time, rows ...StaffInput) {
		t.Helper()
		if _, err := s.ImportStaff(ctx, rows, ImportOptions{DefaultTZ: "Asia/Jayapura", Now: now}); err != nil {
			t.Fatal(err)
		}
	}
	since := func(code string) string {
		t.Helper()
		var o Office
		err := s.Write(ctx, func(tx *Tx) error {
			var err error
			o, err = tx.OfficeByCode(ctx, code)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if o.Since.IsZero() {
			return ""
		}
		return o.Since.String()
	}
	// 15:30 UTC is already the next day in Jayapura (WIT, UTC+9).
	imp(time.Date(2020, 3, 15, 15, 30, 0, 0, time.UTC), StaffInput{NIP: "1", Name: "A", Office: "DINKES", Level: LevelPelaksana})
	if got := since("DINKES"); got != "2020-03-16" {
		t.Errorf("go-live after first import %q, want 2020-03-16", got)
	}
	imp(time.Date(2020, 4, 1, 1, 0, 0, 0, time.UTC), StaffInput{NIP: "1", Name: "A", Office: "DINKES", Level: LevelPelaksana},
		StaffInput{NIP: "2", Name: "B", Office: "DINKES", Level: LevelPelaksana})
	if got := since("DINKES"); got != "2020-03-16" {
		t.Errorf("go-live after a second import %q, want it kept", got)
	}
}
