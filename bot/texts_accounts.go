package bot

import "fmt"

// AccountTexts are the messages of several bot accounts (accounts.go).
type AccountTexts struct {
	// Wrong answers a person who wrote to a bot or number that does not
	// serve their office: handle is the right one ("@piket_dinkes_bot",
	// "+62812…"; "" unknown). link: they shared their contact card to
	// register.
	Wrong func(p Platform, office, handle string, link bool) string
	// Named prefixes an operator notice about one WhatsApp number (of
	// several) with its name.
	Named func(account, text string) string
}

var accountsID = AccountTexts{
	Named: func(account, text string) string { return fmt.Sprintf("Nomor WhatsApp «%s»: %s", account, text) },
	Wrong: func(p Platform, office, handle string, link bool) string {
		where := "bot Telegram " + handle
		if p == WhatsApp {
			where = "nomor WhatsApp " + handle
		}
		if handle == "" {
			where = "bot Telegram lain (tanyakan namanya kepada admin OPD Anda)"
			if p == WhatsApp {
				where = "nomor WhatsApp lain (tanyakan nomornya kepada admin OPD Anda)"
			}
		}
		if link {
			start := "kirim /daftar, lalu bagikan nomor Anda di sana"
			if p == WhatsApp {
				start = "kirim pesan ke nomor itu"
			}
			return fmt.Sprintf("Mohon maaf, nomor Anda terdaftar di %s, yang dilayani oleh %s. Silakan %s. Akun ini belum dihubungkan.", office, where, start)
		}
		return fmt.Sprintf("Mohon maaf, %s dilayani oleh %s. Silakan kirim pesan Anda ke sana; pesan ini tidak dicatat.", office, where)
	},
}

var accountsEN = AccountTexts{
	Named: func(account, text string) string { return fmt.Sprintf("WhatsApp number «%s»: %s", account, text) },
	Wrong: func(p Platform, office, handle string, link bool) string {
		where := "the Telegram bot " + handle
		if p == WhatsApp {
			where = "the WhatsApp number " + handle
		}
		if handle == "" {
			where = "another Telegram bot (ask your office admin for its name)"
			if p == WhatsApp {
				where = "another WhatsApp number (ask your office admin for it)"
			}
		}
		if link {
			start := "send /daftar there and share your number"
			if p == WhatsApp {
				start = "write to that number"
			}
			return fmt.Sprintf("Sorry, your number is registered with %s, which is served by %s. Please %s. This account was not linked.", office, where, start)
		}
		return fmt.Sprintf("Sorry, %s is served by %s. Please send your message there; this one was not recorded.", office, where)
	},
}
