package staff

import "strings"

// NormalizePhone turns an Indonesian mobile number written in any usual form
// ("0812-3456-7890", "+62 812 3456 7890", "62812…", "812…", "(0812) 345.678",
// "+62 (0)812…", "0062812…") into E.164, "+628…". The national number must
// start with 8 and have 9 to 12 digits. An empty string is an error; callers
// that allow a missing number check for it first. The error is a *ValueError.
func NormalizePhone(s string) (string, error) {
	t := strings.TrimSpace(s)
	plus := strings.HasPrefix(t, "+")
	if plus {
		t = t[1:]
	}
	var buf [24]byte
	b := buf[:0]
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			if len(b) == len(buf) {
				return "", &ValueError{Code: CodePhone, Value: s}
			}
			b = append(b, byte(r))
		case r == ' ' || r == '\t' || r == '\u00a0' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/':
		default:
			return "", &ValueError{Code: CodePhone, Value: s}
		}
	}
	d := string(b)
	switch {
	case plus:
		var ok bool
		if d, ok = strings.CutPrefix(d, "62"); !ok {
			return "", &ValueError{Code: CodePhone, Value: s}
		}
		d = strings.TrimPrefix(d, "0") // +62 (0)812…
	case strings.HasPrefix(d, "0062"):
		d = strings.TrimPrefix(d[4:], "0")
	case strings.HasPrefix(d, "628"):
		d = d[2:]
	case strings.HasPrefix(d, "08"):
		d = d[1:]
	}
	if len(d) < 9 || len(d) > 12 || d[0] != '8' {
		return "", &ValueError{Code: CodePhone, Value: s}
	}
	return "+62" + d, nil
}
