package bench

import (
	"runtime"
	"sync"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/roster"
)

// RosterResult is one month of rosters for a province.
type RosterResult struct {
	Staff, Offices, Days int
	Elapsed              time.Duration
}

// MonthInputs builds a province: offices offices of size people each (one
// fixed office head, four eselon III, eight eselon IV, pelaksana in four
// divisions) over days working days from 2020-03-16, about 5% absent each
// day, per-division coverage on.
func MonthInputs(offices, size, days int) []roster.Input {
	var ds []civil.Date
	for d := civil.MustParse("2020-03-16"); len(ds) < days; d = d.AddDays(1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			ds = append(ds, d)
		}
	}
	divs := []string{"Sekretariat", "Bidang Pelayanan", "Bidang Data", "Bidang Pengawasan"}
	ins := make([]roster.Input, offices)
	for o := range ins {
		in := roster.Input{Policy: roster.DefaultPolicy(), Days: ds, Absent: map[civil.Date][]int64{}}
		in.Policy.PerDivision = true
		base := int64(o * size)
		for i := range size {
			p := roster.Person{ID: base + int64(i), Level: roster.Pelaksana, Division: divs[i%4]}
			switch {
			case i == 0:
				p.Level, p.Fixed, p.Division = roster.Eselon2, true, ""
			case i < 5:
				p.Level = roster.Eselon3
			case i < 13:
				p.Level = roster.Eselon4
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

// Roster generates a month (22 working days) for staff people in offices
// offices, spread over GOMAXPROCS workers as the scheduler would.
func Roster(staff, offices int) RosterResult {
	ins := MonthInputs(offices, staff/offices, 22)
	workers := runtime.GOMAXPROCS(0)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for o := w; o < len(ins); o += workers {
				roster.Generate(ins[o])
			}
		})
	}
	wg.Wait()
	return RosterResult{Staff: staff / offices * offices, Offices: offices, Days: 22, Elapsed: time.Since(start)}
}
