package bot

import (
	"fmt"
	"strings"
	"time"
)

// FlexTexts are the messages of flexible work under PermenPANRB 4/2025
// (flex*.go): requests for flexible-location days, their decisions,
// flexible time and daily progress.
type FlexTexts struct {
	Kind      func(kind string) string     // "WFA (bekerja dari lokasi lain)"
	State     func(state string) string    // "disetujui"
	Help      func(supervisor bool) string // /bantuan in mode fleksibel
	Usage     string                       // how to write a request
	BadDate   string
	TooLong   func(maxDays int) string
	NoReason  string
	NoPlan    string
	GroupOnly string // requests and decisions are private
	// PrivateOnly answers /jam and /pengajuan in a group: hours and requests are the person's own.
	PrivateOnly string
	// Refusals, each with the rule in words.
	Ineligible   string
	NewStaff     func(tmt, from string, months int) string
	TooLate      func(date string, lead time.Duration) string
	NoWorkingDay func(span string) string
	Overlap      func(date string, n int64) string
	WeeklyCap    func(week string, have, want, cap int) string
	Quota        func(date string, away, limit, total int, share string) string
	// A request filed, and the supervisor's copy.
	Filed     func(v FlexView) string
	ToDecide  func(v FlexView) string
	Escalated func(v FlexView) string
	// Decisions.
	DecideUsage  string
	DeclineUsage string
	Unknown      func(n int64) string
	NotAllowed   func(n int64) string
	NotPending   func(v FlexView) string // already decided, lapsed or cancelled
	Started      func(v FlexView) string // the day began: too late to decide
	Approved     func(v FlexView) string // to the decider
	Declined     func(v FlexView) string // to the decider
	YouApproved  func(v FlexView) string // to the requester
	YouDeclined  func(v FlexView) string // to the requester
	Lapsed       func(v FlexView) string // to the requester
	LapsedNotice func(v FlexView) string // to those it reached
	// Lists (/pengajuan).
	List func(mine, waiting []FlexView) string
	// Check-in notes in an office in mode fleksibel.
	OnFlexDay  func(v FlexView) string
	OnTimeNote func(window string) string
	// Flexible time.
	NoCheckIn  string
	DayEnded   func(v HoursView) string
	Hours      func(v HoursView) string
	TeamHours  func(week string, rows []HoursView) string
	WeekReport func(v HoursView) string // to the supervisor at the week's last day end
	// Daily progress.
	ProgressEmpty string
	ProgressAdded func(n int, at string, output bool) string
	// Location.
	LocationOff      string
	LocationChecked  func(v LocationView) string
	LocationNoPlace  string
	NoRoster         string // /piket in an office in mode fleksibel
	RosterHeading    func(office, date string) string
	RosterNone       string
	RosterAwayFormat func(n, total int) string
}

// FlexView describes a request for messages. Dates are formatted.
type FlexView struct {
	N              int64
	Name, Unit     string
	Kind           string // from Kind
	From, To       string
	Days           []string
	Reason, Plan   string
	Preset         string // circular number, or ""
	Deadline       string // decide before
	By             string // decided by
	DeclineReason  string
	Supervisor     string // who it went to
	Alerted        []string
	State          string
	CheckedInPlace string
}

// HoursView is a week's working time for messages.
type HoursView struct {
	Name    string
	Date    string // the day (DayEnded)
	Start   string // first check-in
	End     string
	Day     time.Duration // today's time
	Week    time.Duration
	Target  time.Duration
	Ramadan bool
	Week0   string // the week's Monday
	CoreEnd string // when the end was before the end of core hours
}

// LocationView is a location verdict for messages.
type LocationView struct {
	Against  string // kantor or domisili
	Distance int
	Radius   int
	Inside   bool
}

func spanFlex(v FlexView) string {
	if v.From == v.To {
		return v.From
	}
	return v.From + " – " + v.To
}

