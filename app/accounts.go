package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/outbox"
)

// CheckCapacity is the /healthz check that is degraded while the offices
// on some bot account have more staff than it can send the check-in
// reminder to before the deadline.
const CheckCapacity = "accounts_capacity"

// accounts is the core's view of the configured bot accounts: which one
// serves an office, and how people find each one.
type accounts struct {
	office map[bot.Platform]map[string]string // platform → office → account key

	mu      sync.RWMutex
	handles map[bot.Platform]map[string]func() string // platform → account key → its handle
}

var _ bot.Accounts = (*accounts)(nil)

func newAccounts(cfg config.Config) *accounts {
	a := &accounts{office: map[bot.Platform]map[string]string{}, handles: map[bot.Platform]map[string]func() string{}}
	for p, list := range map[bot.Platform][]config.Account{bot.Telegram: cfg.TelegramBots(), bot.WhatsApp: cfg.WhatsAppAccounts()} {
		m := map[string]string{}
		for _, acc := range list {
			for _, o := range acc.Offices {
				m[o] = acc.Key
			}
			if acc.Handle != "" {
				a.setHandle(p, acc.Key, func() string { return acc.Handle })
			}
		}
		a.office[p] = m
	}
	return a
}

// Account implements bot.Accounts.
func (a *accounts) Account(p bot.Platform, office string) string { return a.office[p][office] }

// Handle implements bot.Accounts.
func (a *accounts) Handle(p bot.Platform, account string) string {
	a.mu.RLock()
	f := a.handles[p][account]
	a.mu.RUnlock()
	if f == nil {
		return ""
	}
	return f()
}

// setHandle sets how account on p is named to people (a Telegram bot's
// @username once getMe told it, say), unless the configuration named it.
func (a *accounts) setHandle(p bot.Platform, account string, f func() string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.handles[p] == nil {
		a.handles[p] = map[string]func() string{}
	}
	if _, ok := a.handles[p][account]; !ok {
		a.handles[p][account] = f
	}
}

// moreAccounts are the outbox queues of the bots and numbers other than
// each platform's primary one: each has its own queue and is paced
// against its own limits.
func (a *App) moreAccounts() []outbox.Account {
	var more []outbox.Account
	for _, b := range a.tgBots[min(1, len(a.tgBots)):] {
		more = append(more, outbox.Account{Queue: outbox.Queue{Platform: bot.Telegram, Account: b.acc.Key}, Sender: b.adapter,
			Limits: outbox.TelegramLimits()})
	}
	for _, w := range a.wa[min(1, len(a.wa)):] {
		more = append(more, outbox.Account{Queue: outbox.Queue{Platform: bot.WhatsApp, Account: w.acc.Key}, Sender: w.adapter,
			Limits: whatsAppLimits(a.Cfg.WhatsApp.PerChat, a.Cfg.WhatsApp.Global)})
	}
	return more
}

// accountLoad is the staff one account serves against what it can reach
// in the reminder window.
type accountLoad struct {
	label    string // "telegram", "telegram:dinkes"
	staff    int
	capacity config.Capacity
}

// over reports whether the account serves more staff than it can remind.
func (l accountLoad) over() bool { return l.staff > l.capacity.Reached }

func (l accountLoad) String() string {
	return fmt.Sprintf("%s: %d active staff in its offices, about %d reminders fit in the %s before the deadline (%.1f messages/s)",
		l.label, l.staff, l.capacity.Reached, l.capacity.Window, l.capacity.PerSec)
}

// accountLoads counts the active staff each enabled account serves (an
// office not listed on any account is the primary's).
func (a *App) accountLoads(ctx context.Context) ([]accountLoad, error) {
	perOffice, err := a.Store.ActiveStaffPerOffice(ctx)
	if err != nil {
		return nil, err
	}
	var out []accountLoad
	add := func(platform string, list []config.Account, capacity config.Capacity) {
		owner := map[string]string{}
		for _, acc := range list {
			for _, o := range acc.Offices {
				owner[o] = acc.Key
			}
		}
		for _, acc := range list {
			l := accountLoad{label: acc.Label(platform), capacity: capacity}
			for office, n := range perOffice {
				if owner[office] == acc.Key {
					l.staff += n
				}
			}
			out = append(out, l)
		}
	}
	if a.Cfg.Telegram.Enabled {
		add(string(bot.Telegram), a.Cfg.TelegramBots(), a.Cfg.TelegramCapacity())
	}
	if a.Cfg.WhatsApp.Enabled {
		add(string(bot.WhatsApp), a.Cfg.WhatsAppAccounts(), a.Cfg.WhatsAppCapacity())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].label < out[j].label })
	return out, nil
}

// warnUnservedQueues logs every platform account that has messages queued
// but is not configured (removed from telegram.bots, say): they wait
// until it is configured again.
func (a *App) warnUnservedQueues(ctx context.Context) error {
	queued, err := a.Store.PendingPerAccount(ctx)
	if err != nil {
		return err
	}
	served := map[string]bool{string(bot.Console): true}
	for _, acc := range a.Cfg.TelegramBots() {
		served[acc.Label(string(bot.Telegram))] = a.Cfg.Telegram.Enabled
	}
	for _, acc := range a.Cfg.WhatsAppAccounts() {
		served[acc.Label(string(bot.WhatsApp))] = a.Cfg.WhatsApp.Enabled
	}
	for _, q := range queued {
		label := config.Account{Key: q.Account}.Label(q.Platform)
		if !served[label] {
			a.Log.Warn("accounts: messages wait for an account that is not configured or not enabled; they are sent once it is",
				"account", label, "messages", q.Pending)
		}
	}
	return nil
}

// checkCapacity warns (log and /healthz, once at start) about every
// account whose offices have more active staff than it can send the
// check-in reminder to between reminders.checkin and checkin.deadline.
func (a *App) checkCapacity(ctx context.Context) error {
	loads, err := a.accountLoads(ctx)
	if err != nil {
		return err
	}
	var over []string
	for _, l := range loads {
		if l.over() {
			a.Log.Warn("accounts: more staff than one account can remind before the deadline: move offices to another bot account (README: Several bot accounts and capacity)",
				"account", l.label, "staff", l.staff, "capacity", l.capacity.Reached, "window", l.capacity.Window)
			over = append(over, l.String())
		}
	}
	a.Health.Add(CheckCapacity, func(context.Context) (string, error) {
		if len(over) > 0 {
			return "", ops.Degraded(errors.New(strings.Join(over, "; ")))
		}
		return fmt.Sprintf("%d accounts within capacity", len(loads)), nil
	})
	return nil
}
