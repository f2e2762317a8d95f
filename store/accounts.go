package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// GroupAccount returns the platform account linked with the office group
// chat chatID (the one that received /grup there; "" the primary), and
// false when the chat is no office's group.
func (t *Tx) GroupAccount(ctx context.Context, platform, chatID string) (string, bool, error) {
	var account string
	err := t.queryRow(ctx, `SELECT account FROM office_chats WHERE platform = ? AND chat_id = ?`, platform, chatID).Scan(&account)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: group account: %w", err)
	}
	return account, true, nil
}

// ActiveStaffPerOffice counts the active staff of each office, by office
// code (for the capacity check at start-up; it reads the whole staff
// table once).
func (s *Store) ActiveStaffPerOffice(ctx context.Context) (map[string]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT o.code, count(*) FROM staff s JOIN offices o ON o.id = s.office_id
		WHERE s.active = 1 GROUP BY o.code`)
	if err != nil {
		return nil, fmt.Errorf("store: count staff per office: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, fmt.Errorf("store: count staff per office: %w", err)
		}
		out[code] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: count staff per office: %w", err)
	}
	return out, nil
}

// QueuedAccount is how many messages wait in one platform account's queue.
type QueuedAccount struct {
	Platform, Account string
	Pending           int
}

// PendingPerAccount counts the pending messages of each platform account
// (from the pending index only).
func (s *Store) PendingPerAccount(ctx context.Context) ([]QueuedAccount, error) {
	rows, err := s.r.QueryContext(ctx, qPendingPerAccount)
	if err != nil {
		return nil, fmt.Errorf("store: pending per account: %w", err)
	}
	defer rows.Close()
	var out []QueuedAccount
	for rows.Next() {
		var q QueuedAccount
		if err := rows.Scan(&q.Platform, &q.Account, &q.Pending); err != nil {
			return nil, fmt.Errorf("store: pending per account: %w", err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending per account: %w", err)
	}
	return out, nil
}

const qPendingPerAccount = `SELECT platform, account, count(*) FROM outbox WHERE status = 'pending' GROUP BY platform, account`
