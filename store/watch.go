package store

import (
	"context"
	"fmt"
	"time"
)

// WatchCommits calls changed after another connection (another process,
// such as a `piket roster swap`, or this store's own writer) committed to
// the database, as seen by polling PRAGMA data_version every interval on a
// connection of its own. It returns when ctx is done; the first error it
// meets on the way is returned only if it cannot take its connection.
func (s *Store) WatchCommits(ctx context.Context, every time.Duration, changed func()) error {
	conn, err := s.r.Conn(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("store: watch commits: %w", err)
	}
	defer conn.Close()
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := int64(-1)
	for {
		var v int64
		// A background context: a cancellable one makes the driver
		// start a goroutine per statement, and the poll is quick.
		if err := conn.QueryRowContext(context.Background(), `PRAGMA data_version`).Scan(&v); err == nil {
			if last >= 0 && v != last {
				changed()
			}
			last = v
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
