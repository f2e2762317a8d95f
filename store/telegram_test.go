package store

import (
	"context"
	"testing"
)

func TestTelegramOffset(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	o := s.TelegramOffsets("123456:SECRET")
	got, err := o.TelegramOffset(ctx)
	if err != nil || got != 0 {
		t.Fatalf("fresh database: got %d, %v, want 0, nil", got, err)
	}
	for _, want := range []int64{100001, 100005, 1 << 40} {
		if err := o.SetTelegramOffset(ctx, want); err != nil {
			t.Fatal(err)
		}
		if got, err := o.TelegramOffset(ctx); err != nil || got != want {
			t.Errorf("after SetTelegramOffset(%d): got %d, %v", want, got, err)
		}
	}
	// Another bot (a new token) starts from the beginning.
	if got, err := s.TelegramOffsets("999:OTHER").TelegramOffset(ctx); err != nil || got != 0 {
		t.Errorf("another bot: got %d, %v, want 0", got, err)
	}
	// The secret part of the token is never stored.
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM settings WHERE key LIKE '%SECRET%' OR value LIKE '%SECRET%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("token secret stored in settings (%d rows, %v)", n, err)
	}
	if err := s.SetSetting(ctx, o.key, "junk"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.TelegramOffset(ctx); err == nil {
		t.Error("bad stored value: got no error")
	}
}
