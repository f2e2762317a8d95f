package ops

import (
	"context"
	"log/slog"
	"time"

	"github.com/piket-id/piket/scheduler"
	"github.com/piket-id/piket/store"
)

// RetentionSpec is when the retention job runs: 02:30 every day, in the
// zone given to RetentionJob (quiet hours in every Indonesian zone).
const RetentionSpec = "30 2 * * *"

// RetentionJob is the scheduled job that deletes message texts older than
// keep (config retention.message_text), measured from the scheduled
// instant. keep <= 0 means texts are kept: ok is false and there is no job.
func RetentionJob(st *store.Store, keep time.Duration, loc *time.Location, log *slog.Logger) (job scheduler.Job, ok bool) {
	if keep <= 0 {
		return scheduler.Job{}, false
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return scheduler.Job{Name: "retention-purge", Spec: RetentionSpec, Loc: loc, Run: func(ctx context.Context, at time.Time) error {
		before := at.Add(-keep)
		n, err := st.PurgeMessageTexts(ctx, before)
		if err != nil {
			return err
		}
		log.Info("retention: message texts deleted", "rows", n, "before", before.UTC().Format(time.RFC3339))
		return nil
	}}, true
}
