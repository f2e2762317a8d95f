package app_test

// Several Telegram bots: the real app with two bots, each against its own
// tgfake (its own token, its own rate limits). DISKOMINFO is on the
// primary bot, BKPSDM on the bot "bkpsdm".

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/store"
)

type twoBots struct {
	*harness                // the primary bot's fake in fake
	second   *tgfake.Server // the bot "bkpsdm"
}

func startTwoBots(t *testing.T) *twoBots {
	t.Helper()
	second := tgfake.New(t, tgfake.Options{MaxPoll: 5 * time.Second, Token: "987654321:TEST-second-bot", Username: "piket_bkpsdm_bot"})
	h := start(t, setup{config: func(cfg *config.Config) {
		cfg.Telegram.Bots = []config.TelegramBot{{Name: "bkpsdm", Token: second.Token(), APIURL: second.URL(), Offices: []string{"BKPSDM"}}}
	}})
	return &twoBots{harness: h, second: second}
}

// replyFrom waits for the n-th message fake sent to chat and checks it
// contains want.
func (h *twoBots) replyFrom(fake *tgfake.Server, chat int64, n int, want string) tgfake.SentMessage {
	h.t.Helper()
	var got []tgfake.SentMessage
	h.waitFor(fmt.Sprintf("%d message(s) to chat %d", n, chat), 15*time.Second, func() bool {
		got = fake.SentTo(chat)
		return len(got) >= n
	})
	if !strings.Contains(got[n-1].Text, want) {
		h.t.Fatalf("message %d to chat %d: got %q, want it to contain %q", n, chat, got[n-1].Text, want)
	}
	return got[n-1]
}

// TestTelegramBotsLinkToTheOfficesBot: a person links on their office's
// bot only; on the other bot they are told which bot serves their office,
// nothing is linked or recorded, and everything of theirs goes out
// through their office's bot.
func TestTelegramBotsLinkToTheOfficesBot(t *testing.T) {
	t.Parallel()
	h := startTwoBots(t)

	// Asep (BKPSDM) shares his number with the primary bot: refused,
	// pointed at @piket_bkpsdm_bot.
	h.fake.Contact(asep.user, asep.user, asep.phone, asep.user)
	h.replyFrom(h.fake, asep.user, 1, "BKPSDM, yang dilayani oleh bot Telegram @piket_bkpsdm_bot")
	if name := h.linkedStaff(asep.user); name != "" {
		t.Fatalf("linked as %q through the wrong bot", name)
	}
	// On his office's bot: linked.
	h.second.Contact(asep.user, asep.user, asep.phone, asep.user)
	h.replyFrom(h.second, asep.user, 1, "Akun Anda sudah terhubung")
	if name := h.linkedStaff(asep.user); name != asep.name {
		t.Fatalf("linked staff: got %q, want %q", name, asep.name)
	}
	// Sari (DISKOMINFO) on the primary bot.
	h.register(sari, 1)

	// Sari checks in with the BKPSDM bot: told to use @piket_bot, not
	// recorded.
	h.second.PrivateText(sari.user, "hadir wfh")
	h.replyFrom(h.second, sari.user, 1, "DISKOMINFO dilayani oleh bot Telegram @piket_bot")
	if n := h.count(`SELECT count(*) FROM attendance`); n != 0 {
		t.Fatalf("a check-in through the wrong bot was recorded: %d attendance rows", n)
	}
	// Both check in on their own bot, with the same message number in
	// the same chat ID: each bot numbers its own messages, both count.
	h.fake.PrivateText(sari.user, "hadir wfh")
	h.second.PrivateText(asep.user, "hadir kantor")
	h.replyFrom(h.fake, sari.user, 2, "Kehadiran Ni Made Sari tercatat")
	h.replyFrom(h.second, asep.user, 2, "Kehadiran H. Asep Saepudin")
	if n := h.count(`SELECT count(*) FROM attendance`); n != 2 {
		t.Errorf("attendance rows: got %d, want 2", n)
	}

	// A notice to every admin goes out through each one's office bot:
	// Sukadana (DISKOMINFO) is linked on the primary bot, Asep on his.
	h.register(sukadana, 1)
	if err := h.app.Service.WarnAdmins(context.Background(), "Uji pemberitahuan admin", "test:notice", ""); err != nil {
		t.Fatal(err)
	}
	h.replyFrom(h.fake, sukadana.user, 2, "Uji pemberitahuan admin")
	h.replyFrom(h.second, asep.user, 3, "Uji pemberitahuan admin")
	h.waitOutboxEmpty()
	for fake, who := range map[*tgfake.Server]person{h.fake: asep, h.second: sukadana} {
		for _, m := range fake.SentTo(who.user) {
			if strings.Contains(m.Text, "Uji pemberitahuan") {
				t.Errorf("%s got the notice through the other office's bot", who.name)
			}
		}
	}
	if n := h.count(`SELECT count(*) FROM outbox WHERE account = 'bkpsdm' AND chat_id = ?`, fmt.Sprint(sukadana.user)); n != 0 {
		t.Errorf("%d messages to Sukadana queued on the BKPSDM bot", n)
	}
}

