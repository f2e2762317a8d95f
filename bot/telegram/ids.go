package telegram

import (
	"fmt"
	"strconv"
	"strings"
)

// This file is the only place that formats and parses Telegram IDs as the
// core's opaque strings.
//
//   - chat ID: the chat's decimal ID ("123456789", "-1001234567890")
//   - sender ID: the user's decimal ID
//   - message ID: "<chat ID>:<message ID>", since Telegram numbers messages
//     per chat. It is the same whether the message came by polling or by
//     webhook, and on every redelivery, so the core can dedupe on it.

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
