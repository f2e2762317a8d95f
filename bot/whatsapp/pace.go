package whatsapp

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// Pacing spaces outgoing messages so the number does not look like a spam
// bot. Zero fields take the defaults; a negative field disables that rule.
// The config keys are whatsapp.per_chat_interval, global_interval and
// jitter (one WhatsApp account per Piket).
//
// Why these defaults. WhatsApp publishes no limits for linked devices;
// what is known comes from reports against whatsmeow and the JavaScript
// libraries built on the same protocol:
//
//   - The server answers "rate-overlimit" (429) to bursts: reported at
//     about three messages a second (WhiskeySockets/Baileys#1248), and for
//     frequent group metadata reads (adiwajshing/Baileys#2148; the adapter
//     caches group lists for that reason). One message a second overall
//     stays well below it, and a day's traffic of an office (a roster post,
//     reminders, replies) is a few hundred messages at most.
//   - Bans follow spam-like behaviour more than speed: numbers were banned
//     after a handful of messages five seconds apart to people who had
//     never written to them (tulir/whatsmeow#465), and after ~50 identical
//     messages (tulir/whatsmeow#506, where users put the risky rate at
//     "more than five a minute" to strangers); 463 answers limit messages
//     to new contacts (tulir/whatsmeow#1157). Piket mostly answers people
//     who wrote first and posts to groups, which pacing cannot replace.
//   - 1.5 s per chat keeps a burst of replies to one person (an alert, its
//     acknowledgement, a reminder) readable and under any per-chat limit,
//     as a person typing would; Telegram's documented per-chat limit is
//     1 s, WhatsApp's is unknown, so it is a little slower.
//   - Jitter (up to 1 s, drawn per message) breaks the machine-regular
//     rhythm that a fixed interval has.
//
// Options.Typing (whatsapp.typing) also shows "typing…" for 0.5–3 s before
// each message, growing with its length, as a person would; it costs one
// more stanza and that time per message, so it is off by default.
type Pacing struct {
	// PerChat is the minimum interval between two messages to the same
	// chat. Default 1.5s.
	PerChat time.Duration
	// Global is the minimum interval between any two messages. Default 1s
	// (at most one message a second overall).
	Global time.Duration
	// Jitter is the most random extra delay added to each interval, so the
	// rhythm is not machine-regular. Default 1s.
	Jitter time.Duration
}

// Default pacing.
const (
	DefaultPerChat = 1500 * time.Millisecond
	DefaultGlobal  = time.Second
	DefaultJitter  = time.Second
)

func (p Pacing) withDefaults() Pacing {
	def := func(d, v time.Duration) time.Duration {
		switch {
		case d == 0:
			return v
		case d < 0:
			return 0
		}
		return d
	}
	return Pacing{
		PerChat: def(p.PerChat, DefaultPerChat),
		Global:  def(p.Global, DefaultGlobal),
		Jitter:  def(p.Jitter, DefaultJitter),
	}
}

// pacer hands out send slots. Each call reserves the earliest slot allowed
// by both the chat's and the global next-free time, then sleeps until it,
// so concurrent senders queue up instead of bursting.
type pacer struct {
	cfg    Pacing
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func() time.Duration

	mu     sync.Mutex
	global time.Time            // next free global slot
	chats  map[string]time.Time // next free slot per chat
}

// pruneAt is the chat-map size above which expired entries are dropped.
const pruneAt = 256

func newPacer(cfg Pacing, now func() time.Time, sleep func(ctx context.Context, d time.Duration) error) *pacer {
	cfg = cfg.withDefaults()
	p := &pacer{cfg: cfg, now: now, sleep: sleep, chats: make(map[string]time.Time)}
	p.jitter = func() time.Duration {
		if p.cfg.Jitter <= 0 {
			return 0
		}
		return rand.N(p.cfg.Jitter)
	}
	return p
}

// wait blocks until a message may be sent to chat, or ctx ends.
func (p *pacer) wait(ctx context.Context, chat string) error {
	p.mu.Lock()
	now := p.now()
	at := now
	if t := p.chats[chat]; t.After(at) {
		at = t
	}
	if p.global.After(at) {
		at = p.global
	}
	j := p.jitter()
	if p.cfg.Global > 0 {
		p.global = at.Add(p.cfg.Global + j)
	}
	if p.cfg.PerChat > 0 {
		p.chats[chat] = at.Add(p.cfg.PerChat + j)
	}
	if len(p.chats) > pruneAt {
		for c, t := range p.chats {
			if !t.After(now) {
				delete(p.chats, c)
			}
		}
	}
	p.mu.Unlock()

	if d := at.Sub(now); d > 0 {
		return p.sleep(ctx, d)
	}
	return nil
}
