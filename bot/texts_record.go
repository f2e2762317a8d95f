package bot

import (
	"fmt"
	"strings"

	"github.com/piket-id/piket/holiday"
)

// RecordTexts are notes on when a record was made and what day it is.
type RecordTexts struct {
	// Delayed tells that a message was sent at time (formatted) on date
	// ("" when it was received the same day) and received late: it is
	// recorded at its sent time and flagged.
	Delayed func(date, time string) string
	// DayOff tells that day (see DayName) is not a working day: the
	// record is kept but never late.
	DayOff func(day string) string
	// Weekend names a weekday off ("hari Minggu").
	Weekend func(weekday string) string
	// Holiday names a day off by its kind and name ("hari libur Hari Suci Nyepi").
	Holiday func(kind holiday.Kind, name string) string
	// NotLive answers a recap of a day before the office's go-live.
	NotLive func(office, since string) string
}

var recordID = RecordTexts{
	Delayed: func(date, time string) string {
		sent := "pukul " + time
		if date != "" {
			sent = date + " " + sent
		}
		return fmt.Sprintf("⏳ Pesan ini dikirim %s tetapi baru diterima sekarang (terlambat diterima). Dicatat menurut waktu kirimnya dan ditandai untuk diperiksa atasan.", sent)
	},
	DayOff: func(day string) string {
		return fmt.Sprintf("📅 Bukan hari kerja (%s): kehadiran tetap dicatat, tanpa keterlambatan.", day)
	},
	Weekend: func(weekday string) string { return "hari " + weekday },
	Holiday: func(kind holiday.Kind, name string) string {
		if kind == holiday.CutiBersama {
			if strings.HasPrefix(strings.ToLower(name), "cuti bersama") {
				return name // "Cuti Bersama Hari Raya Natal"
			}
			return "cuti bersama " + name
		}
		return "hari libur " + name // national, or the office's own
	},
	NotLive: func(office, since string) string {
		return fmt.Sprintf("OPD %s mulai memakai Piket pada %s. Tidak ada rekap untuk hari sebelumnya.", office, since)
	},
}

var recordEN = RecordTexts{
	Delayed: func(date, time string) string {
		sent := "at " + time
		if date != "" {
			sent = "on " + date + " " + sent
		}
		return fmt.Sprintf("⏳ This message was sent %s but received only now (received late). It is recorded at the time it was sent and flagged for review.", sent)
	},
	DayOff: func(day string) string {
		return fmt.Sprintf("📅 Not a working day (%s): your attendance is recorded and never late.", day)
	},
	Weekend: func(weekday string) string { return "a " + weekday },
	Holiday: func(kind holiday.Kind, name string) string {
		if kind == holiday.CutiBersama {
			return "a collective leave day, " + name
		}
		return "a holiday, " + name
	},
	NotLive: func(office, since string) string {
		return fmt.Sprintf("Office %s started using Piket on %s. There is no recap for earlier days.", office, since)
	},
}
