// Package config reads Piket's YAML configuration: file, then ${ENV}
// expansion, then defaults, then Validate. Every error names the key.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/piket-id/piket/civil"
)

// Config is the whole configuration. config.example.yaml documents every key.
type Config struct {
	Database  string            `yaml:"database"`
	Language  string            `yaml:"language"`
	Timezone  string            `yaml:"timezone"`
	Checkin   Checkin           `yaml:"checkin"`
	Console   Console           `yaml:"console"`
	Telegram  Telegram          `yaml:"telegram"`
	WhatsApp  WhatsApp          `yaml:"whatsapp"`
	Offices   map[string]Office `yaml:"offices"`
	Log       Log               `yaml:"log"`
	Roster    Roster            `yaml:"roster"`
	Reminders Reminders         `yaml:"reminders"`
	Leave     Leave             `yaml:"leave"`
	HTTP      HTTP              `yaml:"http"`
	Retention Retention         `yaml:"retention"`
	Health    Health            `yaml:"health"`
	Web       Web               `yaml:"web"`

	// DatabaseSynchronous is "full" (a confirmed write survives a power
	// cut) or "normal" (it survives a crash of Piket, not of the machine).
	DatabaseSynchronous string `yaml:"database_synchronous"`
}

// Leave configures leave-home reports. Under offices.CODE.leave, unset
// (zero) keys inherit the top-level value.
type Leave struct {
	EscalateAfter   time.Duration `yaml:"escalate_after"`   // unacknowledged this long (working time): escalate
	WorkingHours    string        `yaml:"working_hours"`    // "07:30-16:00", office-local, Monday to Friday
	NightEscalation *bool         `yaml:"night_escalation"` // true: count escalation time around the clock
	DefaultDuration time.Duration `yaml:"default_duration"` // expected absence when none is given
	ReturnGrace     time.Duration `yaml:"return_grace"`     // after the overdue reminder, then the supervisor is told
}

// ParseHours reads working hours "HH:MM-HH:MM" (start before end).
func ParseHours(s string) (start, end TimeOfDay, err error) {
	a, b, ok := strings.Cut(s, "-")
	if ok {
		start, err = ParseTimeOfDay(a)
	}
	if ok && err == nil {
		end, err = ParseTimeOfDay(b)
	}
	if !ok || err != nil || start.Minutes() >= end.Minutes() {
		return TimeOfDay{}, TimeOfDay{}, fmt.Errorf("%q is not working hours HH:MM-HH:MM", s)
	}
	return start, end, nil
}

func (l Leave) validate(key string) error {
	if l.EscalateAfter < 0 || l.DefaultDuration < 0 || l.ReturnGrace < 0 {
		return fmt.Errorf("%s: durations must not be negative", key)
	}
	if l.WorkingHours != "" {
		if _, _, err := ParseHours(l.WorkingHours); err != nil {
			return fmt.Errorf("%s.working_hours: %w", key, err)
		}
	}
	return nil
}

// LeaveFor returns an office's leave settings: its overrides over the defaults.
func (c *Config) LeaveFor(code string) Leave {
	l := c.Leave
	o := c.Offices[code].Leave
	if o.EscalateAfter > 0 {
		l.EscalateAfter = o.EscalateAfter
	}
	if o.WorkingHours != "" {
		l.WorkingHours = o.WorkingHours
	}
	if o.NightEscalation != nil {
		l.NightEscalation = o.NightEscalation
	}
	if o.DefaultDuration > 0 {
		l.DefaultDuration = o.DefaultDuration
	}
	if o.ReturnGrace > 0 {
		l.ReturnGrace = o.ReturnGrace
	}
	return l
}

// Checkin configures the daily check-in.
type Checkin struct {
	Deadline TimeOfDay `yaml:"deadline"` // a check-in after this local time is late
	// MaxDelay: a message sent longer than this before it was received (or
	// on an earlier local day) is stored with its sent time, flagged delayed.
	MaxDelay time.Duration `yaml:"max_delay"`
}

