package config

import (
	"strings"
	"testing"
	"time"
)

func TestOpsConfig(t *testing.T) {
	cfg, err := Parse(strings.NewReader(""), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Listen != "127.0.0.1:8080" || cfg.Retention.MessageText != 90*24*time.Hour {
		t.Errorf("defaults: http.listen %q, retention.message_text %s", cfg.HTTP.Listen, cfg.Retention.MessageText)
	}
	cfg, err = Parse(strings.NewReader("http:\n  listen: \":9090\"\nretention:\n  message_text: 720h\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Listen != ":9090" || cfg.Retention.MessageText != 30*24*time.Hour {
		t.Errorf("got http.listen %q, retention.message_text %s", cfg.HTTP.Listen, cfg.Retention.MessageText)
	}
	cfg, err = Parse(strings.NewReader("http:\n  listen: \"\"\nretention:\n  message_text: 0s\n"), env(nil))
	if err != nil || cfg.HTTP.Listen != "" || cfg.Retention.MessageText != 0 {
		t.Errorf("disabling both: %v, %q, %s", err, cfg.HTTP.Listen, cfg.Retention.MessageText)
	}

	for _, tt := range []struct{ yaml, key string }{
		{"http:\n  listen: localhost\n", "http.listen:"},
		{"http:\n  listen: \"127.0.0.1:http-alt\"\n", "http.listen:"},
		{"retention:\n  message_text: 90s\n", "retention.message_text:"},
		{"retention:\n  message_text: -2160h\n", "retention.message_text:"},
	} {
		_, err := Parse(strings.NewReader(tt.yaml), env(nil))
		if err == nil || !strings.HasPrefix(err.Error(), tt.key) {
			t.Errorf("%q: got %v, want an error starting %q", tt.yaml, err, tt.key)
		}
	}
}
