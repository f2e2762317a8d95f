package whatsapp

import (
	"context"

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
