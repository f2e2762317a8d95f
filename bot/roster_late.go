package bot

import (
	"errors"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// postLatestRoster queues, to the group chat just linked, the office's
// newest published list that is still current: the next working day's
// (published at post time) or else today's. A group linked after the post
// would otherwise never get it. The dedupe key is the one PostRoster
// uses, so a group that already got the list is not sent it again.
func (t *turn) postLatestRoster(office store.Office) error {
	pol := t.s.rosterPolicy(office.Code)
	today := civil.In(t.now, t.s.locs.get(office.TZ))
	days := []civil.Date{pol.NextWorkingDay(today)}
	if pol.IsWorkingDay(today) {
		days = append(days, today)
	}
	for _, day := range days {
		if day.IsZero() {
			continue
		}
		rd, err := t.tx.RosterDay(t.ctx, office.ID, day)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return errStore{err}
		}
		if !rd.Published() {
			continue
		}
		v, _, err := t.s.rosterView(t.ctx, t.tx, office, day)
		if err != nil {
			return errStore{err}
		}
		chat := []store.GroupChat{{Platform: string(t.in.Platform), ChatID: t.in.ChatID, Account: t.in.Account}}
		n, err := enqueueAll(t.ctx, t.tx, chat, true, "roster:"+office.Code+":"+day.String(), t.s.t.Roster.Post(v), t.now)
		t.queued += n
		if err != nil {
			return errStore{err}
		}
		return nil
	}
	return nil
}
