package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

// A queued message keeps whom it mentions; one without mentions reads back
// none, and a damaged list costs the mentions, not the message.
func TestOutboxMentions(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	want := []string{"6281234500001", "111100000000001@lid"}
	err := s.Write(ctx, func(tx *Tx) error {
		if _, _, err := tx.Enqueue(ctx, OutMsg{Platform: "whatsapp", ChatID: "g@g.us", Group: true, Text: "roster", Mentions: want}, time.Now()); err != nil {
			return err
		}
		_, _, err := tx.Enqueue(ctx, OutMsg{Platform: "whatsapp", ChatID: "g@g.us", Group: true, Text: "plain"}, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.PendingOutbox(ctx, 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("pending %v, %v", got, err)
	}
	if !slices.Equal(got[0].Mentions, want) || got[1].Mentions != nil {
		t.Errorf("mentions %q and %q, want %q and none", got[0].Mentions, got[1].Mentions, want)
	}
	if err := s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE outbox SET mentions = '[1,' WHERE id = ?`, got[0].ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, err = s.PendingOutbox(ctx, 10)
	if err != nil || len(got) != 2 || got[0].Mentions != nil || got[0].Text != "roster" {
		t.Errorf("after damage: %+v, %v; want both messages, the first without mentions", got, err)
	}
}
