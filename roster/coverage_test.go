package roster

import (
	"slices"
	"testing"

	"github.com/piket-id/piket/civil"
)

func TestCoverage(t *testing.T) {
	day := civil.MustParse("2020-03-19")
	people := []Person{
		{ID: 1, Level: Eselon2, Fixed: true},
		{ID: 2, Level: Eselon3, Division: "Sekretariat"},
		{ID: 3, Level: Pelaksana, Division: "Sekretariat"},
		{ID: 4, Level: Eselon4, Division: "Statistik"},
		{ID: 5, Level: Pelaksana, Division: "Statistik"},
		{ID: 6, Level: Pelaksana, Division: "Statistik"},
	}
	def := DefaultPolicy()
	perDiv := def
	perDiv.PerDivision = true
	none := Policy{}
	tests := []struct {
		name    string
		policy  Policy
		present []int64
		want    []Code
	}{
		{"official and staff", def, []int64{1, 2, 3}, nil},
		{"the head is no official", def, []int64{1, 3}, []Code{NoOfficial}},
		{"no staff", def, []int64{2, 4}, []Code{NoStaff}},
		{"nobody", def, nil, []Code{NoOfficial, NoStaff}},
		{"no rules", none, nil, nil},
		{"per division met", perDiv, []int64{2, 3, 4, 5}, nil},
		{"per division: Statistik lacks staff", perDiv, []int64{2, 3, 4}, []Code{DivisionNoStaff}},
		{"per division: Sekretariat lacks both", perDiv, []int64{4, 5}, []Code{DivisionNoOfficial, DivisionNoStaff}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Code
			for _, p := range Coverage(tt.policy, people, day, tt.present) {
				got = append(got, p.Code)
				if p.Date != day {
					t.Errorf("problem dated %s, want %s", p.Date, day)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Coverage = %v, want %v", got, tt.want)
			}
		})
	}
	// Generate and Coverage agree: a generated day meets every rule it can.
	for _, p := range []Policy{def, perDiv} {
		days := Generate(Input{People: people, Policy: p, Days: []civil.Date{day}})
		present := append(slices.Clone(days[0].Fixed), days[0].OnDuty...)
		if got := Coverage(p, people, day, present); len(got) != 0 {
			t.Errorf("generated day %v breaks %v", present, got)
		}
	}
}

func TestBroken(t *testing.T) {
	d := civil.MustParse("2020-03-19")
	before := []Problem{{Code: DivisionNoStaff, Date: d, Division: "A"}}
	after := []Problem{{Code: DivisionNoStaff, Date: d, Division: "A"}, {Code: DivisionNoStaff, Date: d, Division: "B"}, {Code: NoOfficial, Date: d}}
	got := Broken(before, after)
	if len(got) != 2 || got[0].Division != "B" || got[1].Code != NoOfficial {
		t.Errorf("Broken = %v", got)
	}
	if got := Broken(after, before); len(got) != 0 {
		t.Errorf("a swap that mends coverage breaks %v", got)
	}
}
