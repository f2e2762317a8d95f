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
