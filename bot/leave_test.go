package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/store"
)

// The leave-home chain in DISKOMINFO (WITA):
// Sari → Lestari (eselon4) → Ariyani (eselon3) → Head (eselon2, admin);
// Sukadana is a pelaksana and an admin; Kadek is Sari's colleague.
const (
	lvHead     = "197008141995031004"
	lvAriyani  = "197605122000122002"
	lvLestari  = "198204102008012011"
	lvSari     = "199203142015032001"
	lvKadek    = "199408082019031006"
	lvSukadana = "198909302014031003"
	lvAgus     = "199001102015031003" // BKPSDM, no supervisor on record
	lvBudi     = "198505052010011005" // BKPSDM admin
)

type leaveFix struct {
	t     *testing.T
	path  string
	st    *store.Store
	svc   *bot.Service
	clock *clock.Sim
	seen  map[int64]bool
	seq   int
}

func newLeaveFix(t *testing.T) *leaveFix {
	t.Helper()
	ctx := context.Background()
	f := &leaveFix{t: t, path: filepath.Join(t.TempDir(), "piket.db"), seen: map[int64]bool{},
		clock: clock.NewFrozen(time.Date(2020, 3, 18, 10, 0, 0, 0, wita))} // a Wednesday
	f.open()
	_, err := f.st.ImportStaff(ctx, []store.StaffInput{
		{NIP: lvHead, Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: store.LevelEselon2, Roles: []string{"admin"}},
		{NIP: lvAriyani, Name: "Ni Luh Putu Ariyani", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelEselon3, SupervisorNIP: lvHead},
		{NIP: lvLestari, Name: "Ni Made Dwi Lestari", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelEselon4, SupervisorNIP: lvAriyani},
		{NIP: lvSari, Name: "Ni Made Sari", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: lvLestari},
		{NIP: lvKadek, Name: "I Kadek Dwi Pranata", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: lvLestari},
		{NIP: lvSukadana, Name: "I Made Sukadana", Office: "DISKOMINFO", Division: "Sekretariat", Level: store.LevelPelaksana, SupervisorNIP: lvAriyani, Roles: []string{"admin"}},
		{NIP: lvAgus, Name: "Agus Setiawan", Office: "BKPSDM", Level: store.LevelPelaksana},
		{NIP: lvBudi, Name: "Budi Santoso", Office: "BKPSDM", Level: store.LevelPelaksana, Roles: []string{"admin"}},
	}, store.ImportOptions{DefaultTZ: "Asia/Jakarta", OfficeTZ: map[string]string{"DISKOMINFO": "Asia/Makassar"}, Now: f.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.st.Close() })
	return f
}

// open opens the store and builds a fresh Service (as after a restart).
func (f *leaveFix) open() {
	f.t.Helper()
	st, err := store.Open(context.Background(), f.path, store.Options{})
	if err != nil {
		f.t.Fatal(err)
	}
	f.st = st
	f.svc = bot.New(bot.Options{
		Store: st, Clock: f.clock.Now, Implicit: []bot.Addresser{consoleAddr{}},
		Policy: func(string) bot.OfficePolicy {
			return bot.OfficePolicy{Deadline: 8 * 60, Leave: bot.LeavePolicy{EscalateAfter: 15 * time.Minute, WorkStart: 7*60 + 30, WorkEnd: 16 * 60}}
		},
	})
}

