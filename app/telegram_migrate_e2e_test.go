package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

// A Telegram group upgraded to a supergroup gets a new chat ID and refuses
// messages under the old one. These tests migrate a linked office group in
// the fake and check that the next roster post reaches the new chat.

// linkOfficeGroup links group to DISKOMINFO by Sukadana (an admin) and
// waits for the link reply and today's list.
func linkOfficeGroup(h *harness, group int64) {
	h.t.Helper()
	h.register(sukadana, 1)
	h.fake.Text(group, sukadana.user, "/grup DISKOMINFO")
	h.reply(group, 1, "terhubung dengan DISKOMINFO")
	h.reply(group, 2, "Jadwal piket")
	h.waitOutboxEmpty()
}

func (h *harness) linkedChats(chat int64) int {
	return h.count(`SELECT count(*) FROM office_chats WHERE platform = 'telegram' AND chat_id = ?`, strconv.FormatInt(chat, 10))
}

func TestTelegramSupergroupMigration(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	const group, super = -4242, -1004242424242
	linkOfficeGroup(h, group)

	// Telegram announces the upgrade with a service message in each chat.
	h.fake.MigrateGroup(group, super, sukadana.user, true)
	h.waitFor("the office link to move", 15*time.Second, func() bool { return h.linkedChats(super) == 1 })
	if n := h.linkedChats(group); n != 0 {
		t.Errorf("the old group is still linked (%d rows)", n)
	}

	if err := h.app.Service.PostRoster(context.Background(), "DISKOMINFO", civil.MustParse("2026-04-07")); err != nil {
		t.Fatalf("PostRoster: %v", err)
	}
	h.reply(super, 1, "Selasa, 7 April 2026")
	h.settle()
	h.waitOutboxEmpty()
	if n := len(h.fake.SentTo(group)); n != 2 {
		t.Errorf("got %d messages to the old group, want the 2 sent before the upgrade", n)
	}
	if n := h.fake.Calls("sendMessage") - len(h.fake.Sent()); n != 0 {
		t.Errorf("%d sends refused, want none (the move was known before the post)", n)
	}
	if n := h.count(`SELECT count(*) FROM outbox WHERE status = 'failed'`); n != 0 {
		t.Errorf("%d outbox rows failed", n)
	}
}

func TestTelegramSupergroupMigrationFoundBySend(t *testing.T) {
	t.Parallel()
	h := start(t, setup{})
	const group, super = -4343, -1004343434343
	linkOfficeGroup(h, group)

	// No service message reached the bot (it was offline past Telegram's
	// 24 hours, or they were filtered): only the next send finds out.
	h.fake.MigrateGroup(group, super, 0, false)
	ctx := context.Background()
	if err := h.app.Service.PostRoster(ctx, "DISKOMINFO", civil.MustParse("2026-04-07")); err != nil {
		t.Fatalf("PostRoster: %v", err)
	}
	h.reply(super, 1, "Selasa, 7 April 2026")
	h.waitOutboxEmpty()
	if h.linkedChats(super) != 1 || h.linkedChats(group) != 0 {
		t.Errorf("office link: %d rows for the supergroup, %d for the old group; want 1 and 0", h.linkedChats(super), h.linkedChats(group))
	}
	if n := h.count(`SELECT count(*) FROM outbox WHERE status = 'failed'`); n != 0 {
		t.Errorf("%d outbox rows failed, want the refused post sent again to the supergroup", n)
	}
	if n := h.count(`SELECT count(*) FROM outbox WHERE chat_id = ? AND status = 'sent'`, strconv.FormatInt(super, 10)); n != 1 {
		t.Errorf("sent outbox rows for the supergroup: got %d, want 1", n)
	}

	// The next post goes straight to the supergroup.
	if err := h.app.Service.PostRoster(ctx, "DISKOMINFO", civil.MustParse("2026-04-08")); err != nil {
		t.Fatalf("PostRoster: %v", err)
	}
	h.reply(super, 2, "Rabu, 8 April 2026")
	h.settle()
	h.waitOutboxEmpty()
	if n := h.fake.Calls("sendMessage") - len(h.fake.Sent()) - h.fake.Count429(); n != 1 {
		t.Errorf("%d sends refused, want 1 (the first post, before the move was known)", n)
	}
	if n := len(h.fake.SentTo(group)); n != 2 {
		t.Errorf("got %d messages to the old group, want the 2 sent before the upgrade", n)
	}
}
