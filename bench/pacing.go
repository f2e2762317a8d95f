package bench

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram"
	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/outbox"
	"github.com/piket-id/piket/store"
)

// PacingResult is one outbound burst against the fake Bot API.
type PacingResult struct {
	Messages int
	Scale    float64 // limits (and so rates) multiplied by Scale
	Elapsed  time.Duration
	Rate     float64 // achieved messages/s, first to last send
	Allowed  float64 // Telegram's global limit × Scale
	Got429   int     // 429 answers during the burst
	// After an injected 429 with retry_after: nothing was attempted on
	// that chat before it expired, and the queued messages then went out.
	RetryAfter     time.Duration
	RespectedRetry bool
	RetryDetail    string
}

// Fraction is the achieved rate as a fraction of the allowed rate.
func (r PacingResult) Fraction() float64 { return r.Rate / r.Allowed }

// nopTB lets a non-test program start tgfake, whose constructor takes a
// testing.TB for cleanup. Only Helper and Cleanup are called.
type nopTB struct {
	testing.TB
	mu      sync.Mutex
	cleanup []func()
}

func (*nopTB) Helper() {}
func (t *nopTB) Cleanup(f func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cleanup = append(t.cleanup, f)
}
func (t *nopTB) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(t.cleanup) - 1; i >= 0; i-- {
		t.cleanup[i]()
	}
}

type noOffsets struct{}

func (noOffsets) TelegramOffset(context.Context) (int64, error)  { return 0, nil }
func (noOffsets) SetTelegramOffset(context.Context, int64) error { return nil }

type nopHandler struct{}

func (nopHandler) Handle(context.Context, bot.Inbound) error { return nil }

// attempt is one Send call seen by recordingSender.
type attempt struct {
	at  time.Time
	err error
}

// recordingSender wraps the Telegram adapter and records every attempt per
// chat, so the bench can check that a retry_after was obeyed.
type recordingSender struct {
	next bot.Sender
	mu   sync.Mutex
	log  map[string][]attempt
}

func (r *recordingSender) Send(ctx context.Context, m bot.Outbound) (string, error) {
	id, err := r.next.Send(ctx, m)
	r.mu.Lock()
	r.log[m.ChatID] = append(r.log[m.ChatID], attempt{at: time.Now(), err: err})
	r.mu.Unlock()
	return id, err
}

func (r *recordingSender) attempts(chat string) []attempt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]attempt(nil), r.log[chat]...)
}

// Pacing queues n messages (reminders to n-groups private chats and one
// roster post to each of groups group chats) and sends them through the
// real outbox dispatcher and Telegram adapter to a fake Bot API enforcing
// Telegram's limits. scale > 1 multiplies every limit (fake and
// dispatcher) to shorten the run; 1 is real time.
func Pacing(ctx context.Context, dir string, n, groups int, scale float64) (PacingResult, error) {
	res := PacingResult{Messages: n, Scale: scale, Allowed: 30 * scale}
	tb := &nopTB{}
	defer tb.close()
	sc := func(d time.Duration) time.Duration { return time.Duration(float64(d) / scale) }
	fake := tgfake.New(tb, tgfake.Options{Limits: tgfake.Limits{
		Global: tgfake.Limit{N: 30, Per: sc(time.Second)},
		Chat:   tgfake.Limit{N: 1, Per: sc(time.Second)},
		Group:  tgfake.Limit{N: 20, Per: sc(time.Minute)},
	}})
	ad, err := telegram.New(telegram.Options{Token: fake.Token(), APIURL: fake.URL(), Handler: nopHandler{}, Offsets: noOffsets{}, Username: fake.Username()})
	if err != nil {
		return res, err
	}
	st, err := store.Open(ctx, filepath.Join(dir, "pacing.db"), store.Options{})
	if err != nil {
		return res, err
	}
	defer st.Close()
	now := time.Now()
	err = st.Write(ctx, func(tx *store.Tx) error {
		for i := range n {
			m := store.OutMsg{Platform: string(bot.Telegram), Text: "Selamat pagi. Jangan lupa presensi hari ini: kirim /hadir."}
			if i%(n/max(groups, 1)) == 0 && i/(n/max(groups, 1)) < groups {
				g := i / (n / max(groups, 1))
				m.ChatID, m.Group = strconv.Itoa(-1000000-g), true
				m.Text = "Jadwal piket hari ini: …"
			} else {
				m.ChatID = strconv.Itoa(5000000 + i)
			}
			if _, _, err := tx.Enqueue(ctx, m, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	rec := &recordingSender{next: ad, log: map[string][]attempt{}}
	lim := outbox.TelegramLimits()
	lim.PerSecond *= scale
	lim.PerChat = sc(lim.PerChat)
	lim.Window = sc(lim.Window)
	lim.GroupPerMinute = int(float64(lim.GroupPerMinute) * scale)
	d := outbox.New(outbox.Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: rec}, Limits: map[bot.Platform]outbox.Limits{bot.Telegram: lim}})
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Run(rctx) }()
	start := time.Now()
	if err := waitDrained(ctx, st, time.Duration(float64(n)/lim.PerSecond*float64(time.Second))*2+time.Minute); err != nil {
		return res, err
	}
	res.Elapsed = time.Since(start)
	sent := fake.Sent()
	if len(sent) != n {
		return res, fmt.Errorf("bench: pacing: fake received %d messages, want %d", len(sent), n)
	}
	if span := sent[len(sent)-1].Time.Sub(sent[0].Time); span > 0 {
		res.Rate = float64(len(sent)-1) / span.Seconds()
	}
	res.Got429 = fake.Count429()

	// Injected 429: use up the chat's allowance behind the dispatcher's
	// back, then queue three messages to that chat.
	const chat = "7777777"
	if _, err := ad.Send(ctx, bot.Outbound{Platform: bot.Telegram, ChatID: chat, Text: "dari luar antrean"}); err != nil {
		return res, err
	}
	err = st.Write(ctx, func(tx *store.Tx) error {
		for i := range 3 {
			if _, _, err := tx.Enqueue(ctx, store.OutMsg{Platform: string(bot.Telegram), ChatID: chat, Text: "pesan " + strconv.Itoa(i+1)}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	d.Notify()
	if err := waitDrained(ctx, st, time.Minute); err != nil {
		return res, err
	}
	cancel()
	<-done
	res.RespectedRetry, res.RetryAfter, res.RetryDetail = checkRetry(rec.attempts(chat))
	return res, nil
}

// checkRetry finds the first 429 in a chat's attempts and checks that the
// next attempt came only after its retry_after, and that all three queued
// messages were then sent.
func checkRetry(as []attempt) (bool, time.Duration, string) {
	for i, a := range as {
		var ra *bot.RetryAfterError
		if !errors.As(a.err, &ra) {
			continue
		}
		if i+1 >= len(as) {
			return false, ra.After, "no attempt after the 429"
		}
		gap := as[i+1].at.Sub(a.at)
		ok := 0
		for _, b := range as[i+1:] {
			if b.err == nil {
				ok++
			}
		}
		if gap < ra.After || ok != 3 || len(as[i+1:]) != 3 {
			return false, ra.After, fmt.Sprintf("next attempt after %s; %d of %d later attempts sent", gap, ok, len(as[i+1:]))
		}
		return true, ra.After, fmt.Sprintf("next attempt after %s", gap.Round(time.Millisecond))
	}
	return false, 0, "no 429 was provoked"
}

func waitDrained(ctx context.Context, st *store.Store, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		pending, _, err := st.OutboxStats(ctx, time.Now())
		if err != nil {
			return err
		}
		if pending == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: outbox still has %d pending after %s", pending, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
