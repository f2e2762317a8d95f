package whatsapp

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// The connection supervisor: Run keeps one state per case the WhatsApp
// connection can be in (State), reports each change through OnState (and
// OnStatus) and the log, and reconnects where whatsmeow does not: after a
// temporary ban has expired, after a stream was replaced, after a connect
// failure whatsmeow does not retry, after keep-alive pings stayed
// unanswered. With a Session it never gives up: while no device is paired it
// waits (StatusLoggedOut) and picks up a new pairing by itself.

// Delays of the supervisor. A state is left by reconnecting once its delay
// has passed since it began.
const (
	// BanMargin is waited after a temporary ban's announced end.
	BanMargin = time.Minute
	// ReplacedRetry: another client took over the session (a second
	// Piket on a copy of the session file). Reconnecting takes it back;
	// waiting first keeps two copies from flapping.
	ReplacedRetry = 10 * time.Minute
	// OutdatedRetry: WhatsApp rejected this client version. Only an update
	// of Piket really helps, but WhatsApp has rejected versions for hours.
	OutdatedRetry = 6 * time.Hour
	// FailureRetry is the first delay after a connect failure whatsmeow
	// does not retry (or a failed connect); it doubles up to FailureRetryMax.
	FailureRetry    = time.Minute
	FailureRetryMax = 30 * time.Minute
	// KeepAliveReconnect: keep-alive pings unanswered this long make the
	// supervisor reconnect (whatsmeow forces one after 3 minutes; this is the
	// safety net if that did not bring the link back).
	KeepAliveReconnect = 5 * time.Minute
	// DisconnectedReconnect: whatsmeow reconnects by itself after a drop;
	// still down (or connecting) after this long, the supervisor starts
	// afresh.
	DisconnectedReconnect = 15 * time.Minute
	// StableAfter: connected this long ends an incident; the next failure
	// of the same kind warns the admins again.
	StableAfter = 30 * time.Minute
	// PhoneOfflineWarn: WhatsApp unlinks a device whose phone has not been
	// online for about 14 days; admins are warned at 12 (as mautrix-whatsapp
	// does).
	PhoneOfflineWarn = 12 * 24 * time.Hour
	// phoneSeenSave: the phone's last sighting is written at most this often.
	phoneSeenSave = time.Hour
)

// Connection states beyond the basic ones in adapter.go.
const (
	StatusStreamReplaced Status = "stream_replaced" // another client uses the session
	StatusClientOutdated Status = "client_outdated" // WhatsApp rejects this version
	StatusConnectFailed  Status = "connect_failed"  // refused or unreachable; retried
	StatusKeepAliveLost  Status = "keepalive_lost"  // pings unanswered; reconnecting
	StatusPhoneOffline   Status = "phone_offline"   // connected, but the phone is away
)

// State is the WhatsApp connection as the supervisor sees it.
type State struct {
	Status Status
	Since  time.Time
	// Until is when a temporary ban ends (StatusBanned).
	Until time.Time
	// Reason is what WhatsApp said, or why the state began.
	Reason string
	// PhoneOfflineDays is how long the phone has not been seen
	// (StatusPhoneOffline).
	PhoneOfflineDays int
	// Incident identifies the incident an alarming state belongs to (a
	// logout, a ban, a replaced stream, an outdated client, a phone offline
	// since a day): the same incident keeps the same key, so admin warnings
	// keyed on it are queued once. Empty when nobody needs to be warned.
	Incident string

	quiet bool // no incident: e.g. not paired at start, nothing new happened
}

// String describes s for logs, /healthz and `piket status`.
func (s State) String() string {
	out := string(s.Status)
	switch s.Status {
	case StatusBanned:
		if !s.Until.IsZero() {
			out += " until " + s.Until.UTC().Format(time.RFC3339)
		}
	case StatusPhoneOffline:
		out += fmt.Sprintf(" %d days", s.PhoneOfflineDays)
	}
	if s.Reason != "" {
		out += ": " + s.Reason
	}
	return out
}

// Settings keeps small values across restarts (the phone's last
// sighting). *store.Store implements it.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// reasonStopped is the reason of the state Run leaves behind.
const reasonStopped = "stopped"

// phoneSeenKey is the Settings key of the phone's last sighting, stored as
// "<device JID> <RFC 3339 time>" so a new pairing starts afresh.
const phoneSeenKey = "whatsapp.phone_last_seen"

