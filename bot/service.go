package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// Addresser is implemented by a platform on which every staff member and
// every office group can be reached without linking (the console). The
// core asks it for chat IDs instead of reading the platform's ID format.
type Addresser interface {
	Platform() Platform
	PersonChat(nip string) string
	GroupChat(officeCode string) string
	// TrustsSender reports whether SenderID is itself a NIP the platform
	// vouches for (the console, where the operator picks who speaks).
	TrustsSender() bool
}

// OfficePolicy is what the core needs of an office's configuration.
type OfficePolicy struct {
	Deadline int // minutes after local midnight; a later check-in is late
	Roster   RosterPolicy
	Leave    LeavePolicy
	// MaxDelay: a message sent longer than this before it was received is
	// recorded at its sent time but flagged delayed; 0: DefaultMaxDelay.
	MaxDelay time.Duration
	// Since overrides the office's stored go-live day (zero: keep it).
	Since civil.Date
	// Flex is mode fleksibel's configuration (flex.go); zero: mode piket.
	Flex FlexPolicy
}

// Options configure a Service.
type Options struct {
	Store    *store.Store
	Texts    *Texts
	Clock    func() time.Time
	Log      *slog.Logger
	Policy   func(officeCode string) OfficePolicy
	Implicit []Addresser
	// Notify is called after a commit queued outbound messages.
	Notify func()
	// RateLimit limits messages per sender (nil: no limit); see
	// NewRateLimiter.
	RateLimit *RateLimiter
	// DashboardURL is the web dashboard's base URL for /dasbor links
	// ("": the dashboard is off).
	DashboardURL string
	// Accounts maps offices to platform accounts (nil: one account per
	// platform).
	Accounts Accounts
	// Inbox holds messages received ahead of handling (ReceiveBatch,
	// RunInbox); nil: ReceiveBatch handles them at once.
	Inbox *store.Inbox
}

// Service handles inbound messages: identify, authorize, act, reply.
type Service struct {
	store    *store.Store
	t        *Texts
	now      func() time.Time
	log      *slog.Logger
	policy   func(string) OfficePolicy
	implicit []Addresser
	notify   func()
	locs     *locCache
	limiter  *RateLimiter
	accounts Accounts
	inbox    *store.Inbox

	dashboardURL string

	// recv holds received messages for RunInbox (inbox.go); recvMu
	// keeps a received batch's inbox IDs and its place in recv in the
	// same order.
	recvOnce sync.Once
	recv     *receivedQueue
	recvMu   sync.Mutex
}

