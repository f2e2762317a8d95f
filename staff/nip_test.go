package staff_test

import (
	"errors"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/staff"
)

func TestParseNIP(t *testing.T) {
	n, err := staff.ParseNIP("19850312 201001 1 003")
	if err != nil {
		t.Fatalf("ParseNIP: %v", err)
	}
	want := staff.NIP{
		Number:         "198503122010011003",
		BirthDate:      civil.MustParse("1985-03-12"),
		AppointedYear:  2010,
		AppointedMonth: time.January,
		Sex:            staff.SexMale,
		Seq:            3,
	}
	if n != want {
		t.Errorf("ParseNIP = %+v, want %+v", n, want)
	}

	tests := []struct {
		in   string
		want string        // normalized NIP when valid
		code staff.ErrCode // when invalid
	}{
		{in: "198503122010011003", want: "198503122010011003"},
		{in: " 19850312 201001 1 003 ", want: "198503122010011003"},
		{in: "'198503122010011003", want: "198503122010011003"}, // Excel text prefix
		{in: "199203142015032001", want: "199203142015032001"},
		{in: "200002292019012001", want: "200002292019012001"}, // leap day
		{in: "198503122003031003", want: "198503122003031003"}, // the month of the 18th birthday

		{in: "", code: staff.CodeNIPLength},
		{in: "19850312201001100", code: staff.CodeNIPLength},
		{in: "1985031220100110031", code: staff.CodeNIPLength},
		{in: "19850312A010011003", code: staff.CodeNIPChars},
		{in: "19850312-201001-1-003", code: staff.CodeNIPChars},
		{in: "1.98503122010011E+17", code: staff.CodeNIPAsNumber},
		{in: "1,98503E+17", code: staff.CodeNIPAsNumber},
		{in: "198502302010011003", code: staff.CodeNIPBirthDate}, // 30 February
		{in: "199002292018011001", code: staff.CodeNIPBirthDate}, // 1990 not a leap year
		{in: "198513122010011003", code: staff.CodeNIPBirthDate}, // month 13
		{in: "193912312010011003", code: staff.CodeNIPBirthDate}, // too old
		{in: "201512312040011003", code: staff.CodeNIPBirthDate}, // too young
		{in: "198503122010131003", code: staff.CodeNIPAppointment},
		{in: "198503122010001003", code: staff.CodeNIPAppointment},
		{in: "198503121950011003", code: staff.CodeNIPAppointment},
		{in: "198503122010013003", code: staff.CodeNIPSex},
		{in: "198503122010010003", code: staff.CodeNIPSex},
		{in: "198503122010011000", code: staff.CodeNIPSeq},
		{in: "198503122003021003", code: staff.CodeNIPTooYoung}, // a month short of 18
		{in: "198503121999011003", code: staff.CodeNIPTooYoung},
	}
	for _, tc := range tests {
		n, err := staff.ParseNIP(tc.in)
		if tc.code == "" {
			if err != nil {
				t.Errorf("ParseNIP(%q): %v", tc.in, err)
			} else if n.Number != tc.want || n.String() != tc.want {
				t.Errorf("ParseNIP(%q) = %q, want %q", tc.in, n.Number, tc.want)
			}
			continue
		}
		ve, ok := errors.AsType[*staff.ValueError](err)
		if !ok {
			t.Errorf("ParseNIP(%q) = %q, %v; want error %s", tc.in, n.Number, err, tc.code)
			continue
		}
		if ve.Code != tc.code || ve.Value != tc.in {
			t.Errorf("ParseNIP(%q) error %s (value %q), want %s", tc.in, ve.Code, ve.Value, tc.code)
		}
	}
}

func TestParseLevel(t *testing.T) {
	tests := map[string]staff.Level{
		"eselon2": staff.LevelEselon2, "II": staff.LevelEselon2, "Eselon II": staff.LevelEselon2,
		"II.a": staff.LevelEselon2, "es. II": staff.LevelEselon2, "ESELON 2": staff.LevelEselon2,
		"eselon3": staff.LevelEselon3, "III": staff.LevelEselon3, "Eselon III": staff.LevelEselon3, "IIIb": staff.LevelEselon3,
		"eselon4": staff.LevelEselon4, "IV": staff.LevelEselon4, "eselon IV.a": staff.LevelEselon4, "Eselon-4": staff.LevelEselon4,
		"pelaksana": staff.LevelPelaksana, "Pelaksana": staff.LevelPelaksana, "staf": staff.LevelPelaksana, "Staff": staff.LevelPelaksana,
	}
	for in, want := range tests {
		if got, err := staff.ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "eselon", "V", "eselon5", "I", "kepala", "a", "IIc"} {
		if got, err := staff.ParseLevel(in); err == nil {
			t.Errorf("ParseLevel(%q) = %q, want error", in, got)
		}
	}
}
