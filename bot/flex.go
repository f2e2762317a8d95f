package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// Flexible work under PermenPANRB No. 4 of 2025, for offices in mode
// fleksibel: everyone works at the office unless a request for a
// flexible-location day (WFA or WFH) was approved by their supervisor
// before the day. Requests are checked against the weekly cap, the
// person's eligibility, the office's daily quota and the lead time; an
// undecided request escalates like a leave-home alert and lapses when its
// first day starts (FlexTick).

// FlexPolicy is an office's flexible-work configuration. The zero value
// is mode piket.
type FlexPolicy struct {
	Enabled        bool // mode fleksibel
	WeeklyCap      int  // 0: fwa.DefaultWeeklyCap
	MaxAway        Quota
	LeadTime       time.Duration
	StartFrom      int // minutes after local midnight; StartUntil 0: no start window
	StartUntil     int
	CoreFrom       int // core hours; CoreUntil 0: none
	CoreUntil      int
	NewStaffMonths int           // 0: fwa.DefaultNewStaffMonths
	EscalateAfter  time.Duration // 0: DefaultFlexEscalateAfter
	Presets        []FlexPreset
	Ramadan        *fwa.Ramadan // nil: the built-in Ramadan days
	Location       LocationPolicy
}

// Quota caps the staff away on a day: Percent of the active staff or a
// Count; zero: no cap.
type Quota struct{ Percent, Count int }

func (q Quota) isZero() bool { return q.Percent == 0 && q.Count == 0 }

// of returns how many of total may be away (a share rounds down, at least 1).
func (q Quota) of(total int) int {
	if q.Count > 0 {
		return q.Count
	}
	return max(total*q.Percent/100, 1)
}

func (q Quota) String() string {
	if q.Count > 0 {
		return strconv.Itoa(q.Count)
	}
	return fmt.Sprintf("%d%%", q.Percent)
}

// FlexPreset is a circular an office applies, with its own quota on the
// circular's days (zero: the office's usual quota).
type FlexPreset struct {
	Circular fwa.Circular
	MaxAway  Quota
}

// LocationPolicy configures location checks (off by default).
type LocationPolicy struct {
	Enabled bool
	Office  fwa.Point
	RadiusM float64 // 0: 100 m
	Keep    bool    // keep the coordinates, not only distance and verdict
}

// DefaultFlexEscalateAfter is how much working time a request waits for
// a decision before it goes one step up the chain.
const DefaultFlexEscalateAfter = 4 * time.Hour

func (p FlexPolicy) withDefaults() FlexPolicy {
	if p.EscalateAfter <= 0 {
		p.EscalateAfter = DefaultFlexEscalateAfter
	}
	if p.WeeklyCap <= 0 {
		p.WeeklyCap = fwa.DefaultWeeklyCap
	}
	if p.NewStaffMonths <= 0 {
		p.NewStaffMonths = fwa.DefaultNewStaffMonths
	}
	if p.Ramadan == nil {
		r := fwa.BuiltinRamadan()
		p.Ramadan = &r
	}
	if p.Location.RadiusM <= 0 {
		p.Location.RadiusM = 100
	}
	return p
}

// preset returns the office's preset holding day, if any.
func (p FlexPolicy) preset(day civil.Date) (FlexPreset, bool) {
	for _, pr := range p.Presets {
		if pr.Circular.Has(day) {
			return pr, true
		}
	}
	return FlexPreset{}, false
}

// quotaOn returns the cap of staff away on day: the preset's own quota,
// else the office's; a circular's ceiling applies as well.
func (p FlexPolicy) quotaOn(day civil.Date) Quota {
	q := p.MaxAway
	if pr, ok := p.preset(day); ok {
		if !pr.MaxAway.isZero() {
			q = pr.MaxAway
		} else if q.isZero() && pr.Circular.MaxShare > 0 {
			q = Quota{Percent: pr.Circular.MaxShare}
		}
	}
	return q
}

