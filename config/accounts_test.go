package config

import (
	"strings"
	"testing"
)

const twoBots = `telegram:
  enabled: true
  token: "111:primary"
  bots:
    - name: dinkes
      token: "222:dinkes"
      username: "@piket_dinkes_bot"
      offices: [DINKES, RSUD]
    - name: bkpsdm
      token: "333:bkpsdm"
      api_url: http://127.0.0.1:8081
      offices: [BKPSDM]
whatsapp:
  enabled: true
  session_db: /var/lib/piket/wa.db
  accounts:
    - name: kedua
      phone: "+6281200000002"
      offices: [DINKES]
`

func TestAccounts(t *testing.T) {
	cfg, err := Parse(strings.NewReader(twoBots), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	bots := cfg.TelegramBots()
	if len(bots) != 3 || bots[0].Key != "" || bots[0].Name != PrimaryAccount || bots[0].Token != "111:primary" ||
		bots[1].Key != "dinkes" || bots[1].Handle != "piket_dinkes_bot" || bots[1].APIURL != "https://api.telegram.org" ||
		bots[2].APIURL != "http://127.0.0.1:8081" {
		t.Errorf("telegram bots: %+v", bots)
	}
	for _, tt := range []struct{ platform, office, want string }{
		{"telegram", "DINKES", "dinkes"},
		{"telegram", "RSUD", "dinkes"},
		{"telegram", "BKPSDM", "bkpsdm"},
		{"telegram", "DISKOMINFO", ""}, // not listed: the primary
		{"whatsapp", "DINKES", "kedua"},
		{"whatsapp", "BKPSDM", ""},
		{"console", "DINKES", ""},
	} {
		if got := cfg.AccountFor(tt.platform, tt.office); got != tt.want {
			t.Errorf("AccountFor(%s, %s) = %q, want %q", tt.platform, tt.office, got, tt.want)
		}
	}
	wa := cfg.WhatsAppAccounts()
	if len(wa) != 2 || wa[0].Session != "/var/lib/piket/wa.db" || wa[1].Session != "/var/lib/piket/piket-whatsapp-kedua.db" || wa[1].Handle != "+6281200000002" {
		t.Errorf("whatsapp accounts: %+v", wa)
	}
	if a, err := cfg.WhatsAppAccount("kedua"); err != nil || a.Key != "kedua" {
		t.Errorf("WhatsAppAccount(kedua) = %+v, %v", a, err)
	}
	if a, err := cfg.WhatsAppAccount(""); err != nil || a.Key != "" {
		t.Errorf("WhatsAppAccount(\"\") = %+v, %v", a, err)
	}
	if _, err := cfg.WhatsAppAccount("ketiga"); err == nil || !strings.Contains(err.Error(), `unknown WhatsApp account "ketiga": whatsapp.accounts has utama, kedua`) {
		t.Errorf("WhatsAppAccount(ketiga): %v", err)
	}
}

// TestBotsWithoutPrimaryToken: without telegram.token the first bot of
// the list is the primary.
func TestBotsWithoutPrimaryToken(t *testing.T) {
	cfg, err := Parse(strings.NewReader("telegram:\n  enabled: true\n  bots:\n    - {name: satu, token: \"1:a\"}\n    - {name: dua, token: \"2:b\", offices: [X]}\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	bots := cfg.TelegramBots()
	if len(bots) != 2 || bots[0].Key != "" || bots[0].Name != "satu" || bots[1].Key != "dua" {
		t.Errorf("bots: %+v", bots)
	}
	if got := cfg.AccountFor("telegram", "Y"); got != "" {
		t.Errorf("an office on no list: account %q, want the primary", got)
	}
}

func TestAccountErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"office on two bots",
			"telegram:\n  token: a\n  bots:\n    - {name: x, token: b, offices: [DINKES]}\n    - {name: y, token: c, offices: [DINKES]}\n",
			`telegram.bots[1].offices: office DINKES is also on bot "x" (telegram.bots[0]): an office is served by one bot`},
		{"office on two numbers",
			"whatsapp:\n  accounts:\n    - {name: x, offices: [DINKES]}\n    - {name: y, offices: [DINKES]}\n",
			`whatsapp.accounts[1].offices: office DINKES is also on number "x"`},
		{"duplicate name", "telegram:\n  bots:\n    - {name: x, token: b}\n    - {name: x, token: c}\n", `telegram.bots[1].name: "x" is already telegram.bots[0]`},
		{"the primary's name", "telegram:\n  token: a\n  bots:\n    - {name: utama, token: b}\n", `telegram.bots[0].name: "utama" is already the primary bot`},
		{"bad name", "telegram:\n  bots:\n    - {name: Dinas Kesehatan, token: b}\n", `telegram.bots[0].name: "Dinas Kesehatan" is not a name`},
		{"no name", "whatsapp:\n  accounts:\n    - {offices: [X]}\n", `whatsapp.accounts[0].name: "" is not a name`},
		{"no token", "telegram:\n  bots:\n    - {name: x}\n", `telegram.bots[0].token: required`},
		{"same bot twice", "telegram:\n  token: a\n  bots:\n    - {name: x, token: a}\n", `telegram.bots[0].token: the same bot as telegram.token`},
		{"same token twice", "telegram:\n  bots:\n    - {name: x, token: b}\n    - {name: y, token: b}\n", `telegram.bots[1].token: the same bot as telegram.bots[0]`},
		{"lower-case office", "telegram:\n  bots:\n    - {name: x, token: b, offices: [dinkes]}\n", `telegram.bots[0].offices: "dinkes": office codes are upper case`},
		{"shared session", "whatsapp:\n  session_db: a.db\n  accounts:\n    - {name: x, session_db: a.db}\n", `whatsapp.accounts[0].session_db: "a.db" is also whatsapp.session_db`},
		{"webhook with bots", "telegram:\n  enabled: true\n  token: a\n  mode: webhook\n  bots:\n    - {name: x, token: b}\n", "telegram.mode: several bots"},
		{"bad api url", "telegram:\n  bots:\n    - {name: x, token: b, api_url: ftp://x}\n", "telegram.bots[0].api_url"},
		{"enabled without any bot", "telegram:\n  enabled: true\n", "telegram.token: required"},
	}
	checkParseErrors(t, tests)
}

func TestCapacity(t *testing.T) {
	cfg := Default()
	tg := cfg.TelegramCapacity()
	if tg.Window.Minutes() != 15 || tg.Reached != 26100 {
		t.Errorf("telegram capacity: %+v, want 15m and 29/s × 900 s = 26100", tg)
	}
	// WhatsApp: global_interval 1s plus half the 1s jitter on average.
	wa := cfg.WhatsAppCapacity()
	if wa.Reached != 600 {
		t.Errorf("whatsapp capacity: %+v, want 900 s / 1.5 s = 600", wa)
	}
}
