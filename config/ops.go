package config

import (
	"fmt"
	"net"
	"strconv"
	"time"
)

// HTTP configures the operations endpoint (/healthz, /metrics).
type HTTP struct {
	// Listen is the address, e.g. "127.0.0.1:8080" or ":8080" in a
	// container; "" disables the endpoint.
	Listen string `yaml:"listen"`
}

// Retention configures how long personal data is kept.
type Retention struct {
	// MessageText: texts of received and sent messages older than this are
	// deleted (the audit rows, attendance and reports stay). 0 keeps them.
	MessageText time.Duration `yaml:"message_text"`
}

// DefaultMessageTextRetention is 90 days.
const DefaultMessageTextRetention = 90 * 24 * time.Hour

// minMessageTextRetention keeps a misread unit ("90s") from wiping
// yesterday's messages.
const minMessageTextRetention = 24 * time.Hour

func (c *Config) validateOps() error {
	if l := c.HTTP.Listen; l != "" {
		_, port, err := net.SplitHostPort(l)
		if err != nil {
			return fmt.Errorf("http.listen: %q is not host:port (e.g. 127.0.0.1:8080, or \"\" to disable)", l)
		}
		if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
			return fmt.Errorf("http.listen: %q has no valid port", l)
		}
	}
	if r := c.Retention.MessageText; r != 0 && r < minMessageTextRetention {
		return fmt.Errorf("retention.message_text: %s is less than a day (use hours, e.g. 2160h for 90 days, or 0 to keep texts)", r)
	}
	return c.validateHealth()
}
