package telegram

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/piket-id/piket/bot"
)

// This file is the only place that formats and parses Telegram IDs as the
// core's opaque strings.
//
//   - chat ID: the chat's decimal ID ("123456789", "-1001234567890")
//   - sender ID: the user's decimal ID
//   - message ID: "<chat ID>:<message ID>", since Telegram numbers messages
//     per chat. It is the same whether the message came by polling or by
//     webhook, and on every redelivery, so the core can dedupe on it. A bot
//     other than the primary one prefixes it with its account name
//     ("dinkes/<chat ID>:<message ID>"): each bot numbers the messages of
//     its own chats.

func chatKey(id int64) string { return strconv.FormatInt(id, 10) }

func userKey(id int64) string { return strconv.FormatInt(id, 10) }

func messageKey(chat int64, msg int) string {
	return strconv.FormatInt(chat, 10) + ":" + strconv.Itoa(msg)
}

// parseChatKey parses a chat ID made by chatKey.
func parseChatKey(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("bad telegram chat ID %q", s)
	}
	return id, nil
}

// accountKey prefixes a message key with the bot's account name (none for
// the primary bot).
func accountKey(account, key string) string {
	if account == "" || key == "" {
		return key
	}
	return account + "/" + key
}

// accountHandler gives each message of a bot other than the primary one
// its account, and its message keys the account's prefix.
type accountHandler struct {
	h       bot.Handler
	account string
}

func (h accountHandler) Handle(ctx context.Context, in bot.Inbound) error {
	in.Account = h.account
	in.MessageID = accountKey(h.account, in.MessageID)
	in.ReplyTo = accountKey(h.account, in.ReplyTo)
	return h.h.Handle(ctx, in)
}