// New returns a Service.
func New(o Options) *Service {
	s := &Service{store: o.Store, t: o.Texts, now: o.Clock, log: o.Log, policy: o.Policy, implicit: o.Implicit, notify: o.Notify, locs: newLocCache(), limiter: o.RateLimit,
		accounts: o.Accounts, dashboardURL: o.DashboardURL, inbox: o.Inbox}
	if s.t == nil {
		s.t = TextsFor("id")
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.policy == nil {
		s.policy = func(string) OfficePolicy { return OfficePolicy{Deadline: 8 * 60} }
	}
	if s.notify == nil {
		s.notify = func() {}
	}
	return s
}

var _ Handler = (*Service)(nil)

// Outcomes recorded in the inbound audit.
const (
	OutcomeOK            = "ok"
	OutcomeIgnored       = "ignored"
	OutcomeUnknownSender = "unknown_sender"
	OutcomeRejected      = "rejected"
	OutcomeDenied        = "denied"
	OutcomeError         = "error"
)

// turn is one inbound message being handled inside a write transaction.
type turn struct {
	s         *Service
	ctx       context.Context
	tx        *store.Tx
	in        Inbound
	inboundID int64
	now       time.Time    // when the message was received
	at        time.Time    // its time of record: when it was sent (see recordTime)
	who       *store.Staff // nil: unknown sender
	pre       sender       // the sender as looked up before the inbound row was written
	cmd       Command      // the text parsed before the write
	queued    int
	outcome   string
	tail      string // appended to the next reply (see withAbsences)
}

// Handle implements Handler. It returns nil once the message and
// everything it caused are committed (or it was a duplicate delivery).
func (s *Service) Handle(ctx context.Context, m Inbound) error {
	j, err := s.prepare(ctx, m)
	if err != nil {
		return err
	}
	return j.done(s, s.store.WriteFor(ctx, j.who, j.fn))
}

// job is one inbound message prepared for the writer: the pure work
// (cleaning, parsing) is done on the caller's goroutine, not the writer's.
type job struct {
	m      Inbound
	who    *store.Sender       // looked up with the rest of the batch
	pre    *store.SenderAnswer // who looked up ahead, or nil
	fn     func(*store.Tx) error
	queued int // replies fn queued, set by its last run
	// received is when the message was received, when that was before
	// the write (a message handled from the inbox); zero: at the write.
	received time.Time
	inboxID  int64      // the message's inbox row (0: none)
	batch    uint64     // the received batch it came in (inbox.go)
	after    AfterBatch // that batch's after, on its last message
}

// prepare validates m and builds its write.
func (s *Service) prepare(ctx context.Context, m Inbound) (*job, error) {
	if m.MessageID == "" || m.Platform == "" {
		return nil, errors.New("bot: inbound message without platform or message ID")
	}
	raw := m.Text
	m.Text = Clean(m.Text)
	tooLong := len(raw) > MaxText
	cmd := Parse(m.Text)
	j := &job{m: m}
	if lookedUp(m) {
		j.who = &store.Sender{Platform: string(m.Platform), ExternalID: m.SenderID}
		if s.trusts(m.Platform) {
			j.who = &store.Sender{NIP: m.SenderID}
		}
	}
	j.fn = func(tx *store.Tx) error {
		j.queued = 0
		now := j.received
		if now.IsZero() {
			now = s.now()
		}
		// Predict the common case (a known sender, handled): the row is
		// then written once, not written and updated.
		guess := store.InboundRecord{
			Platform: string(m.Platform), MessageID: m.MessageID, ChatID: m.ChatID, SenderID: m.SenderID,
			Group: m.Group, Text: m.Text, ReceivedAt: now,
		}
		var pre sender
		if j.who != nil {
			pre.st, pre.err = tx.Sender(ctx)
			pre.looked = true
		}
		if pre.known() {
			guess.StaffID, guess.Outcome = pre.st.ID, OutcomeOK
		}
		id, dup, err := tx.RecordInbound(ctx, guess)
		if err != nil {
			return err
		}
		if dup {
			s.log.Debug("duplicate delivery", "platform", m.Platform, "message_id", m.MessageID)
			return nil
		}
		t := &turn{s: s, ctx: ctx, tx: tx, in: m, inboundID: id, now: now, at: recordTime(m.Time, now), pre: pre, cmd: cmd}
		if err := t.run(tooLong); err != nil {
			return err
		}
		var staffID int64
		if t.who != nil {
			staffID = t.who.ID
		}
		if staffID != guess.StaffID || t.outcome != guess.Outcome {
			if err := tx.SetInboundOutcome(ctx, id, staffID, t.outcome); err != nil {
				return err
			}
		}
		j.queued = t.queued
		return nil
	}
	return j, nil
}

// done turns the write's outcome into Handle's, waking the outbox when
// replies were committed.
func (j *job) done(s *Service, err error) error {
	if err != nil {
		return fmt.Errorf("bot: handle %s message: %w", j.m.Platform, err)
	}
	if j.queued > 0 {
		s.notify()
	}
	return nil
}

// errStore marks errors that must abort the transaction (and be retried),
// as opposed to a bug in handling one message.
type errStore struct{ err error }

func (e errStore) Error() string { return e.err.Error() }
func (e errStore) Unwrap() error { return e.err }

// run identifies the sender and acts. A store error aborts; a panic or a
// handling bug is answered with an apology and recorded, so a poison
// message cannot be redelivered forever.
func (t *turn) run(tooLong bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			t.s.log.Error("bot: panic while handling a message", "platform", t.in.Platform, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = nil
			t.outcome = OutcomeError
			if !t.in.Group {
				err = t.reply(t.s.t.InternalError)
			}
		}
	}()
	if err := t.dispatch(tooLong); err != nil {
		var se errStore
		if errors.As(err, &se) {
			return err
		}
		t.s.log.Error("bot: handling a message failed", "platform", t.in.Platform, "err", err)
		t.outcome = OutcomeError
		if !t.in.Group {
			return t.reply(t.s.t.InternalError)
		}
	}
	return nil
}

