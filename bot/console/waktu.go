package console

import (
	"errors"
	"strings"
	"time"
)

// zoneAbbrevs are the Indonesian zone names :waktu accepts besides IANA
// names.
var zoneAbbrevs = map[string]string{"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

var errBadTime = errors.New("console: unreadable time")

// parseTime reads the argument of :waktu: a date, optionally a time of
// day (15:04, 15.04 or 2006-01-02T15:04) and optionally a zone last (WIB,
// WITA, WIT or an IANA name such as Asia/Makassar or UTC). Without a zone
// the time is read in def. It returns the instant and the zone it was read
// in.
func parseTime(arg string, def *time.Location) (time.Time, *time.Location, error) {
	fields := strings.Fields(arg)
	loc := def
	if len(fields) >= 2 {
		if l, ok := zone(fields[len(fields)-1]); ok {
			loc, fields = l, fields[:len(fields)-1]
		}
	}
	if len(fields) == 0 || len(fields) > 2 {
		return time.Time{}, nil, errBadTime
	}
	text := strings.Join(fields, " ")
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15.04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, text, loc); err == nil {
			return t, loc, nil
		}
	}
	return time.Time{}, nil, errBadTime
}

// zone reads a zone word: WIB, WITA, WIT (any case), UTC or an IANA name
// with a slash.
func zone(word string) (*time.Location, bool) {
	name, ok := zoneAbbrevs[strings.ToUpper(word)]
	switch {
	case ok:
	case strings.EqualFold(word, "UTC"):
		name = "UTC"
	case strings.Contains(word, "/"):
		name = word
	default:
		return nil, false
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	return l, true
}
