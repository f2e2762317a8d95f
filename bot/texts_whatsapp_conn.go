package bot

import "fmt"

// WhatsAppConnTexts warn office admins of trouble with Piket's WhatsApp
// connection (the logout itself is Texts.WhatsAppLoggedOut).
type WhatsAppConnTexts struct {
	// Banned: until is when the ban ends ("" if WhatsApp did not say).
	Banned         func(until string) string
	StreamReplaced string
	ClientOutdated string
	// PhoneOffline: the bot's phone has not been online for days days.
	PhoneOffline func(days int) string
}

var whatsAppConnID = WhatsAppConnTexts{
	Banned: func(until string) string {
		s := "⚠️ Nomor WhatsApp Piket diblokir sementara oleh WhatsApp"
		if until != "" {
			s += " sampai " + until
		}
		return s + ": pesan WhatsApp tidak diterima atau dikirim sampai blokir berakhir, lalu Piket menyambung lagi sendiri. Penyebab umum: terlalu banyak pesan ke orang yang belum pernah menghubungi nomor ini."
	},
	StreamReplaced: "⚠️ Sesi WhatsApp Piket dipakai program lain (salinan file sesi di server lain?), sehingga Piket terputus. Pengelola server perlu menghentikan salinan itu; Piket mencoba menyambung lagi setiap 10 menit.",
	ClientOutdated: "⚠️ WhatsApp menolak versi Piket ini (client outdated): pesan WhatsApp tidak diterima atau dikirim. Pengelola server perlu memperbarui Piket.",
	PhoneOffline: func(days int) string {
		return fmt.Sprintf("⚠️ Ponsel nomor WhatsApp Piket tidak online selama %d hari. WhatsApp melepas perangkat tertaut setelah sekitar 14 hari: nyalakan ponsel itu dan buka WhatsApp sebentar.", days)
	},
}

var whatsAppConnEN = WhatsAppConnTexts{
	Banned: func(until string) string {
		s := "⚠️ Piket's WhatsApp number is temporarily banned by WhatsApp"
		if until != "" {
			s += " until " + until
		}
		return s + ": WhatsApp messages are neither received nor sent until the ban ends; then Piket reconnects by itself. A common cause: too many messages to people who never wrote to this number."
	},
	StreamReplaced: "⚠️ Piket's WhatsApp session is in use by another program (a copy of the session file on another server?), so Piket was cut off. The server operator must stop that copy; Piket tries to reconnect every 10 minutes.",
	ClientOutdated: "⚠️ WhatsApp rejects this version of Piket (client outdated): WhatsApp messages are neither received nor sent. The server operator must update Piket.",
	PhoneOffline: func(days int) string {
		return fmt.Sprintf("⚠️ The phone of Piket's WhatsApp number has not been online for %d days. WhatsApp unlinks linked devices after about 14 days: switch that phone on and open WhatsApp for a moment.", days)
	},
}
