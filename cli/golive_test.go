package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piket-id/piket/sample"
)

// piket export counts nothing before an office's go-live: the configured
// offices.CODE.since, else the day its staff were imported (today here).
func TestExportFromGoLive(t *testing.T) {
	cfg, _ := writeConfig(t, "offices:\n  DISKOMINFO:\n    timezone: Asia/Makassar\n    since: 2020-03-16\n")
	if r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "staff.csv", string(sample.StaffCSV()))); r.code != 0 {
		t.Fatalf("import exit %d: %s", r.code, r.stderr)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		office string
		rows   bool // any day rows at all
	}{
		{"DISKOMINFO", true}, // configured: from 16 March 2020
		{"BKPSDM", false},    // imported today: nothing in March 2020
	} {
		out := filepath.Join(dir, c.office+".csv")
		r := run(t, "", "export", "-config", cfg, "-month", "2020-03", "-opd", c.office, "-o", out)
		if r.code != 0 {
			t.Fatalf("export %s exit %d: %s", c.office, r.code, r.stderr)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rows) > 1; got != c.rows {
			t.Errorf("%s: %d rows, want rows: %v", c.office, len(rows)-1, c.rows)
		}
		for _, row := range rows[1:] {
			if row[0] < "2020-03-16" {
				t.Fatalf("%s: row before go-live: %v", c.office, row)
			}
		}
		if c.rows && rows[1][0] != "2020-03-16" {
			t.Errorf("%s: first day %s, want 2020-03-16", c.office, rows[1][0])
		}
		if !c.rows && !strings.Contains(r.stdout, "0 hari kerja") {
			t.Errorf("%s: summary %q, want 0 working days", c.office, r.stdout)
		}
	}
}
