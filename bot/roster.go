package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/holiday"
	"github.com/piket-id/piket/roster"
	"github.com/piket-id/piket/store"
)

// The roster commands. They are numbered apart from the kinds in parse.go
// so both lists can grow independently.
const (
	KindRoster     Kind = 100 + iota // /piket [besok]: my duty days, or the next day's list (Arg)
	KindSwap                         // /tukar TANGGAL NIP: hand my duty on a day to someone (Arg)
	KindSwapAgree                    // /setuju N: consent to swap request N (Arg)
	KindSwapRefuse                   // /tolak N: refuse swap request N (Arg)
)

var rosterWords = map[string]Kind{
	"piket": KindRoster, "jadwal": KindRoster,
	"tukar": KindSwap, "tukarpiket": KindSwap,
	"setuju": KindSwapAgree, "tolak": KindSwapRefuse,
}

// parseRoster reads the roster commands; ok is false for any other message.
func parseRoster(word, lw, rest string, slash bool) (Command, bool) {
	k, ok := rosterWords[lw]
	if !ok {
		return Command{}, false
	}
	arg := strings.TrimSpace(rest)
	if !slash && k != KindRoster && arg == "" {
		return Command{}, false // a bare "setuju" or "tolak" is chatter
	}
	return Command{Kind: k, Word: word, Slash: slash, Arg: arg}, true
}

// RosterPolicy is what the core needs of an office's roster configuration.
// The zero value is the default policy.
type RosterPolicy struct {
	Policy      roster.Policy
	Workdays    [7]bool        // indexed by time.Weekday; none set: Monday to Friday
	FixedLevels []roster.Level // listed every day, not rotated
	PostTime    int            // minutes after local midnight; 0: 15:00
	Calendar    *holiday.Calendar
}

// ErrNotWorkingDay is returned for a roster asked for a weekend or holiday.
var ErrNotWorkingDay = errors.New("bot: not a working day")

// ErrUnknownOffice is returned for an office code that is not registered.
var ErrUnknownOffice = errors.New("bot: unknown office")

var builtinCalendar = holiday.NewCalendar()

func (s *Service) rosterPolicy(code string) RosterPolicy {
	p := s.policy(code).Roster
	if p.Policy == (roster.Policy{}) {
		p.Policy = roster.DefaultPolicy()
	}
	if p.Workdays == [7]bool{} {
		p.Workdays = holiday.MondayToFriday()
	}
	if p.FixedLevels == nil {
		p.FixedLevels = []roster.Level{roster.Eselon2}
	}
	if p.PostTime == 0 {
		p.PostTime = 15 * 60
	}
	if p.Calendar == nil {
		p.Calendar = builtinCalendar
	}
	return p
}

// rosterOffice returns the office with code and its roster policy
// (ErrUnknownOffice when there is none).
func (s *Service) rosterOffice(ctx context.Context, tx *store.Tx, code string) (store.Office, RosterPolicy, error) {
	office, err := tx.OfficeByCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return store.Office{}, RosterPolicy{}, fmt.Errorf("%w: %s", ErrUnknownOffice, code)
	}
	if err != nil {
		return store.Office{}, RosterPolicy{}, err
	}
	return office, s.rosterPolicy(office.Code), nil
}

// workingOffice returns the office with code and its roster policy, or an
// error if there is no such office or it does not work on day.
func (s *Service) workingOffice(ctx context.Context, tx *store.Tx, code string, day civil.Date) (store.Office, RosterPolicy, error) {
	office, pol, err := s.rosterOffice(ctx, tx, code)
	if err != nil {
		return store.Office{}, RosterPolicy{}, err
	}
	if !pol.IsWorkingDay(day) {
		return store.Office{}, RosterPolicy{}, fmt.Errorf("%w: %s %s", ErrNotWorkingDay, office.Code, day)
	}
	return office, pol, nil
}

// IsWorkingDay reports whether an office works on day.
func (p RosterPolicy) IsWorkingDay(day civil.Date) bool {
	return p.Calendar.IsWorkingDay(day, p.Workdays)
}

// NextWorkingDay returns the first working day after day.
func (p RosterPolicy) NextWorkingDay(day civil.Date) civil.Date {
	return p.Calendar.NextWorkingDay(day, p.Workdays)
}

// prevWorkingDay returns the last working day before day (zero if none
// within a year).
func (p RosterPolicy) prevWorkingDay(day civil.Date) civil.Date {
	for i := 1; i <= 366; i++ {
		if d := day.AddDays(-i); p.IsWorkingDay(d) {
			return d
		}
	}
	return civil.Date{}
}

// RosterSchedule is what the scheduler needs to post an office's roster.
type RosterSchedule struct {
	Code     string
	Loc      *time.Location
	PostTime int // minutes after local midnight
}