// Console configures the terminal chat.
type Console struct {
	Enabled bool `yaml:"enabled"`
}

// Telegram configures the Telegram adapter.
type Telegram struct {
	Enabled bool    `yaml:"enabled"`
	Token   string  `yaml:"token"`
	Mode    string  `yaml:"mode"` // polling or webhook
	APIURL  string  `yaml:"api_url"`
	Webhook Webhook `yaml:"webhook"`
	// Bots are further bots beside Token, each serving its offices
	// (config/accounts.go).
	Bots []TelegramBot `yaml:"bots"`
}

// Webhook configures Telegram's webhook mode.
type Webhook struct {
	Listen    string `yaml:"listen"`
	PublicURL string `yaml:"public_url"`
	Secret    string `yaml:"secret"`
	// MaxConnections is how many deliveries Telegram makes at once (1–100;
	// 0: the default, 40).
	MaxConnections int `yaml:"max_connections"`
}

// WhatsApp configures the WhatsApp adapter.
type WhatsApp struct {
	Enabled   bool          `yaml:"enabled"`
	SessionDB string        `yaml:"session_db"`
	PerChat   time.Duration `yaml:"per_chat_interval"`
	Global    time.Duration `yaml:"global_interval"`
	Jitter    time.Duration `yaml:"jitter"` // most random extra delay per message; negative: none
	Typing    bool          `yaml:"typing"`
	// Accounts are further numbers beside the session_db device, each
	// serving its offices (config/accounts.go).
	Accounts []WhatsAppAccount `yaml:"accounts"`
}

// Office overrides settings for one office (by code).
type Office struct {
	Timezone  string    `yaml:"timezone"`
	Deadline  TimeOfDay `yaml:"deadline"`
	Roster    Roster    `yaml:"roster"`
	Reminders Reminders `yaml:"reminders"`
	Leave     Leave     `yaml:"leave"`

	MaxDelay time.Duration `yaml:"max_delay"` // overrides checkin.max_delay

	// Mode is piket (default) or fleksibel; Flex configures fleksibel (flex.go).
	Mode string `yaml:"mode"`
	Flex Flex   `yaml:"fleksibel"`
	// Since is the day the office started using Piket (YYYY-MM-DD);
	// unset: the day its first staff were imported.
	Since civil.Date `yaml:"since"`
}

// Log configures logging.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
}

// TimeOfDay is a local wall-clock time "HH:MM".
type TimeOfDay struct {
	Hour, Minute int
	set          bool
}

// ParseTimeOfDay reads "HH:MM" (also "HH.MM", as Indonesians write it).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(strings.Replace(s, ".", ":", 1), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return TimeOfDay{}, fmt.Errorf("%q is not a time of day HH:MM", s)
	}
	return TimeOfDay{Hour: hh, Minute: mm, set: true}, nil
}

// MustTimeOfDay is ParseTimeOfDay for constants.
func MustTimeOfDay(s string) TimeOfDay {
	t, err := ParseTimeOfDay(s)
	if err != nil {
		panic(err)
	}
	return t
}

// IsZero reports whether the time was not set.
func (t TimeOfDay) IsZero() bool { return !t.set }

// String returns "HH:MM".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// Minutes returns minutes since midnight.
func (t TimeOfDay) Minutes() int { return t.Hour*60 + t.Minute }

// UnmarshalYAML implements yaml.Unmarshaler.
func (t *TimeOfDay) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseTimeOfDay(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*t = v
	return nil
}

