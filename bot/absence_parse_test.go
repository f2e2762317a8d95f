package bot

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/holiday"
)

// workingMonFri is Monday to Friday minus the built-in holidays (Nyepi
// 2020-03-25 among them).
func workingMonFri(d civil.Date) bool {
	return builtinCalendar.IsWorkingDay(d, holiday.MondayToFriday())
}

func TestParseAbsence(t *testing.T) {
	today := civil.MustParse("2020-03-18") // a Wednesday
	tests := []struct {
		text     string
		from, to string // "" : an error
		rest     string
		err      error
	}{
		{"20-24 Maret", "2020-03-20", "2020-03-24", "", nil},
		{"20 - 24 Maret", "2020-03-20", "2020-03-24", "", nil},
		{"20–24 maret 2020", "2020-03-20", "2020-03-24", "", nil},
		{"tanggal 20-24 Maret, urusan keluarga", "2020-03-20", "2020-03-24", "urusan keluarga", nil},
		{"tgl. 20 s.d. 24 Maret", "2020-03-20", "2020-03-24", "", nil},
		{"2020-03-20 s.d. 2020-03-24", "2020-03-20", "2020-03-24", "", nil},
		{"2020-03-20 s/d 2020-03-24 menikah", "2020-03-20", "2020-03-24", "menikah", nil},
		{"2020-03-20 sd 2020-03-24", "2020-03-20", "2020-03-24", "", nil},
		{"2020-03-20 sampai 2020-03-24", "2020-03-20", "2020-03-24", "", nil},
		{"2020-03-20 sampai dengan 2020-03-24", "2020-03-20", "2020-03-24", "", nil},
		{"2020-03-20 hingga 2020-03-24", "2020-03-20", "2020-03-24", "", nil},
		{"dari 20/3 sampai tanggal 24/3", "2020-03-20", "2020-03-24", "", nil},
		{"20 Maret - 3 April", "2020-03-20", "2020-04-03", "", nil},
		{"30 Maret s.d 2 April 2020 umroh", "2020-03-30", "2020-04-02", "umroh", nil},
		{"2020-03-26", "2020-03-26", "2020-03-26", "", nil},
		{"26-03-2020", "2020-03-26", "2020-03-26", "", nil},
		{"26/03/2020", "2020-03-26", "2020-03-26", "", nil},
		{"26.03.2020", "2020-03-26", "2020-03-26", "", nil},
		{"26/3/20", "2020-03-26", "2020-03-26", "", nil},
		{"26/3 ke Jakarta", "2020-03-26", "2020-03-26", "ke Jakarta", nil},
		{"26 Maret", "2020-03-26", "2020-03-26", "", nil},
		{"26 Mar.", "2020-03-26", "2020-03-26", "", nil},
		{"26 March", "2020-03-26", "2020-03-26", "", nil},
		{"March 26, 2020 family event", "2020-03-26", "2020-03-26", "family event", nil},
		{"pada tanggal 2 april", "2020-04-02", "2020-04-02", "", nil},
		{"besok ada acara keluarga", "2020-03-19", "2020-03-19", "ada acara keluarga", nil},
		{"Besok, ada acara keluarga", "2020-03-19", "2020-03-19", "ada acara keluarga", nil},
		{"tomorrow", "2020-03-19", "2020-03-19", "", nil},
		{"lusa", "2020-03-20", "2020-03-20", "", nil},
		{"hari ini", "2020-03-18", "2020-03-18", "", nil},
		{"mulai hari ini 3 hari", "2020-03-18", "2020-03-20", "", nil},
		{"3 hari", "2020-03-18", "2020-03-20", "", nil},
		{"3 hari demam tinggi", "2020-03-18", "2020-03-20", "demam tinggi", nil},
		{"selama 5 hari kerja", "2020-03-18", "2020-03-24", "", nil}, // 18, 19, 20, 23, 24
		{"selama 6 hari kerja", "2020-03-18", "2020-03-26", "", nil}, // Nyepi (25) skipped
		{"tiga hari", "2020-03-18", "2020-03-20", "", nil},
		{"sehari", "2020-03-18", "2020-03-18", "", nil},
		{"2 days", "2020-03-18", "2020-03-19", "", nil},
		{"besok 2 hari", "2020-03-19", "2020-03-20", "", nil},
		{"mulai senin selama 3 hari", "2020-03-23", "2020-03-26", "", nil},
		{"seminggu", "2020-03-18", "2020-03-24", "", nil},
		{"2 minggu", "2020-03-18", "2020-03-31", "", nil},
		{"melahirkan 3 bulan", "2020-03-18", "2020-06-17", "melahirkan", nil},
		{"sebulan", "2020-03-18", "2020-04-17", "", nil},
		{"minggu depan", "2020-03-23", "2020-03-29", "", nil},
		{"senin", "2020-03-23", "2020-03-23", "", nil},
		{"hari senin", "2020-03-23", "2020-03-23", "", nil},
		{"Jumat", "2020-03-20", "2020-03-20", "", nil},
		{"jumat ini", "2020-03-20", "2020-03-20", "", nil},
		{"jumat depan", "2020-03-27", "2020-03-27", "", nil}, // next week's, though this week's is still to come
		{"senin depan", "2020-03-23", "2020-03-23", "", nil},
		{"rabu depan", "2020-03-25", "2020-03-25", "", nil},
		{"jum'at", "2020-03-20", "2020-03-20", "", nil},
		{"rabu", "2020-03-25", "2020-03-25", "", nil}, // today is Wednesday: next week's
		{"senin sampai rabu", "2020-03-23", "2020-03-25", "", nil},
		{"kamis - jumat", "2020-03-19", "2020-03-20", "", nil},
		{"ada acara keluarga besok", "2020-03-19", "2020-03-19", "ada acara keluarga", nil},
		{"demam 3 hari", "2020-03-18", "2020-03-20", "demam", nil},
		{"ke rumah sakit hari ini", "2020-03-18", "2020-03-18", "ke rumah sakit", nil},
		{"menikah tanggal 20-24 Maret.", "2020-03-20", "2020-03-24", "menikah", nil},
		{"5 Januari", "2021-01-05", "2021-01-05", "", nil}, // this year's is long past
		{"16 Maret", "2020-03-16", "2020-03-16", "", nil},  // recently past: caller refuses it
		{"30 Desember - 2 Januari", "2020-12-30", "2021-01-02", "", nil},

		{"", "", "", "", ErrNoAbsenceDate},
		{"ada acara keluarga", "", "", "", ErrNoAbsenceDate},
		{"demam", "", "", "", ErrNoAbsenceDate},
		{"2 jam ke bank", "", "", "", ErrNoAbsenceDate},
		{"suhu 38.5", "", "", "", ErrNoAbsenceDate},
		{"urusan keluarga di rumah sakit", "", "", "", ErrNoAbsenceDate},
		{"20-24", "", "", "", ErrBadAbsenceDate},
		{"31 Februari", "", "", "", ErrBadAbsenceDate},
		{"30/2", "", "", "", ErrBadAbsenceDate},
		{"2020-13-01", "", "", "", ErrBadAbsenceDate},
		{"24-20 Maret", "", "", "", ErrBadAbsenceDate},
		{"2020-03-24 s.d. 2020-03-20", "", "", "", ErrBadAbsenceDate},
		{"1 Januari 2030", "", "", "", ErrBadAbsenceDate},
		{"1 Maret - 30 Juni", "", "", "", ErrAbsenceTooLong},
	}
	for _, tt := range tests {
		got, err := ParseAbsence(tt.text, today, workingMonFri)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseAbsence(%q) = %+v, %v; want error %v", tt.text, got, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseAbsence(%q): %v", tt.text, err)
			continue
		}
		if got.From.String() != tt.from || got.To.String() != tt.to || got.Rest != tt.rest {
			t.Errorf("ParseAbsence(%q) = %s..%s %q; want %s..%s %q", tt.text, got.From, got.To, got.Rest, tt.from, tt.to, tt.rest)
		}
	}
}

