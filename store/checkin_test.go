package store

import (
	"context"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

// TestCheckInMerge runs sequences of check-ins by one person on one day
// through CheckIn and checks the record after each: the first time stays,
// an empty plan keeps the earlier one only for the same status, and the
// first "hadir" of the day decides lateness.
func TestCheckInMerge(t *testing.T) {
	type step struct {
		status, place, plan string
		late                bool // what this check-in would be on its own
		// want, after the step:
		wantPlan    string
		wantLate    bool
		wantExisted bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first check-in", []step{
			{status: StatusPresent, place: PlaceHome, plan: "SPJ", late: true, wantPlan: "SPJ", wantLate: true},
		}},
		{"same status without plan keeps the plan", []step{
			{status: StatusPresent, place: PlaceHome, plan: "SPJ", wantPlan: "SPJ"},
			{status: StatusPresent, place: PlaceOffice, plan: "", wantPlan: "SPJ", wantExisted: true},
		}},
		{"a new plan replaces the plan", []step{
			{status: StatusPresent, place: PlaceHome, plan: "SPJ", wantPlan: "SPJ"},
			{status: StatusPresent, place: PlaceHome, plan: "rapat", wantPlan: "rapat", wantExisted: true},
		}},
		{"another status drops the plan", []step{
			{status: StatusPresent, place: PlaceHome, plan: "SPJ", wantPlan: "SPJ"},
			{status: StatusSick, plan: "", wantPlan: "", wantExisted: true},
		}},
		{"the first hadir decides lateness: on time stays on time", []step{
			{status: StatusPresent, place: PlaceHome, late: false},
			{status: StatusPresent, place: PlaceOffice, late: true, wantLate: false, wantExisted: true},
		}},
		{"the first hadir decides lateness: late stays late", []step{
			{status: StatusPresent, place: PlaceHome, late: true, wantLate: true},
			{status: StatusPresent, place: PlaceOffice, late: false, wantLate: true, wantExisted: true},
		}},
		{"not hadir is never late", []step{
			{status: StatusSick, late: true, wantLate: false},
		}},
		{"hadir after sakit is judged on its own", []step{
			{status: StatusSick, late: false},
			{status: StatusPresent, place: PlaceHome, late: true, wantLate: true, wantExisted: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t)
			seed(t, s)
			var st Staff
			if err := s.Write(ctx, func(tx *Tx) error {
				var err error
				st, err = tx.ActiveStaffByNIP(ctx, "199203142015032001")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			day := civil.Of(now)
			for i, sp := range tt.steps {
				at := now.Add(time.Duration(i) * time.Minute)
				var got Attendance
				var existed bool
				err := s.Write(ctx, func(tx *Tx) error {
					var err error
					got, existed, err = tx.CheckIn(ctx, Attendance{StaffID: st.ID, Day: day, Status: sp.status, Place: sp.place,
						Plan: sp.plan, Late: sp.late, FirstAt: at, UpdatedAt: at}, 0)
					return err
				})
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if got.Plan != sp.wantPlan || got.Late != sp.wantLate || existed != sp.wantExisted || !got.FirstAt.Equal(now) {
					t.Errorf("step %d: plan %q late %v existed %v first %v; want %q %v %v %v",
						i, got.Plan, got.Late, existed, got.FirstAt, sp.wantPlan, sp.wantLate, sp.wantExisted, now)
				}
				var stored Attendance
				if err := s.Write(ctx, func(tx *Tx) error {
					var err error
					stored, err = tx.Attendance(ctx, st.ID, day)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if stored.Plan != got.Plan || stored.Late != got.Late || stored.Status != sp.status || !stored.FirstAt.Equal(got.FirstAt) {
					t.Errorf("step %d: stored %+v, returned %+v", i, stored, got)
				}
			}
			hist, err := s.AttendanceHistory(ctx, st.ID, day)
			if err != nil {
				t.Fatal(err)
			}
			if len(hist) != len(tt.steps) {
				t.Errorf("history has %d versions, want %d", len(hist), len(tt.steps))
			}
		})
	}
}
