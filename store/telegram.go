package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// TelegramOffsets keeps one bot's getUpdates offset (the next update ID to
// ask for) in the settings table. It implements the Telegram adapter's
// OffsetStore. Offsets are per bot: update IDs of a new bot (another
// token) start afresh, so an old bot's offset must not skip them.
type TelegramOffsets struct {
	s   *Store
	key string
}

// TelegramOffsets returns the offset store of the bot with this token.
// Only the bot ID (the token before ':') is kept, never the secret part.
func (s *Store) TelegramOffsets(token string) TelegramOffsets {
	botID, _, _ := strings.Cut(token, ":")
	return TelegramOffsets{s: s, key: "telegram.offset." + botID}
}

// TelegramOffset returns the persisted offset, 0 if none was stored.
func (o TelegramOffsets) TelegramOffset(ctx context.Context) (int64, error) {
	v, err := o.s.Setting(ctx, o.key)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("store: setting %s: bad value %q: %w", o.key, v, err)
	}
	return n, nil
}

// SetTelegramOffset persists the offset.
func (o TelegramOffsets) SetTelegramOffset(ctx context.Context, offset int64) error {
	return o.s.SetSetting(ctx, o.key, strconv.FormatInt(offset, 10))
}

// SetTelegramOffsetTx persists the offset inside tx (in the transaction
// that committed the updates it confirms).
func (o TelegramOffsets) SetTelegramOffsetTx(ctx context.Context, tx *Tx, offset int64) error {
	return tx.SetSettingTx(ctx, o.key, strconv.FormatInt(offset, 10))
}

// TelegramChats moves what is stored about a Telegram group chat when
// Telegram replaces it by a supergroup with a new ID. It implements the
// Telegram adapter's ChatMover.
type TelegramChats struct{ s *Store }

// TelegramChats returns the Telegram chat mover.
func (s *Store) TelegramChats() TelegramChats { return TelegramChats{s: s} }

const (
	// The supergroup may already be linked (an admin sent /grup in it):
	// then the old group's link is dropped rather than duplicated.
	qDropMovedOfficeChat = `DELETE FROM office_chats WHERE platform = ? AND chat_id = ?
		AND EXISTS (SELECT 1 FROM office_chats WHERE platform = ? AND chat_id = ?)`
	qMoveOfficeChat = `UPDATE office_chats SET chat_id = ? WHERE platform = ? AND chat_id = ?`
	qMoveIdentities = `UPDATE identities SET chat_id = ? WHERE platform = ? AND chat_id = ?`
	qMoveOutbox     = `UPDATE outbox SET chat_id = ? WHERE platform = ? AND chat_id = ? AND status = 'pending'`
)

// MoveChat moves the chat from to the chat to, in one transaction: the
// office link, identities that use it as their chat, and the messages
// still waiting in the outbox. It is idempotent: moving a chat that is
// no longer referenced changes nothing.
func (c TelegramChats) MoveChat(ctx context.Context, from, to string) error {
	const p = "telegram"
	err := c.s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, qDropMovedOfficeChat, p, from, p, to); err != nil {
			return err
		}
		for _, q := range []string{qMoveOfficeChat, qMoveIdentities, qMoveOutbox} {
			if _, err := tx.exec(ctx, q, to, p, from); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: move telegram chat %s to %s: %w", from, to, err)
	}
	return nil
}
