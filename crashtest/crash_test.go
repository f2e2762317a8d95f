// Package crashtest runs the real piket binary ("piket serve") as a child
// process against a platform that keeps its undelivered messages across
// restarts, kills it with SIGKILL at random points and checks that nothing
// acknowledged was lost or doubled: TestCrash on Telegram polling against
// a fake Bot API (tgfake), TestCrashWhatsApp on WhatsApp against the
// emulator (wafake). Run it with ./crashtest/run.sh (or PIKET_CRASH=1 go
// test -v ./crashtest); it is skipped otherwise.
package crashtest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/piket-id/piket/bot/telegram/tgfake"
	"github.com/piket-id/piket/store"
)

// firstUser is the Telegram user ID of the first generated person.
const firstUser = 5_000_000

func TestCrash(t *testing.T) {
	messages, kills := crashSize(t, "PIKET_CRASH_MESSAGES", 10000), 20
	ctx := context.Background()
	dir := t.TempDir()
	binary := buildPiket(t, dir)
	if binaryHas(t, binary, wafakeHookVar) {
		t.Errorf("the default build of piket contains the emulator hook (%s)", wafakeHookVar)
	}

	// The registry: one person per message, each with a linked Telegram
	// account (as after sharing their contact card).
	env, people := newRegistry(t, ctx, dir, messages)
	if err := env.Store.Write(ctx, func(tx *store.Tx) error {
		for i, p := range people {
			uid := strconv.Itoa(firstUser + i)
			if err := tx.LinkIdentity(ctx, p.ID, store.Identity{Platform: "telegram", ExternalID: uid, ChatID: uid}, time.Now()); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	env.Close()
	db := env.Path

	// Telegram, with its real rate limits, holding every check-in until
	// the bot confirms it (getUpdates offset), as api.telegram.org does.
	fake := tgfake.New(t, tgfake.Options{MaxPoll: 300 * time.Millisecond})
	for i := range messages {
		fake.PrivateText(int64(firstUser+i), fmt.Sprintf("hadir wfh sehat, rencana: pekerjaan %d", i))
	}
	cfg := writeConfig(t, dir, db, fmt.Sprintf(`telegram:
  enabled: true
  token: "%s"
  api_url: %s
`, fake.Token(), fake.URL()))

	// A sent message is matched to its outbox row by chat and text (each
	// person gets one check-in reply; the bot may also post the roster).
	markedAtKill := map[string]bool{} // messages marked sent when a process died
	var sentAfterMarked []string
	seen := 0           // fake.Sent() already checked against markedAtKill
	sentBeforeLast := 0 // messages sent by the processes that were killed
	checkSends := func() {
		sent := fake.Sent()
		for _, m := range sent[seen:] {
			if k := sentKey(m.ChatID, m.Text); markedAtKill[k] {
				sentAfterMarked = append(sentAfterMarked, k)
			}
		}
		seen = len(sent)
	}
	piket := newServer(binary, cfg)
	got429 := 0 // 429s seen so far, to tell which run drew them
	for run := 0; run <= kills; run++ {
		polls := fake.Calls("getUpdates")
		cmd := piket.start(t)
		if run < kills {
			// Anywhere from start-up through polling, handling and sending
			// (the dispatcher's first send waits a one-second warm-up).
			piket.killSoon(cmd, 150*time.Millisecond, 2500*time.Millisecond)
			if n := fake.Count429(); n > got429 {
				t.Logf("run %d: %d sends answered 429", run+1, n-got429)
				got429 = n
			}
			checkSends()
			sentBeforeLast = seen
			for _, k := range outboxKeys(t, db, true) {
				markedAtKill[k] = true
			}
			continue
		}
		// The last run: wait until every update is confirmed and every
		// reply marked sent, then stop it as an operator would.
		// Replies and roster notices (about 1.4 messages a person) go out
		// at Telegram's 30/s.
		// Polling, so past its signal handler's installation, even when
		// the killed runs left nothing to do.
		piket.await(t, cmd, func() bool {
			return fake.Calls("getUpdates") > polls && finished(t, fake, db, messages)
		}, func() string { return fmt.Sprintf("%d updates pending, %v", fake.Pending(), counts(t, db)) })
		piket.stop(t, cmd)
		if n := fake.Count429(); n > got429 {
			t.Logf("last run: %d sends answered 429", n-got429)
		}
		checkSends()
	}

	sends := map[string]int{}
	for _, m := range fake.Sent() {
		sends[sentKey(m.ChatID, m.Text)]++
	}
	twice := 0
	for _, n := range sends {
		if n > 1 {
			twice++
		}
	}
	queued := outboxKeys(t, db, false)
	never := 0
	for _, k := range queued {
		if sends[k] == 0 {
			never++
		}
	}
	c := counts(t, db)
	t.Logf("piket serve (Telegram polling) killed %d times; check-ins %d, confirmed to Telegram %d (pending %d); messages sent by the killed processes %d",
		kills, messages, messages-fake.Pending(), fake.Pending(), sentBeforeLast)
	t.Logf("inbound rows %d (distinct message IDs %d); attendance rows %d (distinct person-days %d); history rows %d",
		c["inbound"], c["inbound_distinct"], c["attendance"], c["attendance_distinct"], c["history"])
	t.Logf("outbox rows %d (check-in replies %d, roster notices %d), marked sent %d; never sent %d; sent more than once %d (killed between send and mark); sent again after marked sent %d; 429s %d",
		c["outbox"], c["replies"], c["outbox"]-c["replies"], c["outbox_sent"], never, twice, len(sentAfterMarked), fake.Count429())
	if fake.Pending() != 0 {
		t.Errorf("%d check-ins never confirmed", fake.Pending())
	}
	checkCounts(t, c, messages)
	if never > 0 {
		t.Errorf("%d queued messages never reached Telegram", never)
	}
	if len(sentAfterMarked) > 0 {
		t.Errorf("replies sent again after being marked sent, chats: %v", sentAfterMarked[:min(10, len(sentAfterMarked))])
	}
	if fake.Count429() != 0 {
		t.Errorf("%d sends answered 429", fake.Count429())
	}
}

// finished reports whether every update was confirmed, every check-in
// answered and everything queued marked sent.
func finished(t *testing.T, fake *tgfake.Server, db string, messages int) bool {
	if fake.Pending() != 0 {
		return false
	}
	c := counts(t, db)
	return c["replies"] == messages && c["outbox_sent"] == c["outbox"]
}

func sentKey(chat int64, text string) string { return strconv.FormatInt(chat, 10) + "\x00" + text }
