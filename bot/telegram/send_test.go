package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
)

func itoa(n int) string { return strconv.Itoa(n) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// longText is n lines of "Baris NNNN: …" about 10,000 characters long.
func longText() string {
	var b strings.Builder
	for i := 0; b.Len() < 10000; i++ {
		b.WriteString("Baris " + strconv.Itoa(i) + ": Ahmad Fauzi hadir WFH dari rumah, Kec. Cibinong\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestSendSplitsLongTextAtLines(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{Limits: tgfake.NoLimits()})
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{})
	text := longText()
	id, err := a.Send(context.Background(), bot.Outbound{ID: 1, Platform: bot.Telegram, ChatID: "7001", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	sent := s.Sent()
	if len(sent) != 3 {
		t.Fatalf("sent %d messages, want 3", len(sent))
	}
	var parts []string
	for _, m := range sent {
		if utf16Len(m.Text) > MaxTextLen {
			t.Errorf("part of %d units", utf16Len(m.Text))
		}
		if strings.HasSuffix(m.Text, "\n") || !strings.HasSuffix(m.Text, "Cibinong") {
			t.Errorf("part not cut at a line end: ...%q", m.Text[len(m.Text)-20:])
		}
		if m.ParseMode != "" || m.ChatID != 7001 {
			t.Errorf("part sent with parse mode %q to %d", m.ParseMode, m.ChatID)
		}
		parts = append(parts, m.Text)
	}
	if strings.Join(parts, "\n") != text {
		t.Error("parts joined do not give the text back")
	}
	if want := "7001:" + itoa(sent[2].MessageID); id != want {
		t.Errorf("id = %q, want %q (the last part)", id, want)
	}
}

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"short", "halo", 10, []string{"halo"}},
		{"lines", "aaa\nbbb\nccc", 8, []string{"aaa\nbbb", "ccc"}},
		{"spaces", "aaa bbb ccc", 8, []string{"aaa bbb ", "ccc"}},
		{"no break", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"emoji count twice", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"emoji not cut", "a😀😀", 4, []string{"a😀", "😀"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := splitText(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSendRequestContact(t *testing.T) {
	s := tgfake.New(t, tgfake.Options{})
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{})
	if _, err := a.Send(context.Background(), bot.Outbound{ChatID: "7001", Text: "Bagikan nomor Anda", RequestContact: true}); err != nil {
		t.Fatal(err)
	}
	var kb models.ReplyKeyboardMarkup
	if err := json.Unmarshal(s.Sent()[0].ReplyMarkup, &kb); err != nil {
		t.Fatal(err)
	}
	if !kb.OneTimeKeyboard || len(kb.Keyboard) != 1 || len(kb.Keyboard[0]) != 1 ||
		kb.Keyboard[0][0].Text != "Bagikan nomor telepon" || !kb.Keyboard[0][0].RequestContact {
		t.Errorf("keyboard = %+v", kb)
	}
}

func TestSendErrors(t *testing.T) {
	clock := tgfake.NewClock(time.Date(2026, 11, 2, 7, 30, 0, 0, time.UTC))
	s := tgfake.New(t, tgfake.Options{Clock: clock.Now})
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{})
	ctx := context.Background()
	send := func(chat string) error {
		_, err := a.Send(ctx, bot.Outbound{Platform: bot.Telegram, ChatID: chat, Text: "Selamat pagi"})
		return err
	}

	// 429: the second message to a chat within a second.
	if err := send("7001"); err != nil {
		t.Fatal(err)
	}
	var ra *bot.RetryAfterError
	if err := send("7001"); !errors.As(err, &ra) || ra.After != time.Second || ra.Global {
		t.Errorf("429: got %v, want RetryAfterError{1s, chat}", err)
	}

	s.BlockChat(7002)
	if err := send("7002"); !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("403: got %v, want ErrPermanent", err)
	}
	s.DeleteChat(7003)
	if err := send("7003"); !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("chat not found: got %v, want ErrPermanent", err)
	}
	if err := send("not-a-chat"); !errors.Is(err, bot.ErrPermanent) {
		t.Errorf("bad chat ID: got %v, want ErrPermanent", err)
	}

	s.FailNext("sendMessage", 1)
	err := send("7004")
	if err == nil || errors.Is(err, bot.ErrPermanent) || errors.As(err, &ra) {
		t.Errorf("502: got %v, want a plain retryable error", err)
	}

	s.HangNext("sendMessage", 1)
	hctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = a.Send(hctx, bot.Outbound{ChatID: "7005", Text: "x"})
	if err == nil || errors.Is(err, bot.ErrPermanent) {
		t.Errorf("hang: got %v, want a retryable error", err)
	}
	if strings.Contains(err.Error(), s.Token()) {
		t.Errorf("error leaks the token: %v", err)
	}
}

// A split message hitting 429 halfway resumes where it stopped when the
// outbox retries it, without sending a part twice.
func TestSendResumesSplitAfter429(t *testing.T) {
	clock := tgfake.NewClock(time.Date(2026, 11, 2, 7, 30, 0, 0, time.UTC))
	s := tgfake.New(t, tgfake.Options{Clock: clock.Now})
	a := newTestAdapter(t, s, newRecorder(), &memOffsets{})
	out := bot.Outbound{ID: 42, Platform: bot.Telegram, ChatID: "7001", Text: longText()}
	var id string
	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		id, err = a.Send(context.Background(), out)
		var ra *bot.RetryAfterError
		if !errors.As(err, &ra) {
			break
		}
		clock.Advance(ra.After)
	}
	if err != nil {
		t.Fatal(err)
	}
	sent := s.Sent()
	if len(sent) != 3 || s.Count429() != 2 {
		t.Fatalf("sent %d parts with %d 429s, want 3 parts and 2", len(sent), s.Count429())
	}
	if strings.Join([]string{sent[0].Text, sent[1].Text, sent[2].Text}, "\n") != out.Text {
		t.Error("parts do not give the text back in order")
	}
	if id != "7001:"+itoa(sent[2].MessageID) {
		t.Errorf("id = %q", id)
	}
}
