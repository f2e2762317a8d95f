package telegram

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
)

// callLog records OnCall reports.
type callLog struct {
	mu    sync.Mutex
	calls []string // "method" or "method: error"
}

func (l *callLog) record(method string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		method += ": " + err.Error()
	}
	l.calls = append(l.calls, method)
}

func (l *callLog) has(prefix string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.calls {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

func (l *callLog) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.calls, "\n")
}

func TestOnCall(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{MaxPoll: 100 * time.Millisecond})
	var log callLog
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{}, func(o *Options) { o.OnCall = log.record })
	start(t, a)
	eventually(t, "getMe and getUpdates reported", func() bool { return log.has("getMe") && log.has("getUpdates") })

	if _, err := a.Send(context.Background(), bot.Outbound{ChatID: "42", Text: "Terima kasih"}); err != nil {
		t.Fatal(err)
	}
	if !log.has("sendMessage") {
		t.Errorf("a successful send was not reported:\n%s", log.all())
	}
	s.BlockChat(43)
	if _, err := a.Send(context.Background(), bot.Outbound{ChatID: "43", Text: "Terima kasih"}); !errors.Is(err, bot.ErrPermanent) {
		t.Fatalf("send to a blocking user: %v", err)
	}
	if !log.has("sendMessage: telegram: send: " + bot.ErrPermanent.Error()) {
		t.Errorf("a permanent send error was not reported as Send returns it:\n%s", log.all())
	}

	s.FailNext("getUpdates", 1)
	eventually(t, "a failed getUpdates reported", func() bool { return log.has("getUpdates: getUpdates: HTTP 502") })
	if strings.Contains(log.all(), s.Token()) {
		t.Errorf("a report shows the token:\n%s", log.all())
	}
}
