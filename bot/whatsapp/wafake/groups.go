package wafake

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"go.mau.fi/libsignal/groups"
	"go.mau.fi/libsignal/protocol"
	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
)

// Group is a group chat the server holds.
type Group struct {
	srv     *Server
	jid     types.JID
	subject string
	lid     bool // addressing_mode=lid
	created time.Time

	// guarded by srv.mu
	members []string // account phone numbers
}

// NewGroup creates a group with id (digits, e.g. "120363000000000001"), a
// subject, LID addressing (as new WhatsApp groups have) or phone-number
// addressing, and members given by phone number (fake users or linked
// accounts).
func (s *Server) NewGroup(id, subject string, lidAddressing bool, members ...string) *Group {
	g := &Group{srv: s, jid: types.NewJID(id, types.GroupServer), subject: subject, lid: lidAddressing,
		created: s.now(), members: slices.Clone(members)}
	s.mu.Lock()
	s.groups[g.jid] = g
	s.mu.Unlock()
	return g
}

// JID is the group's JID (…@g.us).
func (g *Group) JID() types.JID { return g.jid }

// Add makes the accounts with these phone numbers members.
func (g *Group) Add(numbers ...string) {
	g.srv.mu.Lock()
	defer g.srv.mu.Unlock()
	for _, n := range numbers {
		if !slices.Contains(g.members, n) {
			g.members = append(g.members, n)
		}
	}
}

// isMember reports whether number is in g; s.mu must be held.
func (g *Group) isMember(number string) bool { return slices.Contains(g.members, number) }

// node is g's <group> metadata node; s.mu must be held.
func (g *Group) node() waBinary.Node {
	mode := "pn"
	if g.lid {
		mode = "lid"
	}
	attrs := waBinary.Attrs{
		"id": g.jid.User, "subject": g.subject, "creation": strconv.FormatInt(g.created.Unix(), 10),
		"s_t": strconv.FormatInt(g.created.Unix(), 10), "addressing_mode": mode, "size": strconv.Itoa(len(g.members)),
	}
	var parts []waBinary.Node
	for _, n := range g.members {
		pn := types.NewJID(n, types.DefaultUserServer)
		lid := types.NewJID(lidFor(n), types.HiddenUserServer)
		if g.lid {
			parts = append(parts, waBinary.Node{Tag: "participant", Attrs: waBinary.Attrs{"jid": lid, "phone_number": pn}})
		} else {
			parts = append(parts, waBinary.Node{Tag: "participant", Attrs: waBinary.Attrs{"jid": pn, "lid": lid}})
		}
	}
	return waBinary.Node{Tag: "group", Attrs: attrs, Content: parts}
}

// accountOf returns the phone number of the account a device belongs to;
// s.mu must be held.
func (s *Server) accountOf(dj types.JID) string {
	if d := s.devices[dj]; d != nil {
		return d.jid.User
	}
	return dj.User
}

// handleGroupIQ answers group metadata (w:g2) queries: one group's info
// or the list of groups the device's account is in.
func (c *conn) handleGroupIQ(n *waBinary.Node) error {
	s := c.srv
	to, _ := n.Attrs["to"].(types.JID)
	s.mu.Lock()
	me := s.accountOf(c.device)
	if _, ok := n.GetOptionalChildByTag("participating"); ok {
		var list []waBinary.Node
		for _, g := range s.groups {
			if g.isMember(me) {
				list = append(list, g.node())
			}
		}
		s.mu.Unlock()
		return c.result(n, waBinary.Node{Tag: "groups", Content: list})
	}
	g := s.groups[to]
	var gn waBinary.Node
	member := g != nil && g.isMember(me)
	if member {
		gn = g.node()
	}
	s.mu.Unlock()
	if g == nil {
		return c.iqError(n, 404, "item-not-found")
	}
	if !member {
		return c.iqError(n, 403, "forbidden")
	}
	return c.result(n, gn)
}

// iqError answers IQ n with an error.
func (c *conn) iqError(n *waBinary.Node, code int, text string) error {
	return c.send(waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{"id": n.Attrs["id"], "type": "error", "from": types.ServerJID},
		Content: []waBinary.Node{{Tag: "error", Attrs: waBinary.Attrs{"code": strconv.Itoa(code), "text": text}}}})
}

// SendGroupText sends text to group g and returns the message ID.
func (u *User) SendGroupText(ctx context.Context, g *Group, text string) (string, error) {
	return u.SendGroup(ctx, g, &waE2E.Message{Conversation: proto.String(text)}, SendOptions{})
}

