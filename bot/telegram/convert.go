package telegram

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/bot"
)

// identity is what conversion needs to know about the bot itself.
type identity struct {
	id       int64  // the bot's user ID
	username string // without "@"; may be empty when unknown
}

// decodeUpdate decodes one update. It never panics: a panic in a custom
// decoder of the models package becomes an error.
func decodeUpdate(raw []byte) (u *models.Update, err error) {
	defer func() {
		if r := recover(); r != nil {
			u, err = nil, fmt.Errorf("decode update: panic: %v", r)
		}
	}()
	u = new(models.Update)
	if err := json.Unmarshal(raw, u); err != nil {
		return nil, fmt.Errorf("decode update: %w", err)
	}
	return u, nil
}

// rawUpdateID reads only update_id, for an update that does not decode as
// a whole (a shape newer than our models), so it can still be skipped.
func rawUpdateID(raw []byte) (int64, bool) {
	var v struct {
		ID *int64 `json:"update_id"`
	}
	if json.Unmarshal(raw, &v) != nil || v.ID == nil {
		return 0, false
	}
	return *v.ID, true
}

// convert turns an update into an Inbound for the core. If the update is
// nothing the core handles it returns ok false and a short reason for the
// debug log.
func convert(u *models.Update, me identity) (in bot.Inbound, reason string, ok bool) {
	switch {
	case u == nil:
		return in, "empty", false
	case u.EditedMessage != nil:
		return in, "edited message", false
	case u.ChannelPost != nil, u.EditedChannelPost != nil:
		return in, "channel post", false
	case u.CallbackQuery != nil:
		return in, "callback query", false
	case u.Message == nil:
		return in, "not a message", false
	}
	m := u.Message
	switch {
	case m.Chat.ID == 0:
		return in, "no chat", false
	case m.Chat.Type == models.ChatTypeChannel:
		return in, "channel message", false
	case m.From == nil || m.From.ID == 0:
		return in, "no sender", false
	case m.SenderChat != nil:
		return in, "sent on behalf of a chat", false
	case m.From.IsBot:
		return in, "from a bot", false
	case m.ForwardOrigin != nil:
		return in, "forwarded", false
	case isService(m):
		return in, "service message", false
	}
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	if text == "" && m.Contact == nil && m.Location == nil {
		return in, "no text", false
	}

	group := m.Chat.Type == models.ChatTypeGroup || m.Chat.Type == models.ChatTypeSupergroup
	in = bot.Inbound{
		Platform:  bot.Telegram,
		MessageID: messageKey(m.Chat.ID, m.ID),
		ChatID:    chatKey(m.Chat.ID),
		SenderID:  userKey(m.From.ID),
		Group:     group,
		Time:      time.Unix(int64(m.Date), 0).UTC(),
		Addressed: !group,
	}
	if r := m.ReplyToMessage; r != nil {
		chat := r.Chat.ID
		if chat == 0 {
			chat = m.Chat.ID
		}
		in.ReplyTo = messageKey(chat, r.ID)
		if group && me.id != 0 && r.From != nil && r.From.ID == me.id {
			in.Addressed = true // a reply to the bot's own message
		}
	}
	if c := m.Contact; c != nil {
		in.Contact = &bot.Contact{Phone: c.PhoneNumber}
		if c.UserID != 0 {
			in.Contact.UserID = userKey(c.UserID)
		}
	}

	if l := m.Location; l != nil {
		in.Location = &bot.Location{Lat: l.Latitude, Lon: l.Longitude}
	}

	text, command, forUs := stripCommandTarget(text, me.username)
	if command && group {
		in.Addressed = forUs
	}
	if group && !command {
		var mentioned bool
		text, mentioned = stripMention(text, me.username)
		if mentioned || textMentions(m, me.id) {
			in.Addressed = true
		}
	}
	in.Text = text
	return in, "", true
}

// isService reports whether m is a service message (members joined or
// left, title changed, pinned message, migration, …).
func isService(m *models.Message) bool {
	return len(m.NewChatMembers) > 0 || m.LeftChatMember != nil || m.NewChatTitle != "" ||
		len(m.NewChatPhoto) > 0 || m.DeleteChatPhoto || m.GroupChatCreated ||
		m.SupergroupChatCreated || m.ChannelChatCreated || m.MigrateToChatID != 0 ||
		m.MigrateFromChatID != 0 || m.PinnedMessage != nil || m.MessageAutoDeleteTimerChanged != nil ||
		m.ForumTopicCreated != nil || m.ForumTopicEdited != nil || m.ForumTopicClosed != nil ||
		m.ForumTopicReopened != nil || m.VoiceChatStarted != nil || m.VoiceChatEnded != nil ||
		m.VoiceChatScheduled != nil || m.VoiceChatParticipantsInvited != nil || m.WriteAccessAllowed != nil ||
		m.ProximityAlertTriggered != nil || m.BoostAdded != nil || m.ChatBackgroundSet != nil ||
		m.UsersShared != nil || m.ChatShared != nil || m.WebAppData != nil || m.SuccessfulPayment != nil
}

// stripCommandTarget handles a leading "/command@botname": it drops the
// "@botname" when it names this bot (or the bot's name is unknown).
// command reports whether text starts with a command; forUs whether that
// command is meant for this bot rather than another bot in the group.
func stripCommandTarget(text, username string) (out string, command, forUs bool) {
	if !strings.HasPrefix(text, "/") || len(text) < 2 {
		return text, false, false
	}
	end := strings.IndexFunc(text, unicode.IsSpace)
	if end < 0 {
		end = len(text)
	}
	word, rest := text[:end], text[end:]
	name, target, found := strings.Cut(word, "@")
	if !found {
		return text, true, true
	}
	if username != "" && !strings.EqualFold(target, username) {
		return text, true, false
	}
	return name + rest, true, true
}

// stripMention reports whether text mentions @username and removes a
// leading mention ("@piket_bot hadir" → "hadir").
func stripMention(text, username string) (string, bool) {
	if username == "" {
		return text, false
	}
	n := len(username)
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || i+1+n > len(text) || !strings.EqualFold(text[i+1:i+1+n], username) {
			continue
		}
		end := i + 1 + n
		if end < len(text) && isNameByte(text[end]) {
			continue // "@piket_bot2" is someone else
		}
		if i > 0 && isNameByte(text[i-1]) {
			continue // "a@piket_bot" is an e-mail address
		}
		if i == 0 {
			return strings.TrimLeftFunc(text[end:], func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ':' }), true
		}
		return text, true
	}
	return text, false
}

func isNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf
}

// textMentions reports whether m mentions the bot by a text_mention entity
// (a mention of a user without a username, by ID).
func textMentions(m *models.Message, botID int64) bool {
	if botID == 0 {
		return false
	}
	for _, es := range [][]models.MessageEntity{m.Entities, m.CaptionEntities} {
		for _, e := range es {
			if e.Type == models.MessageEntityTypeTextMention && e.User != nil && e.User.ID == botID {
				return true
			}
		}
	}
	return false
}
