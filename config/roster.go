package config

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/holiday"
	"github.com/piket-id/piket/roster"
)

// Roster configures the duty roster (jadwal piket). Under
// offices.CODE.roster, unset keys inherit the top-level value; holidays and
// holidays_file add to the top-level ones.
type Roster struct {
	PerDay          string        `yaml:"per_day"`          // "10", "1/3" or "33%" of the rotating people
	RequireOfficial *bool         `yaml:"require_official"` // at least one eselon III/IV official a day
	RequireStaff    *bool         `yaml:"require_staff"`    // at least one pelaksana a day
	PerDivision     *bool         `yaml:"per_division"`     // one official and one pelaksana per bidang
	Workdays        []string      `yaml:"workdays"`         // mon … sun (or senin … minggu)
	FixedLevels     []string      `yaml:"fixed_levels"`     // levels listed every day, not rotated
	PostTime        TimeOfDay     `yaml:"post_time"`        // local time of the post, the working day before
	HolidaysFile    string        `yaml:"holidays_file"`    // extra holidays, one "YYYY-MM-DD,name[,kind]" a line
	Holidays        []HolidayDate `yaml:"holidays"`         // extra holidays
}

// HolidayDate is one configured day off.
type HolidayDate struct {
	Date string `yaml:"date"` // YYYY-MM-DD
	Name string `yaml:"name"`
}

// DefaultRoster is a third of the rotating people a day, Monday to Friday,
// with an official and a pelaksana each day, eselon II listed but not
// rotated, posted at 15:00.
func DefaultRoster() Roster {
	t := true
	f := false
	return Roster{
		PerDay: "1/3", RequireOfficial: &t, RequireStaff: &t, PerDivision: &f,
		Workdays:    []string{"mon", "tue", "wed", "thu", "fri"},
		FixedLevels: []string{"eselon2"},
		PostTime:    MustTimeOfDay("15:00"),
	}
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday, "minggu": time.Sunday, "ahad": time.Sunday,
	"mon": time.Monday, "monday": time.Monday, "senin": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday, "selasa": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday, "rabu": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday, "kamis": time.Thursday,
	"fri": time.Friday, "friday": time.Friday, "jumat": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday, "sabtu": time.Saturday,
}

// Policy returns the roster rule of r.
func (r Roster) Policy() (roster.Policy, error) {
	var p roster.Policy
	var err error
	if p.PerDay, p.Num, p.Den, err = roster.ParsePolicyCount(r.PerDay); err != nil {
		return roster.Policy{}, err
	}
	p.RequireOfficial = r.RequireOfficial != nil && *r.RequireOfficial
	p.RequireStaff = r.RequireStaff != nil && *r.RequireStaff
	p.PerDivision = r.PerDivision != nil && *r.PerDivision
	return p, p.Validate()
}

// Weekdays returns the working weekdays, indexed by time.Weekday.
func (r Roster) Weekdays() ([7]bool, error) {
	var w [7]bool
	for _, name := range r.Workdays {
		d, ok := weekdayNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return w, fmt.Errorf("%q is not a weekday (mon … sun)", name)
		}
		w[d] = true
	}
	if w == [7]bool{} {
		return w, fmt.Errorf("no working day")
	}
	return w, nil
}

// Levels returns the fixed levels.
func (r Roster) Levels() ([]roster.Level, error) {
	out := make([]roster.Level, 0, len(r.FixedLevels))
	for _, s := range r.FixedLevels {
		l, err := roster.ParseLevel(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a level (eselon2, eselon3, eselon4, pelaksana)", s)
		}
		out = append(out, l)
	}
	return out, nil
}

// ExtraHolidays reads the configured holidays: the list, then the file.
func (r Roster) ExtraHolidays() ([]holiday.Holiday, error) {
	var out []holiday.Holiday
	for i, h := range r.Holidays {
		d, err := civil.Parse(strings.TrimSpace(h.Date))
		if err != nil {
			return nil, fmt.Errorf("holidays[%d].date: %q is not a date YYYY-MM-DD", i, h.Date)
		}
		name := strings.TrimSpace(h.Name)
		if name == "" {
			name = "Libur"
		}
		out = append(out, holiday.Holiday{Date: d, Name: name, Kind: holiday.Local})
	}
	if r.HolidaysFile != "" {
		f, err := os.Open(r.HolidaysFile)
		if err != nil {
			return nil, fmt.Errorf("holidays_file: %w", err)
		}
		defer f.Close()
		hs, err := holiday.ParseFile(f)
		if err != nil {
			return nil, fmt.Errorf("holidays_file: %s: %w", r.HolidaysFile, err)
		}
		out = append(out, hs...)
	}
	return out, nil
}

// validate checks r (an office override when office is true, where unset
// keys are allowed); errors name the key under prefix.
func (r Roster) validate(prefix string, office bool) error {
	if r.PerDay != "" || !office {
		if _, _, _, err := roster.ParsePolicyCount(r.PerDay); err != nil {
			return fmt.Errorf("%s.per_day: %q is not a number, fraction (1/3) or percentage (33%%)", prefix, r.PerDay)
		}
	}
	if r.Workdays != nil || !office {
		if _, err := r.Weekdays(); err != nil {
			return fmt.Errorf("%s.workdays: %w", prefix, err)
		}
	}
	if _, err := r.Levels(); err != nil {
		return fmt.Errorf("%s.fixed_levels: %w", prefix, err)
	}
	if !office && r.PostTime.IsZero() {
		return fmt.Errorf("%s.post_time: must be set (HH:MM)", prefix)
	}
	if _, err := r.ExtraHolidays(); err != nil {
		return fmt.Errorf("%s.%w", prefix, err)
	}
	return nil
}

// RosterFor returns an office's roster settings: its overrides over the
// top-level ones. Its Holidays are both lists; HolidaysFile is the
// office's file (the top-level file is read by RosterHolidays).
func (c *Config) RosterFor(code string) Roster {
	r := c.Roster
	o := c.Offices[code].Roster
	if o.PerDay != "" {
		r.PerDay = o.PerDay
	}
	if o.RequireOfficial != nil {
		r.RequireOfficial = o.RequireOfficial
	}
	if o.RequireStaff != nil {
		r.RequireStaff = o.RequireStaff
	}
	if o.PerDivision != nil {
		r.PerDivision = o.PerDivision
	}
	if o.Workdays != nil {
		r.Workdays = o.Workdays
	}
	if o.FixedLevels != nil {
		r.FixedLevels = o.FixedLevels
	}
	if !o.PostTime.IsZero() {
		r.PostTime = o.PostTime
	}
	r.Holidays = append(slices.Clone(c.Roster.Holidays), o.Holidays...)
	r.HolidaysFile = o.HolidaysFile
	return r
}

// RosterHolidays returns an office's extra holidays: the top-level ones,
// then the office's (a later day on the same date wins).
func (c *Config) RosterHolidays(code string) ([]holiday.Holiday, error) {
	top, err := c.Roster.ExtraHolidays()
	if err != nil {
		return nil, fmt.Errorf("roster.%w", err)
	}
	own, err := c.Offices[code].Roster.ExtraHolidays()
	if err != nil {
		return nil, fmt.Errorf("offices.%s.roster.%w", code, err)
	}
	return append(top, own...), nil
}
