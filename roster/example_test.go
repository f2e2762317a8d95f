package roster

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"

	"github.com/piket-id/piket/civil"
)

func TestProblemText(t *testing.T) {
	d := civil.MustParse("2020-03-19")
	tests := []struct {
		p      Problem
		id, en string
	}{
		{Problem{Code: DivisionNoStaff, Date: d, Division: "Keuangan"},
			"bidang Keuangan tidak punya pelaksana yang tersedia pada 2020-03-19",
			"division Keuangan has no pelaksana (staff member) available on 2020-03-19"},
		{Problem{Code: DivisionNoOfficial, Date: d, Division: "Umum"},
			"bidang Umum tidak punya pejabat eselon III atau IV yang tersedia pada 2020-03-19",
			"division Umum has no eselon III or IV official available on 2020-03-19"},
		{Problem{Code: NoOfficial, Date: d},
			"tidak ada pejabat eselon III atau IV yang tersedia pada 2020-03-19",
			"no eselon III or IV official is available on 2020-03-19"},
		{Problem{Code: NoStaff, Date: d},
			"tidak ada pelaksana yang tersedia pada 2020-03-19",
			"no pelaksana (staff member) is available on 2020-03-19"},
		{Problem{Code: ShortStaffed, Date: d, Want: 10, Got: 3},
			"hanya 3 dari 10 petugas piket yang tersedia pada 2020-03-19",
			"only 3 of 10 people on duty are available on 2020-03-19"},
	}
	for _, tt := range tests {
		if got := tt.p.Text("id"); got != tt.id {
			t.Errorf("Text(id) = %q, want %q", got, tt.id)
		}
		if got := tt.p.Text("en"); got != tt.en {
			t.Errorf("Text(en) = %q, want %q", got, tt.en)
		}
		if got := tt.p.Text("jv"); got != tt.id {
			t.Errorf("Text(jv) = %q, want the Indonesian %q", got, tt.id)
		}
	}
	for lang, texts := range problemTexts {
		for _, c := range []Code{NoOfficial, NoStaff, DivisionNoOfficial, DivisionNoStaff, ShortStaffed} {
			if texts[c] == "" {
				t.Errorf("%s: no text for %s", lang, c)
			}
		}
	}
}

