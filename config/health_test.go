package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseByteSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want ByteSize
	}{
		{"0", 0},
		{"100MB", 100_000_000},
		{"100mb", 100_000_000},
		{" 1.5 GB ", 1_500_000_000},
		{"512MiB", 512 << 20},
		{"2KiB", 2048},
		{"1G", 1_000_000_000},
		{"4096", 4096},
		{"10B", 10},
	} {
		got, err := ParseByteSize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "MB", "-1MB", "ten MB", "1e400", "NaN", "Inf", "0x10", "1_000", "100 XB", "9999999TB"} {
		if got, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) = %d, want an error", in, got)
		}
	}
}

func FuzzParseByteSize(f *testing.F) {
	for _, s := range []string{"100MB", "1.5GiB", "0", "-1", "1e3kb", " 7 b", "NaN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseByteSize(s)
		if err == nil && got < 0 {
			t.Errorf("ParseByteSize(%q) = %d, negative", s, got)
		}
	})
}

func TestHealthConfig(t *testing.T) {
	cfg, err := Parse(strings.NewReader(""), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Health.MinFreeDisk != 100_000_000 || cfg.Health.PlatformDownAfter != 2*time.Minute || cfg.Health.PlatformGrace != 2*time.Minute {
		t.Errorf("defaults %+v", cfg.Health)
	}
	cfg, err = Parse(strings.NewReader("health:\n  min_free_disk: 1GiB\n  platform_down_after: 5m\n  platform_grace: 30s\n"), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Health.MinFreeDisk != 1<<30 || cfg.Health.PlatformDownAfter != 5*time.Minute || cfg.Health.PlatformGrace != 30*time.Second {
		t.Errorf("got %+v", cfg.Health)
	}
	for _, tt := range []struct{ yaml, want string }{
		{"health:\n  min_free_disk: lots\n", `line 2: "lots" is not a size`},
		{"health:\n  min_free_disk: [1]\n", "line 2: want a size"},
		{"health:\n  platform_down_after: -1m\n", "health.platform_down_after:"},
		{"health:\n  platform_grace: -1s\n", "health.platform_grace:"},
	} {
		_, err := Parse(strings.NewReader(tt.yaml), env(nil))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want an error containing %q", tt.yaml, err, tt.want)
		}
	}
}
