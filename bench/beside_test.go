package bench

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/piket-id/piket/store"
)

// BenchmarkRawBeside measures how work in other goroutines of the same
// process slows SQLite's writer down: the raw four-row baseline
// (RawCheckInCeiling, 15,000 check-ins, 1,000 per transaction) alone, and
// beside one goroutine that spins without allocating, decodes JSON,
// allocates small slices, or reads on a second connection. The modes
// alternate in each iteration, so a busy moment weighs on all of them;
// each is reported as its share of the rate alone ("json/alone" 0.8: 20 %
// slower beside a goroutine decoding JSON). It explains the end-to-end
// ratio (README, "Reading it"): serve decodes, parses and looks up the
// next batches while its writer writes, where the baseline runs alone.
//
//	go test -run '^$' -bench RawBeside -benchtime 3x ./bench
func BenchmarkRawBeside(b *testing.B) {
	ctx := context.Background()
	env, err := NewEnv(ctx, b.TempDir(), 20000, 40)
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	reader, err := sql.Open("sqlite", store.DSN(env.Path))
	if err != nil {
		b.Fatal(err)
	}
	defer reader.Close()
	modes := []struct {
		name string
		work func(stop *atomic.Bool) error // one goroutine's work until stop
	}{
		{"alone", nil},
		{"spin", func(stop *atomic.Bool) error {
			x := uint64(1)
			for !stop.Load() {
				for range 1000 {
					x = x*6364136223846793005 + 1442695040888963407
				}
			}
			_ = x
			return nil
		}},
		{"json", func(stop *atomic.Bool) error {
			type update struct {
				ID   int               `json:"update_id"`
				Text string            `json:"text"`
				Meta map[string]string `json:"meta"`
			}
			us := make([]update, 100)
			for i := range us {
				us[i] = update{ID: i, Text: "hadir wfh, sehat, menyusun laporan bulanan", Meta: map[string]string{"chat": "7001"}}
			}
			raw, err := json.Marshal(us)
			if err != nil {
				return err
			}
			for !stop.Load() {
				var out []update
				if err := json.Unmarshal(raw, &out); err != nil {
					return err
				}
			}
			return nil
		}},
		{"alloc", func(stop *atomic.Bool) error {
			var keep [][]byte
			for !stop.Load() {
				for range 100 {
					keep = append(keep, make([]byte, 64))
				}
				if len(keep) > 10000 {
					keep = keep[:0]
				}
			}
			return nil
		}},
		{"read", func(stop *atomic.Bool) error {
			for !stop.Load() {
				rows, err := reader.QueryContext(ctx, `SELECT id, nip, name FROM staff WHERE id BETWEEN 1000 AND 1100`)
				if err != nil {
					return err
				}
				for rows.Next() {
					var id int64
					var nip, name string
					if err := rows.Scan(&id, &nip, &name); err != nil {
						rows.Close()
						return err
					}
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	rate := make([]float64, len(modes))
	b.ResetTimer()
	for range b.N {
		for k, m := range modes {
			var stop atomic.Bool
			var wg sync.WaitGroup
			var werr error
			if m.work != nil {
				wg.Go(func() { werr = m.work(&stop) })
			}
			r, err := RawCheckInCeiling(ctx, env.Path, 1000, 15000, 1000)
			stop.Store(true)
			wg.Wait()
			if err = cmp.Or(err, werr); err != nil {
				b.Fatalf("%s: %v", m.name, err)
			}
			rate[k] += r
		}
	}
	b.StopTimer()
	b.ReportMetric(rate[0]/float64(b.N), "check-ins/s-alone")
	for k, m := range modes[1:] {
		b.ReportMetric(rate[k+1]/rate[0], fmt.Sprintf("%s/alone", m.name))
	}
}