func TestParsePolicyCount(t *testing.T) {
	tests := []struct {
		in               string
		perDay, num, den int
	}{
		{"10", 10, 0, 0}, {" 1/3 ", 0, 1, 3}, {"33%", 0, 33, 100}, {"1/1", 0, 1, 1}, {"100%", 0, 100, 100},
	}
	for _, tt := range tests {
		p, n, d, err := ParsePolicyCount(tt.in)
		if err != nil || p != tt.perDay || n != tt.num || d != tt.den {
			t.Errorf("ParsePolicyCount(%q) = %d, %d, %d, %v; want %d, %d, %d", tt.in, p, n, d, err, tt.perDay, tt.num, tt.den)
		}
	}
	for _, bad := range []string{"", "0", "-3", "abc", "1/0", "0/3", "4/3", "/3", "1/", "101%", "0%", "%", "1.5"} {
		if _, _, _, err := ParsePolicyCount(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParsePolicyCount(%q) error = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestPolicy(t *testing.T) {
	tests := []struct {
		p     Policy
		avail int
		want  int
	}{
		{Policy{PerDay: 10}, 3, 10},
		{Policy{Num: 1, Den: 3}, 30, 10},
		{Policy{Num: 1, Den: 3}, 31, 11},
		{Policy{Num: 1, Den: 3}, 1, 1},
		{Policy{Num: 1, Den: 3}, 0, 1},
		{Policy{}, 50, 1},
	}
	for _, tt := range tests {
		if got := tt.p.Target(tt.avail); got != tt.want {
			t.Errorf("%+v.Target(%d) = %d, want %d", tt.p, tt.avail, got, tt.want)
		}
	}
	if err := DefaultPolicy().Validate(); err != nil {
		t.Error(err)
	}
	for _, bad := range []Policy{{}, {PerDay: -1}, {Num: 2, Den: 1}} {
		if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v.Validate() = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]Level{
		"eselon2": Eselon2, "Eselon II": Eselon2, "III": Eselon3, "eselon IV.a": "", "IVa": Eselon4,
		"Pelaksana": Pelaksana, "staf": Pelaksana, "direktur": "",
	} {
		got, err := ParseLevel(in)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("ParseLevel(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// An office of 30 pelaksana scheduling 10 a day puts everyone on duty
// exactly once in three days, and never twice in a row.
func TestThirtyByTen(t *testing.T) {
	var people []Person
	for i := range 30 {
		people = append(people, Person{ID: int64(100 + i), Level: Pelaksana})
	}
	people = append(people, Person{ID: 1, Level: Eselon2, Fixed: true})
	days := weekdays(civil.MustParse("2020-03-16"), 9)
	out := Generate(Input{People: people, Policy: Policy{PerDay: 10}, Days: days})
	count := map[int64]int{}
	for k, d := range out {
		if len(d.OnDuty) != 10 || !slices.Equal(d.Fixed, []int64{1}) || d.Problems != nil {
			t.Fatalf("%s: %+v", d.Date, d)
		}
		for _, id := range d.OnDuty {
			count[id]++
			if k > 0 && slices.Contains(out[k-1].OnDuty, id) {
				t.Errorf("%s: %d on duty two days in a row", d.Date, id)
			}
		}
		if (k+1)%3 == 0 {
			for _, p := range people[:30] {
				if count[p.ID] != (k+1)/3 {
					t.Fatalf("after %s: %d has %d duty days, want %d", d.Date, p.ID, count[p.ID], (k+1)/3)
				}
			}
		}
	}
}

func TestPublishedAndLastDuty(t *testing.T) {
	people := []Person{{ID: 1, Level: Pelaksana}, {ID: 2, Level: Pelaksana}, {ID: 3, Level: Pelaksana}, {ID: 4, Level: Pelaksana}}
	mon := civil.MustParse("2020-03-23")
	days := weekdays(mon, 3)
	in := Input{
		People: people, Policy: Policy{PerDay: 2}, Days: days,
		Published: map[civil.Date][]int64{days[1]: {4, 1}},
		LastDuty:  map[int64]civil.Date{2: civil.MustParse("2020-03-20"), 3: civil.MustParse("2020-03-20")}, // Friday
	}
	out := Generate(in)
	if !slices.Equal(out[0].OnDuty, []int64{1, 4}) {
		t.Errorf("Monday = %v, want [1 4]: 2 and 3 were on duty on Friday", out[0].OnDuty)
	}
	if !out[1].Published || !slices.Equal(out[1].OnDuty, []int64{1, 4}) {
		t.Errorf("published Tuesday changed: %+v", out[1])
	}
	if !slices.Equal(out[2].OnDuty, []int64{2, 3}) {
		t.Errorf("Wednesday = %v, want [2 3]", out[2].OnDuty)
	}
}

func TestDivisionProblemExample(t *testing.T) {
	d := civil.MustParse("2020-03-19")
	people := []Person{
		{ID: 1, Level: Eselon3, Division: "Keuangan"}, {ID: 2, Level: Pelaksana, Division: "Keuangan"},
		{ID: 3, Level: Eselon4, Division: "Umum"}, {ID: 4, Level: Pelaksana, Division: "Umum"},
	}
	out := Generate(Input{
		People: people, Policy: Policy{PerDay: 1, PerDivision: true}, Days: []civil.Date{d},
		Absent: map[civil.Date][]int64{d: {2}},
	})
	if got := fmt.Sprint(out[0].Problems); got != "[bidang Keuangan tidak punya pelaksana yang tersedia pada 2020-03-19]" {
		t.Errorf("problems = %s", got)
	}
	if !slices.Equal(out[0].OnDuty, []int64{1, 3, 4}) {
		t.Errorf("OnDuty = %v, want [1 3 4]", out[0].OnDuty)
	}
}

// MonthInputs builds a benchmark load: offices offices of size people each
// (one fixed eselon II, a few officials, pelaksana in four divisions), over
// days working days from 2020-03-16, with about 5% absent each day.
func MonthInputs(offices, size, days int) []Input {
	ds := weekdays(civil.MustParse("2020-03-16"), days)
	ins := make([]Input, offices)
	for o := range ins {
		in := Input{Policy: DefaultPolicy(), Days: ds, Absent: map[civil.Date][]int64{}}
		in.Policy.PerDivision = true
		base := int64(o * size)
		for i := range size {
			p := Person{ID: base + int64(i), Level: Pelaksana, Division: divisionNames[i%4]}
			switch {
			case i == 0:
				p.Level, p.Fixed, p.Division = Eselon2, true, ""
			case i < 5:
				p.Level = Eselon3
			case i < 13:
				p.Level = Eselon4
			}
			in.People = append(in.People, p)
		}
		for k, d := range ds {
			for i := k % 20; i < size; i += 20 {
				in.Absent[d] = append(in.Absent[d], base+int64(i))
			}
		}
		ins[o] = in
	}
	return ins
}

func BenchmarkMonth100kStaff(b *testing.B) {
	ins := MonthInputs(2000, 50, 22)
	b.ResetTimer()
	for b.Loop() {
		for _, in := range ins {
			Generate(in)
		}
	}
}

// BenchmarkMonth100kStaffParallel spreads the offices over GOMAXPROCS
// workers, as a scheduler would.
func BenchmarkMonth100kStaffParallel(b *testing.B) {
	ins := MonthInputs(2000, 50, 22)
	workers := runtime.GOMAXPROCS(0)
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for o := w; o < len(ins); o += workers {
					Generate(ins[o])
				}
			})
		}
		wg.Wait()
	}
}
