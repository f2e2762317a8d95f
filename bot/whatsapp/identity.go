package whatsapp

import (
	"context"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
)

// Identity: the core sees one sender ID per person, the phone number's
// digits, whether WhatsApp addressed the message from the number or from
// the person's LID (the hidden-number ID of LID-addressed groups and
// chats). A LID is resolved, in order, through the message's alternate
// address (SenderAlt, from participant_pn), whatsmeow's LID store (the
// LID↔phone map whatsmeow fills from every message and group it sees), and
// for a group message addressed to the bot, the group's participant list;
// a mapping found there is written back to the LID store. A sender that
// still cannot be resolved keeps the "…@lid" ID, and Inbound.SenderChat
// lets the core answer them privately with how to register.

// GroupInfoGetter reads a group's participant list (with each member's
// phone number and LID). *whatsmeow.Client implements it.
type GroupInfoGetter interface {
	GetGroupInfo(ctx context.Context, jid types.JID) (*types.GroupInfo, error)
}

// LIDWriter stores a LID↔phone mapping. An Options.LIDs that implements it
// (store.LIDStore does) learns the mappings found in group participant
// lists.
type LIDWriter interface {
	PutLIDMapping(ctx context.Context, lid, pn types.JID) error
}

var (
	_ GroupInfoGetter = (*whatsmeow.Client)(nil)
	_ LIDWriter       = (store.LIDStore)(nil)
)

// groupInfoTTL is how long a group's participant list is reused. WhatsApp
// answers "rate-overlimit" to clients that read group metadata often, so
// LID look-ups and mentions share one cached answer per group.
const groupInfoTTL = 10 * time.Minute

// groupCache is a GroupInfoGetter that remembers answers (and failures)
// for groupInfoTTL.
type groupCache struct {
	next GroupInfoGetter
	now  func() time.Time

	mu      sync.Mutex
	entries map[types.JID]groupEntry
}

type groupEntry struct {
	info *types.GroupInfo
	err  error
	at   time.Time
}

func newGroupCache(next GroupInfoGetter, now func() time.Time) GroupInfoGetter {
	if next == nil {
		return nil
	}
	return &groupCache{next: next, now: now, entries: map[types.JID]groupEntry{}}
}

func (c *groupCache) GetGroupInfo(ctx context.Context, jid types.JID) (*types.GroupInfo, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[jid]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < groupInfoTTL && now.Sub(e.at) >= 0 {
		return e.info, e.err
	}
	info, err := c.next.GetGroupInfo(ctx, jid)
	if ctx.Err() != nil {
		return info, err // not the group's answer
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) > pruneAt {
		for k, old := range c.entries {
			if now.Sub(old.at) >= groupInfoTTL {
				delete(c.entries, k)
			}
		}
	}
	c.entries[jid] = groupEntry{info: info, err: err, at: now}
	return info, err
}
