package bot

// ChatTexts are the messages about reaching people and chats: a private
// answer to an unregistered sender in a group, and the admins' warning
// when a chat can no longer be reached.
type ChatTexts struct {
	// UnknownInGroup is sent privately, once a day, to someone who
	// addressed the bot in a group but is not linked to a staff member.
	UnknownInGroup func(p Platform) string
	// Undeliverable warns office admins that a chat cannot be reached.
	Undeliverable func(v UndeliverableView) string
}

// Reasons a chat cannot be reached (UndeliverableView.Why).
const (
	WhyNotInGroup    = "not_in_group"    // the bot was removed from the group
	WhyGroupNotFound = "group_not_found" // the group no longer exists
	WhyNotOnPlatform = "not_on_platform" // the number has no account
	WhyRefused       = "refused"         // the platform refuses, reason unknown
)

// UndeliverableView describes a chat that cannot be reached.
type UndeliverableView struct {
	Platform Platform
	Group    bool
	Office   string // office code of a group; "" if unknown
	Person   string // name of the staff member of a private chat; "" if unknown
	ChatID   string
	Why      string // one of the Why… constants
}

var chatsID = ChatTexts{
	UnknownInGroup: func(p Platform) string {
		if p == WhatsApp {
			return "Halo, pesan Anda di grup belum dapat diproses karena nomor WhatsApp Anda belum terdaftar di Piket. Minta admin kepegawaian OPD Anda mencatat nomor ini pada data pegawai Anda, lalu kirim pesan ke nomor ini (chat pribadi) sekali untuk menautkannya."
		}
		return "Halo, pesan Anda di grup belum dapat diproses karena akun Anda belum terdaftar di Piket. Kirim /daftar kepada saya di chat pribadi."
	},
	Undeliverable: func(v UndeliverableView) string {
		where := "chat " + v.ChatID
		switch {
		case v.Group && v.Office != "":
			where = "grup OPD " + v.Office + " (" + v.ChatID + ")"
		case v.Group:
			where = "grup " + v.ChatID
		case v.Person != "":
			where = v.Person
		}
		why := "platform menolak pengiriman"
		fix := "Periksa chat tersebut."
		switch v.Why {
		case WhyNotInGroup:
			why, fix = "nomor bot sudah tidak menjadi anggota grup", "Tambahkan kembali nomor bot ke grup, lalu kirim /grup "+orDash(v.Office)+" di grup itu."
		case WhyGroupNotFound:
			why, fix = "grup tidak ada lagi", "Buat atau pilih grup lain, tambahkan nomor bot, lalu kirim /grup "+orDash(v.Office)+" di grup itu."
		case WhyNotOnPlatform:
			why, fix = "nomor tersebut tidak terdaftar di "+string(v.Platform), "Perbarui nomor telepon pegawai tersebut pada data kepegawaian."
		}
		return "⚠️ Piket tidak dapat mengirim pesan " + string(v.Platform) + " ke " + where + ": " + why + ". Pesan itu tidak terkirim. " + fix
	},
}

var chatsEN = ChatTexts{
	UnknownInGroup: func(p Platform) string {
		if p == WhatsApp {
			return "Hello, your message in the group could not be handled because your WhatsApp number is not registered with Piket. Ask your office's HR admin to record this number in your staff data, then send a private message to this number once to link it."
		}
		return "Hello, your message in the group could not be handled because your account is not registered with Piket. Send me /daftar in a private chat."
	},
	Undeliverable: func(v UndeliverableView) string {
		where := "chat " + v.ChatID
		switch {
		case v.Group && v.Office != "":
			where = "the " + v.Office + " office group (" + v.ChatID + ")"
		case v.Group:
			where = "group " + v.ChatID
		case v.Person != "":
			where = v.Person
		}
		why := "the platform refuses delivery"
		fix := "Please check that chat."
		switch v.Why {
		case WhyNotInGroup:
			why, fix = "the bot's number is no longer a member of the group", "Add the bot's number to the group again, then send /grup "+orDash(v.Office)+" in it."
		case WhyGroupNotFound:
			why, fix = "the group no longer exists", "Create or choose another group, add the bot's number, then send /grup "+orDash(v.Office)+" in it."
		case WhyNotOnPlatform:
			why, fix = "that number has no "+string(v.Platform)+" account", "Update that staff member's phone number in the staff data."
		}
		return "⚠️ Piket cannot send " + string(v.Platform) + " messages to " + where + ": " + why + ". The message was not sent. " + fix
	},
}

// orDash is s, or "KODE-OPD" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "KODE-OPD"
	}
	return s
}
