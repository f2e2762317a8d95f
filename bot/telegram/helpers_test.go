package telegram

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
)

// memOffsets is an in-memory OffsetStore. onSet, if set, runs after each
// save.
type memOffsets struct {
	mu    sync.Mutex
	v     int64
	onSet func(int64)
}

func (m *memOffsets) TelegramOffset(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.v, nil
}

func (m *memOffsets) SetTelegramOffset(_ context.Context, v int64) error {
	m.mu.Lock()
	m.v = v
	f := m.onSet
	m.mu.Unlock()
	if f != nil {
		f(v)
	}
	return nil
}

func (m *memOffsets) get() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.v
}

// recorder is a Handler that records what it got. fail, if set, decides
// the result of each call.
type recorder struct {
	mu   sync.Mutex
	got  []bot.Inbound
	fail func(n int, in bot.Inbound) error // n counts calls from 1
	ch   chan bot.Inbound
}

func newRecorder() *recorder { return &recorder{ch: make(chan bot.Inbound, 100)} }

func (r *recorder) Handle(_ context.Context, in bot.Inbound) error {
	r.mu.Lock()
	r.got = append(r.got, in)
	n := len(r.got)
	fail := r.fail
	r.mu.Unlock()
	r.ch <- in
	if fail != nil {
		return fail(n, in)
	}
	return nil
}

func (r *recorder) calls() []bot.Inbound {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Inbound(nil), r.got...)
}

// next waits for the next Handle call.
func (r *recorder) next(t *testing.T) bot.Inbound {
	t.Helper()
	select {
	case in := <-r.ch:
		return in
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for the handler")
		return bot.Inbound{}
	}
}

// none checks that the handler is not called for a while.
func (r *recorder) none(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case in := <-r.ch:
		t.Fatalf("unexpected Handle call: %+v", in)
	case <-time.After(d):
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

func newTestAdapter(t *testing.T, s *tgfake.Server, h bot.Handler, store OffsetStore, mod ...func(*Options)) *Adapter {
	t.Helper()
	opts := Options{
		Token:       s.Token(),
		APIURL:      s.URL(),
		Handler:     h,
		Offsets:     store,
		Logger:      testLogger(t),
		PollTimeout: time.Second,
		RetryMin:    10 * time.Millisecond,
		RetryMax:    50 * time.Millisecond,
	}
	for _, f := range mod {
		f(&opts)
	}
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// start runs a in the background; the returned stop cancels it and
// returns Run's result.
func start(t *testing.T, a *Adapter) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	return startCtx(t, ctx, cancel, a)
}

func startCtx(t *testing.T, ctx context.Context, cancel context.CancelFunc, a *Adapter) (stop func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// eventually polls cond until it holds or fails the test.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
