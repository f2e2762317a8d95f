package bench

import (
	"context"
	"testing"
)

// TestPacingSmall checks correctness only: everything is delivered (Pacing
// fails otherwise), Telegram never answers 429, and a retry_after is
// obeyed. The achieved rate depends on the machine and is only logged
// (the bench table prints it); no test asserts a wall-clock rate.
func TestPacingSmall(t *testing.T) {
	r, err := Pacing(context.Background(), t.TempDir(), 150, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v fraction %.3f", r, r.Fraction())
	if r.Got429 != 0 {
		t.Errorf("%d 429s during the burst", r.Got429)
	}
	if !r.RespectedRetry {
		t.Errorf("retry_after not respected: %s", r.RetryDetail)
	}
}
