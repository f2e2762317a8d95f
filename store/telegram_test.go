package store

import (
	"context"
	"slices"
	"testing"
)

func TestTelegramOffset(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	o := s.TelegramOffsets("123456:SECRET")
	got, err := o.TelegramOffset(ctx)
	if err != nil || got != 0 {
		t.Fatalf("fresh database: got %d, %v, want 0, nil", got, err)
	}
	for _, want := range []int64{100001, 100005, 1 << 40} {
		if err := o.SetTelegramOffset(ctx, want); err != nil {
			t.Fatal(err)
		}
		if got, err := o.TelegramOffset(ctx); err != nil || got != want {
			t.Errorf("after SetTelegramOffset(%d): got %d, %v", want, got, err)
		}
	}
	// Another bot (a new token) starts from the beginning.
	if got, err := s.TelegramOffsets("999:OTHER").TelegramOffset(ctx); err != nil || got != 0 {
		t.Errorf("another bot: got %d, %v, want 0", got, err)
	}
	// The secret part of the token is never stored.
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM settings WHERE key LIKE '%SECRET%' OR value LIKE '%SECRET%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("token secret stored in settings (%d rows, %v)", n, err)
	}
	if err := s.SetSetting(ctx, o.key, "junk"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.TelegramOffset(ctx); err == nil {
		t.Error("bad stored value: got no error")
	}
}

func TestTelegramMoveChat(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed(t, s)
	const old, super, other = "-4001", "-1004001", "-4002"
	var officeID, by int64
	if err := s.DB().QueryRow(`SELECT id FROM staff ORDER BY id LIMIT 1`).Scan(&by); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, func(tx *Tx) error {
		o, err := tx.OfficeByCode(ctx, "DISKOMINFO")
		if err != nil {
			return err
		}
		officeID = o.ID
		for _, c := range []string{old, other} {
			if err := tx.LinkOfficeChat(ctx, o.ID, GroupChat{Platform: "telegram", ChatID: c}, by, now); err != nil {
				return err
			}
		}
		// The same chat ID on another platform is another chat.
		if err := tx.LinkOfficeChat(ctx, o.ID, GroupChat{Platform: "whatsapp", ChatID: old}, by, now); err != nil {
			return err
		}
		for _, m := range []OutMsg{
			{Platform: "telegram", ChatID: old, Group: true, Text: "pending", DedupeKey: "k1"},
			{Platform: "telegram", ChatID: old, Group: true, Text: "sent", DedupeKey: "k2"},
			{Platform: "telegram", ChatID: other, Group: true, Text: "other group"},
		} {
			if _, _, err := tx.Enqueue(ctx, m, now); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var sentID int64
	if err := s.DB().QueryRow(`SELECT id FROM outbox WHERE dedupe_key = 'k2'`).Scan(&sentID); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(ctx, sentID, old+":1", now); err != nil {
		t.Fatal(err)
	}

	chats := s.TelegramChats()
	for range 2 { // idempotent
		if err := chats.MoveChat(ctx, old, super); err != nil {
			t.Fatal(err)
		}
	}
	links := func() []GroupChat {
		t.Helper()
		var got []GroupChat
		if err := s.Write(ctx, func(tx *Tx) error {
			var err error
			got, err = tx.OfficeChats(ctx, officeID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := []GroupChat{{Platform: "telegram", ChatID: super}, {Platform: "telegram", ChatID: other}, {Platform: "whatsapp", ChatID: old}}
	if got := links(); !slices.Equal(got, want) {
		t.Errorf("office chats after the move: got %v, want %v", got, want)
	}
	for _, c := range []struct{ text, chat string }{{"pending", super}, {"sent", old}, {"other group", other}} {
		var chat string
		if err := s.DB().QueryRow(`SELECT chat_id FROM outbox WHERE text = ?`, c.text).Scan(&chat); err != nil || chat != c.chat {
			t.Errorf("outbox row %q: chat %q, %v; want %q", c.text, chat, err, c.chat)
		}
	}

	// The supergroup was linked already (an admin sent /grup in it before
	// the move was known): the old link goes, no duplicate.
	if err := s.Write(ctx, func(tx *Tx) error {
		return tx.LinkOfficeChat(ctx, officeID, GroupChat{Platform: "telegram", ChatID: "-4003"}, by, now)
	}); err != nil {
		t.Fatal(err)
	}
	if err := chats.MoveChat(ctx, "-4003", super); err != nil {
		t.Fatal(err)
	}
	if got := links(); !slices.Equal(got, want) {
		t.Errorf("office chats after moving onto a linked chat: got %v, want %v", got, want)
	}
}
