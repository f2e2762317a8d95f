package bench

import (
	"context"
	"testing"
)

// TestTwoBotWave runs the two-bot reminder wave at a small size: every
// reminder reaches its office's bot, half on each. (The rate is printed by
// piket-bench, not asserted.)
func TestTwoBotWave(t *testing.T) {
	if testing.Short() {
		t.Skip("sends at Telegram's real limits")
	}
	res, err := TwoBotWave(context.Background(), t.TempDir(), 40, 4)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != [2]int{40, 40} {
		t.Errorf("messages per bot: got %v, want 40 each", res.Sent)
	}
	t.Logf("%+v, fraction %.3f", res, res.Fraction())
}

// TestLinkByContact links people by contact card through the real
// handler, each with their office's bot.
func TestLinkByContact(t *testing.T) {
	res, err := LinkByContact(context.Background(), t.TempDir(), 500, 10, 8)
	if err != nil {
		t.Fatal(err)
	}
	if res.People != 500 || res.First <= 0 || res.Last <= 0 {
		t.Errorf("result %+v", res)
	}
	t.Logf("%+v, ratio %.2f", res, res.Ratio())
}
