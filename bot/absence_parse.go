package bot

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/piket-id/piket/civil"
)

// Outcomes of ParseAbsence other than success.
var (
	// ErrNoAbsenceDate: the text names no day; the absence is for today.
	ErrNoAbsenceDate = errors.New("bot: no absence date")
	// ErrBadAbsenceDate: the text starts like a date but is not one
	// ("31 Februari", "24-20 Maret", "20-24").
	ErrBadAbsenceDate = errors.New("bot: absence date not understood")
	// ErrAbsenceTooLong: the range is longer than MaxAbsenceDays.
	ErrAbsenceTooLong = errors.New("bot: absence range too long")
)

// MaxAbsenceDays is the longest range one absence may cover, in calendar
// days (a three-month leave).
const MaxAbsenceDays = 92

// maxAbsenceCount is the largest "N hari" read.
const maxAbsenceCount = 66

// AbsenceDates is the range an absence message names and the text left
// (the reason).
type AbsenceDates struct {
	From, To civil.Date // inclusive
	Rest     string
}

// ParseAbsence reads the dates of an absence from the free text after its
// keyword: single days (2020-03-26, 26-03-2020, 26/3, 26 Maret, besok,
// lusa, hari ini, senin…), ranges (20-24 Maret, 2020-03-20 s.d.
// 2020-03-24, senin sampai rabu) and counts (3 hari: three working days
// from today or from the named day, by working; 2 minggu, 3 bulan:
// calendar weeks and months). The dates are read at
// the start of text (after "tanggal", "mulai", "pada"…) or as its last
// words. A day without a year is the one this year, or next year when
// this year's was more than two months ago. It is pure and never panics.
func ParseAbsence(text string, today civil.Date, working func(civil.Date) bool) (AbsenceDates, error) {
	toks := tokenize(text)
	p := absenceParser{toks: toks, today: today, working: working}
	// At the start.
	if r, end, err := p.spec(0); err == nil {
		return p.result(text, 0, end, r)
	} else if !errors.Is(err, ErrNoAbsenceDate) {
		return AbsenceDates{}, err
	}
	// As the last words ("ada acara keluarga besok").
	for i := 1; i < len(toks); i++ {
		if r, end, err := p.spec(i); err == nil && p.atEnd(end) {
			return p.result(text, i, end, r)
		}
	}
	return AbsenceDates{}, ErrNoAbsenceDate
}

type dayRange struct{ from, to civil.Date }

type dateToken struct {
	s          string // lower case
	start, end int    // byte offsets in the original text
	num        int    // value of a run of digits (-1: not digits or too long)
	digits     int    // number of digits
}

func (t dateToken) isNum() bool { return t.num >= 0 }

// tokenize splits text into runs of letters, runs of digits and single
// other characters, skipping spaces.
func tokenize(text string) []dateToken {
	var out []dateToken
	class := func(r rune) int {
		switch {
		case unicode.IsSpace(r):
			return 0
		case r >= '0' && r <= '9':
			return 1
		case unicode.IsLetter(r):
			return 2
		}
		return 3
	}
	i := 0
	for i < len(text) && len(out) < 200 {
		r, n := utf8.DecodeRuneInString(text[i:])
		c := class(r)
		if c == 0 {
			i += n
			continue
		}
		j := i + n
		if c != 3 {
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if class(r2) != c {
					break
				}
				j += n2
			}
		}
		t := dateToken{s: strings.ToLower(text[i:j]), start: i, end: j, num: -1}
		if c == 1 {
			t.digits = j - i
			if t.digits <= 4 {
				t.num, _ = strconv.Atoi(text[i:j])
			}
		}
		out = append(out, t)
		i = j
	}
	return out
}

type absenceParser struct {
	toks    []dateToken
	today   civil.Date
	working func(civil.Date) bool
}

func (p *absenceParser) tok(i int) dateToken {
	if i < 0 || i >= len(p.toks) {
		return dateToken{num: -1}
	}
	return p.toks[i]
}

// word reports whether the token at i is one of ws.
func (p *absenceParser) word(i int, ws ...string) bool {
	s := p.tok(i).s
	for _, w := range ws {
		if s == w {
			return true
		}
	}
	return false
}

