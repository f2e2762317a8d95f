package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// progressMonth builds March 2026 of daily progress for three people of
// two offices: several entries a day, a day with only a /laporan work
// report, a day with both (progress wins), entries of the months around
// it, and text that looks like a formula.
func progressMonth(t *testing.T) *store.Store {
	st := openStore(t)
	ctx := context.Background()
	id := importPeople(t, st, time.Date(2026, 1, 5, 9, 0, 0, 0, wita), []store.StaffInput{
		{NIP: "197001011995031001", Name: "I Gusti Made Arsa", Office: "DISPERKIM", Level: store.LevelEselon2},
		{NIP: "199001012015031004", Name: "Ni Putu Rina", Office: "DISPERKIM", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: "197001011995031001"},
		{NIP: "199001102015031003", Name: "Agus Setiawan", Office: "BKPSDM", Level: store.LevelPelaksana},
	})
	type entry struct {
		who, day       string
		hh, mm         int
		activity, out  string
		workReportOnly bool
	}
	entries := []entry{
		{"Ni Putu Rina", "2026-02-27", 15, 0, "bulan lalu", "tidak diekspor", false},
		{"Ni Putu Rina", "2026-03-02", 10, 0, "menyusun SPJ Februari", "1 dokumen SPJ (draf)", false},
		{"Ni Putu Rina", "2026-03-02", 15, 30, "memverifikasi berkas usulan PSU", "30 berkas terverifikasi", false},
		{"Ni Putu Rina", "2026-03-03", 14, 0, "rapat koordinasi RTLH", "", false},
		{"Ni Putu Rina", "2026-03-04", 11, 0, "input data RTLH (laporan)", "", true},
		{"Ni Putu Rina", "2026-03-10", 9, 0, "=HYPERLINK(\"http://x\")", "+1 laporan", false},
		{"Ni Putu Rina", "2026-03-31", 16, 0, "rekap absensi Maret", "1 rekap", false},
		{"I Gusti Made Arsa", "2026-03-02", 16, 0, "memimpin rapat staf", "notulen 2 halaman", false},
		{"I Gusti Made Arsa", "2026-03-03", 8, 0, "laporan pagi", "", true},
		{"Agus Setiawan", "2026-03-02", 9, 15, "menyusun formasi ASN 2026", "1 draf usulan formasi", false},
		{"Agus Setiawan", "2026-04-01", 9, 0, "bulan depan", "tidak diekspor", false},
	}
	err := st.Write(ctx, func(tx *store.Tx) error {
		for _, e := range entries {
			d := civil.MustParse(e.day)
			at := d.At(e.hh, e.mm, wita)
			if e.workReportOnly {
				if err := tx.AddWorkReport(ctx, id[e.who], d, e.activity, at, 0); err != nil {
					return err
				}
				continue
			}
			if err := tx.AddProgress(ctx, store.Progress{StaffID: id[e.who], Day: d, Activity: e.activity, Output: e.out, At: at}, 0); err != nil {
				return err
			}
		}
		// A work report on a day with progress entries is not exported.
		return tx.AddWorkReport(ctx, id["Ni Putu Rina"], civil.MustParse("2026-03-02"), "laporan yang tidak diekspor", civil.MustParse("2026-03-02").At(17, 0, wita), 0)
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var march2026 = Options{Year: 2026, Month: time.March}

func TestEKinerjaCSVGolden(t *testing.T) {
	st := progressMonth(t)
	var buf bytes.Buffer
	n, err := EKinerjaCSV(context.Background(), &buf, st, march2026)
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "ekinerja_march2026.csv")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("e-Kinerja CSV differs from %s (run go test -update to accept):\n%s", golden, got)
	}
	// One row per person per day: Rina 2, 3, 4, 10, 31; Arsa 2, 3; Agus 2.
	if n != 8 {
		t.Errorf("%d rows, want 8", n)
	}
	// One office only.
	buf.Reset()
	opt := march2026
	opt.Office = "BKPSDM"
	if n, err := EKinerjaCSV(context.Background(), &buf, st, opt); err != nil || n != 1 {
		t.Errorf("BKPSDM: %d rows, %v; want 1", n, err)
	}
}

func TestEKinerjaXLSXSameCells(t *testing.T) {
	st := progressMonth(t)
	ctx := context.Background()
	var cbuf, xbuf bytes.Buffer
	if _, err := EKinerjaCSV(ctx, &cbuf, st, march2026); err != nil {
		t.Fatal(err)
	}
	if _, err := EKinerjaXLSX(ctx, &xbuf, st, march2026); err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(&cbuf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xbuf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows(SheetEKinerja)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows in the sheet, %d in the CSV", len(got), len(want))
	}
	for i := range want {
		g := append(got[i], make([]string, len(want[i])-len(got[i]))...)
		w := want[i]
		if i > 0 {
			// The CSV neutralises formula-like text with a leading quote; the sheet keeps it as a text cell.
			w = slices.Clone(w)
			for j := range w {
				if len(w[j]) > 1 && w[j][0] == '\'' && risky(w[j][1:]) {
					w[j] = w[j][1:]
				}
			}
		}
		if !slices.Equal(g, w) {
			t.Errorf("row %d: got %q, want %q", i+1, g, w)
		}
	}
}