// SendGroup sends msg to g with the user's sender key: every linked device
// of the other members gets a <message from=group participant=…> with
// participant_pn (LID groups) or participant_lid (phone-number groups),
// the sender key distribution in a pkmsg/msg the first time, and the
// skmsg. opts.FromLID is ignored: the group's addressing mode decides.
func (u *User) SendGroup(ctx context.Context, g *Group, msg *waE2E.Message, opts SendOptions) (string, error) {
	u.sig.Lock()
	defer u.sig.Unlock()
	s := u.srv
	plaintext, err := proto.Marshal(msg)
	if err != nil {
		return "", fmt.Errorf("wafake: marshal message: %w", err)
	}
	if opts.ID == "" {
		opts.ID = s.NewMessageID()
	}
	if opts.Time.IsZero() {
		opts.Time = s.now()
	}
	s.mu.Lock()
	if !g.isMember(u.phone.number) {
		s.mu.Unlock()
		return "", fmt.Errorf("wafake: %s is not in %s", u.phone.number, g.jid)
	}
	var targets []types.JID
	for dj, d := range s.devices {
		if g.isMember(d.jid.User) {
			targets = append(targets, dj)
		}
	}
	s.mu.Unlock()
	name := protocol.NewSenderKeyName(g.jid.String(), u.LID().SignalAddress())
	builder := groups.NewGroupSessionBuilder(u.dev, store.SignalProtobufSerializer)
	skdm, err := builder.Create(ctx, name)
	if err != nil {
		return "", fmt.Errorf("wafake: sender key: %w", err)
	}
	ct, err := groups.NewGroupCipher(builder, name, u.dev).Encrypt(ctx, pad(plaintext))
	if err != nil {
		return "", fmt.Errorf("wafake: group encrypt: %w", err)
	}
	skdmPlain, err := proto.Marshal(&waE2E.Message{SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{
		GroupID: proto.String(g.jid.String()), AxolotlSenderKeyDistributionMessage: skdm.Serialize(),
	}})
	if err != nil {
		return "", fmt.Errorf("wafake: marshal sender key distribution: %w", err)
	}
	attrs := waBinary.Attrs{
		"from": g.jid, "id": opts.ID, "t": strconv.FormatInt(opts.Time.Unix(), 10), "type": "text", "notify": u.name,
	}
	if g.lid {
		attrs["addressing_mode"], attrs["participant"], attrs["participant_pn"] = "lid", u.LID(), u.JID()
	} else {
		attrs["addressing_mode"], attrs["participant"], attrs["participant_lid"] = "pn", u.JID(), u.LID()
	}
	for _, dj := range targets {
		var content []waBinary.Node
		key := g.jid.String() + " " + dj.String()
		s.mu.Lock()
		sent := u.skdmSent[key]
		s.mu.Unlock()
		if !sent {
			enc, err := u.encryptFor(ctx, dj, skdmPlain)
			if err != nil {
				return "", err
			}
			content = append(content, *enc)
			s.mu.Lock()
			u.skdmSent[key] = true
			s.mu.Unlock()
		}
		content = append(content, waBinary.Node{Tag: "enc", Attrs: waBinary.Attrs{"v": "2", "type": "skmsg"}, Content: ct.SignedSerialize()})
		s.deliver(dj, waBinary.Node{Tag: "message", Attrs: attrs, Content: content})
	}
	return opts.ID, nil
}

// readGroupMessage handles a group message the client sent: each member
// user processes the sender key distribution addressed to them, then
// decrypts the skmsg.
func (c *conn) readGroupMessage(n *waBinary.Node, r Received, sender types.JID) {
	s := c.srv
	s.mu.Lock()
	g := s.groups[r.Chat]
	var members []*User
	if g != nil {
		for _, num := range g.members {
			if u := s.userByNumber[num]; u != nil {
				members = append(members, u)
			}
		}
	}
	s.mu.Unlock()
	var skmsg []byte
	for _, enc := range n.GetChildrenByTag("enc") {
		if enc.Attrs["type"] == "skmsg" {
			skmsg, _ = enc.Content.([]byte)
		}
	}
	ctx := context.Background()
	name := protocol.NewSenderKeyName(r.Chat.String(), sender.SignalAddress())
	for _, u := range members {
		if skmsg == nil {
			u.fail(fmt.Errorf("group message %s without skmsg", r.ID))
			continue
		}
		builder := groups.NewGroupSessionBuilder(u.dev, store.SignalProtobufSerializer)
		m, err := protocol.NewSenderKeyMessageFromBytes(skmsg, store.SignalProtobufSerializer.SenderKeyMessage)
		if err != nil {
			u.fail(fmt.Errorf("group message %s: %w", r.ID, err))
			continue
		}
		u.sig.Lock()
		pt, err := groups.NewGroupCipher(builder, name, u.dev).Decrypt(ctx, m)
		u.sig.Unlock()
		if err == nil {
			pt, err = unpad(pt)
		}
		var msg waE2E.Message
		if err == nil {
			err = proto.Unmarshal(pt, &msg)
		}
		if err != nil {
			u.fail(fmt.Errorf("group message %s: %w", r.ID, err))
			continue
		}
		rr := r
		rr.Type, rr.Message = "skmsg", &msg
		u.receive(rr)
	}
}

// processSKDM stores a sender key distribution the client sent u.
func (u *User) processSKDM(ctx context.Context, sender types.JID, skdm *waE2E.SenderKeyDistributionMessage) error {
	m, err := protocol.NewSenderKeyDistributionMessageFromBytes(skdm.GetAxolotlSenderKeyDistributionMessage(), store.SignalProtobufSerializer.SenderKeyDistributionMessage)
	if err != nil {
		return fmt.Errorf("sender key distribution: %w", err)
	}
	name := protocol.NewSenderKeyName(skdm.GetGroupID(), sender.SignalAddress())
	return groups.NewGroupSessionBuilder(u.dev, store.SignalProtobufSerializer).Process(ctx, name, m)
}
