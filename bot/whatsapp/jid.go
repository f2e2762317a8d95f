package whatsapp

// This file is the only place in Piket that converts between WhatsApp JIDs
// and the opaque strings the core stores (ChatID, SenderID, SenderPhone).
//
//	ChatID      the chat's JID without device part: "62812…@s.whatsapp.net",
//	            "1203…@g.us", or "2598…@lid" for a LID-addressed private chat.
//	            Send also accepts a bare E.164 number ("+62812…").
//	SenderID    the sender's phone number digits ("62812…") when known; a
//	            sender whose number is hidden behind a LID and cannot be
//	            resolved is "2598…@lid" instead, so the two never collide.
//	SenderPhone "+62812…" when the phone number is known, else empty.

import (
	"errors"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/types"
)

// errInvalidChatID is wrapped (with bot.ErrPermanent) by Send for chat IDs
// that can never be delivered to.
var errInvalidChatID = errors.New("whatsapp: invalid chat ID")

// chatID is the opaque chat ID for jid.
func chatID(jid types.JID) string {
	return jid.ToNonAD().String()
}

// parseChatID parses a chat ID produced by chatID, or a bare international
// phone number, into a JID that can be sent to. Errors never quote the ID,
// which may be a phone number.
func parseChatID(id string) (types.JID, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return types.EmptyJID, fmt.Errorf("%w: empty", errInvalidChatID)
	}
	if !strings.Contains(id, "@") {
		digits := strings.TrimPrefix(id, "+")
		if !validPhoneDigits(digits) {
			return types.EmptyJID, fmt.Errorf("%w: not a JID or an international phone number", errInvalidChatID)
		}
		return types.NewJID(digits, types.DefaultUserServer), nil
	}
	jid, err := types.ParseJID(id)
	if err != nil {
		return types.EmptyJID, fmt.Errorf("%w: %w", errInvalidChatID, err)
	}
	jid = jid.ToNonAD()
	switch jid.Server {
	case types.DefaultUserServer:
		if !validPhoneDigits(jid.User) {
			return types.EmptyJID, fmt.Errorf("%w: bad phone number", errInvalidChatID)
		}
	case types.GroupServer, types.HiddenUserServer:
		if jid.User == "" {
			return types.EmptyJID, fmt.Errorf("%w: empty user", errInvalidChatID)
		}
	default:
		return types.EmptyJID, fmt.Errorf("%w: unsupported server %q", errInvalidChatID, jid.Server)
	}
	return jid, nil
}

// validPhoneDigits reports whether s looks like an international phone
// number without "+": digits only, not starting with 0, 7 to 15 long.
func validPhoneDigits(s string) bool {
	if len(s) < 7 || len(s) > 15 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isPN reports whether jid is a phone-number user JID.
func isPN(jid types.JID) bool {
	return jid.Server == types.DefaultUserServer && validPhoneDigits(jid.User)
}

// isLID reports whether jid is a LID (hidden phone number) user JID.
func isLID(jid types.JID) bool {
	return jid.Server == types.HiddenUserServer && jid.User != ""
}

// phoneOf is the E.164 form of a phone-number JID.
func phoneOf(pn types.JID) string {
	return "+" + pn.User
}

// senderIDs returns SenderID and SenderPhone for a sender whose phone-number
// JID is pn (empty when unknown) and whose own JID is sender.
func senderIDs(sender, pn types.JID) (id, phone string) {
	if isPN(pn) {
		return pn.User, phoneOf(pn)
	}
	return chatID(sender), ""
}

// sameUser reports whether a and b name the same account (ignoring device).
func sameUser(a, b types.JID) bool {
	return a.User != "" && a.User == b.User && a.Server == b.Server
}

// parseMention parses a JID from a message's mention list; ok is false if
// it does not parse.
func parseMention(s string) (types.JID, bool) {
	if !strings.Contains(s, "@") {
		return types.EmptyJID, false
	}
	jid, err := types.ParseJID(s)
	if err != nil {
		return types.EmptyJID, false
	}
	return jid, true
}

// acceptedChat reports whether messages in chat are for Piket at all:
// private chats and groups that Send can answer, not status updates,
// broadcast lists or channels (newsletters).
func acceptedChat(chat types.JID) bool {
	_, err := parseChatID(chatID(chat))
	return err == nil
}
