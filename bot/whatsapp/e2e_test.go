package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/outbox"
	"github.com/piket-id/piket/store"
)

// These tests run the adapter against Piket's real core: a bot.Service
// on a SQLite file, the outbox dispatcher sending through the adapter, and
// only the whatsmeow client faked.

var (
	headPN  = types.NewJID("6281234500001", types.DefaultUserServer) // office head, admin
	kabidPN = types.NewJID("6281234500002", types.DefaultUserServer) // Sari's supervisor
	sariPN  = types.NewJID("6281234500003", types.DefaultUserServer)
	putuPN  = types.NewJID("6281234500004", types.DefaultUserServer)
)

type e2e struct {
	t      *testing.T
	st     *store.Store
	svc    *bot.Service
	env    *testEnv
	out    *outbox.Dispatcher
	clock  *clock.Sim
	nextID atomic.Int64
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	ctx := context.Background()
	wita, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.ImportStaff(ctx, []store.StaffInput{
		{NIP: "197001011995031001", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: store.LevelEselon2, Phone: "+" + headPN.User, Roles: []string{"admin"}},
		{NIP: "197502022000031002", Name: "I Made Agus Wiryawan", Office: "DISKOMINFO", Level: store.LevelEselon3, SupervisorNIP: "197001011995031001", Phone: "+" + kabidPN.User},
		{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: "197502022000031002", Phone: "+" + sariPN.User},
		{NIP: "199606062020121002", Name: "I Putu Gede", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: "197502022000031002", Phone: "+" + putuPN.User},
	}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: time.Date(2020, 3, 1, 9, 0, 0, 0, wita)})
	if err != nil {
		t.Fatal(err)
	}
	e := &e2e{t: t, st: st, clock: clock.NewFrozen(time.Date(2020, 3, 18, 10, 0, 0, 0, wita))} // a Wednesday
	e.svc = bot.New(bot.Options{
		Store: st, Clock: e.clock.Now, Log: slog.New(slog.DiscardHandler),
		Policy: func(string) bot.OfficePolicy {
			return bot.OfficePolicy{Deadline: 8 * 60, Leave: bot.LeavePolicy{EscalateAfter: 15 * time.Minute, WorkStart: 7*60 + 30, WorkEnd: 16 * 60}}
		},
	})
	e.env = newTestAdapter(t, func(o *Options) {
		o.Handler = e.svc
		o.IDSalt = "e2e"
		o.Undeliverable = func(chat string, group bool, why string) {
			if err := e.svc.WarnUndeliverable(context.Background(), bot.WhatsApp, chat, group, why); err != nil {
				t.Errorf("WarnUndeliverable: %v", err)
			}
		}
	})
	e.out = outbox.New(outbox.Options{
		Store: st, Senders: map[bot.Platform]bot.Sender{bot.WhatsApp: e.env.a},
		Log: slog.New(slog.DiscardHandler), WatchEvery: -1,
	})
	return e
}

