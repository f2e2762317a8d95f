package bot

import (
	"fmt"
	"strings"
	"time"
)

// Texts holds every sentence Piket says to people, in one language. Both
// languages fill every field (a test checks), so they stay in step.
type Texts struct {
	Weekdays [7]string  // Sunday first
	Months   [12]string // January first
	// TimeSep separates hours and minutes ("07.45" in Indonesian).
	TimeSep string
	// Recap holds reminder, digest and /rekap messages (texts_recap.go).
	Recap RecapTexts
	// Record holds notes on a record's time and day (texts_record.go).
	Record RecordTexts
	// Privacy (group /rekap) and Alerted (who a leave-home report reached): texts_privacy.go.
	Privacy PrivacyTexts
	Alerted AlertedTexts
	// Absence holds the messages of absences with dates (texts_absence.go).
	Absence AbsenceTexts
	// Guide holds the role-aware /bantuan and clarifying questions (texts_help.go).
	Guide GuideTexts
	// Coverage holds the messages of a swap that breaks a roster rule (texts_swap.go).
	Coverage CoverageTexts
	// Chat holds unknown senders in groups and unreachable chats (texts_whatsapp.go).
	Chat ChatTexts
	// Accounts holds the replies of several bot accounts (texts_accounts.go).
	Accounts AccountTexts
	// WhatsAppConn warns admins of WhatsApp connection trouble (texts_whatsapp_conn.go).
	WhatsAppConn WhatsAppConnTexts
	// Flex holds the messages of flexible work, PermenPANRB 4/2025 (texts_flex.go).
	Flex FlexTexts
	// FlexRecord holds unapproved days away and cancelled requests (texts_flexrec.go).
	FlexRecord FlexRecordTexts
	// Web holds /dasbor and the web dashboard's labels (texts_web.go).
	Web WebTexts

	UnknownSender      func(p Platform) string
	AskContact         string
	ContactButton      string // label of the one-tap "share my phone number" button
	ContactNotOwn      string
	ContactNoMatch     func(phone string) string
	ContactTyped       string
	Linked             func(name, office string) string
	AlreadyLinked      func(name string) string
	Unlinked           string
	NotLinked          string
	Place              func(place string) string
	Status             func(status string) string
	CheckedIn          func(v DayView) string
	ReportAdded        func(n int, at string) string
	ReportEmpty        string
	MyDay              func(v DayView) string
	NoCheckInYet       func(date string) string
	Help               string
	UnknownCommand     func(word, suggest string) string
	NotUnderstood      string
	InternalError      string
	GroupOnly          string
	GroupLinkUsage     string
	GroupLinked        func(office string) string
	GroupUnknownOffice func(code string) string
	NotAllowed         string
	TooLong            string
	TooMany            string
	LeavePrivateOnly   string
	WhatsAppLoggedOut  string
	Roster             RosterTexts

	// Leave-home reports (see leave.go).
	LeaveAskReason     string
	LeaveRecorded      func(v LeaveView) string // to the reporter
	LeaveAlreadyOpen   func(v LeaveView) string
	LeaveAlert         func(v LeaveView) string // to the supervisor (or admins)
	LeaveEscalation    func(v LeaveView) string // to the next one up; v.Alerted did not respond
	LeaveAckUsage      string
	LeaveUnknown       func(n int64) string
	LeaveAckDone       func(v LeaveView) string // to whoever acknowledged
	LeaveAcked         func(v LeaveView) string // to the reporter
	LeaveAckAlready    func(v LeaveView) string
	LeaveNotOut        string
	LeaveReturned      func(v LeaveView) string // to the reporter
	LeaveReturnedAlert func(v LeaveView) string // to those alerted
	LeaveReminder      func(v LeaveView) string // to the reporter, overdue
	LeaveOverdueAlert  func(v LeaveView) string // to those alerted, overdue
	LeaveStatus        func(v LeaveView) string // a line of /status
	LeaveActive        func(vs []LeaveView) string
	LeaveTook          func(d time.Duration) string // "1 jam 20 menit"
}

