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
	// Adapters pass the process's context, which shutdown cancels.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
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
					Text: checkInTexts[i%len(checkInTexts)], Addressed: true,
					// Time left zero: sent when received, by the service's clock
					// (the NORMAL run's clock is a day ahead).
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

// IngestSync runs Ingest through a second store on e's database, opened
// with synchronous mode sync (store.SyncFull or store.SyncNormal), as if
// it were days days later: each person's check-in is then again the first
// of their day, a new row, as in a first run. This compares durability
// modes on the same machine, database and load in one run.
func IngestSync(ctx context.Context, e *Env, sync string, days int, nips []string, msgs, senders int, prefix string) (IngestResult, error) {
	st, err := store.Open(ctx, e.Path, store.Options{Synchronous: sync})
	if err != nil {
		return IngestResult{}, fmt.Errorf("bench: ingest (synchronous %s): %w", sync, err)
	}
	defer st.Close()
	later := time.Duration(days) * 24 * time.Hour
	return Ingest(ctx, newService(st, func() time.Time { return time.Now().Add(later) }), nips, msgs, senders, prefix)
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// rawOpen opens the database at path as the store does, on one
// connection, and reads the highest staff ID.
func rawOpen(ctx context.Context, path string) (*sql.DB, int64, error) {
	db, err := sql.Open("sqlite", store.DSN(path))
	if err != nil {
		return nil, 0, err
	}
	db.SetMaxOpenConns(1)
	var maxID int64
	if err := db.QueryRowContext(ctx, `SELECT max(id) FROM staff`).Scan(&maxID); err != nil {
		db.Close()
		return nil, 0, err
	}
	return db, maxID, nil
}

// RawCeiling measures the same machine's raw SQLite insert rate into the
// attendance table of the database at path: rows inserted through one
// prepared statement, perTx rows per transaction, same DSN (WAL,
// synchronous FULL) as the store. It inserts rows for days far in the
// future and deletes them afterwards.
func RawCeiling(ctx context.Context, path string, rows, perTx int) (float64, error) {
	db, maxID, err := rawOpen(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("bench: raw ceiling: %w", err)
	}
	defer db.Close()
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

// RawCheckInCeiling measures the same machine's raw SQLite rate for the
// rows one first check-in of the day writes: its inbound audit row (with
// outcome), the attendance record, the history version and the queued
// reply. Each is one prepared INSERT, perTx check-ins per transaction,
// same DSN as the store: what the database alone costs, without parsing,
// identification, deduplication reads or the reply's text. The texts are
// taken from the database (a real check-in and its reply, written by an
// ingest run before), so row sizes match. It deletes its rows afterwards.
// The first warm check-ins (their own transactions) are written before
// the clock starts, as the end-to-end run warms serve up.
func RawCheckInCeiling(ctx context.Context, path string, warm, checkIns, perTx int) (float64, error) {
	db, maxID, err := rawOpen(ctx, path)
	if err != nil {
		return 0, fmt.Errorf("bench: raw check-in ceiling: %w", err)
	}
	defer db.Close()
	inText, reply := checkInTexts[0], "✅ Terima kasih. Kehadiran Anda tercatat."
	_ = db.QueryRowContext(ctx, `SELECT text FROM inbound WHERE outcome = 'ok' ORDER BY id LIMIT 1`).Scan(&inText)
	_ = db.QueryRowContext(ctx, `SELECT text FROM outbox ORDER BY id LIMIT 1`).Scan(&reply)
	stmts := []string{
		`INSERT INTO inbound (platform, message_id, chat_id, sender_id, is_group, text, received_at, staff_id, outcome)
			VALUES ('console', ?, ?, ?, 0, ?, ?, ?, 'ok')`,
		`INSERT INTO attendance (staff_id, day, status, place, health, plan, late, first_at, updated_at)
			VALUES (?, ?, 'hadir', 'wfh', 'sehat', 'menyusun laporan bulanan', 0, ?, ?)`,
		`INSERT INTO attendance_history (staff_id, day, status, place, health, plan, late, recorded_at, inbound_id)
			VALUES (?, ?, 'hadir', 'wfh', 'sehat', 'menyusun laporan bulanan', 0, ?, ?)`,
		`INSERT INTO outbox (platform, chat_id, is_group, text, request_contact, not_before, created_at)
			VALUES ('console', ?, 0, ?, 0, 0, ?)`,
	}
	var firstOutbox int64 = -1
	var start time.Time
	for done := 0; done < warm+checkIns; {
		if done == warm {
			start = time.Now()
		}
		end := min(done+perTx, warm+checkIns)
		if done < warm {
			end = min(end, warm) // the warm-up ends at a commit
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		ps := make([]*sql.Stmt, len(stmts))
		for i, q := range stmts {
			if ps[i], err = tx.PrepareContext(ctx, q); err != nil {
				tx.Rollback()
				return 0, err
			}
		}
		for done < end {
			id := int64(done)%maxID + 1
			day := fmt.Sprintf("2098-%02d-%02d", 1+(done/int(maxID))/28%12, 1+(done/int(maxID))%28)
			chat := strconv.FormatInt(id, 10)
			now := time.Now().UnixMilli()
			res, err := ps[0].ExecContext(ctx, "raw-ceiling-"+strconv.Itoa(done), chat, chat, inText, now, id)
			if err != nil {
				tx.Rollback()
				return 0, fmt.Errorf("bench: raw check-in ceiling: %w", err)
			}
			inID, _ := res.LastInsertId()
			if _, err = ps[1].ExecContext(ctx, id, day, now, now); err == nil {
				_, err = ps[2].ExecContext(ctx, id, day, now, inID)
			}
			if err == nil {
				res, err = ps[3].ExecContext(ctx, chat, reply, now)
			}
			if err != nil {
				tx.Rollback()
				return 0, fmt.Errorf("bench: raw check-in ceiling: %w", err)
			}
			if firstOutbox < 0 {
				firstOutbox, _ = res.LastInsertId()
			}
			done++
		}
		for _, p := range ps {
			p.Close()
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	elapsed := time.Since(start)
	// Children first, so the foreign keys hold; without checking them,
	// since each deleted inbound row would scan the history for references.
	for _, q := range []string{
		`PRAGMA foreign_keys = OFF`,
		`DELETE FROM attendance_history WHERE day >= '2098'`,
		`DELETE FROM attendance WHERE day >= '2098'`,
		`DELETE FROM inbound WHERE platform = 'console' AND message_id LIKE 'raw-ceiling-%'`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("bench: raw check-in ceiling: clean up: %w", err)
		}
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM outbox WHERE id >= ?`, firstOutbox); err != nil {
		return 0, fmt.Errorf("bench: raw check-in ceiling: clean up: %w", err)
	}
	return float64(checkIns) / elapsed.Seconds(), nil
}
