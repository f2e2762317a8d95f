package bot

import (
	"fmt"
	"strings"
)

// AbsenceTexts are the messages of absences with dates (absence.go).
type AbsenceTexts struct {
	Kind         func(status string) string // "cuti", "dinas luar"
	Recorded     func(v AbsenceView) string
	BadDate      string
	TooLong      func(maxDays int) string
	Past         func(date string) string
	NoWorkingDay func(v AbsenceView) string
	Overlap      func(date string, other AbsenceView) string
	PrivateOnly  string
	AskOverwrite func(v AbsenceView, command string) string
	HeldInGroup  func(n int64) string // a check-in in a group on a day an absence holds
	Cancelled    func(v AbsenceView, removed []string, kept bool) string
	CancelledFor func(v AbsenceView, by string, removed []string) string // to the person, when an admin cancelled
	CancelNone   string
	CancelWhich  func(vs []AbsenceView) string
	CancelPast   func(v AbsenceView) string
	CancelDone   func(v AbsenceView) string // already cancelled
	Unknown      func(n int64) string
	Upcoming     func(vs []AbsenceView) string // a part of /status and /piket
	Digest       func(vs []AbsenceView) string // a part of the supervisor's digest
	// OffDay says why a day is skipped: a holiday's name, else the
	// weekend or the office's own day off.
	OffDay func(holiday string, weekend bool) string
}

// AbsenceView is what absence messages show. Days and dates are formatted.
type AbsenceView struct {
	N       int64
	Name    string // the person (digest)
	Unit    string // division (digest)
	Kind    string // from Kind
	From    string
	To      string
	Days    []string // recorded working days
	Skipped []string // "Sabtu, 21 Maret 2020 (akhir pekan)"
	Duty    []string // days of a published roster the person is on
	Reason  string
}

// maxListed is how many days a message lists before "and N more".
const maxListed = 10

func listDays(days []string, more string) string {
	if len(days) <= maxListed {
		return strings.Join(days, "; ")
	}
	return strings.Join(days[:maxListed], "; ") + fmt.Sprintf("; "+more, len(days)-maxListed)
}

func spanText(v AbsenceView) string {
	if v.From == v.To {
		return v.From
	}
	return v.From + " – " + v.To
}