// atEnd reports whether only punctuation follows token i.
func (p *absenceParser) atEnd(i int) bool {
	for ; i < len(p.toks); i++ {
		if !strings.ContainsAny(p.toks[i].s, ".,;:!?)") {
			return false
		}
	}
	return true
}

func (p *absenceParser) result(text string, from, to int, r dayRange) (AbsenceDates, error) {
	if r.to.Before(r.from) {
		return AbsenceDates{}, ErrBadAbsenceDate
	}
	if r.from.DaysUntil(r.to) >= MaxAbsenceDays {
		return AbsenceDates{}, ErrAbsenceTooLong
	}
	start, end := len(text), len(text)
	if from < len(p.toks) {
		start = p.toks[from].start
	}
	if to < len(p.toks) {
		end = p.toks[to].start
	}
	rest := strings.TrimSpace(text[:start]) + " " + strings.TrimSpace(text[end:])
	rest = strings.Trim(strings.TrimSpace(rest), ",;:-–. ")
	return AbsenceDates{From: r.from, To: r.to, Rest: strings.TrimSpace(rest)}, nil
}

// leadWords may stand before the dates.
var leadWords = []string{"tanggal", "tgl", "pada", "mulai", "dari", "untuk", "selama", "on", "from", "for", "hari", "tg"}

// spec reads "[lead words] (range | day [count] | count)" from dateToken i and
// returns the range and the index after it.
func (p *absenceParser) spec(i int) (dayRange, int, error) {
	for n := 0; n < 4 && p.word(i, leadWords...) && !(p.word(i, "hari") && p.word(i+1, "ini")); n++ {
		i++
		if p.word(i, ".") {
			i++
		}
	}
	if p.word(i, "minggu", "pekan") && p.word(i+1, "depan") {
		// Next week, Monday to Sunday.
		mon := p.today.AddDays(7 - (int(p.today.Weekday())+6)%7)
		return dayRange{mon, mon.AddDays(6)}, i + 2, nil
	}
	if c, j, ok := p.count(i); ok {
		return p.counted(p.today, c), j, nil
	}
	d, j, err := p.day(i, true)
	if err != nil {
		return dayRange{}, i, err
	}
	// A range: "20-24 Maret" (the first day borrows month and year).
	if k, ok := p.sep(j); ok {
		if e, m, err := p.day(k, false); err == nil {
			from := d.day
			if d.bare {
				from = e.day
				from.Day = d.num
				if _, err := civil.Parse(from.String()); err != nil {
					return dayRange{}, i, ErrBadAbsenceDate
				}
			}
			if from.IsZero() || e.bare {
				return dayRange{}, i, ErrBadAbsenceDate
			}
			return dayRange{from, e.day}, m, nil
		} else if !errors.Is(err, ErrNoAbsenceDate) {
			return dayRange{}, i, err
		}
	}
	if d.bare {
		if p.word(j, "-", "/", ".") || p.tok(i+1).s == "-" {
			return dayRange{}, i, ErrBadAbsenceDate
		}
		return dayRange{}, i, ErrNoAbsenceDate
	}
	// "besok 3 hari", "mulai senin selama 5 hari".
	k := j
	if p.word(k, "selama", "for", ",") {
		k++
	}
	if c, m, ok := p.count(k); ok {
		return p.counted(d.day, c), m, nil
	}
	return dayRange{d.day, d.day}, j, nil
}

// counted returns the range of c working days from from on (from itself
// counts when it is a working day), or of c weeks.
func (p *absenceParser) counted(from civil.Date, c absenceCount) dayRange {
	switch {
	case c.weeks:
		return dayRange{from, from.AddDays(7*c.n - 1)}
	case c.months:
		return dayRange{from, civil.Of(from.Start(time.UTC).AddDate(0, c.n, -1))}
	}
	to := from
	n := 0
	for d := from; n < c.n && from.DaysUntil(d) < MaxAbsenceDays; d = d.AddDays(1) {
		if p.working == nil || p.working(d) {
			n++
			to = d
		}
	}
	return dayRange{from, to}
}

var numberWords = map[string]int{
	"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
	"sembilan": 9, "sepuluh": 10, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
}

