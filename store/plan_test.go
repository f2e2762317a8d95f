package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

// largeTables grow with staff and history: a hot statement must never
// read one of them whole.
var largeTables = []string{"outbox", "inbound", "staff", "identities", "attendance", "attendance_history", "work_reports"}

// liveIndexes are partial indexes holding only live rows (pending
// messages): scanning one costs what is pending, not history.
var liveIndexes = []string{"outbox_queue"}

var scanRe = regexp.MustCompile(`^SCAN (\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX (\w+))?`)

// aliasRe finds "table alias" in a statement: plans name a table by its
// alias.
var aliasRe = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+AS)?\s+(\w+)`)

// fillLarge adds history to the large tables in a few statements: n sent
// messages, n inbound messages, n staff with phones and linked accounts,
// and their attendance.
func fillLarge(t testing.TB, s *Store, n int) {
	t.Helper()
	stmts := []string{
		`INSERT INTO offices (code, name, tz, created_at) VALUES ('BIG', 'Big office', 'Asia/Makassar', 0)`,
		fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)
			INSERT INTO staff (nip, name, office_id, level, phone, created_at, updated_at)
			SELECT printf('X%%017d', i), 'Pegawai ' || i, (SELECT id FROM offices WHERE code = 'BIG'), 'pelaksana',
				CASE WHEN i %% 3 = 0 THEN '' ELSE printf('+62899%%08d', i) END, 0, 0 FROM c`, n),
		`INSERT INTO identities (platform, external_id, chat_id, staff_id, linked_at)
			SELECT 'telegram', 'u' || id, 'u' || id, id, 0 FROM staff WHERE nip LIKE 'X%'`,
		fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)
			INSERT INTO inbound (platform, message_id, chat_id, sender_id, text, received_at, outcome)
			SELECT 'telegram', 'h' || i, 'c' || i, 'u' || i, 'hadir', i, 'ok' FROM c`, n),
		`INSERT INTO attendance (staff_id, day, status, place, first_at, updated_at)
			SELECT id, '2026-01-05', 'hadir', 'rumah', 0, 0 FROM staff WHERE nip LIKE 'X%'`,
		fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)
			INSERT INTO outbox (platform, chat_id, text, status, not_before, created_at, sent_at, sent_id, priority)
			SELECT CASE WHEN i %% 2 = 0 THEN 'telegram' ELSE 'whatsapp' END, 'c' || i, 'Terima kasih', 'sent', 0, i, i, 's' || i, 1 + i %% 3 FROM c`, n),
	}
	err := s.Write(context.Background(), func(tx *Tx) error {
		for _, q := range stmts {
			if _, err := tx.tx.ExecContext(context.Background(), q); err != nil {
				return fmt.Errorf("%.60s…: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// planScans returns the steps of q's query plan that scan a large table
// (other than through a live index).
func planScans(t *testing.T, db *sql.DB, q string) (scans, plan []string) {
	t.Helper()
	tables := map[string]string{} // name in a plan → table
	for _, m := range aliasRe.FindAllStringSubmatch(q, -1) {
		tables[m[2]] = m[1]
	}
	args := make([]any, strings.Count(q, "?"))
	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
		m := scanRe.FindStringSubmatch(detail)
		if m == nil {
			continue
		}
		table := m[1]
		if t, ok := tables[table]; ok {
			table = t
		}
		if slices.Contains(largeTables, table) && !slices.Contains(liveIndexes, m[2]) {
			scans = append(scans, detail)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return scans, plan
}

// TestHotStatementPlans runs the hot paths once on a database with
// history, collects the SQL they wrote with (the writer's statement cache
// holds each text once), adds the reader's hot queries, and fails on any
// plan that scans a large table.
func TestHotStatementPlans(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "piket.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	fillLarge(t, s, 20000)
	s.Close()
	if s, err = Open(ctx, path, Options{}); err != nil { // a fresh statement cache: only the hot paths'
		t.Fatal(err)
	}
	defer s.Close()

	at := now
	err = s.Write(ctx, func(tx *Tx) error {
		st, err := tx.ActiveStaffByPhone(ctx, "+6281234500003") // linking by contact card
		if err != nil {
			return err
		}
		if err := tx.LinkIdentity(ctx, st.ID, Identity{Platform: "telegram", ExternalID: "777", ChatID: "777"}, at); err != nil {
			return err
		}
		if _, err := tx.StaffByIdentity(ctx, "telegram", "777"); err != nil { // every message's sender
			return err
		}
		id, _, err := tx.RecordInbound(ctx, InboundRecord{Platform: "telegram", MessageID: "m1", ChatID: "777", SenderID: "777", Text: "hadir", ReceivedAt: at})
		if err != nil {
			return err
		}
		if _, dup, err := tx.RecordInbound(ctx, InboundRecord{Platform: "telegram", MessageID: "m1", ChatID: "777", SenderID: "777", Text: "hadir", ReceivedAt: at}); err != nil || !dup {
			return fmt.Errorf("redelivery: dup %v, %v", dup, err)
		}
		a := Attendance{StaffID: st.ID, Day: civil.Of(at), Status: StatusPresent, Place: PlaceHome, FirstAt: at, UpdatedAt: at}
		if _, _, err := tx.CheckIn(ctx, a, id); err != nil {
			return err
		}
		if _, _, err := tx.CheckIn(ctx, a, id); err != nil { // the day's second check-in: the upsert
			return err
		}
		if err := tx.SaveAttendance(ctx, a, id); err != nil {
			return err
		}
		if err := tx.SetInboundOutcome(ctx, id, st.ID, "ok"); err != nil {
			return err
		}
		for i := range 3 {
			if _, _, err := tx.Enqueue(ctx, OutMsg{Platform: "telegram", ChatID: "777", Text: fmt.Sprint("Terima kasih ", i)}, at); err != nil {
				return err
			}
		}
		if _, _, err := tx.GroupAccount(ctx, "telegram", "-100777"); err != nil { // a command in a group: which bot is in it
			return err
		}
		_, err = tx.OutboxKeyBySentID(ctx, "telegram", "", "s2") // a reply to a roster post
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The dispatcher: read, claim, record each outcome; take over leases.
	p, err := s.PendingQueue(ctx, "telegram", "", QueuePos{}, 8)
	if err != nil || len(p) != 3 {
		t.Fatalf("pending queue: %v, %v; want the three replies", p, err)
	}
	if _, err := s.ClaimOutbox(ctx, "me", []int64{p[0].ID, p[1].ID, p[2].ID}, at, at.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		s.MarkSent(ctx, p[0].ID, "s", at),
		s.MarkRetry(ctx, p[1].ID, at.Add(time.Second), "timeout"),
		s.MarkFailed(ctx, p[2].ID, "blocked"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ReleaseOutboxClaims(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurgeMessageTexts(ctx, at.AddDate(0, 0, -90)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var statements []string
	for q := range s.wstmts { // the writer has stopped
		statements = append(statements, q)
	}
	if len(statements) < 15 {
		t.Fatalf("captured %d statements of the hot paths, want at least 15", len(statements))
	}
	statements = append(statements,
		pendingQueue,
		pendingQueueRest,
		`SELECT count(*), min(created_at) FROM outbox WHERE status = 'pending'`, // OutboxStats
		qPendingPerAccount, // at start: queues of accounts no longer configured
	)
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range statements {
		scans, plan := planScans(t, db, q)
		t.Logf("%.70s: %q", strings.Join(strings.Fields(q), " "), plan)
		if len(scans) > 0 {
			t.Errorf("%s\nscans a large table: %q\nplan: %q", strings.Join(strings.Fields(q), " "), scans, plan)
		}
	}
}

// TestPlanScansCatchesScan proves the check fails on a scan.
func TestPlanScansCatchesScan(t *testing.T) {
	s := openTest(t)
	for q, want := range map[string]int{
		`SELECT id FROM outbox WHERE status = 'pending' ORDER BY id`:                                       1, // the old pending query
		`SELECT id FROM staff WHERE phone = ? AND active = 1`:                                              1, // the old phone look-up
		`SELECT s.id FROM staff s JOIN offices o ON o.id = s.office_id WHERE s.phone = ? AND s.active = 1`: 1, // by its alias
		`SELECT id FROM outbox WHERE status = 'pending' AND platform = ?`:                                  0,
		`SELECT id FROM staff WHERE phone = ? AND phone <> '' AND active = 1`:                              0,
		`SELECT id FROM outbox WHERE status IN ('sent', 'failed') AND text <> ''`:                          1,
	} {
		if scans, plan := planScans(t, s.DB(), q); len(scans) != want {
			t.Errorf("%s: %d scans of a large table, want %d (plan %q)", q, len(scans), want, plan)
		}
	}
}
