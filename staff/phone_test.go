package staff_test

import (
	"errors"
	"testing"

	"github.com/piket-id/piket/staff"
)

func TestNormalizePhone(t *testing.T) {
	good := []struct{ in, want string }{
		{"081234567890", "+6281234567890"},
		{"0812-3456-7890", "+6281234567890"},
		{"0812 3456 7890", "+6281234567890"},
		{"0812.3456.7890", "+6281234567890"},
		{"(0812) 3456-7890", "+6281234567890"},
		{"  0812 3456 7890\t", "+6281234567890"},
		{"+6281234567890", "+6281234567890"},
		{"+62 812 3456 7890", "+6281234567890"},
		{"+62-812-3456-7890", "+6281234567890"},
		{"+62 (0)812 3456 7890", "+6281234567890"},
		{"+62 (812) 3456 7890", "+6281234567890"},
		{"6281234567890", "+6281234567890"},
		{"62 812 3456 7890", "+6281234567890"},
		{"0062 812 3456 7890", "+6281234567890"},
		{"81234567890", "+6281234567890"}, // Excel dropped the 0
		{"0812\u00a03456\u00a07890", "+6281234567890"},
		{"0811-1960-3101", "+6281119603101"},
		{"0812345678", "+62812345678"},         // 9-digit national number
		{"+62812345678901", "+62812345678901"}, // 12-digit national number
		{"0896-1012-4111", "+6289610124111"},
	}
	for _, tc := range good {
		got, err := staff.NormalizePhone(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	bad := []string{
		"", " ", "0812-34", "08123456", "081234567", "+628123456789012", "0812345678901234",
		"021-555-1234", "+1 812 345 6789", "+44 7911 123456", "0812a3456789", "+62", "62", "+", "628",
		"+62 0", "0812 3456 7890 ext 1", "++6281234567890", "0812-3456-7890 / 0813-1111-2222",
		"1.23456789E+10", "0812 3456 789O",
	}
	for _, in := range bad {
		got, err := staff.NormalizePhone(in)
		if err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want error", in, got)
			continue
		}
		if ve, ok := errors.AsType[*staff.ValueError](err); !ok || ve.Code != staff.CodePhone || ve.Value != in {
			t.Errorf("NormalizePhone(%q) error = %#v, want *ValueError{%s, %q}", in, err, staff.CodePhone, in)
		}
	}
}
