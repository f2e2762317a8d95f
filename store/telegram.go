package store

import (
	"context"
	"fmt"
	"strconv"
)

// telegramOffsetKey is the settings key of the Telegram getUpdates offset.
const telegramOffsetKey = "telegram.offset"

// TelegramOffset returns the persisted getUpdates offset (the next update
// ID to ask for), or 0 if none was stored. With SetTelegramOffset it
// implements the Telegram adapter's OffsetStore.
func (s *Store) TelegramOffset(ctx context.Context) (int64, error) {
	v, err := s.Setting(ctx, telegramOffsetKey)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("store: setting %s: bad value %q: %w", telegramOffsetKey, v, err)
	}
	return n, nil
}

// SetTelegramOffset persists the getUpdates offset.
func (s *Store) SetTelegramOffset(ctx context.Context, offset int64) error {
	return s.SetSetting(ctx, telegramOffsetKey, strconv.FormatInt(offset, 10))
}