func (t *turn) dispatch(tooLong bool) error {
	if t.in.Group && !t.in.Addressed {
		t.outcome = OutcomeIgnored
		return nil
	}
	if other, err := t.otherAccountsGroup(t.cmd); other || err != nil {
		t.outcome = OutcomeIgnored
		return err
	}
	if limited, err := t.rateLimited(); limited || err != nil {
		return err
	}
	if err := t.identify(); err != nil {
		return err
	}
	if t.in.Contact != nil {
		return t.onContact()
	}
	if t.in.Location != nil && t.who != nil {
		return t.onLocation() // flex_location.go
	}
	cmd := t.cmd
	if t.who == nil {
		return t.onUnknownSender(cmd)
	}
	if wrong, err := t.wrongAccount(cmd); wrong || err != nil {
		return err
	}
	if ack, ok, err := t.replyAck(cmd); err != nil {
		return err
	} else if ok {
		cmd = ack
	}
	if tooLong && !t.in.Group {
		if err := t.reply(t.s.t.TooLong); err != nil {
			return err
		}
	}
	t.outcome = OutcomeOK
	switch cmd.Kind {
	case KindNone:
		if t.in.Group {
			t.outcome = OutcomeIgnored
			return nil
		}
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.NotUnderstood)
	case KindUnknown:
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.UnknownCommand(cmd.Word, cmd.Suggest))
	case KindCheckIn:
		return t.checkIn(cmd)
	case KindReport:
		return t.workReport(cmd)
	case KindStatus:
		return t.withAbsences(t.statusWithLeave)
	case KindHelp:
		return t.help()
	case KindAsk:
		// An unclear check-in: a question, nothing stored.
		t.outcome = OutcomeRejected
		return t.reply(t.s.t.Guide.Ask(cmd.Arg))
	case KindStart:
		return t.reply(t.s.t.AlreadyLinked(t.who.Name))
	case KindUnlink:
		return t.unlink()
	case KindGroupLink:
		return t.linkGroup(cmd)
	case KindRoster:
		if t.flexMode() { // no duty roster in mode fleksibel (flex.go)
			return t.reply(t.s.t.Flex.NoRoster)
		}
		if cmd.Arg == "" {
			return t.withAbsences(func() error { return t.rosterCommand(cmd) })
		}
		return t.rosterCommand(cmd)
	case KindCancel:
		if n, ok := flexCancelArg(cmd.Arg); ok { // "/batal wfa N": a flexible-work request (flex_record.go)
			return t.flexCancel(n)
		}
		return t.cancelAbsence(cmd)
	case KindSwap:
		return t.swapRequest(cmd)
	case KindSwapAgree, KindSwapRefuse:
		if t.flexMode() { // no duty roster to swap: /setuju and /tolak decide requests
			return t.flexDecide(cmd, cmd.Kind == KindSwapAgree)
		}
		return t.swapDecide(cmd, cmd.Kind == KindSwapAgree)
	case KindRecap:
		return t.recap(cmd)
	case KindLeave:
		if t.in.Group {
			// The reason (a hospital visit) is between the person and their supervisor.
			t.outcome = OutcomeRejected
			return t.reply(t.s.t.LeavePrivateOnly)
		}
		return t.leave(cmd)
	case KindReturn:
		return t.comeBack()
	case KindAck:
		return t.ack(cmd)
	case KindLeaveList:
		return t.leaveList()
	case KindDashboard:
		return t.dashboard()
	}
	if ok, err := t.flexDispatch(cmd); ok {
		return err
	}
	t.outcome = OutcomeRejected
	return t.reply(t.s.t.NotUnderstood)
}

// sender is the look-up of who sent a message, done before its inbound
// row is written (so the row is written once, with who sent it).
type sender struct {
	looked bool
	st     store.Staff
	err    error // store.ErrNotFound: not a linked, active staff member
}

