package staff_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
)

var e164 = regexp.MustCompile(`^\+628\d{8,11}$`)

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"081234567890", "+62 812-3456-7890", "(0812) 3456.7890", "62812345678", "81234567890",
		"+62 (0)812 3456 7890", "0062812345678", "", "+", "0812-34", "021-555-1234", "٠٨١٢٣٤٥٦٧٨٩",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := staff.NormalizePhone(s)
		if err != nil {
			if p != "" {
				t.Errorf("NormalizePhone(%q) = %q with error %v", s, p, err)
			}
			return
		}
		if !e164.MatchString(p) {
			t.Errorf("NormalizePhone(%q) = %q, not +628 and 8 to 11 digits", s, p)
		}
		if again, err := staff.NormalizePhone(p); err != nil || again != p {
			t.Errorf("NormalizePhone(%q) = %q, %v; want itself", p, again, err)
		}
	})
}

func FuzzParseNIP(f *testing.F) {
	for _, s := range []string{
		"198503122010011003", "19850312 201001 1 003", "'198503122010011003", "1.98503122010011E+17",
		"198502302010011003", "198503122010131003", "198503122010013003", "198503122010011000", "", "x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := staff.ParseNIP(s)
		if err != nil {
			if n != (staff.NIP{}) {
				t.Errorf("ParseNIP(%q) = %+v with error %v", s, n, err)
			}
			return
		}
		if len(n.Number) != 18 || strings.Trim(n.Number, "0123456789") != "" {
			t.Fatalf("ParseNIP(%q).Number = %q", s, n.Number)
		}
		if again, err := staff.ParseNIP(n.Number); err != nil || again != n {
			t.Errorf("ParseNIP(%q) = %+v, %v; want %+v", n.Number, again, err, n)
		}
		if d, err := civil.Parse(n.BirthDate.String()); err != nil || d != n.BirthDate {
			t.Errorf("ParseNIP(%q): birth date %v is not a real day", s, n.BirthDate)
		}
		if n.Sex != staff.SexMale && n.Sex != staff.SexFemale || n.Seq < 1 || n.Seq > 999 ||
			n.AppointedMonth < 1 || n.AppointedMonth > 12 || n.AppointedYear < n.BirthDate.Year+18 {
			t.Errorf("ParseNIP(%q) = %+v", s, n)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(goodCSV))
	f.Add(sample.StaffCSV())
	f.Add([]byte("nip;nama;opd;jabatan;atasan_nip\n198503122010011003;A;b;II;\n"))
	f.Add([]byte("nip,nama,opd,jabatan,atasan_nip,peran\n198503122010011003,\"A,\"\"B\",b,x,,\"admin,\n"))
	f.Add([]byte("\ufeffnip,nama,opd,jabatan,atasan_nip\n\n,,,\n198503122010011003,A,b,III,198503122010011003,extra\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, bad, err := staff.ReadCSV(bytes.NewReader(data))
		checkRead(t, "ReadCSV", recs, bad, err)
	})
}

// FuzzReadXLSX fuzzes what a workbook holds, not its zip bytes (the zip
// and XML are the XLSX library's): hostile cell text and numbers in a
// real workbook. Damaged files are covered by TestReadXLSX.
func FuzzReadXLSX(f *testing.F) {
	f.Add("NIP", "197008141995031004", "I Wayan Sudarsana", "diskominfo", "Eselon II", "", "0812-3960-1101", "admin", 0.0)
	f.Add("nip", "19760512 200012 2 002", "Ni Luh", "DISKOMINFO", "III", "197008141995031004", "", "", 81238112202.0)
	f.Add("nip", "", "=HYPERLINK(\"x\")", "<b>", "staf", "1.98503122010011e17", "+62 813", "admin,admin", 1.98503122010011e17)
	f.Fuzz(func(t *testing.T, nipHeader, nip, name, office, level, supervisor, phone, roles string, number float64) {
		data := writeXLSX(t, [][]any{
			{nipHeader, "nama", "opd", "jabatan", "atasan_nip", "telepon", "peran"},
			{nip, name, office, level, supervisor, phone, roles},
			{number, name, office, level, number, number, nil},
		})
		recs, bad, err := staff.ReadXLSX(bytes.NewReader(data))
		checkRead(t, "ReadXLSX", recs, bad, err)
	})
}

// checkRead checks what a staff file reader returned for any input: an
// error and nothing else, or records that are each valid, in row order,
// and bad rows that each say which row and why.
func checkRead(t *testing.T, what string, recs []staff.Record, bad []staff.RowError, err error) {
	t.Helper()
	if err != nil {
		if recs != nil || bad != nil {
			t.Errorf("%s returned rows with error %v", what, err)
		}
		return
	}
	last := 1
	for _, r := range recs {
		if r.Line <= last {
			t.Errorf("record line %d after %d", r.Line, last)
		}
		last = r.Line
		if n, err := staff.ParseNIP(r.NIP); err != nil || n.Number != r.NIP {
			t.Errorf("line %d: NIP %q: %v", r.Line, r.NIP, err)
		}
		if r.SupervisorNIP != "" {
			if n, err := staff.ParseNIP(r.SupervisorNIP); err != nil || n.Number != r.SupervisorNIP {
				t.Errorf("line %d: supervisor %q: %v", r.Line, r.SupervisorNIP, err)
			}
		}
		if r.Phone != "" && !e164.MatchString(r.Phone) {
			t.Errorf("line %d: phone %q", r.Line, r.Phone)
		}
		if !slices.Contains(staff.Levels(), r.Level) || r.Name == "" || r.Office == "" || r.Office != strings.ToUpper(r.Office) {
			t.Errorf("line %d: %+v", r.Line, r)
		}
	}
	for _, e := range bad {
		if e.Line < 2 || e.Code == "" {
			t.Errorf("bad row %+v", e)
		}
		_ = e.Text("id") + e.Text("en")
	}
	for _, e := range staff.Validate(recs, func(string) (string, bool) { return "", false }) {
		_ = e.Text("id")
	}
}