// RosterSchedules lists every office with its zone and post time.
func (s *Service) RosterSchedules(ctx context.Context) ([]RosterSchedule, error) {
	offices, err := s.store.Offices(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RosterSchedule, 0, len(offices))
	for _, o := range offices {
		out = append(out, RosterSchedule{Code: o.Code, Loc: s.locs.get(o.TZ), PostTime: s.rosterPolicy(o.Code).PostTime})
	}
	return out, nil
}

// PostRosterAt is the scheduled job: at instant at (an office's post time),
// if that local day is a working day, it posts the next working day's roster.
func (s *Service) PostRosterAt(ctx context.Context, code string, at time.Time) error {
	pol := s.rosterPolicy(code)
	loc, err := s.officeLoc(ctx, code)
	if err != nil {
		return err
	}
	today := civil.In(at, loc)
	if !pol.IsWorkingDay(today) {
		return nil
	}
	return s.PostRoster(ctx, code, pol.NextWorkingDay(today))
}

// CatchUpRoster posts a roster whose post time has passed while Piket was
// not running: the next working day's (after today's post time) or, before
// today's post time, today's if it was never posted. Each post is made once.
func (s *Service) CatchUpRoster(ctx context.Context, code string) error {
	pol := s.rosterPolicy(code)
	loc, err := s.officeLoc(ctx, code)
	if err != nil {
		return err
	}
	now := s.now()
	today := civil.In(now, loc)
	var target civil.Date
	postToday := today.At(pol.PostTime/60, pol.PostTime%60, loc)
	if pol.IsWorkingDay(today) && now.Before(postToday) {
		target = today
	} else {
		target = pol.NextWorkingDay(today)
	}
	if target.IsZero() {
		return nil
	}
	prev := pol.prevWorkingDay(target)
	if prev.IsZero() || now.Before(prev.At(pol.PostTime/60, pol.PostTime%60, loc)) {
		return nil // not due yet
	}
	return s.PostRoster(ctx, code, target)
}

func (s *Service) officeLoc(ctx context.Context, code string) (*time.Location, error) {
	var loc *time.Location
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		o, err := tx.OfficeByCode(ctx, code)
		if err != nil {
			return err
		}
		loc = s.locs.get(o.TZ)
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrUnknownOffice, code)
	}
	return loc, err
}

// PostRoster publishes an office's roster for day and queues, in the same
// transaction, the list to each of the office's group chats and a reminder
// to each rotating person on duty. A day not yet published is generated
// (again) first, from the staff and absences known now; a day changed by a
// swap is kept. It is idempotent: a published day is not posted again.
func (s *Service) PostRoster(ctx context.Context, code string, day civil.Date) error {
	if s.policy(code).Flex.Enabled {
		return s.postFlexDay(ctx, code, day) // mode fleksibel: no duty roster (flex_roster.go)
	}
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		queued = 0 // the function may run twice (see store.Write)
		office, pol, err := s.workingOffice(ctx, tx, code, day)
		if err != nil {
			return err
		}
		rd, err := tx.RosterDay(ctx, office.ID, day)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil && rd.Published() {
			return nil
		}
		now := s.now()
		if err != nil || !rd.Manual {
			if err := s.generate(ctx, tx, office, pol, []civil.Date{day}, now); err != nil {
				return err
			}
		}
		fresh, err := tx.PublishRosterDay(ctx, office.ID, day, now)
		if err != nil || !fresh {
			return err
		}
		v, duty, err := s.rosterView(ctx, tx, office, day)
		if err != nil {
			return err
		}
		text := s.t.Roster.Post(v)
		mentions, err := dutyMentions(ctx, tx, duty)
		if err != nil {
			return err
		}
		n, err := s.toGroupsMentioning(ctx, tx, office, "roster:"+office.Code+":"+day.String(), text, now, mentions)
		if err != nil {
			return err
		}
		queued += n
		for _, p := range duty {
			if p.Fixed {
				continue
			}
			n, err := s.toPersonAs(ctx, tx, p.Staff, store.PriorityBulk, "roster-remind:"+office.Code+":"+day.String()+":"+p.Staff.NIP,
				s.t.Roster.Reminder(p.Staff.Name, v.Date, office.Code), now, "")
			if err != nil {
				return err
			}
			queued += n
		}
		s.log.Info("roster posted", "office", office.Code, "day", day.String(), "on_duty", len(duty), "messages", queued)
		return nil
	})
	if err != nil {
		return fmt.Errorf("bot: post roster %s %s: %w", code, day, err)
	}
	if queued > 0 {
		s.notify()
	}
	return nil
}