// Default returns the built-in configuration.
func Default() Config {
	return Config{
		Database:  "piket.db",
		Language:  "id",
		Timezone:  "Asia/Jakarta",
		Checkin:   Checkin{Deadline: MustTimeOfDay("08:00"), MaxDelay: DefaultMaxDelay},
		Console:   Console{Enabled: true},
		Telegram:  Telegram{Mode: "polling", APIURL: "https://api.telegram.org", Webhook: Webhook{Listen: "127.0.0.1:8443", MaxConnections: 40}},
		WhatsApp:  WhatsApp{SessionDB: "piket-whatsapp.db", PerChat: 1500 * time.Millisecond, Global: time.Second, Jitter: time.Second},
		Log:       Log{Level: "info", Format: "text"},
		Roster:    DefaultRoster(),
		Reminders: Reminders{CheckIn: MustTimeOfDay("07:45"), Report: MustTimeOfDay("15:30")},
		HTTP:      HTTP{Listen: "127.0.0.1:8080"},
		Retention: Retention{MessageText: DefaultMessageTextRetention},
		Web:       Web{SessionTTL: DefaultSessionTTL},
		Health:    Health{MinFreeDisk: DefaultMinFreeDisk, PlatformDownAfter: DefaultPlatformDownAfter, PlatformGrace: DefaultPlatformGrace},
		Leave: Leave{EscalateAfter: 15 * time.Minute, WorkingHours: "07:30-16:00", NightEscalation: new(bool),
			DefaultDuration: 3 * time.Hour, ReturnGrace: 30 * time.Minute},

		DatabaseSynchronous: "full",
	}
}

// DefaultMaxDelay is checkin.max_delay when unset.
const DefaultMaxDelay = 2 * time.Hour

// DefaultFile is read when no -config is given and it exists.
const DefaultFile = "piket.yaml"

// Load reads path; an empty path means DefaultFile if it exists, else the
// built-in defaults. The result is validated.
func Load(path string, getenv func(string) string) (Config, error) {
	if path == "" {
		if _, err := os.Stat(DefaultFile); err != nil {
			cfg := Default()
			return cfg, cfg.Validate()
		}
		path = DefaultFile
	}
	f, err := os.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	cfg, err := Parse(f, getenv)
	if err != nil {
		return Config{}, fmt.Errorf("config: %s: %w", path, err)
	}
	return cfg, nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Parse reads a YAML configuration, expanding ${VAR} from getenv, over the
// defaults, and validates it.
func Parse(r io.Reader, getenv func(string) string) (Config, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return Config{}, err
	}
	expanded := envRef.ReplaceAllFunc(raw, func(m []byte) []byte {
		return []byte(getenv(string(m[2 : len(m)-1])))
	})
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, yamlError(err)
	}
	return cfg, cfg.Validate()
}

