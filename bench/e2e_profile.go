package bench

import (
	"fmt"
	"os"
	"strings"

	"github.com/google/pprof/profile"
)

// dispatcherShare reads a CPU profile and returns the share of its samples
// (CPU time) spent with the outbox dispatcher on the stack: its passes,
// its queue reads and claims, its sends and the recording of their
// outcomes, up to the point where a write is handed to the store's writer
// goroutine (whose commits are shared with everyone's, and not counted).
func dispatcherShare(path string) (float64, error) {
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
		if onStack(s, "piket/outbox.") {
			disp += v
		}
	}
	if total == 0 {
		return 0, fmt.Errorf("bench: CPU profile %s has no samples", path)
	}
	return float64(disp) / float64(total), nil
}

func onStack(s *profile.Sample, pkg string) bool {
	for _, loc := range s.Location {
		for _, ln := range loc.Line {
			if ln.Function != nil && strings.Contains(ln.Function.Name, pkg) {
				return true
			}
		}
	}
	return false
}
