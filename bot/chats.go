package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/piket-id/piket/store"
)

// askToRegisterPrivately answers, in private and at most once a day, a
// stranger who addressed the bot in a group, with how to register. The
// group itself never hears of it.
func (t *turn) askToRegisterPrivately() error {
	if t.in.SenderChat == "" || t.in.SenderID == "" {
		return nil
	}
	_, queued, err := t.tx.Enqueue(t.ctx, store.OutMsg{
		Platform: string(t.in.Platform), Account: t.in.Account, ChatID: t.in.SenderChat,
		Text:      t.s.t.Chat.UnknownInGroup(t.in.Platform),
		DedupeKey: "unknown-in-group:" + string(t.in.Platform) + ":" + t.in.SenderID + ":" + t.now.UTC().Format(time.DateOnly),
	}, t.now)
	if err != nil {
		return errStore{err}
	}
	if queued {
		t.queued++
	}
	return nil
}

// WarnUndeliverable tells the admins of the office a chat belongs to
// (every admin when the chat's office is unknown), on every platform,
// that messages to chat on platform cannot be delivered, and why (one of
// the Why… constants). It warns once per chat and day.
func (s *Service) WarnUndeliverable(ctx context.Context, platform Platform, chat string, group bool, why string) error {
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		queued = 0
		v := UndeliverableView{Platform: platform, Group: group, ChatID: chat, Why: why}
		owner, err := tx.ChatOwner(ctx, string(platform), chat)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		var admins []store.Staff
		if owner.OfficeID != 0 {
			v.Office = owner.OfficeCode
			if owner.Staff != nil {
				v.Person = owner.Staff.Name
			}
			if admins, err = tx.OfficeAdmins(ctx, owner.OfficeID); err != nil {
				return err
			}
		}
		if len(admins) == 0 { // unknown chat, or an office without admins
			if admins, err = tx.Admins(ctx); err != nil {
				return err
			}
		}
		now := s.now()
		key := "undeliverable:" + string(platform) + ":" + chat + ":" + now.UTC().Format(time.DateOnly)
		text := s.t.Chat.Undeliverable(v)
		for _, a := range admins {
			ids, err := tx.Identities(ctx, a.ID)
			if err != nil {
				return err
			}
			// Not to the chat that cannot be reached.
			chats := s.personChats(a, ids, "")
			for i := 0; i < len(chats); i++ {
				if chats[i].Platform == string(platform) && chats[i].ChatID == chat {
					chats = append(chats[:i], chats[i+1:]...)
					i--
				}
			}
			n, err := enqueueAll(ctx, tx, chats, false, key+":"+a.NIP, text, now)
			queued += n
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bot: warn of an undeliverable chat: %w", err)
	}
	if queued > 0 {
		s.notify()
	}
	return nil
}

// dutyMentions lists, per platform, the user IDs of the linked accounts
// of the people on duty, so that a roster post mentions (and notifies)
// each of them.
func dutyMentions(ctx context.Context, tx *store.Tx, duty []dutyPerson) (map[string][]string, error) {
	out := map[string][]string{}
	for _, p := range duty {
		ids, err := tx.Identities(ctx, p.Staff.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id.Platform] = append(out[id.Platform], id.ExternalID)
		}
	}
	return out, nil
}

// toGroupsMentioning is toGroups where each platform's copy mentions
// mentions[platform].
func (s *Service) toGroupsMentioning(ctx context.Context, tx *store.Tx, office store.Office, key, text string, now time.Time, mentions map[string][]string) (int, error) {
	chats, err := tx.OfficeChats(ctx, office.ID)
	if err != nil {
		return 0, err
	}
	for _, a := range s.implicit {
		chats = append(chats, store.GroupChat{Platform: string(a.Platform()), ChatID: a.GroupChat(office.Code)})
	}
	queued := 0
	for _, c := range chats {
		m := store.OutMsg{Platform: c.Platform, Account: c.Account, ChatID: c.ChatID, Group: true, Text: text, Mentions: mentions[c.Platform], Priority: store.PriorityBulk}
		if key != "" {
			m.DedupeKey = key + ":" + c.Platform + ":" + c.ChatID
		}
		_, ok, err := tx.Enqueue(ctx, m, now)
		if err != nil {
			return queued, err
		}
		if ok {
			queued++
		}
	}
	return queued, nil
}
