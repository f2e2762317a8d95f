// Package tgfake is an in-process fake of the Telegram Bot API for tests.
// It speaks the same wire format as api.telegram.org (multipart, form or
// JSON requests; {"ok":…} envelopes), keeps an update queue with Telegram's
// offset semantics, enforces Telegram's documented rate limits against an
// injectable clock, and can inject faults (5xx, hangs, blocked chats).
package tgfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// Defaults used when Options leaves a field zero.
const (
	DefaultToken    = "123456789:TEST-fake-token"
	DefaultUsername = "piket_bot"
	DefaultMaxPoll  = 2 * time.Second
)

// Options configures a Server. The zero value is usable.
type Options struct {
	Token    string           // the only accepted token; DefaultToken if empty
	Username string           // the bot's username returned by getMe
	Clock    func() time.Time // for dates and rate limits; time.Now if nil
	Limits   Limits           // Telegram's rate limits; see DefaultLimits
	// MaxPoll caps the long-poll wait of getUpdates (real time, not Clock),
	// so a client asking for timeout=50 does not stall a test.
	MaxPoll time.Duration
	// Immediate makes getUpdates answer at once even when nothing is
	// queued, ignoring timeout, as some emulators and proxies do.
	Immediate bool
}

// SentMessage is one message the bot sent successfully.
type SentMessage struct {
	MessageID   int
	ChatID      int64
	Text        string
	ParseMode   string
	ReplyMarkup json.RawMessage // as sent, or nil
	ReplyTo     int             // replied-to message ID, 0 if none
	Time        time.Time
}

// Webhook is the webhook configuration the bot set.
type Webhook struct {
	URL            string
	SecretToken    string
	MaxConnections int
}

// Server is a fake Telegram Bot API server. All methods are safe for
// concurrent use.
type Server struct {
	ts       *httptest.Server
	token    string
	username string
	botID    int64
	clock    func() time.Time
	maxPoll  time.Duration
	instant  bool

	mu         sync.Mutex
	updates    []queued // pending, ascending update_id
	nextUpdate int64
	notify     chan struct{} // closed and replaced when updates arrive
	nextMsgID  map[int64]int // per chat
	sent       []SentMessage
	commands   []models.BotCommand
	webhook    Webhook
	calls      map[string]int
	n429       int
	faults     []*fault
	blocked    map[int64]string // chat → 403 description
	gone       map[int64]bool   // chat → 400 chat not found
	migrated   map[int64]int64  // group → the supergroup it became
	limiter    *limiter
	closed     chan struct{}
}

type queued struct {
	id  int64
	raw json.RawMessage
}

// New starts a fake server and closes it when the test ends.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := newServer(opts)
	tb.Cleanup(s.Close)
	return s
}

func newServer(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.Username == "" {
		opts.Username = DefaultUsername
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.MaxPoll <= 0 {
		opts.MaxPoll = DefaultMaxPoll
	}
	id, _ := strconv.ParseInt(strings.SplitN(opts.Token, ":", 2)[0], 10, 64)
	s := &Server{
		token:      opts.Token,
		username:   opts.Username,
		botID:      id,
		clock:      opts.Clock,
		maxPoll:    opts.MaxPoll,
		instant:    opts.Immediate,
		nextUpdate: 100000,
		notify:     make(chan struct{}),
		nextMsgID:  make(map[int64]int),
		calls:      make(map[string]int),
		blocked:    make(map[int64]string),
		gone:       make(map[int64]bool),
		migrated:   make(map[int64]int64),
		limiter:    newLimiter(opts.Limits),
		closed:     make(chan struct{}),
	}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// URL is the base URL to pass to bot.WithServerURL.
func (s *Server) URL() string { return s.ts.URL }

// Token is the token the server accepts.
func (s *Server) Token() string { return s.token }

// Username is the bot's username (without "@").
func (s *Server) Username() string { return s.username }

// BotID is the bot's user ID (the token's numeric prefix).
func (s *Server) BotID() int64 { return s.botID }

// Close releases hanging requests and shuts the server down.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		return
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// Sent returns all successfully sent messages in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// SentTo returns the messages sent to one chat, in order.
func (s *Server) SentTo(chatID int64) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SentMessage
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// Count429 is how many requests were answered 429 Too Many Requests.
func (s *Server) Count429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n429
}

// Calls is how many requests reached method (authorized ones only).
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// Commands returns the command list last set with setMyCommands.
func (s *Server) Commands() []models.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]models.BotCommand(nil), s.commands...)
}

// Webhook returns the current webhook configuration (zero if none).
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// Pending is how many updates are queued and not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// BlockChat makes every send to chatID fail with 403, as when a user
// blocked the bot (or, for a group, kicked it).
func (s *Server) BlockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if chatID < 0 {
		s.blocked[chatID] = "Forbidden: bot was kicked from the group chat"
	} else {
		s.blocked[chatID] = "Forbidden: bot was blocked by the user"
	}
}

