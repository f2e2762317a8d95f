// Package fwa holds the rules of flexible work (fleksibilitas kerja) for
// civil servants under PermenPANRB No. 4 of 2025 that do not depend on
// chat or storage: the national circulars naming WFA/WFH days (presets),
// Ramadan periods, the weekly working-hours target and the distance of a
// shared location from a place. It is pure data and arithmetic.
package fwa

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/piket-id/piket/civil"
)

// The regulation's numbers.
const (
	// DefaultWeeklyCap is the most working days a week of flexible
	// location (PermenPANRB 4/2025).
	DefaultWeeklyCap = 2
	// WeeklyMinutes is the working time of a normal week (Perpres
	// 21/2023): 37.5 hours over five working days.
	WeeklyMinutes = 37*60 + 30
	// RamadanWeeklyMinutes is the working time of a week in Ramadan: 32.5 hours.
	RamadanWeeklyMinutes = 32*60 + 30
	// DefaultNewStaffMonths: staff appointed (TMT) less than this many
	// months before a day are new staff, not eligible for flexible work.
	DefaultNewStaffMonths = 12
)

// ErrSyntax is wrapped by the errors of a malformed data line.
var ErrSyntax = errors.New("malformed line")

// Kinds of flexible location.
const (
	KindWFA = "wfa" // work from anywhere: another office or a place the official sets
	KindWFH = "wfh" // work from the home registered as domicile
)

// Circular is a national circular naming flexible-work days.
type Circular struct {
	ID     string // the key offices use ("SE-2-2026")
	Number string // "SE MenPAN-RB No. 2 Tahun 2026"
	Days   []civil.Date
	Kind   string // KindWFA or KindWFH
	// OutsideCap: the days do not count against the weekly cap.
	OutsideCap bool
	// MaxShare is the circular's own ceiling of staff away per day, in
	// percent (0: none; the head decides).
	MaxShare int
	// HeadDecides: the circular leaves the share to the head of the unit.
	HeadDecides bool
	// PublicServiceStays: units in direct public service stay at the office.
	PublicServiceStays bool
}

// Has reports whether d is one of the circular's days.
func (c Circular) Has(d civil.Date) bool { return slices.Contains(c.Days, d) }

//go:embed circulars.txt
var circularsData string

//go:embed ramadan.txt
var ramadanData string

var builtin = sync.OnceValues(func() ([]Circular, error) { return ParseCirculars(strings.NewReader(circularsData)) })

// Circulars returns the built-in circulars, oldest first.
func Circulars() []Circular {
	cs, err := builtin()
	if err != nil {
		panic("fwa: built-in circulars: " + err.Error()) // a test reads them
	}
	return slices.Clone(cs)
}

// CircularByID returns a built-in circular by its ID (case-insensitive).
func CircularByID(id string) (Circular, bool) {
	for _, c := range Circulars() {
		if strings.EqualFold(c.ID, strings.TrimSpace(id)) {
			return c, true
		}
	}
	return Circular{}, false
}

