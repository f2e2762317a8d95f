package roster

import (
	"fmt"

	"github.com/piket-id/piket/civil"
)

// Code names a roster rule that could not be met on a day.
type Code string

// The problem codes. They are stable and may be stored.
const (
	// NoOfficial: no eselon III/IV official can be present.
	NoOfficial Code = "no_official"
	// NoStaff: no pelaksana can be present.
	NoStaff Code = "no_staff"
	// DivisionNoOfficial: the division has no official who can be present.
	DivisionNoOfficial Code = "division_no_official"
	// DivisionNoStaff: the division has no pelaksana who can be present.
	DivisionNoStaff Code = "division_no_staff"
	// ShortStaffed: fewer rotating people are available than the policy
	// asks for (Want), so all Got available are on duty.
	ShortStaffed Code = "short_staffed"
)

// Problem is a rule that could not be met on a day, with the facts needed
// to explain it.
type Problem struct {
	Code     Code
	Date     civil.Date
	Division string // for the Division* codes
	Want     int    // for ShortStaffed
	Got      int    // for ShortStaffed
}

// problemTexts holds every user-facing sentence, one table per language so
// Indonesian and English stay in step. Arguments: date, division, want, got
// (by index).
var problemTexts = map[string]map[Code]string{
	"id": {
		NoOfficial:         "tidak ada pejabat eselon III atau IV yang tersedia pada %[1]s",
		NoStaff:            "tidak ada pelaksana yang tersedia pada %[1]s",
		DivisionNoOfficial: "bidang %[2]s tidak punya pejabat eselon III atau IV yang tersedia pada %[1]s",
		DivisionNoStaff:    "bidang %[2]s tidak punya pelaksana yang tersedia pada %[1]s",
		ShortStaffed:       "hanya %[4]d dari %[3]d petugas piket yang tersedia pada %[1]s",
	},
	"en": {
		NoOfficial:         "no eselon III or IV official is available on %[1]s",
		NoStaff:            "no pelaksana (staff member) is available on %[1]s",
		DivisionNoOfficial: "division %[2]s has no eselon III or IV official available on %[1]s",
		DivisionNoStaff:    "division %[2]s has no pelaksana (staff member) available on %[1]s",
		ShortStaffed:       "only %[4]d of %[3]d people on duty are available on %[1]s",
	},
}

// Text explains the problem in plain words, in lang "id" (Indonesian, the
// default for any other value) or "en".
func (p Problem) Text(lang string) string {
	texts, ok := problemTexts[lang]
	if !ok {
		texts = problemTexts["id"]
	}
	format, ok := texts[p.Code]
	if !ok {
		return fmt.Sprintf("%s (%s)", p.Code, p.Date)
	}
	return fmt.Sprintf(format, p.Date, p.Division, p.Want, p.Got)
}

// String returns the Indonesian text.
func (p Problem) String() string { return p.Text("id") }
