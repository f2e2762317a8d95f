package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestExampleFileIsValid(t *testing.T) {
	f, err := os.Open("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := Parse(f, env(nil))
	if err != nil {
		t.Fatalf("config.example.yaml: %v", err)
	}
	if cfg.OfficeTZ("DISKOMINFO") != "Asia/Makassar" || cfg.OfficeTZ("OTHER") != "Asia/Jakarta" {
		t.Errorf("office zones: %q %q", cfg.OfficeTZ("DISKOMINFO"), cfg.OfficeTZ("OTHER"))
	}
}

func TestDefaults(t *testing.T) {
	cfg, err := Parse(strings.NewReader(""), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database != "piket.db" || cfg.Language != "id" || !cfg.Console.Enabled || cfg.Telegram.Enabled || cfg.WhatsApp.Enabled {
		t.Errorf("defaults = %+v", cfg)
	}
	if got := cfg.Deadline("X").String(); got != "08:00" {
		t.Errorf("deadline = %s, want 08:00", got)
	}
}

func TestEnvExpansion(t *testing.T) {
	cfg, err := Parse(strings.NewReader("telegram:\n  enabled: true\n  token: ${TG}\n"), env(map[string]string{"TG": "123:abc"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Telegram.Token != "123:abc" {
		t.Errorf("token = %q", cfg.Telegram.Token)
	}
}

func TestOverrides(t *testing.T) {
	cfg, err := Parse(strings.NewReader(`
language: en
checkin:
  deadline: "07.30"
whatsapp:
  per_chat_interval: 2s
  jitter: -1s
offices:
  BKPSDM:
    deadline: "08:15"
`), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Deadline("BKPSDM").String() != "08:15" || cfg.Deadline("X").String() != "07:30" {
		t.Errorf("deadlines: %s %s", cfg.Deadline("BKPSDM"), cfg.Deadline("X"))
	}
	if cfg.WhatsApp.PerChat != 2*time.Second || cfg.WhatsApp.Global != time.Second || cfg.WhatsApp.Jitter != -time.Second {
		t.Errorf("per_chat_interval, global_interval, jitter = %v, %v, %v", cfg.WhatsApp.PerChat, cfg.WhatsApp.Global, cfg.WhatsApp.Jitter)
	}
}

func TestErrorsNameTheKey(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown top key", "databse: x.db\n", `line 1: unknown key "databse"`},
		{"unknown nested key", "telegram:\n  tokn: x\n", `line 2: unknown key "tokn"`},
		{"bad zone", "timezone: Asia/Bali\n", "timezone:"},
		{"bad office zone", "offices:\n  DISKOMINFO:\n    timezone: WITA\n", "offices.DISKOMINFO.timezone"},
		{"bad time", "checkin:\n  deadline: \"25:00\"\n", "line 2"},
		{"bad time words", "checkin:\n  deadline: pagi\n", "not a time of day"},
		{"missing token", "telegram:\n  enabled: true\n", "telegram.token"},
		{"token env unset", "telegram:\n  enabled: true\n  token: ${NOPE}\n", "telegram.token"},
		{"bad mode", "telegram:\n  enabled: true\n  token: x\n  mode: push\n", "telegram.mode"},
		{"webhook without url", "telegram:\n  enabled: true\n  token: x\n  mode: webhook\n", "telegram.webhook.public_url"},
		{"webhook short secret", "telegram:\n  enabled: true\n  token: x\n  mode: webhook\n  webhook:\n    public_url: https://x\n    secret: short\n", "telegram.webhook.secret"},
		{"webhook too many connections", "telegram:\n  enabled: true\n  token: x\n  mode: webhook\n  webhook:\n    public_url: https://x\n    secret: rahasia-piket-0123456789\n    max_connections: 101\n", "telegram.webhook.max_connections"},
		{"bad language", "language: jv\n", "language:"},
		{"bad log level", "log:\n  level: loud\n", "log.level"},
		{"lower-case office", "offices:\n  diskominfo: {}\n", "offices.diskominfo"},
		{"nothing enabled", "console:\n  enabled: false\n", "no platform"},
		{"empty database", "database: \"\"\n", "database:"},
		{"not yaml", "telegram: [\n", "line"},
	}
	checkParseErrors(t, tests)
}

// checkParseErrors parses each case's YAML and checks the one-line error
// contains want.
func checkParseErrors(t *testing.T, tests []struct{ name, yaml, want string }) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.yaml), env(nil))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q spans lines, want one line", err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("database: x.db\nlanguage: en\n")
	f.Add("checkin:\n  deadline: \"07:45\"\n")
	f.Add("offices:\n  A:\n    timezone: Asia/Jayapura\n")
	f.Add("telegram: {enabled: true, token: ${T}}")
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := Parse(strings.NewReader(s), env(map[string]string{"T": "t"}))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("Parse accepted a config that Validate rejects: %v", err)
		}
	})
}
