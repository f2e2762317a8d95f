package bench

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MemSample is the process's memory at one moment.
type MemSample struct {
	RSS       uint64 // VmRSS from /proc/self/status (0 where unavailable)
	HeapInuse uint64
	Sys       uint64 // runtime.MemStats.Sys: memory obtained from the OS
}

// ReadMem samples memory now.
func ReadMem() MemSample {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return MemSample{RSS: vmRSS(), HeapInuse: ms.HeapInuse, Sys: ms.Sys}
}

func vmRSS() uint64 { return procRSS(0) }

// procRSS is VmRSS of process pid (0: this one).
func procRSS(pid int) uint64 {
	path := "/proc/self/status"
	if pid != 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// PeakRSS samples RSS every interval until stop is called and returns the
// highest value seen.
func PeakRSS(interval time.Duration) (stop func() MemSample) { return peakOf(interval, ReadMem) }

// peakOf samples every interval until stop is called and returns the
// sample with the highest RSS.
func peakOf(interval time.Duration, sample func() MemSample) (stop func() MemSample) {
	var peak atomic.Uint64
	var heap atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			m := sample()
			if m.RSS > peak.Load() {
				peak.Store(m.RSS)
				heap.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() MemSample {
		close(done)
		wg.Wait()
		return MemSample{RSS: peak.Load(), HeapInuse: heap.Load()}
	}
}

// MB formats bytes as mebibytes.
func MB(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) + " MB" }
