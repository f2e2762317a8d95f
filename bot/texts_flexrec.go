package bot

import (
	"fmt"
	"strings"
)

// FlexRecordTexts are the messages of flexible-work records that tell the
// truth (flex_record.go): a check-in away from the office without an
// approved request, recorded as stated and flagged "tanpa persetujuan",
// and a requester cancelling their own request (/batal wfa N).
type FlexRecordTexts struct {
	// Label names a day worked away without approval: "WFH tanpa persetujuan".
	Label func(kind string) string
	// Unapproved is the check-in confirmation's note.
	Unapproved func(v UnapprovedView) string
	// StatusNote is added to /status on such a day.
	StatusNote func(kind string) string
	// Digest lists, in the supervisor's private digest, the direct
	// subordinates who checked in away without approval.
	Digest func(date string, people []string) string
	// Cancelling a request.
	CancelUsage     string
	CancelNone      string
	CancelWhich     func(vs []FlexView) string
	CancelNotYours  func(n int64) string
	CancelNotOpen   func(v FlexView) string // declined, lapsed or already cancelled
	CancelStarted   func(v FlexView) string // its first day has begun
	Cancelled       func(v FlexView, wasApproved bool) string
	CancelledNotice func(v FlexView) string // to the supervisor, when it was approved
}

// UnapprovedView describes a check-in away without an approved request.
type UnapprovedView struct {
	Kind       string // WFH or WFA, as stated
	N          int64  // the request holding the day, 0: none
	State      string // its state (store.Flex*), "" for none
	Supervisor string // who sees it, "" when the person has none
}

func kindLabel(kind string) string { return strings.ToUpper(kind) }

var flexRecordID = FlexRecordTexts{
	Label: func(kind string) string { return kindLabel(kind) + " tanpa persetujuan" },
	Unapproved: func(v UnapprovedView) string {
		var b strings.Builder
		b.WriteString("\n⚠️ Belum ada pengajuan WFA/WFH yang disetujui untuk hari ini.")
		switch v.State {
		case "pending":
			fmt.Fprintf(&b, " Pengajuan No. %d masih menunggu keputusan.", v.N)
		case "declined":
			fmt.Fprintf(&b, " Pengajuan No. %d untuk hari ini ditolak.", v.N)
		case "lapsed":
			fmt.Fprintf(&b, " Pengajuan No. %d gugur karena belum diputuskan sebelum harinya.", v.N)
		}
		fmt.Fprintf(&b, "\nKehadiran Anda tetap dicatat sesuai yang Anda tulis (%s), dengan tanda \"tanpa persetujuan\". "+
			"Menurut aturan kerja fleksibel (PermenPANRB 4/2025), hari ini adalah hari kerja di kantor.", kindLabel(v.Kind))
		if v.Supervisor != "" {
			fmt.Fprintf(&b, " Atasan Anda (%s) akan melihat catatan ini.", v.Supervisor)
		} else {
			b.WriteString(" Admin OPD akan melihat catatan ini.")
		}
		b.WriteString(" Bila Anda sebenarnya di kantor, kirim /hadir kantor.")
		return b.String()
	},
	StatusNote: func(kind string) string {
		return fmt.Sprintf("\n⚠️ %s tanpa persetujuan: tidak ada pengajuan WFA/WFH yang disetujui untuk hari ini; atasan Anda melihat catatan ini.", kindLabel(kind))
	},
	Digest: func(date string, people []string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "⚠️ Bawahan Anda yang absen dari luar kantor tanpa pengajuan yang disetujui (%s): %d orang", date, len(people))
		for _, p := range people {
			fmt.Fprintf(&b, "\n• %s", p)
		}
		return b.String()
	},
	CancelUsage: "Tulis nomor pengajuannya: /batal wfa N (nomornya ada di pesan pengajuan, atau kirim /pengajuan). /batal N tanpa \"wfa\" membatalkan absen bertanggal (cuti, izin, sakit, dinas luar).",
	CancelNone:  "Anda tidak punya pengajuan WFA/WFH yang dapat dibatalkan (menunggu keputusan atau disetujui, dan harinya belum dimulai).",
	CancelWhich: func(vs []FlexView) string {
		var b strings.Builder
		b.WriteString("Pengajuan mana yang dibatalkan? Kirim /batal wfa dengan nomornya:")
		for _, v := range vs {
			fmt.Fprintf(&b, "\n• /batal wfa %d — %s, %s (%s)", v.N, v.Kind, spanFlex(v), v.State)
		}
		return b.String()
	},
	CancelNotYours: func(n int64) string {
		return fmt.Sprintf("Maaf, pengajuan No. %d bukan pengajuan Anda; hanya pengaju yang dapat membatalkannya. Tidak ada yang diubah.", n)
	},
	CancelNotOpen: func(v FlexView) string {
		return fmt.Sprintf("Pengajuan No. %d sudah %s, jadi tidak dapat dibatalkan. Tidak ada yang diubah.", v.N, v.State)
	},
	CancelStarted: func(v FlexView) string {
		return fmt.Sprintf("Pengajuan No. %d tidak dapat dibatalkan lagi: harinya (%s) sudah dimulai. Tidak ada yang diubah.", v.N, v.From)
	},
	Cancelled: func(v FlexView, approved bool) string {
		s := fmt.Sprintf("🗑️ Pengajuan %s No. %d (%s) dibatalkan. Pada hari itu Anda bekerja di kantor; kuota dan batas mingguannya dapat dipakai lagi.", v.Kind, v.N, spanFlex(v))
		if approved {
			s += " Atasan yang menyetujuinya sudah diberi tahu."
		}
		return s
	},
	CancelledNotice: func(v FlexView) string {
		return fmt.Sprintf("🗑️ %s membatalkan pengajuan %s No. %d (%s) yang sudah disetujui. Pada hari itu %s bekerja di kantor.", v.Name, v.Kind, v.N, spanFlex(v), v.Name)
	},
}