// absenceCount is "N hari" (working days), "N minggu" (weeks) or "N
// bulan" (months).
type absenceCount struct {
	n             int
	weeks, months bool
}

// count reads "N hari [kerja]", "N days", "N minggu"; ok is false
// otherwise.
func (p *absenceParser) count(i int) (absenceCount, int, bool) {
	t := p.tok(i)
	switch t.s {
	case "sehari":
		return absenceCount{n: 1}, i + 1, true
	case "seminggu", "sepekan":
		return absenceCount{n: 1, weeks: true}, i + 1, true
	case "sebulan":
		return absenceCount{n: 1, months: true}, i + 1, true
	}
	c := t.num
	if n, ok := numberWords[t.s]; ok {
		c = n
	}
	if c < 1 || c > maxAbsenceCount {
		return absenceCount{}, i, false
	}
	j := i + 2
	switch {
	case p.word(i+1, "hari", "hr", "day", "days"):
		if p.word(j, "kerja", "working", "work") {
			j++
		}
		return absenceCount{n: c}, j, true
	case p.word(i+1, "minggu", "pekan", "week", "weeks"):
		return absenceCount{n: c, weeks: true}, j, true
	case p.word(i+1, "bulan", "bln", "month", "months") && c <= 3:
		return absenceCount{n: c, months: true}, j, true
	}
	return absenceCount{}, i, false
}

// sep reads a range separator at i.
func (p *absenceParser) sep(i int) (int, bool) {
	switch {
	case p.word(i, "-", "–", "—", "sampai", "hingga", "sd", "to", "until", "till", "through", "thru", "sampe", "smp", "s"):
		if p.word(i, "s") {
			// "s.d.", "s/d", "s.d", "s/d."
			if !p.word(i+1, ".", "/") || !p.word(i+2, "d") {
				return i, false
			}
			i += 2
			if p.word(i+1, ".") {
				i++
			}
		}
		i++
		if p.word(i, "dengan") {
			i++
		}
		if p.word(i, "tanggal", "tgl") {
			i++
			if p.word(i, ".") {
				i++
			}
		}
		return i, true
	}
	return i, false
}

// parsedDay is one day as written. bare: only a day number (the start of
// "20-24 Maret"), in num.
type parsedDay struct {
	day  civil.Date
	bare bool
	num  int
}

var monthWords = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1,
	"februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
	"maret": 3, "mar": 3, "march": 3, "mrt": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "jun": 6, "june": 6,
	"juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "agst": 8, "aug": 8, "august": 8,
	"september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10,
	"november": 11, "nov": 11, "nopember": 11, "nop": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

var weekdayWords = map[string]time.Weekday{
	"minggu": time.Sunday, "ahad": time.Sunday, "sunday": time.Sunday,
	"senin": time.Monday, "monday": time.Monday,
	"selasa": time.Tuesday, "tuesday": time.Tuesday,
	"rabu": time.Wednesday, "wednesday": time.Wednesday,
	"kamis": time.Thursday, "thursday": time.Thursday,
	"jumat": time.Friday, "jum": time.Friday, "friday": time.Friday,
	"sabtu": time.Saturday, "saturday": time.Saturday,
}

