package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "piket.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var now = time.Date(2020, 3, 18, 0, 30, 0, 0, time.UTC)

func seed(t *testing.T, s *Store) {
	t.Helper()
	_, err := s.ImportStaff(context.Background(), []StaffInput{
		{NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: LevelEselon2, Phone: "+6281234500001", Roles: []string{"admin"}},
		{NIP: "197803252003121005", Name: "I Made Agus Wiryawan", Office: "DISKOMINFO", Level: LevelEselon3, SupervisorNIP: "197008141995031004", Phone: "+6281234500002"},
		{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Bidang Statistik", Level: LevelPelaksana, SupervisorNIP: "197803252003121005", Phone: "+6281234500003"},
	}, ImportOptions{DefaultTZ: "Asia/Makassar", Now: now})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrationsFromEveryVersion(t *testing.T) {
	ctx := context.Background()
	for from := 0; from < len(migrations); from++ {
		path := filepath.Join(t.TempDir(), "old.db")
		db, err := sql.Open("sqlite", DSN(path))
		if err != nil {
			t.Fatal(err)
		}
		if err := migrate(ctx, db, from); err != nil {
			t.Fatalf("migrate to %d: %v", from, err)
		}
		db.Close()
		s, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatalf("upgrade from version %d: %v", from, err)
		}
		var v int
		if err := s.DB().QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != SchemaVersion() {
			t.Errorf("from %d: schema version %d, want %d", from, v, SchemaVersion())
		}
		seed(t, s) // the upgraded schema takes the current writes
		s.Close()
	}
}

func TestMigrationsKeepData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "keep.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, err := s.ActiveStaff(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("after reopen: %d staff, err %v; want 3", len(all), err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open on a newer schema: err = %v, want one saying it is newer", err)
	}
}

func TestWriteBatchIsolatesFailures(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	seed(t, s)
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Write(ctx, func(tx *Tx) error {
				if err := tx.SetSettingTx(ctx, "k"+string(rune('A'+i)), "v"); err != nil {
					return err
				}
				if i%5 == 0 {
					return boom
				}
				if i%7 == 0 {
					panic("bad message")
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		v, rerr := s.Setting(ctx, "k"+string(rune('A'+i)))
		if rerr != nil {
			t.Fatal(rerr)
		}
		switch {
		case i%5 == 0:
			if !errors.Is(err, boom) || v != "" {
				t.Errorf("write %d: err %v, value %q; want boom and nothing written", i, err, v)
			}
		case i%7 == 0:
			if err == nil || !strings.Contains(err.Error(), "panicked") || v != "" {
				t.Errorf("write %d: err %v, value %q; want a panic error and nothing written", i, err, v)
			}
		default:
			if err != nil || v != "v" {
				t.Errorf("write %d: err %v, value %q; want committed", i, err, v)
			}
		}
	}
}

func TestInboundDedupe(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	rec := InboundRecord{Platform: "telegram", MessageID: "42:7", ChatID: "42", SenderID: "42", Text: "hadir", ReceivedAt: now}
	var first, second bool
	for i, dup := range []*bool{&first, &second} {
		if err := s.Write(ctx, func(tx *Tx) error {
			_, d, err := tx.RecordInbound(ctx, rec)
			*dup = d
			return err
		}); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	if first || !second {
		t.Fatalf("dup flags = %v, %v; want false, true", first, second)
	}
	if n, _ := s.InboundCount(ctx, ""); n != 1 {
		t.Fatalf("inbound rows = %d, want 1", n)
	}
}

func TestOutboxDedupeKeyAndLifecycle(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var queued []bool
	for range 2 {
		if err := s.Write(ctx, func(tx *Tx) error {
			_, q, err := tx.Enqueue(ctx, OutMsg{Platform: "console", ChatID: "grup:X", Group: true, Text: "roster", DedupeKey: "roster:X:2020-03-19"}, now)
			queued = append(queued, q)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if !queued[0] || queued[1] {
		t.Fatalf("queued = %v, want [true false]", queued)
	}
	p, err := s.PendingOutbox(ctx, 10)
	if err != nil || len(p) != 1 {
		t.Fatalf("pending = %d (%v), want 1", len(p), err)
	}
	if err := s.MarkRetry(ctx, p[0].ID, now.Add(time.Minute), "502"); err != nil {
		t.Fatal(err)
	}
	p, _ = s.PendingOutbox(ctx, 10)
	if p[0].Attempts != 1 || !p[0].NotBefore.Equal(now.Add(time.Minute)) {
		t.Fatalf("after retry: attempts %d not_before %v", p[0].Attempts, p[0].NotBefore)
	}
	if err := s.MarkSent(ctx, p[0].ID, "m1", now); err != nil {
		t.Fatal(err)
	}
	if p, _ = s.PendingOutbox(ctx, 10); len(p) != 0 {
		t.Fatalf("pending after sent = %d, want 0", len(p))
	}
}
