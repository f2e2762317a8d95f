package sample_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
)

func readValid(t *testing.T, data []byte) []staff.Record {
	t.Helper()
	recs, bad, err := staff.ReadCSV(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadCSV: %v", err)
	}
	for _, e := range bad {
		t.Errorf("ReadCSV: %s", e.Text("en"))
	}
	for _, e := range staff.Validate(recs, nil) {
		t.Errorf("Validate: %s", e.Text("en"))
	}
	return recs
}

func TestStaffCSV(t *testing.T) {
	recs := readValid(t, sample.StaffCSV())
	if !strings.HasPrefix(string(sample.StaffCSV()), sample.Header+"\n") {
		t.Errorf("sample does not start with the header %q", sample.Header)
	}
	type count struct{ people, admins, heads int }
	offices := map[string]*count{}
	levels := map[string]map[staff.Level]int{}
	for _, r := range recs {
		c := offices[r.Office]
		if c == nil {
			c = &count{}
			offices[r.Office] = c
			levels[r.Office] = map[staff.Level]int{}
		}
		c.people++
		levels[r.Office][r.Level]++
		if r.HasRole(staff.RoleAdmin) {
			c.admins++
		}
		if r.SupervisorNIP == "" {
			c.heads++
			if r.Level != staff.LevelEselon2 || !r.HasRole(staff.RoleAdmin) {
				t.Errorf("line %d: top of %s is %s, admin %v; want an eselon2 admin", r.Line, r.Office, r.Level, r.HasRole(staff.RoleAdmin))
			}
		}
		if r.Phone == "" {
			t.Errorf("line %d: no phone", r.Line)
		}
	}
	for _, office := range []string{"DISKOMINFO", "BKPSDM"} {
		c := offices[office]
		if c == nil {
			t.Errorf("office %s missing", office)
			continue
		}
		if c.people < 25 || c.heads != 1 || c.admins != 2 {
			t.Errorf("%s: %d people, %d heads, %d admins; want about 30, 1, 2", office, c.people, c.heads, c.admins)
		}
		for _, l := range staff.Levels() {
			if levels[office][l] == 0 {
				t.Errorf("%s has nobody at level %s", office, l)
			}
		}
	}
	if len(offices) != 2 {
		t.Errorf("offices = %d, want 2", len(offices))
	}
	for _, r := range recs {
		if r.Level == staff.LevelPelaksana {
			if r.Office == "DISKOMINFO" {
				if r.Name != "Ni Made Sari" {
					t.Errorf("first pelaksana of DISKOMINFO = %q, want %q", r.Name, "Ni Made Sari")
				}
				break
			}
		}
	}
}

func TestGenerate(t *testing.T) {
	var b bytes.Buffer
	if err := sample.Generate(&b, 10000, 25, 1); err != nil {
		t.Fatal(err)
	}
	recs := readValid(t, b.Bytes())
	if len(recs) != 10000 {
		t.Fatalf("got %d records, want 10000", len(recs))
	}
	levels := map[string]map[staff.Level]bool{}
	for _, r := range recs {
		if levels[r.Office] == nil {
			levels[r.Office] = map[staff.Level]bool{}
		}
		levels[r.Office][r.Level] = true
	}
	if len(levels) != 25 {
		t.Errorf("offices = %d, want 25", len(levels))
	}
	for office, ls := range levels {
		if len(ls) != 4 {
			t.Errorf("%s has levels %v, want all four", office, ls)
		}
	}

	var again bytes.Buffer
	if err := sample.Generate(&again, 10000, 25, 1); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("Generate is not deterministic for a seed")
	}
}

func TestGenerateSmall(t *testing.T) {
	for _, tc := range []struct{ n, offices int }{{4, 1}, {5, 1}, {9, 2}, {40, 10}, {100, 3}} {
		var b bytes.Buffer
		if err := sample.Generate(&b, tc.n, tc.offices, 7); err != nil {
			t.Fatalf("Generate(%d, %d): %v", tc.n, tc.offices, err)
		}
		if recs := readValid(t, b.Bytes()); len(recs) != tc.n {
			t.Errorf("Generate(%d, %d): %d records", tc.n, tc.offices, len(recs))
		}
	}
	if err := sample.Generate(new(bytes.Buffer), 7, 2, 1); err == nil {
		t.Error("Generate(7, 2) succeeded, want error: offices too small")
	}
	if err := sample.Generate(new(bytes.Buffer), 7, 0, 1); err == nil {
		t.Error("Generate(7, 0) succeeded, want error")
	}
}