// toGroups queues text to every group chat of an office: linked chats and
// each implicit platform's office group. The dedupe key gets the chat.
// They are bulk messages (roster posts, recaps) in the outbox.
func (s *Service) toGroups(ctx context.Context, tx *store.Tx, office store.Office, key, text string, now time.Time) (int, error) {
	return s.toGroupsMentioning(ctx, tx, office, key, text, now, nil)
}

// WorkingDays lists an office's working days from from to to (inclusive).
func (p RosterPolicy) WorkingDays(from, to civil.Date) []civil.Date {
	var days []civil.Date
	for d := from; !d.After(to); d = d.AddDays(1) {
		if p.IsWorkingDay(d) {
			days = append(days, d)
		}
	}
	return days
}

// generate computes and stores the roster of days (working days, sorted),
// leaving published and swapped days as they are.
func (s *Service) generate(ctx context.Context, tx *store.Tx, office store.Office, pol RosterPolicy, days []civil.Date, now time.Time) error {
	return s.generateAround(ctx, tx, office, pol, days, now, false)
}

// generateAround is generate; with keepDrafts, every stored day in the
// span of days (drafts too) is left as it is and given to the generator as
// fixed, so that only days without a stored roster are written.
func (s *Service) generateAround(ctx context.Context, tx *store.Tx, office store.Office, pol RosterPolicy, days []civil.Date, now time.Time, keepDrafts bool) error {
	if len(days) == 0 {
		return nil
	}
	from, to := days[0], days[len(days)-1]
	people, err := tx.OfficeStaff(ctx, office.ID)
	if err != nil {
		return err
	}
	in := roster.Input{Policy: pol.Policy, Days: days, Published: map[civil.Date][]int64{}}
	for _, p := range people {
		lvl := roster.Level(p.Level)
		in.People = append(in.People, roster.Person{
			ID: p.ID, Name: p.Name, Level: lvl, Division: p.Division, Fixed: slices.Contains(pol.FixedLevels, lvl),
		})
	}
	stored, err := tx.RosterDays(ctx, office.ID, from, to)
	if err != nil {
		return err
	}
	for _, d := range stored {
		if !d.Kept() && !keepDrafts {
			continue
		}
		ids := []int64{}
		for _, x := range d.Duty {
			if !x.Fixed {
				ids = append(ids, x.StaffID)
			}
		}
		in.Published[d.Day] = ids
	}
	if in.History, in.LastDuty, err = tx.DutyHistory(ctx, office.ID, from); err != nil {
		return err
	}
	if in.Absent, err = tx.RosterAbsences(ctx, office.ID, from, to); err != nil {
		return err
	}
	if !keepDrafts {
		if err := tx.DeleteDraftRosterDays(ctx, office.ID, from, to); err != nil {
			return err
		}
	}
	for _, day := range roster.Generate(in) {
		if day.Published {
			continue
		}
		duty := make([]store.Duty, 0, len(day.Fixed)+len(day.OnDuty))
		for _, id := range day.Fixed {
			duty = append(duty, store.Duty{StaffID: id, Fixed: true})
		}
		for _, id := range day.OnDuty {
			duty = append(duty, store.Duty{StaffID: id})
		}
		problems := make([]string, len(day.Problems))
		for i, p := range day.Problems {
			problems[i] = p.Text(s.t.Roster.Lang)
		}
		if _, err := tx.SaveRosterDay(ctx, office.ID, day.Date, duty, strings.Join(problems, "\n"), now); err != nil {
			return err
		}
	}
	return nil
}

// GenerateRoster (re)generates an office's unpublished roster days from
// from to to. Published days and days changed by a swap are kept. It
// returns the number of working days in the range.
func (s *Service) GenerateRoster(ctx context.Context, code string, from, to civil.Date) (int, error) {
	var n int
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		office, pol, err := s.rosterOffice(ctx, tx, code)
		if err != nil {
			return err
		}
		days := pol.WorkingDays(from, to)
		n = len(days)
		if err := tx.DeleteDraftRosterDays(ctx, office.ID, from, to); err != nil {
			return err
		}
		return s.generate(ctx, tx, office, pol, days, s.now())
	})
	if err != nil {
		return 0, fmt.Errorf("bot: generate roster %s: %w", code, err)
	}
	return n, nil
}