func (f *leaveFix) restart() {
	f.t.Helper()
	if err := f.st.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

// fresh returns the outbox rows queued since the last call.
func (f *leaveFix) fresh() []store.Pending {
	f.t.Helper()
	all, err := f.st.PendingOutbox(context.Background(), 100000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []store.Pending
	for _, p := range all {
		if !f.seen[p.ID] {
			f.seen[p.ID] = true
			out = append(out, p)
		}
	}
	return out
}

func (f *leaveFix) say(nip, text string) []store.Pending {
	f.t.Helper()
	f.seq++
	err := f.svc.Handle(context.Background(), bot.Inbound{Platform: bot.Console, MessageID: fmt.Sprintf("m%d", f.seq),
		SenderID: nip, ChatID: nip, Text: text, Time: f.clock.Now(), Addressed: true})
	if err != nil {
		f.t.Fatalf("Handle(%q): %v", text, err)
	}
	return f.fresh()
}

func (f *leaveFix) tick() []store.Pending {
	f.t.Helper()
	if err := f.svc.LeaveTick(context.Background(), f.clock.Now()); err != nil {
		f.t.Fatalf("LeaveTick: %v", err)
	}
	return f.fresh()
}

// to returns the texts sent to chat.
func to(out []store.Pending, chat string) []string {
	var ts []string
	for _, p := range out {
		if p.ChatID == chat {
			ts = append(ts, p.Text)
		}
	}
	return ts
}

// escalations returns the chats escalation messages went to.
func escalations(out []store.Pending) []string {
	var cs []string
	for _, p := range out {
		if strings.Contains(p.Text, "belum ditanggapi") {
			cs = append(cs, p.ChatID)
		}
	}
	return cs
}

func recipients(out []store.Pending) []string {
	var rs []string
	for _, p := range out {
		rs = append(rs, p.Platform+":"+p.ChatID)
	}
	return rs
}

func wantOnly(t *testing.T, out []store.Pending, chats ...string) {
	t.Helper()
	got := recipients(out)
	var want []string
	for _, c := range chats {
		if !strings.Contains(c, ":") {
			c = "console:" + c
		}
		want = append(want, c)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("messages went to %v, want %v", got, want)
	}
}

func mustContain(t *testing.T, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%q does not contain %q", text, p)
		}
	}
}

func TestLeaveReportAlertAckReturn(t *testing.T) {
	f := newLeaveFix(t)
	// The supervisor is also linked on Telegram: the alert goes to both.
	err := f.st.Write(context.Background(), func(tx *store.Tx) error {
		st, err := tx.ActiveStaffByNIP(context.Background(), lvLestari)
		if err != nil {
			return err
		}
		return tx.LinkIdentity(context.Background(), st.ID, store.Identity{Platform: "telegram", ExternalID: "555", ChatID: "555"}, f.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}

	out := f.say(lvSari, "/keluar")
	wantOnly(t, out, lvSari)
	mustContain(t, out[0].Text, "alasan")

	out = f.say(lvSari, "izin keluar rumah ke rumah sakit antar ibu kontrol, 2 jam")
	wantOnly(t, out, lvLestari, "telegram:555", lvSari)
	alert := out[0].Text
	mustContain(t, alert, "No. 1", "Ni Made Sari", "DISKOMINFO, Sekretariat", "ke rumah sakit antar ibu kontrol", "10.00 WITA", "12.00 WITA", "/ok 1")
	if out[1].Text != alert {
		t.Errorf("telegram alert %q differs from console alert %q", out[1].Text, alert)
	}
	mustContain(t, out[2].Text, "No. 1", "Ni Made Dwi Lestari")

	out = f.say(lvSari, "/keluar ke apotek")
	wantOnly(t, out, lvSari)
	mustContain(t, out[0].Text, "No. 1", "/kembali")

	out = f.say(lvSari, "/status")
	mustContain(t, to(out, lvSari)[0], "belum absen", "No. 1", "ke rumah sakit")

	out = f.say(lvLestari, "/keluar_aktif")
	mustContain(t, to(out, lvLestari)[0], "No. 1", "Ni Made Sari", "belum diterima")

	f.clock.Advance(5 * time.Minute)
	out = f.say(lvKadek, "ok 1")
	wantOnly(t, out, lvKadek)
	if out[0].Text != bot.TextsFor("id").NotAllowed {
		t.Errorf("colleague acknowledging: %q", out[0].Text)
	}
	out = f.say(lvLestari, "/ok 1")
	wantOnly(t, out, lvSari, lvLestari)
	mustContain(t, out[0].Text, "No. 1", "Ni Made Dwi Lestari", "10.05 WITA")
	out = f.say(lvAriyani, "siap 1")
	wantOnly(t, out, lvAriyani)
	mustContain(t, out[0].Text, "sudah diterima oleh Ni Made Dwi Lestari pukul 10.05 WITA")
	out = f.say(lvLestari, "/ok 99")
	mustContain(t, to(out, lvLestari)[0], "99", "tidak ditemukan")

	// Acknowledged: no escalation however long it takes.
	f.clock.Advance(time.Hour)
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("acknowledged report escalated: %v", recipients(out))
	}

	f.clock.Advance(20 * time.Minute)
	out = f.say(lvSari, "sudah di rumah")
	wantOnly(t, out, lvLestari, "telegram:555", lvSari)
	mustContain(t, out[0].Text, "Ni Made Sari", "11.25 WITA", "1 jam 25 menit")
	out = f.say(lvSari, "/kembali")
	mustContain(t, to(out, lvSari)[0], "tidak sedang tercatat keluar")
	out = f.say(lvLestari, "keluar_aktif")
	mustContain(t, to(out, lvLestari)[0], "Tidak ada")
}

func TestLeaveEscalatesUpTheChainThenAdmins(t *testing.T) {
	f := newLeaveFix(t)
	out := f.say(lvSari, "/keluar ke puskesmas")
	wantOnly(t, out, lvLestari, lvSari)

	f.clock.Advance(14 * time.Minute)
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("escalated early: %v", recipients(out))
	}
	f.clock.Advance(time.Minute)
	out = f.tick()
	wantOnly(t, out, lvAriyani)
	mustContain(t, out[0].Text, "belum ditanggapi oleh Ni Made Dwi Lestari", "No. 1", "/ok 1")
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("second tick at the same time queued %v", recipients(out))
	}

	f.clock.Advance(15 * time.Minute)
	out = f.tick()
	wantOnly(t, out, lvHead)
	mustContain(t, out[0].Text, "Ni Made Dwi Lestari, Ni Luh Putu Ariyani")

	// Then the admins not alerted yet (the head is an admin too).
	f.clock.Advance(15 * time.Minute)
	out = f.tick()
	wantOnly(t, out, lvSukadana)

	// Nobody is left: no more messages.
	f.clock.Advance(time.Hour)
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("escalated past the admins: %v", recipients(out))
	}

	// An admin (not in the chain) may acknowledge; the return tells everyone alerted.
	out = f.say(lvSukadana, "oke 1")
	wantOnly(t, out, lvSari, lvSukadana)
	out = f.say(lvSari, "sudah kembali")
	wantOnly(t, out, lvLestari, lvAriyani, lvHead, lvSukadana, lvSari)
}