func FuzzParseAbsence(f *testing.F) {
	for _, s := range []string{"20-24 Maret", "2020-03-20 s.d. 2020-03-24", "besok ada acara", "3 hari", "26/3 ke Jakarta",
		"senin sampai rabu", "minggu depan", "jum'at", "s/d", "31/2", "99999999999999999999 hari", "tgl. 1-2 jan"} {
		f.Add(s)
	}
	today := civil.MustParse("2020-03-18")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseAbsence(s, today, workingMonFri)
		if err != nil {
			return
		}
		if got.To.Before(got.From) || got.From.DaysUntil(got.To) >= MaxAbsenceDays {
			t.Fatalf("ParseAbsence(%q) = %s..%s", s, got.From, got.To)
		}
		if _, err := civil.Parse(got.From.String()); err != nil {
			t.Fatalf("ParseAbsence(%q): invalid day %s", s, got.From)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got.Rest) {
			t.Fatalf("ParseAbsence(%q): rest %q not UTF-8", s, got.Rest)
		}
		if len(got.Rest) > len(s) {
			t.Fatalf("ParseAbsence(%q): rest %q longer than the text", s, got.Rest)
		}
	})
}

// TestParseAbsenceCommands checks what Parse hands to absences: the
// check-in's free text in Arg, and /batal.
func TestParseAbsenceCommands(t *testing.T) {
	tests := []struct {
		in     string
		kind   Kind
		status string
		arg    string
	}{
		{"/cuti 20-24 Maret", KindCheckIn, "cuti", "20-24 Maret"},
		{"izin besok, ada acara keluarga", KindCheckIn, "izin", "besok, ada acara keluarga"},
		{"/sakit 3 hari", KindCheckIn, "sakit", "3 hari"},
		{"/dinas luar 26/3 ke Jakarta", KindCheckIn, "hadir", "26/3 ke Jakarta"},
		{"/batal 3", KindCancel, "", "3"},
		{"batal cuti 3", KindCancel, "", "cuti 3"},
		{"Batalkan izin besok", KindCancel, "", "izin besok"},
		{"/batal", KindCancel, "", ""},
	}
	for _, tt := range tests {
		c := Parse(tt.in)
		if c.Kind != tt.kind || c.Status != tt.status || c.Arg != tt.arg {
			t.Errorf("Parse(%q) = kind %d status %q arg %q; want %d %q %q", tt.in, c.Kind, c.Status, c.Arg, tt.kind, tt.status, tt.arg)
		}
	}
}