func hoursID(d time.Duration) string { return tookIn(d, "j", "m") }
func hoursEN(d time.Duration) string { return tookIn(d, "h", "min") }

var flexID = FlexTexts{
	Help: func(sup bool) string {
		s := "Kerja fleksibel (PermenPANRB 4/2025): Anda bekerja di kantor, kecuali hari WFA/WFH yang disetujui (paling banyak 2 hari kerja per minggu).\n" +
			"/wfa TANGGAL ALASAN; RENCANA KERJA — ajukan bekerja dari lokasi lain (/wfh: dari rumah domisili), sebelum harinya\n" +
			"/pengajuan — pengajuan Anda\n/batal wfa N — batalkan pengajuan Anda N sebelum harinya (/batal N saja: absen bertanggal)\n/pulang — selesai kerja hari ini, jam kerja minggu ini\n/jam — jam kerja minggu ini\n" +
			"/progres KEGIATAN; OUTPUT — progres harian (e-Kinerja)"
		if sup {
			s += "\n/setujui N, /tolak N ALASAN — putuskan pengajuan bawahan"
		}
		return s
	},
	State: func(state string) string {
		switch state {
		case "pending":
			return "menunggu keputusan"
		case "approved":
			return "disetujui"
		case "declined":
			return "ditolak"
		case "lapsed":
			return "gugur"
		case "cancelled":
			return "dibatalkan"
		}
		return state
	},
	Kind: func(k string) string {
		if k == "wfh" {
			return "WFH (bekerja dari rumah domisili)"
		}
		return "WFA (bekerja dari lokasi lain)"
	},
	Usage:   "Cara mengajukan kerja fleksibel: /wfa TANGGAL ALASAN; RENCANA KERJA (target terukur). Contoh: /wfa 2026-03-16 urusan keluarga di Tabanan; menyusun 2 laporan SPJ. Tanggal boleh \"besok\", \"senin depan\", \"16-17 Maret\".",
	BadDate: "Maaf, tanggalnya tidak saya pahami. Contoh: /wfa 2026-03-16 ALASAN; RENCANA, /wfh besok ALASAN; RENCANA, /wfa senin depan ALASAN; RENCANA. Tidak ada yang dicatat.",
	TooLong: func(n int) string {
		return fmt.Sprintf("Maaf, satu pengajuan paling lama %d hari kalender. Tidak ada yang dicatat.", n)
	},
	NoReason:    "Pengajuan kerja fleksibel perlu alasan (PermenPANRB 4/2025). Tulis: /wfa TANGGAL ALASAN; RENCANA KERJA. Tidak ada yang dicatat.",
	NoPlan:      "Pengajuan kerja fleksibel perlu rencana kerja dengan target terukur (PermenPANRB 4/2025). Tulis setelah titik koma: /wfa TANGGAL ALASAN; RENCANA KERJA. Tidak ada yang dicatat.",
	GroupOnly:   "Pengajuan dan keputusan kerja fleksibel dikirim lewat obrolan pribadi dengan bot, bukan di grup.",
	PrivateOnly: "Jam kerja dan daftar pengajuan hanya ditampilkan di obrolan pribadi dengan bot, bukan di grup.",
	Ineligible: "Maaf, Anda tidak termasuk pegawai yang dapat bekerja fleksibel (data kepegawaian: fleksibel = tidak, misalnya sedang menjalani hukuman disiplin atau bertugas di layanan langsung). " +
		"Fleksibilitas kerja bukan hak (PermenPANRB 4/2025). Hubungi admin kepegawaian bila ini keliru. Tidak ada yang dicatat.",
	NewStaff: func(tmt, from string, months int) string {
		return fmt.Sprintf("Maaf, pegawai baru belum dapat bekerja fleksibel (PermenPANRB 4/2025): TMT Anda %s, dan aturan OPD ini %d bulan sejak TMT, jadi baru dapat mulai %s. Tidak ada yang dicatat.", tmt, months, from)
	},
	TooLate: func(date string, lead time.Duration) string {
		if lead > 0 {
			return fmt.Sprintf("Maaf, pengajuan untuk %s harus masuk paling lambat %s sebelum hari itu dimulai, agar atasan memutuskan sebelum harinya. Tidak ada yang dicatat. Untuk absen hari ini kirim /hadir.", date, tookIn(lead, "jam", "menit"))
		}
		return fmt.Sprintf("Maaf, pengajuan untuk %s harus masuk sebelum hari itu dimulai, agar atasan memutuskan sebelum harinya (PermenPANRB 4/2025). Tidak ada yang dicatat. Untuk absen hari ini kirim /hadir.", date)
	},
	NoWorkingDay: func(span string) string {
		return fmt.Sprintf("Tidak ada hari kerja pada %s. Tidak ada yang dicatat.", span)
	},
	Overlap: func(date string, n int64) string {
		return fmt.Sprintf("Maaf, %s sudah ada dalam pengajuan No. %d. Tidak ada yang dicatat.", date, n)
	},
	WeeklyCap: func(week string, have, want, limit int) string {
		return fmt.Sprintf("Maaf, kerja fleksibel lokasi paling banyak %d hari kerja per minggu (PermenPANRB 4/2025). Pada minggu %s Anda sudah punya %d hari (diajukan atau disetujui); pengajuan ini menambah %d. Tidak ada yang dicatat.", limit, week, have, want)
	},
	Quota: func(date string, away, limit, total int, share string) string {
		return fmt.Sprintf("Maaf, kuota kerja fleksibel OPD pada %s sudah penuh: %d dari %d pegawai sudah diajukan atau disetujui, batasnya %d (%s). Pilih hari lain. Tidak ada yang dicatat.", date, away, total, limit, share)
	},
	Filed: func(v FlexView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "📝 Pengajuan %s No. %d: %s.", v.Kind, v.N, strings.Join(v.Days, "; "))
		if v.Preset != "" {
			fmt.Fprintf(&b, "\nHari kerja fleksibel menurut %s: tidak dihitung dalam batas 2 hari per minggu.", v.Preset)
		}
		fmt.Fprintf(&b, "\nAlasan: %s\nRencana kerja: %s\nSudah diteruskan kepada %s untuk diputuskan sebelum %s. Sampai disetujui, Anda bekerja di kantor.", v.Reason, v.Plan, v.Supervisor, v.Deadline)
		return b.String()
	},
	ToDecide: func(v FlexView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "📝 Pengajuan %s No. %d\n%s — %s\nHari: %s", v.Kind, v.N, v.Name, v.Unit, strings.Join(v.Days, "; "))
		if v.Preset != "" {
			fmt.Fprintf(&b, " (%s)", v.Preset)
		}
		fmt.Fprintf(&b, "\nAlasan: %s\nRencana kerja: %s\nBalas /setujui %d atau /tolak %d ALASAN sebelum %s.", v.Reason, v.Plan, v.N, v.N, v.Deadline)
		return b.String()
	},
	Escalated: func(v FlexView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "⚠️ Pengajuan %s No. %d belum diputuskan oleh %s.\n%s — %s\nHari: %s\nAlasan: %s\nRencana kerja: %s\nBalas /setujui %d atau /tolak %d ALASAN sebelum %s.",
			v.Kind, v.N, strings.Join(v.Alerted, ", "), v.Name, v.Unit, strings.Join(v.Days, "; "), v.Reason, v.Plan, v.N, v.N, v.Deadline)
		return b.String()
	},
	DecideUsage:  "Tulis nomor pengajuannya: /setujui N (nomornya ada di pesan pengajuan, atau kirim /pengajuan).",
	DeclineUsage: "Tulis nomor dan alasannya: /tolak N ALASAN, mis. /tolak 3 rapat koordinasi di kantor.",
	Unknown:      func(n int64) string { return fmt.Sprintf("Pengajuan No. %d tidak ada.", n) },
	NotAllowed: func(n int64) string {
		return fmt.Sprintf("Maaf, pengajuan No. %d hanya dapat diputuskan oleh atasan pegawai itu atau admin OPD-nya.", n)
	},
	NotPending: func(v FlexView) string {
		return fmt.Sprintf("Pengajuan No. %d (%s) sudah %s. Tidak ada yang diubah.", v.N, v.Name, v.State)
	},
	Started: func(v FlexView) string {
		return fmt.Sprintf("Pengajuan No. %d tidak dapat diputuskan lagi: hari %s sudah dimulai, pengajuan gugur dan %s bekerja di kantor.", v.N, v.From, v.Name)
	},
	Approved: func(v FlexView) string {
		return fmt.Sprintf("✅ Pengajuan No. %d (%s, %s) disetujui. %s sudah diberi tahu.", v.N, v.Name, spanFlex(v), v.Name)
	},
	Declined: func(v FlexView) string {
		return fmt.Sprintf("Pengajuan No. %d (%s, %s) ditolak. %s sudah diberi tahu dan bekerja di kantor.", v.N, v.Name, spanFlex(v), v.Name)
	},
	YouApproved: func(v FlexView) string {
		return fmt.Sprintf("✅ Pengajuan %s No. %d disetujui oleh %s: %s. Tetap absen setiap hari (/hadir) dan catat progres harian (/progres).", v.Kind, v.N, v.By, strings.Join(v.Days, "; "))
	},
	YouDeclined: func(v FlexView) string {
		return fmt.Sprintf("❌ Pengajuan %s No. %d ditolak oleh %s: %s.\nAlasan: %s\nPada hari itu Anda bekerja di kantor.", v.Kind, v.N, v.By, spanFlex(v), v.DeclineReason)
	},
	Lapsed: func(v FlexView) string {
		return fmt.Sprintf("⌛ Pengajuan %s No. %d (%s) gugur: belum diputuskan saat harinya dimulai. Hari ini Anda bekerja di kantor.", v.Kind, v.N, spanFlex(v))
	},
	LapsedNotice: func(v FlexView) string {
		return fmt.Sprintf("⌛ Pengajuan %s No. %d (%s, %s) gugur karena belum diputuskan saat harinya dimulai; %s bekerja di kantor.", v.Kind, v.N, v.Name, spanFlex(v), v.Name)
	},
	List: func(mine, waiting []FlexView) string {
		if len(mine) == 0 && len(waiting) == 0 {
			return "Tidak ada pengajuan kerja fleksibel yang berjalan."
		}
		var b strings.Builder
		if len(waiting) > 0 {
			b.WriteString("Menunggu keputusan Anda:")
			for _, v := range waiting {
				fmt.Fprintf(&b, "\n• No. %d %s — %s, %s (sebelum %s)", v.N, v.Name, v.Kind, spanFlex(v), v.Deadline)
			}
		}
		if len(mine) > 0 {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString("Pengajuan Anda:")
			for _, v := range mine {
				fmt.Fprintf(&b, "\n• No. %d %s, %s — %s", v.N, v.Kind, spanFlex(v), v.State)
			}
		}
		return b.String()
	},
	OnFlexDay: func(v FlexView) string {
		return fmt.Sprintf("\n🏠 Hari kerja fleksibel (%s No. %d, disetujui).", v.Kind, v.N)
	},
	OnTimeNote: func(w string) string {
		return fmt.Sprintf("\n⏰ Tepat waktu: di dalam rentang jam mulai fleksibel %s.", w)
	},
	NoCheckIn: "Anda belum absen hari ini, jadi jam kerja belum dapat dihitung. Kirim /hadir dulu.",
	DayEnded: func(v HoursView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "🏁 Pulang tercatat pukul %s. Hari ini: %s (%s–%s).", v.End, hoursID(v.Day), v.Start, v.End)
		if v.CoreEnd != "" {
			fmt.Fprintf(&b, "\n⚠️ Sebelum akhir jam inti (%s).", v.CoreEnd)
		}
		b.WriteString("\n" + weekLineID(v))
		return b.String()
	},
	Hours: func(v HoursView) string { return "⏱️ " + weekLineID(v) },
	TeamHours: func(week string, rows []HoursView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "⏱️ Jam kerja minggu %s:", week)
		for _, r := range rows {
			fmt.Fprintf(&b, "\n• %s: %s dari %s", r.Name, hoursID(r.Week), hoursID(r.Target))
		}
		return b.String()
	},
	WeekReport: func(v HoursView) string {
		return fmt.Sprintf("⏱️ Jam kerja %s minggu %s: %s dari %s%s.", v.Name, v.Week0, hoursID(v.Week), hoursID(v.Target), shortID(v))
	},
	ProgressEmpty: "Tulis progresnya: /progres KEGIATAN; OUTPUT, mis. /progres menyusun SPJ Maret; 1 dokumen SPJ.",
	ProgressAdded: func(n int, at string, output bool) string {
		s := fmt.Sprintf("✅ Progres harian ke-%d tercatat pukul %s.", n, at)
		if !output {
			s += " Tambahkan output yang terukur setelah titik koma lain kali, mis. \"; 1 dokumen\"."
		}
		return s
	},
	LocationOff:     "Pemeriksaan lokasi tidak dipakai di OPD Anda; lokasi ini tidak disimpan.",
	LocationNoPlace: "📍 Lokasi diterima, tetapi belum ada titik domisili Anda di data kepegawaian untuk dibandingkan. Hanya hasilnya (tanpa titik) yang dicatat.",
	LocationChecked: func(v LocationView) string {
		place := "kantor"
		if v.Against == "domisili" {
			place = "domisili yang terdaftar"
		}
		verdict := "di dalam"
		if !v.Inside {
			verdict = "di luar"
		}
		return fmt.Sprintf("📍 Lokasi diterima: %d m dari %s, %s radius %d m. Yang dicatat hanya jarak dan hasilnya.", v.Distance, place, verdict, v.Radius)
	},
	NoRoster:      "OPD Anda memakai mode kerja fleksibel (PermenPANRB 4/2025): tidak ada jadwal piket. Semua bekerja di kantor, kecuali hari WFA/WFH yang disetujui; ajukan dengan /wfa, lihat pengajuan Anda dengan /pengajuan.",
	RosterHeading: func(office, date string) string { return fmt.Sprintf("🏠 Kerja fleksibel %s\n%s", office, date) },
	RosterNone:    "Semua pegawai bekerja di kantor.",
	RosterAwayFormat: func(n, total int) string {
		return fmt.Sprintf("WFA/WFH yang disetujui: %d dari %d pegawai", n, total)
	},
}