// DeleteChat makes every send to chatID fail with 400 "chat not found".
func (s *Server) DeleteChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gone[chatID] = true
}

// apiError is a Bot API error reply.
type apiError struct {
	status     int
	desc       string
	retryAfter int
	migrateTo  int64 // parameters.migrate_to_chat_id
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	if !ok {
		writeError(w, apiError{status: http.StatusNotFound, desc: "Not Found"})
		return
	}
	token, method, ok := strings.Cut(rest, "/")
	if !ok || method == "" {
		writeError(w, apiError{status: http.StatusNotFound, desc: "Not Found"})
		return
	}
	if token != s.token {
		writeError(w, apiError{status: http.StatusUnauthorized, desc: "Unauthorized"})
		return
	}
	method = strings.ToLower(method)

	s.mu.Lock()
	s.calls[method]++
	f := s.takeFault(method)
	s.mu.Unlock()
	if f != nil {
		s.applyFault(w, r, f)
		return
	}

	p, err := parseParams(r)
	if err != nil {
		writeError(w, apiError{status: http.StatusBadRequest, desc: "Bad Request: " + err.Error()})
		return
	}

	var result any
	var aerr *apiError
	switch method {
	case "getme":
		result = s.me()
	case "getupdates":
		result, aerr = s.getUpdates(r, p)
	case "sendmessage":
		result, aerr = s.sendMessage(p)
	case "setmycommands":
		result, aerr = s.setMyCommands(p)
	case "deletewebhook":
		result, aerr = s.deleteWebhook(p)
	case "setwebhook":
		result, aerr = s.setWebhook(p)
	case "getwebhookinfo":
		wh := s.Webhook()
		result = map[string]any{"url": wh.URL, "has_custom_certificate": false, "pending_update_count": s.Pending()}
	case "answercallbackquery":
		if p.get("callback_query_id") == "" {
			aerr = &apiError{status: http.StatusBadRequest, desc: "Bad Request: query is too old and response timeout expired or query ID is invalid"}
		} else {
			result = true
		}
	default:
		aerr = &apiError{status: http.StatusNotFound, desc: "Not Found"}
	}
	if aerr != nil {
		if aerr.status == http.StatusTooManyRequests {
			s.mu.Lock()
			s.n429++
			s.mu.Unlock()
		}
		writeError(w, *aerr)
		return
	}
	if raws, ok := result.([]json.RawMessage); ok {
		writeUpdates(w, raws)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

// writeUpdates answers getUpdates with updates already encoded (when they
// were queued): as json.Marshal would, without checking and compacting
// each again, so that a benchmark's fake does not take the CPU the bot
// under test needs.
func writeUpdates(w http.ResponseWriter, raws []json.RawMessage) {
	n := len(`{"ok":true,"result":[]}`) + len(raws)
	for _, r := range raws {
		n += len(r)
	}
	b := make([]byte, 0, n)
	b = append(b, `{"ok":true,"result":[`...)
	for i, r := range raws {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	b = append(b, "]}"...)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, e apiError) {
	body := map[string]any{"ok": false, "error_code": e.status, "description": e.desc}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	if e.migrateTo != 0 {
		body["parameters"] = map[string]any{"migrate_to_chat_id": e.migrateTo}
	}
	writeJSON(w, e.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) me() models.User {
	return models.User{ID: s.botID, IsBot: true, FirstName: "Piket", Username: s.username, CanJoinGroups: true}
}

// params holds request parameters as Telegram sees them: scalars as text,
// objects and arrays as JSON text.
type params map[string]string

func (p params) get(k string) string { return p[k] }

func (p params) int(k string) (int64, bool, error) {
	v, ok := p[k]
	if !ok || v == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, true, fmt.Errorf("field %q must be an integer", k)
	}
	return n, true, nil
}

// parseParams reads the query string and a multipart, urlencoded or JSON
// body, as the Bot API accepts all of them.
func parseParams(r *http.Request) (params, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			p[k] = v[0]
		}
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" || r.Method == http.MethodGet {
		return p, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return nil, fmt.Errorf("bad content type: %w", err)
	}
	switch mt {
	case "multipart/form-data":
		err := r.ParseMultipartForm(10 << 20)
		if errors.Is(err, io.EOF) {
			return p, nil // an empty body: no parameters
		}
		if err != nil {
			return nil, fmt.Errorf("bad multipart body: %w", err)
		}
		for k, v := range r.MultipartForm.Value {
			if len(v) > 0 {
				p[k] = v[0]
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, fmt.Errorf("bad form body: %w", err)
		}
		for k, v := range r.PostForm {
			if len(v) > 0 {
				p[k] = v[0]
			}
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, fmt.Errorf("can't parse JSON body: %w", err)
		}
		for k, raw := range m {
			var str string
			if json.Unmarshal(raw, &str) == nil {
				p[k] = str
				continue
			}
			if string(raw) == "null" {
				continue
			}
			p[k] = string(raw)
		}
	}
	return p, nil
}

// Clock is a manual clock for Options.Clock: time stands still until
// Advance moves it.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