// LeaveView is what leave-home messages show. Times are formatted local
// times; empty Expected means none was given.
type LeaveView struct {
	N        int64
	Name     string
	Office   string // office code
	Division string
	Reason   string
	Since    string
	Expected string
	Alerted  []string // names
	By       string   // who acknowledged
	At       string   // when acknowledged, or when back
	Took     string   // how long the person was out
}

// DayView is what check-in replies show.
type DayView struct {
	Name     string
	Date     string // formatted day
	Time     string // formatted local time with zone
	Status   string
	Place    string
	Health   string
	Plan     string
	Late     bool
	Deadline string // formatted local deadline with zone
	Updated  bool   // this message changed an earlier record
	Reports  int    // work report parts today
	FirstAt  string // formatted first check-in time
}

// TextsFor returns the texts of a language ("id" or "en"; others get id).
func TextsFor(lang string) *Texts {
	if lang == "en" {
		return &english
	}
	return &indonesian
}

// FormatDate formats a day as "Rabu, 18 Maret 2020".
func (t *Texts) FormatDate(d time.Time) string {
	return fmt.Sprintf("%s, %d %s %d", t.Weekdays[d.Weekday()], d.Day(), t.Months[d.Month()-1], d.Year())
}

// FormatTime formats a local time as "07.45 WITA".
func (t *Texts) FormatTime(tm time.Time) string {
	return t.FormatClock(tm.Hour()*60+tm.Minute(), tm.Location())
}

// FormatClock formats a local time of day, in minutes after midnight, as
// "08.00 WITA".
func (t *Texts) FormatClock(minutes int, loc *time.Location) string {
	return fmt.Sprintf("%02d%s%02d %s", minutes/60, t.TimeSep, minutes%60, ZoneName(loc))
}

// ZoneName returns WIB, WITA or WIT for Indonesia's zones, the IANA name otherwise.
func ZoneName(loc *time.Location) string {
	switch loc.String() {
	case "Asia/Jakarta", "Asia/Pontianak":
		return "WIB"
	case "Asia/Makassar":
		return "WITA"
	case "Asia/Jayapura":
		return "WIT"
	}
	return loc.String()
}

