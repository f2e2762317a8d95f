package bot

import (
	"fmt"
	"strings"

	"github.com/piket-id/piket/store"
)

// RosterView is what a roster post shows.
type RosterView struct {
	Office     string // code
	OfficeName string
	Date       string // formatted day
	People     []RosterPerson
	Contacts   []RosterPerson // eselon II and admins
	Problems   []string       // rules that could not be met, in the texts' language
	Draft      bool           // not yet published
}

// RosterPerson is one person in a roster post.
type RosterPerson struct {
	Name, NIP, Level, Division, Phone string
	Fixed                             bool
}

// DutyLine is one of my duty days.
type DutyLine struct {
	Date  string
	Draft bool // not yet published: may still change
}

// RosterTexts holds the duty-roster sentences of one language.
type RosterTexts struct {
	// Lang is the language of roster.Problem texts ("id" or "en").
	Lang              string
	Post              func(v RosterView) string
	Reminder          func(name, date, office string) string
	MyDuties          func(name string, days []DutyLine) string
	NoDuties          func(name string) string
	Usage             string
	NotWorkingDay     func(date string) string
	SwapUsage         string
	SwapDecideUsage   string
	SwapPast          func(date string) string
	SwapUnknownPerson func(nip string) string
	SwapNotOnDuty     func(date string) string
	SwapAlreadyOnDuty func(name, date string) string
	SwapRequested     func(n int64, name, date string) string
	SwapAsk           func(n int64, requester, date string) string
	SwapNotFound      func(n int64) string
	SwapClosed        func(n int64) string
	SwapStale         func(n int64) string
	SwapRefused       func(n int64, by, date string) string
	SwapRefusedOK     func(n int64) string
	SwapDone          func(out, in, date string) string
	SwapPosted        func(office, out, in, date string) string
}

func levelID(l string) string {
	switch l {
	case store.LevelEselon2:
		return "Eselon II"
	case store.LevelEselon3:
		return "Eselon III"
	case store.LevelEselon4:
		return "Eselon IV"
	case store.LevelPelaksana:
		return "Pelaksana"
	}
	return l
}

func levelEN(l string) string {
	if l == store.LevelPelaksana {
		return "Staff"
	}
	return levelID(l)
}

// rosterPost writes a roster post with a language's words.
func rosterPost(v RosterView, w postWords) string {
	var b strings.Builder
	office := v.Office
	if v.OfficeName != "" && v.OfficeName != v.Office {
		office = v.OfficeName + " (" + v.Office + ")"
	}
	fmt.Fprintf(&b, "📋 %s %s\n%s", w.title, office, v.Date)
	if v.Draft {
		fmt.Fprintf(&b, " (%s)", w.draft)
	}
	if len(v.People) == 0 {
		fmt.Fprintf(&b, "\n%s", w.nobody)
	}
	for i, p := range v.People {
		fmt.Fprintf(&b, "\n%d. %s — %s", i+1, p.Name, w.level(p.Level))
		if p.Division != "" {
			fmt.Fprintf(&b, ", %s", p.Division)
		}
		if p.Fixed {
			fmt.Fprintf(&b, " (%s)", w.fixed)
		}
	}
	if len(v.Problems) > 0 {
		fmt.Fprintf(&b, "\n⚠️ %s:", w.problems)
		for _, p := range v.Problems {
			fmt.Fprintf(&b, "\n- %s", p)
		}
	}
	if len(v.Contacts) > 0 {
		parts := make([]string, len(v.Contacts))
		for i, c := range v.Contacts {
			parts[i] = c.Name
			if c.Phone != "" {
				parts[i] += " " + c.Phone
			}
		}
		fmt.Fprintf(&b, "\n%s: %s", w.contact, strings.Join(parts, "; "))
	}
	fmt.Fprintf(&b, "\n%s", w.footer)
	return b.String()
}

// postWords are the words of a roster post.
type postWords struct {
	title, draft, nobody, fixed, problems, contact, footer string
	level                                                  func(string) string
}

