package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/piket-id/piket/fwa"
)

// Office modes.
const (
	ModePiket     = "piket"     // the 2020 circulars: everyone home, a duty roster at the office
	ModeFleksibel = "fleksibel" // PermenPANRB 4/2025: office by default, flexible days on request
)

// Flex configures an office in mode fleksibel (offices.CODE.fleksibel).
// Zero values take the regulation's defaults.
type Flex struct {
	// WeeklyCap is the most flexible-location working days a week (default 2).
	WeeklyCap int `yaml:"weekly_cap"`
	// MaxAway caps the staff on flexible location on a day: "30%" of the
	// office's active staff, or a count ("5"); "" no cap.
	MaxAway string `yaml:"max_away"`
	// LeadTime: a request must arrive at least this long before its first
	// day starts (00:00 local); 0: any time before the day.
	LeadTime time.Duration `yaml:"lead_time"`
	// StartWindow "07:00-09:00": a check-in up to its end is on time.
	StartWindow string `yaml:"start_window"`
	// CoreHours "09:00-15:00": when everyone must be reachable (shown to staff).
	CoreHours string `yaml:"core_hours"`
	// NewStaffMonths: staff whose TMT is less than this many months before
	// the day are not eligible (default 12).
	NewStaffMonths int `yaml:"new_staff_months"`
	// EscalateAfter: an undecided request goes one step up the chain after
	// this much working time (default 4h).
	EscalateAfter time.Duration `yaml:"escalate_after"`
	// Presets apply national circulars' WFA/WFH days, each with the
	// office's own quota.
	Presets []FlexPreset `yaml:"presets"`
	// Ramadan overrides the built-in Ramadan days ("2026-02-19..2026-03-20").
	Ramadan []string `yaml:"ramadan"`
	// Location checks of shared locations (off by default).
	Location FlexLocation `yaml:"location"`
}

// FlexPreset applies one circular (fwa/circulars.txt) to an office.
type FlexPreset struct {
	Circular string `yaml:"circular"` // its id, e.g. SE-2-2026
	// MaxAway is the office's quota on the circular's days (as Flex.MaxAway);
	// "" the office's usual quota.
	MaxAway string `yaml:"max_away"`
}

// FlexLocation configures location checks.
type FlexLocation struct {
	Enabled   bool    `yaml:"enabled"`
	Latitude  float64 `yaml:"latitude"`
	Longitude float64 `yaml:"longitude"`
	RadiusM   float64 `yaml:"radius_m"` // default 100
	// KeepCoordinates stores the shared coordinates too; by default only
	// the distance and the verdict are kept (data minimisation).
	KeepCoordinates bool `yaml:"keep_coordinates"`
}

// Quota is a parsed max_away: a percentage or a count; zero: no cap.
type Quota struct {
	Percent int
	Count   int
}

// IsZero reports whether there is no cap.
func (q Quota) IsZero() bool { return q.Percent == 0 && q.Count == 0 }

// Of returns how many of total may be away (a share rounds down, at least 1).
func (q Quota) Of(total int) int {
	if q.Count > 0 {
		return q.Count
	}
	n := total * q.Percent / 100
	return max(n, 1)
}

// String returns "30%" or "5".
func (q Quota) String() string {
	if q.Count > 0 {
		return strconv.Itoa(q.Count)
	}
	return fmt.Sprintf("%d%%", q.Percent)
}

// ParseQuota reads "30%", "30 %" or "5"; "" is no cap.
func ParseQuota(s string) (Quota, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Quota{}, nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 100 {
			return Quota{}, fmt.Errorf("%q is not a share 1%%-100%%", s)
		}
		return Quota{Percent: n}, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return Quota{}, fmt.Errorf("%q is not a share (30%%) or a count of at least 1", s)
	}
	return Quota{Count: n}, nil
}

// Mode returns an office's mode (piket unless set).
func (c *Config) Mode(code string) string {
	if m := c.Offices[code].Mode; m != "" {
		return m
	}
	return ModePiket
}

func (f Flex) validate(key string) error {
	if f.WeeklyCap < 0 || f.WeeklyCap > 7 {
		return fmt.Errorf("%s.weekly_cap: %d is not 0-7 (the regulation's default is %d)", key, f.WeeklyCap, fwa.DefaultWeeklyCap)
	}
	if _, err := ParseQuota(f.MaxAway); err != nil {
		return fmt.Errorf("%s.max_away: %w", key, err)
	}
	if f.LeadTime < 0 || f.EscalateAfter < 0 || f.NewStaffMonths < 0 {
		return fmt.Errorf("%s: lead_time, escalate_after and new_staff_months must not be negative", key)
	}
	for _, h := range []struct{ name, v string }{{"start_window", f.StartWindow}, {"core_hours", f.CoreHours}} {
		if h.v == "" {
			continue
		}
		if _, _, err := ParseHours(h.v); err != nil {
			return fmt.Errorf("%s.%s: %w", key, h.name, err)
		}
	}
	for i, p := range f.Presets {
		if _, ok := fwa.CircularByID(p.Circular); !ok {
			var ids []string
			for _, c := range fwa.Circulars() {
				ids = append(ids, c.ID)
			}
			return fmt.Errorf("%s.presets[%d].circular: %q is not a known circular (%s)", key, i, p.Circular, strings.Join(ids, ", "))
		}
		if _, err := ParseQuota(p.MaxAway); err != nil {
			return fmt.Errorf("%s.presets[%d].max_away: %w", key, i, err)
		}
	}
	for i, r := range f.Ramadan {
		if _, err := fwa.ParseDays(r); err != nil {
			return fmt.Errorf("%s.ramadan[%d]: %q is not YYYY-MM-DD..YYYY-MM-DD", key, i, r)
		}
	}
	if l := f.Location; l.Enabled {
		if !(fwa.Point{Lat: l.Latitude, Lon: l.Longitude}).Valid() || (l.Latitude == 0 && l.Longitude == 0) {
			return fmt.Errorf("%s.location: latitude and longitude of the office are required when enabled", key)
		}
		if l.RadiusM < 0 || l.RadiusM > 100000 {
			return fmt.Errorf("%s.location.radius_m: %g is not 0-100000", key, l.RadiusM)
		}
	}
	return nil
}

// validateFlex checks each office's mode and flexible-work settings.
func (c *Config) validateFlex(code string, o Office) error {
	switch o.Mode {
	case "", ModePiket, ModeFleksibel:
	default:
		return fmt.Errorf("offices.%s.mode: %q is not piket or fleksibel", code, o.Mode)
	}
	return o.Flex.validate("offices." + code + ".fleksibel")
}

// flexDeadline is the check-in deadline of an office in mode fleksibel
// with a start window and no deadline of its own: the window's end.
func (c *Config) flexDeadline(code string) (TimeOfDay, bool) {
	o := c.Offices[code]
	if c.Mode(code) != ModeFleksibel || o.Flex.StartWindow == "" {
		return TimeOfDay{}, false
	}
	_, end, err := ParseHours(o.Flex.StartWindow)
	return end, err == nil
}
