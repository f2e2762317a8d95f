package crashtest

import (
	"database/sql"
	"testing"

	"github.com/piket-id/piket/store"
)

func open(path string) (*sql.DB, error) { return sql.Open("sqlite", store.DSN(path)) }

// outboxKeys lists the outbox rows (only those marked sent if sent) as
// chat and text, the way the fake Bot API saw them.
func outboxKeys(t *testing.T, path string, sent bool) []string {
	t.Helper()
	db, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT chat_id, text FROM outbox WHERE platform = 'telegram' AND (? = 0 OR status = 'sent')`, sent)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var chat, text string
		if err := rows.Scan(&chat, &text); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, chat+"\x00"+text)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
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
		"replies":             `SELECT count(*) FROM outbox WHERE text LIKE '✅ Kehadiran % tercatat:%'`,
	} {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}
