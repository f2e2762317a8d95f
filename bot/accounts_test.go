package bot

import (
	"context"
	"testing"
)

type recordingBatch struct{ got []Inbound }

func (r *recordingBatch) Handle(_ context.Context, m Inbound) error {
	r.got = append(r.got, m)
	return nil
}

func (r *recordingBatch) HandleBatch(_ context.Context, ms []Inbound, _ AfterBatch) []error {
	r.got = append(r.got, ms...)
	return make([]error, len(ms))
}

// TestForAccount: another account's messages carry it and a prefixed
// message ID (ReplyTo stays the platform's), one at a time or in a batch;
// the primary's pass unchanged.
func TestForAccount(t *testing.T) {
	r := &recordingBatch{}
	if h := ForAccount(r, ""); h != Handler(r) {
		t.Error("the primary account's handler was wrapped")
	}
	h := ForAccount(r, "dinkes")
	b, ok := h.(BatchHandler)
	if !ok {
		t.Fatal("a batch handler lost HandleBatch")
	}
	_ = h.Handle(context.Background(), Inbound{MessageID: "5:1", ReplyTo: "5:0"})
	_ = b.HandleBatch(context.Background(), []Inbound{{MessageID: "5:2"}, {MessageID: "5:3"}}, nil)
	want := []string{"dinkes/5:1", "dinkes/5:2", "dinkes/5:3"}
	if len(r.got) != len(want) {
		t.Fatalf("got %d messages, want %d", len(r.got), len(want))
	}
	for i, m := range r.got {
		if m.MessageID != want[i] || m.Account != "dinkes" {
			t.Errorf("message %d: ID %q account %q, want %q dinkes", i, m.MessageID, m.Account, want[i])
		}
	}
	if r.got[0].ReplyTo != "5:0" {
		t.Errorf("ReplyTo %q, want 5:0 unchanged", r.got[0].ReplyTo)
	}
}