func (s *Service) flexPolicy(code string) FlexPolicy { return s.policy(code).Flex.withDefaults() }

// flexMode reports whether the sender's office is in mode fleksibel.
func (t *turn) flexMode() bool { return t.s.policy(t.who.Office.Code).Flex.Enabled }

// flexDispatch handles the flexible-work commands; ok is false for any
// other kind.
func (t *turn) flexDispatch(cmd Command) (ok bool, err error) {
	switch cmd.Kind {
	case KindFlexRequest:
		if !t.flexMode() {
			// In mode piket "/wfh 2026-03-16 …" is the check-in it always was.
			return true, t.checkIn(parse(t.in.Text, false))
		}
		return true, t.flexRequest(cmd)
	case KindFlexApprove:
		return true, t.flexDecide(cmd, true)
	case KindFlexDecline:
		return true, t.flexDecide(cmd, false)
	case KindFlexList, KindHours:
		if t.in.Group {
			t.outcome = OutcomeRejected
			return true, t.reply(t.s.t.Flex.PrivateOnly)
		}
		if cmd.Kind == KindHours {
			return true, t.hours()
		}
		return true, t.flexList()
	case KindDayEnd:
		return true, t.dayEnd()
	case KindProgress:
		return true, t.progress(cmd)
	}
	return false, nil
}