// TestTelegramBotsGroupBelongsToItsBot: a group linked through one bot is
// served by it; the other bot in the group stays silent there.
func TestTelegramBotsGroupBelongsToItsBot(t *testing.T) {
	t.Parallel()
	h := startTwoBots(t)
	h.second.Contact(asep.user, asep.user, asep.phone, asep.user)
	h.replyFrom(h.second, asep.user, 1, "Akun Anda sudah terhubung")

	const group = -100777
	h.second.Text(group, asep.user, "/grup BKPSDM")
	h.replyFrom(h.second, group, 1, "BKPSDM")
	if n := h.count(`SELECT count(*) FROM office_chats WHERE chat_id = ? AND account = 'bkpsdm'`, fmt.Sprint(group)); n != 1 {
		t.Fatalf("group linked with the bkpsdm bot: %d rows, want 1", n)
	}
	// The primary bot is in the group too: /status addressed to it is
	// ignored (the group's bot answers there).
	h.fake.Text(group, asep.user, "/status@piket_bot")
	h.second.Text(group, asep.user, "/status@piket_bkpsdm_bot")
	h.replyFrom(h.second, group, 2, "")
	h.settle()
	if got := h.fake.SentTo(group); len(got) != 0 {
		t.Errorf("the primary bot answered in the BKPSDM bot's group: %q", got[0].Text)
	}
}

// TestTelegramBotsPaceApart: a backlog on one bot does not hold up the
// other's messages, and neither bot is rate limited by the other's sends.
func TestTelegramBotsPaceApart(t *testing.T) {
	t.Parallel()
	h := startTwoBots(t)
	const backlog, few = 150, 5
	err := h.app.Store.Write(context.Background(), func(tx *store.Tx) error {
		for i := range backlog {
			if _, _, err := tx.Enqueue(context.Background(), store.OutMsg{Platform: string(bot.Telegram), ChatID: fmt.Sprint(9000 + i),
				Text: "pengingat", DedupeKey: fmt.Sprintf("remind:test:%d", i)}, time.Now()); err != nil {
				return err
			}
		}
		for i := range few {
			if _, _, err := tx.Enqueue(context.Background(), store.OutMsg{Platform: string(bot.Telegram), Account: "bkpsdm",
				ChatID: fmt.Sprint(8000 + i), Text: "balasan"}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.app.Dispatcher.Notify()
	h.waitFor("the BKPSDM bot's messages", 15*time.Second, func() bool { return len(h.second.Sent()) >= few })
	// The primary bot sends at most 30 a second: with a shared queue the
	// five would have waited for all 150 (five seconds).
	if sent := len(h.fake.Sent()); sent >= backlog {
		t.Errorf("the BKPSDM bot's %d messages waited for the primary bot's backlog: %d of %d sent first", few, sent, backlog)
	}
	h.waitFor("the backlog", 30*time.Second, func() bool { return len(h.fake.Sent()) >= backlog })
	if n := len(h.second.Sent()); n != few {
		t.Errorf("the BKPSDM bot sent %d messages, want %d (the backlog is the primary bot's)", n, few)
	}
	if a, b := h.fake.Count429(), h.second.Count429(); a+b != 0 {
		t.Errorf("429s: primary %d, bkpsdm %d; want none", a, b)
	}
}
