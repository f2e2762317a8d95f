package bench

import (
	"fmt"
	"io"
	"time"
)

// print writes the end-to-end rows of the bench table (tab-separated:
// measure, result, target).
func (r E2EResult) print(w io.Writer) {
	p := func(f string, a ...any) { fmt.Fprintf(w, f+"\n", a...) }
	ok := func(b bool) string {
		if b {
			return "ok"
		}
		return "BELOW TARGET"
	}
	ms := func(d time.Duration) string { return d.Round(time.Millisecond).String() }
	p("e2e (piket serve, Telegram polling, fake Bot API at real limits): check-ins/s committed, %d check-ins in %d rounds (each after %d not counted), %d staff linked\t%.0f\t≥ 6000 %s",
		r.Messages, r.Rounds, r.Warm, r.Staff, r.PerSecond(), ok(r.PerSecond() >= 6000))
	p("e2e: raw four-row baseline, same file (inbound, attendance, history, outbox; 1,000 check-ins/tx, each round after %d not counted), rounds between the ingest's, serve stopped\t%.0f\t", r.Warm, r.Raw)
	p("e2e: ingest / raw baseline\t%.2f\t≥ 0.5 %s", r.Ratio(), ok(r.Ratio() >= 0.5))
	p("e2e: reply latency p50 / p99, update → sendMessage, nothing queued\t%s / %s\t", ms(r.P50), ms(r.P99))
	p("e2e: reply latency p50 / p99 behind a %d-message bulk wave (%d wave messages sent meanwhile)\t%s / %s\tp99 ≤ 2s %s",
		r.Wave, r.WaveSent, ms(r.WaveP50), ms(r.WaveP99), ok(r.WaveP99 <= 2*time.Second))
	p("e2e: 429 answers, whole run\t%d\t0 %s", r.Got429, ok(r.Got429 == 0))
	if r.DispatcherShare >= 0 {
		p("e2e: dispatcher share of serve's CPU under ingest (pprof samples with outbox on the stack)\t%.1f %%\t< 15 %% %s",
			100*r.DispatcherShare, ok(r.DispatcherShare < 0.15))
	} else {
		p("e2e: dispatcher share of serve's CPU under ingest\tunknown\t< 15 %%")
	}
	p("e2e: serve's CPU under ingest (cores busy)\t%.2f\t", r.ServeCPU)
	p("e2e: serve RSS, %d staff, idle / peak under ingest\t%s / %s\t≤ 64 / 96 MB %s", r.Staff, MB(r.IdleRSS), MB(r.LoadRSS),
		ok(r.IdleRSS <= 64<<20 && r.LoadRSS <= 96<<20))
}
