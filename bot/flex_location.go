package bot

import (
	"errors"

	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/store"
)

// onLocation checks a shared location (off unless the office enables it):
// on an office day against the office's point and radius, on a flexible
// day (an approved request; in mode piket, a day checked in from home)
// against the declared domicile from the staff import. Only the distance
// and the verdict are stored, unless the office keeps coordinates.
func (t *turn) onLocation() error {
	ft := t.s.t.Flex
	if t.in.Group {
		t.outcome = OutcomeIgnored // where someone is stays out of groups
		return nil
	}
	fp := t.s.flexPolicy(t.who.Office.Code)
	lp := fp.Location
	at := fwa.Point{Lat: t.in.Location.Lat, Lon: t.in.Location.Lon}
	if !lp.Enabled || !at.Valid() {
		t.outcome = OutcomeRejected
		return t.reply(ft.LocationOff)
	}
	day := t.day()
	home, err := t.awayDay(fp.Enabled)
	if err != nil {
		return err
	}
	check := store.LocationCheck{StaffID: t.who.ID, Day: day, At: t.at, Against: "kantor", Keep: lp.Keep, Lat: at.Lat, Lon: at.Lon}
	place := lp.Office
	if home {
		check.Against = "domisili"
		sf, err := t.tx.StaffFlex(t.ctx, t.who.ID)
		if err != nil {
			return errStore{err}
		}
		p, err := fwa.ParsePoint(sf.Home)
		if err != nil {
			check.Distance, check.Verdict = -1, fwa.VerdictNoPlace
			if err := t.tx.AddLocationCheck(t.ctx, check, t.inboundID); err != nil {
				return errStore{err}
			}
			return t.reply(ft.LocationNoPlace)
		}
		place = p
	}
	check.Distance, check.Verdict = fwa.Check(at, place, lp.RadiusM)
	if err := t.tx.AddLocationCheck(t.ctx, check, t.inboundID); err != nil {
		return errStore{err}
	}
	return t.reply(ft.LocationChecked(LocationView{Against: check.Against, Distance: check.Distance, Radius: int(lp.RadiusM),
		Inside: check.Verdict == fwa.VerdictInside}))
}

// awayDay reports whether today is a day away from the office: in mode
// fleksibel a day of an approved request; in mode piket a day checked in
// from home.
func (t *turn) awayDay(flex bool) (bool, error) {
	day := t.day()
	if flex {
		_, err := t.tx.ApprovedFlexDay(t.ctx, t.who.ID, day)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, errStore{err}
		}
		return true, nil
	}
	a, err := t.tx.Attendance(t.ctx, t.who.ID, day)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, errStore{err}
	}
	return a.Status == store.StatusPresent && a.Place == store.PlaceHome, nil
}
