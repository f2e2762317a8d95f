package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

var wita = func() *time.Location {
	l, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		panic(err)
	}
	return l
}()

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// month builds March 2020 for three people by hand.
func month(t *testing.T) *store.Store {
	st := openStore(t)
	ctx := context.Background()
	id := importPeople(t, st, time.Date(2020, 3, 1, 9, 0, 0, 0, wita), []store.StaffInput{
		{NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: store.LevelEselon2},
		{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Bidang Statistik", Level: store.LevelPelaksana, SupervisorNIP: "197008141995031004"},
		{NIP: "199001102015031003", Name: "Agus Setiawan", Office: "BKPSDM", Level: store.LevelPelaksana},
	}) // go-live: 1 March
	type rec struct {
		who, day, status, place, health string
		hh, mm                          int
		late                            bool
		reports                         []string
	}
	recs := []rec{
		{"Ni Made Sari", "2020-03-16", "hadir", "wfh", "sehat", 7, 30, false, []string{"menyusun SPJ", "rapat daring"}},
		{"Ni Made Sari", "2020-03-17", "hadir", "kantor", "sehat", 8, 15, true, nil},
		{"Ni Made Sari", "2020-03-18", "sakit", "", "demam", 6, 50, false, nil},
		{"Ni Made Sari", "2020-03-19", "hadir", "piket", "sehat", 7, 55, false, []string{"melayani tamu, \"loket\""}},
		{"Ni Made Sari", "2020-03-21", "hadir", "wfh", "sehat", 9, 0, false, nil}, // Saturday: not exported
		{"I Wayan Sudarsana", "2020-03-16", "hadir", "kantor", "sehat", 7, 0, false, nil},
		{"I Wayan Sudarsana", "2020-03-17", "cuti", "", "", 7, 0, false, nil},
		{"Agus Setiawan", "2020-03-16", "izin", "", "", 7, 0, false, nil},
		{"Agus Setiawan", "2020-03-17", "hadir", "dinas", "sehat", 7, 40, false, []string{"rapat di Jakarta"}},
	}
	// Sent on time from Jakarta but received the next day: flagged.
	delayed := map[string]bool{"Agus Setiawan 2020-03-17": true}
	err := st.Write(ctx, func(tx *store.Tx) error {
		for _, r := range recs {
			d := civil.MustParse(r.day)
			at := d.At(r.hh, r.mm, wita)
			if err := tx.SaveAttendance(ctx, store.Attendance{StaffID: id[r.who], Day: d, Status: r.status, Place: r.place, Health: r.health,
				Late: r.late, FirstAt: at, UpdatedAt: at, Delayed: delayed[r.who+" "+r.day]}, 0); err != nil {
				return err
			}
			for _, text := range r.reports {
				if err := tx.AddWorkReport(ctx, id[r.who], d, text, at.Add(time.Hour), 0); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var march = Options{Year: 2020, Month: time.March}

func TestCSVGolden(t *testing.T) {
	st := month(t)
	var buf bytes.Buffer
	sums, err := CSV(context.Background(), &buf, st, march)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "march2020.csv", buf.Bytes())
	// March 2020: 22 weekdays, minus Nyepi (25th) = 21 working days.
	sari := sums[slices.IndexFunc(sums, func(s Summary) bool { return s.Staff.Name == "Ni Made Sari" })]
	got := []int{sari.WorkDays, sari.Present, sari.Late, sari.Sick, sari.Permit, sari.Leave, sari.None, sari.Duty, sari.NoReport}
	duty := 1 // from the check-in place: the office published no roster
	if want := []int{21, 3, 1, 1, 0, 0, 17, duty, 1}; !slices.Equal(got, want) {
		t.Errorf("Sari's summary %v, want %v", got, want)
	}
}

// checkGolden compares got with testdata/name (rewritten with -update)
// and returns the golden content.
func checkGolden(t *testing.T, name string, got []byte) []byte {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("CSV differs from %s (run go test -update to accept):\n%s", golden, got)
	}
	return want
}

func TestXLSXSameCells(t *testing.T) {
	st := month(t)
	ctx := context.Background()
	var cbuf, xbuf bytes.Buffer
	if _, err := CSV(ctx, &cbuf, st, march); err != nil {
		t.Fatal(err)
	}
	sums, err := XLSX(ctx, &xbuf, st, march)
	if err != nil {
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
	got, err := f.GetRows(SheetDays)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows in the sheet, %d in the CSV", len(got), len(want))
	}
	for i := range want {
		g := append(got[i], make([]string, len(want[i])-len(got[i]))...) // GetRows drops empty trailing cells
		if !slices.Equal(g, want[i]) {
			t.Errorf("row %d: got %q, want %q", i+1, g, want[i])
		}
	}
	sum, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum) != len(sums)+1 || !slices.Equal(sum[0], summaryColumns) {
		t.Fatalf("summary sheet: %q", sum)
	}
	for i, s := range sums {
		var w []string
		for _, c := range s.cells() {
			w = append(w, fmt.Sprint(c))
		}
		g := append(sum[i+1], make([]string, len(w)-len(sum[i+1]))...)
		if !slices.Equal(g, w) {
			t.Errorf("summary row %d: got %q, want %q", i+2, g, w)
		}
	}
}

func TestBadMonthAndOffice(t *testing.T) {
	st := month(t)
	var buf bytes.Buffer
	if _, err := CSV(context.Background(), &buf, st, Options{Year: 2020, Month: 13}); err == nil {
		t.Error("month 13 accepted")
	}
	if _, err := CSV(context.Background(), &buf, st, Options{Year: 2020, Month: 3, Office: "NOSUCH"}); err == nil {
		t.Error("unknown office accepted")
	}
	buf.Reset()
	if _, err := CSV(context.Background(), &buf, st, Options{Year: 2020, Month: 3, Office: "bkpsdm"}); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&buf).ReadAll()
	if len(rows) != 1+21 {
		t.Errorf("BKPSDM only: %d rows, want 22", len(rows))
	}
}

// BenchmarkExportMonth10k exports March 2020 for 10,000 staff as XLSX.
// It reports the heap high-water mark seen by the runtime (heap-sys-MB)
// and the bytes allocated per export.
func BenchmarkExportMonth10k(b *testing.B) {
	st := openStore(b)
	ctx := context.Background()
	const n = 10000
	rows := make([]store.StaffInput, n)
	for i := range rows {
		rows[i] = store.StaffInput{NIP: fmt.Sprintf("19900101201501%04d", i), Name: fmt.Sprintf("Pegawai %05d", i),
			Office: fmt.Sprintf("OPD%02d", i%40), Division: fmt.Sprintf("Bidang %d", i%5), Level: store.LevelPelaksana}
	}
	if _, err := st.ImportStaff(ctx, rows, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: time.Date(2020, 3, 1, 9, 0, 0, 0, wita)}); err != nil {
		b.Fatal(err)
	}
	people, _ := st.ActiveStaff(ctx)
	statuses := []string{"hadir", "hadir", "hadir", "hadir", "hadir", "hadir", "sakit", "izin", "cuti"}
	places := []string{"wfh", "wfh", "kantor", "piket", "dinas"}
	for d := civil.MustParse("2020-03-01"); d.Month == time.March; d = d.AddDays(1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for i, p := range people {
				if i%20 == 0 {
					continue // nothing recorded
				}
				s := statuses[(i+d.Day)%len(statuses)]
				pl := ""
				if s == "hadir" {
					pl = places[(i+d.Day)%len(places)]
				}
				at := d.At(7, i%60, wita)
				if err := tx.SaveAttendance(ctx, store.Attendance{StaffID: p.ID, Day: d, Status: s, Place: pl, Health: "sehat",
					Plan: "menyusun laporan", Late: i%7 == 0, FirstAt: at, UpdatedAt: at}, 0); err != nil {
					return err
				}
				if s == "hadir" && i%3 != 0 {
					if err := tx.AddWorkReport(ctx, p.ID, d, "menyusun laporan kegiatan bulanan dan rekap data", at.Add(6*time.Hour), 0); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	out := filepath.Join(b.TempDir(), "out.xlsx")
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		f, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := XLSX(ctx, f, st, march); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapSys)/(1<<20), "heap-sys-MB")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
	if fi, err := os.Stat(out); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
	}
}

// Each office's working days are its own: a local holiday of DISKOMINFO
// is no working day there, and still one in BKPSDM.
func TestWorkingDaysPerOffice(t *testing.T) {
	st := month(t)
	opt := march
	opt.WorkingDay = func(code string, d civil.Date) bool {
		if code == "DISKOMINFO" && d == civil.MustParse("2020-03-18") {
			return false
		}
		wd := d.Weekday()
		return wd != time.Saturday && wd != time.Sunday && d != civil.MustParse("2020-03-25")
	}
	var buf bytes.Buffer
	sums, err := CSV(context.Background(), &buf, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		want := 21
		if s.Staff.Office.Code == "DISKOMINFO" {
			want = 20
		}
		if s.WorkDays != want {
			t.Errorf("%s: %d working days, want %d", s.Staff.Name, s.WorkDays, want)
		}
		if s.Staff.Name == "Ni Made Sari" && s.Sick != 0 {
			t.Errorf("Sari's sick day fell on the office holiday but was counted: %+v", s)
		}
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		if r[0] == "2020-03-18" && r[3] == "DISKOMINFO" {
			t.Errorf("row on DISKOMINFO's holiday: %v", r)
		}
	}
}

// Duty days come from the published roster where the office has one.
func TestDutyFromPublishedRoster(t *testing.T) {
	st := month(t)
	ctx := context.Background()
	people, _ := st.ActiveStaff(ctx)
	var office, sari int64
	for _, p := range people {
		if p.Name == "Ni Made Sari" {
			office, sari = p.Office.ID, p.ID
		}
	}
	err := st.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.SaveRosterDay(ctx, office, civil.MustParse("2020-03-20"), []store.Duty{{StaffID: sari}}, "", time.Now()); err != nil {
			return err
		}
		if _, err := tx.PublishRosterDay(ctx, office, civil.MustParse("2020-03-20"), time.Now()); err != nil {
			return err
		}
		// A draft (unpublished) day is not a duty day.
		_, err := tx.SaveRosterDay(ctx, office, civil.MustParse("2020-03-23"), []store.Duty{{StaffID: sari}}, "", time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	sums, err := CSV(ctx, &buf, st, march)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		if s.Staff.ID == sari && s.Duty != 1 {
			t.Errorf("Sari's duty days = %d, want 1 (the published roster day, not her piket check-in nor the draft)", s.Duty)
		}
	}
}
