package bot

import (
	"fmt"
	"strings"
)

// RecapTexts are the reminder, digest and recap messages.
type RecapTexts struct {
	RemindCheckIn func(name, date, deadline string) string
	RemindReport  func(name, date string) string
	// Digest lists a supervisor's subordinates who have not checked in.
	Digest    func(date, at string, missing []string) string
	Recap     func(v RecapView) string
	Usage     string
	DateWords map[string]int // "kemarin": -1 …
}

// RecapView is a day's recap for one audience.
type RecapView struct {
	Office string // office code
	Date   string // formatted day
	At     string // formatted time of the recap, "" for another day
	Scope  string // "" for the whole office; the supervisor's name otherwise
	// OutKnown is true when leave-home reports exist and the day is today.
	OutKnown bool
	All      RecapCounts
	// Groups is the recap per division (admins); empty for a supervisor.
	Groups []RecapCounts
	// CountsOnly leaves every name out (a recap shown in a group chat:
	// who is sick is personal data).
	CountsOnly bool
}

// RecapCounts holds the names in each category; counts are their lengths.
type RecapCounts struct {
	Name                      string // division ("" for none)
	Total                     int
	WFH, Office, Duty, Travel []string
	Late                      []string
	Sick, Leave, Permit       []string
	Missing                   []string // not checked in
	Out                       []string // out of the house now
	NoReport                  []string // present without a work report
	// Unapproved are the present who stated working away without an
	// approved request (mode fleksibel): listed only in private recaps.
	Unapproved []string
}

// Present is the number checked in as present.
func (c RecapCounts) Present() int { return len(c.WFH) + len(c.Office) + len(c.Duty) + len(c.Travel) }

type recapWords struct {
	title, whole, under, noDivision, staff, present, late, sick, leave, permit, missing, out, noReport string
	wfh, office, duty, travel, asOf, unapproved                                                        string
}

func writeRecap(w recapWords, v RecapView) string {
	var b strings.Builder
	if v.Scope == "" {
		fmt.Fprintf(&b, "📊 %s %s (%s) — %s", w.title, v.Office, w.whole, v.Date)
	} else {
		fmt.Fprintf(&b, "📊 %s: %s %s — %s", w.title, w.under, v.Scope, v.Date)
	}
	if v.At != "" {
		fmt.Fprintf(&b, ", %s %s", w.asOf, v.At)
	}
	// With divisions, the total gives counts only and each division the
	// names of its non-empty lines, so no name is listed twice.
	divisions := len(v.Groups) > 0
	writeCounts(&b, w, v.All, v.OutKnown, !divisions && !v.CountsOnly, false, !v.CountsOnly)
	for _, g := range v.Groups {
		name := g.Name
		if name == "" {
			name = w.noDivision
		}
		fmt.Fprintf(&b, "\n\n▸ %s", name)
		writeCounts(&b, w, g, v.OutKnown, !v.CountsOnly, true, !v.CountsOnly)
	}
	return b.String()
}

// writeCounts writes a group's lines, with the names on each (names) or
// counts only, and leaving out the empty ones (skipEmpty). Days away
// without approval are written only in a private recap (private).
func writeCounts(b *strings.Builder, w recapWords, c RecapCounts, outKnown, names, skipEmpty, private bool) {
	fmt.Fprintf(b, "\n%s: %d", w.staff, c.Total)
	fmt.Fprintf(b, "\n✅ %s: %d", w.present, c.Present())
	for _, p := range []struct {
		label string
		names []string
	}{{w.wfh, c.WFH}, {w.office, c.Office}, {w.duty, c.Duty}, {w.travel, c.Travel}} {
		switch {
		case len(p.names) > 0 && names:
			fmt.Fprintf(b, "\n   • %s %d: %s", p.label, len(p.names), strings.Join(p.names, ", "))
		case len(p.names) > 0:
			fmt.Fprintf(b, "\n   • %s %d", p.label, len(p.names))
		}
	}
	line := func(icon, label string, who []string) {
		if len(who) == 0 && skipEmpty {
			return
		}
		fmt.Fprintf(b, "\n%s %s: %d", icon, label, len(who))
		if len(who) > 0 && names {
			fmt.Fprintf(b, " — %s", strings.Join(who, ", "))
		}
	}
	if private && len(c.Unapproved) > 0 {
		line("⚠️", w.unapproved, c.Unapproved)
	}
	line("⏰", w.late, c.Late)
	line("🤒", w.sick, c.Sick)
	line("🌴", w.leave, c.Leave)
	line("📄", w.permit, c.Permit)
	line("❌", w.missing, c.Missing)
	if outKnown {
		line("🚶", w.out, c.Out)
	}
	line("📝", w.noReport, c.NoReport)
}