func (p sender) known() bool { return p.looked && p.err == nil }

// lookedUp reports whether a message's sender is looked up before its
// inbound row is written (not for contact cards, which link, nor for
// group chatter, which is ignored).
func lookedUp(m Inbound) bool { return m.Contact == nil && (!m.Group || m.Addressed) }

// lookup finds the active staff member behind m's sender, without
// linking anyone (see identify).
func (s *Service) lookup(ctx context.Context, tx *store.Tx, m Inbound) (store.Staff, error) {
	if s.trusts(m.Platform) {
		return tx.ActiveStaffByNIP(ctx, m.SenderID)
	}
	return tx.StaffByIdentity(ctx, string(m.Platform), m.SenderID)
}

// trusts reports whether platform's sender IDs are NIPs it vouches for.
func (s *Service) trusts(p Platform) bool {
	for _, a := range s.implicit {
		if a.Platform() == p && a.TrustsSender() {
			return true
		}
	}
	return false
}

// identify finds the staff member behind the sender, linking a platform
// that proves the phone number (WhatsApp) on first contact.
func (t *turn) identify() error {
	st, err := t.pre.st, t.pre.err
	if !t.pre.looked {
		st, err = t.s.lookup(t.ctx, t.tx, t.in)
	}
	if err == nil || !errors.Is(err, store.ErrNotFound) || t.s.trusts(t.in.Platform) {
		return t.found(st, err)
	}
	if t.in.SenderPhone == "" {
		return nil
	}
	st, err = t.tx.ActiveStaffByPhone(t.ctx, t.in.SenderPhone)
	if err != nil {
		return t.found(st, err)
	}
	chat := t.in.ChatID
	if t.in.Group {
		chat = t.in.SenderChat // empty when the platform does not tell it
	}
	if err := t.tx.LinkIdentity(t.ctx, st.ID, store.Identity{Platform: string(t.in.Platform), ExternalID: t.in.SenderID, ChatID: chat}, t.now); err != nil {
		return errStore{err}
	}
	return t.found(st, nil)
}

func (t *turn) found(st store.Staff, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return errStore{err}
	}
	t.who = &st
	return nil
}

func (t *turn) onUnknownSender(cmd Command) error {
	t.outcome = OutcomeUnknownSender
	if t.in.Group {
		return t.askToRegisterPrivately() // never answer strangers in a group
	}
	if t.in.Platform == Telegram && cmd.Kind == KindStart {
		return t.send(Outgoing{Text: t.s.t.AskContact, RequestContact: true})
	}
	if _, err := staff.NormalizePhone(t.in.Text); err == nil && t.in.Platform == Telegram {
		// A typed number proves nothing: only a shared contact card does.
		return t.send(Outgoing{Text: t.s.t.ContactTyped, RequestContact: true})
	}
	return t.send(Outgoing{Text: t.s.t.UnknownSender(t.in.Platform), RequestContact: t.in.Platform == Telegram})
}

// loc returns the time zone of the sender's office.
func (t *turn) loc() *time.Location { return t.s.locs.get(t.who.Office.TZ) }

// today is the sender's local calendar day.
func (t *turn) today() civil.Date { return civil.In(t.now, t.loc()) }

// Outgoing is a reply with options.
type Outgoing struct {
	Text           string
	RequestContact bool
}

// reply queues text to the chat the message came from.
func (t *turn) reply(text string) error { return t.send(Outgoing{Text: text}) }

func (t *turn) send(o Outgoing) error {
	if t.tail != "" {
		o.Text, t.tail = o.Text+"\n\n"+t.tail, ""
	}
	_, queued, err := t.tx.Enqueue(t.ctx, store.OutMsg{
		Platform: string(t.in.Platform), Account: t.in.Account, ChatID: t.in.ChatID, Group: t.in.Group,
		Text: o.Text, RequestContact: o.RequestContact, Priority: store.PriorityReply,
	}, t.now)
	if err != nil {
		return errStore{err}
	}
	if queued {
		t.queued++
	}
	return nil
}
