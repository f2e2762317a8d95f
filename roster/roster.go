// Package roster generates duty rosters (jadwal piket): which of an
// office's people are at the office on each working day. Generation is a
// pure, deterministic function of its Input: no clock, no randomness, no
// dependence on map order or on the order of Input.People.
//
// # Rules
//
// Each working day the generator puts Policy.Target rotating people on duty
// (or all available ones, reporting ShortStaffed). Fixed people (office
// heads, public-service units) are always present unless absent and are not
// rotated; they do count towards the coverage rules. Coverage rules
// (RequireOfficial, RequireStaff, PerDivision) are met first, adding people
// beyond the target if needed; a rule that no available person can meet is
// reported as a Problem on that day, and only then.
//
// # Fairness
//
// People are compared within a fairness group: the same Level, and also
// the same Division when Policy.PerDivision is set (per-division coverage
// makes a small division's people serve more often than a large one's).
// Every pick on a generated day is the member of some group with the
// fewest duty days so far among that group's available, not yet chosen
// members; ties go first to those who were not on duty the previous
// working day, then to a rotation that changes every day. Duty days so far
// are Input.History plus the days of this call before the current one,
// published or generated.
//
// The guarantee that follows: take a run of consecutive generated days (no
// published day inside it) and a set S of people of one group who are
// available on every day from Days[0] to the end of the run. After each day
// of the run, the largest and smallest duty counts (History plus duty days
// in this roster) in S differ by at most max(1, d), where d is their
// difference at the start of the run. So people of the same group who
// start level and are available on every day never differ by more than one
// duty day, and an existing imbalance never grows.
//
// Absence is neither held against a person nor a debt: while a person is
// absent, the count used for ordering (not the real duty days) is raised to
// the lowest count among the available members of the group, so after
// returning they take their normal turn instead of being put on duty day
// after day to catch up. People absent on some day are therefore outside
// the guarantee above.
//
// # Consecutive days
//
// Between groups, and for coverage picks, people who were not on duty the
// previous working day come first. So nobody is on duty two working days
// in a row while enough available people were off the previous day, except
// when a coverage rule can only be met by people who were on duty, or when
// a person has fewer duty days than every member of their group who was
// off (which only happens after published days or an uneven History).
//
// # Published days
//
// A day present in Input.Published is returned exactly as published
// (OnDuty sorted) and never regenerated; it counts towards duty days and
// the consecutive-day rule like any other day.
package roster

import (
	"cmp"
	"slices"
	"time"

	"github.com/piket-id/piket/civil"
)

// Person is one member of an office's staff.
type Person struct {
	ID       int64
	Name     string
	Level    Level
	Division string // bidang; empty for none
	// Fixed people are at the office every working day and not rotated.
	Fixed bool
}

// Input is everything Generate needs for one office.
type Input struct {
	People []Person // IDs must be unique; later duplicates (by ID order) are ignored
	Policy Policy
	// Days are the consecutive working days to produce (weekends and
	// holidays already removed). They are sorted; duplicates are ignored.
	Days []civil.Date
	// Absent lists people unavailable on a day (leave, sick, official travel).
	Absent map[civil.Date][]int64
	// Published holds days already published; they are returned unchanged.
	Published map[civil.Date][]int64
	// History is each person's duty days before Days[0].
	History map[int64]int
	// LastDuty is each person's last duty day before Days[0]. A person
	// counts as on duty the working day before Days[0] if no Monday to
	// Friday lies strictly between LastDuty and Days[0].
	LastDuty map[int64]civil.Date
}

// Day is the roster of one working day.
type Day struct {
	Date      civil.Date
	OnDuty    []int64 // rotating people on duty, sorted
	Fixed     []int64 // fixed people present (not absent), sorted
	Published bool    // returned from Input.Published, not generated
	Problems  []Problem
}

// Generate produces the roster for in.Days. See the package documentation
// for its guarantees. It runs in O(d · n log n) for d days and n people.
func Generate(in Input) []Day {
	g := newGenerator(in)
	days := sortedDays(in.Days)
	out := make([]Day, 0, len(days))
	g.initYesterday(in.LastDuty, days)
	for _, d := range days {
		out = append(out, g.day(d, in))
	}
	return out
}

func sortedDays(days []civil.Date) []civil.Date {
	ds := slices.Clone(days)
	slices.SortFunc(ds, civil.Date.Compare)
	return slices.Compact(ds)
}

// member is a rotating person with the generator's running state.
type member struct {
	Person
	group     int
	score     int  // duty days so far, raised during absence (see package doc)
	yesterday bool // on duty the previous working day
	absent    bool // absent today
	picked    bool // on duty today
	tb        uint64
}

