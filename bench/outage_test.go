package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram"
	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/outbox"
	"github.com/piket-id/piket/store"
)

// TestOutage: the Bot API answers 502 for a stretch, then one request
// hangs until the client gives up. Nothing is lost; afterwards the outbox
// drains and every chat receives its messages in queue order.
func TestOutage(t *testing.T) {
	ctx := context.Background()
	fake := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	ad, err := telegram.New(telegram.Options{Token: fake.Token(), APIURL: fake.URL(), Handler: nopHandler{}, Offsets: noOffsets{}, Username: fake.Username()})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "outage.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const chats, per = 6, 8
	fake.FailFor("sendMessage", 2*time.Second)
	fake.HangNext("sendMessage", 1)
	err = st.Write(ctx, func(tx *store.Tx) error {
		for i := range per {
			for c := range chats {
				m := store.OutMsg{Platform: string(bot.Telegram), ChatID: strconv.Itoa(100 + c), Text: fmt.Sprintf("pesan %d", i)}
				if c == 0 {
					m.ChatID, m.Group = "-1001", true
				}
				if _, _, err := tx.Enqueue(ctx, m, time.Now()); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A sender with a short timeout, as a hung request must not hold the
	// chat forever.
	timeout := timeoutSender{next: ad, d: 500 * time.Millisecond}
	d := outbox.New(outbox.Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: timeout},
		Limits: map[bot.Platform]outbox.Limits{bot.Telegram: {Concurrency: 4}}, MaxBackoff: time.Second})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(rctx) }()
	err = waitDrained(ctx, st, 30*time.Second)
	cancel()
	<-done
	if err != nil {
		t.Fatal(err)
	}
	var failed, retried int
	st.DB().QueryRow(`SELECT count(*) FROM outbox WHERE status = 'failed'`).Scan(&failed)
	st.DB().QueryRow(`SELECT count(*) FROM outbox WHERE attempts > 1`).Scan(&retried)
	if failed != 0 {
		t.Errorf("%d messages given up", failed)
	}
	if retried == 0 {
		t.Error("no message was retried: the outage did not happen")
	}
	for c := range chats {
		id := int64(100 + c)
		if c == 0 {
			id = -1001
		}
		got := fake.SentTo(id)
		if len(got) < per {
			t.Errorf("chat %d: %d of %d messages", id, len(got), per)
			continue
		}
		// A hung request may have been delivered after the client gave
		// up (at least once); order must hold for the first delivery of
		// each message.
		next := 0
		for _, m := range got {
			want := fmt.Sprintf("pesan %d", next)
			if m.Text == want {
				next++
			} else if m.Text != fmt.Sprintf("pesan %d", next-1) {
				t.Errorf("chat %d: got %q, want %q (out of order)", id, m.Text, want)
				break
			}
		}
		if next != per {
			t.Errorf("chat %d: in-order deliveries %d of %d", id, next, per)
		}
	}
	t.Logf("%d messages in %d chats delivered after the outage; %d needed retries, %d 502s", chats*per, chats, retried, fake.Calls("sendMessage")-len(fake.Sent()))
}

type timeoutSender struct {
	next bot.Sender
	d    time.Duration
}

func (s timeoutSender) Send(ctx context.Context, m bot.Outbound) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.d)
	defer cancel()
	return s.next.Send(ctx, m)
}
