package bench

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// IngestResult is one ingest run.
type IngestResult struct {
	Messages int
	Senders  int
	Elapsed  time.Duration
	P50, P99 time.Duration
}

// PerSecond is the acknowledged check-ins per second.
func (r IngestResult) PerSecond() float64 { return float64(r.Messages) / r.Elapsed.Seconds() }

// checkInTexts are what people write in the morning.
var checkInTexts = []string{
	"hadir wfh sehat, rencana: menyusun laporan bulanan",
	"/hadir kantor",
	"hadir wfh sehat",
	"wfh sehat rencana: rapat koordinasi via zoom",
	"hadir kantor sehat",
	"sakit demam",
	"izin mengantar anak ke rumah sakit",
}

// Ingest sends msgs check-ins through svc.Handle from senders goroutines
// at once, each message from the next person in nips (so msgs ≤ len(nips)
// means one check-in per person, all new rows). A message is acknowledged
// when Handle returned nil, that is after its transaction committed.
// prefix makes the message IDs of this run unique.
func Ingest(ctx context.Context, svc bot.Handler, nips []string, msgs, senders int, prefix string) (IngestResult, error) {
	var next atomic.Int64
	lat := make([][]time.Duration, senders)
	errs := make(chan error, senders)
	var wg sync.WaitGroup
	start := time.Now()
	for g := range senders {
		wg.Go(func() {
			mine := make([]time.Duration, 0, msgs/senders+1)
			for {
				i := int(next.Add(1)) - 1
				if i >= msgs {
					break
				}
				nip := nips[i%len(nips)]
				m := bot.Inbound{
					Platform: bot.Console, MessageID: prefix + strconv.Itoa(i), ChatID: nip, SenderID: nip,
					Text: checkInTexts[i%len(checkInTexts)], Time: time.Now(), Addressed: true,
				}
				t0 := time.Now()
				if err := svc.Handle(ctx, m); err != nil {
					errs <- err
					return
				}
				mine = append(mine, time.Since(t0))
			}
			lat[g] = mine
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return IngestResult{}, fmt.Errorf("bench: ingest: %w", err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	return IngestResult{Messages: len(all), Senders: senders, Elapsed: elapsed, P50: quantile(all, 0.50), P99: quantile(all, 0.99)}, nil
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// RawCeiling measures the same machine's raw SQLite insert rate into the
// attendance table of the database at path: rows inserted through one
// prepared statement, perTx rows per transaction, same DSN (WAL,
// synchronous NORMAL) as the store. It inserts rows for days far in the
// future and deletes them afterwards.
func RawCeiling(ctx context.Context, path string, rows, perTx int) (float64, error) {
	db, err := sql.Open("sqlite", store.DSN(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var maxID int64
	if err := db.QueryRowContext(ctx, `SELECT max(id) FROM staff`).Scan(&maxID); err != nil {
		return 0, fmt.Errorf("bench: raw ceiling: %w", err)
	}
	const ins = `INSERT INTO attendance (staff_id, day, status, place, health, plan, late, first_at, updated_at)
		VALUES (?, ?, 'hadir', 'wfh', 'sehat', 'menyusun laporan bulanan', 0, ?, ?)`
	start := time.Now()
	for done := 0; done < rows; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		stmt, err := tx.PrepareContext(ctx, ins)
		if err != nil {
			tx.Rollback()
			return 0, err
		}
		for k := 0; k < perTx && done < rows; k++ {
			id := int64(done)%maxID + 1
			day := fmt.Sprintf("2099-%02d-%02d", 1+(done/int(maxID))/28%12, 1+(done/int(maxID))%28)
			now := time.Now().UnixMilli()
			if _, err := stmt.ExecContext(ctx, id, day, now, now); err != nil {
				tx.Rollback()
				return 0, fmt.Errorf("bench: raw ceiling: %w", err)
			}
			done++
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	elapsed := time.Since(start)
	if _, err := db.ExecContext(ctx, `DELETE FROM attendance WHERE day >= '2099'`); err != nil {
		return 0, err
	}
	return float64(rows) / elapsed.Seconds(), nil
}
