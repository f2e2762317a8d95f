package staff

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Optional columns for flexible work (PermenPANRB 4/2025). Files without
// them import as before: everyone eligible, the TMT read from the NIP.
const (
	// ColFlexible: "tidak" (or no, n, 0, false) marks a person not eligible
	// for flexible work (e.g. under a disciplinary sanction, or in a unit
	// in direct public service); "ya" or empty: eligible.
	ColFlexible = "fleksibel"
	// ColTMT is the start date of appointment (terhitung mulai tanggal).
	ColTMT = "tmt"
	// ColHome is the location of the home registered as domicile,
	// "LAT,LON", the declared place of WFH days for location checks.
	ColHome = "lokasi_domisili"
)

// Error codes of the flexible-work columns.
const (
	CodeFlexible ErrCode = "flexible" // fleksibel is not ya or tidak
	CodeTMT      ErrCode = "tmt"      // tmt is not a date
	CodeHome     ErrCode = "home"     // lokasi_domisili is not LAT,LON
)

// flexAliases are other header spellings HR exports use for the
// flexible-work columns (after lower-casing and "_" for spaces).
var flexAliases = map[string]string{
	"flexible": ColFlexible, "fleksibilitas": ColFlexible, "boleh_fleksibel": ColFlexible, "wfa": ColFlexible,
	"tmt_cpns": ColTMT, "tanggal_tmt": ColTMT, "tgl_tmt": ColTMT, "tmt_pengangkatan": ColTMT,
	"lokasi_rumah": ColHome, "koordinat_domisili": ColHome, "titik_domisili": ColHome,
}

func flexAlias(name string) string {
	if c, ok := flexAliases[name]; ok {
		return c
	}
	return name
}

// parseFlexible reads the fleksibel cell: eligible unless it says no.
func parseFlexible(s string) (noFlex bool, ok bool) {
	switch strings.Join(strings.Fields(strings.ToLower(s)), " ") {
	case "", "-", "ya", "y", "yes", "1", "true", "boleh", "iya":
		return false, true
	case "tidak", "tdk", "t", "no", "n", "0", "false", "bukan", "tidak boleh", "tdk boleh", "x":
		return true, true
	}
	return false, false
}

// ParseTMT reads a start date of appointment as HR exports write it:
// 2015-03-01, 01-03-2015, 01/03/2015, 1.3.2015, or an Excel date serial
// (numeric is true for a cell stored as a number). It returns YYYY-MM-DD.
func ParseTMT(s string, numeric bool) (string, error) {
	s = strings.TrimSpace(s)
	if numeric {
		if n, err := strconv.ParseFloat(s, 64); err == nil && n > 0 && n < 200000 {
			return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)).Format(time.DateOnly), nil
		}
	}
	for _, layout := range []string{"2006-01-02", "02-01-2006", "02/01/2006", "2-1-2006", "2/1/2006", "02.01.2006", "2.1.2006", "2006/01/02"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1950 && t.Year() <= 2100 {
			return t.Format(time.DateOnly), nil
		}
	}
	// "1 Maret 2015", "01 Mar 2015".
	if f := strings.Fields(strings.ToLower(s)); len(f) == 3 {
		d, err1 := strconv.Atoi(f[0])
		y, err2 := strconv.Atoi(f[2])
		if m, ok := monthNames[strings.TrimSuffix(f[1], ".")]; ok && err1 == nil && err2 == nil && y >= 1950 && y <= 2100 {
			t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d && t.Month() == m {
				return t.Format(time.DateOnly), nil
			}
		}
	}
	return "", &ValueError{Code: CodeTMT, Value: s}
}

var monthNames = map[string]time.Month{
	"januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2, "maret": 3, "mar": 3, "march": 3,
	"april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
	"agustus": 8, "agu": 8, "agt": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11, "nopember": 11,
	"desember": 12, "des": 12, "dec": 12, "december": 12,
}

// parseHome checks "LAT,LON" and returns it normalized.
func parseHome(s string) (string, bool) {
	a, b, ok := strings.Cut(s, ",")
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || lat != lat || lon != lon {
		return "", false
	}
	return fmt.Sprintf("%.6f,%.6f", lat, lon), true
}

// parseFlexColumns fills the flexible-work fields of rec from row.
func (h *header) parseFlexColumns(rec *Record, row []string, numeric func(int) bool, bad func(field string, code ErrCode, detail string)) {
	const (
		iFlexible = iRolesIndex + 1 + iota
		iTMT
		iHome
	)
	if v := h.cell(row, iFlexible); v != "" {
		if no, ok := parseFlexible(v); ok {
			rec.NoFlex = no
		} else {
			bad(ColFlexible, CodeFlexible, v)
		}
	}
	if v := h.cell(row, iTMT); v != "" {
		if d, err := ParseTMT(v, numeric != nil && numeric(h.index[iTMT])); err != nil {
			bad(ColTMT, CodeTMT, v)
		} else {
			rec.TMT = d
		}
	}
	if v := h.cell(row, iHome); v != "" {
		if p, ok := parseHome(v); ok {
			rec.Home = p
		} else {
			bad(ColHome, CodeHome, v)
		}
	}
}

// iRolesIndex is the index of ColRoles in columns; the flexible-work
// columns follow it.
const iRolesIndex = 7

// AppointedOn returns a person's start of appointment: the TMT column, or
// else the first day of the appointment month in the NIP (digits 9-14).
func (r Record) AppointedOn() string {
	if r.TMT != "" {
		return r.TMT
	}
	if len(r.NIP) == 18 {
		return r.NIP[8:12] + "-" + r.NIP[12:14] + "-01"
	}
	return ""
}
