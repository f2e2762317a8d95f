// Package bot is Piket's platform-neutral core: it turns inbound chat
// messages into attendance records, reports and replies. It imports no chat
// SDK; each platform is a thin adapter (bot/console, bot/telegram,
// bot/whatsapp) that converts its events into Inbound values and delivers
// Outbound values.
package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Platform names a chat platform. The value is stored in the database.
type Platform string

// The platforms Piket speaks on.
const (
	Console  Platform = "console"
	Telegram Platform = "telegram"
	WhatsApp Platform = "whatsapp"
)

// Inbound is one message received from a chat platform, already converted
// by its adapter. IDs are opaque strings that only the adapter parses.
type Inbound struct {
	Platform Platform
	// Account is the platform account the message came to ("" the
	// primary; see Accounts). Replies go out through it.
	Account string
	// MessageID is the platform's ID of this delivery (Telegram update ID,
	// WhatsApp message ID). A second Inbound with the same Platform and
	// MessageID is a duplicate delivery and is stored and answered once.
	MessageID string
	ChatID    string // where to answer
	SenderID  string // the platform's stable user ID
	// SenderPhone is the sender's phone number in E.164 (+62…) when the
	// platform itself proves it (WhatsApp's JID); empty otherwise.
	SenderPhone string
	Group       bool   // the message was sent in a group chat
	Text        string // text, or an image caption
	// Time is when the platform says the message was sent; zero: when it
	// is received. It is the time of record of what the person did.
	Time time.Time
	// ReplyTo is the platform message ID this message replies to, if any.
	ReplyTo string
	// Contact is a shared contact card (Telegram's "share my number").
	Contact *Contact
	// Addressed is true in a group chat when the message is addressed to
	// the bot (a /command or a mention). Ordinary group chatter is ignored.
	Addressed bool
	// SenderChat is the sender's private chat, where the platform knows it
	// from a group message (WhatsApp); empty otherwise.
	SenderChat string
	// Location is a shared location (Telegram location, WhatsApp location
	// message), checked by flex_location.go; nil for any other message.
	Location *Location
}

// Location is a point a user shared, in decimal degrees.
type Location struct{ Lat, Lon float64 }

// Contact is a contact card a user shared.
type Contact struct {
	Phone  string // as the platform gives it; the core normalizes it
	UserID string // the platform user the card belongs to; empty if none
}

// Outbound is one message to deliver, taken from the durable outbox.
type Outbound struct {
	ID       int64 // outbox ID; adapters may use it as an idempotency key
	Platform Platform
	Account  string // the platform account that sends it ("" the primary)
	ChatID   string
	Group    bool
	Text     string
	// RequestContact asks the adapter to show a one-tap "share my phone
	// number" button with this message, where the platform has one.
	RequestContact bool
	// Mentions are platform user IDs (for WhatsApp the phone number's
	// digits, as in SenderID) the message mentions, so that each of them
	// is notified; the adapter adds what the text needs. Platforms without
	// mentions ignore it.
	Mentions []string
}

// Handler is what an adapter feeds inbound messages to. Handle returns nil
// only after everything the message caused (records and replies queued in
// the outbox) is committed, so an adapter may confirm the delivery to its
// platform then. A non-nil error means nothing was committed and the
// delivery should be retried.
type Handler interface {
	Handle(ctx context.Context, m Inbound) error
}

// Sender delivers one outbound message on one platform. It is implemented
// by each adapter and used by the outbox dispatcher. It returns the
// platform's ID of the sent message (may be empty).
//
// Errors: a *RetryAfterError when the platform asks to wait; an error
// wrapping ErrPermanent when retrying can never succeed (the user blocked
// the bot, the chat is gone); any other error is retried with backoff.
type Sender interface {
	Send(ctx context.Context, m Outbound) (sentID string, err error)
}

// ErrPermanent marks a send failure that retrying cannot fix.
var ErrPermanent = errors.New("permanent send failure")

// RetryAfterError is returned by a Sender when the platform asks to wait
// before sending again (Telegram's 429 with retry_after).
type RetryAfterError struct {
	After time.Duration
	// Global is true when the whole bot must wait, not only this chat.
	Global bool
}

func (e *RetryAfterError) Error() string {
	scope := "chat"
	if e.Global {
		scope = "bot"
	}
	return fmt.Sprintf("rate limited (%s): retry after %s", scope, e.After)
}