var absenceID = AbsenceTexts{
	Kind: func(s string) string {
		if s == "dinas" {
			return "dinas luar"
		}
		return statusID(s)
	},
	Recorded: func(v AbsenceView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "✅ Tercatat %s No. %d, %d hari kerja: %s.", v.Kind, v.N, len(v.Days), listDays(v.Days, "dan %d hari lagi"))
		if v.Reason != "" {
			fmt.Fprintf(&b, "\nKeterangan: %s", v.Reason)
		}
		if len(v.Skipped) > 0 {
			fmt.Fprintf(&b, "\nDilewati (bukan hari kerja): %s.", listDays(v.Skipped, "dan %d hari lagi"))
		}
		if len(v.Duty) > 0 {
			fmt.Fprintf(&b, "\n⚠️ Anda terjadwal piket pada %s (sudah diumumkan): cari pengganti dengan /tukar TANGGAL NIP.", listDays(v.Duty, "dan %d hari lagi"))
		}
		fmt.Fprintf(&b, "\nUntuk membatalkan: /batal %d", v.N)
		return b.String()
	},
	BadDate: "Maaf, tanggalnya tidak saya pahami. Contoh: /cuti 20-24 Maret, /cuti 2020-03-20 s.d. 2020-03-24, /izin besok acara keluarga, /sakit 3 hari, /dinas luar 26/3 ke Jakarta. Tidak ada yang dicatat.",
	TooLong: func(n int) string {
		return fmt.Sprintf("Maaf, satu pengajuan paling lama %d hari. Silakan kirim per bagian. Tidak ada yang dicatat.", n)
	},
	Past: func(date string) string {
		return fmt.Sprintf("Maaf, %s sudah lewat. Absen dengan tanggal hanya untuk hari ini dan hari-hari mendatang; untuk hari yang lewat hubungi admin OPD. Tidak ada yang dicatat.", date)
	},
	NoWorkingDay: func(v AbsenceView) string {
		return fmt.Sprintf("Tidak ada hari kerja pada %s (%s). Tidak ada yang dicatat.", spanText(v), listDays(v.Skipped, "dan %d hari lagi"))
	},
	Overlap: func(date string, o AbsenceView) string {
		return fmt.Sprintf("Maaf, %s sudah tercatat %s No. %d. Batalkan dulu dengan /batal %d bila ingin mengganti. Tidak ada yang dicatat.", date, o.Kind, o.N, o.N)
	},
	PrivateOnly: "Absen dengan tanggal dan pembatalannya dikirim lewat obrolan pribadi dengan bot, bukan di grup.",
	AskOverwrite: func(v AbsenceView, cmd string) string {
		return fmt.Sprintf("Anda tercatat %s hari ini (No. %d). Kirim %s lagi dalam 30 menit untuk tetap mencatatnya (hari ini saja yang diganti), atau /batal %d untuk membatalkan %s itu.", v.Kind, v.N, cmd, v.N, v.Kind)
	},
	HeldInGroup: func(n int64) string {
		return fmt.Sprintf("Hari ini Anda sudah tercatat tidak masuk (No. %d). Untuk menggantinya, kirim absen lewat obrolan pribadi dengan bot, atau /batal %d di sana. Tidak ada yang diubah.", n, n)
	},
	Cancelled: func(v AbsenceView, removed []string, kept bool) string {
		s := fmt.Sprintf("✅ %s No. %d dibatalkan. Dihapus: %s.", capFirst(v.Kind), v.N, listDays(removed, "dan %d hari lagi"))
		if kept {
			s += " Hari yang sudah lewat tetap tercatat."
		}
		return s
	},
	CancelledFor: func(v AbsenceView, by string, removed []string) string {
		return fmt.Sprintf("ℹ️ %s No. %d Anda dibatalkan oleh %s. Dihapus: %s.", capFirst(v.Kind), v.N, by, listDays(removed, "dan %d hari lagi"))
	},
	CancelNone: "Tidak ada absen terjadwal yang bisa dibatalkan.",
	CancelWhich: func(vs []AbsenceView) string {
		var b strings.Builder
		b.WriteString("Absen mana yang dibatalkan? Kirim /batal dengan nomornya:")
		for _, v := range vs {
			fmt.Fprintf(&b, "\n• /batal %d — %s, %s", v.N, v.Kind, spanText(v))
		}
		return b.String()
	},
	CancelPast: func(v AbsenceView) string {
		return fmt.Sprintf("%s No. %d sudah lewat seluruhnya dan tidak bisa dibatalkan lagi.", capFirst(v.Kind), v.N)
	},
	CancelDone: func(v AbsenceView) string {
		return fmt.Sprintf("%s No. %d sudah dibatalkan sebelumnya.", capFirst(v.Kind), v.N)
	},
	Unknown: func(n int64) string {
		return fmt.Sprintf("Absen No. %d tidak ditemukan. Lihat nomornya dengan /status.", n)
	},
	Upcoming: func(vs []AbsenceView) string {
		var b strings.Builder
		b.WriteString("🗓️ Absen terjadwal:")
		for _, v := range vs {
			fmt.Fprintf(&b, "\n• No. %d %s, %s (%d hari kerja)", v.N, v.Kind, spanText(v), len(v.Days))
		}
		return b.String()
	},
	Digest: func(vs []AbsenceView) string {
		var b strings.Builder
		b.WriteString("🗓️ Absen baru bawahan Anda:")
		for _, v := range vs {
			name := v.Name
			if v.Unit != "" {
				name += " (" + v.Unit + ")"
			}
			fmt.Fprintf(&b, "\n• %s: %s No. %d, %s (%d hari kerja)", name, v.Kind, v.N, spanText(v), len(v.Days))
			if v.Reason != "" {
				fmt.Fprintf(&b, " — %s", v.Reason)
			}
		}
		return b.String()
	},
	OffDay: func(h string, weekend bool) string {
		switch {
		case h != "":
			return h
		case weekend:
			return "akhir pekan"
		}
		return "libur kantor"
	},
}

