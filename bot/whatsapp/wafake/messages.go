package wafake

import (
	"strconv"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
)

// handleMessage acknowledges a message the client sends, as the server
// does once it has accepted it for delivery.
func (c *conn) handleMessage(n *waBinary.Node) error {
	attrs := waBinary.Attrs{"class": "message", "id": n.Attrs["id"], "t": strconv.FormatInt(c.srv.now().Unix(), 10)}
	if to, ok := n.Attrs["to"].(types.JID); ok {
		attrs["from"] = to
	}
	return c.send(waBinary.Node{Tag: "ack", Attrs: attrs})
}

// ackReceipt acknowledges a receipt the client sends.
func (c *conn) ackReceipt(n *waBinary.Node) error {
	attrs := waBinary.Attrs{"class": "receipt", "id": n.Attrs["id"]}
	if to, ok := n.Attrs["to"].(types.JID); ok {
		attrs["from"] = to
	}
	if typ, ok := n.Attrs["type"].(string); ok {
		attrs["type"] = typ
	}
	return c.send(waBinary.Node{Tag: "ack", Attrs: attrs})
}

// handleUsync answers a user sync query with an empty list.
func (c *conn) handleUsync(n *waBinary.Node) error {
	return c.result(n)
}

// handleKeyFetch answers a pre-key bundle request with an empty list.
func (c *conn) handleKeyFetch(n *waBinary.Node) error {
	return c.result(n)
}
