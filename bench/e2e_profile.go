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
func dispatcherShare(paths ...string) (float64, error) {
	return profileShare(paths, "piket/outbox.", "store.(*Store).ClaimOutbox", "store.(*Store).MarkSent",
		"store.(*Store).MarkRetry", "store.(*Store).MarkFailed", "store.(*Store).ReleaseOutboxClaims")
}

// profileShare returns the share of CPU profiles' samples (all of them
// together) with a function whose name contains one of names on the stack.
func profileShare(paths []string, names ...string) (float64, error) {
	var total, disp int64
	for _, path := range paths {
		p, err := readProfile(path)
		if err != nil {
			return 0, err
		}
		vi := len(p.SampleType) - 1 // cpu nanoseconds
		for _, s := range p.Sample {
			v := s.Value[vi]
			total += v
			if onStack(s, names) {
				disp += v
			}
		}
	}
	if total == 0 {
		return 0, fmt.Errorf("bench: CPU profiles %s have no samples", strings.Join(paths, ", "))
	}
	return float64(disp) / float64(total), nil
}

func readProfile(path string) (*profile.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("bench: read CPU profile %s: %w", path, err)
	}
	return p, nil
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
