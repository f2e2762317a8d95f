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
	purgeInboundText = `UPDATE inbound SET text = NULL WHERE id IN (
		SELECT id FROM inbound WHERE received_at < ? AND text IS NOT NULL LIMIT ?)`
	// purgeOutboxText blanks delivered (or given up) messages; pending ones
	// are still to be sent.
	purgeOutboxText = `UPDATE outbox SET text = '' WHERE id IN (
		SELECT id FROM outbox WHERE status IN ('sent', 'failed') AND created_at < ? AND text <> '' LIMIT ?)`
)

// PurgeMessageTexts deletes the text of messages older than before, for
// data protection (UU PDP): inbound.text becomes NULL for messages received
// before the cutoff, and outbox.text becomes ” for sent or failed messages
// created before it. The rows themselves stay (the audit of who wrote when,
// and what came of it), and attendance, its history, work reports and
// leave reports are not touched. It works in small transactions and
// returns how many rows it changed.
func (s *Store) PurgeMessageTexts(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for _, q := range []struct{ what, sql string }{
		{"inbound", purgeInboundText},
		{"outbox", purgeOutboxText},
	} {
		for {
			var n int64
			err := s.Write(ctx, func(t *Tx) error {
				res, err := t.exec(ctx, q.sql, ms(before), purgeBatch)
				if err != nil {
					return err
				}
				n, err = res.RowsAffected()
				return err
			})
			if err != nil {
				return total, fmt.Errorf("store: purge %s texts: %w", q.what, err)
			}
			total += int(n)
			if n < purgeBatch {
				break
			}
		}
	}
	return total, nil
}
