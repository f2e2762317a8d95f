//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wafake_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// messages returns the messages with content the recorder saw, by ID.
// (A first group message also yields an event carrying only the sender
// key distribution, under the same ID.)
func messages(rec *recorder) map[string]*events.Message {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make(map[string]*events.Message)
	for _, e := range rec.events {
		if m, ok := e.(*events.Message); ok && m.Message.GetSenderKeyDistributionMessage() == nil {
			out[m.Info.ID] = m
		}
	}
	return out
}

func isMessage(id string) func(any) bool {
	return func(e any) bool {
		m, ok := e.(*events.Message)
		return ok && m.Info.ID == id && m.Message.GetSenderKeyDistributionMessage() == nil
	}
}

// isReceipt matches the delivery receipt by which whatsmeow confirms a
// message it handled.
func isReceipt(id string) func(wafake.Stanza) bool {
	return func(st wafake.Stanza) bool {
		return st.Node.Tag == "receipt" && st.Node.Attrs["id"] == id
	}
}

func TestUserMessagesReachTheClient(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	cli, bot := linkedClient(t, ctx, srv, openStore(t, ctx), "6281300000001")
	rec := connect(t, ctx, cli)
	ani, err := srv.User(ctx, "6281300000101", "Ani")
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2026, 12, 2, 7, 31, 0, 0, time.UTC)
	tests := []struct {
		name string
		opts wafake.SendOptions
		text string
	}{
		{"first (pkmsg), from the phone number", wafake.SendOptions{Time: sent}, "hadir wfh, sehat"},
		{"second, from the LID", wafake.SendOptions{Time: sent.Add(time.Minute), FromLID: true}, "/laporan menyusun SPJ"},
	}
	for _, tt := range tests {
		id, err := ani.Send(ctx, bot, textMessage(tt.text), tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		rec.waitN(t, ctx, tt.name, 1, isMessage(id))
		m := messages(rec)[id]
		if got := m.Message.GetConversation(); got != tt.text {
			t.Errorf("%s: text = %q, want %q", tt.name, got, tt.text)
		}
		if !m.Info.Timestamp.Equal(tt.opts.Time) {
			t.Errorf("%s: timestamp = %v, want %v", tt.name, m.Info.Timestamp, tt.opts.Time)
		}
		if m.Info.PushName != "Ani" || m.Info.IsGroup || m.Info.IsFromMe {
			t.Errorf("%s: info = %+v", tt.name, m.Info.MessageSource)
		}
		if pn, lid := m.Info.Sender.ToNonAD(), m.Info.SenderAlt.ToNonAD(); tt.opts.FromLID && (pn != ani.LID() || lid != ani.JID()) ||
			!tt.opts.FromLID && (pn != ani.JID() || lid != ani.LID()) {
			t.Errorf("%s: sender %s alt %s", tt.name, m.Info.Sender, m.Info.SenderAlt)
		}
		// The client confirms the message (after its handlers ran) with a
		// delivery receipt to the sender.
		waitStanzas(t, ctx, srv, "receipt "+id, 1, isReceipt(id))
		if n := srv.Pending(bot); n != 0 {
			t.Errorf("%s: %d messages still unconfirmed", tt.name, n)
		}
	}
}