// ensureRoster generates the working days from from to to that have no
// stored roster yet (with the days before them as history).
func (s *Service) ensureRoster(ctx context.Context, tx *store.Tx, office store.Office, pol RosterPolicy, from, to civil.Date) error {
	days := pol.WorkingDays(from, to)
	stored, err := tx.RosterDays(ctx, office.ID, from, to)
	if err != nil {
		return err
	}
	have := map[civil.Date]bool{}
	for _, d := range stored {
		have[d.Day] = true
	}
	var missing []civil.Date
	for _, d := range days {
		if !have[d] {
			missing = append(missing, d)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	// Only the missing days: a draft already stored stays as it is (a
	// pending /tukar names its people; looking at the roster must not
	// change them), and counts as given for the days generated around it.
	return s.generateAround(ctx, tx, office, pol, pol.WorkingDays(missing[0], missing[len(missing)-1]), s.now(), true)
}

// ShowRoster returns the roster texts of an office's working days from
// from to to (the same text as the group post), generating days that have
// none yet.
func (s *Service) ShowRoster(ctx context.Context, code string, from, to civil.Date) ([]string, error) {
	var out []string
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		out = nil
		office, pol, err := s.rosterOffice(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := s.ensureRoster(ctx, tx, office, pol, from, to); err != nil {
			return err
		}
		for _, d := range pol.WorkingDays(from, to) {
			v, _, err := s.rosterView(ctx, tx, office, d)
			if err != nil {
				return err
			}
			out = append(out, s.t.Roster.Post(v))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bot: show roster %s: %w", code, err)
	}
	return out, nil
}

// dutyPerson is a person on a roster day.
type dutyPerson struct {
	Staff store.Staff
	Fixed bool
}

var levelOrder = map[string]int{store.LevelEselon2: 0, store.LevelEselon3: 1, store.LevelEselon4: 2, store.LevelPelaksana: 3}

// rosterView builds the text view of a stored day: people by level,
// division and name; contacts are the office's eselon II and admins.
func (s *Service) rosterView(ctx context.Context, tx *store.Tx, office store.Office, day civil.Date) (RosterView, []dutyPerson, error) {
	loc := s.locs.get(office.TZ)
	v := RosterView{Office: office.Code, OfficeName: office.Name, Date: s.t.FormatDate(day.Start(loc))}
	rd, err := tx.RosterDay(ctx, office.ID, day)
	if errors.Is(err, store.ErrNotFound) {
		return v, nil, nil
	}
	if err != nil {
		return v, nil, err
	}
	v.Draft = !rd.Published()
	if rd.Problems != "" {
		v.Problems = strings.Split(rd.Problems, "\n")
	}
	var duty []dutyPerson
	for _, d := range rd.Duty {
		st, err := tx.StaffByID(ctx, d.StaffID)
		if err != nil {
			return v, nil, err
		}
		duty = append(duty, dutyPerson{Staff: st, Fixed: d.Fixed})
	}
	slices.SortStableFunc(duty, func(a, b dutyPerson) int {
		if c := levelOrder[a.Staff.Level] - levelOrder[b.Staff.Level]; c != 0 {
			return c
		}
		if c := strings.Compare(a.Staff.Division, b.Staff.Division); c != 0 {
			return c
		}
		return strings.Compare(a.Staff.Name, b.Staff.Name)
	})
	for _, d := range duty {
		v.People = append(v.People, RosterPerson{Name: d.Staff.Name, NIP: d.Staff.NIP, Level: d.Staff.Level, Division: d.Staff.Division, Fixed: d.Fixed})
	}
	all, err := tx.OfficeStaff(ctx, office.ID)
	if err != nil {
		return v, nil, err
	}
	for _, st := range all {
		if st.Level == store.LevelEselon2 || st.HasRole(store.RoleAdmin) {
			v.Contacts = append(v.Contacts, RosterPerson{Name: st.Name, NIP: st.NIP, Level: st.Level, Division: st.Division, Phone: st.Phone})
		}
	}
	return v, duty, nil
}

// myDuties answers /piket: my next duty days.
func (t *turn) myDuties() error {
	office := t.who.Office
	pol := t.s.rosterPolicy(office.Code)
	today := t.today()
	if err := t.s.ensureRoster(t.ctx, t.tx, office, pol, today, today.AddDays(13)); err != nil {
		return errStore{err}
	}
	days, err := t.tx.DutyDays(t.ctx, t.who.ID, today, 11)
	if err != nil {
		return errStore{err}
	}
	// Today counts only if it was posted: a draft for today never will be.
	days = slices.DeleteFunc(days, func(d store.RosterDay) bool { return d.Day == today && !d.Published() })
	if len(days) > 10 {
		days = days[:10]
	}
	if len(days) == 0 {
		return t.reply(t.s.t.Roster.NoDuties(t.who.Name))
	}
	lines := make([]DutyLine, len(days))
	for i, d := range days {
		lines[i] = DutyLine{Date: t.s.t.FormatDate(d.Day.Start(t.loc())), Draft: !d.Published()}
	}
	return t.reply(t.s.t.Roster.MyDuties(t.who.Name, lines))
}

// nextList answers /piket besok: the next working day's list of my office.
func (t *turn) nextList() error {
	pol := t.s.rosterPolicy(t.who.Office.Code)
	return t.dayList(pol, pol.NextWorkingDay(t.today()))
}

// todayList answers /piket hari ini: today's list of my office, or that
// today is not a working day.
func (t *turn) todayList() error {
	pol := t.s.rosterPolicy(t.who.Office.Code)
	day := t.today()
	if !pol.IsWorkingDay(day) {
		return t.reply(t.s.t.Roster.NotWorkingDay(t.s.t.FormatDate(day.Start(t.loc()))))
	}
	return t.dayList(pol, day)
}

// dayList replies with the list of my office on a working day.
func (t *turn) dayList(pol RosterPolicy, day civil.Date) error {
	office := t.who.Office
	if err := t.s.ensureRoster(t.ctx, t.tx, office, pol, day, day); err != nil {
		return errStore{err}
	}
	v, _, err := t.s.rosterView(t.ctx, t.tx, office, day)
	if err != nil {
		return errStore{err}
	}
	return t.reply(t.s.t.Roster.Post(v))
}

func (t *turn) rosterCommand(cmd Command) error {
	switch strings.Join(strings.Fields(strings.ToLower(strings.Trim(cmd.Arg, ".!?"))), " ") {
	case "":
		return t.myDuties()
	case "besok", "tomorrow", "berikut", "berikutnya":
		return t.nextList()
	case "hari ini", "hariini", "today", "sekarang", "ini":
		return t.todayList()
	}
	t.outcome = OutcomeRejected
	return t.reply(t.s.t.Roster.Usage)
}

// parseDay reads a date in a chat message: 2020-03-26, 26-03-2020,
// 26/3/2020 or 26/3 (the next such day from today).
func parseDay(s string, today civil.Date) (civil.Date, bool) {
	s = strings.TrimSpace(s)
	if d, err := civil.Parse(s); err == nil {
		return d, true
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) < 2 || len(parts) > 3 {
		return civil.Date{}, false
	}
	day, err1 := strconv.Atoi(parts[0])
	mon, err2 := strconv.Atoi(parts[1])
	year := today.Year
	var err3 error
	if len(parts) == 3 {
		year, err3 = strconv.Atoi(parts[2])
	}
	if err1 != nil || err2 != nil || err3 != nil {
		return civil.Date{}, false
	}
	d, err := civil.Parse(fmt.Sprintf("%04d-%02d-%02d", year, mon, day))
	if err != nil {
		return civil.Date{}, false
	}
	if len(parts) == 2 && d.Before(today) {
		d.Year++
	}
	return d, true
}

// swapRequest answers /tukar TANGGAL NIP: the sender asks NIP to take
// their duty on a day. The other person (or an office admin) decides.
func (t *turn) swapRequest(cmd Command) error {
	fields := strings.Fields(cmd.Arg)
	t.outcome = OutcomeRejected
	if len(fields) != 2 {
		return t.reply(t.s.t.Roster.SwapUsage)
	}
	today := t.today()
	day, ok := parseDay(fields[0], today)
	if !ok {
		return t.reply(t.s.t.Roster.SwapUsage)
	}
	date := t.s.t.FormatDate(day.Start(t.loc()))
	if day.Before(today) {
		return t.reply(t.s.t.Roster.SwapPast(date))
	}
	other, err := t.tx.ActiveStaffByNIP(t.ctx, fields[1])
	if errors.Is(err, store.ErrNotFound) || (err == nil && other.Office.ID != t.who.Office.ID) {
		return t.reply(t.s.t.Roster.SwapUnknownPerson(fields[1]))
	}
	if err != nil {
		return errStore{err}
	}
	if other.ID == t.who.ID {
		return t.reply(t.s.t.Roster.SwapUsage)
	}
	pol := t.s.rosterPolicy(t.who.Office.Code)
	if !pol.IsWorkingDay(day) {
		return t.reply(t.s.t.Roster.NotWorkingDay(date))
	}
	if err := t.s.ensureRoster(t.ctx, t.tx, t.who.Office, pol, day, day); err != nil {
		return errStore{err}
	}
	rd, err := t.tx.RosterDay(t.ctx, t.who.Office.ID, day)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return errStore{err}
	}
	on := map[int64]bool{}
	for _, d := range rd.Duty {
		on[d.StaffID] = true
	}
	if !on[t.who.ID] {
		return t.reply(t.s.t.Roster.SwapNotOnDuty(date))
	}
	if on[other.ID] {
		return t.reply(t.s.t.Roster.SwapAlreadyOnDuty(other.Name, date))
	}
	cov, err := t.s.swapCoverage(t.ctx, t.tx, t.who.Office, rd, t.who.ID, other.ID)
	if err != nil {
		return errStore{err}
	}
	n, err := t.tx.CreateSwap(t.ctx, store.Swap{OfficeID: t.who.Office.ID, Day: day, OutStaffID: t.who.ID, InStaffID: other.ID, RequestedBy: t.who.ID}, t.now)
	if err != nil {
		return errStore{err}
	}
	t.outcome = OutcomeOK
	ask, reply := t.s.t.Roster.SwapAsk(n, t.who.Name, date), t.s.t.Roster.SwapRequested(n, other.Name, date)
	if rules := cov.broken; len(rules) > 0 {
		// Only an office admin may approve it: they are asked at once.
		warn := t.s.t.Coverage.Breaks(rules)
		ask += "\n" + warn
		reply += "\n" + warn + " " + t.s.t.Coverage.NeedsAdmin(n)
		admins, err := t.s.officeAdmins(t.ctx, t.tx, t.who.Office.ID)
		if err != nil {
			return errStore{err}
		}
		for _, a := range admins {
			if a.ID == t.who.ID {
				continue
			}
			q, err := t.s.toPerson(t.ctx, t.tx, a, "", t.s.t.Coverage.AdminAsk(n, t.who.Name, other.Name, date, rules), t.now)
			if err != nil {
				return errStore{err}
			}
			t.queued += q
		}
	}
	q, err := t.s.toPerson(t.ctx, t.tx, other, "", ask, t.now)
	if err != nil {
		return errStore{err}
	}
	t.queued += q
	return t.reply(reply)
}

// swapCheck is what a swap does to a roster day's coverage rules.
type swapCheck struct {
	broken []string // rules the swap breaks, in plain words
	notes  string   // the day's notes after the swap
}

// swapCoverage checks putting staff in on duty instead of out on a stored
// roster day against the office's coverage rules (required levels,
// per-division coverage).
func (s *Service) swapCoverage(ctx context.Context, tx *store.Tx, office store.Office, rd store.RosterDay, out, in int64) (swapCheck, error) {
	pol := s.rosterPolicy(office.Code)
	staff, err := tx.OfficeStaff(ctx, office.ID)
	if err != nil {
		return swapCheck{}, err
	}
	people := make([]roster.Person, 0, len(staff)+1)
	known := false
	for _, p := range staff {
		lvl := roster.Level(p.Level)
		people = append(people, roster.Person{ID: p.ID, Name: p.Name, Level: lvl, Division: p.Division, Fixed: slices.Contains(pol.FixedLevels, lvl)})
		known = known || p.ID == in
	}
	if !known {
		p, err := tx.StaffByID(ctx, in)
		if err != nil {
			return swapCheck{}, err
		}
		people = append(people, roster.Person{ID: p.ID, Name: p.Name, Level: roster.Level(p.Level), Division: p.Division})
	}
	before := make([]int64, 0, len(rd.Duty))
	after := make([]int64, 0, len(rd.Duty))
	for _, d := range rd.Duty {
		before = append(before, d.StaffID)
		if d.StaffID == out {
			after = append(after, in)
		} else {
			after = append(after, d.StaffID)
		}
	}
	was := roster.Coverage(pol.Policy, people, rd.Day, before)
	will := roster.Coverage(pol.Policy, people, rd.Day, after)
	lang := s.t.Roster.Lang
	var c swapCheck
	for _, p := range roster.Broken(was, will) {
		c.broken = append(c.broken, p.Text(lang))
	}
	// The notes keep what is not about coverage (short-staffed days) and
	// say which coverage rules the day misses after the swap.
	old := map[string]bool{}
	for _, p := range was {
		old[p.Text(lang)] = true
	}
	var notes []string
	if rd.Problems != "" {
		for _, l := range strings.Split(rd.Problems, "\n") {
			if !old[l] {
				notes = append(notes, l)
			}
		}
	}
	for _, p := range will {
		notes = append(notes, p.Text(lang))
	}
	c.notes = strings.Join(notes, "\n")
	return c, nil
}

// officeAdmins lists the active admins of an office.
func (s *Service) officeAdmins(ctx context.Context, tx *store.Tx, officeID int64) ([]store.Staff, error) {
	all, err := tx.OfficeStaff(ctx, officeID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(st store.Staff) bool { return !st.HasRole(store.RoleAdmin) }), nil
}

// swapDecide answers /setuju N and /tolak N: the person asked, or an
// admin of the office, decides swap request N.
func (t *turn) swapDecide(cmd Command, agree bool) error {
	t.outcome = OutcomeRejected
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(cmd.Arg), "#"), 10, 64)
	if err != nil || n <= 0 {
		return t.reply(t.s.t.Roster.SwapDecideUsage)
	}
	// An admin's /setuju is the confirmation the request asked them for
	// (Coverage.AdminAsk names the rules it breaks).
	d, queued, err := t.s.decideSwap(t.ctx, t.tx, *t.who, n, agree, true, t.now)
	t.queued += queued
	if err != nil {
		return errStore{err}
	}
	t.outcome = d.Outcome
	return t.reply(d.Reply)
}

