package staff

import (
	"strconv"
	"strings"
)

// ErrCode says what is wrong with a row or a value.
type ErrCode string

// The error codes. Each has a message in every language in messages.go.
const (
	CodeRequired  ErrCode = "required"   // a required cell is empty
	CodeMalformed ErrCode = "malformed"  // the CSV line cannot be read
	CodeExtraCell ErrCode = "extra_cell" // more cells than header columns

	CodeNIPChars       ErrCode = "nip_chars"       // not only digits and spaces
	CodeNIPAsNumber    ErrCode = "nip_as_number"   // Excel stored the NIP as a float
	CodeNIPLength      ErrCode = "nip_length"      // not 18 digits
	CodeNIPBirthDate   ErrCode = "nip_birth_date"  // digits 1–8 not a plausible birth date
	CodeNIPAppointment ErrCode = "nip_appointment" // digits 9–14 not a plausible month
	CodeNIPSex         ErrCode = "nip_sex"         // digit 15 not 1 or 2
	CodeNIPSeq         ErrCode = "nip_seq"         // digits 16–18 are 000
	CodeNIPTooYoung    ErrCode = "nip_too_young"   // appointed before age 18

	CodeLevel ErrCode = "level" // unknown jabatan
	CodeRole  ErrCode = "role"  // unknown role in peran
	CodePhone ErrCode = "phone" // not an Indonesian mobile number

	CodeDuplicateNIP      ErrCode = "duplicate_nip"      // same NIP on another line
	CodeDuplicatePhone    ErrCode = "duplicate_phone"    // same phone on another line
	CodePhoneTaken        ErrCode = "phone_taken"        // phone of another active person in the registry
	CodeUnknownSupervisor ErrCode = "unknown_supervisor" // atasan_nip names nobody
	CodeSelfSupervisor    ErrCode = "self_supervisor"    // atasan_nip is the row's own NIP
	CodeSupervisorCycle   ErrCode = "supervisor_cycle"   // the atasan chain loops
)

// Column names as they appear in the header row; RowError.Field is one of them.
const (
	ColNIP           = "nip"
	ColName          = "nama"
	ColOffice        = "opd"
	ColDivision      = "bidang"
	ColLevel         = "jabatan"
	ColSupervisorNIP = "atasan_nip"
	ColPhone         = "telepon"
	ColRoles         = "peran"
)

// ValueError reports a single rejected value, from ParseNIP, NormalizePhone
// or ParseLevel.
type ValueError struct {
	Code  ErrCode
	Value string // the input as given
}

// Error returns an English description.
func (e *ValueError) Error() string {
	return "staff: " + message("en", e.Code, e.Value)
}

// RowError is a bad row of a staff file.
type RowError struct {
	Line   int    // line (CSV) or row (XLSX) number, from 1
	NIP    string // the row's NIP when it is valid, else empty
	Field  string // the column at fault (ColNIP…), empty for the whole row
	Code   ErrCode
	Detail string // the offending value, or the other lines or the loop, by Code
}

// Error returns the English text, so that a RowError can be used as an error.
func (e RowError) Error() string { return e.Text("en") }

// Text returns a message for the admin who imported the file, in Indonesian
// ("id", the default) or English ("en"), such as
//
//	baris 12 (NIP 198503122010011003): kolom telepon: "0812-34" bukan nomor ponsel Indonesia yang sah
func (e RowError) Text(lang string) string {
	w := catalog(lang)
	var b strings.Builder
	b.WriteString(w.line)
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(e.Line))
	if e.NIP != "" {
		b.WriteString(" (NIP ")
		b.WriteString(e.NIP)
		b.WriteByte(')')
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(w.column)
		b.WriteByte(' ')
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(message(lang, e.Code, e.Detail))
	return b.String()
}

// message fills the template for code in lang with detail: "{q}" becomes the
// quoted detail, "{d}" the detail as is.
func message(lang string, code ErrCode, detail string) string {
	t, ok := catalog(lang).codes[code]
	if !ok {
		t = string(code) + ": {q}"
	}
	t = strings.ReplaceAll(t, "{q}", strconv.Quote(detail))
	return strings.ReplaceAll(t, "{d}", detail)
}
