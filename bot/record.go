package bot

import (
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// DefaultMaxDelay is OfficePolicy.MaxDelay when unset.
const DefaultMaxDelay = 2 * time.Hour

// recordTime is the time of record of a message: when the platform says
// it was sent, never later than when it was received (a sender's clock
// may run ahead), and the receive time when the platform gave none.
func recordTime(sent, received time.Time) time.Time {
	if sent.IsZero() || sent.After(received) {
		return received
	}
	return sent
}

// day is the sender's local day of the message's time of record: what a
// person did belongs to the day they did it, not the day it arrived.
func (t *turn) day() civil.Date { return civil.In(t.at, t.loc()) }

// delayed reports whether the message arrived late enough to flag its
// record: sent on an earlier local day than it was received, or longer
// than the office's max delay before.
func (t *turn) delayed() bool {
	loc := t.loc()
	if civil.In(t.at, loc) != civil.In(t.now, loc) {
		return true
	}
	limit := t.s.policy(t.who.Office.Code).MaxDelay
	if limit <= 0 {
		limit = DefaultMaxDelay
	}
	return t.now.Sub(t.at) > limit
}

// dayOff names why day is not a working day of the sender's office
// ("hari libur Hari Suci Nyepi", "hari Minggu"); "" on a working day.
func (t *turn) dayOff(day civil.Date) string {
	pol := t.s.rosterPolicy(t.who.Office.Code)
	if pol.IsWorkingDay(day) {
		return ""
	}
	if h, ok := pol.Calendar.Lookup(day); ok {
		return t.s.t.Record.Holiday(h.Kind, h.Name)
	}
	return t.s.t.Record.Weekend(t.s.t.Weekdays[day.Weekday()])
}

// recordNotes are the lines added to a confirmation: the day is not a
// working day (off names it), the message was received late.
func (t *turn) recordNotes(off string, delayed bool) string {
	var notes string
	if off != "" {
		notes += "\n" + t.s.t.Record.DayOff(off)
	}
	if delayed {
		loc := t.loc()
		var date string
		if civil.In(t.at, loc) != civil.In(t.now, loc) {
			date = t.s.t.FormatDate(t.at.In(loc))
		}
		notes += "\n" + t.s.t.Record.Delayed(date, t.s.t.FormatTime(t.at.In(loc)))
	}
	return notes
}

// goLive returns an office's go-live day: the configured one, else the
// one stored (the day its first staff were imported); zero: unknown.
//
// A stored day later than the office's today by the service's clock is
// taken as unknown: the clock then runs before the import happened (the
// console simulator replaying March 2020 on staff imported today), and
// gating on it would silence every reminder of the simulation. A real
// clock is never before the day it imported on.
func (s *Service) goLive(o store.Office) civil.Date {
	if d := s.policy(o.Code).Since; !d.IsZero() {
		return d
	}
	if !o.Since.IsZero() && o.Since.After(civil.In(s.now(), s.locs.get(o.TZ))) {
		return civil.Date{}
	}
	return o.Since
}

// liveOn reports whether office o used Piket on day.
func (s *Service) liveOn(o store.Office, day civil.Date) bool {
	since := s.goLive(o)
	return since.IsZero() || !day.Before(since)
}
