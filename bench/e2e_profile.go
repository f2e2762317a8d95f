package bench

import (
	"fmt"
	"os"
	"strings"

	"github.com/google/pprof/profile"
)

// dispatcherShare reads a CPU profile and returns the share of its samples
// (CPU time) spent on the outbox dispatcher: with the dispatcher on the
// stack (its passes, queue reads, sends), or running one of its writes on
// the store's writer goroutine (claims, recording outcomes). The commits
// those writes share with the check-ins are not counted.
func dispatcherShare(path string) (float64, error) {
	return profileShare(path, "piket/outbox.", "store.(*Store).ClaimOutbox", "store.(*Store).MarkSent",
		"store.(*Store).MarkRetry", "store.(*Store).MarkFailed", "store.(*Store).ReleaseOutboxClaims")
}

// profileShare returns the share of a CPU profile's samples with a
// function whose name contains one of names on the stack.
func profileShare(path string, names ...string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return 0, fmt.Errorf("bench: read CPU profile: %w", err)
	}
	vi := len(p.SampleType) - 1 // cpu nanoseconds
	var total, disp int64
	for _, s := range p.Sample {
		v := s.Value[vi]
		total += v
		if onStack(s, names) {
			disp += v
		}
	}
	if total == 0 {
		return 0, fmt.Errorf("bench: CPU profile %s has no samples", path)
	}
	return float64(disp) / float64(total), nil
}

func onStack(s *profile.Sample, names []string) bool {
	for _, loc := range s.Location {
		for _, ln := range loc.Line {
			if ln.Function == nil {
				continue
			}
			for _, n := range names {
				if strings.Contains(ln.Function.Name, n) {
					return true
				}
			}
		}
	}
	return false
}
