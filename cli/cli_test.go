package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	// The demo's dashboard takes a free port when 8080 is busy.
	return result{code, demoURL.ReplaceAllString(out.String(), "http://127.0.0.1:PORT"), errb.String()}
}

var demoURL = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)

// writeConfig writes a config using a database in a temp dir.
func writeConfig(t *testing.T, extra string) (cfgPath, dbPath string) {
	t.Helper()
	dir := t.TempDir()
	dbPath = filepath.Join(dir, "piket.db")
	cfgPath = filepath.Join(dir, "piket.yaml")
	base := "database: " + dbPath + "\nlog:\n  level: warn\n"
	if !strings.Contains(extra, "http:") {
		base += "http:\n  listen: \"\"\n" // no fixed port in tests
	}
	if err := os.WriteFile(cfgPath, []byte(base+extra), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, dbPath
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDemoTranscript(t *testing.T) {
	script, err := os.ReadFile("testdata/demo.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, string(script), "demo")
	if r.code != 0 {
		t.Fatalf("demo exit %d, stderr:\n%s", r.code, r.stderr)
	}
	golden := "testdata/demo.golden"
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
		t.Errorf("demo transcript differs from %s (run with -update to accept):\n--- got\n%s", golden, r.stdout)
	}
}

func TestImportAndServe(t *testing.T) {
	cfg, db := writeConfig(t, "offices:\n  DISKOMINFO:\n    timezone: Asia/Makassar\n")
	csv := writeFile(t, "staff.csv", string(sample.StaffCSV()))
	r := run(t, "", "staff", "import", "-config", cfg, csv)
	if r.code != 0 {
		t.Fatalf("import exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "60 ditambah") || !strings.Contains(r.stdout, "2 OPD baru") {
		t.Errorf("import summary %q", r.stdout)
	}
	// The same file again changes nothing.
	r = run(t, "", "staff", "import", csv, "-config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "0 ditambah, 0 diperbarui, 60 tetap") {
		t.Errorf("re-import: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	// serve with the console behaves like the demo on the imported database.
	r = run(t, ":as Ni Made Sari\n:waktu 2020-03-18 08:05 WITA\nhadir\n", "serve", "-config", cfg)
	if r.code != 0 {
		t.Fatalf("serve exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "→ [Ni Made Sari] ✅ Kehadiran Ni Made Sari tercatat: Rabu, 18 Maret 2020 pukul 08.05 WITA.") ||
		!strings.Contains(r.stdout, "terlambat") {
		t.Errorf("serve transcript:\n%s", r.stdout)
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, _ := st.InboundCount(context.Background(), "ok"); n != 1 {
		t.Errorf("inbound ok rows = %d, want 1", n)
	}
}

const header = "nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran\n"

func TestImportRejectsBadFileWholly(t *testing.T) {
	cfg, db := writeConfig(t, "")
	bad := header +
		"197008141995031004,I Wayan Sudarsana,DISKOMINFO,,eselon2,,081234500001,admin\n" +
		"199203142015032001,Ni Made Sari,DISKOMINFO,Statistik,pelaksana,197008141995031004,0812-3450-0003,\n" +
		"199213142015032001,Bad Birth,DISKOMINFO,,pelaksana,197008141995031004,,\n" +
		"199203142015032002,Bad Phone,DISKOMINFO,,pelaksana,197008141995031004,0812-34,\n" +
		"199203142015032003,No Boss,DISKOMINFO,,pelaksana,198001012005011001,,\n" +
		"199203142015032001,Duplicate,DISKOMINFO,,pelaksana,,,\n" +
		"199203142015032004,Bad Level,DISKOMINFO,,kepala,,,\n"
	r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "bad.csv", bad))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"baris 4", "baris 5", "baris 6", "baris 3", "baris 7", "baris 8", "Tidak ada yang diimpor"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if all, _ := st.ActiveStaff(context.Background()); len(all) != 0 {
		t.Errorf("a bad file imported %d people, want 0", len(all))
	}
}

func TestImportDeactivateMissingAndXLSX(t *testing.T) {
	cfg, db := writeConfig(t, "")
	two := header +
		"197008141995031004,I Wayan Sudarsana,DISKOMINFO,,eselon2,,081234500001,admin\n" +
		"199203142015032001,Ni Made Sari,DISKOMINFO,Statistik,pelaksana,197008141995031004,0812-3450-0003,\n"
	if r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "two.csv", two)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	// The XLSX export of the HR system: Sari moved division, her colleague left.
	f := excelize.NewFile()
	rows := [][]any{
		{"nip", "nama", "opd", "bidang", "jabatan", "atasan_nip", "telepon", "peran"},
		{"197008141995031004", "I Wayan Sudarsana", "DISKOMINFO", "", "II", "", "+62 812-3450-0001", "admin"},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	xlsx := filepath.Join(t.TempDir(), "staff.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "staff", "import", "-config", cfg, xlsx)
	if r.code != 0 || !strings.Contains(r.stdout, "0 dinonaktifkan") {
		t.Fatalf("xlsx import without --deactivate-missing: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "staff", "import", "--deactivate-missing", "-config", cfg, xlsx)
	if r.code != 0 || !strings.Contains(r.stdout, "1 dinonaktifkan") {
		t.Fatalf("xlsx import with --deactivate-missing: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, _ := st.ActiveStaff(context.Background())
	if len(all) != 1 || all[0].Name != "I Wayan Sudarsana" {
		t.Errorf("active after deactivation = %+v", all)
	}
}

func TestConfigErrorsStopStart(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"databse: x\n", `unknown key "databse"`},
		{"timezone: Mars/Olympus\n", "timezone:"},
		{"checkin:\n  deadline: \"8 pagi\"\n", "not a time of day"},
		{"telegram:\n  enabled: true\n", "telegram.token"},
	}
	for _, tt := range tests {
		cfg := writeFile(t, "piket.yaml", tt.yaml)
		r := run(t, "", "serve", "-config", cfg)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 1 || len(lines) != 1 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 1 and one line containing %q", tt.yaml, r.code, r.stderr, tt.want)
		}
	}
}

func TestUsage(t *testing.T) {
	if r := run(t, ""); r.code != 2 || !strings.Contains(r.stderr, "staff import") {
		t.Errorf("no args: exit %d, %q", r.code, r.stderr)
	}
	if r := run(t, "", "frobnicate"); r.code != 2 {
		t.Errorf("unknown command: exit %d", r.code)
	}
	if r := run(t, "", "staff", "import"); r.code != 2 {
		t.Errorf("import without file: exit %d", r.code)
	}
	if r := run(t, "", "serve", "-h"); r.code != 0 || !strings.Contains(r.stderr, "-config") {
		t.Errorf("serve -h: exit %d, %q", r.code, r.stderr)
	}
	if r := run(t, "", "staff", "import", "-config", "/nonexistent/piket.yaml", "x.csv"); r.code != 1 {
		t.Errorf("missing config file: exit %d", r.code)
	}
}

// BenchmarkImport10k measures `piket staff import` of a 10,000-row CSV
// into a fresh database: read, validate, one transaction.
func BenchmarkImport10k(b *testing.B) {
	var buf bytes.Buffer
	if err := sample.Generate(&buf, 10000, 40, 1); err != nil {
		b.Fatal(err)
	}
	csv := filepath.Join(b.TempDir(), "staff10k.csv")
	if err := os.WriteFile(csv, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		cfg := filepath.Join(b.TempDir(), "piket.yaml")
		os.WriteFile(cfg, []byte("database: "+filepath.Join(b.TempDir(), "p.db")+"\n"), 0o600)
		b.StartTimer()
		var out, errb bytes.Buffer
		if code := Run(context.Background(), []string{"staff", "import", "-config", cfg, csv}, IO{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

// A phone that already identifies another active person (not in the file)
// is a bad row: it would make that person's WhatsApp/Telegram ambiguous.
func TestImportRefusesPhoneOfAnotherPerson(t *testing.T) {
	cfg, _ := writeConfig(t, "")
	first := header + "197008141995031004,I Wayan Sudarsana,DISKOMINFO,,eselon2,,081234500001,admin\n"
	if r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "a.csv", first)); r.code != 0 {
		t.Fatalf("first import: %s", r.stderr)
	}
	second := header + "199203142015032001,Ni Made Sari,DISKOMINFO,,pelaksana,197008141995031004,+62 812-3450-0001,\n"
	r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "b.csv", second))
	if r.code != 1 || !strings.Contains(r.stderr, "baris 2 (NIP 199203142015032001): kolom telepon: nomor telepon ini sudah dipakai pegawai aktif lain: NIP 197008141995031004") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
