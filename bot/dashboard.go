package bot

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// KindDashboard is /dasbor (/dashboard): a one-time sign-in link to the
// web dashboard. Numbered apart from the other kinds (see roster.go).
const KindDashboard Kind = 300

// DashboardLinkTTL is how long a sign-in link is valid.
const DashboardLinkTTL = 10 * time.Minute

var dashboardWords = map[string]bool{"dasbor": true, "dashboard": true, "dasboard": true}

// parseDashboard reads /dasbor; ok is false for any other message.
func parseDashboard(word, lw, rest string, slash bool) (Command, bool) {
	if !dashboardWords[lw] {
		return Command{}, false
	}
	if !slash && strings.TrimSpace(rest) != "" {
		return Command{}, false // "dashboard nya error pak": chatter
	}
	return Command{Kind: KindDashboard, Word: word, Slash: slash}, true
}

// NewWebToken returns a fresh random token for a sign-in link or a
// session cookie (256 bits, URL-safe).
func NewWebToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// dashboard answers /dasbor: a supervisor or an office admin gets a link
// that signs them in once, within DashboardLinkTTL. Only in a private
// chat: a link in a group would sign in whoever taps it first.
func (t *turn) dashboard() error {
	t.outcome = OutcomeRejected
	if t.s.dashboardURL == "" {
		return t.reply(t.s.t.Web.Disabled)
	}
	if t.in.Group {
		return t.reply(t.s.t.Web.PrivateOnly)
	}
	ok, err := mayUseDashboard(t.ctx, t.tx, *t.who)
	if err != nil {
		return errStore{err}
	}
	if !ok {
		t.outcome = OutcomeDenied
		return t.reply(t.s.t.Web.NotAllowed)
	}
	token := NewWebToken()
	if err := t.tx.CreateWebToken(t.ctx, store.TokenHash(token), t.who.ID, t.now, t.now.Add(DashboardLinkTTL)); err != nil {
		return errStore{err}
	}
	t.outcome = OutcomeOK
	link := strings.TrimRight(t.s.dashboardURL, "/") + "/masuk?t=" + token
	return t.reply(t.s.t.Web.Link(link, int(DashboardLinkTTL/time.Minute)))
}

// mayUseDashboard: office admins and anyone with active subordinates.
func mayUseDashboard(ctx context.Context, tx *store.Tx, who store.Staff) (bool, error) {
	if !who.Active {
		return false, nil
	}
	if who.HasRole(store.RoleAdmin) {
		return true, nil
	}
	subs, err := tx.Subordinates(ctx, who.ID)
	return len(subs) > 0, err
}

// ErrNotAllowed is returned when the person may not do what they asked.
var ErrNotAllowed = errors.New("bot: not allowed")

// AckLeaveAs is /ok N done from the dashboard by staff member by: the
// same rule (a supervisor anywhere above the reporter, or an admin of
// their office) and the same messages. It returns the reply /ok would
// give. ErrNotFound: no such report; ErrNotAllowed: by may not.
func (s *Service) AckLeaveAs(ctx context.Context, by, n int64) (string, error) {
	var reply string
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		reply, queued = "", 0
		who, err := tx.StaffByID(ctx, by)
		if err != nil {
			return err
		}
		l, err := tx.LeaveByID(ctx, n)
		if err != nil {
			return err
		}
		reporter, err := tx.StaffByID(ctx, l.StaffID)
		if err != nil {
			return err
		}
		ok, err := mayAcknowledge(ctx, tx, who, reporter)
		if err != nil {
			return err
		}
		if !ok || !who.Active {
			return ErrNotAllowed
		}
		now := s.now()
		loc := s.locs.get(reporter.Office.TZ)
		v := s.leaveView(l, reporter)
		if l.Acked() {
			ackBy, err := tx.StaffByID(ctx, l.AckedBy)
			if err != nil {
				return err
			}
			v.By, v.At = ackBy.Name, s.stamp(l.AckedAt, loc)
			reply = s.t.LeaveAckAlready(v)
			return nil
		}
		if _, err := tx.AckLeave(ctx, l.ID, who.ID, now); err != nil {
			return err
		}
		v.By, v.At = who.Name, s.stamp(now, loc)
		if queued, err = s.toPerson(ctx, tx, reporter, fmt.Sprintf("leave:%d:acked", l.ID), s.t.LeaveAcked(v), now); err != nil {
			return err
		}
		reply = s.t.LeaveAckDone(v)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("bot: acknowledge leave report %d: %w", n, err)
	}
	if queued > 0 {
		s.notify()
	}
	return reply, nil
}

// rosterAhead is how many days ahead RosterMonth makes drafts.
const rosterAhead = 62

// RosterDayView is one working day of an office's roster month.
type RosterDayView struct {
	Day      civil.Date
	Stored   bool // a roster exists for the day
	Draft    bool // not yet published
	Manual   bool // changed by a swap
	Problems []string
	People   []RosterPerson
}

// RosterMonth returns an office's working days from from to to with
// their rosters. Days from today on that have none yet are generated as
// drafts first (as /piket and piket roster show do), up to rosterAhead
// days ahead; other days are shown as stored.
func (s *Service) RosterMonth(ctx context.Context, code string, from, to civil.Date) ([]RosterDayView, error) {
	var out []RosterDayView
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		out = nil
		office, pol, err := s.rosterOffice(ctx, tx, code)
		if err != nil {
			return err
		}
		today := civil.In(s.now(), s.locs.get(office.TZ))
		// Drafts are made from today on, and not further ahead than
		// rosterAhead (a page of a far month writes nothing).
		start, end := maxDate(from, today), to
		if limit := today.AddDays(rosterAhead); limit.Before(end) {
			end = limit
		}
		if !start.After(end) {
			if err := s.ensureRoster(ctx, tx, office, pol, start, end); err != nil {
				return err
			}
		}
		stored, err := tx.RosterDays(ctx, office.ID, from, to)
		if err != nil {
			return err
		}
		byDay := map[civil.Date]store.RosterDay{}
		for _, d := range stored {
			byDay[d.Day] = d
		}
		for _, d := range pol.WorkingDays(from, to) {
			dv := RosterDayView{Day: d}
			if rd, ok := byDay[d]; ok {
				v, _, err := s.rosterView(ctx, tx, office, d)
				if err != nil {
					return err
				}
				dv.Stored, dv.Draft, dv.Manual, dv.Problems, dv.People = true, v.Draft, rd.Manual, v.Problems, v.People
			}
			out = append(out, dv)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bot: roster month %s: %w", code, err)
	}
	return out, nil
}

// IsWorkingDay reports whether an office works on day (its roster policy).
func (s *Service) IsWorkingDay(code string, day civil.Date) bool {
	return s.rosterPolicy(code).IsWorkingDay(day)
}

func maxDate(a, b civil.Date) civil.Date {
	if a.Before(b) {
		return b
	}
	return a
}

// Texts returns the texts of the configured language.
func (s *Service) Texts() *Texts { return s.t }

// Now returns the service's clock (the console's simulated time in the demo).
func (s *Service) Now() time.Time { return s.now() }