var absenceEN = AbsenceTexts{
	Kind: func(s string) string {
		if s == "dinas" {
			return "official travel"
		}
		return statusEN(s)
	},
	Recorded: func(v AbsenceView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "✅ Recorded %s No. %d, %d working days: %s.", v.Kind, v.N, len(v.Days), listDays(v.Days, "and %d more days"))
		if v.Reason != "" {
			fmt.Fprintf(&b, "\nNote: %s", v.Reason)
		}
		if len(v.Skipped) > 0 {
			fmt.Fprintf(&b, "\nSkipped (not working days): %s.", listDays(v.Skipped, "and %d more days"))
		}
		if len(v.Duty) > 0 {
			fmt.Fprintf(&b, "\n⚠️ You are on the published duty roster on %s: find a replacement with /tukar DATE NIP.", listDays(v.Duty, "and %d more days"))
		}
		fmt.Fprintf(&b, "\nTo cancel: /batal %d", v.N)
		return b.String()
	},
	BadDate: "Sorry, I did not understand the date. For example: /cuti 20-24 Maret, /cuti 2020-03-20 s.d. 2020-03-24, /izin besok acara keluarga, /sakit 3 hari, /dinas luar 26/3 ke Jakarta. Nothing was recorded.",
	TooLong: func(n int) string {
		return fmt.Sprintf("Sorry, one request covers at most %d days. Please send it in parts. Nothing was recorded.", n)
	},
	Past: func(date string) string {
		return fmt.Sprintf("Sorry, %s has passed. Absences with dates are for today and later days; for past days ask your office admin. Nothing was recorded.", date)
	},
	NoWorkingDay: func(v AbsenceView) string {
		return fmt.Sprintf("There is no working day on %s (%s). Nothing was recorded.", spanText(v), listDays(v.Skipped, "and %d more days"))
	},
	Overlap: func(date string, o AbsenceView) string {
		return fmt.Sprintf("Sorry, %s is already recorded as %s No. %d. Cancel it first with /batal %d to replace it. Nothing was recorded.", date, o.Kind, o.N, o.N)
	},
	PrivateOnly: "Send absences with dates and their cancellation in your private chat with the bot, not in the group.",
	AskOverwrite: func(v AbsenceView, cmd string) string {
		return fmt.Sprintf("You are recorded as %s today (No. %d). Send %s again within 30 minutes to record it anyway (only today changes), or /batal %d to cancel the %s.", v.Kind, v.N, cmd, v.N, v.Kind)
	},
	HeldInGroup: func(n int64) string {
		return fmt.Sprintf("You are already recorded as not working today (No. %d). To change it, send your check-in in your private chat with the bot, or /batal %d there. Nothing was changed.", n, n)
	},
	Cancelled: func(v AbsenceView, removed []string, kept bool) string {
		s := fmt.Sprintf("✅ %s No. %d cancelled. Removed: %s.", capFirst(v.Kind), v.N, listDays(removed, "and %d more days"))
		if kept {
			s += " Days already passed stay recorded."
		}
		return s
	},
	CancelledFor: func(v AbsenceView, by string, removed []string) string {
		return fmt.Sprintf("ℹ️ Your %s No. %d was cancelled by %s. Removed: %s.", v.Kind, v.N, by, listDays(removed, "and %d more days"))
	},
	CancelNone: "There is no scheduled absence to cancel.",
	CancelWhich: func(vs []AbsenceView) string {
		var b strings.Builder
		b.WriteString("Which absence should be cancelled? Send /batal with its number:")
		for _, v := range vs {
			fmt.Fprintf(&b, "\n• /batal %d — %s, %s", v.N, v.Kind, spanText(v))
		}
		return b.String()
	},
	CancelPast: func(v AbsenceView) string {
		return fmt.Sprintf("%s No. %d has fully passed and can no longer be cancelled.", capFirst(v.Kind), v.N)
	},
	CancelDone: func(v AbsenceView) string {
		return fmt.Sprintf("%s No. %d was already cancelled.", capFirst(v.Kind), v.N)
	},
	Unknown: func(n int64) string {
		return fmt.Sprintf("Absence No. %d was not found. See the numbers with /status.", n)
	},
	Upcoming: func(vs []AbsenceView) string {
		var b strings.Builder
		b.WriteString("🗓️ Scheduled absences:")
		for _, v := range vs {
			fmt.Fprintf(&b, "\n• No. %d %s, %s (%d working days)", v.N, v.Kind, spanText(v), len(v.Days))
		}
		return b.String()
	},
	Digest: func(vs []AbsenceView) string {
		var b strings.Builder
		b.WriteString("🗓️ New absences of your staff:")
		for _, v := range vs {
			name := v.Name
			if v.Unit != "" {
				name += " (" + v.Unit + ")"
			}
			fmt.Fprintf(&b, "\n• %s: %s No. %d, %s (%d working days)", name, v.Kind, v.N, spanText(v), len(v.Days))
			if v.Reason != "" {
				fmt.Fprintf(&b, " — %s", v.Reason)
			}
		}
		return b.String()
	},
	OffDay: func(h string, weekend bool) string {
		switch {
		case h != "":
			return h
		case weekend:
			return "weekend"
		}
		return "office day off"
	},
}

func capFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
