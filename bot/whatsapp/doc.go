// Package whatsapp is Piket's WhatsApp adapter, built on go.mau.fi/whatsmeow
// (the multi-device web protocol, linked to a phone like WhatsApp Web).
//
// It translates and nothing else: events.Message values become bot.Inbound,
// bot.Outbound values become WhatsApp text messages, and connection events
// become a Status reported to the caller. It is the only package in Piket
// that parses WhatsApp JIDs (see jid.go); everywhere else chat and user IDs
// are opaque strings.
//
// # Session store
//
// The WhatsApp session (the linked device's identity and Signal keys, the
// LID↔phone map, whatsmeow's own caches) lives in its own SQLite file,
// piket-whatsapp.db by default, opened by OpenStore, and not in Piket's
// attendance database. The file holds the device's secret keys: whoever has
// it can read and send messages as the bot's number. Kept apart it can be
// protected (it is created with mode 0600), backed up and restored on its
// own, and deleted to force a fresh pairing, without touching attendance
// records; and whatsmeow's migrations, which follow whatsmeow's release
// schedule, never run against Piket's schema.
//
// # Delivery guarantees
//
// Inbound: the adapter registers its handler with
// AddEventHandlerWithSuccessStatus and reports failure when bot.Handler
// returns an error. whatsmeow then sends no receipt, and WhatsApp delivers
// the message again later. For the second delivery to be decryptable the
// client must keep decrypted events (EnableDecryptedEventBuffer), and acks
// should wait for the handler (SynchronousAck): NewClient sets both.
// Duplicates are harmless because the core dedupes on MessageID.
//
// Outbound: Send paces messages (a minimum interval per chat and overall,
// with random jitter; see Pacing for the defaults and why) on top of the
// outbox dispatcher's own pacing, and returns a retryable error while
// disconnected. Send errors are classified (sendError): a chat that can
// never be reached (the bot left the group, the group is gone, the number
// is not on WhatsApp, other 4xx refusals) ends the outbox row with
// bot.ErrPermanent and is reported through Options.Undeliverable, which
// the app turns into one warning a day to the office admins; 429 holds
// all WhatsApp sends for a minute; server errors are retried with backoff.
//
// # Identity, reactions, mentions
//
// The core sees one sender ID per person, the phone number's digits,
// whether a message came from the number or from a LID (see identity.go
// for how a LID is resolved). An unresolvable sender keeps its "…@lid" ID;
// Inbound.SenderChat lets the core answer a stranger in a group privately.
//
// A reaction 👍, 🙏, ✅ or 👌 (any skin tone) becomes an Inbound with the
// text "ok" replying to the reacted message, so it acknowledges a
// leave-home alert as a reply would; other reactions are ignored.
//
// An Outbound with Mentions (phone digits, as SenderID) is sent as an
// ExtendedTextMessage whose ContextInfo.MentionedJID lists each person,
// with "@number" added to the text, so each is notified; in a group that
// addresses members by LID the LIDs are mentioned (mention.go).
//
// # Wiring
//
//	container, err := whatsapp.OpenStore(ctx, cfg.WhatsApp.SessionDB, log)
//	wa := whatsapp.New(whatsapp.Options{
//		Session:  whatsapp.NewSession(container, cfg.WhatsApp.SessionDB, log, nil),
//		Undeliverable: func(chat string, group bool, why string) {
//			core.WarnUndeliverable(ctx, bot.WhatsApp, chat, group, why)
//		},
//		Handler:  core,
//		Logger:   log,
//		OnState:  report, // health, metrics, admin warnings
//		Settings: st,     // keeps the phone's last sighting
//	})
//	g.Go(func() error { return wa.Run(ctx) }) // wa is also the bot.Sender
//
// # Connection lifecycle
//
// Run is a supervisor (supervisor.go): each case the connection can be in
// is a State of its own (connected, logged out, banned until T, stream
// replaced, client outdated, keep-alive lost, connect failed, phone offline
// N days), logged and reported through OnState. It reconnects where
// whatsmeow does not (after a ban ends, a replaced stream, an outdated
// client, a connect failure, lost keep-alives) and never returns on a
// connection problem. With a Session, an unpaired or logged-out device does
// not stop it: it releases the session lock, polls the session store and
// picks up a device paired meanwhile by `piket whatsapp pair`.
//
// # Operating it (text for the main README)
//
// Pairing, step by step:
//
//  1. Use a dedicated WhatsApp number for Piket (a separate SIM, or
//     WhatsApp Business on a spare phone), never a staff member's personal
//     number.
//  2. Run `piket whatsapp pair`. A QR code appears in the terminal.
//  3. On the bot's phone open WhatsApp → Perangkat tertaut (Linked devices)
//     → Tautkan perangkat (Link a device) and scan the code. Codes rotate
//     every 20 seconds; pairing gives up after about 2½ minutes.
//  4. Without a camera at hand, run `piket whatsapp pair --phone +62812…`
//     instead: it prints an 8-character code; on the phone choose Tautkan
//     perangkat → Tautkan dengan nomor telepon saja (Link with phone number
//     instead) and type it in.
//  5. Run `piket whatsapp groups` to list the groups the number belongs to
//     and copy the ID (…@g.us) of each office's group into the config.
//  6. Start Piket. The phone must come online at least once every two weeks
//     or WhatsApp unlinks the device (admins are warned at 12 days); if that
//     happens Piket logs it, keeps running on its other platforms and picks
//     up a new `piket whatsapp pair` without a restart.
//
// To unlink: remove the device on the phone (Perangkat tertaut), or stop
// Piket and delete piket-whatsapp.db (and its -wal and -shm files).
//
// Risks:
//
//   - whatsmeow is not an official API. WhatsApp may temporarily or
//     permanently ban numbers that behave like spam bots: sending fast,
//     sending the same text to many people, or writing first to people who
//     never wrote to the number and have not saved it. Use a dedicated
//     number, let staff write first (or add the number to the office group
//     by hand), and keep broadcast-style messages to the group.
//   - Pacing defaults: at least 1.5 s between two messages to the same chat
//     and 1 s between any two messages, each plus up to 1 s of random
//     jitter; on average well under one message per second overall. Do not
//     lower them for production numbers.
//   - The session file holds the device's keys: protect it like a password.
package whatsapp
