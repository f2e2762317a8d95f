package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

func TestNeutralise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+62812", "'+62812"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"rapat =1+1", "rapat =1+1"},
		{"", ""},
		{"'=1", "'=1"},
		{"07:30", "07:30"},
	} {
		if got := Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=1+1", "@SUM(1)", "-", "hadir", "", "\t", "'="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Neutralise(s)
		if got != "" && strings.ContainsRune(formulaStarts, rune(got[0])) {
			t.Fatalf("Neutralise(%q) = %q starts a formula", s, got)
		}
		if got != s && got != "'"+s {
			t.Fatalf("Neutralise(%q) = %q: neither the cell nor the quoted cell", s, got)
		}
	})
}

// injected is a month in which staff typed formulas: /laporan =1+1 and
// a health note @SUM(…).
func injected(t *testing.T) *store.Store {
	st := openStore(t)
	ctx := context.Background()
	if _, err := st.ImportStaff(ctx, []store.StaffInput{
		{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Level: store.LevelPelaksana},
	}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: time.Date(2020, 3, 1, 9, 0, 0, 0, wita)}); err != nil { // go-live: 1 March
		t.Fatal(err)
	}
	people, err := st.ActiveStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := civil.MustParse("2020-03-16")
	at := d.At(7, 30, wita)
	err = st.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SaveAttendance(ctx, store.Attendance{StaffID: people[0].ID, Day: d, Status: store.StatusPresent, Place: store.PlaceHome,
			Health: "@SUM(A1:A9)", FirstAt: at, UpdatedAt: at}, 0); err != nil {
			return err
		}
		return tx.AddWorkReport(ctx, people[0].ID, d, "=1+1", at.Add(time.Hour), 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestFormulaCellsExportAsText(t *testing.T) {
	st := injected(t)
	ctx := context.Background()
	health, report := slices.Index(dayColumns, "Kesehatan"), slices.Index(dayColumns, "Laporan kerja")

	var cbuf bytes.Buffer
	if _, err := CSV(ctx, &cbuf, st, march); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&cbuf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	line := slices.IndexFunc(rows, func(r []string) bool { return r[0] == "2020-03-16" })
	if line < 0 {
		t.Fatalf("no row for 2020-03-16: %q", rows)
	}
	if got := rows[line][report]; got != "'=1+1" {
		t.Errorf("CSV work report %q, want %q", got, "'=1+1")
	}
	if got := rows[line][health]; got != "'@SUM(A1:A9)" {
		t.Errorf("CSV health %q, want %q", got, "'@SUM(A1:A9)")
	}

	var xbuf bytes.Buffer
	if _, err := XLSX(ctx, &xbuf, st, march); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xbuf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for col, want := range map[int]string{report: "=1+1", health: "@SUM(A1:A9)"} {
		cell, err := excelize.CoordinatesToCellName(col+1, line+1)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.GetCellValue(SheetDays, cell); err != nil || got != want {
			t.Errorf("XLSX %s = %q (%v), want %q", cell, got, err, want)
		}
		if typ, err := f.GetCellType(SheetDays, cell); err != nil || typ != excelize.CellTypeInlineString {
			t.Errorf("XLSX %s type %v (%v), want an inline string", cell, typ, err)
		}
		if formula, err := f.GetCellFormula(SheetDays, cell); err != nil || formula != "" {
			t.Errorf("XLSX %s formula %q (%v), want none", cell, formula, err)
		}
		style, err := f.GetCellStyle(SheetDays, cell)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := f.GetStyle(style); err != nil || s.NumFmt != 49 {
			t.Errorf("XLSX %s number format %d (%v), want 49 (text)", cell, s.NumFmt, err)
		}
	}
}
