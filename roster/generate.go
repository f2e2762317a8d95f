package roster

import (
	"cmp"
	"slices"

	"github.com/piket-id/piket/civil"
)

// requirement is one coverage rule for a day: at least one official (or
// pelaksana) present, office-wide or in one division.
type requirement struct {
	code     Code
	official bool   // an official is needed; else a pelaksana
	division string // set for per-division rules
}

func requirements(p Policy, divisions []string) []requirement {
	var rs []requirement
	if p.PerDivision {
		for _, d := range divisions {
			rs = append(rs,
				requirement{code: DivisionNoOfficial, official: true, division: d},
				requirement{code: DivisionNoStaff, division: d})
		}
	}
	if p.RequireOfficial {
		rs = append(rs, requirement{code: NoOfficial, official: true})
	}
	if p.RequireStaff {
		rs = append(rs, requirement{code: NoStaff})
	}
	return rs
}

func (r requirement) level(l Level) bool {
	if r.official {
		return l.Official()
	}
	return l == Pelaksana
}

func (r requirement) matches(p Person) bool {
	return r.level(p.Level) && (r.division == "" || p.Division == r.division)
}

// generate chooses the rotating people on duty on day d.
func (g *generator) generate(d civil.Date) ([]int64, []Problem) {
	g.prepare(d)
	target := g.policy.Target(len(g.avail))
	var problems []Problem
	if len(g.avail) < target {
		problems = append(problems, Problem{Code: ShortStaffed, Date: d, Want: target, Got: len(g.avail)})
	}
	var picks []int
	for _, r := range g.reqs {
		if g.covered(r, picks) {
			continue
		}
		i, ok := g.best(r)
		if !ok {
			problems = append(problems, Problem{Code: r.code, Date: d, Division: r.division})
			continue
		}
		picks = append(picks, i)
	}
	for len(picks) < target {
		i, ok := g.best(requirement{})
		if !ok {
			break
		}
		picks = append(picks, i)
	}
	ids := make([]int64, len(picks))
	for k, i := range picks {
		ids[k] = g.members[i].ID
	}
	slices.Sort(ids)
	return ids, problems
}

// prepare lists the available members in fairness order within each group
// and sets each group's next candidate.
func (g *generator) prepare(d civil.Date) {
	key := uint64(d.Year)<<16 | uint64(d.Month)<<8 | uint64(d.Day)
	g.order = g.order[:0]
	for i := range g.members {
		m := &g.members[i]
		if m.absent {
			continue
		}
		m.tb = mix(uint64(m.ID) ^ mix(key))
		y := uint64(0)
		if m.yesterday {
			y = 1 << 63
		}
		g.order = append(g.order, sortItem{
			primary:   uint64(m.group)<<32 | uint64(uint32(max(m.score, 0))),
			secondary: y | m.tb>>1,
			id:        m.ID,
			index:     i,
		})
	}
	slices.SortFunc(g.order, func(a, b sortItem) int {
		return cmp.Or(cmp.Compare(a.primary, b.primary), cmp.Compare(a.secondary, b.secondary), cmp.Compare(a.id, b.id))
	})
	g.avail = g.avail[:0]
	for _, it := range g.order {
		g.avail = append(g.avail, it.index)
	}
	for k := range g.next {
		g.next[k], g.end[k] = 0, 0
	}
	for pos := len(g.avail) - 1; pos >= 0; pos-- {
		k := g.members[g.avail[pos]].group
		if g.end[k] == 0 {
			g.end[k] = pos + 1
		}
		g.next[k] = pos
	}
}

// sortItem orders available members within their group: by group, then
// duty count, then not-on-duty-yesterday first, then the daily rotation.
type sortItem struct {
	primary   uint64 // group, score
	secondary uint64 // yesterday, rotation
	id        int64
	index     int
}

// covered reports whether a present fixed person or a pick meets r.
func (g *generator) covered(r requirement, picks []int) bool {
	for i, p := range g.fixed {
		if !g.fixedAbsent[i] && r.matches(p) {
			return true
		}
	}
	for _, i := range picks {
		if r.matches(g.members[i].Person) {
			return true
		}
	}
	return false
}

// best picks, among the next candidates of the groups that can meet r (all
// groups for the zero requirement), the one who was not on duty yesterday,
// then has the fewest duty days, then comes first in today's rotation.
func (g *generator) best(r requirement) (int, bool) {
	bestK, bestI := -1, -1
	for k := range g.next {
		if g.next[k] >= g.end[k] {
			continue
		}
		i := g.avail[g.next[k]]
		if r.code != "" && !r.matches(g.members[i].Person) {
			continue // groups are uniform in level (and division when it matters)
		}
		if bestI < 0 || g.before(i, bestI) {
			bestK, bestI = k, i
		}
	}
	if bestI < 0 {
		return 0, false
	}
	g.next[bestK]++
	g.members[bestI].picked = true
	return bestI, true
}

func (g *generator) before(a, b int) bool {
	x, y := &g.members[a], &g.members[b]
	return cmp.Or(compareBool(x.yesterday, y.yesterday), cmp.Compare(x.score, y.score),
		cmp.Compare(x.tb>>1, y.tb>>1), cmp.Compare(x.ID, y.ID)) < 0
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// mix is the splitmix64 finalizer: a fixed, well-spread hash for the daily
// rotation.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
