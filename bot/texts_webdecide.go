package bot

import "fmt"

// WebDecideTexts are the dashboard's labels for decisions: the page of
// flexible-work requests and the pending duty swaps on the roster page.
type WebDecideTexts struct {
	FlexTitle, Pending, Recent, NoPending, NoRecent             string
	ColKind, ColDays, ColPlan, ColFiled, ColEscalation          string
	ColDeadline, ColDecided, ColDeclineReason                   string
	Approve, Decline, DeclineReason, NoEscalation               string
	NeedReason, SwapsPending, SwapsNone, ColRequestedBy, Breaks string
	SwapAgree, SwapRefuse, SwapConfirm, ConfirmLead             string
	Step                                                        func(step int, to, at string) string
	ReasonTooLong                                               func(max int) string
	Audit                                                       func(action string) string // the audit log's name of a decision
}

var webDecideID = WebDecideTexts{
	FlexTitle: "Pengajuan kerja fleksibel", Pending: "Menunggu keputusan Anda", Recent: "Diputuskan 30 hari terakhir",
	NoPending: "Tidak ada pengajuan yang menunggu keputusan Anda.", NoRecent: "Belum ada pengajuan yang diputuskan.",
	ColKind: "Jenis", ColDays: "Hari", ColPlan: "Rencana kerja", ColFiled: "Diajukan", ColEscalation: "Diteruskan",
	ColDeadline: "Putuskan sebelum", ColDecided: "Keputusan", ColDeclineReason: "Alasan penolakan",
	Approve: "Setujui", Decline: "Tolak", DeclineReason: "Alasan penolakan (wajib untuk menolak)", NoEscalation: "belum ada",
	NeedReason:   "Tulis alasan penolakan dulu: pegawai akan menerimanya.",
	SwapsPending: "Permintaan tukar piket menunggu keputusan", SwapsNone: "Tidak ada permintaan tukar piket yang menunggu keputusan Anda.",
	ColRequestedBy: "Diminta oleh", Breaks: "Melanggar aturan",
	SwapAgree: "Setujui", SwapRefuse: "Tolak", SwapConfirm: "Ya, setujui walau melanggar aturan",
	ConfirmLead: "Tukar piket ini melanggar aturan jadwal. Setujui hanya jika memang perlu:",
	Step: func(step int, to, at string) string {
		if step == 0 {
			return fmt.Sprintf("%s (%s)", to, at)
		}
		return fmt.Sprintf("eskalasi %d: %s (%s)", step, to, at)
	},
	ReasonTooLong: func(max int) string {
		return fmt.Sprintf("Alasan penolakan terlalu panjang: paling banyak %d karakter.", max)
	},
	Audit: func(action string) string {
		switch action {
		case "flex_approve":
			return "setujui kerja fleksibel"
		case "flex_decline":
			return "tolak kerja fleksibel"
		case "swap_agree":
			return "setujui tukar piket"
		}
		return "tolak tukar piket"
	},
}

var webDecideEN = WebDecideTexts{
	FlexTitle: "Flexible-work requests", Pending: "Waiting for your decision", Recent: "Decided in the last 30 days",
	NoPending: "No request is waiting for your decision.", NoRecent: "No request decided yet.",
	ColKind: "Kind", ColDays: "Days", ColPlan: "Work plan", ColFiled: "Filed", ColEscalation: "Sent to",
	ColDeadline: "Decide before", ColDecided: "Decision", ColDeclineReason: "Reason for declining",
	Approve: "Approve", Decline: "Decline", DeclineReason: "Reason for declining (required to decline)", NoEscalation: "none yet",
	NeedReason:   "Write the reason for declining first: the person will receive it.",
	SwapsPending: "Duty-swap requests waiting for a decision", SwapsNone: "No duty-swap request is waiting for your decision.",
	ColRequestedBy: "Asked by", Breaks: "Breaks the rules",
	SwapAgree: "Approve", SwapRefuse: "Refuse", SwapConfirm: "Yes, approve although it breaks the rules",
	ConfirmLead: "This swap breaks the roster rules. Approve only if it is really needed:",
	Step: func(step int, to, at string) string {
		if step == 0 {
			return fmt.Sprintf("%s (%s)", to, at)
		}
		return fmt.Sprintf("escalation %d: %s (%s)", step, to, at)
	},
	ReasonTooLong: func(max int) string {
		return fmt.Sprintf("The reason for declining is too long: at most %d characters.", max)
	},
	Audit: func(action string) string {
		switch action {
		case "flex_approve":
			return "flexible work approved"
		case "flex_decline":
			return "flexible work declined"
		case "swap_agree":
			return "duty swap approved"
		}
		return "duty swap refused"
	},
}
