package app_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/store"
)

// Three offices, one per Indonesian time zone, four people each.
var rosterOffices = map[string]string{"BKPSDM": "Asia/Jakarta", "DISKOMINFO": "Asia/Makassar", "DINKES": "Asia/Jayapura"}

func rosterStaff() []store.StaffInput {
	var out []store.StaffInput
	for i, code := range []string{"BKPSDM", "DISKOMINFO", "DINKES"} {
		p := func(n int) string { return "1980010120050110" + string(rune('0'+i)) + string(rune('0'+n)) }
		out = append(out,
			store.StaffInput{NIP: p(1), Name: "Kepala " + code, Office: code, Level: store.LevelEselon2, Roles: []string{"admin"}},
			store.StaffInput{NIP: p(2), Name: "Kabid " + code, Office: code, Level: store.LevelEselon3, SupervisorNIP: p(1)},
			store.StaffInput{NIP: p(3), Name: "Staf A " + code, Office: code, Level: store.LevelPelaksana, SupervisorNIP: p(2)},
			store.StaffInput{NIP: p(4), Name: "Staf B " + code, Office: code, Level: store.LevelPelaksana, SupervisorNIP: p(2)},
		)
	}
	return out
}

type rosterHarness struct {
	t     *testing.T
	cfg   config.Config
	clock *clock.Sim
	app   *app.App
}

