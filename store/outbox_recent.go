package store

import (
	"context"
	"fmt"
	"time"
)

// RecentSend is a message marked sent, for rebuilding the dispatcher's
// rate-limit windows after a restart.
type RecentSend struct {
	Platform string
	Account  string
	ChatID   string
	Group    bool
	SentAt   time.Time
}

const qRecentSends = `SELECT platform, account, chat_id, is_group, sent_at FROM outbox
	WHERE status = 'sent' AND sent_at >= ? ORDER BY sent_at, id`

// RecentSends lists the messages marked sent at or after since, oldest
// first.
func (s *Store) RecentSends(ctx context.Context, since time.Time) ([]RecentSend, error) {
	rows, err := s.r.QueryContext(ctx, qRecentSends, ms(since))
	if err != nil {
		return nil, fmt.Errorf("store: recent sends: %w", err)
	}
	defer rows.Close()
	var out []RecentSend
	for rows.Next() {
		var r RecentSend
		var at int64
		if err := rows.Scan(&r.Platform, &r.Account, &r.ChatID, &r.Group, &at); err != nil {
			return nil, fmt.Errorf("store: recent sends: %w", err)
		}
		r.SentAt = fromMS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