// flexRequest checks and files a request for flexible-location days.
func (t *turn) flexRequest(cmd Command) error {
	ft := t.s.t.Flex
	if t.in.Group {
		t.outcome = OutcomeRejected
		return t.reply(ft.GroupOnly)
	}
	pol := t.s.rosterPolicy(t.who.Office.Code)
	fp := t.s.flexPolicy(t.who.Office.Code)
	loc := t.loc()
	req, err := ParseFlexRequest(cmd.Arg, t.day(), pol.IsWorkingDay)
	if err != nil {
		t.outcome = OutcomeRejected
		switch {
		case errors.Is(err, ErrFlexTooLong):
			return t.reply(ft.TooLong(MaxFlexDays))
		case errors.Is(err, ErrFlexNoReason):
			return t.reply(ft.NoReason)
		case errors.Is(err, ErrFlexNoPlan):
			return t.reply(ft.NoPlan)
		}
		return t.reply(ft.BadDate)
	}
	date := func(d civil.Date) string { return t.s.t.FormatDate(d.Start(loc)) }
	refuse := func(text string) error {
		t.outcome = OutcomeRejected
		return t.reply(text)
	}
	// Eligibility: the staff data's flag, then new staff by TMT.
	sf, err := t.tx.StaffFlex(t.ctx, t.who.ID)
	if err != nil {
		return errStore{err}
	}
	if !sf.Eligible {
		return refuse(ft.Ineligible)
	}
	if tmt := appointedOn(t.who.NIP, sf.TMT); !tmt.IsZero() {
		from := civil.Of(tmt.Start(time.UTC).AddDate(0, fp.NewStaffMonths, 0))
		if req.From.Before(from) {
			return refuse(ft.NewStaff(date(tmt), date(from), fp.NewStaffMonths))
		}
	}
	// Lead time: before the first day starts.
	if !t.at.Before(req.From.Start(loc).Add(-fp.LeadTime)) {
		return refuse(ft.TooLate(date(req.From), fp.LeadTime))
	}
	var days []store.FlexDay
	var shown []string
	preset, allPreset := "", true
	for d := req.From; !d.After(req.To); d = d.AddDays(1) {
		if !pol.IsWorkingDay(d) {
			continue
		}
		pr, in := fp.preset(d)
		days = append(days, store.FlexDay{Day: d, Capped: !(in && pr.Circular.OutsideCap)})
		shown = append(shown, date(d))
		if in {
			preset = pr.Circular.Number
		} else {
			allPreset = false
		}
	}
	if len(days) == 0 {
		return refuse(ft.NoWorkingDay(spanFlex(FlexView{From: date(req.From), To: date(req.To)})))
	}
	if !allPreset {
		preset = ""
	}
	held, err := t.tx.FlexHeld(t.ctx, t.who.ID, req.From, req.To)
	if err != nil {
		return errStore{err}
	}
	for _, d := range days {
		if f, ok := held[d.Day]; ok {
			return refuse(ft.Overlap(date(d.Day), f.ID))
		}
	}
	// The weekly cap, week by week.
	perWeek := map[civil.Date]int{}
	var weeks []civil.Date
	for _, d := range days {
		if d.Capped {
			w := fwa.WeekStart(d.Day)
			if perWeek[w] == 0 {
				weeks = append(weeks, w)
			}
			perWeek[w]++
		}
	}
	for _, w := range weeks {
		have, err := t.tx.CappedFlexDays(t.ctx, t.who.ID, w, w.AddDays(6))
		if err != nil {
			return errStore{err}
		}
		if have+perWeek[w] > fp.WeeklyCap {
			return refuse(ft.WeeklyCap(date(w), have, perWeek[w], fp.WeeklyCap))
		}
	}
	// The office's daily quota.
	var total int
	for _, d := range days {
		q := fp.quotaOn(d.Day)
		if q.isZero() {
			continue
		}
		if total == 0 {
			all, err := t.tx.OfficeStaff(t.ctx, t.who.Office.ID)
			if err != nil {
				return errStore{err}
			}
			total = len(all)
		}
		away, err := t.tx.FlexAway(t.ctx, t.who.Office.ID, d.Day)
		if err != nil {
			return errStore{err}
		}
		if limit := q.of(total); away+1 > limit {
			return refuse(ft.Quota(date(d.Day), away, limit, total, q.String()))
		}
	}
	f := store.FlexRequest{StaffID: t.who.ID, Kind: cmd.FlexKind, First: days[0].Day, Last: days[len(days)-1].Day,
		Reason: req.Reason, Plan: req.Plan}
	if preset != "" {
		for _, pr := range fp.Presets {
			if pr.Circular.Number == preset {
				f.Preset = pr.Circular.ID
			}
		}
	}
	id, err := t.tx.CreateFlexRequest(t.ctx, f, t.who.Office.ID, days, t.now, t.inboundID)
	if err != nil {
		return errStore{err}
	}
	f.ID = id
	// Step 0: the direct supervisor (or, without one, the office admins).
	targets, staffID, _, err := stepTargets(t.ctx, t.tx, *t.who, 0)
	if err != nil {
		return errStore{err}
	}
	if _, err := t.tx.AddFlexEscalation(t.ctx, store.FlexEscalation{RequestID: id, Step: 0, StaffID: staffID, At: t.now}); err != nil {
		return errStore{err}
	}
	v := t.s.flexView(f, *t.who, loc)
	v.Days, v.Preset = shown, preset
	v.Supervisor = strings.Join(names(targets), ", ")
	for _, st := range targets {
		n, err := t.s.toPersonAs(t.ctx, t.tx, st, store.PriorityAlert, fmt.Sprintf("flex:%d:esc:0:%d", id, st.ID), t.s.t.Flex.ToDecide(v), t.now, "")
		if err != nil {
			return errStore{err}
		}
		t.queued += n
	}
	return t.reply(ft.Filed(v))
}

// appointedOn returns the start of appointment: the imported TMT, else
// the first day of the appointment month in the NIP.
func appointedOn(nip string, tmt civil.Date) civil.Date {
	if !tmt.IsZero() {
		return tmt
	}
	d, err := civil.Parse(staff.Record{NIP: nip}.AppointedOn())
	if err != nil {
		return civil.Date{}
	}
	return d
}