type generator struct {
	policy    Policy
	members   []member // rotating people, by ID
	fixed     []Person // fixed people, by ID
	index     map[int64]int
	fixedIdx  map[int64]int
	groups    int
	divisions []string // sorted; only with PerDivision
	reqs      []requirement

	// per-day scratch
	fixedAbsent []bool
	order       []sortItem
	avail       []int // member indexes available today, sorted by group order
	next        []int // per group: position in avail of its next candidate
	end         []int // per group: end of its range in avail
	floor       []int // per group: lowest score among available members
}

func newGenerator(in Input) *generator {
	people := slices.Clone(in.People)
	slices.SortStableFunc(people, func(a, b Person) int { return cmp.Compare(a.ID, b.ID) })
	people = slices.CompactFunc(people, func(a, b Person) bool { return a.ID == b.ID })
	g := &generator{policy: in.Policy, index: make(map[int64]int), fixedIdx: make(map[int64]int)}
	type groupKey struct {
		level    Level
		division string
	}
	var keys []groupKey
	for _, p := range people {
		if p.Fixed {
			g.fixedIdx[p.ID] = len(g.fixed)
			g.fixed = append(g.fixed, p)
			continue
		}
		k := groupKey{level: p.Level}
		if in.Policy.PerDivision {
			k.division = p.Division
			if p.Division != "" {
				g.divisions = append(g.divisions, p.Division)
			}
		}
		keys = append(keys, k)
		g.index[p.ID] = len(g.members)
		g.members = append(g.members, member{Person: p, score: in.History[p.ID]})
	}
	sorted := slices.Clone(keys)
	slices.SortFunc(sorted, func(a, b groupKey) int {
		return cmp.Or(cmp.Compare(a.level, b.level), cmp.Compare(a.division, b.division))
	})
	sorted = slices.Compact(sorted)
	for i, k := range keys {
		g.members[i].group, _ = slices.BinarySearchFunc(sorted, k, func(a, b groupKey) int {
			return cmp.Or(cmp.Compare(a.level, b.level), cmp.Compare(a.division, b.division))
		})
	}
	g.groups = len(sorted)
	slices.Sort(g.divisions)
	g.divisions = slices.Compact(g.divisions)
	g.reqs = requirements(in.Policy, g.divisions)
	g.fixedAbsent = make([]bool, len(g.fixed))
	g.next = make([]int, g.groups)
	g.end = make([]int, g.groups)
	g.floor = make([]int, g.groups)
	return g
}

// initYesterday marks the people whose LastDuty is the working day before
// the first day.
func (g *generator) initYesterday(last map[int64]civil.Date, days []civil.Date) {
	if len(days) == 0 {
		return
	}
	first := days[0]
	for i := range g.members {
		if d, ok := last[g.members[i].ID]; ok {
			g.members[i].yesterday = adjacentWorkday(d, first)
		}
	}
}

// adjacentWorkday reports whether prev is before d with no Monday to Friday
// strictly between them.
func adjacentWorkday(prev, d civil.Date) bool {
	if !prev.Before(d) || prev.DaysUntil(d) > 7 {
		return false
	}
	for x := prev.AddDays(1); x.Before(d); x = x.AddDays(1) {
		if wd := x.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return false
		}
	}
	return true
}

func (g *generator) day(d civil.Date, in Input) Day {
	g.markAbsent(in.Absent[d])
	day := Day{Date: d, Fixed: g.presentFixed()}
	if ids, ok := in.Published[d]; ok {
		day.Published = true
		day.OnDuty = slices.Clone(ids)
		slices.Sort(day.OnDuty)
		for _, id := range ids {
			if i, ok := g.index[id]; ok {
				g.members[i].picked = true
			}
		}
	} else {
		day.OnDuty, day.Problems = g.generate(d)
	}
	g.finishDay()
	return day
}

func (g *generator) markAbsent(ids []int64) {
	for i := range g.members {
		g.members[i].absent = false
		g.members[i].picked = false
	}
	clear(g.fixedAbsent)
	for _, id := range ids {
		if i, ok := g.index[id]; ok {
			g.members[i].absent = true
		} else if i, ok := g.fixedIdx[id]; ok {
			g.fixedAbsent[i] = true
		}
	}
}

func (g *generator) presentFixed() []int64 {
	var ids []int64
	for i, p := range g.fixed {
		if !g.fixedAbsent[i] {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// finishDay moves the day's picks into the running counts and raises the
// counts of absent people to their group's floor.
func (g *generator) finishDay() {
	const none = int(^uint(0) >> 1)
	for k := range g.floor {
		g.floor[k] = none
	}
	for i := range g.members {
		m := &g.members[i]
		if m.picked {
			m.score++
		}
		m.yesterday = m.picked
		if !m.absent {
			g.floor[m.group] = min(g.floor[m.group], m.score)
		}
	}
	for i := range g.members {
		m := &g.members[i]
		if m.absent && g.floor[m.group] != none {
			m.score = max(m.score, g.floor[m.group])
		}
	}
}
