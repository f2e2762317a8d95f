package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is returned by Backup when the destination file already exists.
var ErrExists = errors.New("store: file already exists")

const (
	// vacuumInto writes a consistent, compacted copy of the database as of
	// the start of its read transaction; writers go on beside it (WAL).
	vacuumInto       = `VACUUM INTO ?`
	integrityCheck   = `PRAGMA integrity_check`
	listTables       = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	maxSchemaVersion = `SELECT coalesce(max(version), 0) FROM schema_migrations`
)

// Backup writes a consistent copy of the live database to dst while Piket
// keeps running: SQLite's VACUUM INTO on a read connection, into a
// temporary file beside dst that is synced and then linked into place. It
// never overwrites: if dst exists it returns an error wrapping ErrExists.
func (s *Store) Backup(ctx context.Context, dst string) error {
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("store: backup to %s: %w", dst, ErrExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("store: backup to %s: %w", dst, err)
	}
	dir := filepath.Dir(dst)
	tmpf, err := os.CreateTemp(dir, "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return fmt.Errorf("store: backup to %s: %w", dst, err)
	}
	tmp := tmpf.Name()
	defer os.Remove(tmp)
	// VACUUM INTO writes into a missing or empty file; this one is empty
	// and 0600 (CreateTemp), so the backup is never readable by others.
	if err := tmpf.Close(); err != nil {
		return fmt.Errorf("store: backup to %s: %w", dst, err)
	}
	if _, err := s.r.ExecContext(ctx, vacuumInto, tmp); err != nil {
		return fmt.Errorf("store: backup to %s: %w", dst, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("store: backup to %s: %w", dst, err)
	}
	// Link fails if dst appeared meanwhile: still no overwrite. Where the
	// file system has no hard links, rename after checking again.
	if err := os.Link(tmp, dst); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("store: backup to %s: %w", dst, ErrExists)
		}
		if _, serr := os.Lstat(dst); serr == nil {
			return fmt.Errorf("store: backup to %s: %w", dst, ErrExists)
		}
		if rerr := os.Rename(tmp, dst); rerr != nil {
			return fmt.Errorf("store: backup to %s: %w", dst, errors.Join(err, rerr))
		}
	}
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("store: backup to %s: sync directory: %w", dst, err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// BackupReport is what VerifyBackup found in a backup file.
type BackupReport struct {
	Integrity     []string // "ok", or each problem PRAGMA integrity_check reported
	SchemaVersion int      // the backup's schema version (0: none)
	Tables        []TableCount
}

// OK reports whether the integrity check passed.
func (r BackupReport) OK() bool { return len(r.Integrity) == 1 && r.Integrity[0] == "ok" }

// TableCount is one table's row count.
type TableCount struct {
	Table string
	Rows  int64
}

// VerifyBackup opens a backup file read-only (it is never changed, and no
// -wal or -shm file is created), runs PRAGMA integrity_check and counts
// each table's rows. Only an unreadable file is an error; a damaged one is
// reported in the BackupReport.
func VerifyBackup(ctx context.Context, path string) (BackupReport, error) {
	if _, err := os.Stat(path); err != nil {
		return BackupReport{}, fmt.Errorf("store: verify backup: %w", err)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Set("immutable", "1")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return BackupReport{}, fmt.Errorf("store: verify backup %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var rep BackupReport
	rows, err := db.QueryContext(ctx, integrityCheck)
	if err != nil {
		return BackupReport{}, fmt.Errorf("store: verify backup %s: %w", path, err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return BackupReport{}, fmt.Errorf("store: verify backup %s: %w", path, err)
		}
		rep.Integrity = append(rep.Integrity, line)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return BackupReport{}, fmt.Errorf("store: verify backup %s: %w", path, err)
	}
	tables, err := tableNames(ctx, db)
	if err != nil {
		return BackupReport{}, fmt.Errorf("store: verify backup %s: %w", path, err)
	}
	for _, t := range tables {
		if t == "schema_migrations" {
			if err := db.QueryRowContext(ctx, maxSchemaVersion).Scan(&rep.SchemaVersion); err != nil {
				return BackupReport{}, fmt.Errorf("store: verify backup %s: schema version: %w", path, err)
			}
		}
		var n int64
		// A table name cannot be bound; it comes from sqlite_master and is quoted.
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(t, `"`, `""`)+`"`).Scan(&n); err != nil {
			return BackupReport{}, fmt.Errorf("store: verify backup %s: count %s: %w", path, t, err)
		}
		rep.Tables = append(rep.Tables, TableCount{Table: t, Rows: n})
	}
	return rep, nil
}

func tableNames(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, listTables)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		out = append(out, name)
	}
	return out, rows.Err()
}