// flexView describes a request for messages.
func (s *Service) flexView(f store.FlexRequest, who store.Staff, loc *time.Location) FlexView {
	ft := s.t.Flex
	v := FlexView{N: f.ID, Name: who.Name, Unit: who.Office.Code, Kind: ft.Kind(f.Kind), From: s.t.FormatDate(f.First.Start(loc)),
		To: s.t.FormatDate(f.Last.Start(loc)), Reason: f.Reason, Plan: f.Plan, DeclineReason: f.DeclineReason, State: ft.State(f.State)}
	if who.Division != "" {
		v.Unit += ", " + who.Division
	}
	for _, d := range f.Days {
		v.Days = append(v.Days, s.t.FormatDate(d.Start(loc)))
	}
	if c, ok := fwa.CircularByID(f.Preset); ok && f.Preset != "" {
		v.Preset = c.Number
	}
	// Decide before the first day starts: the end of the day before.
	v.Deadline = s.t.FormatDate(f.First.AddDays(-1).Start(loc)) + " " + s.t.FormatClock(23*60+59, loc)
	return v
}

// requestNumber reads "N [rest]" from a decision's argument.
func requestNumber(arg string) (int64, string) {
	w, rest := firstWord(arg)
	w = strings.TrimLeft(strings.TrimPrefix(strings.ToLower(w), "no"), ".#: ")
	n, err := strconv.ParseInt(strings.TrimRight(w, ".,:"), 10, 64)
	if err != nil || n <= 0 {
		return 0, ""
	}
	return n, strings.TrimSpace(strings.TrimLeft(rest, " ,;:.-–"))
}

// flexDecide answers /setujui N and /tolak N ALASAN.
func (t *turn) flexDecide(cmd Command, approve bool) error {
	ft := t.s.t.Flex
	if t.in.Group {
		t.outcome = OutcomeRejected
		return t.reply(ft.GroupOnly)
	}
	n, reason := requestNumber(cmd.Arg)
	if n == 0 || (!approve && reason == "") {
		t.outcome = OutcomeRejected
		if approve {
			return t.reply(ft.DecideUsage)
		}
		return t.reply(ft.DeclineUsage)
	}
	d, queued, err := t.s.decideFlex(t.ctx, t.tx, *t.who, n, approve, reason, t.now)
	t.queued += queued
	if err != nil {
		return errStore{err}
	}
	if d.Outcome != "" {
		t.outcome = d.Outcome
	}
	return t.reply(d.Reply)
}

// decideFlex decides request n as who at now, in tx: the rules and
// messages of /setujui N and /tolak N ALASAN, shared by the chat and the
// dashboard (DecideFlex). It returns the decision with the answer to
// give and how many messages it queued; err is a store error only.
func (s *Service) decideFlex(ctx context.Context, tx *store.Tx, who store.Staff, n int64, approve bool, reason string,
	now time.Time) (d FlexDecision, queued int, err error) {
	ft := s.t.Flex
	d.N = n
	refuse := func(outcome, text string) (FlexDecision, int, error) {
		d.Outcome, d.Reply = outcome, text
		return d, queued, nil
	}
	f, err := tx.FlexRequestByID(ctx, n)
	if errors.Is(err, store.ErrNotFound) {
		d.missing = true
		return refuse(OutcomeRejected, ft.Unknown(n))
	}
	if err != nil {
		return d, 0, err
	}
	d.State = f.State
	requester, err := tx.StaffByID(ctx, f.StaffID)
	if err != nil {
		return d, 0, err
	}
	if ok, err := mayAcknowledge(ctx, tx, who, requester); err != nil {
		return d, 0, err
	} else if !ok {
		return refuse(OutcomeDenied, ft.NotAllowed(n))
	}
	loc := s.locs.get(requester.Office.TZ)
	v := s.flexView(f, requester, loc)
	if f.State != store.FlexPending {
		return refuse(OutcomeRejected, ft.NotPending(v))
	}
	notify := func(key, text string) error {
		q, err := s.toPersonAs(ctx, tx, requester, store.PriorityAlert, key, text, now, "")
		queued += q
		return err
	}
	if !now.Before(f.First.Start(loc)) {
		// The day began: the request lapses (FlexTick would do it too).
		if _, err := tx.DecideFlexRequest(ctx, f.ID, store.FlexLapsed, 0, "", now); err != nil {
			return d, queued, err
		}
		d.State = store.FlexLapsed
		if err := notify(fmt.Sprintf("flex:%d:lapsed", f.ID), ft.Lapsed(v)); err != nil {
			return d, queued, err
		}
		return refuse(OutcomeRejected, ft.Started(v))
	}
	state := store.FlexDeclined
	if approve {
		state = store.FlexApproved
	}
	if _, err := tx.DecideFlexRequest(ctx, f.ID, state, who.ID, reason, now); err != nil {
		return d, queued, err
	}
	f.State, f.DecidedBy, f.DeclineReason, f.DecidedAt = state, who.ID, reason, now
	d.State, d.Decided, d.Request, d.Requester = state, true, f, requester
	v.By, v.DeclineReason = who.Name, reason
	tell, answer := ft.YouDeclined(v), ft.Declined(v)
	if approve {
		tell, answer = ft.YouApproved(v), ft.Approved(v)
	}
	if err := notify(fmt.Sprintf("flex:%d:decided", f.ID), tell); err != nil {
		return d, queued, err
	}
	d.Reply = answer
	return d, queued, nil
}

