package crashtest

import (
	"database/sql"
	"testing"

	"github.com/piket-id/piket/bot/whatsapp"
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

// waRow is a WhatsApp outbox row: id is the message ID every attempt to
// send it carries (whatsapp.OutboxMessageID), sentID the one recorded
// when it was marked sent.
type waRow struct {
	id, chat, sentID string
	sent             bool
}

// waOutbox lists the WhatsApp outbox rows.
func waOutbox(t *testing.T, path string) []waRow {
	t.Helper()
	db, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var salt string
	if err := db.QueryRow(`SELECT coalesce((SELECT value FROM settings WHERE key = 'whatsapp.id_salt'), '')`).Scan(&salt); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT id, chat_id, status = 'sent', coalesce(sent_id, '') FROM outbox WHERE platform = 'whatsapp'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []waRow
	for rows.Next() {
		var r waRow
		var id int64
		if err := rows.Scan(&id, &r.chat, &r.sent, &r.sentID); err != nil {
			t.Fatal(err)
		}
		r.id = whatsapp.OutboxMessageID(salt, id)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// inboundIDs returns the message IDs of the stored WhatsApp messages.
func inboundIDs(t *testing.T, path string) map[string]bool {
	t.Helper()
	db, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT message_id FROM inbound WHERE platform = 'whatsapp'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
