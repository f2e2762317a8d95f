package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
)

func TestPurgeMessageTexts(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed(t, s)
	staff, err := s.ActiveStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sid := staff[0].ID
	old := now.AddDate(0, 0, -100)
	recent := now.AddDate(0, 0, -10)
	cutoff := now.AddDate(0, 0, -90)

	// Enough old rows to need several purge batches.
	const oldN = purgeBatch*2 + 7
	err = s.Write(ctx, func(tx *Tx) error {
		for i := range oldN {
			at := old.Add(time.Duration(i) * time.Second)
			id, _, err := tx.RecordInbound(ctx, InboundRecord{Platform: "telegram", MessageID: "old" + strconv.Itoa(i), ChatID: "c", SenderID: "u", Text: "hadir wfh, sehat", ReceivedAt: at})
			if err != nil {
				return err
			}
			if err := tx.SetInboundOutcome(ctx, id, sid, "ok"); err != nil {
				return err
			}
			if i == 0 {
				if err := tx.SaveAttendance(ctx, Attendance{StaffID: sid, Day: civil.Of(at), Status: StatusPresent, Place: PlaceHome, Plan: "menyusun SPJ", FirstAt: at, UpdatedAt: at}, id); err != nil {
					return err
				}
				if err := tx.AddWorkReport(ctx, sid, civil.Of(at), "Menyusun SPJ", at, id); err != nil {
					return err
				}
			}
		}
		if _, _, err := tx.RecordInbound(ctx, InboundRecord{Platform: "telegram", MessageID: "recent", ChatID: "c", SenderID: "u", Text: "sakit", ReceivedAt: recent}); err != nil {
			return err
		}
		for _, m := range []struct {
			key  string
			at   time.Time
			text string
		}{{"old-sent", old, "Terima kasih"}, {"old-pending", old, "Belum terkirim"}, {"new-sent", recent, "Baru"}} {
			if _, _, err := tx.Enqueue(ctx, OutMsg{Platform: "telegram", ChatID: "c", Text: m.text, DedupeKey: m.key}, m.at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Mark the old and new "sent" rows delivered.
	for _, key := range []string{"old-sent", "new-sent"} {
		var id int64
		if err := s.DB().QueryRowContext(ctx, `SELECT id FROM outbox WHERE dedupe_key = ?`, key).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkSent(ctx, id, "x", now); err != nil {
			t.Fatal(err)
		}
	}

	n, err := s.PurgeMessageTexts(ctx, cutoff)
	if err != nil {
		t.Fatal(err)
	}
	if want := oldN + 1; n != want {
		t.Errorf("purged %d rows, want %d", n, want)
	}

	var withText, rows int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(text), count(*) FROM inbound WHERE received_at < ?`, ms(cutoff)).Scan(&withText, &rows); err != nil {
		t.Fatal(err)
	}
	if withText != 0 || rows != oldN {
		t.Errorf("old inbound: %d of %d rows keep their text, want 0 of %d", withText, rows, oldN)
	}
	var text sql.NullString
	if err := s.DB().QueryRowContext(ctx, `SELECT text FROM inbound WHERE message_id = 'recent'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	if text.String != "sakit" {
		t.Errorf("recent inbound text = %q, want %q", text.String, "sakit")
	}
	var outcome, sender string
	if err := s.DB().QueryRowContext(ctx, `SELECT outcome, sender_id FROM inbound WHERE message_id = 'old0'`).Scan(&outcome, &sender); err != nil {
		t.Fatal(err)
	}
	if outcome != "ok" || sender != "u" {
		t.Errorf("old audit row lost its fields: outcome %q sender %q", outcome, sender)
	}

	// The old sent message is deleted; the pending and the recent one stay.
	for key, want := range map[string]string{"old-sent": "(deleted)", "old-pending": "Belum terkirim", "new-sent": "Baru"} {
		got := "(deleted)"
		err := s.DB().QueryRowContext(ctx, `SELECT text FROM outbox WHERE dedupe_key = ?`, key).Scan(&got)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("outbox %s text = %q, want %q", key, got, want)
		}
	}

	err = s.Write(ctx, func(tx *Tx) error {
		a, err := tx.Attendance(ctx, sid, civil.Of(old))
		if err != nil {
			return err
		}
		if a.Status != StatusPresent || a.Plan != "menyusun SPJ" {
			t.Errorf("attendance changed: %+v", a)
		}
		reps, err := tx.WorkReports(ctx, sid, civil.Of(old))
		if err != nil {
			return err
		}
		if len(reps) != 1 || reps[0].Text != "Menyusun SPJ" {
			t.Errorf("work reports changed: %+v", reps)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// A second run finds nothing.
	if n, err := s.PurgeMessageTexts(ctx, cutoff); err != nil || n != 0 {
		t.Errorf("second purge: %d, %v; want 0, nil", n, err)
	}
}
