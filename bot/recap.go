package bot

import (
	"errors"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// recap answers /rekap [DAY]: an office admin sees the whole office by
// division; a supervisor sees the whole chain below them; others may not.
func (t *turn) recap(cmd Command) error {
	day, ok := t.recapDay(cmd.Arg)
	if !ok {
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.Recap.Usage)
	}
	admin := t.who.HasRole(store.RoleAdmin)
	var under map[int64]bool
	if !admin {
		ids, err := t.chainBelow(t.who.ID)
		if err != nil {
			return errStore{err}
		}
		if len(ids) == 0 {
			t.outcome = OutcomeDenied
			return t.reply(t.s.t.NotAllowed)
		}
		under = ids
	}
	if !t.s.liveOn(t.who.Office, day) {
		// Nobody was asked to check in before go-live: nothing is missing.
		since := t.s.goLive(t.who.Office)
		return t.reply(t.s.t.Record.NotLive(t.who.Office.Code, t.s.t.FormatDate(since.Start(t.loc()))))
	}
	entries, err := t.tx.OfficeDay(t.ctx, t.who.Office.ID, day)
	if err != nil {
		return errStore{err}
	}
	if !admin {
		// A chain may reach into another office (rare): add those people.
		kept := entries[:0]
		seen := map[int64]bool{}
		for _, e := range entries {
			if under[e.Staff.ID] {
				kept = append(kept, e)
				seen[e.Staff.ID] = true
			}
		}
		entries = kept
		for id := range under {
			if !seen[id] {
				extra, err := t.personDay(id, day)
				if err != nil {
					return err
				}
				entries = append(entries, extra...)
			}
		}
	}
	loc := t.loc()
	today := day == t.today()
	v := BuildRecap(entries, admin)
	v.Office = t.who.Office.Code
	v.Date = t.s.t.FormatDate(day.Start(loc))
	if today {
		v.At = t.s.t.FormatTime(t.now.In(loc))
	}
	if !admin {
		v.Scope = t.who.Name
	}
	v.OutKnown = today // who is out of the house is known only for now
	if !v.OutKnown {
		clearOut(&v)
	}
	if t.in.Group {
		return t.groupRecap(v)
	}
	return t.reply(t.s.t.Recap.Recap(v))
}

// groupRecap answers /rekap asked in a group chat: the group gets counts
// only (names of the sick are personal data, UU 27/2022), and the asker
// gets the recap with names in their private chat on the same platform.
func (t *turn) groupRecap(v RecapView) error {
	ids, err := t.tx.Identities(t.ctx, t.who.ID)
	if err != nil {
		return errStore{err}
	}
	var private []store.GroupChat
	for _, c := range t.s.personChats(*t.who, ids, "") {
		if c.Platform == string(t.in.Platform) {
			private = append(private, c)
		}
	}
	n, err := enqueueAllAs(t.ctx, t.tx, private, false, store.PriorityReply, "", t.s.t.Recap.Recap(v), t.now) // the asker's reply
	t.queued += n
	if err != nil {
		return errStore{err}
	}
	v.CountsOnly = true
	note := t.s.t.Privacy.RecapNamesPrivately
	if n == 0 {
		note = t.s.t.Privacy.RecapNoPrivateChat(t.in.Platform)
	}
	return t.reply(t.s.t.Recap.Recap(v) + "\n\n" + note)
}

func clearOut(v *RecapView) {
	v.All.Out = nil
	for i := range v.Groups {
		v.Groups[i].Out = nil
	}
}

// personDay returns one person's day (someone in another office).
func (t *turn) personDay(id int64, day civil.Date) ([]store.DayEntry, error) {
	st, err := t.tx.StaffByID(t.ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, errStore{err}
	}
	all, err := t.tx.OfficeDay(t.ctx, st.Office.ID, day)
	if err != nil {
		return nil, errStore{err}
	}
	for _, e := range all {
		if e.Staff.ID == id {
			return []store.DayEntry{e}, nil
		}
	}
	return nil, nil
}

// chainBelow returns every active person below a supervisor.
func (t *turn) chainBelow(id int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	queue := []int64{id}
	for len(queue) > 0 {
		subs, err := t.tx.Subordinates(t.ctx, queue[0])
		queue = queue[1:]
		if err != nil {
			return nil, err
		}
		for _, s := range subs {
			if !out[s.ID] && s.ID != id {
				out[s.ID] = true
				queue = append(queue, s.ID)
			}
		}
	}
	return out, nil
}

// recapDay reads the day of /rekap: empty (today), YYYY-MM-DD,
// DD-MM-YYYY, DD/MM/YYYY or a word such as "kemarin".
func (t *turn) recapDay(arg string) (civil.Date, bool) {
	arg = strings.ToLower(strings.TrimSpace(arg))
	today := t.today()
	if arg == "" {
		return today, true
	}
	if n, ok := t.s.t.Recap.DateWords[arg]; ok {
		return today.AddDays(n), true
	}
	if d, err := civil.Parse(arg); err == nil {
		return d, true
	}
	for _, layout := range []string{"2-1-2006", "2/1/2006", "2.1.2006"} {
		if tm, err := time.Parse(layout, arg); err == nil {
			return civil.Of(tm), true
		}
	}
	return civil.Date{}, false
}

// BuildRecap counts a day's entries; byDivision adds one group per
// division (in the entries' order of first appearance).
func BuildRecap(entries []store.DayEntry, byDivision bool) RecapView {
	var v RecapView
	idx := map[string]int{}
	for _, e := range entries {
		addEntry(&v.All, e)
		if !byDivision {
			continue
		}
		i, ok := idx[e.Staff.Division]
		if !ok {
			i = len(v.Groups)
			idx[e.Staff.Division] = i
			v.Groups = append(v.Groups, RecapCounts{Name: e.Staff.Division})
		}
		addEntry(&v.Groups[i], e)
	}
	return v
}

func addEntry(c *RecapCounts, e store.DayEntry) {
	c.Total++
	name := e.Staff.Name
	if e.Out {
		c.Out = append(c.Out, name)
	}
	if !e.Recorded {
		c.Missing = append(c.Missing, name)
		return
	}
	a := e.Attendance
	switch a.Status {
	case store.StatusPresent:
		switch a.Place {
		case store.PlaceOffice:
			c.Office = append(c.Office, name)
		case store.PlaceDuty:
			c.Duty = append(c.Duty, name)
		case store.PlaceTravel:
			c.Travel = append(c.Travel, name)
		default:
			c.WFH = append(c.WFH, name)
			if a.Unapproved {
				c.Unapproved = append(c.Unapproved, name)
			}
		}
		if a.Late {
			c.Late = append(c.Late, name)
		}
		if e.Reports == 0 {
			c.NoReport = append(c.NoReport, name)
		}
	case store.StatusSick:
		c.Sick = append(c.Sick, name)
	case store.StatusLeave:
		c.Leave = append(c.Leave, name)
	case store.StatusPermit:
		c.Permit = append(c.Permit, name)
	}
}
