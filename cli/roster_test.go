package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/piket-id/piket/sample"
)

// importSampleStaff imports the sample staff into a fresh configuration.
func importSampleStaff(t *testing.T, extra string) string {
	t.Helper()
	cfg, _ := writeConfig(t, "offices:\n  DISKOMINFO:\n    timezone: Asia/Makassar\n"+extra)
	csv := writeFile(t, "staff.csv", string(sample.StaffCSV()))
	if r := run(t, "", "staff", "import", "-config", cfg, csv); r.code != 0 {
		t.Fatalf("import exit %d: %s", r.code, r.stderr)
	}
	return cfg
}

func TestRosterShowGolden(t *testing.T) {
	cfg := importSampleStaff(t, "")
	// 24 to 27 March 2020: Nyepi (25 March) has no roster.
	r := run(t, "", "roster", "show", "-config", cfg, "-opd", "diskominfo", "-from", "2020-03-24", "-to", "2020-03-27")
	if r.code != 0 {
		t.Fatalf("roster show exit %d: %s", r.code, r.stderr)
	}
	const golden = "testdata/roster_show.golden"
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
		t.Errorf("roster show output differs from %s (go test -update to rewrite):\n%s", golden, r.stdout)
	}
	// Showing again gives the same roster; generating again too (nothing changed).
	if again := run(t, "", "roster", "show", "-config", cfg, "-opd", "DISKOMINFO", "-from", "2020-03-24", "-to", "2020-03-27"); again.stdout != r.stdout {
		t.Errorf("second show differs:\n%s", again.stdout)
	}
	if g := run(t, "", "roster", "generate", "-config", cfg, "-opd", "DISKOMINFO", "-from", "2020-03-24", "-to", "2020-03-27"); g.code != 0 || !strings.Contains(g.stdout, "3 hari kerja") {
		t.Errorf("generate: exit %d, %q %q", g.code, g.stdout, g.stderr)
	}
	if again := run(t, "", "roster", "show", "-config", cfg, "-opd", "DISKOMINFO", "-from", "2020-03-24", "-to", "2020-03-27"); again.stdout != r.stdout {
		t.Errorf("show after generate differs:\n%s", again.stdout)
	}
}

func TestRosterConfiguredHoliday(t *testing.T) {
	cfg := importSampleStaff(t, "    roster:\n      per_day: \"2\"\n      holidays:\n        - {date: 2020-03-20, name: Hari Jadi Kota}\n")
	r := run(t, "", "roster", "show", "-config", cfg, "-opd", "DISKOMINFO", "-from", "2020-03-19", "-to", "2020-03-20")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if strings.Contains(r.stdout, "20 Maret") || !strings.Contains(r.stdout, "Kamis, 19 Maret 2020") {
		t.Errorf("holiday not skipped:\n%s", r.stdout)
	}
}

func TestRosterSwapCommand(t *testing.T) {
	cfg := importSampleStaff(t, "")
	const head, other = "197008141995031004", "199203142015032001" // I Wayan Sudarsana (fixed), Ni Made Sari
	r := run(t, "", "roster", "show", "-config", cfg, "-opd", "DISKOMINFO", "-from", "2020-03-24", "-to", "2020-03-24")
	if !strings.Contains(r.stdout, "I Wayan Sudarsana") || strings.Contains(r.stdout, "Ni Made Sari") {
		t.Fatalf("unexpected roster for the test:\n%s", r.stdout)
	}
	r = run(t, "", "roster", "swap", "-config", cfg, "-opd", "DISKOMINFO", "-date", "2020-03-24", "-out", head, "-in", other)
	if r.code != 0 {
		t.Fatalf("swap exit %d: %s", r.code, r.stderr)
	}
	r = run(t, "", "roster", "show", "-config", cfg, "-opd", "DISKOMINFO", "-from", "2020-03-24", "-to", "2020-03-24")
	if strings.Contains(r.stdout, "I Wayan Sudarsana —") || !strings.Contains(r.stdout, "Ni Made Sari —") {
		t.Errorf("after swap:\n%s", r.stdout)
	}
	// The same swap again fails: the head is no longer on duty.
	if r := run(t, "", "roster", "swap", "-config", cfg, "-opd", "DISKOMINFO", "-date", "2020-03-24", "-out", head, "-in", other); r.code != 1 {
		t.Errorf("repeated swap: exit %d, %q", r.code, r.stderr)
	}
	if r := run(t, "", "roster", "swap", "-config", cfg, "-opd", "DISKOMINFO"); r.code != 2 {
		t.Errorf("swap without flags: exit %d", r.code)
	}
	if r := run(t, "", "roster", "show", "-config", cfg, "-opd", "NOPE", "-from", "2020-03-19"); r.code != 1 || !strings.Contains(r.stderr, "unknown office") {
		t.Errorf("unknown office: exit %d, %q", r.code, r.stderr)
	}
}

func TestRosterSwapKeepsCoverage(t *testing.T) {
	cfg := importSampleStaff(t, "    roster:\n      per_day: \"1\"\n")
	show := func() string {
		t.Helper()
		r := run(t, "", "roster", "show", "-config", cfg, "-opd", "DISKOMINFO", "-from", "2020-03-24", "-to", "2020-03-24")
		if r.code != 0 {
			t.Fatalf("roster show exit %d: %s", r.code, r.stderr)
		}
		return r.stdout
	}
	// One official and one pelaksana are on duty; find the official.
	var official, nip string
	list := show()
	for _, line := range strings.Split(string(sample.StaffCSV()), "\n") {
		f := strings.Split(line, ",")
		if len(f) > 4 && f[2] == "DISKOMINFO" && (f[4] == "eselon3" || f[4] == "eselon4") && strings.Contains(list, f[1]+" —") {
			official, nip = f[1], f[0]
		}
	}
	if official == "" {
		t.Fatalf("no official on duty:\n%s", list)
	}
	const staff = "199305052017082002" // Ni Luh Gede Sriani, pelaksana
	if strings.Contains(list, "Ni Luh Gede Sriani") {
		t.Fatalf("the chosen pelaksana is on duty already:\n%s", list)
	}
	r := run(t, "", "roster", "swap", "-config", cfg, "-opd", "DISKOMINFO", "-date", "2020-03-24", "-out", nip, "-in", staff)
	if r.code != 1 || !strings.Contains(r.stderr, "tidak ada pejabat eselon III atau IV") || !strings.Contains(r.stderr, "-force") {
		t.Fatalf("swap breaking coverage: exit %d, %q", r.code, r.stderr)
	}
	if !strings.Contains(show(), official+" —") {
		t.Fatalf("refused swap changed the roster:\n%s", show())
	}
	r = run(t, "", "roster", "swap", "-config", cfg, "-opd", "DISKOMINFO", "-date", "2020-03-24", "-out", nip, "-in", staff, "--force")
	if r.code != 0 {
		t.Fatalf("forced swap: exit %d, %q", r.code, r.stderr)
	}
	if out := show(); strings.Contains(out, official+" —") || !strings.Contains(out, "⚠️") || !strings.Contains(out, "tidak ada pejabat eselon III atau IV") {
		t.Errorf("after the forced swap:\n%s", out)
	}
}
