package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// postFlexDay is PostRoster for an office in mode fleksibel: there is no
// duty roster (everyone works at the office by default), so the groups
// get, at the roster's post time, who works flexibly on the next working
// day by an approved request (names only: no reasons). The outbox key
// makes it once per day.
func (s *Service) postFlexDay(ctx context.Context, code string, day civil.Date) error {
	office, staffs, err := s.officeAndStaff(ctx, code)
	if err != nil {
		return err
	}
	away, err := s.store.ApprovedFlexOn(ctx, office.ID, day)
	if err != nil {
		return err
	}
	loc := s.locs.get(office.TZ)
	ft := s.t.Flex
	var b strings.Builder
	b.WriteString(ft.RosterHeading(office.Code, s.t.FormatDate(day.Start(loc))))
	if len(away) == 0 {
		b.WriteString("\n" + ft.RosterNone)
	} else {
		b.WriteString("\n" + ft.RosterAwayFormat(len(away), len(staffs)))
		i := 0
		for _, st := range staffs {
			if f, ok := away[st.ID]; ok {
				i++
				fmt.Fprintf(&b, "\n%d. %s — %s", i, st.Name, strings.ToUpper(f.Kind))
			}
		}
	}
	queued := 0
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		n, err := s.toGroups(ctx, tx, office, "flexday:"+office.Code+":"+day.String(), b.String(), s.now())
		queued = n
		return err
	})
	if err != nil {
		return fmt.Errorf("bot: post flexible-work list %s %s: %w", code, day, err)
	}
	if queued > 0 {
		s.notify()
	}
	return nil
}

func (s *Service) officeAndStaff(ctx context.Context, code string) (store.Office, []store.Staff, error) {
	var office store.Office
	var staffs []store.Staff
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if office, err = tx.OfficeByCode(ctx, code); err != nil {
			return err
		}
		staffs, err = tx.OfficeStaff(ctx, office.ID)
		return err
	})
	return office, staffs, err
}