func TestLeaveWithoutSupervisorAlertsAdmins(t *testing.T) {
	f := newLeaveFix(t)
	out := f.say(lvAgus, "keluar rumah ambil obat di apotek, 30 menit")
	wantOnly(t, out, lvBudi, lvAgus)
	out = f.say(lvBudi, "/ok 1")
	wantOnly(t, out, lvAgus, lvBudi)
}

func TestLeaveEscalationCountsWorkingHoursOnly(t *testing.T) {
	f := newLeaveFix(t)
	f.clock.Set(time.Date(2020, 3, 18, 15, 55, 0, 0, wita)) // Wednesday
	f.say(lvSari, "/keluar ke rumah sakit")
	for _, at := range []time.Time{
		time.Date(2020, 3, 18, 16, 5, 0, 0, wita),
		time.Date(2020, 3, 18, 23, 0, 0, 0, wita),
		time.Date(2020, 3, 19, 7, 39, 0, 0, wita),
	} {
		f.clock.Set(at)
		// Overdue reminders and alerts run on the wall clock; escalation does not.
		if got := escalations(f.tick()); len(got) != 0 {
			t.Fatalf("at %s escalated to %v", at, got)
		}
	}
	f.clock.Set(time.Date(2020, 3, 19, 7, 40, 0, 0, wita))
	if got := escalations(f.tick()); strings.Join(got, ",") != lvAriyani {
		t.Fatalf("at 07.40 next working day escalated to %v, want the eselon3", got)
	}
}

func TestLeaveEscalationSkipsHolidays(t *testing.T) {
	f := newLeaveFix(t)
	f.clock.Set(time.Date(2020, 3, 24, 15, 55, 0, 0, wita)) // Tuesday; Wednesday 25 is Nyepi
	f.say(lvSari, "/keluar antar anak ke klinik")
	f.clock.Set(time.Date(2020, 3, 25, 12, 0, 0, 0, wita))
	if got := escalations(f.tick()); len(got) != 0 {
		t.Fatalf("escalated on Nyepi to %v", got)
	}
	f.clock.Set(time.Date(2020, 3, 26, 7, 39, 0, 0, wita))
	if got := escalations(f.tick()); len(got) != 0 {
		t.Fatalf("escalated at 07.39 to %v", got)
	}
	f.clock.Set(time.Date(2020, 3, 26, 7, 40, 0, 0, wita))
	if got := escalations(f.tick()); strings.Join(got, ",") != lvAriyani {
		t.Fatalf("at 07.40 on the next working day escalated to %v, want the eselon3", got)
	}
}