func weekLineID(v HoursView) string {
	r := ""
	if v.Ramadan {
		r = " (Ramadan)"
	}
	return fmt.Sprintf("Minggu ini (mulai %s): %s dari %s%s%s.", v.Week0, hoursID(v.Week), hoursID(v.Target), r, shortID(v))
}

func shortID(v HoursView) string {
	if v.Week >= v.Target {
		return ", terpenuhi"
	}
	return ", kurang " + hoursID(v.Target-v.Week)
}

func weekLineEN(v HoursView) string {
	r := ""
	if v.Ramadan {
		r = " (Ramadan)"
	}
	return fmt.Sprintf("This week (from %s): %s of %s%s%s.", v.Week0, hoursEN(v.Week), hoursEN(v.Target), r, shortEN(v))
}

func shortEN(v HoursView) string {
	if v.Week >= v.Target {
		return ", met"
	}
	return ", " + hoursEN(v.Target-v.Week) + " short"
}

var flexEN = FlexTexts{
	Help: func(sup bool) string {
		s := "Flexible work (PermenPANRB 4/2025): you work at the office except on approved WFA/WFH days (at most 2 working days a week).\n" +
			"/wfa DATE REASON; WORK PLAN — request to work from another place (/wfh: from your registered home), before the day\n" +
			"/pengajuan — your requests\n/batal wfa N — cancel your request N before its day (/batal N alone: an absence with dates)\n/pulang — end today's work, this week's hours\n/jam — this week's hours\n" +
			"/progres ACTIVITY; OUTPUT — daily progress (e-Kinerja)"
		if sup {
			s += "\n/setujui N, /tolak N REASON — decide your staff's requests"
		}
		return s
	},
	State: func(state string) string {
		if state == "pending" {
			return "waiting for a decision"
		}
		return state
	},
	Kind: func(k string) string {
		if k == "wfh" {
			return "WFH (work from the registered home)"
		}
		return "WFA (work from another place)"
	},
	Usage:   "To request flexible work: /wfa DATE REASON; WORK PLAN (measurable targets). E.g. /wfa 2026-03-16 family matter in Tabanan; draft 2 SPJ reports. The date may be \"besok\", \"senin depan\", \"16-17 Maret\".",
	BadDate: "Sorry, I do not understand the date. E.g. /wfa 2026-03-16 REASON; PLAN, /wfh besok REASON; PLAN, /wfa senin depan REASON; PLAN. Nothing was recorded.",
	TooLong: func(n int) string {
		return fmt.Sprintf("Sorry, one request covers at most %d calendar days. Nothing was recorded.", n)
	},
	NoReason:    "A flexible-work request needs a reason (PermenPANRB 4/2025). Write: /wfa DATE REASON; WORK PLAN. Nothing was recorded.",
	NoPlan:      "A flexible-work request needs a work plan with measurable targets (PermenPANRB 4/2025). Write it after a semicolon: /wfa DATE REASON; WORK PLAN. Nothing was recorded.",
	GroupOnly:   "Flexible-work requests and decisions go through your private chat with the bot, not the group.",
	PrivateOnly: "Working hours and request lists are shown only in your private chat with the bot, not in the group.",
	Ineligible: "Sorry, you are not among the staff who may work flexibly (staff data: fleksibel = tidak, e.g. under a disciplinary sanction or in direct public service). " +
		"Flexible work is not a right (PermenPANRB 4/2025). Ask your HR admin if this is wrong. Nothing was recorded.",
	NewStaff: func(tmt, from string, months int) string {
		return fmt.Sprintf("Sorry, new staff cannot work flexibly yet (PermenPANRB 4/2025): your TMT is %s and this office's rule is %d months from the TMT, so you may start from %s. Nothing was recorded.", tmt, months, from)
	},
	TooLate: func(date string, lead time.Duration) string {
		if lead > 0 {
			return fmt.Sprintf("Sorry, a request for %s must arrive at least %s before that day starts, so that your supervisor decides before the day. Nothing was recorded. To check in today send /hadir.", date, tookIn(lead, "h", "min"))
		}
		return fmt.Sprintf("Sorry, a request for %s must arrive before that day starts, so that your supervisor decides before the day (PermenPANRB 4/2025). Nothing was recorded. To check in today send /hadir.", date)
	},
	NoWorkingDay: func(span string) string {
		return fmt.Sprintf("There is no working day in %s. Nothing was recorded.", span)
	},
	Overlap: func(date string, n int64) string {
		return fmt.Sprintf("Sorry, %s is already in request No. %d. Nothing was recorded.", date, n)
	},
	WeeklyCap: func(week string, have, want, limit int) string {
		return fmt.Sprintf("Sorry, flexible location is allowed on at most %d working days a week (PermenPANRB 4/2025). In the week of %s you already have %d (requested or approved); this request adds %d. Nothing was recorded.", limit, week, have, want)
	},
	Quota: func(date string, away, limit, total int, share string) string {
		return fmt.Sprintf("Sorry, the office's flexible-work quota on %s is full: %d of %d staff are already requested or approved, the limit is %d (%s). Pick another day. Nothing was recorded.", date, away, total, limit, share)
	},
	Filed: func(v FlexView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "📝 %s request No. %d: %s.", v.Kind, v.N, strings.Join(v.Days, "; "))
		if v.Preset != "" {
			fmt.Fprintf(&b, "\nFlexible-work days under %s: not counted in the 2 days a week.", v.Preset)
		}
		fmt.Fprintf(&b, "\nReason: %s\nWork plan: %s\nSent to %s to decide before %s. Until approved, you work at the office.", v.Reason, v.Plan, v.Supervisor, v.Deadline)
		return b.String()
	},
	ToDecide: func(v FlexView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "📝 %s request No. %d\n%s — %s\nDays: %s", v.Kind, v.N, v.Name, v.Unit, strings.Join(v.Days, "; "))
		if v.Preset != "" {
			fmt.Fprintf(&b, " (%s)", v.Preset)
		}
		fmt.Fprintf(&b, "\nReason: %s\nWork plan: %s\nReply /setujui %d or /tolak %d REASON before %s.", v.Reason, v.Plan, v.N, v.N, v.Deadline)
		return b.String()
	},
	Escalated: func(v FlexView) string {
		return fmt.Sprintf("⚠️ %s request No. %d was not decided by %s.\n%s — %s\nDays: %s\nReason: %s\nWork plan: %s\nReply /setujui %d or /tolak %d REASON before %s.",
			v.Kind, v.N, strings.Join(v.Alerted, ", "), v.Name, v.Unit, strings.Join(v.Days, "; "), v.Reason, v.Plan, v.N, v.N, v.Deadline)
	},
	DecideUsage:  "Give the request's number: /setujui N (it is in the request message, or send /pengajuan).",
	DeclineUsage: "Give the number and a reason: /tolak N REASON, e.g. /tolak 3 coordination meeting at the office.",
	Unknown:      func(n int64) string { return fmt.Sprintf("There is no request No. %d.", n) },
	NotAllowed: func(n int64) string {
		return fmt.Sprintf("Sorry, request No. %d can only be decided by that person's supervisors or their office's admin.", n)
	},
	NotPending: func(v FlexView) string {
		return fmt.Sprintf("Request No. %d (%s) is already %s. Nothing was changed.", v.N, v.Name, v.State)
	},
	Started: func(v FlexView) string {
		return fmt.Sprintf("Request No. %d can no longer be decided: %s has started, the request lapsed and %s works at the office.", v.N, v.From, v.Name)
	},
	Approved: func(v FlexView) string {
		return fmt.Sprintf("✅ Request No. %d (%s, %s) approved. %s has been told.", v.N, v.Name, spanFlex(v), v.Name)
	},
	Declined: func(v FlexView) string {
		return fmt.Sprintf("Request No. %d (%s, %s) declined. %s has been told and works at the office.", v.N, v.Name, spanFlex(v), v.Name)
	},
	YouApproved: func(v FlexView) string {
		return fmt.Sprintf("✅ %s request No. %d approved by %s: %s. Still check in every day (/hadir) and log your daily progress (/progres).", v.Kind, v.N, v.By, strings.Join(v.Days, "; "))
	},
	YouDeclined: func(v FlexView) string {
		return fmt.Sprintf("❌ %s request No. %d declined by %s: %s.\nReason: %s\nOn that day you work at the office.", v.Kind, v.N, v.By, spanFlex(v), v.DeclineReason)
	},
	Lapsed: func(v FlexView) string {
		return fmt.Sprintf("⌛ %s request No. %d (%s) lapsed: it was not decided when the day started. Today you work at the office.", v.Kind, v.N, spanFlex(v))
	},
	LapsedNotice: func(v FlexView) string {
		return fmt.Sprintf("⌛ %s request No. %d (%s, %s) lapsed, undecided when the day started; %s works at the office.", v.Kind, v.N, v.Name, spanFlex(v), v.Name)
	},
	List: func(mine, waiting []FlexView) string {
		if len(mine) == 0 && len(waiting) == 0 {
			return "No flexible-work requests are open."
		}
		var b strings.Builder
		if len(waiting) > 0 {
			b.WriteString("Waiting for your decision:")
			for _, v := range waiting {
				fmt.Fprintf(&b, "\n• No. %d %s — %s, %s (before %s)", v.N, v.Name, v.Kind, spanFlex(v), v.Deadline)
			}
		}
		if len(mine) > 0 {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString("Your requests:")
			for _, v := range mine {
				fmt.Fprintf(&b, "\n• No. %d %s, %s — %s", v.N, v.Kind, spanFlex(v), v.State)
			}
		}
		return b.String()
	},
	OnFlexDay: func(v FlexView) string {
		return fmt.Sprintf("\n🏠 Flexible-work day (%s No. %d, approved).", v.Kind, v.N)
	},
	OnTimeNote: func(w string) string {
		return fmt.Sprintf("\n⏰ On time: inside the flexible start window %s.", w)
	},
	NoCheckIn: "You have not checked in today, so your hours cannot be counted. Send /hadir first.",
	DayEnded: func(v HoursView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "🏁 Day end recorded at %s. Today: %s (%s–%s).", v.End, hoursEN(v.Day), v.Start, v.End)
		if v.CoreEnd != "" {
			fmt.Fprintf(&b, "\n⚠️ Before the end of core hours (%s).", v.CoreEnd)
		}
		b.WriteString("\n" + weekLineEN(v))
		return b.String()
	},
	Hours: func(v HoursView) string { return "⏱️ " + weekLineEN(v) },
	TeamHours: func(week string, rows []HoursView) string {
		var b strings.Builder
		fmt.Fprintf(&b, "⏱️ Working hours, week of %s:", week)
		for _, r := range rows {
			fmt.Fprintf(&b, "\n• %s: %s of %s", r.Name, hoursEN(r.Week), hoursEN(r.Target))
		}
		return b.String()
	},
	WeekReport: func(v HoursView) string {
		return fmt.Sprintf("⏱️ %s's working hours, week of %s: %s of %s%s.", v.Name, v.Week0, hoursEN(v.Week), hoursEN(v.Target), shortEN(v))
	},
	ProgressEmpty: "Write the progress: /progres ACTIVITY; OUTPUT, e.g. /progres drafting the March SPJ; 1 SPJ document.",
	ProgressAdded: func(n int, at string, output bool) string {
		s := fmt.Sprintf("✅ Daily progress entry %d recorded at %s.", n, at)
		if !output {
			s += " Next time add a measurable output after a semicolon, e.g. \"; 1 document\"."
		}
		return s
	},
	LocationOff:     "Location checks are not used in your office; this location was not stored.",
	LocationNoPlace: "📍 Location received, but your staff data has no registered home to compare it with. Only the verdict (no coordinates) was recorded.",
	LocationChecked: func(v LocationView) string {
		place := "the office"
		if v.Against == "domisili" {
			place = "your registered home"
		}
		verdict := "inside"
		if !v.Inside {
			verdict = "outside"
		}
		return fmt.Sprintf("📍 Location received: %d m from %s, %s the %d m radius. Only the distance and the verdict are recorded.", v.Distance, place, verdict, v.Radius)
	},
	NoRoster:      "Your office works in flexible-work mode (PermenPANRB 4/2025): there is no duty roster. Everyone works at the office except on approved WFA/WFH days; request one with /wfa, see yours with /pengajuan.",
	RosterHeading: func(office, date string) string { return fmt.Sprintf("🏠 Flexible work %s\n%s", office, date) },
	RosterNone:    "Everyone works at the office.",
	RosterAwayFormat: func(n, total int) string {
		return fmt.Sprintf("Approved WFA/WFH: %d of %d staff", n, total)
	},
}