func TestOfflineMessagesDeliveredOnReconnect(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	container := openStore(t, ctx)
	cli, bot := linkedClient(t, ctx, srv, container, "6281300000002")
	connect(t, ctx, cli)
	cli.Disconnect()
	if err := srv.WaitLoggedOut(ctx, bot); err != nil {
		t.Fatal(err)
	}
	budi, err := srv.User(ctx, "6281300000102", "Budi")
	if err != nil {
		t.Fatal(err)
	}
	sent := time.Date(2026, 12, 2, 7, 15, 0, 0, time.UTC)
	var ids []string
	for i, text := range []string{"hadir", "/laporan rapat zoom"} {
		id, err := budi.Send(ctx, bot, textMessage(text), wafake.SendOptions{Time: sent.Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// Reconnect: both arrive with their original times, then the offline
	// sync completes.
	rec := connect(t, ctx, cli)
	for i, id := range ids {
		rec.waitN(t, ctx, "offline message", 1, isMessage(id))
		if got := messages(rec)[id].Info.Timestamp; !got.Equal(sent.Add(time.Duration(i) * time.Minute)) {
			t.Errorf("message %d timestamp = %v", i, got)
		}
		waitStanzas(t, ctx, srv, "receipt", 1, isReceipt(id))
	}
	rec.waitN(t, ctx, "OfflineSyncCompleted", 1, func(e any) bool {
		oc, ok := e.(*events.OfflineSyncCompleted)
		return ok && oc.Count == 2
	})
}

func TestConversationBothWays(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	cli, bot := linkedClient(t, ctx, srv, openStore(t, ctx), "6281300000003")
	rec := connect(t, ctx, cli)
	ani, err := srv.User(ctx, "6281300000103", "Ani")
	if err != nil {
		t.Fatal(err)
	}

	// Ani writes first (pkmsg); the bot answers in her chat.
	id, err := ani.SendText(ctx, bot, "hadir")
	if err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "Ani's message", 1, isMessage(id))
	chat := messages(rec)[id].Info.Chat
	if _, err := cli.SendMessage(ctx, chat, textMessage("Terima kasih, absen tercatat 07.31.")); err != nil {
		t.Fatal(err)
	}
	inbox, err := ani.WaitInbox(ctx, 1)
	if err != nil {
		t.Fatalf("%v (errors: %v)", err, ani.Errors())
	}
	if got := inbox[0].Message.GetConversation(); got != "Terima kasih, absen tercatat 07.31." || inbox[0].From != bot {
		t.Errorf("Ani received %q from %s", got, inbox[0].From)
	}

	// Now that the session is confirmed both ways, Ani's next message is a
	// plain msg, which the client decrypts as well.
	id2, err := ani.SendText(ctx, bot, "/laporan selesai")
	if err != nil {
		t.Fatal(err)
	}
	waitStanzas(t, ctx, srv, "receipt", 1, isReceipt(id2))
	rec.waitN(t, ctx, "Ani's second message", 1, isMessage(id2))
	if got := messages(rec)[id2].Message.GetConversation(); got != "/laporan selesai" {
		t.Errorf("second message = %q", got)
	}
	if types := srv.EncTypes(id, id2); types[0] != "pkmsg" || types[1] != "msg" {
		t.Errorf("enc types = %v, want [pkmsg msg]", types)
	}

	// The bot writes first to Citra: device list and pre-key fetch, then a
	// pkmsg she decrypts with her own store.
	citra, err := srv.User(ctx, "6281300000104", "Citra")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.SendMessage(ctx, citra.JID(), textMessage("Pengingat: besok Anda piket.")); err != nil {
		t.Fatal(err)
	}
	inbox, err = citra.WaitInbox(ctx, 1)
	if err != nil {
		t.Fatalf("%v (errors: %v)", err, citra.Errors())
	}
	if got := inbox[0]; got.Message.GetConversation() != "Pengingat: besok Anda piket." || got.Type != "pkmsg" {
		t.Errorf("Citra received %q (%s)", got.Message.GetConversation(), got.Type)
	}
}

func TestSendFailures(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	cli, _ := linkedClient(t, ctx, srv, openStore(t, ctx), "6281300000005")
	connect(t, ctx, cli)
	dewi, err := srv.User(ctx, "6281300000105", "Dewi")
	if err != nil {
		t.Fatal(err)
	}
	srv.FailSends(429, 500)
	for _, code := range []string{"429", "500"} {
		_, err := cli.SendMessage(ctx, dewi.JID(), textMessage("refused"))
		if !errors.Is(err, whatsmeow.ErrServerReturnedError) || !strings.HasSuffix(err.Error(), code) {
			t.Errorf("send = %v, want server error %s", err, code)
		}
	}
	if _, err := cli.SendMessage(ctx, dewi.JID(), textMessage("accepted")); err != nil {
		t.Fatal(err)
	}
	inbox, err := dewi.WaitInbox(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 1 || inbox[0].Message.GetConversation() != "accepted" {
		t.Errorf("inbox = %+v, want only the accepted message", inbox)
	}
}

// A message whose handler fails is not confirmed; WhatsApp delivers it
// again on the next connection, and whatsmeow's decrypted-event buffer
// lets it be read again. Once confirmed, a duplicate delivery of the same
// ID does not reach the handlers.
func TestUnconfirmedMessageIsRedelivered(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	cli, bot := linkedClient(t, ctx, srv, openStore(t, ctx), "6281300000006")
	var (
		mu    sync.Mutex
		calls int
	)
	rec := newRecorder(cli) // before the failing handler: whatsmeow stops at a failure
	cli.AddEventHandlerWithSuccessStatus(func(evt any) bool {
		if _, ok := evt.(*events.Message); !ok {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		calls++
		return calls > 1 // the first attempt fails
	})
	if err := cli.Connect(); err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "Connected", 1, is[*events.Connected])
	eka, err := srv.User(ctx, "6281300000106", "Eka")
	if err != nil {
		t.Fatal(err)
	}
	id, err := eka.SendText(ctx, bot, "hadir")
	if err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "first delivery", 1, isMessage(id))
	// No receipt: still pending on the server.
	if n := srv.Pending(bot); n != 1 {
		t.Fatalf("pending = %d, want 1", n)
	}
	if err := srv.Drop(bot); err != nil {
		t.Fatal(err)
	}
	rec.waitN(t, ctx, "redelivery", 2, isMessage(id))
	waitStanzas(t, ctx, srv, "receipt", 1, isReceipt(id))
	if n := srv.Pending(bot); n != 0 {
		t.Errorf("pending after redelivery = %d, want 0", n)
	}

	// A duplicate of a confirmed message.
	if err := srv.Redeliver(bot, id); err != nil {
		t.Fatal(err)
	}
	waitStanzas(t, ctx, srv, "receipt of the duplicate", 2, func(st wafake.Stanza) bool {
		return (st.Node.Tag == "receipt" || st.Node.Tag == "ack") && st.Node.Attrs["id"] == id
	})
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 {
		t.Errorf("handler calls = %d, want 2 (failed, then succeeded; the duplicate is dropped)", calls)
	}
}

// A second login of a device takes over what the first connection was
// sent and did not confirm: a client killed and restarted at once logs in
// again before the server has seen its old socket close, and must still
// get its unconfirmed messages.
func TestNewLoginTakesOverUnconfirmed(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	container := openStore(t, ctx)
	old, bot := linkedClient(t, ctx, srv, container, "6281300000007")
	oldRec := newRecorder(old)
	old.AddEventHandlerWithSuccessStatus(func(evt any) bool {
		_, ok := evt.(*events.Message)
		return !ok // never confirms a message
	})
	if err := old.Connect(); err != nil {
		t.Fatal(err)
	}
	oldRec.waitN(t, ctx, "Connected", 1, is[*events.Connected])
	dewi, err := srv.User(ctx, "6281300000107", "Dewi")
	if err != nil {
		t.Fatal(err)
	}
	id, err := dewi.SendText(ctx, bot, "hadir")
	if err != nil {
		t.Fatal(err)
	}
	oldRec.waitN(t, ctx, "delivery to the first connection", 1, isMessage(id))

	// The same device logs in again while the first connection is open.
	dev, err := container.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli := client(t, srv, dev)
	rec := connect(t, ctx, cli)
	rec.waitN(t, ctx, "delivery to the new connection", 1, isMessage(id))
	waitStanzas(t, ctx, srv, "receipt", 1, isReceipt(id))
	if n := srv.Pending(bot); n != 0 {
		t.Errorf("pending = %d, want 0", n)
	}
	if n := srv.Logins(bot); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
}
