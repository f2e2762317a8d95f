package crashtest

import (
	"database/sql"
	"testing"

	"github.com/piket-id/piket/store"
)

func open(path string) (*sql.DB, error) { return sql.Open("sqlite", store.DSN(path)) }

func sentIDs(path string) ([]int64, error) {
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id FROM outbox WHERE status = 'sent'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func counts(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for k, q := range map[string]string{
		"inbound":             `SELECT count(*) FROM inbound`,
		"inbound_distinct":    `SELECT count(DISTINCT platform || ' ' || message_id) FROM inbound`,
		"attendance":          `SELECT count(*) FROM attendance`,
		"attendance_distinct": `SELECT count(DISTINCT staff_id || ' ' || day) FROM attendance`,
		"history":             `SELECT count(*) FROM attendance_history`,
		"outbox":              `SELECT count(*) FROM outbox`,
		"outbox_sent":         `SELECT count(*) FROM outbox WHERE status = 'sent'`,
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}
