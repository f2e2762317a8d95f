package bench

import (
	"context"
	"testing"
	"time"

	"github.com/piket-id/piket/store"
)

func TestIngestSmall(t *testing.T) {
	ctx := context.Background()
	env, err := NewEnv(ctx, t.TempDir(), 400, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	svc := env.NewService(time.Now)
	r, err := Ingest(ctx, svc, env.NIPs, 400, 16, "t-")
	if err != nil {
		t.Fatal(err)
	}
	if r.Messages != 400 {
		t.Fatalf("acknowledged %d, want 400", r.Messages)
	}
	var n int
	if err := env.Store.DB().QueryRow(`SELECT count(*) FROM attendance`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 400 {
		t.Errorf("attendance rows = %d, want 400", n)
	}
	raw, err := RawCeiling(ctx, env.Path, 2000, 1000)
	if err != nil || raw <= 0 {
		t.Fatalf("raw ceiling %v, %v", raw, err)
	}
	counts := func() [4]int {
		var c [4]int
		for i, tbl := range []string{"inbound", "attendance", "attendance_history", "outbox"} {
			if err := env.Store.DB().QueryRow(`SELECT count(*) FROM ` + tbl).Scan(&c[i]); err != nil {
				t.Fatal(err)
			}
		}
		return c
	}
	before := counts()
	rawB, err := RawCheckInCeiling(ctx, env.Path, 0, 1500, 1000)
	if err != nil || rawB <= 0 {
		t.Fatalf("raw check-in ceiling %v, %v", rawB, err)
	}
	if after := counts(); after != before {
		t.Errorf("raw check-in ceiling left rows behind: %v, before %v", after, before)
	}
}

// BenchmarkIngest is for profiling the hot path:
// go test -run '^$' -bench Ingest -cpuprofile cpu.out ./bench
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	env, err := NewEnv(ctx, b.TempDir(), 20000, 40)
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	svc := env.NewService(time.Now)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r, err := Ingest(ctx, svc, env.NIPs, 20000, 128, "b"+string(rune('a'+i%26))+time.Now().Format("150405.000")+"-")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.PerSecond(), "msg/s")
		b.ReportMetric(float64(r.P99.Microseconds()), "p99-µs")
	}
}

// The bench's NORMAL run writes the next day's check-ins through a store in
// that mode: each is a new row again, and the first run's rows stay.
func TestIngestSyncNextDay(t *testing.T) {
	ctx := context.Background()
	env, err := NewEnv(ctx, t.TempDir(), 200, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if _, err := Ingest(ctx, env.NewService(time.Now), env.NIPs, 200, 8, "full-"); err != nil {
		t.Fatal(err)
	}
	r, err := IngestSync(ctx, env, store.SyncNormal, 1, env.NIPs, 200, 8, "normal-")
	if err != nil || r.Messages != 200 {
		t.Fatalf("NORMAL run: %+v, %v", r, err)
	}
	var rows, days int
	if err := env.Store.DB().QueryRow(`SELECT count(*), count(DISTINCT day) FROM attendance`).Scan(&rows, &days); err != nil {
		t.Fatal(err)
	}
	if rows != 400 || days != 2 {
		t.Errorf("attendance: %d rows on %d days, want 400 on 2", rows, days)
	}
	if _, err := IngestSync(ctx, env, "off", 2, env.NIPs, 10, 1, "off-"); err == nil {
		t.Error("IngestSync accepted synchronous mode off")
	}
}
