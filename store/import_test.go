package store

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// twoOffices registers two people in DISKOMINFO and two in BKPSDM.
func twoOffices(t *testing.T, s *Store) {
	t.Helper()
	_, err := s.ImportStaff(context.Background(), []StaffInput{
		{NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: LevelEselon2, Roles: []string{"admin"}},
		{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Level: LevelPelaksana, SupervisorNIP: "197008141995031004"},
		{NIP: "198001012005011001", Name: "Agus Setiawan", Office: "BKPSDM", Level: LevelEselon3},
		{NIP: "199001102015031003", Name: "Dewi Lestari", Office: "BKPSDM", Level: LevelPelaksana, SupervisorNIP: "198001012005011001"},
	}, ImportOptions{DefaultTZ: "Asia/Makassar", Now: now})
	if err != nil {
		t.Fatal(err)
	}
}

func activeNIPs(t *testing.T, s *Store) []string {
	t.Helper()
	all, err := s.ActiveStaff(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range all {
		out = append(out, p.NIP)
	}
	slices.Sort(out)
	return out
}

// TestDeactivateMissingOnlyOfficesInFile: a file of DISKOMINFO alone
// deactivates the DISKOMINFO people missing from it and nobody in BKPSDM.
func TestDeactivateMissingOnlyOfficesInFile(t *testing.T) {
	s := openTest(t)
	twoOffices(t, s)
	res, err := s.ImportStaff(context.Background(), []StaffInput{
		{NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: LevelEselon2, Roles: []string{"admin"}},
	}, ImportOptions{DeactivateMissing: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if res.Deactivated != 1 || len(res.Changes) != 1 || res.Changes[0].Kind != ChangeDeactivated || res.Changes[0].NIP != "199203142015032001" {
		t.Errorf("result %+v, want Ni Made Sari deactivated alone", res)
	}
	want := []string{"197008141995031004", "198001012005011001", "199001102015031003"}
	if got := activeNIPs(t, s); !slices.Equal(got, want) {
		t.Errorf("active %q, want %q", got, want)
	}
}

// TestImportDryRunWritesNothing: a dry run reports what a real import
// then does, and changes nothing.
func TestImportDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	twoOffices(t, s)
	rows := []StaffInput{
		{NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: LevelEselon2, Roles: []string{"admin"}},
		{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Bidang Statistik", Level: LevelPelaksana, SupervisorNIP: "197008141995031004", Phone: "+6281234500003"},
		{NIP: "199505052019031002", Name: "Putu Arya", Office: "BAPPEDA", Level: LevelPelaksana},
		{NIP: "198001012005011001", Name: "Agus Setiawan", Office: "BKPSDM", Level: LevelEselon3},
	}
	before := activeNIPs(t, s)
	opt := ImportOptions{DefaultTZ: "Asia/Jakarta", DeactivateMissing: true, DryRun: true, Now: now}
	dry, err := s.ImportStaff(ctx, rows, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := activeNIPs(t, s); !slices.Equal(got, before) {
		t.Errorf("a dry run changed the registry: %q, was %q", got, before)
	}
	offices, err := s.Offices(ctx)
	if err != nil || len(offices) != 2 {
		t.Errorf("a dry run created offices: %+v %v", offices, err)
	}
	want := []StaffChange{
		{Kind: ChangeUpdated, NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Fields: []string{"bidang", "telepon"}},
		{Kind: ChangeAdded, NIP: "199505052019031002", Name: "Putu Arya", Office: "BAPPEDA"},
		{Kind: ChangeDeactivated, NIP: "199001102015031003", Name: "Dewi Lestari", Office: "BKPSDM"},
	}
	if !slices.EqualFunc(dry.Changes, want, func(a, b StaffChange) bool {
		return a.Kind == b.Kind && a.NIP == b.NIP && a.Name == b.Name && a.Office == b.Office && slices.Equal(a.Fields, b.Fields)
	}) {
		t.Errorf("dry run changes %+v, want %+v", dry.Changes, want)
	}
	if !slices.Equal(dry.NewOffices, []string{"BAPPEDA"}) {
		t.Errorf("new offices %q", dry.NewOffices)
	}
	opt.DryRun = false
	real, err := s.ImportStaff(ctx, rows, opt)
	if err != nil {
		t.Fatal(err)
	}
	dry.Changes, real.Changes, dry.NewOffices, real.NewOffices = nil, nil, nil, nil
	if !reflect.DeepEqual(dry, real) {
		t.Errorf("dry run counted %+v, the import %+v", dry, real)
	}
}

func TestDeactivateStaff(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	twoOffices(t, s)
	d, err := s.DeactivateStaff(ctx, "197008141995031004", now)
	if err != nil || !d.Changed || d.Staff.Name != "I Wayan Sudarsana" || len(d.Subordinates) != 1 || d.Subordinates[0].Name != "Ni Made Sari" {
		t.Fatalf("DeactivateStaff: %+v %v", d, err)
	}
	d, err = s.DeactivateStaff(ctx, "199203142015032001", now)
	if err != nil || !d.Changed || d.Staff.Name != "Ni Made Sari" || len(d.Subordinates) != 0 {
		t.Fatalf("DeactivateStaff: %+v %v", d, err)
	}
	if d, err := s.DeactivateStaff(ctx, "199203142015032001", now); err != nil || d.Changed {
		t.Errorf("again: changed %v, err %v; want no change", d.Changed, err)
	}
	if _, err := s.DeactivateStaff(ctx, "199912312020121001", now); err != ErrNotFound {
		t.Errorf("unknown NIP: %v, want ErrNotFound", err)
	}
	list, err := s.StaffOfOffice(ctx, "diskominfo", false)
	if err != nil || len(list) != 0 {
		t.Errorf("active DISKOMINFO: %+v %v", list, err)
	}
	list, err = s.StaffOfOffice(ctx, "DISKOMINFO", true)
	if err != nil || len(list) != 2 || list[1].Active {
		t.Errorf("all DISKOMINFO: %+v %v", list, err)
	}
	if _, err := s.StaffOfOffice(ctx, "NOPE", false); err != ErrNotFound {
		t.Errorf("unknown office: %v", err)
	}
}
