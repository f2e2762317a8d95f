package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/piket-id/piket/store"
)

func activeNames(t *testing.T, db string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.ActiveStaff(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range all {
		out = append(out, p.Name)
	}
	return out
}

// TestStaffAddDeactivateList runs on a fresh configuration (no database
// yet), as from a fresh clone.
func TestStaffAddDeactivateList(t *testing.T) {
	cfg, db := writeConfig(t, "")
	head := []string{"staff", "add", "-config", cfg}
	r := run(t, "", append(head, "-nip", "197008141995031004", "-nama", "I Wayan Sudarsana", "-opd", "diskominfo",
		"-jabatan", "Eselon II", "-telepon", "0812-3450-0001", "-peran", "admin")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Ditambahkan: I Wayan Sudarsana (NIP 197008141995031004), DISKOMINFO, eselon2.") ||
		!strings.Contains(r.stdout, "OPD baru dibuat: DISKOMINFO") {
		t.Fatalf("add: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", append(head, "-nip", "1992 0314 2015 03 2 001", "-nama", "Ni Made Sari", "-opd", "DISKOMINFO", "-bidang", "Statistik",
		"-jabatan", "pelaksana", "-atasan", "197008141995031004")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Ni Made Sari (NIP 199203142015032001)") || strings.Contains(r.stdout, "OPD baru") {
		t.Fatalf("add subordinate: exit %d %q %q", r.code, r.stdout, r.stderr)
	}

	bad := []struct {
		name string
		args []string
		want []string
	}{
		{"bad phone and level", []string{"-nip", "199001102015031003", "-nama", "Agus", "-opd", "DISKOMINFO", "-jabatan", "kepala", "-telepon", "0812-34"},
			[]string{"-telepon: \"0812-34\" bukan nomor ponsel Indonesia yang sah", "-jabatan: \"kepala\" bukan jabatan"}},
		{"unknown supervisor", []string{"-nip", "199001102015031003", "-nama", "Agus", "-opd", "DISKOMINFO", "-jabatan", "pelaksana", "-atasan", "198001012005011001"},
			[]string{"-atasan: atasan 198001012005011001 tidak ada"}},
		{"missing name", []string{"-nip", "199001102015031003", "-opd", "DISKOMINFO", "-jabatan", "pelaksana"},
			[]string{"-nama: wajib diisi"}},
		{"bad NIP", []string{"-nip", "1990", "-nama", "Agus", "-opd", "DISKOMINFO", "-jabatan", "pelaksana"},
			[]string{"-nip: \"1990\" harus terdiri dari 18 angka"}},
		{"phone of another", []string{"-nip", "199001102015031003", "-nama", "Agus", "-opd", "DISKOMINFO", "-jabatan", "pelaksana", "-telepon", "+6281234500001"},
			[]string{"-telepon: nomor telepon ini sudah dipakai", "197008141995031004"}},
		{"existing NIP", []string{"-nip", "199203142015032001", "-nama", "Ni Made Sari", "-opd", "DISKOMINFO", "-jabatan", "pelaksana"},
			[]string{"NIP 199203142015032001 sudah terdaftar: Ni Made Sari (DISKOMINFO, aktif)"}},
	}
	for _, tc := range bad {
		r := run(t, "", append(head, tc.args...)...)
		if r.code != 1 {
			t.Errorf("%s: exit %d, want 1; %q", tc.name, r.code, r.stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tc.name, w, r.stderr)
			}
		}
	}
	if got := activeNames(t, db); len(got) != 2 {
		t.Errorf("after refused adds: %q, want the 2 added", got)
	}

	r = run(t, "", "staff", "list", "-config", cfg, "-opd", "diskominfo")
	if r.code != 0 {
		t.Fatalf("list: exit %d %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "NIP ") || !strings.Contains(lines[1], "I Wayan Sudarsana") ||
		!strings.Contains(lines[1], "+6281234500001") || !strings.Contains(lines[1], "admin") ||
		!strings.Contains(lines[2], "Ni Made Sari") || !strings.Contains(lines[2], "197008141995031004") || lines[3] != "2 pegawai." {
		t.Errorf("list:\n%s", r.stdout)
	}

	if r = run(t, "", append(head, "-nip", "199505052019031002", "-nama", "Putu Arya", "-opd", "DISKOMINFO", "-jabatan", "pelaksana",
		"-atasan", "199203142015032001")...); r.code != 0 {
		t.Fatalf("add Putu: exit %d %q", r.code, r.stderr)
	}
	r = run(t, "", "staff", "deactivate", "-config", cfg, "199203142015032001")
	if r.code != 0 || !strings.Contains(r.stdout, "Dinonaktifkan: Ni Made Sari (NIP 199203142015032001, DISKOMINFO).") ||
		!strings.Contains(r.stdout, "Catatan: 1 bawahan langsungnya masih aktif") {
		t.Fatalf("deactivate: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := strings.Join(activeNames(t, db), ","); got != "I Wayan Sudarsana,Putu Arya" {
		t.Errorf("active after deactivate: %q", got)
	}
	if r = run(t, "", "staff", "deactivate", "-config", cfg, "199203142015032001"); r.code != 0 || !strings.Contains(r.stdout, "sudah tidak aktif") {
		t.Errorf("deactivate twice: exit %d %q", r.code, r.stdout)
	}
	if r = run(t, "", "staff", "deactivate", "-config", cfg, "199001102015031003"); r.code != 1 || !strings.Contains(r.stderr, "tidak terdaftar") {
		t.Errorf("deactivate unknown: exit %d %q", r.code, r.stderr)
	}
	if r = run(t, "", "staff", "deactivate", "-config", cfg, "12345"); r.code != 1 || !strings.Contains(r.stderr, "bukan NIP yang sah") {
		t.Errorf("deactivate bad NIP: exit %d %q", r.code, r.stderr)
	}
	if r = run(t, "", "staff", "deactivate", "-config", cfg, "197008141995031004"); r.code != 0 ||
		strings.Contains(r.stdout, "bawahan") { // Sari, below him, is inactive already
		t.Errorf("deactivate head: exit %d %q", r.code, r.stdout)
	}
	r = run(t, "", "staff", "list", "-config", cfg, "-opd", "DISKOMINFO", "-all")
	if r.code != 0 || !strings.Contains(r.stdout, "AKTIF") || strings.Count(r.stdout, "tidak") != 2 || !strings.Contains(r.stdout, "3 pegawai.") {
		t.Errorf("list -all: exit %d\n%s", r.code, r.stdout)
	}
	if r = run(t, "", "staff", "list", "-config", cfg, "-opd", "NOPE"); r.code != 1 || !strings.Contains(r.stderr, "OPD NOPE tidak ada") {
		t.Errorf("list unknown office: exit %d %q", r.code, r.stderr)
	}
	if r = run(t, "", "staff", "list", "-config", cfg); r.code != 2 {
		t.Errorf("list without -opd: exit %d", r.code)
	}
}

// TestImportDryRunAndScopedDeactivate: a file of one office previews and
// then deactivates only that office's missing people.
func TestImportDryRunAndScopedDeactivate(t *testing.T) {
	cfg, db := writeConfig(t, "")
	both := header +
		"197008141995031004,I Wayan Sudarsana,DISKOMINFO,,eselon2,,081234500001,admin\n" +
		"199203142015032001,Ni Made Sari,DISKOMINFO,Statistik,pelaksana,197008141995031004,0812-3450-0003,\n" +
		"198001012005011001,Agus Setiawan,BKPSDM,,eselon3,,,admin\n" +
		"199001102015031003,Dewi Lestari,BKPSDM,,pelaksana,198001012005011001,,\n"
	if r := run(t, "", "staff", "import", "-config", cfg, writeFile(t, "both.csv", both)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	one := header +
		"197008141995031004,I Wayan Sudarsana,DISKOMINFO,Sekretariat,eselon2,,081234500001,admin\n" +
		"199505052019031002,Putu Arya,DISKOMINFO,,pelaksana,197008141995031004,,\n"
	file := writeFile(t, "one.csv", one)
	r := run(t, "", "staff", "import", "--dry-run", "--deactivate-missing", "-config", cfg, file)
	if r.code != 0 {
		t.Fatalf("dry run: exit %d %s", r.code, r.stderr)
	}
	for _, want := range []string{
		"~ 197008141995031004 I Wayan Sudarsana (DISKOMINFO): diperbarui: bidang",
		"+ 199505052019031002 Putu Arya (DISKOMINFO): ditambah",
		"- 199203142015032001 Ni Made Sari (DISKOMINFO): dinonaktifkan",
		"tidak ada yang disimpan: akan 1 ditambah, 1 diperbarui, 0 tetap, 1 dinonaktifkan, 0 OPD baru.",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "Dewi") || strings.Contains(r.stdout, "Agus") {
		t.Errorf("dry run touches another office:\n%s", r.stdout)
	}
	if got := activeNames(t, db); len(got) != 4 {
		t.Errorf("dry run wrote: active %q", got)
	}
	r = run(t, "", "staff", "import", "--deactivate-missing", "-config", cfg, file)
	if r.code != 0 || !strings.Contains(r.stdout, "1 ditambah, 1 diperbarui, 0 tetap, 1 dinonaktifkan") {
		t.Fatalf("import: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	got := strings.Join(activeNames(t, db), ",")
	if want := "Agus Setiawan,Dewi Lestari,I Wayan Sudarsana,Putu Arya"; got != want {
		t.Errorf("active %s, want %s", got, want)
	}
}
