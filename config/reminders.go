package config

import (
	"fmt"
	"sort"
)

// Reminders configures the daily reminders and recaps. Under
// offices.CODE.reminders, unset keys inherit the top-level value.
type Reminders struct {
	// Enabled turns the check-in, digest and report reminders on (default true).
	Enabled *bool `yaml:"enabled"`
	// CheckIn is when staff who have not checked in get a reminder (07:45).
	CheckIn TimeOfDay `yaml:"checkin"`
	// Digest is when each supervisor gets the list of subordinates who have
	// not checked in; unset: the office's check-in deadline.
	Digest TimeOfDay `yaml:"digest"`
	// Report is when those present without a work report get a reminder (15:30).
	Report TimeOfDay `yaml:"report"`
	// GroupRecap is when the day's recap is posted to the office's group
	// chats; unset (the default): never.
	GroupRecap TimeOfDay `yaml:"group_recap"`
}

// On reports whether the reminders are enabled.
func (r Reminders) On() bool { return r.Enabled == nil || *r.Enabled }

func (r Reminders) validate(key string) error {
	if !r.CheckIn.IsZero() && !r.Report.IsZero() && r.Report.Minutes() <= r.CheckIn.Minutes() {
		return fmt.Errorf("%s.report: %s must be later than %s.checkin (%s)", key, r.Report, key, r.CheckIn)
	}
	if !r.CheckIn.IsZero() && !r.Digest.IsZero() && r.Digest.Minutes() < r.CheckIn.Minutes() {
		return fmt.Errorf("%s.digest: %s must not be earlier than %s.checkin (%s)", key, r.Digest, key, r.CheckIn)
	}
	return nil
}

// RemindersFor returns an office's reminder settings: its overrides over
// the defaults, with the digest at the office's deadline when unset.
func (c *Config) RemindersFor(code string) Reminders {
	r := c.Reminders
	o := c.Offices[code].Reminders
	if o.Enabled != nil {
		r.Enabled = o.Enabled
	}
	if !o.CheckIn.IsZero() {
		r.CheckIn = o.CheckIn
	}
	if !o.Digest.IsZero() {
		r.Digest = o.Digest
	}
	if !o.Report.IsZero() {
		r.Report = o.Report
	}
	if !o.GroupRecap.IsZero() {
		r.GroupRecap = o.GroupRecap
	}
	if r.Digest.IsZero() {
		r.Digest = c.Deadline(code)
	}
	return r
}

// validateReminders checks the top-level and per-office reminder keys.
func (c *Config) validateReminders() error {
	if err := c.Reminders.validate("reminders"); err != nil {
		return err
	}
	codes := make([]string, 0, len(c.Offices))
	for code := range c.Offices {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		r := c.RemindersFor(code)
		if err := r.validate("offices." + code + ".reminders"); err != nil {
			return err
		}
	}
	return nil
}
