//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

func textMessage(text string) *waE2E.Message {
	return &waE2E.Message{Conversation: proto.String(text)}
}

// groupReply waits for the first message u received in a group.
func (h *harness) groupReply(u *wafake.User) (string, error) {
	for n := 1; ; n++ {
		inbox, err := u.WaitInbox(h.ctx, n)
		if err != nil {
			return "", fmt.Errorf("%s: %w (errors %v)", u.Name(), err, u.Errors())
		}
		if r := inbox[n-1]; r.Chat.Server == types.GroupServer {
			return r.Message.GetConversation() + r.Message.GetExtendedTextMessage().GetText(), nil
		}
	}
}

// waitGroupText waits until u has read a message containing want in the
// group with this ID.
func (h *harness) waitGroupText(u *wafake.User, group, want string) string {
	h.t.Helper()
	for n := 1; ; n++ {
		inbox, err := u.WaitInbox(h.ctx, n)
		if err != nil {
			h.t.Fatalf("%s: no group message containing %q: %v (errors %v)", u.Name(), want, err, u.Errors())
		}
		r := inbox[n-1]
		text := r.Message.GetConversation() + r.Message.GetExtendedTextMessage().GetText()
		if r.Chat.User == group && strings.Contains(text, want) {
			return text
		}
	}
}
