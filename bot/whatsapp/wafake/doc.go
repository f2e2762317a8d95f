// Package wafake is a WhatsApp server emulator for tests: the real,
// unmodified whatsmeow client connects to it over a loopback websocket, the
// way bot/telegram/tgfake stands in for the Bot API.
//
// # Connecting a client
//
//	wafake.TrustTestRoot()              // once, e.g. in TestMain
//	srv := wafake.New(wafake.Options{})
//	defer srv.Close()
//	cli := whatsapp.NewClient(device, log)
//	srv.Attach(cli)                     // route the websocket to srv
//	cli.Connect()
//
// whatsmeow dials the constant wss://web.whatsapp.com/ws/chat; Attach gives
// the client HTTP clients (SetWebsocketHTTPClient, SetPreLoginHTTPClient)
// whose transport dials the emulator instead, without TLS. The server does
// the responder side of the Noise_XX_25519_AESGCM_SHA256 handshake with a
// certificate chain (root → intermediate → its static key) signed by a
// fixed test root key; TrustTestRoot swaps that key into the package
// variable whatsmeow.WACertPubKey, which is why it must run before any
// client and never in a binary that talks to WhatsApp.
//
// # What it emulates
//
//   - Login: <success> (with the device's LID) for a device it knows and
//     whose Noise key matches, <failure reason=401> (logged out) otherwise,
//     <failure reason=402> while the device is banned (Ban); pre-key upload
//     and count, passive/active, keepalive pings, then the offline queue and
//     <ib><offline count=N/>.
//   - Linking: Phone.Link writes to a whatsmeow store what a successful
//     pairing writes (no socket); Phone.ScanQR is the phone scanning a QR
//     code: the server sends the pair-device references, the phone signs an
//     ADV device identity (account signature, HMAC with the QR's secret),
//     the client answers pair-device-sign and reconnects after 515.
//     Phone.EnterCode is the owner typing PairPhone's code: the
//     link_code_companion_reg exchange (PBKDF2-wrapped ephemeral keys,
//     the key bundle, the ADV secret from both exchanges), then the same
//     signed identity.
//   - Code that builds its own client (the app): RouteDefaultTransport in
//     TestMain and Server.Route per test send whatsmeow's dials there; a
//     client in another process (the piket binary built with -tags
//     wafake, see cmd/piket/wafake.go) calls RouteTo with the server's
//     Addr.
//   - Disruption: Drop (network failure), StreamReplaced, DeviceRemoved
//     (logout; the device is forgotten), StreamErrorCode (515, 503…), Ban,
//     FailSends (the next sends are refused with 429, 500…).
//   - Users: Server.User makes a fake user whose phone has its own
//     libsignal store. User.Send encrypts with real Signal sessions (pkmsg
//     from pre-keys the client uploaded, msg once the session is
//     confirmed) and delivers <message> with t, notify, and sender_lid or
//     (FromLID) sender_pn; to an offline device it is queued. A message
//     stays pending until the client's receipt (a retry receipt does not
//     count): one the client did not confirm is delivered again on its
//     next login, also when that login comes before the server saw the
//     old socket close (a client killed and restarted); Redeliver sends a
//     duplicate.
//   - The client's sends: usync device lists, pre-key bundles of users'
//     phones, group metadata (w:g2) and the joined-groups list; the server
//     acks each <message> and the addressed users decrypt it into their
//     Inbox (sender key distributions are processed, skmsg decrypted).
//   - Groups: NewGroup with LID or phone-number addressing; User.SendGroup
//     sends with the user's sender key (pkmsg with the distribution the
//     first time, then skmsg), with participant and participant_pn /
//     participant_lid.
//   - Everything the client sends is recorded (Received, WaitStanza,
//     WaitStanzas, CountStanzas).
//
// # What it does not
//
// It is written from whatsmeow's side of the protocol, so it shows that
// Piket and whatsmeow work together, not that the real servers behave this
// way. Untested against real servers: the exact attributes and error codes
// WhatsApp sends (ban codes, 463, phash mismatches), app state sync,
// history sync, media upload and download, receipts and presence the
// server forwards to users, retry receipts, LID
// migration notifications, the phone's own device (the emulator lists only
// linked devices for the client's own account, so sends are not copied to
// its phone), multi-device users, server-side timing and rate limits.
//
// # Timing
//
// After a <stream:error> the server leaves the socket open for
// Options.CloseGrace (or until the client closes it): whatsmeow handles the
// stream error on its handler queue, and a socket closed at once races with
// it (a replaced session would be reconnected). Tests that use the
// emulator should connect with Connect, not ConnectContext(t.Context()):
// whatsmeow's read loop ends with that context, which testing cancels
// right before the cleanup that calls Disconnect, and whatsmeow's two
// close paths race. The package installs a no-op libsignal logger at init,
// as libsignal sets its logger lazily without synchronisation.
package wafake