// deliver hands evt to the adapter as whatsmeow does and sends what the
// core queued.
func (e *e2e) deliver(evt *events.Message) {
	e.t.Helper()
	if !e.env.a.handleEvent(evt) {
		e.t.Fatalf("handler failed for %s", evt.Info.ID)
	}
	if err := e.out.Flush(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// say is a message from sender in chat, timestamped now.
func (e *e2e) say(chat, sender types.JID, m *waE2E.Message) *events.Message {
	return message(chat, sender, m, func(evt *events.Message) {
		evt.Info.ID = types.MessageID(fmt.Sprintf("3A%016d", e.nextID.Add(1)))
		evt.Info.Timestamp = e.clock.Now()
	})
}

// sentTo returns the texts sent to chat, and the last message's ID.
func (e *e2e) sentTo(chat types.JID) (texts []string, lastID types.MessageID) {
	for _, s := range e.env.client.sentMessages() {
		if s.to == chat {
			texts = append(texts, s.text)
			lastID = s.id
		}
	}
	return texts, lastID
}

func (e *e2e) link(pns ...types.JID) {
	for _, pn := range pns {
		e.deliver(e.say(pn, pn, text("halo")))
	}
}

// A 👍 reaction on a leave-home alert acknowledges the report; the
// reporter is told; a redelivered reaction changes nothing.
func TestE2EReactionAcknowledgesAlert(t *testing.T) {
	e := newE2E(t)
	e.link(kabidPN, sariPN)
	e.deliver(e.say(sariPN, sariPN, text("/keluar ke apotek, 1 jam")))
	alerts, alertID := e.sentTo(kabidPN)
	if len(alerts) == 0 || !strings.Contains(alerts[len(alerts)-1], "Laporan keluar rumah No.") || alertID == "" {
		t.Fatalf("no alert to the supervisor: %q", alerts)
	}
	before, _ := e.sentTo(sariPN)

	// Another reaction (a heart) acknowledges nothing.
	heart := e.say(kabidPN, kabidPN, reaction("❤️", string(alertID)))
	e.deliver(heart)
	if got, _ := e.sentTo(sariPN); len(got) != len(before) {
		t.Fatalf("a heart told the reporter: %q", got[len(before):])
	}

	thumbs := e.say(kabidPN, kabidPN, reaction("👍🏾", string(alertID)))
	e.deliver(thumbs)
	got, _ := e.sentTo(sariPN)
	if len(got) != len(before)+1 || !strings.Contains(got[len(got)-1], "sudah diterima oleh I Made Agus Wiryawan") {
		t.Fatalf("reporter told %q, want the acknowledgement", got[len(before):])
	}
	var acked int
	if err := e.st.DB().QueryRow(`SELECT count(*) FROM leave_reports WHERE acked_by IS NOT NULL`).Scan(&acked); err != nil || acked != 1 {
		t.Errorf("acknowledged reports: %d (%v), want 1", acked, err)
	}
	if toKabid, _ := e.sentTo(kabidPN); !strings.Contains(toKabid[len(toKabid)-1], "sudah Anda terima") {
		t.Errorf("supervisor told %q", toKabid[len(toKabid)-1])
	}

	// WhatsApp delivers the reaction again: stored once, answered once.
	n := len(e.env.client.sentMessages())
	e.deliver(thumbs)
	if m := len(e.env.client.sentMessages()); m != n {
		t.Errorf("redelivered reaction sent %d more messages", m-n)
	}
}

// The roster post to an office's WhatsApp group mentions everyone on duty
// who is linked on WhatsApp.
func TestE2ERosterPostMentionsOnDuty(t *testing.T) {
	e := newE2E(t)
	e.link(headPN, kabidPN, putuPN) // Sari is not linked
	e.deliver(e.say(groupJID, headPN, text("/grup DISKOMINFO")))
	day := civil.MustParse("2020-03-19")
	if err := e.svc.PostRoster(context.Background(), "DISKOMINFO", day); err != nil {
		t.Fatal(err)
	}
	if err := e.out.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	// Who is on duty, and which of them is linked on WhatsApp.
	offices, err := e.st.Offices(context.Background())
	if err != nil || len(offices) != 1 {
		t.Fatal(offices, err)
	}
	days, err := e.st.RosterDays(context.Background(), offices[0].ID, day, day)
	if err != nil || len(days) != 1 || len(days[0].Duty) == 0 {
		t.Fatalf("roster: %v %v", days, err)
	}
	linked := map[string]bool{headPN.User: true, kabidPN.User: true, putuPN.User: true}
	var want []string
	unlinked := 0
	for _, d := range days[0].Duty {
		st, err := e.st.StaffByID(context.Background(), d.StaffID)
		if err != nil {
			t.Fatal(err)
		}
		if pn := strings.TrimPrefix(st.Phone, "+"); linked[pn] {
			want = append(want, pn+"@s.whatsapp.net")
		} else {
			unlinked++
		}
	}
	if len(want) == 0 || unlinked == 0 {
		t.Fatalf("%d linked and %d unlinked on duty: the test proves little", len(want), unlinked)
	}
	var post *sent
	for _, s := range e.env.client.sentMessages() {
		if s.to == groupJID && strings.Contains(s.text, "Jadwal piket") && s.msg.GetExtendedTextMessage() != nil {
			post = &s
		}
	}
	if post == nil {
		t.Fatalf("no roster post with mentions in the group: %+v", e.env.client.sentMessages())
	}
	got := post.msg.GetExtendedTextMessage().GetContextInfo().GetMentionedJID()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("mentioned %q, want %q", got, want)
	}
	for _, jid := range want {
		if tag := "@" + strings.TrimSuffix(jid, "@s.whatsapp.net"); !strings.Contains(post.text, tag) {
			t.Errorf("post text lacks %s:\n%s", tag, post.text)
		}
	}
}

// A message to a group the bot was removed from ends as failed after one
// attempt, and the office admin is told privately, once.
func TestE2ESendToGroupBotLeft(t *testing.T) {
	e := newE2E(t)
	e.link(headPN)
	left := fmt.Errorf("failed to get group members: %w", fakeIQ(whatsmeow.ErrNotInGroup, 403))
	e.env.client.errFor = map[types.JID]error{groupJID: left}
	e.deliver(e.say(groupJID, headPN, text("/grup DISKOMINFO"))) // its reply goes to the group
	e.deliver(e.say(groupJID, headPN, text("/grup DISKOMINFO"))) // a second failing message the same day
	for range 3 {
		if err := e.out.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
	}

	var failed, attempts, pending int
	err := e.st.DB().QueryRow(`SELECT count(*), COALESCE(sum(attempts), 0) FROM outbox WHERE chat_id = ? AND status = 'failed'`,
		groupJID.String()).Scan(&failed, &attempts)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.DB().QueryRow(`SELECT count(*) FROM outbox WHERE status = 'pending'`).Scan(&pending); err != nil {
		t.Fatal(err)
	}
	e.env.client.mu.Lock()
	tries := e.env.client.attempts[groupJID]
	e.env.client.mu.Unlock()
	if failed != 2 || attempts != 2 || tries != 2 || pending != 0 {
		t.Errorf("group messages: %d failed after %d attempts (%d sends), %d pending; want 2 failed, one attempt each", failed, attempts, tries, pending)
	}
	warnings, _ := e.sentTo(headPN)
	var told []string
	for _, w := range warnings {
		if strings.Contains(w, "tidak menjadi anggota grup") {
			told = append(told, w)
		}
	}
	if len(told) != 1 || !strings.Contains(told[0], "DISKOMINFO") || !strings.Contains(told[0], groupJID.String()) {
		t.Errorf("admin told %q, want one warning naming the office group", told)
	}
}

// Someone not registered who addresses the bot in a group is told how to
// register in a private chat, once a day; the group hears nothing.
func TestE2EStrangerInGroupToldPrivately(t *testing.T) {
	e := newE2E(t)
	e.link(headPN)
	e.deliver(e.say(groupJID, headPN, text("/grup DISKOMINFO")))
	groupBefore, _ := e.sentTo(groupJID)

	stranger := types.NewJID("777777777777777", types.HiddenUserServer) // a LID nothing resolves
	unknownPN := types.NewJID("6289900000001", types.DefaultUserServer) // a number not in the staff data
	for _, who := range []types.JID{stranger, unknownPN} {
		e.deliver(e.say(groupJID, who, text("/hadir wfh")))
		e.deliver(e.say(groupJID, who, text("@bot hadir")))    // chatter: ignored
		e.deliver(e.say(groupJID, who, text("/hadir kantor"))) // the same day: not again
		got, _ := e.sentTo(who)
		if len(got) != 1 || !strings.Contains(got[0], "belum terdaftar di Piket") {
			t.Errorf("%s told privately %q, want one registration hint", who, got)
		}
	}
	if got, _ := e.sentTo(groupJID); len(got) != len(groupBefore) {
		t.Errorf("the group was answered: %q", got[len(groupBefore):])
	}

	// The next day, once more.
	e.clock.Advance(24 * time.Hour)
	e.deliver(e.say(groupJID, stranger, text("/hadir")))
	if got, _ := e.sentTo(stranger); len(got) != 2 {
		t.Errorf("the next day: %d hints, want 2 in all", len(got))
	}
}
