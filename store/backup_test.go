package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

// checkIn writes what a check-in writes: the inbound audit row, the
// attendance record and its history, in one Write.
func checkIn(ctx context.Context, s *Store, staffID int64, msgID string, at time.Time) error {
	return s.Write(ctx, func(t *Tx) error {
		id, _, err := t.RecordInbound(ctx, InboundRecord{Platform: "telegram", MessageID: msgID, ChatID: "c", SenderID: "u", Text: "hadir wfh", ReceivedAt: at})
		if err != nil {
			return err
		}
		day := civil.Of(at)
		return t.SaveAttendance(ctx, Attendance{StaffID: staffID, Day: day, Status: StatusPresent, Place: PlaceHome, FirstAt: at, UpdatedAt: at}, id)
	})
}

func TestBackupUnderWriteLoad(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "live.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seed(t, s)
	staff, err := s.ActiveStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var (
		mu        sync.Mutex
		committed []string // message IDs whose Write returned nil, in order
		seq       atomic.Int64
		stop      = make(chan struct{})
		wg        sync.WaitGroup
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				n := seq.Add(1)
				id := fmt.Sprintf("w%d-%d", w, n)
				at := now.Add(time.Duration(n) * time.Second)
				if err := checkIn(ctx, s, staff[int(n)%len(staff)].ID, id, at); err != nil {
					t.Errorf("write %s: %v", id, err)
					return
				}
				mu.Lock()
				committed = append(committed, id)
				mu.Unlock()
			}
		}()
	}
	// Let the load build up, then back up while it goes on.
	for seq.Load() < 300 {
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	before := append([]string(nil), committed...)
	mu.Unlock()
	backup := filepath.Join(dir, "backup.db")
	err = s.Backup(ctx, backup)
	mu.Lock()
	during := len(committed) - len(before)
	mu.Unlock()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d check-ins committed before the backup, %d while it ran", len(before), during)

	rep, err := VerifyBackup(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Fatalf("integrity_check: %q", rep.Integrity)
	}
	if rep.SchemaVersion != SchemaVersion() {
		t.Errorf("backup schema version %d, want %d", rep.SchemaVersion, SchemaVersion())
	}
	for _, f := range []string{backup + "-wal", backup + "-shm"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("VerifyBackup created %s", f)
		}
	}

	// Restore: the live database is stopped, the backup opened in its place.
	s.Close()
	restored := filepath.Join(dir, "restored.db")
	if err := os.Rename(backup, restored); err != nil {
		t.Fatal(err)
	}
	r, err := Open(ctx, restored, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	have := map[string]bool{}
	rows, err := r.DB().QueryContext(ctx, `SELECT message_id FROM inbound`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		have[id] = true
	}
	rows.Close()
	missing := 0
	for _, id := range before {
		if !have[id] {
			missing++
			if missing <= 5 {
				t.Errorf("check-in %s committed before the backup is not in it", id)
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d committed check-ins missing from the backup", missing, len(before))
	}
	// Every inbound row in the backup came with its attendance history row.
	var orphans int
	if err := r.DB().QueryRowContext(ctx, `SELECT count(*) FROM inbound i WHERE NOT EXISTS (SELECT 1 FROM attendance_history h WHERE h.inbound_id = i.id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d inbound rows without their attendance history: the copy is not transactionally consistent", orphans)
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	s := openTest(t)
	dst := filepath.Join(t.TempDir(), "exists.db")
	if err := os.WriteFile(dst, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := s.Backup(context.Background(), dst)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("Backup over an existing file: got %v, want ErrExists", err)
	}
	b, _ := os.ReadFile(dst)
	if string(b) != "keep me" {
		t.Errorf("existing file changed to %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(dst))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestVerifyBackupDamaged(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed(t, s)
	dst := filepath.Join(t.TempDir(), "b.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyBackup(ctx, dst)
	if err != nil || !rep.OK() {
		t.Fatalf("fresh backup: %v %q", err, rep.Integrity)
	}
	counts := map[string]int64{}
	for _, c := range rep.Tables {
		counts[c.Table] = c.Rows
	}
	if counts["staff"] != 3 || counts["offices"] != 1 {
		t.Errorf("row counts %v, want 3 staff and 1 office", counts)
	}

	if _, err := VerifyBackup(ctx, filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Error("VerifyBackup of a missing file: no error")
	}
	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte("this is not a database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	if rep, err := VerifyBackup(ctx, junk); err == nil && rep.OK() {
		t.Error("VerifyBackup of a text file: reported ok")
	}
}
