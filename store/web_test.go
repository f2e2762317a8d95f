package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestAuditInTheSameTransaction: an admin change and its audit row commit
// together: when the audit row cannot be written, the change is undone.
func TestAuditInTheSameTransaction(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	now := time.Date(2020, 3, 18, 1, 0, 0, 0, time.UTC)
	rows := []StaffInput{{NIP: "197501012000011001", Name: "Kepala", Office: "KECIL", Level: LevelEselon2, Roles: []string{RoleAdmin}}}
	if _, err := s.ImportStaff(ctx, rows, ImportOptions{DefaultTZ: "Asia/Jakarta", Now: now}); err != nil {
		t.Fatal(err)
	}
	head, err := s.StaffByNIP(ctx, "197501012000011001")
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("audit failed")
	failing := func(*Tx) error { return boom }
	rows = append(rows, StaffInput{NIP: "199001012015011003", Name: "Staf", Office: "KECIL", Level: LevelPelaksana, SupervisorNIP: head.NIP})
	if _, err := s.ImportStaff(ctx, rows, ImportOptions{Now: now, Audit: func(t *Tx, _ ImportResult) error { return failing(t) }}); !errors.Is(err, boom) {
		t.Fatalf("import with a failing audit: %v", err)
	}
	if _, err := s.StaffByNIP(ctx, "199001012015011003"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the import stayed without its audit row: %v", err)
	}
	audit := func(t *Tx, _ ImportResult) error {
		return t.AddAudit(ctx, AuditEntry{StaffID: head.ID, OfficeID: head.Office.ID, Action: "import", Detail: "1 added", At: now})
	}
	if _, err := s.ImportStaff(ctx, rows, ImportOptions{Now: now, Audit: audit}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeactivateStaffAudited(ctx, "199001012015011003", now, func(t *Tx, _ Deactivation) error { return failing(t) }); !errors.Is(err, boom) {
		t.Fatalf("deactivate with a failing audit: %v", err)
	}
	if p, _ := s.StaffByNIP(ctx, "199001012015011003"); !p.Active {
		t.Fatal("deactivated without its audit row")
	}
	log, err := s.AuditLog(ctx, head.Office.ID, 10)
	if err != nil || len(log) != 1 || log[0].Name != "Kepala" || log[0].Action != "import" || !log[0].At.Equal(now) {
		t.Errorf("audit log %+v %v", log, err)
	}
}

// TestWebTokens: a link is used once, before it expires; a session ends
// when it expires or is ended; the purge removes what expired.
func TestWebTokens(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	now := time.Date(2020, 3, 18, 1, 0, 0, 0, time.UTC)
	if _, err := s.ImportStaff(ctx, []StaffInput{{NIP: "197501012000011001", Name: "Kepala", Office: "KECIL", Level: LevelEselon2}}, ImportOptions{DefaultTZ: "Asia/Jakarta", Now: now}); err != nil {
		t.Fatal(err)
	}
	head, _ := s.StaffByNIP(ctx, "197501012000011001")
	err := s.Write(ctx, func(t *Tx) error {
		if err := t.CreateWebToken(ctx, TokenHash("a"), head.ID, now, now.Add(10*time.Minute)); err != nil {
			return err
		}
		return t.CreateWebToken(ctx, TokenHash("b"), head.ID, now, now.Add(10*time.Minute))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RedeemWebToken(ctx, TokenHash("b"), TokenHash("s0"), "c", now.Add(10*time.Minute), now.Add(time.Hour)); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("at expiry: %v", err)
	}
	id, err := s.RedeemWebToken(ctx, TokenHash("a"), TokenHash("s1"), "csrf1", now.Add(time.Minute), now.Add(time.Hour))
	if err != nil || id != head.ID {
		t.Fatalf("redeem: %d %v", id, err)
	}
	if _, err := s.RedeemWebToken(ctx, TokenHash("a"), TokenHash("s2"), "c", now.Add(2*time.Minute), now.Add(time.Hour)); !errors.Is(err, ErrTokenUsed) {
		t.Errorf("reuse: %v", err)
	}
	if _, err := s.RedeemWebToken(ctx, TokenHash("zz"), TokenHash("s3"), "c", now, now.Add(time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
	sess, err := s.WebSession(ctx, TokenHash("s1"), now.Add(59*time.Minute))
	if err != nil || sess.StaffID != head.ID || sess.CSRF != "csrf1" {
		t.Fatalf("session: %+v %v", sess, err)
	}
	if _, err := s.WebSession(ctx, TokenHash("s1"), now.Add(time.Hour)); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
	if err := s.EndWebSession(ctx, TokenHash("s1"), now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WebSession(ctx, TokenHash("s1"), now.Add(3*time.Minute)); !errors.Is(err, ErrNotFound) {
		t.Errorf("ended session: %v", err)
	}
	if err := s.PurgeWeb(ctx, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.DB().QueryRow(`SELECT (SELECT count(*) FROM web_tokens) + (SELECT count(*) FROM web_sessions)`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after the purge: %d rows, %v", n, err)
	}
}
