package console

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/store"
)

type directory []store.Staff

func (d directory) FindStaff(_ context.Context, q string) ([]store.Staff, error) {
	var out []store.Staff
	for _, s := range d {
		if q == "" || s.NIP == q || strings.Contains(strings.ToLower(s.Name), strings.ToLower(q)) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (d directory) Offices(context.Context) ([]store.Office, error) {
	return []store.Office{{Code: "DISKOMINFO", TZ: "Asia/Makassar"}}, nil
}

type recordingHandler []bot.Inbound

func (h *recordingHandler) Handle(_ context.Context, m bot.Inbound) error {
	*h = append(*h, m)
	return nil
}

// The console's :waktu reads and prints in the deployment's zone (or the
// zone written) whoever is selected, refuses to go back, starts the
// simulation on the first setting and asks for the jobs on the way on
// every later one; messages carry the simulated time.
func TestConsoleClock(t *testing.T) {
	real := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	c := clock.NewFrozen(real)
	var h recordingHandler
	var moves []string
	var out bytes.Buffer
	wib := mustLoc(t, "Asia/Jakarta")
	script := strings.Join([]string{
		":waktu 2020-03-18 08:00 WITA", // starts the simulation, whatever the real time
		":as Ni Made Sari",             // a WITA office: :waktu stays in WIB
		":waktu",
		":waktu 2020-03-18 07:10", // 08:10 WITA: forward
		"hadir",
		":waktu 2020-03-18 08:09 WITA", // back a minute: refused
		":waktu 2020-03-18 08:10 WITA", // the same time: fine
		":waktu 2020-03-18 10:00 Asia/Jayapura",
		":waktu besok",
		"hadir lagi",
	}, "\n") + "\n"
	con := New(Options{
		In: strings.NewReader(script), Out: &out, Handler: &h, Clock: c, DefaultTZ: wib,
		Directory: directory{{NIP: "199203142015032001", Name: "Ni Made Sari", Office: store.Office{Code: "DISKOMINFO", TZ: "Asia/Makassar"}, Level: "pelaksana"}},
		Advance: func(_ context.Context, to time.Time, runDue bool) error {
			moves = append(moves, fmt.Sprintf("%s run=%v", to.UTC().Format("01-02 15:04"), runDue))
			c.Set(to)
			return nil
		},
	})
	if err := con.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"· Waktu simulasi diatur ke 2020-03-18 08:00 WITA.\n",
		"· Waktu simulasi: 2020-03-18 07:00 WIB.\n",
		"· Waktu simulasi diatur ke 2020-03-18 07:10 WIB.\n",
		"· Maaf, jam simulasi tidak bisa mundur: sekarang sudah 2020-03-18 08:10 WITA. Tulis waktu itu atau sesudahnya.\n",
		"· Waktu simulasi diatur ke 2020-03-18 08:10 WITA.\n",
		"· Waktu simulasi diatur ke 2020-03-18 10:00 WIT.\n",
		"· Waktu \"besok\" tidak terbaca",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q:\n%s", want, got)
		}
	}
	wantMoves := []string{"03-18 00:00 run=false", "03-18 00:10 run=true", "03-18 00:10 run=true", "03-18 01:00 run=true"}
	if fmt.Sprint(moves) != fmt.Sprint(wantMoves) {
		t.Errorf("clock moves %v, want %v", moves, wantMoves)
	}
	if len(h) != 2 {
		t.Fatalf("handled %d messages, want 2", len(h))
	}
	for i, want := range []time.Time{
		time.Date(2020, 3, 18, 0, 10, 0, 0, time.UTC),
		time.Date(2020, 3, 18, 1, 0, 0, 0, time.UTC),
	} {
		if !h[i].Time.Equal(want) {
			t.Errorf("message %d (%q) has Time %v, want the simulated %v", i, h[i].Text, h[i].Time, want)
		}
	}
}
