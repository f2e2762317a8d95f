package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/piket-id/piket/bot"
)

// outcomeOf returns the recorded outcome of an inbound message.
func (f *fixture) outcomeOf(id string) string {
	f.t.Helper()
	var o string
	if err := f.st.DB().QueryRow(`SELECT outcome FROM inbound WHERE message_id = ?`, id).Scan(&o); err != nil {
		f.t.Fatalf("outcome of %s: %v", id, err)
	}
	return o
}

// count runs a count(*) query.
func (f *fixture) count(q string) int {
	f.t.Helper()
	var n int
	if err := f.st.DB().QueryRow(q).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestAuthorizationMatrix sends every command from every kind of sender
// and checks what came of it. "+" means the command was carried out
// (outcome ok); anything else is the outcome recorded instead.
func TestAuthorizationMatrix(t *testing.T) {
	const nipUnknown = "198001012006041001" // a well-formed NIP not in the registry
	senders := []struct {
		name  string
		nip   string
		group bool
	}{
		{"unknown", nipUnknown, false},
		{"staff", nipSari, false},
		{"supervisor", nipKabid, false},
		{"admin", nipHead, false},
		{"group(admin)", nipHead, true},
		{"group(staff)", nipSari, true},
	}
	// Outcomes per sender, in the order above.
	cases := []struct {
		text string
		want [6]string
	}{
		{"/hadir wfh sehat", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/sakit demam", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/izin urusan keluarga", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/cuti tahunan", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/laporan menyusun laporan", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/status", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/bantuan", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/daftar", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/putus", [6]string{"unknown_sender", "rejected", "rejected", "rejected", "rejected", "rejected"}},
		{"/grup DISKOMINFO", [6]string{"unknown_sender", "rejected", "rejected", "rejected", "+", "denied"}},
		{"/grup BKPSDM", [6]string{"unknown_sender", "rejected", "rejected", "rejected", "denied", "denied"}},
		{"/rekap", [6]string{"unknown_sender", "denied", "+", "+", "+", "denied"}},
		{"/keluar_aktif", [6]string{"unknown_sender", "denied", "+", "+", "+", "denied"}},
		{"/ok 999", [6]string{"unknown_sender", "rejected", "rejected", "rejected", "rejected", "rejected"}},
		{"/kembali", [6]string{"unknown_sender", "rejected", "rejected", "rejected", "rejected", "rejected"}},
		{"/keluar 1 jam ke apotek", [6]string{"unknown_sender", "+", "+", "+", "rejected", "rejected"}},
		{"/piket", [6]string{"unknown_sender", "+", "+", "+", "+", "+"}},
		{"/tukar 2020-03-19 " + nipKabid, [6]string{"unknown_sender", "rejected", "rejected", "rejected", "rejected", "rejected"}},
		{"/setuju 999", [6]string{"unknown_sender", "rejected", "rejected", "rejected", "rejected", "rejected"}},
		{"/tolak 999", [6]string{"unknown_sender", "rejected", "rejected", "rejected", "rejected", "rejected"}},
	}
	var mismatches []string
	for _, c := range cases {
		for i, s := range senders {
			f := newFixture(t, "id") // a fresh registry per cell: no cell depends on another
			id := fmt.Sprintf("authz-%d", i)
			chat := s.nip
			if s.group {
				chat = "grup:DISKOMINFO"
			}
			f.deliver(bot.Inbound{Platform: bot.Console, MessageID: id, ChatID: chat, SenderID: s.nip,
				Group: s.group, Addressed: true, Text: c.text, Time: f.clock.Now()})
			got := f.outcomeOf(id)
			if got == bot.OutcomeOK {
				got = "+"
			}
			if got != c.want[i] {
				mismatches = append(mismatches, fmt.Sprintf("%-28q from %-13s: got %s, want %s", c.text, s.name, got, c.want[i]))
			}
			if s.name == "unknown" {
				if n := f.count(`SELECT count(*) FROM attendance`) + f.count(`SELECT count(*) FROM work_reports`) +
					f.count(`SELECT count(*) FROM identities`) + f.count(`SELECT count(*) FROM office_chats`); n != 0 {
					t.Errorf("%q from an unknown sender stored %d rows", c.text, n)
				}
			}
			if c.text == "/grup BKPSDM" || (c.text == "/grup DISKOMINFO" && c.want[i] != "+") {
				if n := f.count(`SELECT count(*) FROM office_chats`); n != 0 {
					t.Errorf("%q from %s linked a group", c.text, s.name)
				}
			}
		}
	}
	if len(mismatches) > 0 {
		t.Errorf("authorization matrix differs:\n%s", strings.Join(mismatches, "\n"))
	}
}

// A group message not addressed to the bot is never acted on, whoever
// sends it.
func TestGroupChatterNeverActs(t *testing.T) {
	f := newFixture(t, "id")
	for i, text := range []string{"hadir wfh", "/grup DISKOMINFO", "rekap", "putus"} {
		out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: fmt.Sprint("g", i), ChatID: "grup:DISKOMINFO",
			SenderID: nipHead, Group: true, Text: text, Time: f.clock.Now()})
		if len(out) != 0 {
			t.Errorf("%q: %d replies to group chatter", text, len(out))
		}
	}
	if n := f.count(`SELECT count(*) FROM attendance`) + f.count(`SELECT count(*) FROM office_chats`); n != 0 {
		t.Errorf("group chatter stored %d rows", n)
	}
}