var flexRecordEN = FlexRecordTexts{
	Label: func(kind string) string { return kindLabel(kind) + " without approval" },
	Unapproved: func(v UnapprovedView) string {
		var b strings.Builder
		b.WriteString("\n⚠️ There is no approved WFA/WFH request for today.")
		switch v.State {
		case "pending":
			fmt.Fprintf(&b, " Request No. %d is still waiting for a decision.", v.N)
		case "declined":
			fmt.Fprintf(&b, " Request No. %d for today was declined.", v.N)
		case "lapsed":
			fmt.Fprintf(&b, " Request No. %d lapsed: it was not decided before the day.", v.N)
		}
		fmt.Fprintf(&b, "\nYour attendance is recorded as you wrote it (%s), marked \"without approval\". "+
			"Under the flexible-work rules (PermenPANRB 4/2025) today is a working day at the office.", kindLabel(v.Kind))
		if v.Supervisor != "" {
			fmt.Fprintf(&b, " Your supervisor (%s) will see this record.", v.Supervisor)
		} else {
			b.WriteString(" The office admins will see this record.")
		}
		b.WriteString(" If you are in fact at the office, send /hadir kantor.")
		return b.String()
	},
	StatusNote: func(kind string) string {
		return fmt.Sprintf("\n⚠️ %s without approval: there is no approved WFA/WFH request for today; your supervisor sees this record.", kindLabel(kind))
	},
	Digest: func(date string, people []string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "⚠️ Your staff who checked in away from the office without an approved request (%s): %d", date, len(people))
		for _, p := range people {
			fmt.Fprintf(&b, "\n• %s", p)
		}
		return b.String()
	},
	CancelUsage: "Write the request's number: /batal wfa N (it is in the request's message, or send /pengajuan). /batal N without \"wfa\" cancels an absence with dates (leave, permit, sick, official travel).",
	CancelNone:  "You have no WFA/WFH request that can be cancelled (waiting for a decision or approved, and its day not begun).",
	CancelWhich: func(vs []FlexView) string {
		var b strings.Builder
		b.WriteString("Which request should be cancelled? Send /batal wfa with its number:")
		for _, v := range vs {
			fmt.Fprintf(&b, "\n• /batal wfa %d — %s, %s (%s)", v.N, v.Kind, spanFlex(v), v.State)
		}
		return b.String()
	},
	CancelNotYours: func(n int64) string {
		return fmt.Sprintf("Sorry, request No. %d is not yours; only the person who filed it may cancel it. Nothing was changed.", n)
	},
	CancelNotOpen: func(v FlexView) string {
		return fmt.Sprintf("Request No. %d is already %s, so it cannot be cancelled. Nothing was changed.", v.N, v.State)
	},
	CancelStarted: func(v FlexView) string {
		return fmt.Sprintf("Request No. %d can no longer be cancelled: its day (%s) has begun. Nothing was changed.", v.N, v.From)
	},
	Cancelled: func(v FlexView, approved bool) string {
		s := fmt.Sprintf("🗑️ %s request No. %d (%s) cancelled. On that day you work at the office; its quota and weekly cap are free again.", v.Kind, v.N, spanFlex(v))
		if approved {
			s += " The supervisor who approved it has been told."
		}
		return s
	},
	CancelledNotice: func(v FlexView) string {
		return fmt.Sprintf("🗑️ %s cancelled the approved %s request No. %d (%s). On that day %s works at the office.", v.Name, v.Kind, v.N, spanFlex(v), v.Name)
	},
}
