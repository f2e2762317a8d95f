//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
	"github.com/piket-id/piket/store"
)

// At 15:00 (WITA) the scheduler posts the next working day's roster into
// the office's linked WhatsApp group, with an @mention of each person on
// duty (their LID: the group is LID-addressed, as WhatsApp clients do),
// and each rotating person on duty gets a private reminder.
func TestWhatsAppRosterPostMentions(t *testing.T) {
	h, cfg := newHarness(t)
	h.start(cfg, time.Date(2026, 3, 16, 14, 58, 0, 0, wita)) // Monday
	db := h.app.Store.DB()

	// Every DISKOMINFO staff member is in the office group and has written
	// to the bot before (their WhatsApp linked by number, as their first
	// private message does; stored directly to keep the test short).
	type member struct {
		id   int64
		name string
		u    *wafake.User
	}
	rows, err := db.QueryContext(h.ctx, `SELECT s.id, s.name, s.phone FROM staff s JOIN offices o ON o.id = s.office_id
		WHERE o.code = 'DISKOMINFO' ORDER BY s.id`)
	if err != nil {
		t.Fatal(err)
	}
	var members []member
	for rows.Next() {
		var m member
		var phone string
		if err := rows.Scan(&m.id, &m.name, &phone); err != nil {
			t.Fatal(err)
		}
		number := strings.TrimPrefix(phone, "+")
		if m.u, err = h.srv.User(h.ctx, number, m.name); err != nil {
			t.Fatal(err)
		}
		members = append(members, m)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(members) < 20 {
		t.Fatalf("%d DISKOMINFO staff in the sample", len(members))
	}
	numbers := []string{botNumber}
	byID := map[int64]member{}
	for _, m := range members {
		numbers = append(numbers, m.u.JID().User)
		byID[m.id] = m
	}
	g := h.srv.NewGroup("120363000000000044", "Piket DISKOMINFO", true, numbers...)
	sukadana, err := h.srv.User(h.ctx, sukadanaNumber, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sukadana.SendGroupText(h.ctx, g, "/grup DISKOMINFO"); err != nil {
		t.Fatal(err)
	}
	h.waitGroupText(sukadana, g.JID().User, "Grup ini sekarang terhubung dengan")
	if err := h.app.Store.Write(h.ctx, func(tx *store.Tx) error {
		for _, m := range members {
			if m.u == sukadana {
				continue // linked by /grup
			}
			n := m.u.JID().User
			if err := tx.LinkIdentity(h.ctx, m.id, store.Identity{Platform: "whatsapp", ExternalID: n, ChatID: m.u.JID().String()}, monday0730); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// (/grup linked Sukadana by number, his chat being his LID there; a
	// first private message links the number and its phone-number chat.)
	var sukadanaID string
	if err := db.QueryRowContext(h.ctx, `SELECT i.external_id FROM identities i JOIN staff s ON s.id = i.staff_id
		WHERE i.platform = 'whatsapp' AND s.name = 'I Made Sukadana'`).Scan(&sukadanaID); err != nil || sukadanaID != sukadanaNumber {
		t.Fatalf("Sukadana's identity from /grup: %q, %v; want his number", sukadanaID, err)
	}

	h.app.Clock.Set(time.Date(2026, 3, 16, 15, 0, 0, 0, wita))
	h.app.Scheduler.Tick(context.Background())
	var day string
	if err := db.QueryRowContext(h.ctx, `SELECT r.day FROM roster_days r JOIN offices o ON o.id = r.office_id
		WHERE o.code = 'DISKOMINFO' AND r.published_at IS NOT NULL AND r.day > '2026-03-16'`).Scan(&day); err != nil {
		t.Fatalf("no roster published at 15:00: %v", err)
	}
	if day != "2026-03-17" {
		t.Fatalf("roster published for %s, want the next working day 2026-03-17", day)
	}
	drows, err := db.QueryContext(h.ctx, `SELECT d.staff_id, d.fixed FROM roster_duty d JOIN offices o ON o.id = d.office_id
		WHERE o.code = 'DISKOMINFO' AND d.day = ?`, day)
	if err != nil {
		t.Fatal(err)
	}
	var duty []member
	var rotating []member
	for drows.Next() {
		var id int64
		var fixed bool
		if err := drows.Scan(&id, &fixed); err != nil {
			t.Fatal(err)
		}
		duty = append(duty, byID[id])
		if !fixed {
			rotating = append(rotating, byID[id])
		}
	}
	if err := drows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(rotating) == 0 {
		t.Fatalf("nobody rotating on duty on %s", day)
	}

	// The post, as a member who is not on duty reads it.
	var reader *wafake.User
	for _, m := range members {
		if !slices.ContainsFunc(duty, func(d member) bool { return d.id == m.id }) {
			reader = m.u
			break
		}
	}
	// (Linking the group posted the current, Monday, roster, before anyone
	// was linked to mention.)
	const tuesday = "Jadwal piket DISKOMINFO\nSelasa, 17 Maret 2026"
	post := h.waitGroupMessage(reader, g.JID().User, tuesday)
	mentioned := post.Message.GetExtendedTextMessage().GetContextInfo().GetMentionedJID()
	text := post.Message.GetExtendedTextMessage().GetText()
	if len(mentioned) != len(duty) {
		t.Errorf("post mentions %d people, want the %d on duty: %v", len(mentioned), len(duty), mentioned)
	}
	for _, d := range duty {
		if !slices.Contains(mentioned, d.u.LID().String()) {
			t.Errorf("%s (on duty, LID %s) not mentioned: %v", d.name, d.u.LID(), mentioned)
		}
		if !strings.Contains(text, "@"+d.u.LID().User) {
			t.Errorf("post text lacks @%s for %s:\n%s", d.u.LID().User, d.name, text)
		}
	}
	for _, d := range duty {
		h.waitGroupText(d.u, g.JID().User, tuesday)
	}
	for _, d := range rotating {
		r := h.waitMessage(d.u, "Anda bertugas piket di kantor (DISKOMINFO)")
		if r.Chat.Server != types.DefaultUserServer && r.Chat.Server != types.HiddenUserServer {
			t.Errorf("%s's reminder went to %s, want their private chat", d.name, r.Chat)
		}
	}
	// Nobody else is reminded.
	h.waitOutboxEmpty()
	for _, m := range members {
		if slices.ContainsFunc(rotating, func(d member) bool { return d.id == m.id }) {
			continue
		}
		for _, r := range m.u.Inbox() {
			if strings.Contains(r.Message.GetConversation()+r.Message.GetExtendedTextMessage().GetText(), "Anda bertugas piket") {
				t.Errorf("%s, not on rotating duty, got a reminder", m.name)
			}
		}
	}
}

// waitGroupMessage is waitGroupText returning the message.
func (h *harness) waitGroupMessage(u *wafake.User, group, want string) wafake.Received {
	h.t.Helper()
	for n := 1; ; n++ {
		inbox, err := u.WaitInbox(h.ctx, n)
		if err != nil {
			h.t.Fatalf("%s: no group message containing %q: %v (errors %v)", u.Name(), want, err, u.Errors())
		}
		r := inbox[n-1]
		if r.Chat.User == group && strings.Contains(r.Message.GetConversation()+r.Message.GetExtendedTextMessage().GetText(), want) {
			return r
		}
	}
}
