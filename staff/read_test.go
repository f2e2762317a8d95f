package staff_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/piket-id/piket/staff"
)

const goodCSV = "\ufeffNIP , Nama,OPD,Bidang,Jabatan,Atasan_NIP,Telepon,Peran\r\n" +
	"197008141995031004,I Wayan Sudarsana,diskominfo,,Eselon II,,0812-3960-1101,admin\r\n" +
	"\r\n" +
	"19760512 200012 2 002,  Ni Luh  Putu Ariyani ,Diskominfo, Sekretariat ,III,197008141995031004,+62 812 3811 2202,\r\n" +
	"198204102008012011,Ni Made Dwi Lestari,DISKOMINFO,Sekretariat,eselon4,197605122000122002,,\r\n" +
	"199203142015032001,Ni Made Sari,DISKOMINFO,\"Bidang  Aplikasi\tInformatika\",staf,198204102008012011,81234567890,\"Admin, admin\"\r\n" +
	",,,,,,,\r\n"

func TestReadCSV(t *testing.T) {
	recs, bad, err := staff.ReadCSV(strings.NewReader(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	want := []staff.Record{
		{Line: 2, NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: staff.LevelEselon2, Phone: "+6281239601101", Roles: []string{"admin"}},
		{Line: 4, NIP: "197605122000122002", Name: "Ni Luh Putu Ariyani", Office: "DISKOMINFO", Division: "Sekretariat", Level: staff.LevelEselon3, SupervisorNIP: "197008141995031004", Phone: "+6281238112202"},
		{Line: 5, NIP: "198204102008012011", Name: "Ni Made Dwi Lestari", Office: "DISKOMINFO", Division: "Sekretariat", Level: staff.LevelEselon4, SupervisorNIP: "197605122000122002"},
		{Line: 6, NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Bidang Aplikasi Informatika", Level: staff.LevelPelaksana, SupervisorNIP: "198204102008012011", Phone: "+6281234567890", Roles: []string{"admin"}},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("ReadCSV:\n got %+v\nwant %+v", recs, want)
	}
	if errs := staff.Validate(recs, nil); len(errs) != 0 {
		t.Errorf("Validate: %v", errs)
	}
}

func TestReadCSVSemicolonsAndColumnOrder(t *testing.T) {
	in := "telepon;peran;jabatan;opd;nama;nip;atasan_nip\n" +
		"0812 3960 1101;admin,admin;eselon2;DISKOMINFO;I Wayan Sudarsana;197008141995031004;\n" +
		"\"0812-3811-2202\";;eselon3;DISKOMINFO;\"Siregar; Ani\";197605122000122002;197008141995031004\n"
	recs, bad, err := staff.ReadCSV(strings.NewReader(in))
	if err != nil || len(bad) != 0 {
		t.Fatalf("ReadCSV: %v %v", bad, err)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	if r := recs[1]; r.Name != "Siregar; Ani" || r.Phone != "+6281238112202" || r.Line != 3 || r.SupervisorNIP != "197008141995031004" {
		t.Errorf("second record = %+v", r)
	}
	if r := recs[0]; !reflect.DeepEqual(r.Roles, []string{"admin"}) || r.Division != "" {
		t.Errorf("first record = %+v", r)
	}
}

// rowKey is what a test checks of a RowError.
type rowKey struct {
	Line  int
	Field string
	Code  staff.ErrCode
}

func keys(errs []staff.RowError) []rowKey {
	var ks []rowKey
	for _, e := range errs {
		ks = append(ks, rowKey{e.Line, e.Field, e.Code})
	}
	return ks
}

func TestReadCSVBadRows(t *testing.T) {
	lines := []string{
		"nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran", // 1
		"197008141995031004,I Wayan Sudarsana,DISKOMINFO,,eselon2,,0812-3960-1101,admin",
		"",
		"19700814199503100,Pendek,DISKOMINFO,,pelaksana,,,",                         // 4: NIP length
		"198502302010011003,Tanggal Salah,DISKOMINFO,,pelaksana,,,",                 // 5: birth date
		"198503122010131003,Bulan Salah,DISKOMINFO,,pelaksana,,,",                   // 6: appointment
		"198503122010013003,Kelamin Salah,DISKOMINFO,,pelaksana,,,",                 // 7: sex
		"198503122010011000,Urut Nol,DISKOMINFO,,pelaksana,,,",                      // 8: sequence
		"198503122001011003,Terlalu Muda,DISKOMINFO,,pelaksana,,,",                  // 9: too young
		"1.98503122010011E+17,Angka Excel,DISKOMINFO,,pelaksana,,,",                 // 10: as number
		"198503122010011003,,DISKOMINFO,,pelaksana,,,",                              // 11: no name
		"198503122010011004,Tanpa Kantor,,,pelaksana,,,",                            // 12: no office
		"198503122010011005,Jabatan Aneh,DISKOMINFO,,eselon5,,,",                    // 13: level
		"198503122010011006,Tanpa Jabatan,DISKOMINFO,,,,,",                          // 14: no level
		"198503122010011007,Atasan Salah,DISKOMINFO,,pelaksana,12345,,",             // 15: supervisor NIP
		"198503122010011008,Telepon Salah,DISKOMINFO,,pelaksana,,0812-34,",          // 16: phone
		"198503122010011009,Peran Aneh,DISKOMINFO,,pelaksana,,,\"admin,superuser\"", // 17: role
		"198503122010011010,Peran Tanpa Kutip,DISKOMINFO,,pelaksana,,,admin,lain",   // 18: extra cell
		",Tanpa NIP,DISKOMINFO,,pelaksana,,,",                                       // 19: no NIP
		"x,,,,bos,,021,tamu",                                                        // 20: many faults
		"198503122010011011,Baik,DISKOMINFO,,pelaksana,197008141995031004,,",        // 21: good
		"198503122010011012,\"Kutip Tak Tertutup,DISKOMINFO,,pelaksana,,,",          // 22: malformed
		"198503122010011013,Tak Terbaca,DISKOMINFO,,pelaksana,,,",
	}
	recs, bad, err := staff.ReadCSV(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Line != 2 || recs[1].Line != 21 {
		t.Errorf("records = %+v, want lines 2 and 21", recs)
	}
	want := []rowKey{
		{4, "nip", staff.CodeNIPLength},
		{5, "nip", staff.CodeNIPBirthDate},
		{6, "nip", staff.CodeNIPAppointment},
		{7, "nip", staff.CodeNIPSex},
		{8, "nip", staff.CodeNIPSeq},
		{9, "nip", staff.CodeNIPTooYoung},
		{10, "nip", staff.CodeNIPAsNumber},
		{11, "nama", staff.CodeRequired},
		{12, "opd", staff.CodeRequired},
		{13, "jabatan", staff.CodeLevel},
		{14, "jabatan", staff.CodeRequired},
		{15, "atasan_nip", staff.CodeNIPLength},
		{16, "telepon", staff.CodePhone},
		{17, "peran", staff.CodeRole},
		{18, "", staff.CodeExtraCell},
		{19, "nip", staff.CodeRequired},
		{20, "nip", staff.CodeNIPChars},
		{20, "nama", staff.CodeRequired},
		{20, "opd", staff.CodeRequired},
		{20, "jabatan", staff.CodeLevel},
		{20, "telepon", staff.CodePhone},
		{20, "peran", staff.CodeRole},
		{22, "", staff.CodeMalformed},
	}
	if got := keys(bad); !reflect.DeepEqual(got, want) {
		t.Errorf("bad rows:\n got %v\nwant %v", got, want)
	}
	for _, e := range bad {
		if e.Line == 16 {
			if got, want := e.Text("id"), `baris 16 (NIP 198503122010011008): kolom telepon: "0812-34" bukan nomor ponsel Indonesia yang sah`; got != want {
				t.Errorf("Text(id) = %q, want %q", got, want)
			}
			if got, want := e.Text("en"), `line 16 (NIP 198503122010011008): column telepon: "0812-34" is not a valid Indonesian mobile number`; got != want {
				t.Errorf("Text(en) = %q, want %q", got, want)
			}
		}
		if e.Line == 10 && !strings.Contains(e.Text(""), "format kolom sebagai Teks") {
			t.Errorf("Text for an Excel number lacks the hint: %q", e.Text(""))
		}
	}
}

func TestRowErrorTexts(t *testing.T) {
	// Every code has a text in both languages, and the two differ.
	codes := []staff.ErrCode{
		staff.CodeRequired, staff.CodeMalformed, staff.CodeExtraCell,
		staff.CodeNIPChars, staff.CodeNIPAsNumber, staff.CodeNIPLength, staff.CodeNIPBirthDate,
		staff.CodeNIPAppointment, staff.CodeNIPSex, staff.CodeNIPSeq, staff.CodeNIPTooYoung,
		staff.CodeLevel, staff.CodeRole, staff.CodePhone,
		staff.CodeDuplicateNIP, staff.CodeDuplicatePhone, staff.CodeUnknownSupervisor,
		staff.CodeSelfSupervisor, staff.CodeSupervisorCycle,
	}
	for _, c := range codes {
		e := staff.RowError{Line: 3, Code: c, Detail: "x"}
		id, en := e.Text("id"), e.Text("en")
		if id == en || strings.Contains(id, string(c)+": ") || strings.Contains(en, string(c)+": ") {
			t.Errorf("%s: id %q, en %q", c, id, en)
		}
		if !strings.HasPrefix(id, "baris 3: ") || !strings.HasPrefix(en, "line 3: ") {
			t.Errorf("%s: id %q, en %q", c, id, en)
		}
	}
	if got, want := (staff.RowError{Line: 7, NIP: "198503122010011003", Field: "atasan_nip", Code: staff.CodeUnknownSupervisor, Detail: "197008141995031004"}).Text("id"),
		"baris 7 (NIP 198503122010011003): kolom atasan_nip: atasan 197008141995031004 tidak ada di berkas ini maupun di data pegawai"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestReadCSVHeaderErrors(t *testing.T) {
	_, _, err := staff.ReadCSV(strings.NewReader("nip;opd;bidang;telepon\n198503122010011003;X;;\n"))
	var mc *staff.MissingColumnsError
	if !errors.As(err, &mc) {
		t.Fatalf("err = %v, want *MissingColumnsError", err)
	}
	if got, want := mc.Missing, []string{"nama", "jabatan", "atasan_nip"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Missing = %q, want %q", got, want)
	}
	if !strings.Contains(err.Error(), "nama, jabatan, atasan_nip") {
		t.Errorf("error %q does not name the columns", err)
	}
	for _, in := range []string{"", "\ufeff", "\n\n", "nip,nip,nama,opd,jabatan,atasan_nip\n"} {
		if _, _, err := staff.ReadCSV(strings.NewReader(in)); err == nil {
			t.Errorf("ReadCSV(%q) succeeded, want error", in)
		}
	}
	// A header alone is a valid, empty file.
	recs, bad, err := staff.ReadCSV(strings.NewReader("nip,nama,opd,jabatan,atasan_nip"))
	if err != nil || len(recs) != 0 || len(bad) != 0 {
		t.Errorf("header only: %v %v %v", recs, bad, err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadCSVIOError(t *testing.T) {
	if _, _, err := staff.ReadCSV(failingReader{}); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("err = %v, want the read error", err)
	}
}

// writeXLSX builds a workbook whose first sheet holds rows (from A1); a cell
// is written with its Go type, so numbers are stored as numbers.
func writeXLSX(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Pegawai"); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			if v == nil {
				continue
			}
			if err := f.SetCellValue("Pegawai", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A second sheet that must be ignored.
	if _, err := f.NewSheet("Catatan"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("Catatan", "A1", "bukan data"); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	data := writeXLSX(t, [][]any{
		{"NIP", "Nama", "OPD", "Bidang", "Jabatan", "Atasan_NIP", "Telepon", "Peran"},
		{"197008141995031004", "I Wayan Sudarsana", "diskominfo", nil, "Eselon II", nil, "0812-3960-1101", "admin"},
		{"19760512 200012 2 002", "Ni Luh Putu Ariyani", "DISKOMINFO", "Sekretariat", "III", "197008141995031004", 81238112202, nil},
		{},
		{1.98503122010011e17, "NIP Jadi Angka", "DISKOMINFO", "Sekretariat", "staf", "197605122000122002", nil, nil},
		{"199203142015032001", "Ni Made Sari", "DISKOMINFO", "Sekretariat", "pelaksana", "197605122000122002", 8.1234567891e10, nil},
		{int64(199605042020121007), "NIP Angka Utuh", "DISKOMINFO", "Sekretariat\nUmum", "pelaksana", "197605122000122002", "+62 813 3830 3030", nil},
		{"199408082019031006", "Telepon Salah", "DISKOMINFO", "Sekretariat", "pelaksana", "197605122000122002", 1234, nil},
	})
	recs, bad, err := staff.ReadXLSX(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []staff.Record{
		{Line: 2, NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: staff.LevelEselon2, Phone: "+6281239601101", Roles: []string{"admin"}},
		{Line: 3, NIP: "197605122000122002", Name: "Ni Luh Putu Ariyani", Office: "DISKOMINFO", Division: "Sekretariat", Level: staff.LevelEselon3, SupervisorNIP: "197008141995031004", Phone: "+6281238112202"},
		{Line: 6, NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Sekretariat", Level: staff.LevelPelaksana, SupervisorNIP: "197605122000122002", Phone: "+6281234567891"},
		{Line: 7, NIP: "199605042020121007", Name: "NIP Angka Utuh", Office: "DISKOMINFO", Division: "Sekretariat Umum", Level: staff.LevelPelaksana, SupervisorNIP: "197605122000122002", Phone: "+6281338303030"},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("ReadXLSX:\n got %+v\nwant %+v", recs, want)
	}
	wantBad := []rowKey{{5, "nip", staff.CodeNIPAsNumber}, {8, "telepon", staff.CodePhone}}
	if got := keys(bad); !reflect.DeepEqual(got, wantBad) {
		t.Errorf("bad rows: got %v, want %v", got, wantBad)
	}

	if _, _, err := staff.ReadXLSX(strings.NewReader("not a workbook")); err == nil {
		t.Error("ReadXLSX(garbage) succeeded, want error")
	}
	_, _, err = staff.ReadXLSX(bytes.NewReader(writeXLSX(t, [][]any{{"nip", "nama"}})))
	if _, ok := errors.AsType[*staff.MissingColumnsError](err); !ok {
		t.Errorf("err = %v, want *MissingColumnsError", err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "pegawai.CSV")
	xlsxPath := filepath.Join(dir, "pegawai.xlsx")
	if err := os.WriteFile(csvPath, []byte(goodCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	xlsx := writeXLSX(t, [][]any{
		{"nip", "nama", "opd", "jabatan", "atasan_nip"},
		{"197008141995031004", "I Wayan Sudarsana", "DISKOMINFO", "eselon2", nil},
	})
	if err := os.WriteFile(xlsxPath, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, n := range map[string]int{csvPath: 4, xlsxPath: 1} {
		recs, bad, err := staff.ReadFile(path)
		if err != nil || len(bad) != 0 || len(recs) != n {
			t.Errorf("ReadFile(%s) = %d records, %v, %v; want %d records", filepath.Base(path), len(recs), bad, err, n)
		}
	}
	for _, path := range []string{filepath.Join(dir, "pegawai.xls"), filepath.Join(dir, "missing.csv")} {
		if _, _, err := staff.ReadFile(path); err == nil {
			t.Errorf("ReadFile(%s) succeeded, want error", filepath.Base(path))
		}
	}
}

// A damaged workbook (cut short, or bytes changed) is an error or a
// valid read, never a panic.
func TestReadXLSXDamaged(t *testing.T) {
	good := writeXLSX(t, [][]any{
		{"nip", "nama", "opd", "jabatan", "atasan_nip"},
		{"197008141995031004", "I Wayan Sudarsana", "DISKOMINFO", "II", nil},
	})
	for i := 0; i < len(good); i += max(1, len(good)/60) {
		recs, bad, err := staff.ReadXLSX(bytes.NewReader(good[:i]))
		if err == nil {
			t.Errorf("workbook cut at %d of %d bytes read without error", i, len(good))
		}
		checkRead(t, "ReadXLSX", recs, bad, err)
		changed := bytes.Clone(good)
		changed[i] ^= 0x5a
		recs, bad, err = staff.ReadXLSX(bytes.NewReader(changed))
		checkRead(t, "ReadXLSX", recs, bad, err)
	}
}