// flexList answers /pengajuan: the sender's open requests and those
// waiting for their decision.
func (t *turn) flexList() error {
	pending, err := t.tx.PendingFlexRequests(t.ctx)
	if err != nil {
		return errStore{err}
	}
	var mine, waiting []FlexView
	for _, f := range pending {
		requester, err := t.tx.StaffByID(t.ctx, f.StaffID)
		if err != nil {
			return errStore{err}
		}
		v := t.s.flexView(f, requester, t.s.locs.get(requester.Office.TZ))
		if f.StaffID == t.who.ID {
			mine = append(mine, v)
			continue
		}
		if ok, err := mayAcknowledge(t.ctx, t.tx, *t.who, requester); err != nil {
			return errStore{err}
		} else if ok {
			waiting = append(waiting, v)
		}
	}
	return t.reply(t.s.t.Flex.List(mine, waiting))
}

// FlexTick does the timed part of requests at now: a request its
// recipients did not decide within the escalation time (working time)
// goes one step up the chain, then to the office admins; a request still
// pending when its first day starts lapses, and the requester works at
// the office. Each step is recorded in the schema, so a second call at
// the same time queues nothing.
func (s *Service) FlexTick(ctx context.Context, now time.Time) error {
	pending, err := s.store.PendingFlexRequests(ctx)
	if err != nil {
		return fmt.Errorf("bot: flexible-work tick: %w", err)
	}
	var ids []int64
	var errs []error
	for _, f := range pending {
		// A read first: most minutes nothing is due, and no write is needed.
		due, err := s.flexDue(ctx, f, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("bot: flexible-work request %d: %w", f.ID, err))
		}
		if due || err != nil {
			ids = append(ids, f.ID)
		}
	}
	return errors.Join(append(errs, s.stepEach(ctx, ids, now, "flexible-work request", s.flexStep))...)
}

// flexDue reports whether a pending request lapses or escalates at now.
func (s *Service) flexDue(ctx context.Context, f store.FlexRequest, now time.Time) (bool, error) {
	requester, err := s.store.StaffByID(ctx, f.StaffID)
	if err != nil {
		return false, err
	}
	loc := s.locs.get(requester.Office.TZ)
	if !now.Before(f.First.Start(loc)) {
		return true, nil
	}
	last, err := s.store.LastFlexEscalation(ctx, f.ID)
	if err != nil {
		return false, err
	}
	if last.IsZero() {
		last = f.CreatedAt
	}
	lp := s.leavePolicy(requester.Office.Code)
	return !now.Before(lp.addWorking(last, s.flexPolicy(requester.Office.Code).EscalateAfter, loc)), nil
}