func TestLeaveOverdueRemindsThenAlerts(t *testing.T) {
	f := newLeaveFix(t)
	f.say(lvSari, "/keluar ke bank urus BPJS sampai 11.00")
	f.say(lvLestari, "/ok 1")

	f.clock.Set(time.Date(2020, 3, 18, 10, 59, 0, 0, wita))
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("reminded early: %v", recipients(out))
	}
	f.clock.Set(time.Date(2020, 3, 18, 11, 0, 0, 0, wita))
	out := f.tick()
	wantOnly(t, out, lvSari)
	mustContain(t, out[0].Text, "No. 1", "11.00 WITA", "/kembali")
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("reminded twice: %v", recipients(out))
	}
	f.clock.Set(time.Date(2020, 3, 18, 11, 29, 0, 0, wita))
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("alerted before the grace: %v", recipients(out))
	}
	f.clock.Set(time.Date(2020, 3, 18, 11, 30, 0, 0, wita))
	out = f.tick()
	wantOnly(t, out, lvLestari)
	mustContain(t, out[0].Text, "Ni Made Sari", "belum melapor kembali", "No. 1")
	f.clock.Advance(3 * time.Hour)
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("overdue alert sent twice: %v", recipients(out))
	}
}

func TestLeaveDefaultDurationWhenNoneGiven(t *testing.T) {
	f := newLeaveFix(t)
	f.say(lvSari, "/keluar ke kantor pos")
	f.say(lvLestari, "/ok 1")
	f.clock.Advance(3*time.Hour - time.Minute)
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("reminded before 3 hours: %v", recipients(out))
	}
	f.clock.Advance(time.Minute)
	wantOnly(t, f.tick(), lvSari)
}

func TestLeaveRestartLosesAndDuplicatesNothing(t *testing.T) {
	f := newLeaveFix(t)
	out := f.say(lvSari, "keluar ke rumah sakit, kontrol gigi anak")
	wantOnly(t, out, lvLestari, lvSari)

	f.restart()
	if out := f.fresh(); len(out) != 0 {
		t.Fatalf("restart queued %v", recipients(out))
	}
	f.clock.Advance(15 * time.Minute)
	out = f.tick()
	wantOnly(t, out, lvAriyani)

	// Crash right after the escalation committed; the new process ticks at the same time.
	f.restart()
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("tick after restart queued again: %v", recipients(out))
	}
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("second tick queued: %v", recipients(out))
	}
	f.clock.Advance(15 * time.Minute)
	wantOnly(t, f.tick(), lvHead)

	f.restart()
	out = f.say(lvAriyani, "/ok 1")
	wantOnly(t, out, lvSari, lvAriyani)
	f.clock.Advance(time.Hour)
	if out := f.tick(); len(out) != 0 {
		t.Fatalf("escalated after acknowledgement and restart: %v", recipients(out))
	}
	// Every row ever queued is still pending exactly once (nothing lost).
	all, err := f.st.PendingOutbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(f.seen) {
		t.Errorf("outbox holds %d rows, seen %d", len(all), len(f.seen))
	}
}

func TestLeaveListScope(t *testing.T) {
	f := newLeaveFix(t)
	f.say(lvSari, "/keluar ke apotek")
	f.say(lvAgus, "/keluar ke puskesmas")
	mustContain(t, to(f.say(lvHead, "/keluar_aktif"), lvHead)[0], "Ni Made Sari")
	if s := to(f.say(lvHead, "/keluar_aktif"), lvHead)[0]; strings.Contains(s, "Agus") {
		t.Errorf("DISKOMINFO head sees BKPSDM staff: %q", s)
	}
	mustContain(t, to(f.say(lvBudi, "/keluar_aktif"), lvBudi)[0], "Agus Setiawan")
	if s := to(f.say(lvKadek, "/keluar_aktif"), lvKadek)[0]; s != bot.TextsFor("id").NotAllowed {
		t.Errorf("staff without subordinates: %q", s)
	}
}
