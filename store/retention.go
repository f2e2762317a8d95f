package store

import (
	"context"
	"fmt"
	"time"
)

// purgeBatch bounds the rows one purge transaction changes, so a first run
// over a year of messages does not hold the writer for long.
const purgeBatch = 2000

const (
	// purgeInboundText forgets what people wrote; who, when, where and the
	// outcome stay for the audit, attendance and reports are other tables.
	// It walks inbound_received from where the previous batch stopped (the
	// received_at of its last row), so no batch reads again what an
	// earlier one blanked. Rows received at that instant are read again,
	// which only finds them blanked.
	purgeInboundText = `UPDATE inbound SET text = NULL WHERE id IN (
		SELECT id FROM inbound WHERE received_at >= ? AND received_at < ? AND text IS NOT NULL
		ORDER BY received_at LIMIT ?)
		RETURNING received_at`
	// purgeOutbox deletes delivered (or given up) messages; pending ones
	// are still to be sent. The partial index outbox_done holds exactly
	// those rows by age, and deleted rows leave it, so every batch reads
	// only what it deletes.
	purgeOutbox = `DELETE FROM outbox WHERE id IN (
		SELECT id FROM outbox WHERE status <> 'pending' AND created_at < ? ORDER BY created_at LIMIT ?)`
)

// PurgeMessageTexts deletes messages older than before, for data
// protection (UU PDP): inbound.text becomes NULL for messages received
// before the cutoff, and sent or failed outbox messages created before it
// are deleted. The inbound rows themselves stay (the audit of who wrote
// when, and what came of it), pending outbox messages stay, and
// attendance, its history, work reports and leave reports are not
// touched. It works in small transactions and returns how many rows it
// changed or deleted.
func (s *Store) PurgeMessageTexts(ctx context.Context, before time.Time) (int, error) {
	total := 0
	from := int64(0) // received_at the inbound walk resumes at
	for {
		var n int
		var last int64
		err := s.Write(ctx, func(t *Tx) error {
			n, last = 0, from
			rows, err := t.query(ctx, purgeInboundText, from, ms(before), purgeBatch)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var at int64
				if err := rows.Scan(&at); err != nil {
					return err
				}
				n++
				last = max(last, at)
			}
			return rows.Err()
		})
		if err != nil {
			return total, fmt.Errorf("store: purge inbound texts: %w", err)
		}
		total, from = total+n, last // once committed
		if n < purgeBatch {
			break
		}
	}
	for {
		var n int64
		err := s.Write(ctx, func(t *Tx) error {
			res, err := t.exec(ctx, purgeOutbox, ms(before), purgeBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("store: purge outbox: %w", err)
		}
		total += int(n)
		if n < purgeBatch {
			break
		}
	}
	return total, nil
}
