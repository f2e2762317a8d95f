package cli

import (
	"os"
	"testing"
)

// TestAbsenceTranscript records absences with dates in the console, shows
// them in /status and /piket, cancels one, and shows tomorrow's draft
// roster without the absent person (testdata/absence.txt).
func TestAbsenceTranscript(t *testing.T) {
	script, err := os.ReadFile("testdata/absence.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, string(script), "demo")
	if r.code != 0 {
		t.Fatalf("demo exit %d, stderr:\n%s", r.code, r.stderr)
	}
	golden := "testdata/absence.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if r.stdout != string(want) {
		t.Errorf("absence transcript differs from %s (run with -update to accept):\n--- got\n%s", golden, r.stdout)
	}
}
