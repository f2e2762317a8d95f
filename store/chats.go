package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ChatOwner is whom a chat belongs to: an office (its group chat) or a
// staff member (a linked account's private chat).
type ChatOwner struct {
	OfficeID   int64  // 0: unknown
	OfficeCode string // "" : unknown
	Staff      *Staff // the staff member of a private chat; nil otherwise
}

// ChatOwner finds the office whose group chat is chatID on platform, or
// the active staff member whose linked account's private chat it is. It
// returns ErrNotFound when neither is known.
func (t *Tx) ChatOwner(ctx context.Context, platform, chatID string) (ChatOwner, error) {
	var o ChatOwner
	err := t.queryRow(ctx, `SELECT o.id, o.code FROM office_chats c JOIN offices o ON o.id = c.office_id
		WHERE c.platform = ? AND c.chat_id = ?`, platform, chatID).Scan(&o.OfficeID, &o.OfficeCode)
	if err == nil {
		return o, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return ChatOwner{}, fmt.Errorf("store: chat owner: %w", err)
	}
	st, err := oneStaff(ctx, txQuerier{t}, `JOIN identities i ON i.staff_id = s.id
		WHERE i.platform = ? AND i.chat_id = ? AND s.active = 1`, platform, chatID)
	if err != nil {
		return ChatOwner{}, err
	}
	return ChatOwner{OfficeID: st.Office.ID, OfficeCode: st.Office.Code, Staff: &st}, nil
}
