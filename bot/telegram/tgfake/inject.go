package tgfake

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/go-telegram/bot/models"
)

// Inject queues an update for getUpdates. A zero update ID is replaced by
// the next one; the ID used is returned. Injecting wakes long polls.
func (s *Server) Inject(u models.Update) int64 {
	s.mu.Lock()
	if u.ID == 0 {
		s.nextUpdate++
		u.ID = s.nextUpdate
	} else if u.ID > s.nextUpdate {
		s.nextUpdate = u.ID
	}
	s.mu.Unlock()
	raw, err := json.Marshal(&u)
	if err != nil {
		panic(fmt.Sprintf("tgfake: marshal update: %v", err))
	}
	s.enqueue(u.ID, raw)
	return u.ID
}

// InjectMany queues many updates at once, as Inject does each, waking
// long polls once: a flood arrives at the server all together (the
// end-to-end benchmark). IDs are assigned in order.
func (s *Server) InjectMany(us []models.Update) {
	raws := make([]queued, len(us))
	s.mu.Lock()
	for i := range us {
		s.nextUpdate++
		us[i].ID = s.nextUpdate
		raws[i].id = us[i].ID
	}
	s.mu.Unlock()
	for i := range us {
		raw, err := json.Marshal(&us[i])
		if err != nil {
			panic(fmt.Sprintf("tgfake: marshal update: %v", err))
		}
		raws[i].raw = raw
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, raws...)
	slices.SortStableFunc(s.updates, func(a, b queued) int { return cmp.Compare(a.id, b.id) })
	close(s.notify)
	s.notify = make(chan struct{})
}

// InjectRaw queues an update given as JSON, for shapes models.Update cannot
// express. Its update_id is overwritten with the next ID, which is returned.
func (s *Server) InjectRaw(raw string) int64 {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		panic(fmt.Sprintf("tgfake: InjectRaw: %v", err))
	}
	s.mu.Lock()
	s.nextUpdate++
	id := s.nextUpdate
	s.mu.Unlock()
	m["update_id"] = json.RawMessage(fmt.Sprint(id))
	b, _ := json.Marshal(m)
	s.enqueue(id, b)
	return id
}

func (s *Server) enqueue(id int64, raw json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := len(s.updates)
	for i > 0 && s.updates[i-1].id > id {
		i--
	}
	s.updates = append(s.updates, queued{})
	copy(s.updates[i+1:], s.updates[i:])
	s.updates[i] = queued{id: id, raw: raw}
	close(s.notify)
	s.notify = make(chan struct{})
}

// NewMessage builds a message from user fromID in chatID (negative IDs are
// groups, positive ones private chats) with the chat's next message ID and
// the current date. It is not queued; wrap it in an update and Inject it.
func (s *Server) NewMessage(chatID, fromID int64, text string) *models.Message {
	s.mu.Lock()
	s.nextMsgID[chatID]++
	id := s.nextMsgID[chatID]
	now := s.clock()
	s.mu.Unlock()
	return &models.Message{
		ID:   id,
		From: &models.User{ID: fromID, FirstName: fmt.Sprintf("User%d", fromID), LanguageCode: "id"},
		Date: int(now.Unix()),
		Chat: chatOf(chatID),
		Text: text,
	}
}

// Text queues a text message from fromID in chatID and returns it.
func (s *Server) Text(chatID, fromID int64, text string) *models.Message {
	m := s.NewMessage(chatID, fromID, text)
	s.Inject(models.Update{Message: m})
	return m
}

// PrivateText queues a text message from userID in its private chat.
func (s *Server) PrivateText(userID int64, text string) *models.Message {
	return s.Text(userID, userID, text)
}

// Reply queues a text message replying to the message replyTo.
func (s *Server) Reply(chatID, fromID int64, replyTo *models.Message, text string) *models.Message {
	m := s.NewMessage(chatID, fromID, text)
	m.ReplyToMessage = replyTo
	s.Inject(models.Update{Message: m})
	return m
}

// Edited queues an edited_message update for orig with new text.
func (s *Server) Edited(orig *models.Message, text string) {
	m := *orig
	m.Text = text
	m.EditDate = int(s.clock().Unix())
	s.Inject(models.Update{EditedMessage: &m})
}

// Forwarded queues a message fromID forwarded into chatID, originally
// written by originUserID.
func (s *Server) Forwarded(chatID, fromID, originUserID int64, text string) *models.Message {
	m := s.NewMessage(chatID, fromID, text)
	m.ForwardOrigin = &models.MessageOrigin{
		Type: models.MessageOriginTypeUser,
		MessageOriginUser: &models.MessageOriginUser{
			Date:       m.Date - 60,
			SenderUser: models.User{ID: originUserID, FirstName: fmt.Sprintf("User%d", originUserID)},
		},
	}
	s.Inject(models.Update{Message: m})
	return m
}

// Sticker queues a sticker message (no text).
func (s *Server) Sticker(chatID, fromID int64) *models.Message {
	m := s.NewMessage(chatID, fromID, "")
	m.Sticker = &models.Sticker{FileID: "CAACAgIAAxkBAAEfake", FileUniqueID: "AgADfake", Type: "regular", Width: 512, Height: 512, Emoji: "👍"}
	s.Inject(models.Update{Message: m})
	return m
}

// Photo queues a photo message with an optional caption (no text).
func (s *Server) Photo(chatID, fromID int64, caption string) *models.Message {
	m := s.NewMessage(chatID, fromID, "")
	m.Photo = []models.PhotoSize{{FileID: "AgACAgUAAxkBAAIfake", FileUniqueID: "AQADfake", Width: 1280, Height: 960}}
	m.Caption = caption
	s.Inject(models.Update{Message: m})
	return m
}

// Contact queues a shared contact card in chatID from fromID. The card's
// owner is contactUserID (equal to fromID when users share their own
// number with the "share my phone number" button; 0 for a card typed in).
func (s *Server) Contact(chatID, fromID int64, phone string, contactUserID int64) *models.Message {
	m := s.NewMessage(chatID, fromID, "")
	m.Contact = &models.Contact{PhoneNumber: phone, FirstName: fmt.Sprintf("User%d", contactUserID), UserID: contactUserID}
	s.Inject(models.Update{Message: m})
	return m
}

// MembersJoined queues a new_chat_members service message in group chatID.
func (s *Server) MembersJoined(chatID, fromID int64, newIDs ...int64) *models.Message {
	m := s.NewMessage(chatID, fromID, "")
	for _, id := range newIDs {
		m.NewChatMembers = append(m.NewChatMembers, models.User{ID: id, FirstName: fmt.Sprintf("User%d", id)})
	}
	s.Inject(models.Update{Message: m})
	return m
}

// MigrateGroup upgrades the group chat from to the supergroup to, as
// Telegram does when a group's admin turns on a supergroup feature: from
// then on every send to from is answered 400 "group chat was upgraded to a
// supergroup chat" with parameters.migrate_to_chat_id. With announce, the
// two service messages Telegram sends are queued, by user by: one in the
// old group with migrate_to_chat_id and one in the supergroup with
// migrate_from_chat_id. Without, the bot learns of it only from a send.
func (s *Server) MigrateGroup(from, to, by int64, announce bool) {
	s.mu.Lock()
	s.migrated[from] = to
	s.mu.Unlock()
	if !announce {
		return
	}
	old := s.NewMessage(from, by, "")
	old.MigrateToChatID = to
	s.Inject(models.Update{Message: old})
	nw := s.NewMessage(to, by, "")
	nw.MigrateFromChatID = from
	s.Inject(models.Update{Message: nw})
}
