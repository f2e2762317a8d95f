package whatsapp

import (
	"context"
	"strings"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
)

// LIDLookup finds the LID of a phone-number JID (empty when unknown).
// store.LIDStore implements it; an Options.LIDs that does is used to
// mention people by LID in LID-addressed groups.
type LIDLookup interface {
	GetLIDForPN(ctx context.Context, pn types.JID) (types.JID, error)
}

var _ LIDLookup = (store.LIDStore)(nil)

// withMentions builds the message for text that mentions ids (SenderIDs:
// phone digits, or "…@lid"): an ExtendedTextMessage whose ContextInfo
// lists each mentioned JID, with "@user" in the text for each, which
// WhatsApp shows as the person's name and notifies them of. In a group
// that addresses its members by LID the LID is mentioned, as WhatsApp
// clients do. IDs that do not parse are left out.
func (a *Adapter) withMentions(ctx context.Context, to types.JID, text string, ids []string) *waE2E.Message {
	var members []types.GroupParticipant
	lidGroup := false
	if to.Server == types.GroupServer && a.groups != nil {
		info, err := a.groups.GetGroupInfo(ctx, to)
		if err != nil {
			a.log.Warn("whatsapp: read group for mentions", "err", err)
		} else if info != nil {
			members, lidGroup = info.Participants, info.AddressingMode == types.AddressingModeLID
		}
	}
	var jids []string
	var tags []string
	seen := map[string]bool{}
	for _, id := range ids {
		jid, ok := a.mentionJID(ctx, id, lidGroup, members)
		if !ok || seen[jid.String()] {
			continue
		}
		seen[jid.String()] = true
		jids = append(jids, jid.String())
		if tag := "@" + jid.User; !strings.Contains(text, tag) {
			tags = append(tags, tag)
		}
	}
	if len(jids) == 0 {
		return &waE2E.Message{Conversation: proto.String(text)}
	}
	if len(tags) > 0 {
		text += "\n\n" + strings.Join(tags, " ")
	}
	return &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{
		Text:        proto.String(text),
		ContextInfo: &waE2E.ContextInfo{MentionedJID: jids},
	}}
}

// mentionJID is the JID to mention for id: its phone-number JID, or in a
// LID-addressed group its LID (from the group's participants or the LID
// store) when known.
func (a *Adapter) mentionJID(ctx context.Context, id string, lidGroup bool, members []types.GroupParticipant) (types.JID, bool) {
	var pn types.JID
	switch {
	case validPhoneDigits(strings.TrimPrefix(id, "+")):
		pn = types.NewJID(strings.TrimPrefix(id, "+"), types.DefaultUserServer)
	default:
		jid, err := types.ParseJID(id)
		if err != nil {
			return types.EmptyJID, false
		}
		jid = jid.ToNonAD()
		if isLID(jid) {
			return jid, true
		}
		if !isPN(jid) {
			return types.EmptyJID, false
		}
		pn = jid
	}
	if !lidGroup {
		return pn, true
	}
	for _, m := range members {
		if sameUser(m.PhoneNumber.ToNonAD(), pn) && isLID(m.LID.ToNonAD()) {
			return m.LID.ToNonAD(), true
		}
	}
	if l, ok := a.lids.(LIDLookup); ok {
		if lid, err := l.GetLIDForPN(ctx, pn); err == nil && isLID(lid.ToNonAD()) {
			return lid.ToNonAD(), true
		}
	}
	return pn, true
}