var indonesian = Texts{
	Weekdays: [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"},
	Months:   [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	TimeSep:  ".",
	Recap:    recapID,
	Record:   recordID,
	Privacy:  privacyID,
	Alerted:  alertedID,
	Absence:  absenceID,
	Guide:    guideID,
	Coverage: coverageID,
	Chat:     chatsID,
	Accounts: accountsID,

	WhatsAppConn: whatsAppConnID,
	Flex:         flexID,
	FlexRecord:   flexRecordID,
	Web:          webID,
	UnknownSender: func(p Platform) string {
		switch p {
		case Telegram:
			return "Maaf, akun Telegram Anda belum terdaftar di Piket. Ketuk tombol «Bagikan nomor telepon» di bawah (atau kirim /daftar) agar nomor Anda dicocokkan dengan data kepegawaian."
		case WhatsApp:
			return "Maaf, nomor WhatsApp ini belum terdaftar di Piket. Minta admin kepegawaian OPD Anda mencatat nomor ini pada data pegawai Anda, lalu kirim pesan lagi."
		}
		return "Maaf, Anda belum terdaftar di Piket. Hubungi admin kepegawaian OPD Anda."
	},
	AskContact:    "Untuk mendaftar, ketuk tombol «Bagikan nomor telepon» di bawah. Nomor Anda akan dicocokkan dengan data kepegawaian.",
	ContactButton: "Bagikan nomor telepon",
	ContactNotOwn: "Maaf, hanya nomor Anda sendiri yang dapat didaftarkan. Ketuk tombol «Bagikan nomor telepon» di bawah.",
	ContactNoMatch: func(phone string) string {
		return fmt.Sprintf("Maaf, nomor %s tidak ada pada data pegawai aktif. Hubungi admin kepegawaian OPD Anda untuk memperbarui nomor telepon Anda.", phone)
	},
	ContactTyped: "Demi keamanan, nomor tidak dapat diketik. Ketuk tombol «Bagikan nomor telepon» di bawah.",
	Linked: func(name, office string) string {
		return fmt.Sprintf("Terima kasih, %s (%s). Akun Anda sudah terhubung dengan Piket.\nKirim /hadir setiap pagi untuk absen; ketik /bantuan untuk daftar perintah.", name, office)
	},
	AlreadyLinked: func(name string) string {
		return fmt.Sprintf("Akun ini sudah terhubung sebagai %s. Ketik /bantuan untuk daftar perintah.", name)
	},
	Unlinked:  "Akun ini sudah diputus dari Piket. Kirim /daftar untuk menghubungkannya lagi.",
	NotLinked: "Akun ini tidak terhubung dengan Piket.",
	Place:     placeID,

	Status: statusID,

	CheckedIn: func(v DayView) string {
		var b strings.Builder
		if v.Status == "hadir" {
			fmt.Fprintf(&b, "✅ Kehadiran %s tercatat: %s pukul %s.\nTempat: %s\nKesehatan: %s", v.Name, v.Date, v.Time, placeID(v.Place), v.Health)
			if v.Plan != "" {
				fmt.Fprintf(&b, "\nRencana: %s", v.Plan)
			}
			if v.Late {
				fmt.Fprintf(&b, "\n⚠️ Tercatat terlambat (batas %s).", v.Deadline)
			}
		} else {
			fmt.Fprintf(&b, "✅ Status %s tercatat: %s untuk %s (pukul %s).", v.Name, statusID(v.Status), v.Date, v.Time)
			if v.Health != "" && v.Status == "sakit" {
				fmt.Fprintf(&b, "\nKeterangan: %s", v.Health)
			}
			if v.Plan != "" {
				fmt.Fprintf(&b, "\nKeterangan: %s", v.Plan)
			}
			if v.Status == "sakit" {
				b.WriteString("\nSemoga lekas sembuh.")
			}
		}
		if v.Updated {
			b.WriteString("\n(Data hari ini diperbarui; riwayat sebelumnya tetap disimpan.)")
		}
		if v.Status == "hadir" {
			b.WriteString("\nKirim /laporan … untuk melaporkan hasil kerja hari ini.")
		}
		return b.String()
	},
	ReportAdded: func(n int, at string) string {
		return fmt.Sprintf("📝 Laporan kerja tercatat pukul %s (bagian ke-%d hari ini). Terima kasih.", at, n)
	},
	ReportEmpty: "Tulis laporan setelah perintahnya, misalnya:\n/laporan Menyusun draf SPJ bulan Maret",
	MyDay: func(v DayView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "Status %s, %s:\n", v.Name, v.Date)
		if v.Status == "hadir" {
			fmt.Fprintf(&b, "Hadir, %s, sejak %s", placeID(v.Place), v.FirstAt)
			if v.Late {
				b.WriteString(" (terlambat)")
			}
			fmt.Fprintf(&b, "\nKesehatan: %s", v.Health)
		} else {
			fmt.Fprintf(&b, "%s (dicatat %s)", statusID(v.Status), v.FirstAt)
		}
		if v.Plan != "" {
			fmt.Fprintf(&b, "\nRencana/keterangan: %s", v.Plan)
		}
		fmt.Fprintf(&b, "\nLaporan kerja: %d bagian", v.Reports)
		return b.String()
	},
	NoCheckInYet: func(date string) string {
		return fmt.Sprintf("Anda belum absen hari ini (%s). Kirim /hadir untuk absen.", date)
	},
	Help: "Perintah Piket:\n" +
		"/hadir [wfh|kantor|piket|dinas], [kesehatan], [rencana] — absen harian (mis. \"hadir wfh, sehat, menyusun SPJ\")\n" +
		"/sakit [keterangan] · /izin [alasan] · /cuti — tidak masuk hari ini\n" +
		"/laporan TEKS — laporan hasil kerja hari ini\n" +
		"/status — status saya hari ini\n" +
		"/keluar ALASAN [2 jam | sampai 14.00] — lapor keluar rumah (hanya untuk keperluan mendesak)\n" +
		"/kembali — sudah kembali di rumah\n" +
		"/ok N — (atasan) terima laporan keluar rumah No. N\n" +
		"/keluar_aktif — (atasan) bawahan yang sedang keluar rumah\n" +
		"/piket — jadwal piket saya · /piket besok — petugas piket hari kerja berikutnya\n" +
		"/tukar TANGGAL NIP — minta rekan menggantikan piket saya · /setuju N · /tolak N\n" +
		"/bantuan — daftar perintah ini",
	UnknownCommand: func(word, suggest string) string {
		if suggest != "" {
			return fmt.Sprintf("Maaf, perintah «%s» tidak dikenal. Maksud Anda %s? Ketik /bantuan untuk daftar perintah.", word, suggest)
		}
		return fmt.Sprintf("Maaf, perintah «%s» tidak dikenal. Ketik /bantuan untuk daftar perintah.", word)
	},
	NotUnderstood:  "Maaf, pesan Anda tidak dimengerti. Untuk absen kirim /hadir; ketik /bantuan untuk daftar perintah.",
	InternalError:  "Maaf, terjadi gangguan saat memproses pesan Anda. Silakan coba lagi beberapa saat lagi.",
	GroupOnly:      "Perintah ini dikirim di grup WhatsApp/Telegram OPD, bukan di obrolan pribadi.",
	GroupLinkUsage: "Tulis kode OPD setelah perintahnya, misalnya: /grup DISKOMINFO",
	GroupLinked: func(office string) string {
		return fmt.Sprintf("Grup ini sekarang terhubung dengan %s. Jadwal piket dan pengumuman OPD akan dikirim ke sini.", office)
	},
	GroupUnknownOffice: func(code string) string {
		return fmt.Sprintf("Maaf, kode OPD «%s» tidak dikenal.", code)
	},
	NotAllowed:        "Maaf, Anda tidak berwenang memakai perintah ini.",
	TooLong:           "Pesan terlalu panjang; hanya 4.000 karakter pertama yang diproses.",
	WhatsAppLoggedOut: "⚠️ Piket terputus dari WhatsApp (sesi logged out): pesan WhatsApp tidak diterima atau dikirim. Pengelola server perlu menjalankan `piket whatsapp pair` untuk menautkan ulang.",
	LeavePrivateOnly:  "Laporan keluar rumah dikirim lewat obrolan pribadi dengan bot, bukan di grup: alasannya hanya untuk atasan Anda.",
	TooMany:           "Terlalu banyak pesan. Mohon tunggu sebentar (sekitar satu menit), lalu kirim lagi.",
	Roster:            rosterID,

	LeaveAskReason: "Mohon tulis alasan keluar rumah setelah perintahnya, misalnya:\n/keluar ke rumah sakit antar ibu kontrol, 2 jam",
	LeaveRecorded: func(v LeaveView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "🚶 Laporan keluar rumah No. %d tercatat pukul %s.\nAlasan: %s\nPerkiraan kembali: %s", v.N, v.Since, v.Reason, orID(v.Expected))
		if len(v.Alerted) > 0 {
			fmt.Fprintf(&b, "\nSudah diteruskan kepada %s.", strings.Join(v.Alerted, ", "))
		}
		b.WriteString("\nKirim /kembali begitu Anda sudah di rumah lagi.")
		return b.String()
	},
	LeaveAlreadyOpen: func(v LeaveView) string {
		return fmt.Sprintf("Anda masih tercatat keluar rumah (laporan No. %d sejak %s: %s). Kirim /kembali dulu setelah sampai di rumah, baru buat laporan baru.", v.N, v.Since, v.Reason)
	},
	LeaveAlert: func(v LeaveView) string {
		return fmt.Sprintf("🚶 Laporan keluar rumah No. %d\n%s — %s\nAlasan: %s\nSejak: %s\nPerkiraan kembali: %s\nBalas /ok %d jika sudah Anda terima.", v.N, v.Name, unitID(v), v.Reason, v.Since, orID(v.Expected), v.N)
	},
	LeaveEscalation: func(v LeaveView) string {
		return fmt.Sprintf("⚠️ Laporan keluar rumah No. %d belum ditanggapi oleh %s.\n%s — %s\nAlasan: %s\nSejak: %s\nPerkiraan kembali: %s\nBalas /ok %d jika sudah Anda terima.", v.N, strings.Join(v.Alerted, ", "), v.Name, unitID(v), v.Reason, v.Since, orID(v.Expected), v.N)
	},
	LeaveAckUsage: "Tulis nomor laporan setelah perintahnya, misalnya: /ok 12",
	LeaveUnknown: func(n int64) string {
		return fmt.Sprintf("Maaf, laporan keluar rumah No. %d tidak ditemukan. Periksa kembali nomornya.", n)
	},
	LeaveAckDone: func(v LeaveView) string {
		return fmt.Sprintf("✅ Laporan No. %d (%s) sudah Anda terima. %s sudah diberi tahu.", v.N, v.Name, v.Name)
	},
	LeaveAcked: func(v LeaveView) string {
		return fmt.Sprintf("✅ Laporan keluar rumah No. %d Anda sudah diterima oleh %s pukul %s.", v.N, v.By, v.At)
	},
	LeaveAckAlready: func(v LeaveView) string {
		return fmt.Sprintf("Terima kasih. Laporan No. %d (%s) sudah diterima oleh %s pukul %s.", v.N, v.Name, v.By, v.At)
	},
	LeaveNotOut: "Anda tidak sedang tercatat keluar rumah. Untuk melapor keluar rumah kirim /keluar ALASAN.",
	LeaveReturned: func(v LeaveView) string {
		return fmt.Sprintf("🏠 Terima kasih, Anda tercatat sudah kembali di rumah pukul %s (laporan No. %d, %s).", v.At, v.N, v.Took)
	},
	LeaveReturnedAlert: func(v LeaveView) string {
		return fmt.Sprintf("🏠 %s sudah kembali di rumah pukul %s (laporan keluar rumah No. %d: %s, %s).", v.Name, v.At, v.N, v.Reason, v.Took)
	},
	LeaveReminder: func(v LeaveView) string {
		return fmt.Sprintf("⏰ Anda tercatat keluar rumah sejak %s (laporan No. %d: %s), perkiraan kembali %s. Jika sudah di rumah, kirim /kembali.", v.Since, v.N, v.Reason, orID(v.Expected))
	},
	LeaveOverdueAlert: func(v LeaveView) string {
		return fmt.Sprintf("⏰ %s (%s) belum melapor kembali di rumah. Laporan No. %d sejak %s: %s. Perkiraan kembali %s.", v.Name, unitID(v), v.N, v.Since, v.Reason, orID(v.Expected))
	},
	LeaveStatus: func(v LeaveView) string {
		s := fmt.Sprintf("🚶 Sedang keluar rumah (laporan No. %d sejak %s): %s. Perkiraan kembali %s.", v.N, v.Since, v.Reason, orID(v.Expected))
		if v.By != "" {
			s += fmt.Sprintf(" Diterima oleh %s.", v.By)
		}
		return s + " Kirim /kembali setelah sampai di rumah."
	},
	LeaveTook: func(d time.Duration) string { return tookIn(d, "jam", "menit") },
	LeaveActive: func(vs []LeaveView) string {
		if len(vs) == 0 {
			return "Tidak ada bawahan Anda yang sedang keluar rumah."
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Sedang keluar rumah (%d):", len(vs))
		for _, v := range vs {
			fmt.Fprintf(&b, "\nNo. %d — %s (%s), sejak %s: %s", v.N, v.Name, unitID(v), v.Since, v.Reason)
			if v.By == "" {
				b.WriteString(" [belum diterima]")
			}
		}
		return b.String()
	},
}

var english = Texts{
	Weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	Months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	TimeSep:  ":",
	Recap:    recapEN,
	Record:   recordEN,
	Privacy:  privacyEN,
	Alerted:  alertedEN,
	Absence:  absenceEN,
	Guide:    guideEN,
	Coverage: coverageEN,
	Chat:     chatsEN,
	Accounts: accountsEN,

	WhatsAppConn: whatsAppConnEN,
	Flex:         flexEN,
	FlexRecord:   flexRecordEN,
	Web:          webEN,
	UnknownSender: func(p Platform) string {
		switch p {
		case Telegram:
			return "Sorry, your Telegram account is not registered with Piket. Tap «Share phone number» below (or send /daftar) so we can match your number with the staff registry."
		case WhatsApp:
			return "Sorry, this WhatsApp number is not registered with Piket. Ask your office's HR admin to record this number in your staff data, then write again."
		}
		return "Sorry, you are not registered with Piket. Please contact your office's HR admin."
	},
	AskContact:    "To register, tap «Share phone number» below. Your number will be matched with the staff registry.",
	ContactButton: "Share phone number",
	ContactNotOwn: "Sorry, only your own number can be registered. Tap «Share phone number» below.",
	ContactNoMatch: func(phone string) string {
		return fmt.Sprintf("Sorry, the number %s is not in the active staff registry. Ask your office's HR admin to update your phone number.", phone)
	},
	ContactTyped: "For security, a typed number is not accepted. Tap «Share phone number» below.",
	Linked: func(name, office string) string {
		return fmt.Sprintf("Thank you, %s (%s). Your account is now linked to Piket.\nSend /hadir every morning to check in; type /bantuan for the command list.", name, office)
	},
	AlreadyLinked: func(name string) string {
		return fmt.Sprintf("This account is already linked as %s. Type /bantuan for the command list.", name)
	},
	Unlinked:  "This account is now unlinked from Piket. Send /daftar to link it again.",
	NotLinked: "This account is not linked to Piket.",
	Place:     placeEN,

	Status: statusEN,

	CheckedIn: func(v DayView) string {
		var b strings.Builder
		if v.Status == "hadir" {
			fmt.Fprintf(&b, "✅ Attendance of %s recorded: %s at %s.\nPlace: %s\nHealth: %s", v.Name, v.Date, v.Time, placeEN(v.Place), v.Health)
			if v.Plan != "" {
				fmt.Fprintf(&b, "\nPlan: %s", v.Plan)
			}
			if v.Late {
				fmt.Fprintf(&b, "\n⚠️ Recorded as late (deadline %s).", v.Deadline)
			}
		} else {
			fmt.Fprintf(&b, "✅ Status of %s recorded: %s for %s (at %s).", v.Name, statusEN(v.Status), v.Date, v.Time)
			if v.Health != "" && v.Status == "sakit" {
				fmt.Fprintf(&b, "\nNote: %s", v.Health)
			}
			if v.Plan != "" {
				fmt.Fprintf(&b, "\nNote: %s", v.Plan)
			}
			if v.Status == "sakit" {
				b.WriteString("\nGet well soon.")
			}
		}
		if v.Updated {
			b.WriteString("\n(Today's record was updated; the earlier version is kept.)")
		}
		if v.Status == "hadir" {
			b.WriteString("\nSend /laporan … to report today's work results.")
		}
		return b.String()
	},
	ReportAdded: func(n int, at string) string {
		return fmt.Sprintf("📝 Work report recorded at %s (part %d today). Thank you.", at, n)
	},
	ReportEmpty: "Write the report after the command, for example:\n/laporan Drafted the March expense report",
	MyDay: func(v DayView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "Status of %s, %s:\n", v.Name, v.Date)
		if v.Status == "hadir" {
			fmt.Fprintf(&b, "Present, %s, since %s", placeEN(v.Place), v.FirstAt)
			if v.Late {
				b.WriteString(" (late)")
			}
			fmt.Fprintf(&b, "\nHealth: %s", v.Health)
		} else {
			fmt.Fprintf(&b, "%s (recorded %s)", statusEN(v.Status), v.FirstAt)
		}
		if v.Plan != "" {
			fmt.Fprintf(&b, "\nPlan/note: %s", v.Plan)
		}
		fmt.Fprintf(&b, "\nWork report: %d part(s)", v.Reports)
		return b.String()
	},
	NoCheckInYet: func(date string) string {
		return fmt.Sprintf("You have not checked in today (%s). Send /hadir to check in.", date)
	},
	Help: "Piket commands:\n" +
		"/hadir [wfh|kantor|piket|dinas], [health], [plan] — daily check-in (e.g. \"hadir wfh, sehat, drafting the report\")\n" +
		"/sakit [note] · /izin [reason] · /cuti — not working today\n" +
		"/laporan TEXT — today's work report\n" +
		"/status — my status today\n" +
		"/keluar REASON [2 jam | sampai 14.00] — report leaving home (urgent matters only)\n" +
		"/kembali — back home\n" +
		"/ok N — (supervisors) acknowledge leave-home report No. N\n" +
		"/keluar_aktif — (supervisors) staff currently out of home\n" +
		"/piket — my duty days · /piket besok — the next working day's duty list\n" +
		"/tukar DATE NIP — ask a colleague to take my duty · /setuju N · /tolak N\n" +
		"/bantuan — this list",
	UnknownCommand: func(word, suggest string) string {
		if suggest != "" {
			return fmt.Sprintf("Sorry, «%s» is not a command. Did you mean %s? Type /bantuan for the command list.", word, suggest)
		}
		return fmt.Sprintf("Sorry, «%s» is not a command. Type /bantuan for the command list.", word)
	},
	NotUnderstood:  "Sorry, I did not understand. To check in send /hadir; type /bantuan for the command list.",
	InternalError:  "Sorry, something went wrong while handling your message. Please try again in a moment.",
	GroupOnly:      "Send this command in the office's WhatsApp/Telegram group, not in a private chat.",
	GroupLinkUsage: "Write the office code after the command, for example: /grup DISKOMINFO",
	GroupLinked: func(office string) string {
		return fmt.Sprintf("This group is now linked to %s. Duty rosters and office notices will be posted here.", office)
	},
	GroupUnknownOffice: func(code string) string {
		return fmt.Sprintf("Sorry, the office code «%s» is unknown.", code)
	},
	NotAllowed:        "Sorry, you are not allowed to use this command.",
	TooLong:           "Your message is too long; only the first 4,000 characters were processed.",
	WhatsAppLoggedOut: "⚠️ Piket is disconnected from WhatsApp (session logged out): WhatsApp messages are neither received nor sent. The server operator must run `piket whatsapp pair` to link it again.",
	LeavePrivateOnly:  "Send leave-home reports in your private chat with the bot, not in the group: the reason is for your supervisor only.",
	TooMany:           "You are sending too many messages. Please wait a minute and try again.",
	Roster:            rosterEN,

	LeaveAskReason: "Please write why you are leaving home after the command, for example:\n/keluar ke rumah sakit antar ibu kontrol, 2 jam",
	LeaveRecorded: func(v LeaveView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "🚶 Leave-home report No. %d recorded at %s.\nReason: %s\nExpected back: %s", v.N, v.Since, v.Reason, orEN(v.Expected))
		if len(v.Alerted) > 0 {
			fmt.Fprintf(&b, "\nForwarded to %s.", strings.Join(v.Alerted, ", "))
		}
		b.WriteString("\nSend /kembali as soon as you are back home.")
		return b.String()
	},
	LeaveAlreadyOpen: func(v LeaveView) string {
		return fmt.Sprintf("You are still recorded as out of home (report No. %d since %s: %s). Send /kembali once you are home before making a new report.", v.N, v.Since, v.Reason)
	},
	LeaveAlert: func(v LeaveView) string {
		return fmt.Sprintf("🚶 Leave-home report No. %d\n%s — %s\nReason: %s\nSince: %s\nExpected back: %s\nReply /ok %d to acknowledge.", v.N, v.Name, unitEN(v), v.Reason, v.Since, orEN(v.Expected), v.N)
	},
	LeaveEscalation: func(v LeaveView) string {
		return fmt.Sprintf("⚠️ Leave-home report No. %d was not acknowledged by %s.\n%s — %s\nReason: %s\nSince: %s\nExpected back: %s\nReply /ok %d to acknowledge.", v.N, strings.Join(v.Alerted, ", "), v.Name, unitEN(v), v.Reason, v.Since, orEN(v.Expected), v.N)
	},
	LeaveAckUsage: "Write the report number after the command, for example: /ok 12",
	LeaveUnknown: func(n int64) string {
		return fmt.Sprintf("Sorry, leave-home report No. %d was not found. Please check the number.", n)
	},
	LeaveAckDone: func(v LeaveView) string {
		return fmt.Sprintf("✅ You acknowledged report No. %d (%s). %s has been told.", v.N, v.Name, v.Name)
	},
	LeaveAcked: func(v LeaveView) string {
		return fmt.Sprintf("✅ Your leave-home report No. %d was seen by %s at %s.", v.N, v.By, v.At)
	},
	LeaveAckAlready: func(v LeaveView) string {
		return fmt.Sprintf("Thank you. Report No. %d (%s) was already acknowledged by %s at %s.", v.N, v.Name, v.By, v.At)
	},
	LeaveNotOut: "You are not recorded as out of home. To report leaving home send /keluar REASON.",
	LeaveReturned: func(v LeaveView) string {
		return fmt.Sprintf("🏠 Thank you, you are recorded as back home at %s (report No. %d, %s).", v.At, v.N, v.Took)
	},
	LeaveReturnedAlert: func(v LeaveView) string {
		return fmt.Sprintf("🏠 %s is back home at %s (leave-home report No. %d: %s, %s).", v.Name, v.At, v.N, v.Reason, v.Took)
	},
	LeaveReminder: func(v LeaveView) string {
		return fmt.Sprintf("⏰ You have been out of home since %s (report No. %d: %s), expected back %s. If you are home, send /kembali.", v.Since, v.N, v.Reason, orEN(v.Expected))
	},
	LeaveOverdueAlert: func(v LeaveView) string {
		return fmt.Sprintf("⏰ %s (%s) has not reported being back home. Report No. %d since %s: %s. Expected back %s.", v.Name, unitEN(v), v.N, v.Since, v.Reason, orEN(v.Expected))
	},
	LeaveStatus: func(v LeaveView) string {
		s := fmt.Sprintf("🚶 Out of home (report No. %d since %s): %s. Expected back %s.", v.N, v.Since, v.Reason, orEN(v.Expected))
		if v.By != "" {
			s += fmt.Sprintf(" Acknowledged by %s.", v.By)
		}
		return s + " Send /kembali once you are home."
	},
	LeaveTook: func(d time.Duration) string { return tookIn(d, "h", "min") },
	LeaveActive: func(vs []LeaveView) string {
		if len(vs) == 0 {
			return "None of your staff is out of home."
		}
		var b strings.Builder
		fmt.Fprintf(&b, "Out of home (%d):", len(vs))
		for _, v := range vs {
			fmt.Fprintf(&b, "\nNo. %d — %s (%s), since %s: %s", v.N, v.Name, unitEN(v), v.Since, v.Reason)
			if v.By == "" {
				b.WriteString(" [not acknowledged]")
			}
		}
		return b.String()
	},
}

