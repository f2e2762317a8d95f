package whatsapp

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"google.golang.org/protobuf/proto"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/flextest"
	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/store"
)

// A WhatsApp location message (and a live location) converts into the
// core's location; the core, on the phone the JID proves, checks it
// against the office: inside and outside the radius, keeping only the
// distance and the verdict.
func TestLocationMessageVerdict(t *testing.T) {
	static := func(l bot.Location) *waE2E.Message {
		return &waE2E.Message{LocationMessage: &waE2E.LocationMessage{DegreesLatitude: proto.Float64(l.Lat), DegreesLongitude: proto.Float64(l.Lon)}}
	}
	live := func(l bot.Location) *waE2E.Message {
		return &waE2E.Message{LiveLocationMessage: &waE2E.LiveLocationMessage{DegreesLatitude: proto.Float64(l.Lat), DegreesLongitude: proto.Float64(l.Lon)}}
	}
	for _, tc := range []struct {
		name    string
		msg     func(bot.Location) *waE2E.Message
		at      bot.Location
		verdict string
		min     int
		max     int
	}{
		{"inside", static, flextest.Inside, fwa.VerdictInside, 25, 40},
		{"outside", static, flextest.Outside, fwa.VerdictOutside, 450, 550},
		{"live outside", live, flextest.Outside, fwa.VerdictOutside, 450, 550},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestAdapter(t, nil)
			in, ok := env.a.toInbound(context.Background(), message(userPN, userPN, tc.msg(tc.at)))
			if !ok {
				t.Fatal("location message ignored")
			}
			if in.Location == nil || *in.Location != tc.at || in.Text != "" || in.SenderPhone != flextest.Phone {
				t.Fatalf("converted location %+v text %q phone %q, want %+v", in.Location, in.Text, in.SenderPhone, tc.at)
			}
			got := flextest.New(t, store.Identity{}).Handle(in)
			if got.Verdict != tc.verdict || got.Against != "kantor" || got.Distance < tc.min || got.Distance > tc.max || got.KeptCoords {
				t.Errorf("check %+v, want %s against the office at %d-%d m, no coordinates", got, tc.verdict, tc.min, tc.max)
			}
			if !strings.Contains(got.Reply, fmt.Sprintf("%d m dari kantor", got.Distance)) {
				t.Errorf("reply %q", got.Reply)
			}
		})
	}
	// In a group a location is chatter: not addressed, and the core ignores it.
	env := newTestAdapter(t, nil)
	if in, ok := env.a.toInbound(context.Background(), message(groupJID, userPN, static(flextest.Inside))); ok && in.Addressed {
		t.Errorf("a location in a group is addressed: %+v", in)
	}
}
