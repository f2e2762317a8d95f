package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Outcomes of redeeming a sign-in link that callers tell apart.
var (
	ErrTokenExpired = errors.New("store: sign-in link expired")
	ErrTokenUsed    = errors.New("store: sign-in link already used")
)

// TokenHash is what is stored of a sign-in link's or a session cookie's
// token: its SHA-256, so a copy of the database signs nobody in.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

const (
	insertWebToken = `INSERT INTO web_tokens (hash, staff_id, created_at, expires_at) VALUES (?, ?, ?, ?)`
	selectWebToken = `SELECT staff_id, expires_at, used_at FROM web_tokens WHERE hash = ?`
	useWebToken    = `UPDATE web_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL`
	insertSession  = `INSERT INTO web_sessions (hash, staff_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`
	selectSession  = `SELECT staff_id, csrf, expires_at FROM web_sessions WHERE hash = ? AND ended_at IS NULL AND expires_at > ?`
	endSession     = `UPDATE web_sessions SET ended_at = ? WHERE hash = ? AND ended_at IS NULL`
	purgeWeb       = `DELETE FROM web_tokens WHERE expires_at < ?;
		DELETE FROM web_sessions WHERE expires_at < ?`
	insertAudit = `INSERT INTO audit (staff_id, office_id, action, detail, at) VALUES (?, ?, ?, ?, ?)`
	selectAudit = `SELECT a.id, a.staff_id, s.name, COALESCE(a.office_id, 0), a.action, a.detail, a.at
		FROM audit a JOIN staff s ON s.id = a.staff_id WHERE a.office_id = ? ORDER BY a.at DESC, a.id DESC LIMIT ?`
)

// CreateWebToken stores a one-time sign-in link (by the hash of its
// token) for a staff member, valid until expires.
func (t *Tx) CreateWebToken(ctx context.Context, hash string, staffID int64, now, expires time.Time) error {
	if _, err := t.exec(ctx, insertWebToken, hash, staffID, ms(now), ms(expires)); err != nil {
		return fmt.Errorf("store: create sign-in link: %w", err)
	}
	return nil
}

// WebSession is a signed-in browser.
type WebSession struct {
	StaffID   int64
	CSRF      string
	ExpiresAt time.Time
}

// RedeemWebToken uses the sign-in link with this token hash once: it
// marks it used and opens a session (cookie hash sessionHash, CSRF token
// csrf) for the person it was made for, until sessionExpires. It returns
// ErrNotFound for an unknown link, ErrTokenUsed for one used before and
// ErrTokenExpired for one past its time.
func (s *Store) RedeemWebToken(ctx context.Context, tokenHash, sessionHash, csrf string, now, sessionExpires time.Time) (int64, error) {
	var staffID int64
	err := s.Write(ctx, func(t *Tx) error {
		staffID = 0
		var expires int64
		var used sql.NullInt64
		err := t.queryRow(ctx, selectWebToken, tokenHash).Scan(&staffID, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: read sign-in link: %w", err)
		}
		if used.Valid {
			return ErrTokenUsed
		}
		if ms(now) >= expires {
			return ErrTokenExpired
		}
		res, err := t.exec(ctx, useWebToken, ms(now), tokenHash)
		if err != nil {
			return fmt.Errorf("store: use sign-in link: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrTokenUsed
		}
		if _, err := t.exec(ctx, insertSession, sessionHash, staffID, csrf, ms(now), ms(sessionExpires)); err != nil {
			return fmt.Errorf("store: open session: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return staffID, nil
}

// WebSession returns the open, unexpired session with this cookie hash,
// or ErrNotFound.
func (s *Store) WebSession(ctx context.Context, hash string, now time.Time) (WebSession, error) {
	var w WebSession
	var expires int64
	err := s.r.QueryRowContext(ctx, selectSession, hash, ms(now)).Scan(&w.StaffID, &w.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return WebSession{}, ErrNotFound
	}
	if err != nil {
		return WebSession{}, fmt.Errorf("store: read session: %w", err)
	}
	w.ExpiresAt = fromMS(expires)
	return w, nil
}

// EndWebSession ends a session (sign out).
func (s *Store) EndWebSession(ctx context.Context, hash string, now time.Time) error {
	return s.Write(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, endSession, ms(now), hash); err != nil {
			return fmt.Errorf("store: end session: %w", err)
		}
		return nil
	})
}

// PurgeWeb deletes sign-in links and sessions that expired before before.
func (s *Store) PurgeWeb(ctx context.Context, before time.Time) error {
	return s.Write(ctx, func(t *Tx) error {
		if _, err := t.exec(ctx, purgeWeb, ms(before), ms(before)); err != nil {
			return fmt.Errorf("store: purge web sessions: %w", err)
		}
		return nil
	})
}

// AuditEntry is one admin action taken on the dashboard.
type AuditEntry struct {
	ID       int64
	StaffID  int64  // who
	Name     string // who, by name (read only)
	OfficeID int64  // the office acted on (0: none)
	Action   string // swap, staff_add, staff_edit, staff_deactivate, import
	Detail   string
	At       time.Time
}

// AddAudit records an admin action.
func (t *Tx) AddAudit(ctx context.Context, e AuditEntry) error {
	if _, err := t.exec(ctx, insertAudit, e.StaffID, nullID(e.OfficeID), e.Action, e.Detail, ms(e.At)); err != nil {
		return fmt.Errorf("store: add audit entry: %w", err)
	}
	return nil
}

// AddAudit records an admin action in its own transaction.
func (s *Store) AddAudit(ctx context.Context, e AuditEntry) error {
	return s.Write(ctx, func(t *Tx) error { return t.AddAudit(ctx, e) })
}

// AuditLog lists an office's latest audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, officeID int64, limit int) ([]AuditEntry, error) {
	rows, err := s.r.QueryContext(ctx, selectAudit, officeID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: read audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.StaffID, &e.Name, &e.OfficeID, &e.Action, &e.Detail, &at); err != nil {
			return nil, fmt.Errorf("store: read audit: %w", err)
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
