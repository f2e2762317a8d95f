package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

// TestAbsenceLifecycle records an absence over days that already hold an
// ordinary check-in, cancels it midway, and checks the override question's
// expiry, on a real database.
func TestAbsenceLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed(t, s)
	t0 := time.Date(2020, 3, 18, 0, 30, 0, 0, time.UTC)
	d := func(s string) civil.Date { return civil.MustParse(s) }
	write := func(fn func(tx *Tx) error) {
		t.Helper()
		if err := s.Write(ctx, fn); err != nil {
			t.Fatal(err)
		}
	}
	var st Staff
	var id int64
	write(func(tx *Tx) error {
		var err error
		if st, err = tx.ActiveStaffByNIP(ctx, "199203142015032001"); err != nil {
			return err
		}
		if _, _, err = tx.CheckIn(ctx, Attendance{StaffID: st.ID, Day: d("2020-03-18"), Status: StatusPresent, Place: PlaceHome, FirstAt: t0, UpdatedAt: t0}, 0); err != nil {
			return err
		}
		days := []civil.Date{d("2020-03-18"), d("2020-03-19"), d("2020-03-20")}
		id, err = tx.CreateAbsence(ctx, Absence{StaffID: st.ID, Status: StatusLeave, First: days[0], Last: days[2], Reason: "menikah"},
			days, Attendance{Status: StatusLeave, Plan: "menikah"}, t0, 0)
		return err
	})
	write(func(tx *Tx) error {
		held, err := tx.AbsenceDays(ctx, st.ID, d("2020-03-17"), d("2020-03-31"))
		if err != nil {
			return err
		}
		if len(held) != 3 || held[d("2020-03-18")] != id {
			t.Errorf("held days %v, want 3 of absence %d", held, id)
		}
		a, err := tx.Attendance(ctx, st.ID, d("2020-03-18"))
		if err != nil || a.Status != StatusLeave || a.Plan != "menikah" {
			t.Errorf("today's record %+v, %v: want cuti over the check-in", a, err)
		}
		// An old question does not let a check-in through; a fresh one does, once.
		if err := tx.AskAbsenceOverride(ctx, st.ID, d("2020-03-18"), id, t0); err != nil {
			return err
		}
		if ok, err := tx.TakeAbsenceOverride(ctx, st.ID, d("2020-03-18"), id, t0.Add(time.Minute)); err != nil || ok {
			t.Errorf("expired question taken: %v, %v", ok, err)
		}
		if ok, err := tx.TakeAbsenceOverride(ctx, st.ID, d("2020-03-18"), id, t0); err != nil || !ok {
			t.Errorf("fresh question not taken: %v, %v", ok, err)
		}
		if ok, _ := tx.TakeAbsenceOverride(ctx, st.ID, d("2020-03-18"), id, t0); ok {
			t.Error("a question taken twice")
		}
		return nil
	})
	write(func(tx *Tx) error {
		removed, err := tx.CancelAbsence(ctx, id, st.ID, d("2020-03-19"), t0.Add(24*time.Hour))
		if err != nil {
			return err
		}
		if len(removed) != 2 || removed[0] != d("2020-03-19") || removed[1] != d("2020-03-20") {
			t.Errorf("removed %v, want 19 and 20 March", removed)
		}
		if _, err := tx.Attendance(ctx, st.ID, d("2020-03-18")); err != nil {
			t.Errorf("the detached day went with the cancel: %v", err)
		}
		if _, err := tx.Attendance(ctx, st.ID, d("2020-03-19")); !errors.Is(err, ErrNotFound) {
			t.Errorf("a cancelled day stays: %v", err)
		}
		if _, err := tx.CancelAbsence(ctx, id, st.ID, d("2020-03-19"), t0); !errors.Is(err, ErrNotFound) {
			t.Errorf("second cancel: %v, want ErrNotFound", err)
		}
		a, err := tx.AbsenceByID(ctx, id)
		if err != nil || !a.Cancelled() || a.CancelledBy != st.ID {
			t.Errorf("absence after cancel %+v, %v", a, err)
		}
		up, err := tx.UpcomingAbsences(ctx, st.ID, d("2020-03-18"))
		if err != nil || len(up) != 0 {
			t.Errorf("upcoming after cancel %+v, %v", up, err)
		}
		return nil
	})
	hist, err := s.AttendanceHistory(ctx, st.ID, d("2020-03-18"))
	if err != nil || len(hist) != 2 {
		t.Errorf("history of today %+v, %v: want the check-in and the absence", hist, err)
	}
}
