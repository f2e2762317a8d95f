package telegram

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/flextest"
	"github.com/piket-id/piket/fwa"
	"github.com/piket-id/piket/store"
)

var testMe = identity{id: 123456789, username: "piket_bot"}

func TestConvert(t *testing.T) {
	const group = `"chat":{"id":-1001234567890,"type":"supergroup","title":"Dinas"}`
	const private = `"chat":{"id":7001,"type":"private","first_name":"Siti"}`
	const from = `"from":{"id":7001,"is_bot":false,"first_name":"Siti"}`
	for _, tc := range []struct {
		name      string
		update    string
		ignored   bool
		text      string
		addressed bool
		replyTo   string
	}{
		{name: "private text", update: `{"update_id":1,"message":{"message_id":5,"date":1762060000,` + private + `,` + from + `,"text":"hadir"}}`, text: "hadir", addressed: true},
		{name: "private command with bot name", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + private + `,` + from + `,"text":"/mulai@piket_bot"}}`, text: "/mulai", addressed: true},
		{name: "group command", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"text":"/hadir wfh"}}`, text: "/hadir wfh", addressed: true},
		{name: "group command at bot", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"text":"/hadir@Piket_Bot wfh"}}`, text: "/hadir wfh", addressed: true},
		{name: "group command at other bot", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"text":"/start@other_bot"}}`, text: "/start@other_bot", addressed: false},
		{name: "group chatter", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"text":"makan siang di mana?"}}`, text: "makan siang di mana?", addressed: false},
		{name: "group leading mention", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"text":"@piket_bot hadir"}}`, text: "hadir", addressed: true},
		{name: "group inner mention", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"text":"tolong @piket_bot catat"}}`, text: "tolong @piket_bot catat", addressed: true},
		{name: "group other mention", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"text":"@piket_bot2 hai"}}`, text: "@piket_bot2 hai", addressed: false},
		{name: "group reply to bot", update: `{"update_id":1,"message":{"message_id":6,"date":1,` + group + `,` + from + `,"text":"sudah","reply_to_message":{"message_id":5,"date":1,` + group + `,"from":{"id":123456789,"is_bot":true,"first_name":"Piket"},"text":"Siapa yang belum lapor?"}}}`, text: "sudah", addressed: true, replyTo: "-1001234567890:5"},
		{name: "photo caption", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + private + `,` + from + `,"photo":[{"file_id":"x","file_unique_id":"y","width":1,"height":1}],"caption":"bukti"}}`, text: "bukti", addressed: true},
		{name: "photo without caption", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + private + `,` + from + `,"photo":[{"file_id":"x","file_unique_id":"y","width":1,"height":1}]}}`, ignored: true},
		{name: "sticker", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + private + `,` + from + `,"sticker":{"file_id":"x","file_unique_id":"y","type":"regular","width":1,"height":1,"is_animated":false,"is_video":false}}}`, ignored: true},
		{name: "edited", update: `{"update_id":1,"edited_message":{"message_id":5,"date":1,"edit_date":2,` + private + `,` + from + `,"text":"hadir"}}`, ignored: true},
		{name: "forwarded", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + private + `,` + from + `,"forward_origin":{"type":"hidden_user","date":1,"sender_user_name":"X"},"text":"hadir"}}`, ignored: true},
		{name: "new members", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"new_chat_members":[{"id":7002,"is_bot":false,"first_name":"B"}]}}`, ignored: true},
		{name: "left member", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,` + from + `,"left_chat_member":{"id":7002,"is_bot":false,"first_name":"B"}}}`, ignored: true},
		{name: "from a bot", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,"from":{"id":99,"is_bot":true,"first_name":"B"},"text":"/hadir"}}`, ignored: true},
		{name: "anonymous admin", update: `{"update_id":1,"message":{"message_id":5,"date":1,` + group + `,"from":{"id":1087968824,"is_bot":true,"first_name":"Group"},"sender_chat":{"id":-1001234567890,"type":"supergroup"},"text":"/hadir"}}`, ignored: true},
		{name: "channel post", update: `{"update_id":1,"channel_post":{"message_id":5,"date":1,"chat":{"id":-100777,"type":"channel"},"text":"x"}}`, ignored: true},
		{name: "callback", update: `{"update_id":1,"callback_query":{"id":"1","from":{"id":7001,"is_bot":false,"first_name":"A"},"chat_instance":"1"}}`, ignored: true},
		{name: "no message", update: `{"update_id":1}`, ignored: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := decodeUpdate([]byte(tc.update))
			if err != nil {
				t.Fatal(err)
			}
			in, reason, ok := convert(u, testMe)
			if ok == tc.ignored {
				t.Fatalf("ok = %v (reason %q), want ignored = %v", ok, reason, tc.ignored)
			}
			if tc.ignored {
				return
			}
			if in.Text != tc.text || in.Addressed != tc.addressed || in.ReplyTo != tc.replyTo {
				t.Errorf("got text %q addressed %v replyTo %q, want %q %v %q", in.Text, in.Addressed, in.ReplyTo, tc.text, tc.addressed, tc.replyTo)
			}
			if in.SenderID != "7001" || in.MessageID != chatKey(u.Message.Chat.ID)+":"+itoa(u.Message.ID) {
				t.Errorf("got sender %q message %q", in.SenderID, in.MessageID)
			}
		})
	}
}