// decideSwap decides swap request n as who at now, in tx: the rules and
// messages of /setuju N and /tolak N, shared by the chat and the
// dashboard (DecideSwap). A swap that breaks a coverage rule needs an
// admin, and the admin's confirmed; unconfirmed, nothing is written and
// the decision says NeedConfirm. err is a store error only.
func (s *Service) decideSwap(ctx context.Context, tx *store.Tx, who store.Staff, n int64, agree, confirmed bool,
	now time.Time) (d SwapDecision, queued int, err error) {
	rt := s.t.Roster
	d.N = n
	refuse := func(outcome, text string) (SwapDecision, int, error) {
		d.Outcome, d.Reply = outcome, text
		return d, queued, nil
	}
	sw, err := tx.SwapByID(ctx, n)
	if errors.Is(err, store.ErrNotFound) || (err == nil && sw.OfficeID != who.Office.ID) {
		d.missing = true
		return refuse(OutcomeRejected, rt.SwapNotFound(n))
	}
	if err != nil {
		return d, 0, err
	}
	d.Status = sw.Status
	admin := who.HasRole(store.RoleAdmin)
	if sw.InStaffID != who.ID && !admin {
		return refuse(OutcomeDenied, s.t.NotAllowed)
	}
	if sw.Status != store.SwapPending {
		return refuse(OutcomeRejected, rt.SwapClosed(n))
	}
	outSt, err := tx.StaffByID(ctx, sw.OutStaffID)
	if err != nil {
		return d, 0, err
	}
	inSt, err := tx.StaffByID(ctx, sw.InStaffID)
	if err != nil {
		return d, 0, err
	}
	d.Out, d.In, d.Day = outSt, inSt, sw.Day
	date := s.t.FormatDate(sw.Day.Start(s.locs.get(who.Office.TZ)))
	tell := func(p store.Staff, text string) error {
		q, err := s.toPerson(ctx, tx, p, "", text, now)
		queued += q
		return err
	}
	if !agree {
		if _, err := tx.DecideSwap(ctx, n, store.SwapRefused, who.ID, now); err != nil {
			return d, queued, err
		}
		d.Status, d.Closed = store.SwapRefused, true
		if err := tell(outSt, rt.SwapRefused(n, who.Name, date)); err != nil {
			return d, queued, err
		}
		return refuse(OutcomeOK, rt.SwapRefusedOK(n))
	}
	var cov swapCheck
	rd, err := tx.RosterDay(ctx, sw.OfficeID, sw.Day)
	switch {
	case errors.Is(err, store.ErrNotFound): // ReplaceDuty below finds the request stale
	case err != nil:
		return d, queued, err
	default:
		if cov, err = s.swapCoverage(ctx, tx, who.Office, rd, sw.OutStaffID, sw.InStaffID); err != nil {
			return d, queued, err
		}
		d.Rules = cov.broken
		if len(cov.broken) > 0 && !admin {
			// The colleague's consent is not enough: an admin must confirm.
			return refuse(OutcomeRejected, s.t.Coverage.Blocked(n, cov.broken))
		}
		if len(cov.broken) > 0 && !confirmed {
			d.NeedConfirm = true
			return refuse(OutcomeRejected, s.t.Coverage.Breaks(cov.broken))
		}
	}
	err = tx.ReplaceDuty(ctx, sw.OfficeID, sw.Day, sw.OutStaffID, sw.InStaffID)
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrDuplicate):
		if _, err := tx.DecideSwap(ctx, n, store.SwapRefused, who.ID, now); err != nil {
			return d, queued, err
		}
		d.Status, d.Closed = store.SwapRefused, true
		return refuse(OutcomeRejected, rt.SwapStale(n))
	case err != nil:
		return d, queued, err
	}
	if _, err := tx.DecideSwap(ctx, n, store.SwapDone, who.ID, now); err != nil {
		return d, queued, err
	}
	d.Status, d.Closed = store.SwapDone, true
	if err := tx.SetRosterProblems(ctx, sw.OfficeID, sw.Day, cov.notes); err != nil {
		return d, queued, err
	}
	q, err := s.announceSwap(ctx, tx, who.Office, sw.Day, outSt, inSt, cov.broken, now)
	queued += q
	if err != nil {
		return d, queued, err
	}
	done := rt.SwapDone(outSt.Name, inSt.Name, date)
	if len(cov.broken) > 0 {
		done += "\n" + s.t.Coverage.Forced(cov.broken)
	}
	for _, p := range []store.Staff{outSt, inSt} {
		if p.ID == who.ID {
			continue // the reply tells the decider
		}
		if err := tell(p, done); err != nil {
			return d, queued, err
		}
	}
	return refuse(OutcomeOK, done)
}