var (
	unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found in type`)
	lineErr      = regexp.MustCompile(`line (\d+): (.*)`)
)

// yamlError turns yaml's multi-line errors into one line naming the key.
func yamlError(err error) error {
	msg := err.Error()
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("line %s: unknown key %q", m[1], m[2])
	}
	if m := lineErr.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("line %s: %s", m[1], strings.TrimSpace(m[2]))
	}
	return errors.New(strings.ReplaceAll(msg, "\n", " "))
}

// Validate checks values that YAML types cannot; the error names the key.
func (c *Config) Validate() error {
	if strings.TrimSpace(c.Database) == "" {
		return errors.New("database: must name a file")
	}
	switch c.DatabaseSynchronous {
	case "full", "normal":
	default:
		return fmt.Errorf("database_synchronous: %q is not full or normal", c.DatabaseSynchronous)
	}
	switch c.Language {
	case "id", "en":
	default:
		return fmt.Errorf("language: %q is not supported (id or en)", c.Language)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" || c.Timezone == "Local" {
		return fmt.Errorf("timezone: %q is not an IANA time zone (e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura)", c.Timezone)
	}
	if err := c.validateAccounts(); err != nil {
		return err
	}
	if c.Telegram.Enabled {
		switch c.Telegram.Mode {
		case "polling":
		case "webhook":
			if c.Telegram.Webhook.PublicURL == "" {
				return errors.New("telegram.webhook.public_url: required in webhook mode")
			}
			if len(c.Telegram.Webhook.Secret) < 16 {
				return errors.New("telegram.webhook.secret: required in webhook mode, at least 16 characters")
			}
			if n := c.Telegram.Webhook.MaxConnections; n < 0 || n > 100 {
				return fmt.Errorf("telegram.webhook.max_connections: %d is not within 1–100", n)
			}
		default:
			return fmt.Errorf("telegram.mode: %q is not polling or webhook", c.Telegram.Mode)
		}
		if !strings.HasPrefix(c.Telegram.APIURL, "http://") && !strings.HasPrefix(c.Telegram.APIURL, "https://") {
			return fmt.Errorf("telegram.api_url: %q is not an http(s) URL", c.Telegram.APIURL)
		}
	}
	if c.WhatsApp.Enabled && strings.TrimSpace(c.WhatsApp.SessionDB) == "" {
		return errors.New("whatsapp.session_db: must name a file when whatsapp.enabled is true")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("log.level: %q is not debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		return fmt.Errorf("log.format: %q is not text or json", c.Log.Format)
	}
	if c.Checkin.MaxDelay <= 0 {
		return fmt.Errorf("checkin.max_delay: %s must be positive (e.g. 2h)", c.Checkin.MaxDelay)
	}
	if err := c.Leave.validate("leave"); err != nil {
		return err
	}
	if c.Leave.EscalateAfter == 0 || c.Leave.DefaultDuration == 0 || c.Leave.WorkingHours == "" {
		return errors.New("leave: escalate_after, default_duration and working_hours must be set")
	}
	if err := c.Roster.validate("roster", false); err != nil {
		return err
	}
	codes := make([]string, 0, len(c.Offices))
	for code := range c.Offices {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		o := c.Offices[code]
		if code != strings.ToUpper(code) || strings.TrimSpace(code) == "" {
			return fmt.Errorf("offices.%s: office codes are upper case", code)
		}
		if o.Timezone != "" {
			if _, err := time.LoadLocation(o.Timezone); err != nil || o.Timezone == "Local" {
				return fmt.Errorf("offices.%s.timezone: %q is not an IANA time zone", code, o.Timezone)
			}
		}
		if err := o.Roster.validate("offices."+code+".roster", true); err != nil {
			return err
		}
		if err := o.Leave.validate("offices." + code + ".leave"); err != nil {
			return err
		}
		if o.MaxDelay < 0 {
			return fmt.Errorf("offices.%s.max_delay: %s is negative", code, o.MaxDelay)
		}
		if err := c.validateFlex(code, o); err != nil {
			return err
		}
	}
	if err := c.validateReminders(); err != nil {
		return err
	}
	if err := c.validateOps(); err != nil {
		return err
	}
	if err := c.validateWeb(); err != nil {
		return err
	}
	if !c.Console.Enabled && !c.Telegram.Enabled && !c.WhatsApp.Enabled {
		return errors.New("console.enabled: no platform is enabled (console, telegram or whatsapp)")
	}
	return nil
}

// OfficeTZ returns the time zone name of an office: its override or the default.
func (c *Config) OfficeTZ(code string) string {
	if o, ok := c.Offices[code]; ok && o.Timezone != "" {
		return o.Timezone
	}
	return c.Timezone
}

// Deadline returns an office's check-in deadline.
func (c *Config) Deadline(code string) TimeOfDay {
	if o, ok := c.Offices[code]; ok && !o.Deadline.IsZero() {
		return o.Deadline
	}
	if t, ok := c.flexDeadline(code); ok {
		return t
	}
	return c.Checkin.Deadline
}

// MaxDelay returns how long after sending a message may arrive before its
// record is flagged delayed, for an office.
func (c *Config) MaxDelay(code string) time.Duration {
	if o, ok := c.Offices[code]; ok && o.MaxDelay > 0 {
		return o.MaxDelay
	}
	return c.Checkin.MaxDelay
}

// Since returns an office's configured go-live day (zero: not set, the
// stored day of its first import counts).
func (c *Config) Since(code string) civil.Date { return c.Offices[code].Since }
