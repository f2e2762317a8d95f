package roster

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

var divisionNames = []string{"Keuangan", "Umum", "Program", "Pelayanan", "Data"}

// weekdays returns n Monday-to-Friday dates from start.
func weekdays(start civil.Date, n int) []civil.Date {
	var ds []civil.Date
	for d := start; len(ds) < n; d = d.AddDays(1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			ds = append(ds, d)
		}
	}
	return ds
}

type scenario struct {
	published, history, lastDuty bool
}

func randomInput(r *rand.Rand, sc scenario) Input {
	n := 1 + r.IntN(30)
	if r.IntN(4) == 0 {
		n = 1 + r.IntN(300)
	}
	nd := 1 + r.IntN(len(divisionNames))
	ids := r.Perm(5 * n)
	var in Input
	for i := range n {
		p := Person{ID: int64(ids[i]) + 1000, Name: fmt.Sprint("orang ", i)}
		switch x := r.IntN(100); {
		case x < 5:
			p.Level = Eselon2
		case x < 15:
			p.Level = Eselon3
		case x < 35:
			p.Level = Eselon4
		default:
			p.Level = Pelaksana
		}
		if r.IntN(10) > 0 {
			p.Division = divisionNames[r.IntN(nd)]
		}
		p.Fixed = r.IntN(10) == 0 || (p.Level == Eselon2 && r.IntN(2) == 0)
		in.People = append(in.People, p)
	}
	if r.IntN(2) == 0 {
		in.Policy.PerDay = 1 + r.IntN(n/2+1)
	} else {
		fr := [][2]int{{1, 3}, {1, 2}, {1, 4}, {2, 3}, {33, 100}, {1, 1}}[r.IntN(6)]
		in.Policy.Num, in.Policy.Den = fr[0], fr[1]
	}
	in.Policy.RequireOfficial = r.IntN(3) > 0
	in.Policy.RequireStaff = r.IntN(3) > 0
	in.Policy.PerDivision = r.IntN(2) == 0
	in.Days = weekdays(civil.MustParse("2020-03-16").AddDays(r.IntN(7)), 1+r.IntN(25))
	absentRate := []int{0, 5, 30}[r.IntN(3)]
	in.Absent = make(map[civil.Date][]int64)
	in.Published = make(map[civil.Date][]int64)
	for _, d := range in.Days {
		for _, p := range in.People {
			if r.IntN(100) < absentRate {
				in.Absent[d] = append(in.Absent[d], p.ID)
			}
		}
		if sc.published && r.IntN(4) == 0 {
			ids := []int64{}
			for _, p := range in.People {
				if r.IntN(3) == 0 {
					ids = append(ids, p.ID)
				}
			}
			in.Published[d] = ids
		}
	}
	if sc.history {
		in.History = make(map[int64]int)
		base := r.IntN(10)
		for _, p := range in.People {
			in.History[p.ID] = base + r.IntN(3)
		}
	}
	if sc.lastDuty {
		in.LastDuty = make(map[int64]civil.Date)
		for _, p := range in.People {
			if r.IntN(3) == 0 {
				in.LastDuty[p.ID] = in.Days[0].AddDays(-1 - r.IntN(5))
			}
		}
	}
	return in
}

// world is the test's own view of an input, built without the generator.
type world struct {
	in       Input
	byID     map[int64]Person
	rotating []Person
	reqs     []requirement
}

func newWorld(in Input) world {
	w := world{in: in, byID: make(map[int64]Person)}
	divs := map[string]bool{}
	for _, p := range in.People {
		w.byID[p.ID] = p
		if !p.Fixed {
			w.rotating = append(w.rotating, p)
			if p.Division != "" {
				divs[p.Division] = true
			}
		}
	}
	if in.Policy.PerDivision {
		for _, d := range slices.Sorted(maps.Keys(divs)) {
			w.reqs = append(w.reqs, requirement{code: DivisionNoOfficial, official: true, division: d},
				requirement{code: DivisionNoStaff, division: d})
		}
	}
	if in.Policy.RequireOfficial {
		w.reqs = append(w.reqs, requirement{code: NoOfficial, official: true})
	}
	if in.Policy.RequireStaff {
		w.reqs = append(w.reqs, requirement{code: NoStaff})
	}
	return w
}

