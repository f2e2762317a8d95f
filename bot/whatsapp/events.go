package whatsapp

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/piket-id/piket/bot"
)

// handleEvent is registered with whatsmeow. It returns false only when a
// message could not be handed to the core; whatsmeow then withholds the
// receipt so that WhatsApp delivers the message again.
func (a *Adapter) handleEvent(rawEvt any) bool {
	if a.connEvent(rawEvt) { // connection lifecycle: supervisor.go
		return true
	}
	switch evt := rawEvt.(type) {
	case *events.Message:
		return a.handleMessage(evt)
	case *events.UndecryptableMessage:
		a.log.Warn("whatsapp: received a message that could not be decrypted", "id", evt.Info.ID)
	case *events.HistorySync:
		// Old chat history the phone shares after pairing: never acted on.
	}
	return true
}

// handleMessage converts evt and passes it to the core, retrying briefly on
// failure.
func (a *Adapter) handleMessage(evt *events.Message) (ok bool) {
	ctx := a.context()
	defer func() {
		// A panic in the core must not take whatsmeow down; acknowledging
		// the message stops WhatsApp from redelivering a poison message.
		if r := recover(); r != nil {
			a.log.Error("whatsapp: handler panicked; message dropped", "id", evt.Info.ID, "panic", fmt.Sprint(r))
			ok = true
		}
	}()
	in, accept := a.toInbound(ctx, evt)
	if !accept {
		return true
	}
	a.log.Debug("whatsapp: message", "id", in.MessageID, "chat", in.ChatID, "sender", in.SenderID,
		"group", in.Group, "addressed", in.Addressed, "text", in.Text)

	const attempts = 3
	var err error
	for i := range attempts {
		if i > 0 {
			if a.sleep(ctx, time.Duration(i)*time.Second) != nil {
				break
			}
		}
		hctx, cancel := context.WithTimeout(ctx, a.handleTimeout)
		// The same batching path as Telegram's: whatsmeow hands over one
		// message at a time and acknowledges it when this returns, so a
		// batch holds one message; it shares the store's group commit.
		err = bot.HandleAll(hctx, a.handler, []bot.Inbound{in}, nil)[0]
		cancel()
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			break
		}
	}
	a.log.Error("whatsapp: handle message failed; WhatsApp will deliver it again", "id", in.MessageID, "err", err)
	return false
}

// toInbound converts a WhatsApp message into the core's Inbound. It returns
// false for everything Piket ignores: its own messages, status updates,
// broadcast lists and channels, reactions, edits and revocations, and
// messages without text. It never panics on missing fields.
//
// A group message is Addressed when its text starts with "/", when it
// mentions the bot (by number or LID), or when it replies to one of the
// bot's messages (answering a roster post, say); private messages always
// are.
func (a *Adapter) toInbound(ctx context.Context, evt *events.Message) (bot.Inbound, bool) {
	if evt == nil || evt.Message == nil {
		return bot.Inbound{}, false
	}
	info := &evt.Info
	if info.IsFromMe || info.ID == "" || !acceptedChat(info.Chat) {
		return bot.Inbound{}, false
	}
	msg := evt.Message
	if evt.IsEdit || info.Edit != types.EditAttributeEmpty ||
		msg.GetProtocolMessage() != nil || msg.GetEncReactionMessage() != nil {
		return bot.Inbound{}, false
	}
	sender := info.Sender.ToNonAD()
	if !isPN(sender) && !isLID(sender) {
		return bot.Inbound{}, false
	}
	group := info.Chat.Server == types.GroupServer // Info.IsGroup also covers broadcast lists, rejected above

	var text, replyTo string
	var addressed bool
	if r := msg.GetReactionMessage(); r != nil {
		// A thumbs-up (or 🙏 ✅ 👌, any skin tone) on a message acknowledges
		// it like a reply saying "ok": the core decides whether the reacted
		// message was an alert. Other reactions, and removing one, are
		// chatter.
		if !ackReaction(r.GetText()) || r.GetKey().GetID() == "" {
			return bot.Inbound{}, false
		}
		text, replyTo, addressed = "ok", r.GetKey().GetID(), true
	} else {
		var ci *waE2E.ContextInfo
		text, ci = textOf(msg)
		if strings.TrimSpace(text) == "" {
			return bot.Inbound{}, false
		}
		replyTo = ci.GetStanzaID()
		addressed = !group || strings.HasPrefix(strings.TrimSpace(text), "/") || a.mentionsMe(ci)
	}

	pn := a.phoneJID(ctx, sender, info.SenderAlt)
	if !isPN(pn) && group && addressed {
		pn = a.phoneFromGroup(ctx, info.Chat, sender)
	}
	senderID, phone := senderIDs(sender, pn)
	in := bot.Inbound{
		Platform:    bot.WhatsApp,
		MessageID:   info.ID,
		ChatID:      chatID(info.Chat),
		SenderID:    senderID,
		SenderPhone: phone,
		Group:       group,
		Text:        text,
		Time:        info.Timestamp.UTC(),
		ReplyTo:     replyTo,
		Addressed:   addressed,
	}
	if group {
		in.SenderChat = chatID(sender) // a private chat with them
	}
	return in, true
}

