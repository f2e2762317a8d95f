package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/piket-id/piket/bot"
)

// How long Send asks the outbox to hold all WhatsApp messages while
// disconnected: briefly while whatsmeow reconnects, longer when an operator
// must act (pair again, wait out a ban).
const (
	reconnectWait = 15 * time.Second
	operatorWait  = 5 * time.Minute
)

// Send delivers m as a plain text message and returns WhatsApp's message ID.
// It implements bot.Sender.
//
// Errors: an invalid ChatID wraps bot.ErrPermanent. While disconnected the
// error wraps ErrNotConnected and a global *bot.RetryAfterError. Other
// failures are returned wrapped and may be retried.
func (a *Adapter) Send(ctx context.Context, m bot.Outbound) (string, error) {
	to, err := parseChatID(m.ChatID)
	if err != nil {
		return "", fmt.Errorf("whatsapp: send: %w: %w", bot.ErrPermanent, err)
	}
	if strings.TrimSpace(m.Text) == "" {
		return "", fmt.Errorf("whatsapp: send: %w: empty text", bot.ErrPermanent)
	}
	if !a.client.IsConnected() {
		return "", a.notConnected()
	}
	if err := a.pace.wait(ctx, chatID(to)); err != nil {
		return "", fmt.Errorf("whatsapp: send: %w", err)
	}
	if a.typing {
		a.showTyping(ctx, to, m.Text)
	}
	var extra []whatsmeow.SendRequestExtra
	if a.idSalt != "" && m.ID != 0 {
		extra = append(extra, whatsmeow.SendRequestExtra{ID: OutboxMessageID(a.idSalt, m.ID)})
	}
	msg := &waE2E.Message{Conversation: proto.String(m.Text)}
	if len(m.Mentions) > 0 {
		msg = a.withMentions(ctx, to, m.Text, m.Mentions)
	}
	resp, err := a.client.SendMessage(ctx, to, msg, extra...)
	if err != nil {
		return "", a.sendError(to, err)
	}
	a.log.Debug("whatsapp: sent", "outbox_id", m.ID, "id", resp.ID, "chat", chatID(to))
	return resp.ID, nil
}

// showTyping shows "typing…" for a time that grows with the text (0.5–3s).
// Failures only cost the effect, so they are logged at debug level.
func (a *Adapter) showTyping(ctx context.Context, to types.JID, text string) {
	err := a.client.SendChatPresence(ctx, to, types.ChatPresenceComposing, types.ChatPresenceMediaText)
	if err != nil {
		a.log.Debug("whatsapp: typing presence", "err", err)
		return
	}
	d := time.Duration(utf8.RuneCountInString(text)) * 30 * time.Millisecond
	d = min(max(d, 500*time.Millisecond), 3*time.Second)
	_ = a.sleep(ctx, d) // if ctx ended, SendMessage reports it
}

func (a *Adapter) notConnected() error {
	wait := reconnectWait
	if s := a.Status(); s == StatusLoggedOut || s == StatusBanned {
		wait = operatorWait
	}
	return fmt.Errorf("%w (%s): %w", ErrNotConnected, a.Status(), &bot.RetryAfterError{After: wait, Global: true})
}

// How long Send asks the outbox to hold all WhatsApp messages after
// WhatsApp answered "rate-overlimit" (429): the limit is per number, so the
// whole platform waits.
const rateLimitWait = time.Minute

// sendError classifies a SendMessage failure:
//
//   - not connected or not logged in: a global retry-after (notConnected);
//   - the chat can never be reached: bot.ErrPermanent, and Undeliverable
//     is told why: the bot left or was removed from the group
//     (ErrNotInGroup, 403 on the group's participant list), the group is
//     gone (ErrGroupNotFound, 404), the number is not on WhatsApp ("no LID
//     found", or the server's 404 for the user); other refusals of the
//     chat (server codes 400, 401, 403, 404, 406, 410) end the row too;
//   - rate-overlimit (429): a global *bot.RetryAfterError of a minute;
//   - 463 (the number may not write to new contacts now: WhatsApp's
//     new-chat caps, whatsmeow#1157): a plain error, so the outbox backs
//     off for that message only; a retry-after would hold every chat;
//   - server errors (500, 503 and the rest) and everything else: a plain
//     error, retried with the outbox's backoff.
func (a *Adapter) sendError(to types.JID, err error) error {
	group := to.Server == types.GroupServer
	permanent := func(why string) error {
		if why != "" && a.undeliverable != nil {
			a.undeliverable(chatID(to), group, why)
		}
		return fmt.Errorf("whatsapp: send: %w: %w", bot.ErrPermanent, err)
	}
	switch {
	case errors.Is(err, whatsmeow.ErrNotConnected), errors.Is(err, whatsmeow.ErrNotLoggedIn):
		return fmt.Errorf("whatsapp: send: %w", a.notConnected())
	case errors.Is(err, whatsmeow.ErrUnknownServer), errors.Is(err, whatsmeow.ErrRecipientADJID),
		errors.Is(err, whatsmeow.ErrBroadcastListUnsupported):
		return permanent("")
	case errors.Is(err, whatsmeow.ErrNotInGroup):
		return permanent(bot.WhyNotInGroup)
	case errors.Is(err, whatsmeow.ErrGroupNotFound):
		return permanent(bot.WhyGroupNotFound)
	case strings.Contains(err.Error(), "no LID found"):
		// whatsmeow's words when the server knows no account for a number.
		return permanent(bot.WhyNotOnPlatform)
	}
	code := serverCode(err)
	switch code {
	case 403:
		if group {
			return permanent(bot.WhyNotInGroup)
		}
		return permanent(bot.WhyRefused)
	case 404:
		if group {
			return permanent(bot.WhyGroupNotFound)
		}
		return permanent(bot.WhyNotOnPlatform)
	case 400, 401, 406, 410:
		return permanent(bot.WhyRefused)
	case 429:
		return fmt.Errorf("whatsapp: send: %w: %w", err, &bot.RetryAfterError{After: rateLimitWait, Global: true})
	case 463:
		a.log.Warn("whatsapp: WhatsApp limits this number's messages to new contacts; let staff write to the bot first")
	}
	return fmt.Errorf("whatsapp: send: %w", err)
}

// serverCode is the status code of an error WhatsApp's server answered
// with (an info query's, or a message's "error" attribute), or 0.
func serverCode(err error) int {
	var iq *whatsmeow.IQError
	if errors.As(err, &iq) {
		return iq.Code
	}
	if errors.Is(err, whatsmeow.ErrServerReturnedError) {
		// whatsmeow formats it as "server returned error <code>".
		msg := err.Error()
		k := strings.LastIndex(msg, whatsmeow.ErrServerReturnedError.Error())
		rest := strings.TrimSpace(msg[k+len(whatsmeow.ErrServerReturnedError.Error()):])
		end := 0
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		if n, err := strconv.Atoi(rest[:end]); err == nil {
			return n
		}
	}
	return 0
}

// OutboxMessageID is the WhatsApp message ID of outbox message id: the
// same for every attempt, so a resend after a lost acknowledgement is the
// same message to WhatsApp, not a second one. The salt (random, stored once
// per database) keeps IDs of a fresh database from repeating old ones.
func OutboxMessageID(salt string, id int64) types.MessageID {
	h := sha256.Sum256([]byte(salt + ":" + strconv.FormatInt(id, 10)))
	return types.MessageID(whatsmeow.WebMessageIDPrefix + strings.ToUpper(hex.EncodeToString(h[:9])))
}