// newRosterHarness seeds a database and opens an App on a frozen clock.
func newRosterHarness(t *testing.T, at time.Time) *rosterHarness {
	t.Helper()
	cfg := config.Default()
	cfg.HTTP.Listen = "" // no fixed port in tests
	cfg.Database = filepath.Join(t.TempDir(), "piket.db")
	cfg.Offices = map[string]config.Office{}
	for code, tz := range rosterOffices {
		cfg.Offices[code] = config.Office{Timezone: tz}
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg.Database, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportStaff(context.Background(), rosterStaff(), store.ImportOptions{DefaultTZ: "Asia/Jakarta", OfficeTZ: rosterOffices, Now: at}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	h := &rosterHarness{t: t, cfg: cfg, clock: clock.NewFrozen(at)}
	h.open()
	t.Cleanup(func() { h.app.Close() })
	return h
}

// open (re)starts the App on the same database, as after a restart.
func (h *rosterHarness) open() {
	h.t.Helper()
	a, err := app.New(context.Background(), h.cfg, app.Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Clock: h.clock, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		h.t.Fatal(err)
	}
	h.app = a
}

func (h *rosterHarness) restart() {
	h.t.Helper()
	if err := h.app.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.open()
}

// posts returns the group posts queued so far, per office code.
func (h *rosterHarness) posts() map[string][]string {
	h.t.Helper()
	rows, err := h.app.Store.DB().Query(`SELECT chat_id, text FROM outbox WHERE is_group = 1 ORDER BY id`)
	if err != nil {
		h.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var chat, text string
		if err := rows.Scan(&chat, &text); err != nil {
			h.t.Fatal(err)
		}
		code := strings.TrimPrefix(chat, "grup:")
		out[code] = append(out[code], text)
	}
	return out
}

// run moves the clock minute by minute to end, ticking the scheduler, and
// returns when each office's post count first grew.
func (h *rosterHarness) run(end time.Time) map[string]time.Time {
	h.t.Helper()
	first := map[string]time.Time{}
	seen := h.posts()
	for now := h.clock.Now(); !now.After(end); now = now.Add(time.Minute) {
		h.clock.Set(now)
		h.app.Scheduler.Tick(context.Background())
		for code, p := range h.posts() {
			if len(p) > len(seen[code]) {
				if _, ok := first[code]; !ok {
					first[code] = now
				}
			}
		}
		seen = h.posts()
	}
	return first
}

func TestRosterPostedOnceAtLocalPostTime(t *testing.T) {
	start := time.Date(2020, 3, 18, 5, 0, 0, 0, time.UTC) // Wednesday
	h := newRosterHarness(t, start)
	first := h.run(time.Date(2020, 3, 18, 10, 0, 0, 0, time.UTC))
	want := map[string]time.Time{
		"DINKES":     time.Date(2020, 3, 18, 6, 0, 0, 0, time.UTC), // 15:00 WIT
		"DISKOMINFO": time.Date(2020, 3, 18, 7, 0, 0, 0, time.UTC), // 15:00 WITA
		"BKPSDM":     time.Date(2020, 3, 18, 8, 0, 0, 0, time.UTC), // 15:00 WIB
	}
	for code, w := range want {
		if !first[code].Equal(w) {
			t.Errorf("%s posted at %s, want %s", code, first[code], w)
		}
	}
	posts := h.posts()
	for code := range want {
		if len(posts[code]) != 1 {
			t.Fatalf("%s: %d posts, want 1", code, len(posts[code]))
		}
		p := posts[code][0]
		for _, s := range []string{"Jadwal piket " + code, "Kamis, 19 Maret 2020", "Kepala " + code + " — Eselon II (tetap)", "Kabid " + code, "Kontak: Kepala " + code} {
			if !strings.Contains(p, s) {
				t.Errorf("%s post lacks %q:\n%s", code, s, p)
			}
		}
		if strings.Contains(p, "rancangan") {
			t.Errorf("%s post marked as a draft:\n%s", code, p)
		}
	}
	// Reminders: one per rotating person on duty, none to the head.
	var reminders int
	if err := h.app.Store.DB().QueryRow(`SELECT count(*) FROM outbox WHERE is_group = 0 AND text LIKE '%bertugas piket%'`).Scan(&reminders); err != nil {
		t.Fatal(err)
	}
	if reminders != 6 { // an official and a pelaksana in each of 3 offices (a third of 3 rotating, raised by coverage)
		t.Errorf("%d reminders, want 6", reminders)
	}
	// A second catch-up and a rerun of the same job change nothing.
	if err := h.app.CatchUpRosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := h.app.Service.PostRosterAt(context.Background(), "DISKOMINFO", time.Date(2020, 3, 18, 7, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for code, p := range h.posts() {
		if len(p) != 1 {
			t.Errorf("%s: %d posts after rerun, want 1", code, len(p))
		}
	}
}

func TestRosterFridayPostsMonday(t *testing.T) {
	h := newRosterHarness(t, time.Date(2020, 3, 20, 6, 50, 0, 0, time.UTC)) // Friday 14:50 WITA
	h.run(time.Date(2020, 3, 20, 7, 5, 0, 0, time.UTC))
	p := h.posts()["DISKOMINFO"]
	if len(p) != 1 || !strings.Contains(p[0], "Senin, 23 Maret 2020") {
		t.Errorf("Friday's post: %q, want Monday 23 March", p)
	}
	// Nothing on Saturday or Sunday.
	h.clock.Set(time.Date(2020, 3, 21, 6, 50, 0, 0, time.UTC))
	h.run(time.Date(2020, 3, 22, 7, 5, 0, 0, time.UTC))
	if n := len(h.posts()["DISKOMINFO"]); n != 1 {
		t.Errorf("%d posts after the weekend, want 1", n)
	}
}

func TestRosterHolidaySkipped(t *testing.T) {
	// Nyepi, Wednesday 25 March 2020: Tuesday's post announces Thursday.
	h := newRosterHarness(t, time.Date(2020, 3, 24, 6, 55, 0, 0, time.UTC))
	h.run(time.Date(2020, 3, 24, 7, 5, 0, 0, time.UTC))
	p := h.posts()["DISKOMINFO"]
	if len(p) != 1 || !strings.Contains(p[0], "Kamis, 26 Maret 2020") {
		t.Fatalf("post on 24 March: %q, want Thursday 26 March", p)
	}
	// No post on the holiday itself.
	h.clock.Set(time.Date(2020, 3, 25, 6, 55, 0, 0, time.UTC))
	h.run(time.Date(2020, 3, 25, 7, 5, 0, 0, time.UTC))
	if n := len(h.posts()["DISKOMINFO"]); n != 1 {
		t.Errorf("%d posts after Nyepi, want 1", n)
	}
}

func TestRosterMissedPostSentOnceAfterRestart(t *testing.T) {
	// Piket was down at 15:00 WITA; it starts at 17:30 WITA.
	h := newRosterHarness(t, time.Date(2020, 3, 18, 9, 30, 0, 0, time.UTC))
	if n := len(h.posts()["DISKOMINFO"]); n != 0 {
		t.Fatalf("%d posts before catch-up", n)
	}
	if err := h.app.CatchUpRosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	p := h.posts()["DISKOMINFO"]
	if len(p) != 1 || !strings.Contains(p[0], "Kamis, 19 Maret 2020") {
		t.Fatalf("late post: %q", p)
	}
	h.restart()
	if err := h.app.CatchUpRosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.run(time.Date(2020, 3, 18, 10, 0, 0, 0, time.UTC))
	for code, p := range h.posts() {
		if len(p) != 1 {
			t.Errorf("%s: %d posts after restart, want 1", code, len(p))
		}
	}
	// Before today's post time, a missed post for today is sent in the morning.
	h.clock.Set(time.Date(2020, 3, 20, 0, 30, 0, 0, time.UTC)) // Friday 08:30 WITA; Thursday's post (for Friday) was missed
	h.restart()
	if err := h.app.CatchUpRosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	p = h.posts()["DISKOMINFO"]
	if len(p) != 2 || !strings.Contains(p[1], "Jumat, 20 Maret 2020") {
		t.Errorf("morning catch-up: %q", p)
	}
}

func TestPublishedRosterNeverChanges(t *testing.T) {
	ctx := context.Background()
	h := newRosterHarness(t, time.Date(2020, 3, 18, 9, 0, 0, 0, time.UTC))
	day := civil.MustParse("2020-03-19")
	if err := h.app.Service.PostRoster(ctx, "DISKOMINFO", day); err != nil {
		t.Fatal(err)
	}
	before, err := h.app.Service.ShowRoster(ctx, "DISKOMINFO", day, day)
	if err != nil {
		t.Fatal(err)
	}
	// Staff change: two new pelaksana, and everyone of the other offices leaves.
	_, err = h.app.Store.ImportStaff(ctx, []store.StaffInput{
		{NIP: "199901012020011001", Name: "Baru Satu", Office: "DISKOMINFO", Level: store.LevelPelaksana},
		{NIP: "199901012020011002", Name: "Baru Dua", Office: "DISKOMINFO", Level: store.LevelEselon4},
	}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: h.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Service.GenerateRoster(ctx, "DISKOMINFO", day, civil.MustParse("2020-03-31")); err != nil {
		t.Fatal(err)
	}
	after, err := h.app.Service.ShowRoster(ctx, "DISKOMINFO", day, day)
	if err != nil {
		t.Fatal(err)
	}
	if after[0] != before[0] {
		t.Errorf("published day changed:\n%s\nwant\n%s", after[0], before[0])
	}
	if err := h.app.Service.PostRoster(ctx, "DISKOMINFO", day); err != nil {
		t.Fatal(err)
	}
	if n := len(h.posts()["DISKOMINFO"]); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
}