// ackEmoji are the reactions that acknowledge a message, without skin
// tone and variation selector.
var ackEmoji = map[string]bool{"👍": true, "🙏": true, "✅": true, "👌": true, "✔": true}

// ackReaction reports whether a reaction's emoji acknowledges.
func ackReaction(emoji string) bool {
	base := strings.Map(func(r rune) rune {
		if r == 0xFE0F || r >= 0x1F3FB && r <= 0x1F3FF { // variation selector-16, skin tones
			return -1
		}
		return r
	}, strings.TrimSpace(emoji))
	return ackEmoji[base]
}

// textOf returns the text of msg (body or media caption) and the context
// info (reply, mentions) that goes with it.
func textOf(msg *waE2E.Message) (string, *waE2E.ContextInfo) {
	if t := msg.GetConversation(); t != "" {
		return t, nil
	}
	if m := msg.GetExtendedTextMessage(); m != nil {
		return m.GetText(), m.GetContextInfo()
	}
	if m := msg.GetImageMessage(); m != nil {
		return m.GetCaption(), m.GetContextInfo()
	}
	if m := msg.GetVideoMessage(); m != nil {
		return m.GetCaption(), m.GetContextInfo()
	}
	if m := msg.GetDocumentMessage(); m != nil {
		return m.GetCaption(), m.GetContextInfo()
	}
	return "", nil
}

// phoneJID finds the phone-number JID of sender: sender itself, its
// alternate address, or the LID store's mapping. It returns an empty JID
// when the number is unknown.
func (a *Adapter) phoneJID(ctx context.Context, sender, alt types.JID) types.JID {
	if isPN(sender) {
		return sender
	}
	if alt = alt.ToNonAD(); isPN(alt) {
		return alt
	}
	if a.lids == nil || !isLID(sender) {
		return types.EmptyJID
	}
	pn, err := a.lids.GetPNForLID(ctx, sender)
	if err != nil {
		a.log.Warn("whatsapp: resolve LID", "err", err)
		return types.EmptyJID
	}
	if pn = pn.ToNonAD(); isPN(pn) {
		return pn
	}
	a.log.Debug("whatsapp: LID without known phone number", "lid", sender.String())
	return types.EmptyJID
}

// phoneFromGroup looks sender (a LID) up in group's participant list,
// which carries the phone number of each member, and remembers the
// mapping in the LID store so the next message resolves at once. It
// returns an empty JID when the list does not help.
func (a *Adapter) phoneFromGroup(ctx context.Context, group, sender types.JID) types.JID {
	if a.groups == nil || !isLID(sender) {
		return types.EmptyJID
	}
	info, err := a.groups.GetGroupInfo(ctx, group)
	if err != nil || info == nil {
		a.log.Warn("whatsapp: read group participants to resolve a LID", "err", err)
		return types.EmptyJID
	}
	for _, p := range info.Participants {
		if !sameUser(p.LID.ToNonAD(), sender) && !sameUser(p.JID.ToNonAD(), sender) {
			continue
		}
		pn := p.PhoneNumber.ToNonAD()
		if !isPN(pn) {
			return types.EmptyJID
		}
		if w, ok := a.lids.(LIDWriter); ok {
			if err := w.PutLIDMapping(ctx, sender, pn); err != nil {
				a.log.Warn("whatsapp: remember LID mapping", "err", err)
			}
		}
		return pn
	}
	return types.EmptyJID
}

// mentionsMe reports whether ci mentions the bot, or quotes one of its
// messages (a reply to the bot).
func (a *Adapter) mentionsMe(ci *waE2E.ContextInfo) bool {
	if ci == nil || a.device == nil {
		return false
	}
	me, meLID := a.device.GetJID().ToNonAD(), a.device.GetLID().ToNonAD()
	isMe := func(s string) bool {
		jid, ok := parseMention(s)
		return ok && (sameUser(jid, me) || sameUser(jid, meLID))
	}
	for _, m := range ci.GetMentionedJID() {
		if isMe(m) {
			return true
		}
	}
	return isMe(ci.GetParticipant())
}