// announceSwap posts a changed duty to the office's groups.
// A swap that breaks coverage rules carries the ⚠️ note.
func (s *Service) announceSwap(ctx context.Context, tx *store.Tx, office store.Office, day civil.Date, out, in store.Staff, broken []string, now time.Time) (int, error) {
	date := s.t.FormatDate(day.Start(s.locs.get(office.TZ)))
	text := s.t.Roster.SwapPosted(office.Code, out.Name, in.Name, date)
	if len(broken) > 0 {
		text += "\n" + s.t.Coverage.Forced(broken)
	}
	return s.toGroups(ctx, tx, office, "", text, now)
}

// ErrBreaksCoverage is wrapped by a CoverageError.
var ErrBreaksCoverage = errors.New("bot: the swap breaks a roster coverage rule")

// CoverageError is returned for a swap that would break coverage rules of
// the roster policy; Rules says which, in plain words.
type CoverageError struct {
	Rules []string
	Text  string // the refusal in the configured language
}

func (e *CoverageError) Error() string { return e.Text }
func (e *CoverageError) Unwrap() error { return ErrBreaksCoverage }

// SwapDuty is the admin's replacement of a person on duty (piket roster
// swap): in takes out's duty on day, and the change is posted to the
// office's groups. The day is generated first if it has no roster yet. A
// swap that would break a coverage rule of the roster policy returns a
// *CoverageError unless force is set; forced, the day and the post carry
// the ⚠️ note.
func (s *Service) SwapDuty(ctx context.Context, code string, day civil.Date, outNIP, inNIP string, force bool) error {
	return s.SwapDutyAudited(ctx, code, day, outNIP, inNIP, force, nil)
}

