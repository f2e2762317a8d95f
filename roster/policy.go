package roster

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Level is a person's rank for the roster rules.
type Level string

// The levels. Officials are eselon III and IV; eselon II (the office head)
// is usually Fixed.
const (
	Eselon2   Level = "eselon2"
	Eselon3   Level = "eselon3"
	Eselon4   Level = "eselon4"
	Pelaksana Level = "pelaksana" // staff
)

// Official reports whether l counts as an official for the coverage rules
// (eselon III or IV).
func (l Level) Official() bool { return l == Eselon3 || l == Eselon4 }

// ErrInvalid is wrapped by the errors of ParseLevel, ParsePolicyCount and
// Policy.Validate.
var ErrInvalid = errors.New("invalid roster setting")

// ParseLevel reads a level as written in staff lists: "eselon2", "Eselon II",
// "II", "pelaksana", "staf"… Case and spaces do not matter.
func ParseLevel(s string) (Level, error) {
	k := strings.ToLower(strings.Join(strings.Fields(s), ""))
	k = strings.TrimPrefix(k, "eselon")
	switch k {
	case "2", "ii", "iia", "iib":
		return Eselon2, nil
	case "3", "iii", "iiia", "iiib":
		return Eselon3, nil
	case "4", "iv", "iva", "ivb":
		return Eselon4, nil
	case "pelaksana", "staf", "staff", "jfu", "jft", "fungsional":
		return Pelaksana, nil
	}
	return "", fmt.Errorf("roster: level %q: %w", s, ErrInvalid)
}

// Policy is an office's roster rule.
type Policy struct {
	// PerDay is how many rotating people are on duty each working day.
	// If it is 0, Num/Den of the rotating people available that day are on
	// duty, rounded up and at least one.
	PerDay   int
	Num, Den int
	// RequireOfficial asks for at least one eselon III or IV official
	// present each day, RequireStaff for at least one pelaksana.
	RequireOfficial bool
	RequireStaff    bool
	// PerDivision asks for at least one official and one pelaksana present
	// from every division (bidang) that has rotating people.
	PerDivision bool
}

// DefaultPolicy is a third of the available staff each day, with at least
// one official and one pelaksana.
func DefaultPolicy() Policy {
	return Policy{Num: 1, Den: 3, RequireOfficial: true, RequireStaff: true}
}

// Validate reports a policy that cannot be applied.
func (p Policy) Validate() error {
	switch {
	case p.PerDay < 0:
		return fmt.Errorf("roster: policy: negative people per day %d: %w", p.PerDay, ErrInvalid)
	case p.PerDay == 0 && (p.Num <= 0 || p.Den <= 0 || p.Num > p.Den):
		return fmt.Errorf("roster: policy: fraction %d/%d must be between 0 and 1: %w", p.Num, p.Den, ErrInvalid)
	}
	return nil
}

// Target is the number of rotating people to put on duty on a day when
// available rotating people can come. It is at least 1; it may exceed
// available (the day is then short-staffed). Coverage rules may add
// people beyond it. An invalid policy is read as one person a day.
func (p Policy) Target(available int) int {
	if p.PerDay > 0 {
		return p.PerDay
	}
	if p.Num <= 0 || p.Den <= 0 {
		return 1
	}
	return max(1, (available*p.Num+p.Den-1)/p.Den)
}

// ParsePolicyCount reads the "people per day" setting: a number ("10"), a
// fraction ("1/3") or a percentage ("33%"). It returns perDay > 0 for a
// number, or num/den for a fraction or percentage, matching Policy.
func ParsePolicyCount(s string) (perDay, num, den int, err error) {
	s = strings.TrimSpace(s)
	bad := func(err error) (int, int, int, error) {
		return 0, 0, 0, fmt.Errorf("roster: people per day %q: %w", s, err)
	}
	atoi := func(t string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(t))
		if err != nil {
			return 0, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		return n, nil
	}
	switch {
	case strings.HasSuffix(s, "%"):
		if num, err = atoi(strings.TrimSuffix(s, "%")); err != nil {
			return bad(err)
		}
		den = 100
	case strings.Contains(s, "/"):
		a, b, _ := strings.Cut(s, "/")
		if num, err = atoi(a); err != nil {
			return bad(err)
		}
		if den, err = atoi(b); err != nil {
			return bad(err)
		}
	default:
		if perDay, err = atoi(s); err != nil {
			return bad(err)
		}
		if perDay <= 0 {
			return bad(fmt.Errorf("must be at least 1: %w", ErrInvalid))
		}
		return perDay, 0, 0, nil
	}
	if num <= 0 || den <= 0 || num > den {
		return bad(fmt.Errorf("must be more than 0 and at most all: %w", ErrInvalid))
	}
	return 0, num, den, nil
}
