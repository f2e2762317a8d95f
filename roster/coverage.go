package roster

import (
	"slices"

	"github.com/piket-id/piket/civil"
)

// Coverage returns the coverage rules of p (RequireOfficial, RequireStaff,
// PerDivision) that the people present on day (fixed and rotating) do not
// meet, in the order Generate reports them. people is the office's staff:
// the divisions that need coverage are those of its rotating people, as in
// Generate. It does not report ShortStaffed.
func Coverage(p Policy, people []Person, day civil.Date, present []int64) []Problem {
	var divisions []string
	if p.PerDivision {
		for _, x := range people {
			if !x.Fixed && x.Division != "" {
				divisions = append(divisions, x.Division)
			}
		}
		slices.Sort(divisions)
		divisions = slices.Compact(divisions)
	}
	on := make(map[int64]bool, len(present))
	for _, id := range present {
		on[id] = true
	}
	var problems []Problem
	for _, r := range requirements(p, divisions) {
		met := false
		for _, x := range people {
			if on[x.ID] && r.matches(x) {
				met = true
				break
			}
		}
		if !met {
			problems = append(problems, Problem{Code: r.code, Date: day, Division: r.division})
		}
	}
	return problems
}

// Broken returns the problems of after that before does not have: the
// coverage rules a change of the people present (a swap) breaks.
func Broken(before, after []Problem) []Problem {
	var out []Problem
	for _, a := range after {
		if !slices.ContainsFunc(before, func(b Problem) bool { return b.Code == a.Code && b.Division == a.Division }) {
			out = append(out, a)
		}
	}
	return out
}
