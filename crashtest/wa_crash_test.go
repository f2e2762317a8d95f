package crashtest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// wafakeHookVar is the variable cmd/piket/wafake.go reads: only a binary
// built with -tags wafake contains it.
const wafakeHookVar = "PIKET_WAFAKE_ADDR"

// waBotNumber is the bot's WhatsApp number; generated staff numbers
// start 6281, 6283 or 6285.
const waBotNumber = "6289900000000"

// TestCrashWhatsApp is TestCrash on WhatsApp: the real piket binary, built
// with -tags wafake (cmd/piket/wafake.go routes its whatsmeow client to
// the emulator), runs `piket serve` on a session linked to the emulator in
// this process. Fake staff send check-ins, encrypted with their own Signal
// stores, some while the bot is down (the offline queue) and some while it
// runs; the emulator keeps each message until the bot's receipt and
// delivers it again on the next login, as WhatsApp does. The test kills
// the binary with SIGKILL 20 times, then checks that every check-in is
// stored exactly once and every reply reached its sender at least once.
func TestCrashWhatsApp(t *testing.T) {
	messages, kills := crashSize(t, "PIKET_CRASH_WA_MESSAGES", 1000), 20
	ctx := context.Background()
	dir := t.TempDir()
	binary := buildPiket(t, dir, "wafake")
	if !binaryHas(t, binary, wafakeHookVar) {
		t.Fatalf("piket built with -tags wafake has no emulator hook (%s)", wafakeHookVar)
	}

	// The registry: one person per message, recognised by phone number.
	env, people := newRegistry(t, ctx, dir, messages)
	env.Close()
	db := env.Path

	srv := wafake.New(wafake.Options{Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	defer srv.Close()
	users := make([]*wafake.User, len(people))
	byNumber := make(map[string]int, len(people))
	for i, p := range people {
		number := strings.TrimPrefix(p.Phone, "+")
		var err error
		if users[i], err = srv.User(ctx, number, p.Name); err != nil {
			t.Fatal(err)
		}
		byNumber[number] = i
	}
	// The session file as `piket whatsapp pair` leaves it.
	session := filepath.Join(dir, "piket-whatsapp.db")
	bot := linkBot(t, ctx, srv, session)

	cfg := writeConfig(t, dir, db, fmt.Sprintf(`whatsapp:
  enabled: true
  session_db: %s
  per_chat_interval: 100ms
  global_interval: 20ms
  jitter: -1ms
`, session))

	// The staff write in: three quarters before the bot's first start, so
	// that every login gets a backlog from the offline queue (each run is
	// busy when it is killed), the rest while the bot is killed and
	// restarted, spread over the killed runs.
	sent := make([]string, messages) // message ID of each person's check-in
	var sendErr error
	var producer sync.WaitGroup
	send := func(i int) {
		id, err := users[i].SendText(ctx, bot, fmt.Sprintf("hadir wfh sehat, rencana: pekerjaan %d", i))
		if err != nil && sendErr == nil {
			sendErr = err
		}
		sent[i] = id
	}
	first := messages * 3 / 4
	for i := range first {
		send(i)
	}
	// Spread over about the time the killed runs take (1.6 s each on
	// average, with start-up).
	every := time.Duration(kills) * 1600 * time.Millisecond / time.Duration(messages-first)
	pctx, stopProducer := context.WithCancel(ctx)
	defer func() { stopProducer(); producer.Wait() }() // before srv.Close
	producer.Go(func() {
		for i := first; i < messages && pctx.Err() == nil; i++ {
			send(i)
			time.Sleep(every)
		}
	})

	markedAtKill := map[string]bool{} // IDs of replies marked sent when a process died
	var sentAfterMarked []string
	seen := 0                      // stanzas of srv.Received() already checked against markedAtKill
	sentBeforeLast := 0            // replies the killed processes sent
	receipted := map[string]bool{} // check-ins the bot confirmed
	accepted := map[string]bool{}  // messages the bot sent
	// Whenever a process has ended: whatever it confirmed is stored, and
	// whatever is marked sent was sent.
	confirmedNotStored, markedNotSent := map[string]bool{}, map[string]bool{}
	checkSends := func() {
		st := srv.Received()
		for _, s := range st[seen:] {
			id, _ := s.Node.Attrs["id"].(string)
			switch {
			case s.Node.Tag == "message":
				if markedAtKill[id] {
					sentAfterMarked = append(sentAfterMarked, id)
				}
				accepted[id] = true
			case s.Node.Tag == "receipt" && s.Node.Attrs["type"] != "retry":
				receipted[id] = true
			}
		}
		seen = len(st)
		stored := inboundIDs(t, db)
		for id := range receipted {
			if !stored[id] {
				confirmedNotStored[id] = true
			}
		}
		for _, r := range waOutbox(t, db) {
			if r.sent && !accepted[r.id] {
				markedNotSent[r.id] = true
			}
		}
	}
	piket := newServer(binary, cfg, wafakeHookVar+"="+srv.Addr())
	busyKills := 0 // kills of a logged-in process with work left
	unsent := func(c map[string]int) bool { return c["outbox_sent"] < c["outbox"] }
	for run := 0; run <= kills; run++ {
		logins := srv.Logins(bot)
		cmd := piket.start(t)
		if run < kills {
			// Anywhere from start-up (opening both databases, the Noise
			// handshake, login) through handling and sending.
			piket.killSoon(cmd, 200*time.Millisecond, 3*time.Second)
			waitGone(t, srv, bot)
			if srv.Logins(bot) > logins && (srv.Pending(bot) > 0 || unsent(counts(t, db))) {
				busyKills++
			}
			checkSends()
			sentBeforeLast = srv.CountStanzas(isMessage)
			for _, r := range waOutbox(t, db) {
				if r.sent {
					markedAtKill[r.sentID] = true
				}
			}
			continue
		}
		// The last run: wait until every check-in is confirmed and every
		// reply marked sent and read by its addressee, then stop it as an
		// operator would.
		producer.Wait()
		if sendErr != nil {
			cmd.kill()
			t.Fatalf("a fake user could not send: %v", sendErr)
		}
		// Logged in, so past its signal handler's installation, whatever
		// the killed runs left to do.
		piket.await(t, cmd, func() bool {
			return srv.Logins(bot) > logins && waFinished(t, srv, bot, users, byNumber, db)
		}, func() string {
			return fmt.Sprintf("%d messages to the bot unconfirmed, %v", srv.Pending(bot), counts(t, db))
		})
		piket.stop(t, cmd)
		waitGone(t, srv, bot)
		checkSends()
	}

	// What the fake users read, by message ID; replies by ID too: each
	// outbox row goes out under the same stable ID on every attempt.
	got := map[string]int{}
	readErrs := 0
	for _, u := range users {
		for _, r := range u.Inbox() {
			got[r.ID]++
		}
		readErrs += len(u.Errors())
	}
	rows := waOutbox(t, db)
	never, twice, wrongChat, otherID := 0, 0, 0, 0
	for _, r := range rows {
		if r.sent && r.sentID != r.id {
			otherID++
		}
		switch n := got[r.id]; {
		case n == 0:
			never++
		case n > 1:
			twice++
		}
		if i, ok := byNumber[strings.TrimSuffix(r.chat, "@"+types.DefaultUserServer)]; !ok || !inboxHas(users[i], r.id) {
			wrongChat++
		}
	}
	stored := inboundIDs(t, db)
	unstored := 0
	for _, id := range sent {
		if !stored[id] {
			unstored++
		}
	}
	retries := srv.CountStanzas(func(s wafake.Stanza) bool {
		return s.Node.Tag == "receipt" && s.Node.Attrs["type"] == "retry"
	})
	c := counts(t, db)
	t.Logf("piket serve (WhatsApp, emulator) killed %d times (%d logged in with work left); logins %d; check-ins %d, confirmed by receipt %d (pending %d); messages sent by the killed processes %d",
		kills, busyKills, srv.Logins(bot), messages, messages-srv.Pending(bot), srv.Pending(bot), sentBeforeLast)
	t.Logf("after each kill: check-ins confirmed but not stored %d, replies marked sent but not sent %d", len(confirmedNotStored), len(markedNotSent))
	t.Logf("inbound rows %d (distinct message IDs %d, check-ins not stored %d); attendance rows %d (distinct person-days %d); history rows %d",
		c["inbound"], c["inbound_distinct"], unstored, c["attendance"], c["attendance_distinct"], c["history"])
	t.Logf("outbox rows %d (check-in replies %d, others %d), marked sent %d; never read by the addressee %d; read more than once %d (killed between send and mark); sent again after marked sent %d; retry receipts %d; undecryptable at users %d",
		c["outbox"], c["replies"], c["outbox"]-c["replies"], c["outbox_sent"], never, twice, len(sentAfterMarked), retries, readErrs)
	if n := srv.Pending(bot); n != 0 {
		t.Errorf("%d check-ins never confirmed", n)
	}
	if len(confirmedNotStored) > 0 || len(markedNotSent) > 0 {
		t.Errorf("when a process ended, %d check-ins were confirmed but not stored, %d replies marked sent but not sent", len(confirmedNotStored), len(markedNotSent))
	}
	if unstored > 0 {
		t.Errorf("%d check-ins not stored", unstored)
	}
	checkCounts(t, c, messages)
	if never > 0 || wrongChat > 0 {
		t.Errorf("%d queued messages never read by anyone, %d not by their addressee", never, wrongChat)
	}
	if otherID > 0 {
		t.Errorf("%d messages marked sent under another ID than their outbox row's", otherID)
	}
	if len(sentAfterMarked) > 0 {
		t.Errorf("replies sent again after being marked sent, IDs: %v", sentAfterMarked[:min(10, len(sentAfterMarked))])
	}
	if retries > 0 || readErrs > 0 {
		t.Errorf("%d retry receipts from the bot, %d messages the users could not decrypt", retries, readErrs)
	}
}

// linkBot links a fresh session file at path to the bot's number on srv.
func linkBot(t *testing.T, ctx context.Context, srv *wafake.Server, path string) types.JID {
	t.Helper()
	c, err := whatsapp.OpenStore(ctx, path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dev, err := c.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	jid, err := srv.Phone(waBotNumber).Link(ctx, dev)
	if err != nil {
		t.Fatal(err)
	}
	return jid
}

// waitGone waits until the emulator has read the socket of a process
// that ended to its end, so that every message the process sent is
// recorded.
func waitGone(t *testing.T, srv *wafake.Server, bot types.JID) {
	t.Helper()
	if err := srv.WaitLoggedOut(runnerContext(t), bot); err != nil {
		t.Fatalf("the emulator still sees the ended process: %v", err)
	}
}

func isMessage(s wafake.Stanza) bool { return s.Node.Tag == "message" }

// waFinished reports whether every check-in was confirmed and everything
// queued marked sent and read by its addressee. A check-in is answered in
// the transaction that stores it, before it is confirmed; one confirmed
// without being stored (a lost message) is not waited for: the checks
// after the last run report it.
func waFinished(t *testing.T, srv *wafake.Server, bot types.JID, users []*wafake.User, byNumber map[string]int, db string) bool {
	if srv.Pending(bot) != 0 {
		return false
	}
	if c := counts(t, db); c["outbox_sent"] != c["outbox"] {
		return false
	}
	for _, r := range waOutbox(t, db) {
		i, ok := byNumber[strings.TrimSuffix(r.chat, "@"+types.DefaultUserServer)]
		if ok && !inboxHas(users[i], r.id) {
			return false
		}
	}
	return true
}

func inboxHas(u *wafake.User, id string) bool {
	for _, r := range u.Inbox() {
		if r.ID == id {
			return true
		}
	}
	return false
}
