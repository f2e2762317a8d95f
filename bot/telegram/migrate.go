package telegram

import (
	"context"
	"errors"
	"sync"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// A group chat upgraded to a supergroup gets a new chat ID; the old one
// refuses every message from then on. Telegram says so twice: by service
// messages (migrate_to_chat_id in the old group, migrate_from_chat_id in
// the new one) and by answering a send to the old chat 400 with
// parameters.migrate_to_chat_id. The adapter follows both.

// ChatMover moves what is stored about a chat (an office's group link,
// messages waiting to be sent) to the chat that replaced it. IDs are the
// core's chat IDs. Moving must be idempotent.
type ChatMover interface {
	MoveChat(ctx context.Context, from, to string) error
}

// chatMove is a group chat's migration to a supergroup.
type chatMove struct{ from, to int64 }

// migrationOf returns the migration a service message announces.
func migrationOf(u *models.Update) (chatMove, bool) {
	if u == nil || u.Message == nil || u.Message.Chat.ID == 0 {
		return chatMove{}, false
	}
	m := u.Message
	switch {
	case m.MigrateToChatID != 0 && m.MigrateToChatID != m.Chat.ID:
		return chatMove{from: m.Chat.ID, to: m.MigrateToChatID}, true
	case m.MigrateFromChatID != 0 && m.MigrateFromChatID != m.Chat.ID:
		return chatMove{from: m.MigrateFromChatID, to: m.Chat.ID}, true
	}
	return chatMove{}, false
}

// migrateTo returns the supergroup a send error says the chat became.
func migrateTo(err error) (int64, bool) {
	var mig *tgbot.MigrateError
	if errors.As(err, &mig) && mig.MigrateToChatID != 0 {
		return int64(mig.MigrateToChatID), true
	}
	return 0, false
}

// moveChat records that from became to, in memory (so sends to from go to
// to) and through Options.Chats.
func (a *Adapter) moveChat(ctx context.Context, mv chatMove) error {
	if !a.moved.set(mv.from, mv.to) {
		a.log.Info("telegram: group became a supergroup", "from", mv.from, "to", mv.to)
	}
	if a.opts.Chats == nil {
		return nil
	}
	return a.opts.Chats.MoveChat(ctx, chatKey(mv.from), chatKey(mv.to))
}

// follow moves a chat as a service message announced, retrying until it
// succeeds. Before the first retry it calls onFail. It returns false if
// ctx ended first.
func (a *Adapter) follow(ctx context.Context, mv chatMove, onFail func()) bool {
	b := a.backoff()
	for attempt := 1; ; attempt++ {
		err := a.moveChat(ctx, mv)
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		if attempt == 1 {
			onFail()
		}
		a.log.Warn("telegram: moving a migrated group failed, retrying", "from", mv.from, "to", mv.to, "attempt", attempt, "err", err)
		if !b.wait(ctx) {
			return false
		}
	}
}

// movedChats maps migrated group IDs to their supergroups.
type movedChats struct {
	mu sync.Mutex
	m  map[int64]int64
}

// set records from → to and reports whether it was known already.
func (c *movedChats) set(from, to int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[int64]int64)
	}
	known := c.m[from] == to
	c.m[from] = to
	return known
}

// get follows from to the chat it became, if any.
func (c *movedChats) get(from int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range 4 { // a chat migrates once; bound the walk anyway
		to, ok := c.m[from]
		if !ok {
			break
		}
		from = to
	}
	return from
}
