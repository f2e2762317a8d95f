package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// InboundRecord is the audit row of one received message.
type InboundRecord struct {
	Platform, MessageID, ChatID, SenderID string
	Group                                 bool
	Text                                  string
	ReceivedAt                            time.Time
	// StaffID and Outcome, when the caller can predict them, are stored
	// at once, so that SetInboundOutcome need not write the row again
	// when the prediction held.
	StaffID int64
	Outcome string
}

// RecordInbound stores the audit row of a received message. dup is true
// (and id 0) when the same platform message was recorded before: the
// caller must then do nothing more, since the first delivery was handled.
func (t *Tx) RecordInbound(ctx context.Context, r InboundRecord) (id int64, dup bool, err error) {
	// Exec, not RETURNING: on the hot path a result set costs more than
	// reading the changes count and the new row ID.
	res, err := t.exec(ctx, `INSERT INTO inbound (platform, message_id, chat_id, sender_id, is_group, text, received_at, staff_id, outcome)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, message_id) DO NOTHING`,
		r.Platform, r.MessageID, r.ChatID, r.SenderID, r.Group, r.Text, ms(r.ReceivedAt), nullID(r.StaffID), r.Outcome)
	if err != nil {
		return 0, false, fmt.Errorf("store: record inbound: %w", err)
	}
	id, inserted, err := insertedID(res)
	if err != nil {
		return 0, false, fmt.Errorf("store: record inbound: %w", err)
	}
	return id, !inserted, nil
}

// insertedID reads the row ID of an INSERT ... ON CONFLICT DO NOTHING:
// inserted is false when the conflict skipped it.
func insertedID(res sql.Result) (id int64, inserted bool, err error) {
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return 0, false, err
	}
	id, err = res.LastInsertId()
	return id, err == nil, err
}

// SetInboundOutcome records who sent an inbound message and what came of it.
func (t *Tx) SetInboundOutcome(ctx context.Context, id, staffID int64, outcome string) error {
	if _, err := t.exec(ctx, `UPDATE inbound SET staff_id = ?, outcome = ? WHERE id = ?`, nullID(staffID), outcome, id); err != nil {
		return fmt.Errorf("store: set inbound outcome: %w", err)
	}
	return nil
}

// InboundCount returns how many messages were recorded with an outcome
// (all outcomes when outcome is empty).
func (s *Store) InboundCount(ctx context.Context, outcome string) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM inbound WHERE ? = '' OR outcome = ?`, outcome, outcome).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count inbound: %w", err)
	}
	return n, nil
}
