package outbox

import (
	"context"
	"time"

	"github.com/piket-id/piket/bot"
)

// seedPacing rebuilds the per-chat and per-group windows from the
// messages sent in the last minute, by this process or the one it
// replaces: a restart must not forget that a group already had its 20
// messages this minute, or the platform answers 429. (A message sent but
// not yet marked when the old process died is not seen; the warm-up and
// the limits' margin cover it.)
func (d *Dispatcher) seedPacing(ctx context.Context, now time.Time) error {
	rows, err := d.o.Store.RecentSends(ctx, now.Add(-time.Minute))
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range rows {
		ps := d.plat[Queue{bot.Platform(r.Platform), r.Account}]
		if ps == nil {
			continue
		}
		if t := r.SentAt.Add(ps.lim.PerChat); ps.lim.PerChat > 0 && t.After(now) && t.After(ps.chatNext[r.ChatID]) {
			ps.chatNext[r.ChatID] = t
		}
		if r.Group && ps.lim.GroupPerMinute > 0 {
			ps.groupWindow[r.ChatID] = append(ps.groupWindow[r.ChatID], r.SentAt)
		}
	}
	return nil
}
