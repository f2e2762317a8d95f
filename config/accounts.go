package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Several bot accounts: telegram.bots and whatsapp.accounts add accounts
// beside the primary one (telegram.token, whatsapp.session_db). Each
// account serves the offices listed under it; every office not listed is
// served by the primary account. An account is stored in the outbox by its
// key: "" for the primary, its name for the others, so a deployment with
// one account stores nothing new and adding accounts later moves nothing.

// PrimaryAccount is the name of the primary account of a platform when
// telegram.bots or whatsapp.accounts does not name it.
const PrimaryAccount = "utama"

// TelegramBot is one extra Telegram bot (telegram.bots[i]).
type TelegramBot struct {
	Name  string `yaml:"name"`
	Token string `yaml:"token"`
	// Username is the bot's @username, shown to people who write to the
	// wrong bot; empty: asked from Telegram (getMe) at start.
	Username string `yaml:"username"`
	// APIURL overrides telegram.api_url for this bot (a Bot API server of
	// its own).
	APIURL  string   `yaml:"api_url"`
	Offices []string `yaml:"offices"`
}

// WhatsAppAccount is one extra WhatsApp number (whatsapp.accounts[i]).
type WhatsAppAccount struct {
	Name string `yaml:"name"`
	// SessionDB is the paired device's session file; empty:
	// piket-whatsapp-NAME.db beside whatsapp.session_db.
	SessionDB string `yaml:"session_db"`
	// Phone is the number shown to people who write to the wrong number
	// (+62…); empty: the paired device's own number.
	Phone   string   `yaml:"phone"`
	Offices []string `yaml:"offices"`
}

// Account is one bot account of a platform as the rest of Piket sees it.
type Account struct {
	Key     string // "" for the primary account, else Name: the outbox's account column
	Name    string // for logs, health and the operator
	Index   int    // position: 0 is the primary
	Token   string // Telegram
	APIURL  string // Telegram
	Handle  string // Telegram @username or WhatsApp number; may be empty
	Session string // WhatsApp session file
	Offices []string
}

// Label names the account in health checks and metrics: the platform for
// the primary account, "platform:name" for the others.
func (a Account) Label(platform string) string {
	if a.Key == "" {
		return platform
	}
	return platform + ":" + a.Key
}

var accountName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// TelegramBots returns the Telegram bots, the primary first (empty when
// none is configured).
func (c *Config) TelegramBots() []Account {
	var out []Account
	if strings.TrimSpace(c.Telegram.Token) != "" {
		out = append(out, Account{Name: PrimaryAccount, Token: c.Telegram.Token, APIURL: c.Telegram.APIURL})
	}
	for _, b := range c.Telegram.Bots {
		api := b.APIURL
		if api == "" {
			api = c.Telegram.APIURL
		}
		out = append(out, Account{Name: b.Name, Key: b.Name, Token: b.Token, APIURL: api,
			Handle: strings.TrimPrefix(b.Username, "@"), Offices: b.Offices})
	}
	return primaryFirst(out)
}

// WhatsAppAccounts returns the WhatsApp numbers, the primary first (the
// whatsapp.session_db device), then whatsapp.accounts.
func (c *Config) WhatsAppAccounts() []Account {
	out := []Account{{Name: PrimaryAccount, Session: c.WhatsApp.SessionDB}}
	for _, w := range c.WhatsApp.Accounts {
		out = append(out, Account{Name: w.Name, Key: w.Name, Session: w.session(c.WhatsApp.SessionDB), Handle: w.Phone, Offices: w.Offices})
	}
	return primaryFirst(out)
}

// primaryFirst numbers the accounts and gives the first the primary key.
func primaryFirst(out []Account) []Account {
	for i := range out {
		out[i].Index = i
	}
	if len(out) > 0 {
		out[0].Key = ""
	}
	return out
}

func (w WhatsAppAccount) session(primary string) string {
	if w.SessionDB != "" {
		return w.SessionDB
	}
	return filepath.Join(filepath.Dir(primary), "piket-whatsapp-"+w.Name+".db")
}

// AccountFor returns the key of the account that serves office on
// platform ("telegram" or "whatsapp"): the account listing it, else the
// primary ("").
func (c *Config) AccountFor(platform, office string) string {
	var accounts []Account
	switch platform {
	case "telegram":
		accounts = c.TelegramBots()
	case "whatsapp":
		accounts = c.WhatsAppAccounts()
	}
	for _, a := range accounts {
		for _, o := range a.Offices {
			if o == office {
				return a.Key
			}
		}
	}
	return ""
}

// WhatsAppAccount returns the WhatsApp account named name ("" or the
// primary's name: the primary). The error lists the names there are.
func (c *Config) WhatsAppAccount(name string) (Account, error) {
	accounts := c.WhatsAppAccounts()
	if name == "" {
		return accounts[0], nil
	}
	var names []string
	for _, a := range accounts {
		if a.Name == name {
			return a, nil
		}
		names = append(names, a.Name)
	}
	return Account{}, fmt.Errorf("unknown WhatsApp account %q: whatsapp.accounts has %s", name, strings.Join(names, ", "))
}