// day reads one day at i. bareOK allows a lone day number (it is then the
// start of a range, resolved by the caller).
func (p *absenceParser) day(i int, bareOK bool) (parsedDay, int, error) {
	t := p.tok(i)
	switch t.s {
	case "besok", "esok", "tomorrow", "bsk", "besoknya":
		return parsedDay{day: p.today.AddDays(1)}, i + 1, nil
	case "lusa":
		return parsedDay{day: p.today.AddDays(2)}, i + 1, nil
	case "today", "sekarang":
		return parsedDay{day: p.today}, i + 1, nil
	case "hari":
		if p.word(i+1, "ini") {
			return parsedDay{day: p.today}, i + 2, nil
		}
		return parsedDay{}, i, ErrNoAbsenceDate
	}
	if wd, ok := weekdayWords[t.s]; ok {
		j := i + 1
		if t.s == "jum" && p.word(j, "'", "’") && p.word(j+1, "at") {
			j += 2
		}
		if p.word(j, "depan", "next") {
			// "jumat depan": that day of next week (Monday to
			// Sunday), even when this week's is still to come.
			monday := p.today.AddDays(7 - (int(p.today.Weekday())+6)%7)
			return parsedDay{day: monday.AddDays((int(wd) + 6) % 7)}, j + 1, nil
		}
		if p.word(j, "besok", "ini") {
			j++
		}
		n := (int(wd) - int(p.today.Weekday()) + 7) % 7
		if n == 0 {
			n = 7
		}
		return parsedDay{day: p.today.AddDays(n)}, j, nil
	}
	if m, ok := monthWords[t.s]; ok {
		// "March 26[, 2020]".
		j := i + 1
		if p.word(j, ".") {
			j++
		}
		d := p.tok(j)
		if !d.isNum() || d.digits > 2 || d.num < 1 || d.num > 31 {
			return parsedDay{}, i, ErrNoAbsenceDate
		}
		j++
		if p.word(j, ",") && p.tok(j+1).digits == 4 {
			j++
		}
		return p.dated(d.num, m, j)
	}
	if !t.isNum() {
		return parsedDay{}, i, ErrNoAbsenceDate
	}
	// 2020-03-26
	if t.digits == 4 && p.word(i+1, "-", "/", ".") && p.tok(i+2).isNum() && p.word(i+3, p.tok(i+1).s) && p.tok(i+4).isNum() {
		return p.ymd(t.num, p.tok(i+2).num, p.tok(i+4).num, i+5)
	}
	if t.digits > 2 {
		return parsedDay{}, i, ErrNoAbsenceDate
	}
	// 26/3, 26/3/2020, 26-03-2020, 26.03.2020
	if s := p.tok(i + 1).s; (s == "/" || s == "-" || s == ".") && p.tok(i+2).isNum() && p.tok(i+2).digits <= 2 {
		hasYear := p.word(i+3, s) && p.tok(i+4).isNum() && (p.tok(i+4).digits == 4 || p.tok(i+4).digits == 2)
		switch {
		case hasYear:
			y := p.tok(i + 4).num
			if p.tok(i+4).digits == 2 {
				y += 2000
			}
			return p.ymd(y, p.tok(i+2).num, t.num, i+5)
		case s == "/":
			return p.dated(t.num, time.Month(p.tok(i+2).num), i+3)
		}
	}
	// 26 Maret [2020]
	j := i + 1
	if m, ok := monthWords[p.tok(j).s]; ok {
		j++
		if p.word(j, ".") && p.tok(j+1).isNum() {
			j++
		}
		return p.dated(t.num, m, j)
	}
	if bareOK && t.num >= 1 && t.num <= 31 {
		return parsedDay{bare: true, num: t.num}, i + 1, nil
	}
	return parsedDay{}, i, ErrNoAbsenceDate
}

// dated completes "day month" at j with an optional four-digit year.
func (p *absenceParser) dated(d int, m time.Month, j int) (parsedDay, int, error) {
	if y := p.tok(j); y.digits == 4 {
		return p.ymd(y.num, int(m), d, j+1)
	}
	day, err := p.valid(p.today.Year, int(m), d)
	if err != nil {
		return parsedDay{}, j, err
	}
	if day.Before(p.today) && day.DaysUntil(p.today) > 61 {
		if day, err = p.valid(p.today.Year+1, int(m), d); err != nil {
			return parsedDay{}, j, err
		}
	}
	return parsedDay{day: day}, j, nil
}

func (p *absenceParser) ymd(y, m, d, j int) (parsedDay, int, error) {
	day, err := p.valid(y, m, d)
	if err != nil {
		return parsedDay{}, j, err
	}
	return parsedDay{day: day}, j, nil
}

// valid checks a day and that its year is near today.
func (p *absenceParser) valid(y, m, d int) (civil.Date, error) {
	if y < p.today.Year-1 || y > p.today.Year+1 || m < 1 || m > 12 || d < 1 || d > 31 {
		return civil.Date{}, ErrBadAbsenceDate
	}
	day := civil.Date{Year: y, Month: time.Month(m), Day: d}
	if _, err := civil.Parse(day.String()); err != nil {
		return civil.Date{}, ErrBadAbsenceDate
	}
	return day, nil
}
