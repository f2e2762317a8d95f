package bot

import "context"

// Accounts tells the core which bot account of a platform serves an
// office, when a platform has several (several Telegram bots, several
// WhatsApp numbers). A person is served by their office's account: their
// reminders, alerts and notices go out through it, and a message they
// send to another account of the platform is answered there with the
// right one's name and not acted on (their contact card is not linked
// there). Replies go through the account the message came on. A group
// chat belongs to the account that linked it (/grup): messages other
// accounts receive there are ignored, and its posts go through it.
type Accounts interface {
	// Account returns the key of the account serving office on p: "" the
	// primary one, else its name.
	Account(p Platform, office string) string
	// Handle is how people find account on p ("@piket_dinkes_bot",
	// "+6281234567890"); "" when unknown.
	Handle(p Platform, account string) string
}

// accountOf is the key of the account serving office on p ("" without
// several accounts).
func (s *Service) accountOf(p Platform, office string) string {
	if s.accounts == nil {
		return ""
	}
	return s.accounts.Account(p, office)
}

// handle is how people find account on p ("" unknown).
func (s *Service) handle(p Platform, account string) string {
	if s.accounts == nil {
		return ""
	}
	return s.accounts.Handle(p, account)
}

// wrongAccount answers a known person who wrote to an account that does
// not serve their office, naming the right one. It reports whether it
// did (the message is then not acted on).
func (t *turn) wrongAccount(cmd Command) (bool, error) {
	if t.in.Group || t.who == nil || cmd.Kind == KindUnlink || t.s.trusts(t.in.Platform) {
		return false, nil
	}
	want := t.s.accountOf(t.in.Platform, t.who.Office.Code)
	if want == t.in.Account {
		return false, nil
	}
	t.outcome = OutcomeRejected
	return true, t.reply(t.s.t.Accounts.Wrong(t.in.Platform, t.who.Office.Code, t.s.handle(t.in.Platform, want), false))
}

// otherAccountsGroup reports whether the group chat the message came from
// is linked with another account of the platform than the one that
// received it: that account answers there, this one stays silent. /grup
// is taken by any account (it moves the group to that account).
func (t *turn) otherAccountsGroup(cmd Command) (bool, error) {
	if !t.in.Group || t.s.accounts == nil || cmd.Kind == KindGroupLink {
		return false, nil
	}
	account, linked, err := t.tx.GroupAccount(t.ctx, string(t.in.Platform), t.in.ChatID)
	if err != nil {
		return false, errStore{err}
	}
	return linked && account != t.in.Account, nil
}

// ForAccount returns h for the adapter of a platform account other than
// the primary one: each message gets the account, and its message ID
// (the dedupe key) the prefix "account/", since accounts see the same
// conversations with their own message numbers (Telegram numbers each
// bot's chats apart) or see the same group message each (WhatsApp), and
// each must handle its own. ReplyTo stays the platform's ID of the
// account's own message. For the primary account ("") h is returned.
// A BatchHandler stays one.
func ForAccount(h Handler, account string) Handler {
	if account == "" {
		return h
	}
	a := accountHandler{h: h, account: account}
	if r, ok := h.(Receiver); ok {
		return accountReceiver{accountBatchHandler: accountBatchHandler{accountHandler: a, b: r}, r: r}
	}
	if b, ok := h.(BatchHandler); ok {
		return accountBatchHandler{accountHandler: a, b: b}
	}
	return a
}

type accountHandler struct {
	h       Handler
	account string
}

// tag gives in the account and its message ID the account's prefix.
func (a accountHandler) tag(in Inbound) Inbound {
	in.Account = a.account
	in.MessageID = a.account + "/" + in.MessageID
	return in
}

func (a accountHandler) Handle(ctx context.Context, in Inbound) error {
	return a.h.Handle(ctx, a.tag(in))
}

type accountBatchHandler struct {
	accountHandler
	b BatchHandler
}

var _ BatchHandler = accountBatchHandler{}

func (a accountBatchHandler) HandleBatch(ctx context.Context, ms []Inbound, after AfterBatch) []error {
	return a.b.HandleBatch(ctx, a.tagAll(ms), after)
}

func (a accountHandler) tagAll(ms []Inbound) []Inbound {
	tagged := make([]Inbound, len(ms))
	for i, m := range ms {
		tagged[i] = a.tag(m)
	}
	return tagged
}

type accountReceiver struct {
	accountBatchHandler
	r Receiver
}

var _ Receiver = accountReceiver{}

func (a accountReceiver) ReceiveBatch(ctx context.Context, ms []Inbound, after AfterBatch) []error {
	return a.r.ReceiveBatch(ctx, a.tagAll(ms), after)
}
