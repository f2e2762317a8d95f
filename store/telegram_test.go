package store

import (
	"context"
	"testing"
)

func TestTelegramOffset(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	got, err := s.TelegramOffset(ctx)
	if err != nil || got != 0 {
		t.Fatalf("fresh database: got %d, %v, want 0, nil", got, err)
	}
	for _, want := range []int64{100001, 100005, 1 << 40} {
		if err := s.SetTelegramOffset(ctx, want); err != nil {
			t.Fatal(err)
		}
		if got, err := s.TelegramOffset(ctx); err != nil || got != want {
			t.Errorf("after SetTelegramOffset(%d): got %d, %v", want, got, err)
		}
	}
	if err := s.SetSetting(ctx, telegramOffsetKey, "junk"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TelegramOffset(ctx); err == nil {
		t.Error("bad stored value: got no error")
	}
}