func placeID(p string) string {
	switch p {
	case "wfh":
		return "WFH (bekerja dari rumah)"
	case "kantor":
		return "di kantor"
	case "piket":
		return "piket di kantor"
	case "dinas":
		return "dinas luar"
	}
	return p
}

func statusID(s string) string {
	switch s {
	case "hadir":
		return "hadir"
	case "sakit":
		return "sakit"
	case "izin":
		return "izin"
	case "cuti":
		return "cuti"
	}
	return s
}

func placeEN(p string) string {
	switch p {
	case "wfh":
		return "WFH (working from home)"
	case "kantor":
		return "at the office"
	case "piket":
		return "on duty at the office"
	case "dinas":
		return "official travel"
	}
	return p
}

func statusEN(s string) string {
	switch s {
	case "hadir":
		return "present"
	case "sakit":
		return "sick"
	case "izin":
		return "permitted absence"
	case "cuti":
		return "on leave"
	}
	return s
}

func orID(s string) string {
	if s == "" {
		return "tidak disebutkan"
	}
	return s
}

func orEN(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}

func unitID(v LeaveView) string {
	if v.Division == "" {
		return v.Office
	}
	return v.Office + ", " + v.Division
}

func unitEN(v LeaveView) string { return unitID(v) }

func tookIn(d time.Duration, hour, minute string) string {
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d %s", m, minute)
	case m == 0:
		return fmt.Sprintf("%d %s", h, hour)
	}
	return fmt.Sprintf("%d %s %d %s", h, hour, m, minute)
}