func (w world) absent(d civil.Date, id int64) bool { return slices.Contains(w.in.Absent[d], id) }

func (w world) group(p Person) string {
	if w.in.Policy.PerDivision {
		return string(p.Level) + "/" + p.Division
	}
	return string(p.Level)
}

// present reports whether some person matching r is at the office: a
// present fixed person or one of onDuty.
func (w world) present(d civil.Date, r requirement, onDuty []int64) bool {
	for _, p := range w.in.People {
		if p.Fixed && !w.absent(d, p.ID) && r.matches(p) {
			return true
		}
	}
	for _, id := range onDuty {
		if r.matches(w.byID[id]) {
			return true
		}
	}
	return false
}

func (w world) available(d civil.Date) []int64 {
	var ids []int64
	for _, p := range w.rotating {
		if !w.absent(d, p.ID) {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

func checkDay(t *testing.T, w world, day Day) {
	t.Helper()
	d := day.Date
	var fixed []int64
	for _, p := range w.in.People {
		if p.Fixed && !w.absent(d, p.ID) {
			fixed = append(fixed, p.ID)
		}
	}
	slices.Sort(fixed)
	if !slices.Equal(day.Fixed, fixed) {
		t.Errorf("%s: Fixed = %v, want %v", d, day.Fixed, fixed)
	}
	if pub, ok := w.in.Published[d]; ok {
		want := slices.Clone(pub)
		slices.Sort(want)
		if !day.Published || !slices.Equal(day.OnDuty, want) || day.Problems != nil {
			t.Errorf("%s: published day changed: got %+v, want %v", d, day, want)
		}
		return
	}
	if day.Published {
		t.Errorf("%s: marked published", d)
	}
	if !slices.IsSorted(day.OnDuty) || len(slices.Compact(slices.Clone(day.OnDuty))) != len(day.OnDuty) {
		t.Errorf("%s: OnDuty not sorted and unique: %v", d, day.OnDuty)
	}
	for _, id := range day.OnDuty {
		p, ok := w.byID[id]
		if !ok || p.Fixed {
			t.Errorf("%s: %d on duty is not a rotating person", d, id)
		}
		if w.absent(d, id) {
			t.Errorf("%s: absent person %d on duty", d, id)
		}
	}
	avail := len(w.available(d))
	target := w.in.Policy.Target(avail)
	var want []Problem
	if avail < target {
		want = append(want, Problem{Code: ShortStaffed, Date: d, Want: target, Got: avail})
	}
	for _, r := range w.reqs {
		satisfiable := w.present(d, r, w.available(d))
		if !satisfiable {
			want = append(want, Problem{Code: r.code, Date: d, Division: r.division})
		} else if !w.present(d, r, day.OnDuty) {
			t.Errorf("%s: satisfiable rule %s %q not met by %v", d, r.code, r.division, day.OnDuty)
		}
	}
	if fmt.Sprint(day.Problems) != fmt.Sprint(want) {
		t.Errorf("%s: problems = %v, want %v", d, day.Problems, want)
	}
	lo := min(target, avail)
	if n := len(day.OnDuty); n < lo || n > max(lo, len(w.reqs)) {
		t.Errorf("%s: %d on duty, want between %d and %d", d, n, lo, max(lo, len(w.reqs)))
	}
}

// checkFairness checks the package's fairness guarantee on every run of
// consecutive generated days, using real duty counts.
func checkFairness(t *testing.T, w world, out []Day) {
	t.Helper()
	count := make(map[int64]int)
	for _, p := range w.rotating {
		count[p.ID] = w.in.History[p.ID]
	}
	for start := 0; start < len(out); {
		if out[start].Published {
			addCounts(count, out[start].OnDuty)
			start++
			continue
		}
		end := start
		for end < len(out) && !out[end].Published {
			end++
		}
		// S per group: available on every day from the first day of the
		// window to the end of the run.
		sets := make(map[string][]int64)
		for _, p := range w.rotating {
			ok := true
			for _, day := range out[:end] {
				ok = ok && !w.absent(day.Date, p.ID)
			}
			if ok {
				sets[w.group(p)] = append(sets[w.group(p)], p.ID)
			}
		}
		bound := make(map[string]int)
		for g, s := range sets {
			bound[g] = max(1, spread(count, s))
		}
		for _, day := range out[start:end] {
			addCounts(count, day.OnDuty)
			for g, s := range sets {
				if sp := spread(count, s); sp > bound[g] {
					t.Errorf("%s: group %s spread %d > %d", day.Date, g, sp, bound[g])
				}
			}
		}
		start = end
	}
}

func addCounts(count map[int64]int, ids []int64) {
	for _, id := range ids {
		if _, ok := count[id]; ok {
			count[id]++
		}
	}
}

func spread(count map[int64]int, ids []int64) int {
	lo, hi := count[ids[0]], count[ids[0]]
	for _, id := range ids {
		lo, hi = min(lo, count[id]), max(hi, count[id])
	}
	return hi - lo
}

// checkConsecutive: a person on duty two days in a row while someone
// available was off the previous day and is not on duty must be needed for
// a rule that only people on duty the previous day could meet.
func checkConsecutive(t *testing.T, w world, out []Day) {
	t.Helper()
	for k := 1; k < len(out); k++ {
		d, prev := out[k].Date, out[k-1].OnDuty
		spare := false
		for _, id := range w.available(d) {
			if !slices.Contains(prev, id) && !slices.Contains(out[k].OnDuty, id) {
				spare = true
			}
		}
		if !spare {
			continue
		}
		for _, id := range out[k].OnDuty {
			if !slices.Contains(prev, id) {
				continue
			}
			forced := false
			for _, r := range w.reqs {
				if !r.matches(w.byID[id]) || w.present(d, r, nil) {
					continue
				}
				onlyPrev := true
				for _, a := range w.available(d) {
					if r.matches(w.byID[a]) && !slices.Contains(prev, a) {
						onlyPrev = false
					}
				}
				forced = forced || onlyPrev
			}
			if !forced {
				t.Errorf("%s: %d on duty again though others were off (prev %v, today %v)", d, id, prev, out[k].OnDuty)
			}
		}
	}
}

func TestGenerateProperties(t *testing.T) {
	scenarios := []scenario{{}, {published: true}, {history: true, lastDuty: true}, {true, true, true}}
	for si, sc := range scenarios {
		for seed := range uint64(300) {
			r := rand.New(rand.NewPCG(seed, uint64(si)))
			in := randomInput(r, sc)
			w := newWorld(in)
			out := Generate(in)
			if len(out) != len(in.Days) {
				t.Fatalf("seed %d: %d days, want %d", seed, len(out), len(in.Days))
			}
			for k, day := range out {
				if day.Date != in.Days[k] {
					t.Fatalf("seed %d: day %d is %s, want %s", seed, k, day.Date, in.Days[k])
				}
				checkDay(t, w, day)
			}
			checkFairness(t, w, out)
			if sc == (scenario{}) {
				checkConsecutive(t, w, out)
			}
			if again := Generate(in); !reflect.DeepEqual(again, out) {
				t.Fatalf("seed %d: second run differs", seed)
			}
			shuffled := in
			shuffled.People = slices.Clone(in.People)
			r.Shuffle(len(shuffled.People), func(i, j int) {
				shuffled.People[i], shuffled.People[j] = shuffled.People[j], shuffled.People[i]
			})
			if again := Generate(shuffled); !reflect.DeepEqual(again, out) {
				t.Fatalf("seed %d: shuffled People give a different roster", seed)
			}
			if t.Failed() {
				t.Fatalf("seed %d scenario %+v failed; policy %+v, %d people", seed, sc, in.Policy, len(in.People))
			}
		}
	}
}
