// Package holiday knows which days are not working days in Indonesia:
// national public holidays and collective leave days (cuti bersama) for
// 2020 through 2027 are built in (see the table in data.go), and each office
// can add or correct days from its configuration.
package holiday

import (
	"slices"
	"time"

	"github.com/piket-id/piket/civil"
)

// Kind says why a day is off.
type Kind string

// The kinds of days off.
const (
	National    Kind = "national"     // hari libur nasional
	CutiBersama Kind = "cuti_bersama" // collective leave day from the SKB
	Local       Kind = "local"        // added by the office or region
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case National, CutiBersama, Local:
		return true
	}
	return false
}

// Holiday is one day off.
type Holiday struct {
	Date civil.Date
	Name string // Indonesian name, as in the decree
	Kind Kind
}

// Builtin returns a copy of the built-in table, sorted by date.
func Builtin() []Holiday { return slices.Clone(builtin) }

// Calendar answers whether a day is a holiday. It is immutable once built
// and safe for concurrent use.
type Calendar struct {
	days map[civil.Date]Holiday
}

// NewCalendar returns the built-in holidays plus extra. An extra day on the
// same date as a built-in day replaces it; among extras the later wins.
func NewCalendar(extra ...Holiday) *Calendar {
	return (&Calendar{}).with(builtin).With(extra...)
}

// With returns a new calendar holding c's days plus extra, which replace
// days on the same date. c is not changed, so one national calendar can be
// shared and each office can derive its own.
func (c *Calendar) With(extra ...Holiday) *Calendar { return c.with(extra) }

func (c *Calendar) with(extra []Holiday) *Calendar {
	days := make(map[civil.Date]Holiday, len(c.days)+len(extra))
	for d, h := range c.days {
		days[d] = h
	}
	for _, h := range extra {
		days[h.Date] = h
	}
	return &Calendar{days: days}
}

// Lookup returns the holiday on d, if any.
func (c *Calendar) Lookup(d civil.Date) (Holiday, bool) {
	h, ok := c.days[d]
	return h, ok
}

// MondayToFriday returns the usual working week, indexed by time.Weekday.
func MondayToFriday() [7]bool {
	return [7]bool{time.Monday: true, time.Tuesday: true, time.Wednesday: true, time.Thursday: true, time.Friday: true}
}

// IsWorkingDay reports whether d is a working day: its weekday is set in
// workdays (indexed by time.Weekday) and it is not a holiday.
func (c *Calendar) IsWorkingDay(d civil.Date, workdays [7]bool) bool {
	if !workdays[d.Weekday()] {
		return false
	}
	_, off := c.days[d]
	return !off
}

// maxSearch bounds NextWorkingDay: no real calendar has a year without a
// working day.
const maxSearch = 366

// NextWorkingDay returns the first working day strictly after after. It
// returns the zero Date if there is none within a year (for example when
// workdays has no day set).
func (c *Calendar) NextWorkingDay(after civil.Date, workdays [7]bool) civil.Date {
	for i := 1; i <= maxSearch; i++ {
		if d := after.AddDays(i); c.IsWorkingDay(d, workdays) {
			return d
		}
	}
	return civil.Date{}
}
