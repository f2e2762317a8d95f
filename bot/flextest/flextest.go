// Package flextest lets each platform adapter's tests run a converted
// message through the real core and store, to check a location verdict
// end to end (conversion → core → record). It is for tests only.
package flextest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/store"
)

// The office of the location checks and its radius, in Denpasar (WITA).
var (
	Office = fwa.Point{Lat: -8.6705, Lon: 115.2126}
	Radius = 100.0
	// Inside is about 33 m from Office; Outside about 500 m.
	Inside  = bot.Location{Lat: -8.6708, Lon: 115.2126}
	Outside = bot.Location{Lat: -8.6750, Lon: 115.2126}
)

// Phone is the person's phone number (WhatsApp links by it); NIP theirs.
const (
	Phone = "+6281234567890"
	NIP   = "199001012015031004"
)

// Check is the stored verdict of one location message and the reply.
type Check struct {
	Against    string
	Distance   int
	Verdict    string
	KeptCoords bool // lat/lon were stored
	Reply      string
}

// Core is a real core with a real store on one person of an office with
// location checks enabled, on a working day (Tuesday 10 March 2026, 08:00
// WITA).
type Core struct {
	t   testing.TB
	st  *store.Store
	svc *bot.Service
}

// New returns a Core; link, when not zero, links the person's account
// on a platform that cannot prove a phone number (Telegram).
func New(t testing.TB, link store.Identity) *Core {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wita, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.ImportStaff(ctx, []store.StaffInput{
		{NIP: "197001011995031001", Name: "I Gusti Made Arsa", Office: "DISPERKIM", Level: store.LevelEselon2, Roles: []string{"admin"}},
		{NIP: NIP, Name: "Ni Putu Rina", Office: "DISPERKIM", Level: store.LevelPelaksana, SupervisorNIP: "197001011995031001", Phone: Phone},
	}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: time.Date(2026, 1, 5, 9, 0, 0, 0, wita)})
	if err != nil {
		t.Fatal(err)
	}
	if link.Platform != "" {
		err := st.Write(ctx, func(tx *store.Tx) error {
			p, err := tx.ActiveStaffByNIP(ctx, NIP)
			if err != nil {
				return err
			}
			return tx.LinkIdentity(ctx, p.ID, link, time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	c := clock.NewFrozen(civil.MustParse("2026-03-10").At(8, 0, wita))
	svc := bot.New(bot.Options{Store: st, Clock: c.Now, Policy: func(string) bot.OfficePolicy {
		return bot.OfficePolicy{Deadline: 8 * 60, Flex: bot.FlexPolicy{Enabled: true,
			Location: bot.LocationPolicy{Enabled: true, Office: Office, RadiusM: Radius}}}
	}})
	return &Core{t: t, st: st, svc: svc}
}

// Handle runs in through the core and returns the last location check
// stored and the reply.
func (c *Core) Handle(in bot.Inbound) Check {
	c.t.Helper()
	ctx := context.Background()
	if err := c.svc.Handle(ctx, in); err != nil {
		c.t.Fatalf("Handle: %v", err)
	}
	var out Check
	var dist *int
	var lat *float64
	err := c.st.DB().QueryRowContext(ctx, `SELECT against, distance_m, verdict, lat FROM location_checks ORDER BY id DESC LIMIT 1`).
		Scan(&out.Against, &dist, &out.Verdict, &lat)
	if err != nil {
		c.t.Fatalf("no location check stored: %v", err)
	}
	if dist != nil {
		out.Distance = *dist
	}
	out.KeptCoords = lat != nil
	p, err := c.st.PendingOutbox(ctx, 100)
	if err != nil {
		c.t.Fatal(err)
	}
	if len(p) > 0 {
		out.Reply = p[len(p)-1].Text
	}
	return out
}
