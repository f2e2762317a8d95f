package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Web configures the web dashboard, served on http.listen.
type Web struct {
	// Enabled turns the dashboard on; unset: off for serve, on for demo.
	Enabled *bool `yaml:"enabled"`
	// BaseURL is the address people open, as /dasbor links show it (e.g.
	// https://piket.denpasarkota.go.id behind a TLS proxy); unset:
	// http:// and http.listen. An https URL makes the cookie Secure.
	BaseURL string `yaml:"base_url"`
	// SessionTTL is how long a sign-in lasts (default 12h).
	SessionTTL time.Duration `yaml:"session_ttl"`
}

// DefaultSessionTTL is web.session_ttl when unset.
const DefaultSessionTTL = 12 * time.Hour

// WebOn reports whether the dashboard is enabled (dflt when unset).
func (c *Config) WebOn(dflt bool) bool {
	if c.Web.Enabled == nil {
		return dflt
	}
	return *c.Web.Enabled
}

// WebBaseURL returns web.base_url, or one made from the address the
// server listens on (a wildcard host becomes localhost).
func (c *Config) WebBaseURL(listen string) string {
	if c.Web.BaseURL != "" {
		return strings.TrimRight(c.Web.BaseURL, "/")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (c *Config) validateWeb() error {
	if c.Web.SessionTTL < 0 {
		return fmt.Errorf("web.session_ttl: %s is negative", c.Web.SessionTTL)
	}
	if u := c.Web.BaseURL; u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" {
			return fmt.Errorf("web.base_url: %q is not an http(s) URL such as https://piket.example.go.id", u)
		}
	}
	if c.WebOn(false) && c.HTTP.Listen == "" {
		return fmt.Errorf("web.enabled: the dashboard is served on http.listen, which is empty")
	}
	return nil
}