// validateAccounts checks telegram.bots and whatsapp.accounts: names,
// tokens and session files unique, each office on at most one account.
func (c *Config) validateAccounts() error {
	if c.Telegram.Enabled && len(c.TelegramBots()) == 0 {
		return errors.New("telegram.token: required when telegram.enabled is true (set it or ${TELEGRAM_TOKEN}, or list telegram.bots)")
	}
	tokens := map[string]string{}
	for i, b := range c.Telegram.Bots {
		key := fmt.Sprintf("telegram.bots[%d]", i)
		if strings.TrimSpace(b.Token) == "" {
			return fmt.Errorf("%s.token: required (the token @BotFather gave bot %q)", key, b.Name)
		}
		if b.APIURL != "" && !strings.HasPrefix(b.APIURL, "http://") && !strings.HasPrefix(b.APIURL, "https://") {
			return fmt.Errorf("%s.api_url: %q is not an http(s) URL", key, b.APIURL)
		}
		if c.Telegram.Token == b.Token {
			return fmt.Errorf("%s.token: the same bot as telegram.token: a bot is listed once", key)
		}
		if other, ok := tokens[b.Token]; ok {
			return fmt.Errorf("%s.token: the same bot as %s: a bot is listed once", key, other)
		}
		tokens[b.Token] = key
	}
	if c.Telegram.Enabled && len(c.TelegramBots()) > 1 && c.Telegram.Mode != "polling" {
		return errors.New("telegram.mode: several bots (telegram.bots) run in polling mode only")
	}
	sessions := map[string]string{filepath.Clean(c.WhatsApp.SessionDB): "whatsapp.session_db"}
	for i, w := range c.WhatsApp.Accounts {
		key := fmt.Sprintf("whatsapp.accounts[%d]", i)
		if !accountName.MatchString(w.Name) {
			break // reported below with the other names
		}
		s := filepath.Clean(w.session(c.WhatsApp.SessionDB))
		if other, ok := sessions[s]; ok {
			return fmt.Errorf("%s.session_db: %q is also %s: each number has its own session file", key, s, other)
		}
		sessions[s] = key + ".session_db"
	}
	if err := checkAccounts("telegram.bots", "bot", c.TelegramBots(), c.Telegram.Token != ""); err != nil {
		return err
	}
	return checkAccounts("whatsapp.accounts", "number", c.WhatsAppAccounts(), true)
}

// checkAccounts checks the names and office lists of one platform's
// accounts; withPrimary: accounts[0] is not from the list (it is
// telegram.token or whatsapp.session_db).
func checkAccounts(list, what string, accounts []Account, withPrimary bool) error {
	names := map[string]string{}
	owner := map[string]string{}
	for i, a := range accounts {
		key := fmt.Sprintf("%s[%d]", list, i)
		if withPrimary {
			key = fmt.Sprintf("%s[%d]", list, i-1)
			if i == 0 {
				names[a.Name] = "the primary " + what
				continue
			}
		}
		if !accountName.MatchString(a.Name) {
			return fmt.Errorf("%s.name: %q is not a name (lower-case letters, digits, - and _, at most 32)", key, a.Name)
		}
		if other, ok := names[a.Name]; ok {
			return fmt.Errorf("%s.name: %q is already %s", key, a.Name, other)
		}
		names[a.Name] = key
		for _, o := range a.Offices {
			if o != strings.ToUpper(o) || strings.TrimSpace(o) == "" {
				return fmt.Errorf("%s.offices: %q: office codes are upper case", key, o)
			}
			if other, ok := owner[o]; ok {
				return fmt.Errorf("%s.offices: office %s is also on %s: an office is served by one %s", key, o, other, what)
			}
			owner[o] = fmt.Sprintf("%s %q (%s)", what, a.Name, key)
		}
	}
	return nil
}

// Capacity is how many people one account can send the check-in reminder
// to between the reminder and the deadline: its send rate times the
// window.
type Capacity struct {
	Window  time.Duration // reminders.checkin to checkin.deadline
	PerSec  float64       // messages per second the account sends
	Reached int           // messages in the window
}

// TelegramSendRate is the rate the outbox sends at on one Telegram bot:
// 29 a second (Telegram allows about 30; see outbox.TelegramLimits).
const TelegramSendRate = 29.0

// ReminderWindow is the time between the check-in reminder and the
// check-in deadline (top-level settings); at least a minute.
func (c *Config) ReminderWindow() time.Duration {
	w := time.Duration(c.Checkin.Deadline.Minutes()-c.Reminders.CheckIn.Minutes()) * time.Minute
	return max(w, time.Minute)
}

// TelegramCapacity is what one Telegram bot delivers in the reminder
// window.
func (c *Config) TelegramCapacity() Capacity {
	w := c.ReminderWindow()
	return Capacity{Window: w, PerSec: TelegramSendRate, Reached: int(TelegramSendRate * w.Seconds())}
}

// WhatsAppCapacity is what one WhatsApp number delivers in the reminder
// window: one message per global_interval plus half the jitter on
// average (the per-chat interval does not bind: one reminder a person).
func (c *Config) WhatsAppCapacity() Capacity {
	w := c.ReminderWindow()
	iv := max(c.WhatsApp.Global, 0) + max(c.WhatsApp.Jitter, 0)/2
	if iv <= 0 {
		iv = 100 * time.Millisecond // no pacing configured: what one connection sends, roughly
	}
	rate := float64(time.Second) / float64(iv)
	return Capacity{Window: w, PerSec: rate, Reached: int(rate * w.Seconds())}
}
