package telegram

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
)

// batchRecorder is a bot.BatchHandler that records each batch. fail, if
// set, decides each message's outcome (call counts batches from 1).
type batchRecorder struct {
	recorder
	bmu     sync.Mutex
	batches [][]bot.Inbound
	bfail   func(call int, in bot.Inbound) error
	offsets *memOffsets
	saved   []int64 // the offset saved when each batch arrived
}

func (r *batchRecorder) HandleBatch(_ context.Context, ms []bot.Inbound, _ bot.AfterBatch) []error {
	r.bmu.Lock()
	r.batches = append(r.batches, append([]bot.Inbound(nil), ms...))
	r.saved = append(r.saved, r.offsets.get())
	call, fail := len(r.batches), r.bfail
	r.bmu.Unlock()
	errs := make([]error, len(ms))
	for i, m := range ms {
		if fail != nil {
			errs[i] = fail(call, m)
		}
	}
	return errs
}

func (r *batchRecorder) got() ([][]bot.Inbound, []int64) {
	r.bmu.Lock()
	defer r.bmu.Unlock()
	return append([][]bot.Inbound(nil), r.batches...), append([]int64(nil), r.saved...)
}

// A getUpdates answer goes to the core as one batch, in update order; the
// offset is saved (and Telegram told) only after it was committed. A
// message that fails is handed again alone, and the offset saved before
// the retry confirms only the updates before it.
func TestPollingHandsOneBatchPerAnswer(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	offsets := &memOffsets{}
	h := &batchRecorder{recorder: *newRecorder(), offsets: offsets}
	h.bfail = func(call int, in bot.Inbound) error {
		if call == 1 && in.Text == "tiga" {
			return errors.New("database is locked")
		}
		return nil
	}
	texts := []string{"satu", "dua", "tiga", "empat", "lima"}
	for i, text := range texts {
		s.PrivateText(int64(7001+i%2), text) // two chats, interleaved
	}
	start(t, newTestAdapter(t, s, h, offsets))
	eventually(t, "all updates confirmed", func() bool { return s.Pending() == 0 && offsets.get() > 0 })

	batches, saved := h.got()
	if len(batches) != 2 {
		t.Fatalf("%d batches, want 2 (all five, then the failed one again): %+v", len(batches), batches)
	}
	var got []string
	for _, in := range batches[0] {
		got = append(got, in.Text)
	}
	if len(got) != len(texts) {
		t.Fatalf("first batch %v, want %v", got, texts)
	}
	for i := range texts {
		if got[i] != texts[i] {
			t.Fatalf("first batch %v, want %v in update order", got, texts)
		}
	}
	if len(batches[1]) != 1 || batches[1][0].Text != "tiga" {
		t.Errorf("retry batch %+v, want only \"tiga\"", batches[1])
	}
	if saved[0] != 0 {
		t.Errorf("offset %d saved before the batch was handled", saved[0])
	}
	// Update IDs are consecutive: the final offset is "lima"'s ID + 1,
	// and the one confirming up to "dua" is "tiga"'s ID.
	if final := offsets.get(); saved[1] != final-3 {
		t.Errorf("offset before the retry = %d, want %d (confirming up to \"dua\" only)", saved[1], final-3)
	}
}

// Webhook deliveries for one chat are handled one at a time in the order
// they arrived; another chat's go on meanwhile.
func TestChatQueueOrdersOneChat(t *testing.T) {
	var q chatQueue
	ctx := context.Background()
	leaveA1, err := q.enter(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 4)
	var wg sync.WaitGroup
	entered := make(chan struct{})
	wg.Go(func() {
		close(entered)
		leave, err := q.enter(ctx, "A")
		if err != nil {
			t.Error(err)
			return
		}
		order <- "A2"
		leave()
	})
	<-entered
	leaveB, err := q.enter(ctx, "B") // not held up by A
	if err != nil {
		t.Fatal(err)
	}
	order <- "B"
	leaveB()
	select {
	case o := <-order:
		if o != "B" {
			t.Fatalf("%s went first, want B", o)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("B waited for A")
	}
	select {
	case o := <-order:
		t.Fatalf("%s entered while A1 was in", o)
	default:
	}
	order <- "A1"
	leaveA1()
	wg.Wait()
	if a, b := <-order, <-order; a != "A1" || b != "A2" {
		t.Errorf("chat A's order: %s, %s; want A1, A2", a, b)
	}

	// A delivery that gives up waiting lets those behind it in later.
	leave1, _ := q.enter(ctx, "C")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := q.enter(cctx, "C"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	done := make(chan struct{})
	go func() {
		leave3, err := q.enter(ctx, "C")
		if err == nil {
			leave3()
		}
		close(done)
	}()
	leave1()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled wait held the chat")
	}
}
