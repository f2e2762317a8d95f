// Package staff reads and checks the staff registry that an office admin
// imports from the HR system's CSV or XLSX export.
//
// The file has one header row naming the columns
//
//	nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran
//
// in any order. Reading a file (ReadCSV, ReadXLSX, ReadFile) turns each data
// row into a Record or into one or more RowErrors saying what is wrong with it;
// Validate then checks the rows against each other and against the registry
// already stored: duplicate NIPs and phone numbers, unknown supervisors and
// loops in the supervisor chain.
package staff

import (
	"slices"
	"strings"
)

// Level is a person's structural level (jabatan): an echelon or staff.
type Level string

// The levels, from office head down to staff.
const (
	LevelEselon2   Level = "eselon2"   // head of an office (Kepala Dinas/Badan)
	LevelEselon3   Level = "eselon3"   // secretary, head of a division (kepala bidang)
	LevelEselon4   Level = "eselon4"   // head of a section (kasubbag, kasi)
	LevelPelaksana Level = "pelaksana" // staff
)

// Levels lists every level from the highest to the lowest.
func Levels() []Level {
	return []Level{LevelEselon2, LevelEselon3, LevelEselon4, LevelPelaksana}
}

// String returns the canonical name of l ("eselon2" … "pelaksana").
func (l Level) String() string { return string(l) }

// ParseLevel reads a jabatan as HR exports write it: "eselon2", "Eselon II",
// "II", "IIIa", "es. IV", "pelaksana", "staf", "staff" and the like.
func ParseLevel(s string) (Level, error) {
	k := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '.', '-', '_', '\u00a0':
			return -1
		}
		return r
	}, strings.ToLower(s))
	switch k {
	case "pelaksana", "staf", "staff", "jfu":
		return LevelPelaksana, nil
	}
	if rest, ok := strings.CutPrefix(k, "eselon"); ok {
		k = rest
	} else if rest, ok := strings.CutPrefix(k, "es"); ok {
		k = rest
	}
	// Sub-grades a/b (II.a, IIIb) are the same level for Piket.
	if len(k) > 1 && (strings.HasSuffix(k, "a") || strings.HasSuffix(k, "b")) {
		k = k[:len(k)-1]
	}
	switch k {
	case "2", "ii":
		return LevelEselon2, nil
	case "3", "iii":
		return LevelEselon3, nil
	case "4", "iv":
		return LevelEselon4, nil
	}
	return "", &ValueError{Code: CodeLevel, Value: s}
}

// RoleAdmin lets a person manage their office in Piket: import staff, set the
// roster policy, publish rosters, export attendance.
const RoleAdmin = "admin"

// knownRole reports whether role is one Piket knows.
func knownRole(role string) bool { return role == RoleAdmin }

// Record is one valid row of a staff file.
type Record struct {
	Line          int    // line (CSV) or row (XLSX) number in the file, from 1
	NIP           string // 18 digits
	Name          string // as written, spaces collapsed
	Office        string // office (OPD) code, upper case
	Division      string // division (bidang), spaces collapsed; may be empty
	Level         Level
	SupervisorNIP string   // 18 digits, or empty for none
	Phone         string   // E.164 (+628…), or empty when unknown
	Roles         []string // lower case, without duplicates; nil when none
	// Flexible work (flex.go): NoFlex marks a person not eligible
	// (fleksibel=tidak); TMT is YYYY-MM-DD or empty; Home is "LAT,LON" or empty.
	NoFlex bool
	TMT    string
	Home   string
}

// HasRole reports whether r has the given role.
func (r Record) HasRole(role string) bool { return slices.Contains(r.Roles, role) }
