package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// An export of the go-live month shows nothing before go-live: no
// "tanpa keterangan" for days nobody was asked to check in.
func TestGoLiveMonthStartsAtGoLive(t *testing.T) {
	for _, c := range []struct {
		name     string
		imported time.Time                    // the office's first import: its stored go-live
		since    func(code string) civil.Date // offices.CODE.since
		first    map[string]string            // first exported day per office
		days     map[string]int               // working days per office
	}{
		{
			name:     "imported on Monday 16 March",
			imported: time.Date(2020, 3, 16, 10, 0, 0, 0, wita),
			first:    map[string]string{"DISKOMINFO": "2020-03-16", "BKPSDM": "2020-03-16"},
			days:     map[string]int{"DISKOMINFO": 11, "BKPSDM": 11}, // 16–31 March without Nyepi
		},
		{
			name:     "imported just after midnight Bali time (still Monday in UTC)",
			imported: time.Date(2020, 3, 17, 0, 30, 0, 0, wita),
			first:    map[string]string{"DISKOMINFO": "2020-03-17", "BKPSDM": "2020-03-17"},
			days:     map[string]int{"DISKOMINFO": 10, "BKPSDM": 10},
		},
		{
			name:     "configured go-live overrides the import day for one office",
			imported: time.Date(2020, 3, 16, 10, 0, 0, 0, wita),
			since: func(code string) civil.Date {
				if code == "BKPSDM" {
					return civil.MustParse("2020-03-23")
				}
				return civil.Date{}
			},
			first: map[string]string{"DISKOMINFO": "2020-03-16", "BKPSDM": "2020-03-23"},
			days:  map[string]int{"DISKOMINFO": 11, "BKPSDM": 6},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := openStore(t)
			ctx := context.Background()
			_, err := st.ImportStaff(ctx, []store.StaffInput{
				{NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: store.LevelEselon2},
				{NIP: "199001102015031003", Name: "Agus Setiawan", Office: "BKPSDM", Level: store.LevelPelaksana},
			}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: c.imported})
			if err != nil {
				t.Fatal(err)
			}
			opt := march
			opt.Since = c.since
			var buf bytes.Buffer
			sums, err := CSV(ctx, &buf, st, opt)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&buf).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			first := map[string]string{}
			for _, r := range rows[1:] {
				if r[0] < c.first[r[3]] {
					t.Errorf("row before %s's go-live %s: %v", r[3], c.first[r[3]], r)
				}
				if _, ok := first[r[3]]; !ok {
					first[r[3]] = r[0]
				}
			}
			for office, want := range c.first {
				if first[office] != want {
					t.Errorf("%s: first exported day %q, want %q", office, first[office], want)
				}
			}
			for _, s := range sums {
				if want := c.days[s.Staff.Office.Code]; s.WorkDays != want || s.None != want {
					t.Errorf("%s: %d working days, %d without a record; want %d and %d", s.Staff.Name, s.WorkDays, s.None, want, want)
				}
			}
		})
	}
}

// The month before go-live exports people but no days.
func TestMonthBeforeGoLiveIsEmpty(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	if _, err := st.ImportStaff(ctx, []store.StaffInput{
		{NIP: "199001102015031003", Name: "Agus Setiawan", Office: "BKPSDM", Level: store.LevelPelaksana},
	}, store.ImportOptions{DefaultTZ: "Asia/Jakarta", Now: time.Date(2020, 4, 1, 8, 0, 0, 0, wita)}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sums, err := CSV(ctx, &buf, st, march)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || sums[0].WorkDays != 0 || sums[0].None != 0 {
		t.Errorf("summary before go-live: %+v, want no working days", sums)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 1 {
		t.Errorf("export before go-live has %d lines, want the header only:\n%s", n, buf.String())
	}
}
