package holiday

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/piket-id/piket/civil"
)

// ErrSyntax is wrapped by the errors ParseFile returns for a malformed line.
var ErrSyntax = errors.New("malformed holiday line")

// ParseFile reads extra holidays from an office's configuration, one per
// line:
//
//	# comments and blank lines are ignored
//	2020-03-25,Hari Suci Nyepi
//	2020-06-01,Hari Raya Galungan,local
//
// The optional third field is the kind: "national" (or "nasional"),
// "cuti_bersama" (or "cuti bersama") or "local" (or "lokal", the default).
// Names cannot contain commas. A date listed twice is an error. Errors name
// the line number.
func ParseFile(r io.Reader) ([]Holiday, error) {
	var out []Holiday
	seen := make(map[civil.Date]int)
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff") // Excel's byte-order mark
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		h, err := parseLine(text)
		if err != nil {
			return nil, fmt.Errorf("holiday: line %d: %w", line, err)
		}
		if prev, dup := seen[h.Date]; dup {
			return nil, fmt.Errorf("holiday: line %d: %s already listed on line %d: %w", line, h.Date, prev, ErrSyntax)
		}
		seen[h.Date] = line
		out = append(out, h)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("holiday: read: %w", err)
	}
	return out, nil
}

func parseLine(text string) (Holiday, error) {
	fields := strings.Split(text, ",")
	if len(fields) < 2 || len(fields) > 3 {
		return Holiday{}, fmt.Errorf("want \"YYYY-MM-DD,name[,kind]\", got %d fields: %w", len(fields), ErrSyntax)
	}
	d, err := civil.Parse(strings.TrimSpace(fields[0]))
	if err != nil {
		return Holiday{}, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	name := strings.TrimSpace(fields[1])
	if name == "" {
		return Holiday{}, fmt.Errorf("empty name: %w", ErrSyntax)
	}
	kind := Local
	if len(fields) == 3 {
		if kind, err = parseKind(fields[2]); err != nil {
			return Holiday{}, err
		}
	}
	return Holiday{Date: d, Name: name, Kind: kind}, nil
}

func parseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "national", "nasional":
		return National, nil
	case "cuti_bersama", "cuti bersama", "cuti-bersama":
		return CutiBersama, nil
	case "local", "lokal", "":
		return Local, nil
	}
	return "", fmt.Errorf("unknown kind %q (want national, cuti_bersama or local): %w", s, ErrSyntax)
}
