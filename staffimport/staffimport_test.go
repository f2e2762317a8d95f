package staffimport_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/staffimport"
	"github.com/piket-id/piket/store"
)

const header = "nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran\n"

func apply(t *testing.T, st *store.Store, csv string, s staffimport.Settings) (store.ImportResult, []staff.RowError) {
	t.Helper()
	recs, rowErrs, err := staff.ReadCSV(strings.NewReader(header + csv))
	if err != nil {
		t.Fatal(err)
	}
	if s.Now.IsZero() {
		s.Now = time.Date(2020, 3, 16, 8, 0, 0, 0, time.UTC)
	}
	res, rowErrs, err := staffimport.Apply(context.Background(), st, recs, rowErrs, s)
	if err != nil {
		t.Fatal(err)
	}
	return res, rowErrs
}

// TestApply: registry checks (supervisor, phone of another person), the
// caller's own check, a dry run, and nothing written when a row is bad.
func TestApply(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := staffimport.Settings{DefaultTZ: "Asia/Jakarta"}
	if _, errs := apply(t, st, "197501012000011001,Kepala,KECIL,,eselon2,,081234567890,admin\n", s); len(errs) > 0 {
		t.Fatal(errs)
	}
	// Another person with the head's phone, and an unknown supervisor.
	_, errs := apply(t, st, "199001012015011003,Staf,KECIL,,pelaksana,198001012005011002,0812-3456-7890,\n", s)
	codes := map[staff.ErrCode]bool{}
	for _, e := range errs {
		codes[e.Code] = true
	}
	if !codes[staff.CodePhoneTaken] || !codes[staff.CodeUnknownSupervisor] {
		t.Errorf("errors %v, want phone taken and unknown supervisor", errs)
	}
	// The caller's check refuses a row; nothing is written.
	s.Check = func(r staff.Record) *staff.RowError {
		if r.Office != "KECIL" {
			return &staff.RowError{Line: r.Line, NIP: r.NIP, Field: staff.ColOffice, Code: "other_office", Detail: r.Office}
		}
		return nil
	}
	_, errs = apply(t, st, "199001012015011003,Staf,KECIL,,pelaksana,197501012000011001,,\n199101012016012004,Lain,BESAR,,pelaksana,,,\n", s)
	if len(errs) != 1 || errs[0].Line != 3 || errs[0].Code != "other_office" {
		t.Errorf("check: %v", errs)
	}
	if _, err := st.StaffByNIP(context.Background(), "199001012015011003"); err == nil {
		t.Error("a file with a bad row wrote its good row")
	}
	// A dry run counts and writes nothing; the real run writes.
	s.DryRun = true
	res, errs := apply(t, st, "199001012015011003,Staf,KECIL,,pelaksana,197501012000011001,,\n", s)
	if len(errs) > 0 || res.Created != 1 {
		t.Fatalf("dry run: %+v %v", res, errs)
	}
	if _, err := st.StaffByNIP(context.Background(), "199001012015011003"); err == nil {
		t.Error("the dry run wrote")
	}
	s.DryRun = false
	if res, errs = apply(t, st, "199001012015011003,Staf,KECIL,,pelaksana,197501012000011001,,\n", s); len(errs) > 0 || res.Created != 1 {
		t.Fatalf("import: %+v %v", res, errs)
	}
}
