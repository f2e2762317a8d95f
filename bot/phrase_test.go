package bot

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestPhrasings checks every row of testdata/phrasings.tsv: the message,
// then the record it must give (kind, status, place, health, note).
func TestPhrasings(t *testing.T) {
	f, err := os.Open("testdata/phrasings.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	rows := 0
	for line := 1; sc.Scan(); line++ {
		if sc.Text() == "" || strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 6 {
			t.Fatalf("testdata/phrasings.tsv:%d: %d columns, want 6", line, len(cols))
		}
		rows++
		in := strings.ReplaceAll(cols[0], `\n`, "\n")
		c := Parse(in)
		got := []string{kindName(c), c.Status, c.Place, c.Health, recordNote(c)}
		if strings.Join(got, "\t") != strings.Join(cols[1:], "\t") {
			t.Errorf("line %d: Parse(%q)\n got kind %q status %q place %q health %q note %q\nwant kind %q status %q place %q health %q note %q",
				line, in, got[0], got[1], got[2], got[3], got[4], cols[1], cols[2], cols[3], cols[4], cols[5])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows < 150 {
		t.Errorf("%d phrasings, want at least 150", rows)
	}
}

func TestStripEmojiKeepsText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"hadir 🙏🏻", "hadir  "},
		{"demam 38°C", "demam 38°C"},
		{"👍", " "},
		{"sehat 💪🏽 ya", "sehat   ya"},
	}
	for _, tt := range tests {
		if got := stripEmoji(tt.in); got != tt.want {
			t.Errorf("stripEmoji(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