var rosterID = RosterTexts{
	Lang: "id",
	Post: func(v RosterView) string {
		return rosterPost(v, postWords{
			title: "Jadwal piket", draft: "rancangan, belum diumumkan", nobody: "Belum ada petugas piket.",
			fixed: "tetap", problems: "Catatan", contact: "Kontak", level: levelID,
			footer: "Petugas piket bekerja di kantor; yang lain bekerja dari rumah (WFH). Semua tetap absen dengan /hadir.",
		})
	},
	Reminder: func(name, date, office string) string {
		return fmt.Sprintf("🔔 %s, Anda bertugas piket di kantor (%s) pada %s. Absen dengan \"/hadir piket\" saat tiba. Berhalangan? Kirim /tukar TANGGAL NIP untuk meminta rekan menggantikan.", name, office, date)
	},
	MyDuties: func(name string, days []DutyLine) string {
		var b strings.Builder
		fmt.Fprintf(&b, "Jadwal piket %s:", name)
		for _, d := range days {
			fmt.Fprintf(&b, "\n- %s", d.Date)
			if d.Draft {
				b.WriteString(" (rancangan)")
			}
		}
		b.WriteString("\nJadwal rancangan masih dapat berubah sampai diumumkan sehari sebelumnya.")
		return b.String()
	},
	NoDuties: func(name string) string {
		return fmt.Sprintf("%s tidak punya jadwal piket dalam dua minggu ke depan.", name)
	},
	Usage: "Kirim /piket untuk jadwal piket Anda, /piket hari ini untuk daftar petugas hari ini, atau /piket besok untuk daftar petugas hari kerja berikutnya.",
	NotWorkingDay: func(date string) string {
		return fmt.Sprintf("%s bukan hari kerja; tidak ada piket.", date)
	},
	SwapUsage:       "Tulis tanggal dan NIP pengganti, misalnya: /tukar 2020-03-26 199203142015032001",
	SwapDecideUsage: "Tulis nomor permintaan, misalnya: /setuju 3 atau /tolak 3",
	SwapPast: func(date string) string {
		return fmt.Sprintf("Jadwal %s sudah lewat dan tidak dapat ditukar.", date)
	},
	SwapUnknownPerson: func(nip string) string {
		return fmt.Sprintf("Maaf, NIP %s tidak ditemukan di antara pegawai aktif OPD Anda.", nip)
	},
	SwapNotOnDuty: func(date string) string {
		return fmt.Sprintf("Anda tidak terjadwal piket pada %s.", date)
	},
	SwapAlreadyOnDuty: func(name, date string) string {
		return fmt.Sprintf("%s sudah terjadwal piket pada %s.", name, date)
	},
	SwapRequested: func(n int64, name, date string) string {
		return fmt.Sprintf("Permintaan tukar piket no. %d terkirim: %s diminta menggantikan Anda pada %s. Jadwal berubah setelah ia (atau admin OPD) menyetujui.", n, name, date)
	},
	SwapAsk: func(n int64, requester, date string) string {
		return fmt.Sprintf("🔁 %s meminta Anda menggantikannya piket pada %s. Balas /setuju %d untuk menerima atau /tolak %d untuk menolak.", requester, date, n, n)
	},
	SwapNotFound: func(n int64) string {
		return fmt.Sprintf("Permintaan tukar piket no. %d tidak ditemukan.", n)
	},
	SwapClosed: func(n int64) string {
		return fmt.Sprintf("Permintaan tukar piket no. %d sudah diputuskan sebelumnya.", n)
	},
	SwapStale: func(n int64) string {
		return fmt.Sprintf("Permintaan tukar piket no. %d tidak dapat dijalankan karena jadwalnya sudah berubah.", n)
	},
	SwapRefused: func(n int64, by, date string) string {
		return fmt.Sprintf("Permintaan tukar piket no. %d (%s) ditolak oleh %s. Jadwal Anda tetap.", n, date, by)
	},
	SwapRefusedOK: func(n int64) string {
		return fmt.Sprintf("Permintaan tukar piket no. %d ditolak. Jadwal tetap.", n)
	},
	SwapDone: func(out, in, date string) string {
		return fmt.Sprintf("✅ Tukar piket %s: %s digantikan oleh %s.", date, out, in)
	},
	SwapPosted: func(office, out, in, date string) string {
		return fmt.Sprintf("🔁 Perubahan jadwal piket %s, %s: %s digantikan oleh %s.", office, date, out, in)
	},
}

