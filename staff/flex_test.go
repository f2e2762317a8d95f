package staff_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/staff"
)

func TestReadFlexColumns(t *testing.T) {
	csv := "nip,nama,opd,jabatan,atasan_nip,Fleksibel,TMT CPNS,Lokasi Rumah\n" +
		"199001012015031004,Ni Putu Rina,DISPERKIM,pelaksana,,ya,2015-03-01,\"-8.55, 115.12\"\n" +
		"199304042018032007,I Ketut Bayu,DISPERKIM,pelaksana,,Tidak  boleh,01/04/2018,\n" +
		"199506062025121009,I Wayan Baru,DISPERKIM,pelaksana,,,1 Desember 2025,\n" +
		"199607072019032010,Ni Made Yanti,DISPERKIM,pelaksana,,,,\n" +
		"199405052019031008,Salah Semua,DISPERKIM,pelaksana,,mungkin,32/13/2019,rumah saya\n"
	recs, bad, err := staff.ReadCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		no        bool
		tmt, home string
	}
	want := map[string]got{
		"Ni Putu Rina":  {false, "2015-03-01", "-8.550000,115.120000"},
		"I Ketut Bayu":  {true, "2018-04-01", ""},
		"I Wayan Baru":  {false, "2025-12-01", ""},
		"Ni Made Yanti": {false, "", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(recs), len(want), recs)
	}
	for _, r := range recs {
		if g := (got{r.NoFlex, r.TMT, r.Home}); g != want[r.Name] {
			t.Errorf("%s: %+v, want %+v", r.Name, g, want[r.Name])
		}
	}
	if y := recs[3].AppointedOn(); y != "2019-03-01" {
		t.Errorf("TMT from the NIP: %q, want 2019-03-01", y)
	}
	var codes []string
	for _, e := range bad {
		codes = append(codes, e.Field+":"+string(e.Code))
		if strings.Contains(e.Text("id"), "codes[") || e.Text("id") == "" || e.Text("en") == "" {
			t.Errorf("no message for %s", e.Code)
		}
	}
	if strings.Join(codes, " ") != "fleksibel:flexible tmt:tmt lokasi_domisili:home" {
		t.Errorf("row errors %v", codes)
	}
}

func TestReadXLSXDateTMT(t *testing.T) {
	serial := float64(time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	data := writeXLSX(t, [][]any{
		{"nip", "nama", "opd", "jabatan", "atasan_nip", "tmt"},
		{"199001012015031004", "Ni Putu Rina", "DISPERKIM", "pelaksana", nil, time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"199102022016032005", "I Kadek Agus", "DISPERKIM", "pelaksana", nil, serial},
	})
	recs, bad, err := staff.ReadXLSX(bytes.NewReader(data))
	if err != nil || len(bad) > 0 {
		t.Fatalf("%v %v", bad, err)
	}
	for _, r := range recs {
		if r.TMT != "2015-03-01" {
			t.Errorf("%s: TMT %q, want 2015-03-01", r.Name, r.TMT)
		}
	}
}