// State is the current connection state.
func (a *Adapter) State() State {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

// Status is the last connection state's kind.
func (a *Adapter) Status() Status { return a.State().Status }

// setStatus moves to a state of kind s with no details.
func (a *Adapter) setStatus(s Status) { a.setState(State{Status: s}) }

// setState records s (Since and Incident filled in), logs and reports it
// when it differs from the current state.
func (a *Adapter) setState(s State) {
	a.reportMu.Lock()
	defer a.reportMu.Unlock()
	now := a.now()
	a.mu.Lock()
	old := a.state
	if old.Status == s.Status && old.Reason == s.Reason && old.Until.Equal(s.Until) && old.PhoneOfflineDays == s.PhoneOfflineDays {
		a.mu.Unlock()
		return
	}
	s.Since = now
	if old.Status == s.Status {
		s.Since = old.Since
	}
	if s.Status == StatusConnected || s.Status == StatusPhoneOffline {
		if a.connectedAt.IsZero() {
			a.connectedAt = now
		}
	} else if s.Status != StatusKeepAliveLost {
		a.connectedAt = time.Time{}
	}
	if warnable(s.Status) && s.Incident == "" && !s.quiet {
		key, ok := a.incidents[s.Status]
		if !ok {
			key = string(s.Status) + ":" + now.UTC().Format(time.RFC3339)
			a.incidents[s.Status] = key
		}
		s.Incident = key
	}
	a.state = s
	a.mu.Unlock()
	a.logState(s)
	if a.onStatus != nil && old.Status != s.Status {
		a.onStatus(s.Status)
	}
	if a.onState != nil {
		a.onState(s)
	}
	a.wakeUp()
}

// warnable states warn the office admins.
func warnable(s Status) bool {
	switch s {
	case StatusLoggedOut, StatusBanned, StatusStreamReplaced, StatusClientOutdated:
		return true
	}
	return false
}

func (a *Adapter) logState(s State) {
	level := slog.LevelInfo
	msg := "whatsapp: connection state"
	switch s.Status {
	case StatusDisconnected, StatusKeepAliveLost, StatusConnectFailed, StatusPhoneOffline:
		if s.Reason != reasonStopped {
			level = slog.LevelWarn
		}
	case StatusLoggedOut:
		level, msg = slog.LevelError, "whatsapp: not paired; run `piket whatsapp pair` again (Piket keeps running and picks the new pairing up)"
	case StatusBanned:
		level, msg = slog.LevelError, "whatsapp: number temporarily banned by WhatsApp; sending too fast or to people who never wrote first?"
	case StatusStreamReplaced:
		level, msg = slog.LevelError, "whatsapp: another process connected with this session; stop it (only one Piket may use a session file)"
	case StatusClientOutdated:
		level, msg = slog.LevelError, "whatsapp: WhatsApp rejected this client version; update Piket"
	}
	args := []any{"state", string(s.Status)}
	if s.Reason != "" {
		args = append(args, "reason", s.Reason)
	}
	if !s.Until.IsZero() {
		args = append(args, "until", s.Until.UTC().Format(time.RFC3339))
	}
	if s.PhoneOfflineDays > 0 {
		args = append(args, "phone_offline_days", s.PhoneOfflineDays)
	}
	a.log.Log(context.Background(), level, msg, args...)
}

func (a *Adapter) wakeUp() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// connEvent handles whatsmeow's connection events (and notes the phone's
// sightings). It reports whether evt was one; it runs on whatsmeow's
// event goroutine.
func (a *Adapter) connEvent(raw any) bool {
	switch evt := raw.(type) {
	case *events.Connected:
		a.setState(State{Status: StatusConnected})
		a.checkPhone(context.Background())
	case *events.Disconnected:
		// whatsmeow reconnects by itself, except after the states that
		// already say why it will not.
		switch a.Status() {
		case StatusLoggedOut, StatusBanned, StatusStreamReplaced, StatusClientOutdated, StatusConnectFailed:
		default:
			a.setState(State{Status: StatusDisconnected, Reason: "connection lost; reconnecting"})
		}
	case *events.LoggedOut:
		a.setState(State{Status: StatusLoggedOut, Reason: "logged out by WhatsApp: " + evt.Reason.String()})
	case *events.TemporaryBan:
		s := State{Status: StatusBanned, Reason: fmt.Sprintf("code %d: %s", int(evt.Code), evt.Code.String())}
		if evt.Expire > 0 {
			s.Until = a.now().Add(evt.Expire).Truncate(time.Second)
		}
		a.setState(s)
	case *events.StreamReplaced:
		a.setState(State{Status: StatusStreamReplaced, Reason: "another client connected with this session"})
	case *events.ClientOutdated:
		a.setState(State{Status: StatusClientOutdated, Reason: "connect failure 405: client outdated"})
	case *events.ConnectFailure:
		a.setState(State{Status: StatusConnectFailed, Reason: connectFailureReason(evt)})
	case *events.StreamError:
		a.log.Warn("whatsapp: stream error", "code", evt.Code)
	case *events.KeepAliveTimeout:
		if s := a.Status(); s == StatusConnected || s == StatusPhoneOffline || s == StatusKeepAliveLost {
			a.setState(State{Status: StatusKeepAliveLost, Reason: fmt.Sprintf("%d keep-alive pings unanswered", evt.ErrorCount)})
		}
	case *events.KeepAliveRestored:
		if a.Status() == StatusKeepAliveLost {
			a.setState(State{Status: StatusConnected})
			a.checkPhone(context.Background())
		}
	case *events.Receipt:
		if evt.IsFromMe && evt.Sender.Device == 0 {
			a.phoneSeen(evt.Timestamp)
		}
	case *events.Message:
		if evt.Info.IsFromMe && evt.Info.Sender.Device == 0 {
			a.phoneSeen(evt.Info.Timestamp)
		}
		return false
	default:
		return false
	}
	return true
}

func connectFailureReason(evt *events.ConnectFailure) string {
	r := fmt.Sprintf("connect failure %d: %s", int(evt.Reason), evt.Reason.String())
	if evt.Message != "" {
		r += " (" + evt.Message + ")"
	}
	return r
}

// phoneSeen notes that the bot's phone (device 0 of its own number) was
// online at t. The phone acknowledges every message the bot sends, so a
// phone that is online is seen at least as often as the bot sends.
func (a *Adapter) phoneSeen(t time.Time) {
	if t.IsZero() || t.After(a.now()) {
		t = a.now()
	}
	a.mu.Lock()
	if !t.After(a.phoneLast) {
		a.mu.Unlock()
		return
	}
	a.phoneLast = t
	save := a.settings != nil && t.Sub(a.phoneSaved) >= phoneSeenSave
	if save {
		a.phoneSaved = t
	}
	a.mu.Unlock()
	if save {
		a.savePhoneSeen(context.Background(), t)
	}
	if a.Status() == StatusPhoneOffline {
		a.setState(State{Status: StatusConnected})
	}
}

// loadPhoneSeen reads the phone's last sighting for the paired device; a
// device never seen before starts its clock now.
func (a *Adapter) loadPhoneSeen(ctx context.Context) {
	now := a.now()
	seen := now
	if a.settings != nil {
		v, err := a.settings.Setting(ctx, phoneSeenKey)
		if err != nil {
			a.log.Warn("whatsapp: read the phone's last sighting", "err", err)
		}
		if t, ok := parsePhoneSeen(v, a.device.GetJID().ToNonAD().String()); ok && t.Before(now) {
			seen = t
		}
	}
	a.mu.Lock()
	a.phoneLast, a.phoneSaved = seen, seen
	a.mu.Unlock()
	if seen.Equal(now) && a.settings != nil {
		a.savePhoneSeen(ctx, now)
	}
}

func (a *Adapter) savePhoneSeen(ctx context.Context, t time.Time) {
	v := a.device.GetJID().ToNonAD().String() + " " + t.UTC().Format(time.RFC3339)
	if err := a.settings.SetSetting(ctx, phoneSeenKey, v); err != nil {
		a.log.Warn("whatsapp: save the phone's last sighting", "err", err)
	}
}

// parsePhoneSeen reads a stored last sighting ("<JID> <RFC 3339>"); ok
// is false unless it is well-formed and for device jid.
func parsePhoneSeen(v, jid string) (time.Time, bool) {
	dev, at, found := strings.Cut(v, " ")
	if !found || dev != jid || dev == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// checkPhone moves between connected and phone offline by the phone's
// last sighting.
func (a *Adapter) checkPhone(context.Context) {
	a.mu.Lock()
	last := a.phoneLast
	a.mu.Unlock()
	s := a.Status()
	if last.IsZero() || (s != StatusConnected && s != StatusPhoneOffline) {
		return
	}
	away := a.now().Sub(last)
	if away < PhoneOfflineWarn {
		if s == StatusPhoneOffline {
			a.setState(State{Status: StatusConnected})
		}
		return
	}
	a.setState(State{
		Status:           StatusPhoneOffline,
		PhoneOfflineDays: int(away / (24 * time.Hour)),
		Reason:           "open WhatsApp on the bot's phone; WhatsApp unlinks the device after about 14 days",
		Incident:         "phone_offline:" + last.UTC().Format(time.RFC3339),
	})
}

// Run connects to WhatsApp and handles events until ctx ends, then
// disconnects and returns nil. It reconnects as the state requires (see
// the supervisor's delays) and never returns on a connection problem.
// With Options.Session, while no device is paired it waits in
// StatusLoggedOut and polls the session store; without one it returns
// ErrNotPaired if the device is not paired, or when it is logged out.
func (a *Adapter) Run(ctx context.Context) error {
	a.mu.Lock()
	a.runCtx = ctx
	a.mu.Unlock()
	defer a.setState(State{Status: StatusDisconnected, Reason: reasonStopped})
	if a.session == nil {
		if a.device == nil || a.device.GetJID().IsEmpty() {
			return ErrNotPaired
		}
		if a.supervise(ctx, a.client) {
			return ErrNotPaired
		}
		return nil
	}
	var gone types.JID // the device last logged out
	for ctx.Err() == nil {
		cli, jid, why, err := a.session.acquire(ctx, gone)
		if err != nil {
			a.log.Error("whatsapp: read the session store", "err", err)
			why = "cannot read the session store: " + err.Error()
		}
		if cli == nil {
			if st := a.State(); st.Status != StatusLoggedOut || st.Incident == "" {
				// Keep a logout's incident (and its reason) while waiting.
				a.setState(State{Status: StatusLoggedOut, Reason: why, quiet: true})
			}
			if waitCtx(ctx, a.pairPoll) != nil {
				break
			}
			continue
		}
		a.live.set(cli, jid)
		a.log.Info("whatsapp: paired device found; connecting")
		if a.supervise(ctx, a.live) {
			gone = jid
		}
		cli.Disconnect()
		a.live.set(nil, types.EmptyJID)
		a.session.release()
	}
	return nil
}

// supervise runs one paired device's connection until ctx ends (false)
// or the device is logged out (true).
func (a *Adapter) supervise(ctx context.Context, c Client) (loggedOut bool) {
	id := c.AddEventHandlerWithSuccessStatus(a.handleEvent)
	defer c.RemoveEventHandler(id)
	a.mu.Lock()
	a.incidents = map[Status]string{}
	if a.state.Status == StatusLoggedOut {
		// A new pairing ends the logout incident.
		a.state = State{Status: StatusDisconnected}
	}
	a.mu.Unlock()
	a.loadPhoneSeen(ctx)

	failures := 0
	connect := func(again bool) {
		if again {
			c.Disconnect()
		}
		a.setState(State{Status: StatusConnecting})
		// whatsmeow's read loop ends with the context it connected with;
		// ending it while Disconnect closes the socket is a data race in
		// whatsmeow (seen with the race detector against wafake), so the
		// connection lives until Disconnect.
		if err := c.ConnectContext(context.WithoutCancel(ctx)); err != nil && ctx.Err() == nil {
			a.setState(State{Status: StatusConnectFailed, Reason: "connect: " + err.Error()})
		}
	}
	connect(false)
	tick := time.NewTicker(a.tick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			c.Disconnect()
			return false
		case <-a.wake:
		case <-tick.C:
		}
		s := a.State()
		now := a.now()
		if s.Status == StatusConnected {
			failures = 0
		}
		a.closeIncidents(now)
		var retryAt time.Time
		switch s.Status {
		case StatusLoggedOut:
			c.Disconnect()
			return true
		case StatusConnected, StatusPhoneOffline:
			a.checkPhone(ctx)
			continue
		case StatusBanned:
			retryAt = s.Until.Add(BanMargin)
			if s.Until.IsZero() {
				retryAt = s.Since.Add(FailureRetryMax)
			}
		case StatusStreamReplaced:
			retryAt = s.Since.Add(ReplacedRetry)
		case StatusClientOutdated:
			retryAt = s.Since.Add(OutdatedRetry)
		case StatusConnectFailed:
			retryAt = s.Since.Add(min(FailureRetry<<min(failures, 10), FailureRetryMax))
		case StatusKeepAliveLost:
			retryAt = s.Since.Add(KeepAliveReconnect)
		default: // disconnected or connecting: whatsmeow is at it
			retryAt = s.Since.Add(DisconnectedReconnect)
		}
		if now.Before(retryAt) {
			continue
		}
		if s.Status == StatusConnectFailed {
			failures++
		}
		a.log.Info("whatsapp: reconnecting", "after", string(s.Status))
		connect(true)
	}
}

// closeIncidents ends the incidents once the connection has been stable
// for StableAfter.
func (a *Adapter) closeIncidents(now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.connectedAt.IsZero() && now.Sub(a.connectedAt) >= StableAfter && len(a.incidents) > 0 {
		a.incidents = map[Status]string{}
	}
}

func waitCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// liveClient is the adapter's Client, Device and LIDResolver when it runs
// on a Session: it forwards to the whatsmeow client of the device paired
// now, which changes when the device is logged out and paired again.
type liveClient struct {
	mu  sync.RWMutex
	cli *whatsmeow.Client
	jid types.JID // the device's, kept: whatsmeow clears it on logout
}

var (
	_ Client          = (*liveClient)(nil)
	_ Device          = (*liveClient)(nil)
	_ LIDResolver     = (*liveClient)(nil)
	_ LIDLookup       = (*liveClient)(nil)
	_ LIDWriter       = (*liveClient)(nil)
	_ GroupInfoGetter = (*liveClient)(nil)
)

func (l *liveClient) set(cli *whatsmeow.Client, jid types.JID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cli, l.jid = cli, jid
}

func (l *liveClient) get() *whatsmeow.Client {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cli
}

func (l *liveClient) SendMessage(ctx context.Context, to types.JID, msg *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	c := l.get()
	if c == nil {
		return whatsmeow.SendResponse{}, whatsmeow.ErrNotLoggedIn
	}
	return c.SendMessage(ctx, to, msg, extra...)
}

func (l *liveClient) SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error {
	c := l.get()
	if c == nil {
		return whatsmeow.ErrNotLoggedIn
	}
	return c.SendChatPresence(ctx, jid, state, media)
}

func (l *liveClient) IsConnected() bool {
	c := l.get()
	return c != nil && c.IsConnected()
}

func (l *liveClient) ConnectContext(ctx context.Context) error {
	c := l.get()
	if c == nil {
		return ErrNotPaired
	}
	return c.ConnectContext(ctx)
}

func (l *liveClient) Disconnect() {
	if c := l.get(); c != nil {
		c.Disconnect()
	}
}

func (l *liveClient) AddEventHandlerWithSuccessStatus(h whatsmeow.EventHandlerWithSuccessStatus) uint32 {
	if c := l.get(); c != nil {
		return c.AddEventHandlerWithSuccessStatus(h)
	}
	return 0
}

func (l *liveClient) RemoveEventHandler(id uint32) bool {
	if c := l.get(); c != nil {
		return c.RemoveEventHandler(id)
	}
	return false
}

func (l *liveClient) GetJID() types.JID {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.jid
}

func (l *liveClient) GetLID() types.JID {
	if c := l.get(); c != nil {
		return c.Store.GetLID()
	}
	return types.EmptyJID
}

func (l *liveClient) GetPNForLID(ctx context.Context, lid types.JID) (types.JID, error) {
	c := l.get()
	if c == nil {
		return types.EmptyJID, nil
	}
	return c.Store.LIDs.GetPNForLID(ctx, lid)
}

// GetLIDForPN looks a phone number's LID up in the device's LID store
// (mentions in LID-addressed groups).
func (l *liveClient) GetLIDForPN(ctx context.Context, pn types.JID) (types.JID, error) {
	c := l.get()
	if c == nil {
		return types.EmptyJID, nil
	}
	return c.Store.LIDs.GetLIDForPN(ctx, pn)
}

// PutLIDMapping stores a LID↔phone mapping learned from a group's
// participant list.
func (l *liveClient) PutLIDMapping(ctx context.Context, lid, pn types.JID) error {
	c := l.get()
	if c == nil {
		return ErrNotPaired
	}
	return c.Store.LIDs.PutLIDMapping(ctx, lid, pn)
}

// GetGroupInfo asks the server for a group's participants (resolving a
// LID sender in a group).
func (l *liveClient) GetGroupInfo(ctx context.Context, jid types.JID) (*types.GroupInfo, error) {
	c := l.get()
	if c == nil {
		return nil, whatsmeow.ErrNotLoggedIn
	}
	return c.GetGroupInfo(ctx, jid)
}

// WhatsmeowClient is the whatsmeow client of the device in use (with a
// Session; nil while none is paired, or without a Session).
func (a *Adapter) WhatsmeowClient() *whatsmeow.Client {
	if a.live == nil {
		return nil
	}
	return a.live.get()
}

// Statuses lists every connection state, for metrics.
func Statuses() []Status {
	return []Status{StatusConnecting, StatusConnected, StatusDisconnected, StatusLoggedOut, StatusBanned,
		StatusStreamReplaced, StatusClientOutdated, StatusConnectFailed, StatusKeepAliveLost, StatusPhoneOffline}
}
