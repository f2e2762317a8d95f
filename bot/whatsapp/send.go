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
	resp, err := a.client.SendMessage(ctx, to, &waE2E.Message{Conversation: proto.String(m.Text)}, extra...)
	if err != nil {
		return "", a.sendError(err)
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

// sendError classifies a SendMessage failure.
func (a *Adapter) sendError(err error) error {
	switch {
	case errors.Is(err, whatsmeow.ErrNotConnected), errors.Is(err, whatsmeow.ErrNotLoggedIn):
		return fmt.Errorf("whatsapp: send: %w", a.notConnected())
	case errors.Is(err, whatsmeow.ErrUnknownServer), errors.Is(err, whatsmeow.ErrRecipientADJID),
		errors.Is(err, whatsmeow.ErrBroadcastListUnsupported):
		return fmt.Errorf("whatsapp: send: %w: %w", bot.ErrPermanent, err)
	}
	return fmt.Errorf("whatsapp: send: %w", err)
}

// OutboxMessageID is the WhatsApp message ID of outbox message id: the
// same for every attempt, so a resend after a lost acknowledgement is the
// same message to WhatsApp, not a second one. The salt (random, stored once
// per database) keeps IDs of a fresh database from repeating old ones.
func OutboxMessageID(salt string, id int64) types.MessageID {
	h := sha256.Sum256([]byte(salt + ":" + strconv.FormatInt(id, 10)))
	return types.MessageID(whatsmeow.WebMessageIDPrefix + strings.ToUpper(hex.EncodeToString(h[:9])))
}