var rosterEN = RosterTexts{
	Lang: "en",
	Post: func(v RosterView) string {
		return rosterPost(v, postWords{
			title: "Duty roster", draft: "draft, not yet announced", nobody: "Nobody is on duty yet.",
			fixed: "always", problems: "Notes", contact: "Contact", level: levelEN,
			footer: "People on duty work at the office; everyone else works from home (WFH). Everyone still checks in with /hadir.",
		})
	},
	Reminder: func(name, date, office string) string {
		return fmt.Sprintf("🔔 %s, you are on duty at the office (%s) on %s. Check in with \"/hadir piket\" when you arrive. Cannot come? Send /tukar DATE NIP to ask a colleague to take over.", name, office, date)
	},
	MyDuties: func(name string, days []DutyLine) string {
		var b strings.Builder
		fmt.Fprintf(&b, "Duty days of %s:", name)
		for _, d := range days {
			fmt.Fprintf(&b, "\n- %s", d.Date)
			if d.Draft {
				b.WriteString(" (draft)")
			}
		}
		b.WriteString("\nDraft days may still change until they are announced the working day before.")
		return b.String()
	},
	NoDuties: func(name string) string {
		return fmt.Sprintf("%s has no duty days in the next two weeks.", name)
	},
	Usage: "Send /piket for your duty days, /piket hari ini for today's list, or /piket besok for the next working day's list.",
	NotWorkingDay: func(date string) string {
		return fmt.Sprintf("%s is not a working day; there is no duty.", date)
	},
	SwapUsage:       "Write the date and your replacement's NIP, for example: /tukar 2020-03-26 199203142015032001",
	SwapDecideUsage: "Write the request number, for example: /setuju 3 or /tolak 3",
	SwapPast: func(date string) string {
		return fmt.Sprintf("%s is past and cannot be swapped.", date)
	},
	SwapUnknownPerson: func(nip string) string {
		return fmt.Sprintf("Sorry, NIP %s is not among the active staff of your office.", nip)
	},
	SwapNotOnDuty: func(date string) string {
		return fmt.Sprintf("You are not on duty on %s.", date)
	},
	SwapAlreadyOnDuty: func(name, date string) string {
		return fmt.Sprintf("%s is already on duty on %s.", name, date)
	},
	SwapRequested: func(n int64, name, date string) string {
		return fmt.Sprintf("Swap request no. %d sent: %s is asked to take your duty on %s. The roster changes once they (or an office admin) agree.", n, name, date)
	},
	SwapAsk: func(n int64, requester, date string) string {
		return fmt.Sprintf("🔁 %s asks you to take their duty on %s. Reply /setuju %d to accept or /tolak %d to refuse.", requester, date, n, n)
	},
	SwapNotFound: func(n int64) string {
		return fmt.Sprintf("Swap request no. %d was not found.", n)
	},
	SwapClosed: func(n int64) string {
		return fmt.Sprintf("Swap request no. %d was already decided.", n)
	},
	SwapStale: func(n int64) string {
		return fmt.Sprintf("Swap request no. %d cannot be carried out: the roster has changed.", n)
	},
	SwapRefused: func(n int64, by, date string) string {
		return fmt.Sprintf("Swap request no. %d (%s) was refused by %s. Your duty stays.", n, date, by)
	},
	SwapRefusedOK: func(n int64) string {
		return fmt.Sprintf("Swap request no. %d refused. The roster stays.", n)
	},
	SwapDone: func(out, in, date string) string {
		return fmt.Sprintf("✅ Duty swap on %s: %s is replaced by %s.", date, out, in)
	},
	SwapPosted: func(office, out, in, date string) string {
		return fmt.Sprintf("🔁 Duty roster change %s, %s: %s is replaced by %s.", office, date, out, in)
	},
}