var recapID = RecapTexts{
	RemindCheckIn: func(name, date, deadline string) string {
		return fmt.Sprintf("⏰ Selamat pagi, %s. Anda belum absen hari ini (%s). Kirim /hadir sebelum %s, atau /sakit, /izin, /cuti bila tidak bekerja.", name, date, deadline)
	},
	RemindReport: func(name, date string) string {
		return fmt.Sprintf("📝 %s, laporan kerja hari ini (%s) belum ada. Kirim /laporan … sebelum jam kerja berakhir.", name, date)
	},
	Digest: func(date, at string, missing []string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "📋 Bawahan Anda yang belum absen (%s, pukul %s): %d orang", date, at, len(missing))
		for _, n := range missing {
			fmt.Fprintf(&b, "\n• %s", n)
		}
		return b.String()
	},
	Recap: func(v RecapView) string {
		return writeRecap(recapWords{
			title: "Rekap kehadiran", whole: "seluruh OPD", under: "bawahan", noDivision: "Tanpa bidang", staff: "Jumlah pegawai",
			present: "Hadir", late: "Terlambat", sick: "Sakit", leave: "Cuti", permit: "Izin", missing: "Belum absen",
			out: "Sedang keluar rumah", noReport: "Belum lapor kerja",
			wfh: "WFH", office: "kantor", duty: "piket", travel: "dinas luar", asOf: "per pukul",
			unapproved: "WFH/WFA tanpa persetujuan",
		}, v)
	},
	Usage:     "Tulis tanggal setelah perintahnya bila perlu, misalnya: /rekap 2020-03-18 atau /rekap kemarin",
	DateWords: map[string]int{"hari ini": 0, "kemarin": -1, "today": 0, "yesterday": -1},
}

var recapEN = RecapTexts{
	RemindCheckIn: func(name, date, deadline string) string {
		return fmt.Sprintf("⏰ Good morning, %s. You have not checked in today (%s). Send /hadir before %s, or /sakit, /izin, /cuti if you are not working.", name, date, deadline)
	},
	RemindReport: func(name, date string) string {
		return fmt.Sprintf("📝 %s, there is no work report for today (%s) yet. Send /laporan … before the working day ends.", name, date)
	},
	Digest: func(date, at string, missing []string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "📋 Your staff who have not checked in (%s, %s): %d", date, at, len(missing))
		for _, n := range missing {
			fmt.Fprintf(&b, "\n• %s", n)
		}
		return b.String()
	},
	Recap: func(v RecapView) string {
		return writeRecap(recapWords{
			title: "Attendance recap", whole: "whole office", under: "staff of", noDivision: "No division", staff: "Staff",
			present: "Present", late: "Late", sick: "Sick", leave: "On leave", permit: "Permitted absence", missing: "Not checked in",
			out: "Out of the house now", noReport: "No work report",
			wfh: "WFH", office: "office", duty: "duty", travel: "travel", asOf: "as of",
			unapproved: "WFH/WFA without approval",
		}, v)
	},
	Usage:     "Write a date after the command if needed, for example: /rekap 2020-03-18 or /rekap kemarin",
	DateWords: map[string]int{"hari ini": 0, "kemarin": -1, "today": 0, "yesterday": -1},
}