func TestConvertContact(t *testing.T) {
	for _, tc := range []struct {
		name, update string
		userID       string
	}{
		{"own number", `{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":7001,"type":"private"},"from":{"id":7001,"first_name":"S"},"contact":{"phone_number":"6281234567890","first_name":"S","user_id":7001}}}`, "7001"},
		{"someone else", `{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":7001,"type":"private"},"from":{"id":7001,"first_name":"S"},"contact":{"phone_number":"+62 812-0000-1111","first_name":"B","user_id":7002}}}`, "7002"},
		{"typed card", `{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":7001,"type":"private"},"from":{"id":7001,"first_name":"S"},"contact":{"phone_number":"0812","first_name":"B"}}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := decodeUpdate([]byte(tc.update))
			if err != nil {
				t.Fatal(err)
			}
			in, _, ok := convert(u, testMe)
			if !ok || in.Contact == nil || in.Contact.Phone != u.Message.Contact.PhoneNumber || in.Contact.UserID != tc.userID {
				t.Errorf("got %+v (ok %v), want contact with user %q", in.Contact, ok, tc.userID)
			}
			if in.SenderID != "7001" {
				t.Errorf("sender = %q", in.SenderID)
			}
		})
	}
}

func FuzzDecodeConvert(f *testing.F) {
	seeds := []string{
		`{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":-1,"type":"group"},"from":{"id":7,"first_name":"S"},"text":"/hadir@piket_bot x"}}`,
		`{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":7,"type":"private"},"from":{"id":7},"contact":{"phone_number":"1","user_id":7}}}`,
		`{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":-1,"type":"supergroup"},"from":{"id":7},"text":"@piket_bot","entities":[{"type":"text_mention","offset":0,"length":1,"user":{"id":123456789}}],"reply_to_message":{"message_id":1,"date":1,"chat":{"id":-1,"type":"group"}}}}`,
		`{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":7,"type":"private"},"from":{"id":7},"forward_origin":{"type":"user","date":1,"sender_user":{"id":1}},"pinned_message":{"message_id":1,"date":0,"chat":{"id":1}}}}`,
		`{"update_id":1,"edited_message":{}}`,
		`{"update_id":1,"message":{"chat":{"type":"channel"}}}`,
		`{"update_id":1,"my_chat_member":{"chat":{"id":1,"type":"group"},"from":{"id":1},"date":1,"old_chat_member":{"status":"left","user":{"id":1}},"new_chat_member":{"status":"member","user":{"id":1}}}}`,
		`{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":-4001,"type":"group"},"from":{"id":7},"migrate_to_chat_id":-1004001}}`,
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":-1004001,"type":"supergroup"},"from":{"id":7},"migrate_from_chat_id":-4001}}`,
		`{"message":{"text":"/"}}`, `[]`, `null`, `{`, `"x"`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		u, err := decodeUpdate(raw)
		rawUpdateID(raw)
		if err != nil {
			return
		}
		in, _, ok := convert(u, testMe)
		if ok && (in.MessageID == "" || in.ChatID == "" || in.SenderID == "") {
			t.Errorf("converted without IDs: %+v", in)
		}
		convert(u, identity{})
		if mv, ok := migrationOf(u); ok && (mv.from == 0 || mv.to == 0 || mv.from == mv.to) {
			t.Errorf("bad migration %+v", mv)
		}
	})
}

// Convert must not panic on a decoded update with any combination of nil
// pointers the JSON can produce.
func TestConvertNilFields(t *testing.T) {
	for _, u := range []*models.Update{
		nil, {}, {Message: &models.Message{}}, {Message: &models.Message{Chat: models.Chat{ID: 1}, From: &models.User{ID: 1}, Text: "/"}},
		{Message: &models.Message{Chat: models.Chat{ID: -1, Type: "group"}, From: &models.User{ID: 1}, Text: "@", ReplyToMessage: &models.Message{}}},
	} {
		convert(u, testMe)
	}
}

// A shared location converts into the core's location and is checked
// against the office (inside and outside its radius), keeping only the
// distance and the verdict.
func TestConvertLocationVerdict(t *testing.T) {
	for _, tc := range []struct {
		name    string
		at      bot.Location
		verdict string
		min     int
		max     int
	}{
		{"inside", flextest.Inside, fwa.VerdictInside, 25, 40},
		{"outside", flextest.Outside, fwa.VerdictOutside, 450, 550},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := fmt.Sprintf(`{"update_id":1,"message":{"message_id":5,"date":1773100800,"chat":{"id":7001,"type":"private","first_name":"Rina"},`+
				`"from":{"id":7001,"is_bot":false,"first_name":"Rina"},"location":{"latitude":%v,"longitude":%v}}}`, tc.at.Lat, tc.at.Lon)
			u, err := decodeUpdate([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			in, reason, ok := convert(u, testMe)
			if !ok {
				t.Fatalf("location ignored: %s", reason)
			}
			if in.Location == nil || *in.Location != tc.at || in.Text != "" {
				t.Fatalf("converted location %+v text %q, want %+v", in.Location, in.Text, tc.at)
			}
			core := flextest.New(t, store.Identity{Platform: string(bot.Telegram), ExternalID: in.SenderID, ChatID: in.ChatID})
			got := core.Handle(in)
			if got.Verdict != tc.verdict || got.Against != "kantor" || got.Distance < tc.min || got.Distance > tc.max || got.KeptCoords {
				t.Errorf("check %+v, want %s against the office at %d-%d m, no coordinates", got, tc.verdict, tc.min, tc.max)
			}
			if !strings.Contains(got.Reply, fmt.Sprintf("%d m dari kantor", got.Distance)) {
				t.Errorf("reply %q", got.Reply)
			}
		})
	}
}
