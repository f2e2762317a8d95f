package staff

import (
	"strconv"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
)

// Sex is the sex digit of a NIP.
type Sex int

// The sex digits.
const (
	SexMale   Sex = 1
	SexFemale Sex = 2
)

// NIP is a parsed civil-servant ID (Nomor Induk Pegawai).
type NIP struct {
	Number         string     // the 18 digits
	BirthDate      civil.Date // digits 1–8, YYYYMMDD
	AppointedYear  int        // digits 9–12
	AppointedMonth time.Month // digits 13–14
	Sex            Sex        // digit 15
	Seq            int        // digits 16–18, 1–999
}

// String returns the 18 digits.
func (n NIP) String() string { return n.Number }

// Bounds for the dates inside a NIP. Appointment years are not checked against
// today so that parsing stays a pure function; the age check below catches
// most typing errors in the year.
const (
	minBirthYear     = 1940
	maxBirthYear     = 2010
	minAppointedYear = 1960
	maxAppointedYear = 2100
	minAgeAppointed  = 18
)

// ParseNIP reads an 18-digit NIP, allowing the spaces people put between its
// parts ("19850312 201001 1 003") and the leading apostrophe Excel uses to
// keep numbers as text. It checks that the birth date is a real day, the
// appointment month is real and at least 18 years after birth, the sex digit
// is 1 or 2 and the sequence is not 000. The error is a *ValueError.
func ParseNIP(s string) (NIP, error) {
	fail := func(c ErrCode) (NIP, error) { return NIP{}, &ValueError{Code: c, Value: s} }
	t := strings.TrimPrefix(strings.TrimSpace(s), "'")
	d := t
	if !allDigits(t) {
		var b strings.Builder
		b.Grow(18)
		for _, r := range t {
			switch {
			case r >= '0' && r <= '9':
				b.WriteByte(byte(r))
			case r == ' ' || r == '\t' || r == '\u00a0':
			default:
				if looksLikeExcelNumber(t) {
					return fail(CodeNIPAsNumber)
				}
				return fail(CodeNIPChars)
			}
		}
		d = b.String()
	}
	if len(d) != 18 {
		return fail(CodeNIPLength)
	}
	by, bm, bd := atoi(d[0:4]), atoi(d[4:6]), atoi(d[6:8])
	if by < minBirthYear || by > maxBirthYear || !realDate(by, bm, bd) {
		return fail(CodeNIPBirthDate)
	}
	ay, am := atoi(d[8:12]), atoi(d[12:14])
	if ay < minAppointedYear || ay > maxAppointedYear || am < 1 || am > 12 {
		return fail(CodeNIPAppointment)
	}
	sex := Sex(d[14] - '0')
	if sex != SexMale && sex != SexFemale {
		return fail(CodeNIPSex)
	}
	seq := atoi(d[15:18])
	if seq == 0 {
		return fail(CodeNIPSeq)
	}
	// Appointed in the month of the 18th birthday or later.
	if ay*12+am < (by+minAgeAppointed)*12+bm {
		return fail(CodeNIPTooYoung)
	}
	return NIP{
		Number:         d,
		BirthDate:      civil.Date{Year: by, Month: time.Month(bm), Day: bd},
		AppointedYear:  ay,
		AppointedMonth: time.Month(am),
		Sex:            sex,
		Seq:            seq,
	}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func realDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// looksLikeExcelNumber reports whether s is a number as Excel writes a long
// number it stores as a float: "1.98503122010011E+17", "1,98503E+17",
// "198503122010011000.0".
func looksLikeExcelNumber(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' || !strings.ContainsAny(s, ".,eE") {
		return false
	}
	_, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	return err == nil
}