// SwapDutyAudited is SwapDuty that also calls audit, if set, in the
// swap's transaction once it is made (the web dashboard's audit row).
func (s *Service) SwapDutyAudited(ctx context.Context, code string, day civil.Date, outNIP, inNIP string, force bool,
	audit func(tx *store.Tx, out, in store.Staff, broken []string) error) error {
	queued := 0
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		queued = 0 // the function may run twice (see store.Write)
		office, pol, err := s.workingOffice(ctx, tx, code, day)
		if err != nil {
			return err
		}
		out, err := tx.ActiveStaffByNIP(ctx, outNIP)
		if err != nil {
			return fmt.Errorf("NIP %s: %w", outNIP, err)
		}
		in, err := tx.ActiveStaffByNIP(ctx, inNIP)
		if err != nil {
			return fmt.Errorf("NIP %s: %w", inNIP, err)
		}
		if in.Office.ID != office.ID {
			return fmt.Errorf("NIP %s is not in %s: %w", inNIP, office.Code, store.ErrNotFound)
		}
		if err := s.ensureRoster(ctx, tx, office, pol, day, day); err != nil {
			return err
		}
		var cov swapCheck
		rd, err := tx.RosterDay(ctx, office.ID, day)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err == nil {
			if cov, err = s.swapCoverage(ctx, tx, office, rd, out.ID, in.ID); err != nil {
				return err
			}
			if len(cov.broken) > 0 && !force {
				return &CoverageError{Rules: cov.broken, Text: s.t.Coverage.CLI(cov.broken)}
			}
		}
		if err := tx.ReplaceDuty(ctx, office.ID, day, out.ID, in.ID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("%s is not on duty on %s: %w", out.NIP, day, err)
			}
			if errors.Is(err, store.ErrDuplicate) {
				return fmt.Errorf("%s is already on duty on %s: %w", in.NIP, day, err)
			}
			return err
		}
		if err := tx.SetRosterProblems(ctx, office.ID, day, cov.notes); err != nil {
			return err
		}
		now := s.now()
		n, err := s.announceSwap(ctx, tx, office, day, out, in, cov.broken, now)
		queued += n
		if err != nil {
			return err
		}
		date := s.t.FormatDate(day.Start(s.locs.get(office.TZ)))
		done := s.t.Roster.SwapDone(out.Name, in.Name, date)
		if len(cov.broken) > 0 {
			done += "\n" + s.t.Coverage.Forced(cov.broken)
		}
		for _, p := range []store.Staff{out, in} {
			n, err := s.toPerson(ctx, tx, p, "", done, now)
			queued += n
			if err != nil {
				return err
			}
		}
		if audit != nil {
			return audit(tx, out, in, cov.broken)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bot: swap duty %s %s: %w", code, day, err)
	}
	if queued > 0 {
		s.notify()
	}
	return nil
}
