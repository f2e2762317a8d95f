package bot

import (
	"fmt"
	"strings"
)

// PrivacyTexts keep personal data out of group chats (UU 27/2022):
// a /rekap asked in a group.
type PrivacyTexts struct {
	// RecapNamesPrivately ends a group's counts-only recap: the names went
	// to the asker's private chat.
	RecapNamesPrivately string
	// RecapNoPrivateChat ends it when the asker has no private chat with
	// the bot on that platform yet.
	RecapNoPrivateChat func(p Platform) string
	// CheckedInGroup answers a check-in sent in a group: the group sees
	// that it was recorded and when; place, health, plan and lateness go
	// to the person's private chat (private: they have one).
	CheckedInGroup func(name, at string, private bool) string
}

// AlertedTexts tell the reporter of a leave-home report who was alerted.
type AlertedTexts struct {
	Supervisor func(name string) string // a name with the role "supervisor"
	Admin      func(name string) string // a name with the role "office admin"
	// Unreached lists those who should be alerted but have no chat with
	// the bot (no linked account).
	Unreached func(names []string) string
	// Nobody says no one could be alerted: phone the office.
	Nobody string
}

var privacyID = PrivacyTexts{
	RecapNamesPrivately: "🔒 Di grup hanya jumlah yang ditampilkan; rincian nama dikirim ke obrolan pribadi Anda dengan bot.",
	RecapNoPrivateChat: func(p Platform) string {
		if p == Telegram {
			return "🔒 Di grup hanya jumlah yang ditampilkan. Untuk rincian nama, buka obrolan pribadi dengan bot, kirim /daftar, lalu kirim /rekap di sana."
		}
		return "🔒 Di grup hanya jumlah yang ditampilkan. Untuk rincian nama, kirim /rekap lewat obrolan pribadi dengan bot."
	},
	CheckedInGroup: func(name, at string, private bool) string {
		if private {
			return "✅ Kehadiran " + name + " tercatat pukul " + at + ". 🔒 Rinciannya dikirim ke obrolan pribadi Anda dengan bot."
		}
		return "✅ Kehadiran " + name + " tercatat pukul " + at + ". 🔒 Rinciannya dapat dilihat dengan /status di obrolan pribadi dengan bot."
	},
}

var privacyEN = PrivacyTexts{
	RecapNamesPrivately: "🔒 The group sees counts only; the names were sent to your private chat with the bot.",
	RecapNoPrivateChat: func(p Platform) string {
		if p == Telegram {
			return "🔒 The group sees counts only. For the names, open a private chat with the bot, send /daftar, then send /rekap there."
		}
		return "🔒 The group sees counts only. For the names, send /rekap in a private chat with the bot."
	},
	CheckedInGroup: func(name, at string, private bool) string {
		if private {
			return "✅ " + name + "'s attendance is recorded at " + at + ". 🔒 The details were sent to your private chat with the bot."
		}
		return "✅ " + name + "'s attendance is recorded at " + at + ". 🔒 Send /status in a private chat with the bot for the details."
	},
}

var alertedID = AlertedTexts{
	Supervisor: func(name string) string { return name + " (atasan)" },
	Admin:      func(name string) string { return name + " (admin OPD)" },
	Unreached: func(names []string) string {
		return fmt.Sprintf("⚠️ %s belum dapat dihubungi lewat Piket (akun chat belum terhubung). Mohon kabari juga lewat telepon.", strings.Join(names, ", "))
	},
	Nobody: "⚠️ Tidak ada atasan atau admin OPD yang dapat diberi tahu lewat Piket. Laporan Anda tercatat, tetapi mohon segera hubungi kantor Anda lewat telepon.",
}

var alertedEN = AlertedTexts{
	Supervisor: func(name string) string { return name + " (supervisor)" },
	Admin:      func(name string) string { return name + " (office admin)" },
	Unreached: func(names []string) string {
		return fmt.Sprintf("⚠️ %s cannot be reached through Piket (no linked chat account). Please tell them by phone as well.", strings.Join(names, ", "))
	},
	Nobody: "⚠️ There is no supervisor or office admin Piket can alert. Your report is recorded, but please call your office now.",
}
