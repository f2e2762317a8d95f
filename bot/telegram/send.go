package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/bot"
)

// MaxTextLen is Telegram's limit on one message text, in UTF-16 code units.
const MaxTextLen = 4096

// Send delivers one outbound message as plain text (no parse mode, so no
// escaping is needed). A text longer than MaxTextLen is split on line
// boundaries into several messages, sent in order; the ID of the last one
// is returned. If a part fails, a retry of the same outbox ID resumes with
// that part instead of repeating the ones already sent (as long as this
// process lives).
//
// Errors: *bot.RetryAfterError on 429; an error wrapping bot.ErrPermanent
// when Telegram refuses the message for good (403 blocked or kicked, 400
// chat not found or other bad requests); any other error is retryable.
func (a *Adapter) Send(ctx context.Context, m bot.Outbound) (string, error) {
	if m.Platform != "" && m.Platform != bot.Telegram {
		return "", fmt.Errorf("telegram: send: message for platform %q: %w", m.Platform, bot.ErrPermanent)
	}
	chat, err := parseChatKey(m.ChatID)
	if err != nil {
		return "", fmt.Errorf("telegram: send: %w: %w", bot.ErrPermanent, err)
	}
	if strings.TrimSpace(m.Text) == "" {
		return "", fmt.Errorf("telegram: send: empty text: %w", bot.ErrPermanent)
	}
	chat = a.moved.get(chat)
	parts := splitText(m.Text, MaxTextLen)
	start, lastID := a.sends.resume(m.ID, len(parts))
	followed := false
	for i := start; i < len(parts); i++ {
		params := &tgbot.SendMessageParams{ChatID: chat, Text: parts[i]}
		if m.RequestContact && i == len(parts)-1 {
			params.ReplyMarkup = &models.ReplyKeyboardMarkup{
				Keyboard:        [][]models.KeyboardButton{{{Text: a.opts.ContactButton, RequestContact: true}}},
				OneTimeKeyboard: true,
				ResizeKeyboard:  true,
			}
		}
		msg, err := a.client.SendMessage(ctx, params)
		if to, ok := migrateTo(err); ok && !followed {
			// The group became a supergroup: move its link and send
			// this part again, to the new chat.
			followed = true
			if merr := a.moveChat(ctx, chatMove{from: chat, to: to}); merr != nil {
				a.sends.save(m.ID, i, len(parts), lastID)
				return "", fmt.Errorf("telegram: send: group %d became supergroup %d: %w", chat, to, merr)
			}
			chat = to
			i--
			continue
		}
		if err != nil {
			a.sends.save(m.ID, i, len(parts), lastID)
			err = sendError(err)
			a.observe(ctx, "sendMessage", err)
			a.log.Debug("telegram: send failed", "outbox_id", m.ID, "chat", m.ChatID, "part", i+1, "parts", len(parts), "err", err)
			return "", err
		}
		a.observe(ctx, "sendMessage", nil)
		lastID = messageKey(chat, msg.ID)
	}
	a.sends.done(m.ID)
	a.log.Debug("telegram: sent", "outbox_id", m.ID, "chat", m.ChatID, "parts", len(parts), "message_id", lastID)
	return lastID, nil
}

// sendError maps a go-telegram/bot error to the core's send errors.
func sendError(err error) error {
	var tooMany *tgbot.TooManyRequestsError
	if errors.As(err, &tooMany) {
		// Telegram's 429 does not say whether the chat or the whole bot
		// is limited; it is almost always the chat (1/s, 20/min in groups).
		return &bot.RetryAfterError{After: time.Duration(max(tooMany.RetryAfter, 1)) * time.Second}
	}
	var migrated *tgbot.MigrateError
	if errors.As(err, &migrated) {
		return fmt.Errorf("telegram: send: group became supergroup %d: %w: %w", migrated.MigrateToChatID, bot.ErrPermanent, err)
	}
	switch {
	case errors.Is(err, tgbot.ErrorForbidden), errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorNotFound):
		return fmt.Errorf("telegram: send: %w: %w", bot.ErrPermanent, err)
	default:
		// Network errors, 5xx, 401 (a revoked token is fixed by the
		// operator, not by dropping messages), 409: retry.
		return fmt.Errorf("telegram: send: %w", err)
	}
}

// splitText splits text into parts of at most limit UTF-16 code units,
// preferring line breaks, then spaces; a part never ends inside a rune.
// Parts are trimmed of the line break they were split at.
func splitText(text string, limit int) []string {
	var parts []string
	for utf16Len(text) > limit {
		cut := cutPoint(text, limit)
		part := strings.TrimRight(text[:cut], "\n")
		if strings.TrimSpace(part) != "" {
			parts = append(parts, part)
		}
		text = strings.TrimLeft(text[cut:], "\n")
	}
	if strings.TrimSpace(text) != "" || len(parts) == 0 {
		parts = append(parts, text)
	}
	return parts
}

// cutPoint returns the byte index at which to cut text so that text[:i]
// has at most limit UTF-16 units: after the last line break that fits, else
// after the last space, else at the last whole rune.
func cutPoint(text string, limit int) int {
	units, fit := 0, 0
	lastNL, lastSpace := -1, -1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		n := max(utf16.RuneLen(r), 1)
		if units+n > limit {
			break
		}
		units += n
		i += size
		fit = i
		switch r {
		case '\n':
			lastNL = fit
		case ' ', '\t':
			lastSpace = fit
		}
	}
	switch {
	case lastNL > 0:
		return lastNL
	case lastSpace > 0:
		return lastSpace
	case fit > 0:
		return fit
	default:
		return len(text) // only if limit < 2
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

func modelsCommand(c Command) models.BotCommand {
	return models.BotCommand{Command: c.Name, Description: c.Description}
}

// progressTable remembers how far a split message got, by outbox ID, so a
// retry does not resend parts. It is bounded: when full it forgets
// everything (at worst a part is sent twice).
type progressTable struct {
	mu sync.Mutex
	m  map[int64]progress
}

type progress struct {
	sent   int    // parts delivered
	parts  int    // parts in total
	lastID string // message ID of the last part delivered
}

const maxProgress = 1024

func (t *progressTable) resume(id int64, parts int) (int, string) {
	if id == 0 {
		return 0, ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	p, ok := t.m[id]
	if !ok || p.parts != parts {
		return 0, ""
	}
	return p.sent, p.lastID
}

func (t *progressTable) save(id int64, sent, parts int, lastID string) {
	if id == 0 || sent == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil || len(t.m) >= maxProgress {
		t.m = make(map[int64]progress)
	}
	t.m[id] = progress{sent: sent, parts: parts, lastID: lastID}
}

func (t *progressTable) done(id int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, id)
}