// ParseCirculars reads circulars in the format of circulars.txt:
//
//	id | number | days | kind | rule
//
// Errors name the line.
func ParseCirculars(r io.Reader) ([]Circular, error) {
	var out []Circular
	seen := map[string]int{}
	err := eachLine(r, func(line int, text string) error {
		f := strings.Split(text, "|")
		if len(f) != 5 {
			return fmt.Errorf("want \"id | number | days | kind | rule\", got %d fields: %w", len(f), ErrSyntax)
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		c := Circular{ID: f[0], Number: f[1], Kind: strings.ToLower(f[3])}
		if c.ID == "" || c.Number == "" {
			return fmt.Errorf("empty id or number: %w", ErrSyntax)
		}
		if prev, ok := seen[strings.ToLower(c.ID)]; ok {
			return fmt.Errorf("%s already listed on line %d: %w", c.ID, prev, ErrSyntax)
		}
		seen[strings.ToLower(c.ID)] = line
		days, err := ParseDays(f[2])
		if err != nil {
			return err
		}
		c.Days = days
		if c.Kind != KindWFA && c.Kind != KindWFH {
			return fmt.Errorf("kind %q is not wfa or wfh: %w", f[3], ErrSyntax)
		}
		for _, w := range strings.Fields(strings.ToLower(f[4])) {
			switch {
			case w == "outside_cap":
				c.OutsideCap = true
			case w == "head_decides":
				c.HeadDecides = true
			case w == "public_service_stays":
				c.PublicServiceStays = true
			case strings.HasPrefix(w, "max_share="):
				n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(w, "max_share="), "%"))
				if err != nil || n < 1 || n > 100 {
					return fmt.Errorf("rule %q: share is not 1%%-100%%: %w", w, ErrSyntax)
				}
				c.MaxShare = n
			default:
				return fmt.Errorf("unknown rule %q: %w", w, ErrSyntax)
			}
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// maxSpan is the longest range of days a data line may name.
const maxSpan = 400

// ParseDays reads "YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD" into sorted days
// without duplicates. A leading "~" (an estimate) is ignored.
func ParseDays(s string) ([]civil.Date, error) {
	var out []civil.Date
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "~")
		if part == "" {
			continue
		}
		a, b, isRange := strings.Cut(part, "..")
		from, err := civil.Parse(strings.TrimSpace(a))
		if err != nil {
			return nil, fmt.Errorf("day %q: %w", a, ErrSyntax)
		}
		to := from
		if isRange {
			if to, err = civil.Parse(strings.TrimPrefix(strings.TrimSpace(b), "~")); err != nil {
				return nil, fmt.Errorf("day %q: %w", b, ErrSyntax)
			}
		}
		if to.Before(from) || from.DaysUntil(to) > maxSpan {
			return nil, fmt.Errorf("range %q is backwards or longer than %d days: %w", part, maxSpan, ErrSyntax)
		}
		for d := from; !d.After(to); d = d.AddDays(1) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no days: %w", ErrSyntax)
	}
	slices.SortFunc(out, civil.Date.Compare)
	return slices.Compact(out), nil
}

func eachLine(r io.Reader, fn func(line int, text string) error) error {
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if err := fn(line, text); err != nil {
			return fmt.Errorf("fwa: line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("fwa: read: %w", err)
	}
	return nil
}

// Ramadan is a set of Ramadan days.
type Ramadan struct{ days map[civil.Date]bool }

var builtinRamadan = sync.OnceValues(func() (Ramadan, error) { return ParseRamadan(strings.NewReader(ramadanData)) })

// BuiltinRamadan returns the Ramadan periods of ramadan.txt.
func BuiltinRamadan() Ramadan {
	r, err := builtinRamadan()
	if err != nil {
		panic("fwa: built-in Ramadan: " + err.Error()) // a test reads them
	}
	return r
}

// ParseRamadan reads "hijri year | first..last" lines.
func ParseRamadan(r io.Reader) (Ramadan, error) {
	out := Ramadan{days: map[civil.Date]bool{}}
	err := eachLine(r, func(_ int, text string) error {
		_, span, ok := strings.Cut(text, "|")
		if !ok {
			return fmt.Errorf("want \"year | first..last\": %w", ErrSyntax)
		}
		days, err := ParseDays(span)
		if err != nil {
			return err
		}
		for _, d := range days {
			out.days[d] = true
		}
		return nil
	})
	return out, err
}

// RamadanOf returns the Ramadan made of the given days.
func RamadanOf(days []civil.Date) Ramadan {
	out := Ramadan{days: map[civil.Date]bool{}}
	for _, d := range days {
		out.days[d] = true
	}
	return out
}

// Has reports whether d is in Ramadan.
func (r Ramadan) Has(d civil.Date) bool { return r.days[d] }

// DayTarget is the working time expected on one working day: a fifth of
// the week's 37.5 hours, or of 32.5 in Ramadan.
func DayTarget(d civil.Date, r Ramadan) int {
	if r.Has(d) {
		return RamadanWeeklyMinutes / 5
	}
	return WeeklyMinutes / 5
}

// WeekStart returns the Monday of d's week.
func WeekStart(d civil.Date) civil.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// WeekTarget is the working time expected in the week of d: the sum of
// DayTarget over its working days. A full normal week is 37.5 hours; a
// holiday takes its day's share off, a Ramadan day counts 6.5 hours.
func WeekTarget(d civil.Date, r Ramadan, working func(civil.Date) bool) int {
	mon, total := WeekStart(d), 0
	for i := range 7 {
		day := mon.AddDays(i)
		if working(day) {
			total += DayTarget(day, r)
		}
	}
	return total
}

// Point is a place on Earth in decimal degrees.
type Point struct{ Lat, Lon float64 }

// Valid reports whether p is a latitude and longitude.
func (p Point) Valid() bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) && p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// ParsePoint reads "LAT,LON" ("-8.6705, 115.2126").
func ParsePoint(s string) (Point, error) {
	a, b, ok := strings.Cut(s, ",")
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	p := Point{lat, lon}
	if !ok || err1 != nil || err2 != nil || !p.Valid() {
		return Point{}, fmt.Errorf("%q is not a location LAT,LON: %w", s, ErrSyntax)
	}
	return p, nil
}

// Distance returns the great-circle distance between a and b in metres.
func Distance(a, b Point) float64 {
	const r = 6371008.8 // mean Earth radius, m
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Verdicts of a location check.
const (
	VerdictInside    = "dalam_radius"
	VerdictOutside   = "luar_radius"
	VerdictNoPlace   = "tanpa_titik" // no place to compare with (no declared place)
	VerdictUnchecked = "tidak_dicek" // location checks are off
)

// Check returns the distance from place to at, rounded to whole metres,
// and whether it is within radius metres.
func Check(at, place Point, radius float64) (metres int, verdict string) {
	d := Distance(at, place)
	metres = int(math.Round(d))
	if d <= radius {
		return metres, VerdictInside
	}
	return metres, VerdictOutside
}
