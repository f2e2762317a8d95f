package bench

import (
	"context"
	"testing"
)

func TestPacingSmall(t *testing.T) {
	r, err := Pacing(context.Background(), t.TempDir(), 150, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v fraction %.3f", r, r.Fraction())
	if r.Got429 != 0 {
		t.Errorf("%d 429s during the burst", r.Got429)
	}
	if r.Fraction() < 0.9 {
		t.Errorf("achieved %.1f/s of %.1f/s allowed", r.Rate, r.Allowed)
	}
	if !r.RespectedRetry {
		t.Errorf("retry_after not respected: %s", r.RetryDetail)
	}
}
