package cli

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// exportSetup imports two people and has one of them check in and write
// "/laporan =1+1" in the console on 2020-03-18.
func exportSetup(t *testing.T) (cfg string) {
	t.Helper()
	cfg, _ = writeConfig(t, "offices:\n  DISKOMINFO:\n    timezone: Asia/Makassar\n    since: 2020-03-01\n")
	staffCSV := header +
		"197008141995031004,I Wayan Sudarsana,DISKOMINFO,,eselon2,,081234500001,admin\n" +
		"199203142015032001,Ni Made Sari,DISKOMINFO,Statistik,pelaksana,197008141995031004,0812-3450-0003,\n"
	if r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "staff.csv", staffCSV)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	r := run(t, ":as Ni Made Sari\n:waktu 2020-03-18 07:30 WITA\nhadir wfh\n/laporan =1+1\n", "serve", "-config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "Laporan kerja tercatat") {
		t.Fatalf("serve: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return cfg
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExportFileSafety(t *testing.T) {
	cfg := exportSetup(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "maret.csv")
	victim := filepath.Join(t.TempDir(), "victim.txt")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	// Symlinks planted at the names a predictable temp file would have.
	for _, name := range []string{"maret.csv.tmp", ".maret.csv.tmp"} {
		if err := os.Symlink(victim, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}

	r := run(t, "", "export", "-config", cfg, "-month", "2020-03", "-o", out)
	if r.code != 0 {
		t.Fatalf("export: exit %d %s", r.code, r.stderr)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got&0o077 != 0 {
		t.Errorf("export mode %v, want 0600", got)
	}
	first := readFile(t, out)
	if got := readFile(t, victim); got != "precious" {
		t.Errorf("a planted symlink was followed: victim now %q", got)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".maret.csv.tmp", "maret.csv", "maret.csv.tmp"}; !slices.Equal(names, want) {
		t.Errorf("directory holds %q, want %q (no temp file left)", names, want)
	}

	// An existing file is not overwritten without -force.
	if err := os.WriteFile(out, []byte("edited by hand"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", "export", "-config", cfg, "-month", "2020-03", "-o", out)
	if r.code != 1 || !strings.Contains(r.stderr, "sudah ada") || !strings.Contains(r.stderr, "-force") {
		t.Errorf("export onto an existing file: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := readFile(t, out); got != "edited by hand" {
		t.Errorf("existing file changed to %q", got)
	}
	r = run(t, "", "export", "-config", cfg, "-month", "2020-03", "-force", "-o", out)
	if r.code != 0 || readFile(t, out) != first {
		t.Errorf("export -force: exit %d %s", r.code, r.stderr)
	}

	// A symlink planted at the target: refused without -force, replaced
	// (not followed) with it.
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	r = run(t, "", "export", "-config", cfg, "-month", "2020-03", "-o", link)
	if r.code != 1 || !strings.Contains(r.stderr, "sudah ada") {
		t.Errorf("export onto a symlink: exit %d, stderr %q", r.code, r.stderr)
	}
	dangling := filepath.Join(dir, "dangling.csv")
	if err := os.Symlink(filepath.Join(dir, "nowhere", "x.csv"), dangling); err != nil {
		t.Fatal(err)
	}
	if r = run(t, "", "export", "-config", cfg, "-month", "2020-03", "-o", dangling); r.code != 1 {
		t.Errorf("export onto a dangling symlink: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, "", "export", "-config", cfg, "-month", "2020-03", "-force", "-o", link)
	if r.code != 0 {
		t.Fatalf("export -force onto a symlink: exit %d %s", r.code, r.stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink != 0 || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("link.csv after -force: %v %v, want a 0600 regular file", fi.Mode(), err)
	}
	if got := readFile(t, victim); got != "precious" {
		t.Errorf("a planted symlink was followed: victim now %q", got)
	}
}

// TestExportFormulaAsText: "/laporan =1+1" sent in the chat exports as
// text in CSV (quoted) and XLSX (a string cell, no formula).
func TestExportFormulaAsText(t *testing.T) {
	cfg := exportSetup(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "maret.csv")
	if r := run(t, "", "export", "-config", cfg, "-month", "2020-03", "-o", out); r.code != 0 {
		t.Fatalf("export csv: %s", r.stderr)
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
	report := slices.Index(rows[0], "Laporan kerja")
	var found bool
	for _, row := range rows[1:] {
		if row[0] == "2020-03-18" && row[2] == "Ni Made Sari" {
			found = true
			if row[report] != "'=1+1" {
				t.Errorf("CSV work report %q, want %q", row[report], "'=1+1")
			}
		}
	}
	if !found {
		t.Fatalf("no row for Sari on 2020-03-18")
	}

	xout := filepath.Join(dir, "maret.xlsx")
	if r := run(t, "", "export", "-config", cfg, "-month", "2020-03", "-o", xout); r.code != 0 {
		t.Fatalf("export xlsx: %s", r.stderr)
	}
	x, err := excelize.OpenFile(xout)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	xrows, err := x.GetRows("Harian")
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range xrows {
		if len(row) > report && row[0] == "2020-03-18" && row[2] == "Ni Made Sari" {
			cell, _ := excelize.CoordinatesToCellName(report+1, i+1)
			typ, _ := x.GetCellType("Harian", cell)
			formula, _ := x.GetCellFormula("Harian", cell)
			if row[report] != "=1+1" || typ != excelize.CellTypeInlineString || formula != "" {
				t.Errorf("XLSX %s: %q type %v formula %q, want the text =1+1", cell, row[report], typ, formula)
			}
		}
	}
}

// TestWriteAtomicRace: a file (or symlink) that appears at the target
// while the export is being written is not overwritten, and no temporary
// file is left.
func TestWriteAtomicRace(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.csv")
	err := writeAtomic(out, false, func(f *os.File) error {
		if err := os.Symlink(victim, out); err != nil { // planted meanwhile
			return err
		}
		_, err := f.WriteString("export")
		return err
	})
	if !errors.Is(err, os.ErrExist) {
		t.Fatalf("writeAtomic onto a symlink planted meanwhile: %v, want os.ErrExist", err)
	}
	if got := readFile(t, victim); got != "precious" {
		t.Errorf("victim now %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("directory holds %d entries, want victim and the symlink only", len(entries))
	}
	failed := filepath.Join(dir, "failed.csv")
	if err := writeAtomic(failed, false, func(*os.File) error { return errors.New("boom") }); err == nil {
		t.Fatal("a failed write succeeded")
	}
	if _, err := os.Lstat(failed); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export left %s: %v", failed, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("a failed export left a temporary file: %d entries", len(entries))
	}
}
