package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piket-id/piket/sample"
)

// sampleConfig writes a config (DISKOMINFO in WITA, the rest in the
// default WIB) on a fresh database holding the embedded sample staff.
func sampleConfig(t *testing.T, extra string) string {
	t.Helper()
	cfg, _ := writeConfig(t, "offices:\n  DISKOMINFO:\n    timezone: Asia/Makassar\n"+extra)
	csv := writeFile(t, "staff.csv", string(sample.StaffCSV()))
	if r := run(t, "", "staff", "import", "-config", cfg, csv); r.code != 0 {
		t.Fatalf("import exit %d: %s", r.code, r.stderr)
	}
	return cfg
}

// serveScript runs `piket serve` on the sample staff with script as stdin.
func serveScript(t *testing.T, extra, script string) string {
	t.Helper()
	return serveWith(t, sampleConfig(t, extra), script)
}

// serveWith runs `piket serve -config cfg` with script as stdin; it fails
// the test on a non-zero exit or anything logged.
func serveWith(t *testing.T, cfg, script string) string {
	t.Helper()
	r := run(t, script, "serve", "-config", cfg)
	if r.code != 0 {
		t.Fatalf("serve exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if r.stderr != "" {
		t.Errorf("serve logged:\n%s", r.stderr)
	}
	return r.stdout
}

// Console transcripts of the simulated clock, run through `piket serve`:
// testdata/console/NAME.txt is the input, NAME.golden the whole output.
// A transcript is deterministic (run with -count=5 to see it).
func TestServeConsoleTranscripts(t *testing.T) {
	tests := []struct{ name, config string }{
		{"escalation", ""},
		{"roster_jump", "reminders:\n  enabled: false\n"},
		{"clock", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			script, err := os.ReadFile(filepath.Join("testdata", "console", tt.name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			got := serveScript(t, tt.config, string(script))
			golden := filepath.Join("testdata", "console", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s (run with -update to accept):\n--- got\n%s", golden, got)
			}
		})
	}
}

// The script: a leave-home report at 10:00 and a jump to 10:45
// as the last line escalate, minute by minute, to the supervisor's
// supervisor, the head of office and the office admins, with no sleep.
func TestServeEscalatesOnClockJumpAtEndOfInput(t *testing.T) {
	out := serveScript(t, "", ":waktu 2020-03-18 10:00\n:as 199203142015032001\n/keluar ke apotek\n:waktu 2020-03-18 10:45\n")
	want := []string{
		"→ [Ni Made Dwi Lestari] 🚶 Laporan keluar rumah No. 1",
		"→ [Ni Luh Putu Ariyani] ⚠️ Laporan keluar rumah No. 1 belum ditanggapi oleh Ni Made Dwi Lestari.",
		"→ [I Wayan Sudarsana] ⚠️ Laporan keluar rumah No. 1 belum ditanggapi oleh Ni Made Dwi Lestari, Ni Luh Putu Ariyani.",
		"→ [I Made Sukadana] ⚠️ Laporan keluar rumah No. 1 belum ditanggapi oleh Ni Made Dwi Lestari, Ni Luh Putu Ariyani, I Wayan Sudarsana.",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(out[at:], w)
		if i < 0 {
			t.Fatalf("transcript lacks, in order, %q:\n%s", w, out)
		}
		at += i + len(w)
	}
	if n := strings.Count(out, "⚠️"); n != 3 {
		t.Errorf("%d escalations, want 3:\n%s", n, out)
	}
	if strings.Contains(out, "galat") {
		t.Errorf("transcript shows an error:\n%s", out)
	}
}

// A jump from Friday 15:01 to Tuesday 15:01 (default WIB) posts the lists
// for Tuesday 24 and Thursday 26 March 2020 (Nyepi, Wednesday 25, is a
// holiday) in order, each once, every office at its own 15:00, with the
// reminders of Monday and Tuesday in between (DISKOMINFO's only: sending
// them all is slow under -race).
func TestServeClockJumpOverDays(t *testing.T) {
	out := serveScript(t, "  BKPSDM:\n    reminders:\n      enabled: false\n", ":waktu 2020-03-20 15:01\n:waktu 2020-03-24 15:01\n")
	lines := strings.Split(out, "\n")
	var posts []string
	for i, l := range lines {
		if strings.Contains(l, "📋 Jadwal piket") && i+1 < len(lines) {
			posts = append(posts, strings.TrimPrefix(l, "→ ")+" / "+strings.TrimSpace(lines[i+1]))
		}
	}
	want := []string{
		"[grup DISKOMINFO] 📋 Jadwal piket DISKOMINFO / Selasa, 24 Maret 2020",
		"[grup BKPSDM] 📋 Jadwal piket BKPSDM / Selasa, 24 Maret 2020",
		"[grup DISKOMINFO] 📋 Jadwal piket DISKOMINFO / Kamis, 26 Maret 2020",
		"[grup BKPSDM] 📋 Jadwal piket BKPSDM / Kamis, 26 Maret 2020",
	}
	if strings.Join(posts, "\n") != strings.Join(want, "\n") {
		t.Errorf("roster posts:\n%s\nwant:\n%s", strings.Join(posts, "\n"), strings.Join(want, "\n"))
	}
	// Day by day: Monday's reminders come before the Tuesday list, which
	// comes before Tuesday's reminders; nothing for the weekend.
	mon := strings.Index(out, "Anda belum absen hari ini (Senin, 23 Maret 2020)")
	tueList := strings.Index(out, "Jadwal piket DISKOMINFO\n  Selasa, 24 Maret 2020")
	tue := strings.Index(out, "Anda belum absen hari ini (Selasa, 24 Maret 2020)")
	if mon < 0 || tueList < mon || tue < tueList {
		t.Errorf("not day by day: Monday reminder at %d, Tuesday list at %d, Tuesday reminder at %d", mon, tueList, tue)
	}
	if strings.Contains(out, "Sabtu, 21 Maret") || strings.Contains(out, "Minggu, 22 Maret") {
		t.Error("something was sent for the weekend")
	}
}
