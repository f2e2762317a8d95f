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

// flexMonth builds March 2026 of an office in mode fleksibel: days at the
// office, days of approved requests, and days a person stated working
// away without an approved request (tanpa persetujuan).
func flexMonth(t *testing.T) *store.Store {
	st := openStore(t)
	ctx := context.Background()
	id := importPeople(t, st, time.Date(2026, 3, 2, 9, 0, 0, 0, wita), []store.StaffInput{
		{NIP: "197502022000032002", Name: "Ni Wayan Sari Dewi", Office: "DISPERKIM", Level: store.LevelEselon3},
		{NIP: "199001012015031004", Name: "Ni Putu Rina", Office: "DISPERKIM", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: "197502022000032002"},
	})
	recs := []store.Attendance{
		{StaffID: id["Ni Putu Rina"], Day: civil.MustParse("2026-03-02"), Status: "hadir", Place: "kantor", Health: "sehat"},
		{StaffID: id["Ni Putu Rina"], Day: civil.MustParse("2026-03-03"), Status: "hadir", Place: "wfh", Health: "sehat", FlexKind: "wfa"},
		{StaffID: id["Ni Putu Rina"], Day: civil.MustParse("2026-03-04"), Status: "hadir", Place: "wfh", Health: "sehat", FlexKind: "wfh", Unapproved: true},
		{StaffID: id["Ni Putu Rina"], Day: civil.MustParse("2026-03-05"), Status: "hadir", Place: "wfh", Health: "sehat", FlexKind: "wfa", Unapproved: true},
		{StaffID: id["Ni Putu Rina"], Day: civil.MustParse("2026-03-06"), Status: "hadir", Place: "wfh", Health: "sehat", FlexKind: "wfh"},
		{StaffID: id["Ni Wayan Sari Dewi"], Day: civil.MustParse("2026-03-02"), Status: "hadir", Place: "kantor", Health: "sehat"},
		{StaffID: id["Ni Wayan Sari Dewi"], Day: civil.MustParse("2026-03-03"), Status: "sakit", Health: "demam"},
	}
	err := st.Write(ctx, func(tx *store.Tx) error {
		for _, a := range recs {
			a.FirstAt = a.Day.At(7, 45, wita)
			a.UpdatedAt = a.FirstAt
			if err := tx.SaveAttendance(ctx, a, 0); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The Tempat column tells an approved flexible day from a day stated away
// without approval; before, both read "wfh".
func TestCSVFlexPlaces(t *testing.T) {
	st := flexMonth(t)
	var buf bytes.Buffer
	if _, err := CSV(context.Background(), &buf, st, Options{Year: 2026, Month: time.March, Office: "DISPERKIM"}); err != nil {
		t.Fatal(err)
	}
	want := checkGolden(t, "flex_march2026.csv", buf.Bytes())
	// The rule itself, so that a careless -update cannot accept the old output.
	rows, err := csv.NewReader(bytes.NewReader(want)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	place := map[string]string{}
	for _, r := range rows[1:] {
		if r[2] == "Ni Putu Rina" {
			place[r[0]] = r[6]
		}
	}
	for day, want := range map[string]string{
		"2026-03-02": "kantor",
		"2026-03-03": "WFA (disetujui)",
		"2026-03-04": "WFH tanpa persetujuan",
		"2026-03-05": "WFA tanpa persetujuan",
		"2026-03-06": "WFH (disetujui)",
		"2026-03-09": "",
	} {
		if place[day] != want {
			t.Errorf("Tempat on %s = %q, want %q", day, place[day], want)
		}
	}
}

func TestPlaceCell(t *testing.T) {
	tests := []struct {
		a    store.Attendance
		want string
	}{
		{store.Attendance{Status: "hadir", Place: "wfh"}, "wfh"}, // mode piket: as stored
		{store.Attendance{Status: "hadir", Place: "kantor"}, "kantor"},
		{store.Attendance{Status: "hadir", Place: "piket"}, "piket"},
		{store.Attendance{Status: "hadir", Place: "wfh", FlexKind: "wfa"}, "WFA (disetujui)"},
		{store.Attendance{Status: "hadir", Place: "wfh", FlexKind: "wfh"}, "WFH (disetujui)"},
		{store.Attendance{Status: "hadir", Place: "wfh", FlexKind: "wfh", Unapproved: true}, "WFH tanpa persetujuan"},
		{store.Attendance{Status: "hadir", Place: "wfh", FlexKind: "wfa", Unapproved: true}, "WFA tanpa persetujuan"},
		{store.Attendance{Status: "sakit", FlexKind: "wfh", Unapproved: true}, ""}, // only a presence has a place
	}
	for _, tt := range tests {
		if got := Place(tt.a); got != tt.want {
			t.Errorf("Place(%+v) = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// importPeople imports staff into st (office zone WITA, imported at now:
// the go-live day) and returns their IDs by name.
func importPeople(t *testing.T, st *store.Store, now time.Time, staff []store.StaffInput) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := st.ImportStaff(ctx, staff, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: now}); err != nil {
		t.Fatal(err)
	}
	people, err := st.ActiveStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]int64{}
	for _, p := range people {
		id[p.Name] = p.ID
	}
	return id
}
