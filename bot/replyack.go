package bot

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/piket-id/piket/store"
)

// ackReplyWords are what a supervisor may answer to an alert, as a reply
// to it, to acknowledge it without the report number.
var ackReplyWords = map[string]bool{
	"ok": true, "oke": true, "okay": true, "okey": true, "siap": true, "baik": true, "sip": true,
	"diterima": true, "terima": true, "👍": true, "ok siap": true, "siap ok": true, "baik diterima": true,
}

// isAckReply reports whether text is a bare acknowledgement ("Ok!", "siap").
func isAckReply(text string) bool {
	t := strings.ToLower(strings.Trim(Clean(text), " .!,/"))
	return ackReplyWords[strings.Join(strings.Fields(t), " ")]
}

// alertKey matches the outbox keys of leave-home alerts and escalations.
var alertKey = regexp.MustCompile(`^leave:(\d+):(alert|esc):`)

// replyAck turns a bare "ok" sent as a reply to a leave-home alert into
// "/ok N". It reports false when the message is not such a reply.
func (t *turn) replyAck(cmd Command) (Command, bool, error) {
	if t.in.ReplyTo == "" || !(cmd.Kind == KindNone || cmd.Kind == KindAck && cmd.N == 0) || !isAckReply(t.in.Text) {
		return cmd, false, nil
	}
	key, err := t.tx.OutboxKeyBySentID(t.ctx, string(t.in.Platform), t.in.Account, t.in.ReplyTo)
	if errors.Is(err, store.ErrNotFound) {
		return cmd, false, nil
	}
	if err != nil {
		return cmd, false, errStore{err}
	}
	m := alertKey.FindStringSubmatch(key)
	if m == nil {
		return cmd, false, nil
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return cmd, false, nil
	}
	return Command{Kind: KindAck, N: n, Word: cmd.Word}, true, nil
}
