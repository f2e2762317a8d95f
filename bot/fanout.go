package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/piket-id/piket/store"
)

// toPerson queues text to a person on every platform they can be reached
// on: each linked account with a known private chat, and each implicit
// platform (the console). With a key, each copy gets the dedupe key
// key:platform:chat, so it is queued at most once whatever runs twice.
// It returns how many copies were queued.
func (s *Service) toPerson(ctx context.Context, tx *store.Tx, st store.Staff, key, text string, now time.Time) (int, error) {
	return s.toPersonExcept(ctx, tx, st, key, text, now, "")
}

// toPersonExcept is toPerson leaving out one platform.
func (s *Service) toPersonExcept(ctx context.Context, tx *store.Tx, st store.Staff, key, text string, now time.Time, skip Platform) (int, error) {
	return s.toPersonAs(ctx, tx, st, store.PriorityDefault, key, text, now, skip)
}

// toPersonAs is toPersonExcept with the outbox priority prio (zero: the
// one the key implies, see store.DefaultPriority).
func (s *Service) toPersonAs(ctx context.Context, tx *store.Tx, st store.Staff, prio store.Priority, key, text string, now time.Time, skip Platform) (int, error) {
	ids, err := tx.Identities(ctx, st.ID)
	if err != nil {
		return 0, err
	}
	return enqueueAllAs(ctx, tx, s.personChats(st, ids, skip), false, prio, key, text, now)
}

// personChats lists the private chats of st: each implicit platform's and
// each linked account's with a known chat, leaving out platform skip.
func (s *Service) personChats(st store.Staff, ids []store.Identity, skip Platform) []store.GroupChat {
	var chats []store.GroupChat
	for _, a := range s.implicit {
		if a.Platform() != skip {
			chats = append(chats, store.GroupChat{Platform: string(a.Platform()), ChatID: a.PersonChat(st.NIP)})
		}
	}
	for _, id := range ids {
		if id.ChatID != "" && id.Platform != string(skip) {
			account := s.accountOf(Platform(id.Platform), st.Office.Code)
			chats = append(chats, store.GroupChat{Platform: id.Platform, ChatID: id.ChatID, Account: account})
		}
	}
	return chats
}

// enqueueAll queues text to each chat; with a key, each copy gets the
// dedupe key key:platform:chat. It returns how many were queued.
func enqueueAll(ctx context.Context, tx *store.Tx, chats []store.GroupChat, group bool, key, text string, now time.Time) (int, error) {
	return enqueueAllAs(ctx, tx, chats, group, store.PriorityDefault, key, text, now)
}

// enqueueAllAs is enqueueAll with the outbox priority prio (zero: the one
// the key implies).
func enqueueAllAs(ctx context.Context, tx *store.Tx, chats []store.GroupChat, group bool, prio store.Priority, key, text string, now time.Time) (int, error) {
	queued := 0
	for _, c := range chats {
		m := store.OutMsg{Platform: c.Platform, Account: c.Account, ChatID: c.ChatID, Group: group, Text: text, Priority: prio}
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

// notifyStaff is toPerson for a message being handled.
func (t *turn) notifyStaff(st store.Staff, text, dedupeKey string) error {
	n, err := t.s.toPerson(t.ctx, t.tx, st, dedupeKey, text, t.now)
	t.queued += n
	if err != nil {
		return errStore{err}
	}
	return nil
}

// WarnAdmins queues the operator notice text to every active office admin
// on every platform but skip (the one that failed). key makes it
// idempotent: the same key never queues twice.
func (s *Service) WarnAdmins(ctx context.Context, text, key string, skip Platform) error {
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		queued = 0
		admins, err := tx.Admins(ctx)
		if err != nil {
			return err
		}
		now := s.now()
		for _, a := range admins {
			n, err := s.toPersonExcept(ctx, tx, a, key+":"+a.NIP, text, now, skip)
			queued += n
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bot: warn admins: %w", err)
	}
	if queued > 0 {
		s.notify()
	}
	return nil
}
