package tgfake

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"
)

// MaxTextLen is Telegram's limit on a message text, in UTF-16 code units.
const MaxTextLen = 4096

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) getUpdates(r *http.Request, p params) (any, *apiError) {
	offset, _, err := p.int("offset")
	if err != nil {
		return nil, badRequest(err.Error())
	}
	limit, hasLimit, err := p.int("limit")
	if err != nil {
		return nil, badRequest(err.Error())
	}
	if !hasLimit || limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _, err := p.int("timeout")
	if err != nil {
		return nil, badRequest(err.Error())
	}
	wait := min(time.Duration(max(timeout, 0))*time.Second, s.maxPoll)
	if s.instant {
		wait = 0
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()

	for {
		s.mu.Lock()
		if s.webhook.URL != "" {
			s.mu.Unlock()
			return nil, &apiError{status: http.StatusConflict, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		s.confirm(offset)
		offset = 0 // confirm once; later rounds only wait
		out := make([]json.RawMessage, 0, min(int(limit), len(s.updates)))
		for _, u := range s.updates {
			if len(out) == int(limit) {
				break
			}
			out = append(out, u.raw)
		}
		notify := s.notify
		s.mu.Unlock()

		if len(out) > 0 || wait == 0 {
			return out, nil
		}
		select {
		case <-notify:
		case <-deadline.C:
			return []json.RawMessage{}, nil
		case <-r.Context().Done():
			return []json.RawMessage{}, nil
		case <-s.closed:
			return []json.RawMessage{}, nil
		}
	}
}

// confirm drops updates as getUpdates' offset does: a positive offset drops
// every update with a smaller ID forever; a negative one keeps only the
// last -offset updates. Called with s.mu held.
func (s *Server) confirm(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.updates) && s.updates[i].id < offset {
			i++
		}
		s.updates = s.updates[i:]
	case offset < 0:
		if keep := int(-offset); keep < len(s.updates) {
			s.updates = s.updates[len(s.updates)-keep:]
		}
	}
}

func (s *Server) sendMessage(p params) (any, *apiError) {
	chatID, ok, err := p.int("chat_id")
	if err != nil || !ok {
		return nil, badRequest("Bad Request: chat not found")
	}
	text := p.get("text")
	if text == "" {
		return nil, badRequest("Bad Request: message text is empty")
	}
	if len(utf16.Encode([]rune(text))) > MaxTextLen {
		return nil, badRequest("Bad Request: message is too long")
	}
	switch pm := p.get("parse_mode"); pm {
	case "", "Markdown", "MarkdownV2", "HTML":
	default:
		return nil, badRequest("Bad Request: unsupported parse_mode")
	}
	var markup json.RawMessage
	if rm := p.get("reply_markup"); rm != "" {
		var v map[string]json.RawMessage
		if json.Unmarshal([]byte(rm), &v) != nil {
			return nil, badRequest("Bad Request: can't parse reply keyboard markup JSON object")
		}
		markup = json.RawMessage(rm)
	}
	replyTo, _, err := p.int("reply_to_message_id")
	if err != nil {
		return nil, badRequest(err.Error())
	}
	if rp := p.get("reply_parameters"); rp != "" {
		var v models.ReplyParameters
		if json.Unmarshal([]byte(rp), &v) != nil {
			return nil, badRequest("Bad Request: can't parse reply parameters JSON object")
		}
		replyTo = int64(v.MessageID)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gone[chatID] {
		return nil, badRequest("Bad Request: chat not found")
	}
	if to, ok := s.migrated[chatID]; ok {
		return nil, &apiError{status: http.StatusBadRequest, desc: "Bad Request: group chat was upgraded to a supergroup chat", migrateTo: to}
	}
	if desc, ok := s.blocked[chatID]; ok {
		return nil, &apiError{status: http.StatusForbidden, desc: desc}
	}
	now := s.clock()
	if after := s.limiter.allow(now, chatID); after > 0 {
		return nil, &apiError{
			status:     http.StatusTooManyRequests,
			desc:       "Too Many Requests: retry after " + strconv.Itoa(after),
			retryAfter: after,
		}
	}
	s.nextMsgID[chatID]++
	m := SentMessage{
		MessageID:   s.nextMsgID[chatID],
		ChatID:      chatID,
		Text:        text,
		ParseMode:   p.get("parse_mode"),
		ReplyMarkup: markup,
		ReplyTo:     int(replyTo),
		Time:        now,
	}
	s.sent = append(s.sent, m)
	me := s.me()
	return models.Message{
		ID:   m.MessageID,
		From: &me,
		Date: int(now.Unix()),
		Chat: chatOf(chatID),
		Text: text,
	}, nil
}

func (s *Server) setMyCommands(p params) (any, *apiError) {
	raw := p.get("commands")
	if raw == "" {
		return nil, badRequest("Bad Request: parameter \"commands\" is required")
	}
	var cmds []models.BotCommand
	if err := json.Unmarshal([]byte(raw), &cmds); err != nil {
		return nil, badRequest("Bad Request: can't parse commands JSON object")
	}
	if len(cmds) > 100 {
		return nil, badRequest("Bad Request: too many commands specified")
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("Bad Request: BOT_COMMAND_INVALID")
		}
		if n := len([]rune(c.Description)); n < 1 || n > 256 {
			return nil, badRequest("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands = cmds
	return true, nil
}

func (s *Server) setWebhook(p params) (any, *apiError) {
	url := p.get("url")
	secret := p.get("secret_token")
	if !validSecret(secret) {
		return nil, badRequest("Bad Request: secret token contains unallowed characters")
	}
	maxConn, _, err := p.int("max_connections")
	if err != nil {
		return nil, badRequest(err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if url == "" {
		s.webhook = Webhook{}
		return true, nil
	}
	s.webhook = Webhook{URL: url, SecretToken: secret, MaxConnections: int(maxConn)}
	if p.get("drop_pending_updates") == "true" {
		s.updates = nil
	}
	return true, nil
}

func (s *Server) deleteWebhook(p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = Webhook{}
	if p.get("drop_pending_updates") == "true" {
		s.updates = nil
	}
	return true, nil
}

// validSecret reports whether a webhook secret fits Telegram's rule:
// 1–256 characters A-Z, a-z, 0-9, _ and -. Empty means none.
func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func badRequest(desc string) *apiError {
	if !strings.HasPrefix(desc, "Bad Request: ") {
		desc = "Bad Request: " + desc
	}
	return &apiError{status: http.StatusBadRequest, desc: desc}
}

// chatOf describes a chat from its ID alone: negative IDs are groups
// (-100… supergroups), positive ones private chats with that user.
func chatOf(id int64) models.Chat {
	switch {
	case id <= -1000000000000:
		return models.Chat{ID: id, Type: models.ChatTypeSupergroup, Title: "Supergroup " + strconv.FormatInt(id, 10)}
	case id < 0:
		return models.Chat{ID: id, Type: models.ChatTypeGroup, Title: "Group " + strconv.FormatInt(id, 10)}
	default:
		return models.Chat{ID: id, Type: models.ChatTypePrivate, FirstName: "User" + strconv.FormatInt(id, 10)}
	}
}
