package bot

import (
	"fmt"

	"github.com/piket-id/piket/holiday"
)

// RecordTexts are notes on when a record was made and what day it is.
type RecordTexts struct {
	// Delayed tells that a message was sent at sent (a formatted time,
	// with its date when not today) and received late: it is recorded at
	// its sent time and flagged.
	Delayed func(sent string) string
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
	Delayed: func(sent string) string {
		return fmt.Sprintf("⏳ Pesan ini dikirim pukul %s tetapi baru diterima sekarang (terlambat diterima). Dicatat menurut waktu kirimnya dan ditandai untuk diperiksa atasan.", sent)
	},
	DayOff: func(day string) string {
		return fmt.Sprintf("📅 Hari ini %s, bukan hari kerja: kehadiran tetap dicatat, tanpa keterlambatan.", day)
	},
	Weekend: func(weekday string) string { return "hari " + weekday },
	Holiday: func(kind holiday.Kind, name string) string {
		switch kind {
		case holiday.CutiBersama:
			return "cuti bersama " + name
		case holiday.Local:
			return "hari libur kantor " + name
		}
		return "hari libur " + name
	},
	NotLive: func(office, since string) string {
		return fmt.Sprintf("OPD %s mulai memakai Piket pada %s. Tidak ada rekap untuk hari sebelumnya.", office, since)
	},
}

var recordEN = RecordTexts{
	Delayed: func(sent string) string {
		return fmt.Sprintf("⏳ This message was sent at %s but received only now (received late). It is recorded at the time it was sent and flagged for review.", sent)
	},
	DayOff: func(day string) string {
		return fmt.Sprintf("📅 Today is %s, not a working day: your attendance is recorded and never late.", day)
	},
	Weekend: func(weekday string) string { return weekday },
	Holiday: func(kind holiday.Kind, name string) string {
		switch kind {
		case holiday.CutiBersama:
			return "a collective leave day (cuti bersama " + name + ")"
		case holiday.Local:
			return "an office holiday (" + name + ")"
		}
		return "a public holiday (" + name + ")"
	},
	NotLive: func(office, since string) string {
		return fmt.Sprintf("Office %s started using Piket on %s. There is no recap for earlier days.", office, since)
	},
}
