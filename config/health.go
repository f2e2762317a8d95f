package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Health configures what /healthz reports as degraded or failing.
type Health struct {
	// MinFreeDisk: less free space than this in the database's directory
	// is reported as degraded (200). "0" turns the check off.
	MinFreeDisk ByteSize `yaml:"min_free_disk"`
	// PlatformDownAfter: a platform whose calls have failed this long is
	// down (503); shorter failures are degraded.
	PlatformDownAfter time.Duration `yaml:"platform_down_after"`
	// PlatformGrace: a platform with no successful call this long after
	// start is down.
	PlatformGrace time.Duration `yaml:"platform_grace"`
}

// Defaults of the health keys.
const (
	DefaultMinFreeDisk       ByteSize = 100_000_000 // 100MB
	DefaultPlatformDownAfter          = 2 * time.Minute
	DefaultPlatformGrace              = 2 * time.Minute
)

// ByteSize is a number of bytes, written in YAML as "100MB", "1.5GB",
// "512KiB" or a plain number of bytes. KB, MB, GB and TB are decimal
// (1000), KiB, MiB, GiB and TiB binary (1024).
type ByteSize int64

var byteUnits = []struct {
	suffix string
	mult   float64
}{
	// Longest suffixes first, so "MiB" is not read as "B".
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"t", 1e12},
	{"b", 1},
}

// ParseByteSize reads a size such as "100MB" (see ByteSize).
func ParseByteSize(s string) (ByteSize, error) {
	in := strings.TrimSpace(s)
	num, mult := strings.ToLower(in), 1.0
	for _, u := range byteUnits {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" || strings.ContainsAny(num, "xXpP_") || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a size (e.g. 100MB, 1GB, 0)", s)
	}
	b := v * mult
	if b < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	if b >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return ByteSize(b), nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a size such as 100MB", n.Line)
	}
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*b = v
	return nil
}

// String prints the size in bytes.
func (b ByteSize) String() string { return strconv.FormatInt(int64(b), 10) + "B" }

func (c *Config) validateHealth() error {
	if c.Health.PlatformDownAfter < 0 {
		return fmt.Errorf("health.platform_down_after: %s is negative", c.Health.PlatformDownAfter)
	}
	if c.Health.PlatformGrace < 0 {
		return fmt.Errorf("health.platform_grace: %s is negative", c.Health.PlatformGrace)
	}
	return nil
}