// stepEach runs step for each ID, each in its own write, and notifies the
// outbox once if any queued a message. Errors are joined, naming the ID.
func (s *Service) stepEach(ctx context.Context, ids []int64, now time.Time, what string,
	step func(context.Context, int64, time.Time) (int, error)) error {
	var errs []error
	queued := 0
	for _, id := range ids {
		n, err := step(ctx, id, now)
		queued += n
		if err != nil {
			errs = append(errs, fmt.Errorf("bot: %s %d: %w", what, id, err))
		}
	}
	if queued > 0 {
		s.notify()
	}
	return errors.Join(errs...)
}

// HasPendingFlex reports whether any request waits for a decision (the
// scheduler's minute job is idle otherwise).
func (s *Service) HasPendingFlex(ctx context.Context) (bool, error) {
	p, err := s.store.PendingFlexRequests(ctx)
	return len(p) > 0, err
}

func (s *Service) flexStep(ctx context.Context, id int64, now time.Time) (int, error) {
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		queued = 0
		f, err := tx.FlexRequestByID(ctx, id)
		if err != nil || f.State != store.FlexPending {
			return err
		}
		requester, err := tx.StaffByID(ctx, f.StaffID)
		if err != nil {
			return err
		}
		loc := s.locs.get(requester.Office.TZ)
		notify := func(st store.Staff, text, key string) error {
			n, err := s.toPersonAs(ctx, tx, st, store.PriorityAlert, key, text, now, "")
			queued += n
			return err
		}
		v := s.flexView(f, requester, loc)
		if !now.Before(f.First.Start(loc)) {
			if ok, err := tx.DecideFlexRequest(ctx, f.ID, store.FlexLapsed, 0, "", now); err != nil || !ok {
				return err
			}
			if err := notify(requester, s.t.Flex.Lapsed(v), fmt.Sprintf("flex:%d:lapsed", f.ID)); err != nil {
				return err
			}
			reached, err := flexReached(ctx, tx, requester, f.ID)
			if err != nil {
				return err
			}
			for _, st := range reached {
				if err := notify(st, s.t.Flex.LapsedNotice(v), fmt.Sprintf("flex:%d:lapsed:%d", f.ID, st.ID)); err != nil {
					return err
				}
			}
			return nil
		}
		steps, err := tx.FlexEscalations(ctx, f.ID)
		if err != nil {
			return err
		}
		last := store.FlexEscalation{Step: -1, At: f.CreatedAt}
		if len(steps) > 0 {
			last = steps[len(steps)-1]
		}
		lp := s.leavePolicy(requester.Office.Code)
		after := s.flexPolicy(requester.Office.Code).EscalateAfter
		if now.Before(lp.addWorking(last.At, after, loc)) {
			return nil
		}
		k := last.Step + 1
		targets, staffID, ok, err := stepTargets(ctx, tx, requester, k)
		if err != nil || !ok {
			return err
		}
		before, err := flexReached(ctx, tx, requester, f.ID)
		if err != nil {
			return err
		}
		if added, err := tx.AddFlexEscalation(ctx, store.FlexEscalation{RequestID: f.ID, Step: k, StaffID: staffID, At: now}); err != nil || !added {
			return err
		}
		v.Alerted = names(before)
		for _, st := range targets {
			if err := notify(st, s.t.Flex.Escalated(v), fmt.Sprintf("flex:%d:esc:%d:%d", f.ID, k, st.ID)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return queued, nil
}

// flexReached returns everyone a request reached so far.
func flexReached(ctx context.Context, tx *store.Tx, requester store.Staff, id int64) ([]store.Staff, error) {
	steps, err := tx.FlexEscalations(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []store.Staff
	seen := map[int64]bool{}
	for _, e := range steps {
		ts, _, _, err := stepTargets(ctx, tx, requester, e.Step)
		if err != nil {
			return nil, err
		}
		for _, st := range ts {
			if !seen[st.ID] && st.Active {
				seen[st.ID] = true
				out = append(out, st)
			}
		}
	}
	return out, nil
}
