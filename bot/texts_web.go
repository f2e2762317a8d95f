package bot

import "fmt"

// WebTexts are the /dasbor replies and every label of the web dashboard
// (package web).
type WebTexts struct {
	Link        func(url string, minutes int) string // the one-time sign-in link
	Disabled    string                               // web.enabled is false
	PrivateOnly string                               // /dasbor in a group
	NotAllowed  string                               // staff without subordinates, not admin
	Page        WebPageTexts
}

// WebPageTexts are the dashboard's labels, headings and notices.
type WebPageTexts struct {
	Lang, Title, SkipLink, Nav, SignedInAs, SignOut                     string
	Today, People, Leave, Roster, Office, Export                        string
	SignInTitle, SignInLead, SignInButton                               string
	LinkExpired, LinkUsed, LinkUnknown, LinkNotAllowed, SignInAgain     string
	NeedSignIn, SignedOut, Forbidden, NotFound, BadForm, ServerError    string
	ScopeOffice, ScopeChain, AsOf, Refresh, Total                       string
	Present, WFH, AtOffice, OnDuty, Travel, Late, Sick, Permit, OnLeave string
	Missing, NoReport, Nobody, OutNow, OnDutyToday, NoRoster            string
	ColNo, ColName, ColNIP, ColDivision, ColLevel, ColSupervisor        string
	ColPhone, ColRole, ColActive, ColReason, ColSince, ColExpected      string
	ColBack, ColAck, ColTimeline, ColDate, ColStatus, ColTime           string
	ColPlace, ColHealth, ColWork, ColLeave, ColDelayed, ColActions      string
	Yes, No, NotYet, AckedBy, AlertedTo, EscalatedTo, AdminsLabel       string
	Returned, AckButton, OpenReports, RecentReports, NoReports          string
	Search, SearchButton, From, To, Show, Month, PrevMonth, NextMonth   string
	NoRecord, NotWorking, Calendar, Details, WeekdaysShort              string
	Published, Draft, Changed, Notes, Swaps, SwapTitle, SwapDay         string
	SwapOut, SwapIn, SwapForce, SwapButton, SwapPending, SwapDone       string
	SwapRefused, SwapPast, Fixed                                        string
	StaffList, AddPerson, EditPerson, SaveButton, AddButton             string
	Deactivate, Inactive, AdminRole, Saved, Added, DeactivatedNote      string
	ImportTitle, ImportFile, ImportDeactivate, ImportPreview            string
	ImportApply, ImportNothing, ImportErrors, ImportExpired, ImportDone string
	ImportOtherOffice, AuditTitle, AuditNone, ExportLead, Format        string
	Download, Choose                                                    string
	BadRange, SwapConflict, NotSaved, NotSelf, ImportNoFile             string
	NotOnDuty                                                           func(name, date string) string
	AlreadyRegistered                                                   func(nip string) string
	ImportSummary                                                       func(add, upd, keep, deact, offices int) string
	Change                                                              func(kind string) string
	Action                                                              func(action string) string
	Decide                                                              WebDecideTexts // texts_webdecide.go
}

var webID = WebTexts{
	Link: func(url string, minutes int) string {
		return fmt.Sprintf("🔐 Tautan masuk dasbor web Piket (berlaku %d menit, sekali pakai, hanya untuk Anda):\n%s\nJangan teruskan tautan ini kepada siapa pun.", minutes, url)
	},
	Disabled:    "Dasbor web belum diaktifkan di Piket ini (web.enabled). Hubungi admin.",
	PrivateOnly: "Tautan dasbor hanya dikirim di chat pribadi dengan bot. Kirim /dasbor di sana.",
	NotAllowed:  "Maaf, dasbor web hanya untuk atasan dan admin OPD.",
	Page: WebPageTexts{
		Lang: "id", Title: "Dasbor Piket", SkipLink: "Langsung ke isi", Nav: "Menu utama", SignedInAs: "Masuk sebagai", SignOut: "Keluar",
		Today: "Hari ini", People: "Pegawai", Leave: "Laporan keluar rumah", Roster: "Jadwal piket", Office: "Pegawai kantor", Export: "Ekspor",
		SignInTitle: "Masuk ke dasbor", SignInLead: "Tautan ini untuk", SignInButton: "Masuk",
		LinkExpired:    "Tautan masuk ini sudah kedaluwarsa (berlaku 10 menit).",
		LinkUsed:       "Tautan masuk ini sudah dipakai. Setiap tautan hanya bisa dipakai sekali.",
		LinkUnknown:    "Tautan masuk ini tidak dikenal.",
		LinkNotAllowed: "Dasbor web hanya untuk atasan dan admin OPD yang masih aktif.",
		SignInAgain:    "Kirim /dasbor ke bot Piket di chat pribadi untuk mendapat tautan baru.",
		NeedSignIn:     "Silakan masuk dulu: kirim /dasbor ke bot Piket di chat pribadi, lalu buka tautan yang dikirim.",
		SignedOut:      "Anda sudah keluar dari dasbor.",
		Forbidden:      "Maaf, Anda tidak berhak membuka halaman ini.",
		NotFound:       "Halaman atau data ini tidak ditemukan.",
		BadForm:        "Formulir ini sudah tidak berlaku (sesi berganti). Muat ulang halaman lalu coba lagi.",
		ServerError:    "Maaf, terjadi kesalahan di server. Coba lagi sebentar lagi.",
		ScopeOffice:    "Seluruh OPD", ScopeChain: "Bawahan", AsOf: "per pukul", Refresh: "Halaman ini diperbarui otomatis setiap menit.", Total: "Jumlah pegawai",
		Present: "Hadir", WFH: "WFH", AtOffice: "kantor", OnDuty: "piket", Travel: "dinas luar", Late: "Terlambat", Sick: "Sakit", Permit: "Izin", OnLeave: "Cuti",
		Missing: "Belum absen", NoReport: "Belum lapor kerja", Nobody: "tidak ada", OutNow: "Sedang keluar rumah", OnDutyToday: "Piket hari ini", NoRoster: "Belum ada jadwal piket untuk hari ini.",
		ColNo: "No.", ColName: "Nama", ColNIP: "NIP", ColDivision: "Bidang", ColLevel: "Jabatan", ColSupervisor: "NIP atasan",
		ColPhone: "Telepon", ColRole: "Peran", ColActive: "Aktif", ColReason: "Alasan", ColSince: "Sejak", ColExpected: "Perkiraan kembali",
		ColBack: "Kembali", ColAck: "Diterima", ColTimeline: "Riwayat", ColDate: "Tanggal", ColStatus: "Status", ColTime: "Jam",
		ColPlace: "Tempat", ColHealth: "Kesehatan", ColWork: "Laporan kerja", ColLeave: "Keluar rumah", ColDelayed: "Diterima terlambat", ColActions: "Tindakan",
		Yes: "ya", No: "tidak", NotYet: "belum", AckedBy: "Diterima oleh", AlertedTo: "Diteruskan kepada", EscalatedTo: "Eskalasi kepada", AdminsLabel: "admin OPD",
		Returned: "Kembali di rumah", AckButton: "Terima laporan", OpenReports: "Masih di luar", RecentReports: "7 hari terakhir", NoReports: "Tidak ada laporan.",
		Search: "Cari nama atau NIP", SearchButton: "Cari", From: "Dari", To: "Sampai", Show: "Tampilkan", Month: "Bulan", PrevMonth: "Bulan sebelumnya", NextMonth: "Bulan berikutnya",
		NoRecord: "tidak ada catatan", NotWorking: "bukan hari kerja", Calendar: "Kalender", Details: "Rincian per hari", WeekdaysShort: "Sen Sel Rab Kam Jum Sab Min",
		Published: "terbit", Draft: "draf", Changed: "diubah (tukar)", Notes: "Catatan", Swaps: "Tukar piket bulan ini", SwapTitle: "Tukar piket", SwapDay: "Tanggal",
		SwapOut: "Yang bertugas", SwapIn: "Penggantinya", SwapForce: "Tetap tukar walau melanggar aturan jadwal", SwapButton: "Tukar", SwapPending: "menunggu", SwapDone: "selesai",
		SwapRefused: "ditolak", SwapPast: "Hari yang sudah lewat tidak bisa ditukar.", Fixed: "tetap",
		StaffList: "Daftar pegawai", AddPerson: "Tambah pegawai", EditPerson: "Ubah data pegawai", SaveButton: "Simpan", AddButton: "Tambah",
		Deactivate: "Nonaktifkan", Inactive: "tidak aktif", AdminRole: "Admin OPD", Saved: "Tersimpan.", Added: "Pegawai ditambahkan.", DeactivatedNote: "Pegawai dinonaktifkan; riwayatnya tetap disimpan.",
		ImportTitle: "Impor berkas pegawai (CSV atau XLSX)", ImportFile: "Berkas", ImportDeactivate: "Nonaktifkan pegawai OPD ini yang tidak ada di berkas", ImportPreview: "Pratinjau",
		ImportApply: "Terapkan impor", ImportNothing: "Tidak ada yang diimpor: perbaiki baris berikut lalu unggah lagi.", ImportErrors: "Baris bermasalah", ImportExpired: "Pratinjau ini sudah tidak berlaku; unggah berkasnya lagi.", ImportDone: "Impor selesai.",
		ImportOtherOffice: "baris untuk OPD lain; Anda hanya mengelola OPD Anda", AuditTitle: "Riwayat perubahan", AuditNone: "Belum ada perubahan lewat dasbor.",
		ExportLead: "Unduh kehadiran satu bulan, sama seperti perintah piket export: satu baris per pegawai per hari kerja.", Format: "Format",
		Download: "Unduh", Choose: "— pilih —",
		BadRange:     "Tanggal atau bulan tidak sah (tulis YYYY-MM-DD atau YYYY-MM; paling lama 366 hari).",
		SwapConflict: "Jadwal hari itu baru saja berubah; periksa lagi lalu coba lagi.",
		NotSaved:     "Belum disimpan: perbaiki isian berikut.",
		NotSelf:      "Anda tidak dapat menonaktifkan diri sendiri.",
		ImportNoFile: "Pilih berkas pegawai .csv atau .xlsx untuk diunggah.",
		NotOnDuty: func(name, date string) string {
			return fmt.Sprintf("%s tidak terjadwal piket pada %s.", name, date)
		},
		AlreadyRegistered: func(nip string) string {
			return fmt.Sprintf("NIP %s sudah terdaftar. Untuk mengubah datanya, pilih Ubah di daftar pegawai.", nip)
		},
		ImportSummary: func(add, upd, keep, deact, offices int) string {
			return fmt.Sprintf("%d ditambah, %d diperbarui, %d tetap, %d dinonaktifkan, %d OPD baru.", add, upd, keep, deact, offices)
		},
		Change: func(kind string) string {
			switch kind {
			case "added":
				return "ditambah"
			case "updated":
				return "diperbarui"
			}
			return "dinonaktifkan"
		},
		Action: func(action string) string {
			switch action {
			case "swap":
				return "tukar piket"
			case "staff_add":
				return "tambah pegawai"
			case "staff_edit":
				return "ubah pegawai"
			case "staff_deactivate":
				return "nonaktifkan pegawai"
			case "import":
				return "impor pegawai"
			case "export":
				return "ekspor"
			case "flex_approve", "flex_decline", "swap_agree", "swap_refuse":
				return webDecideID.Audit(action)
			}
			return action
		},
		Decide: webDecideID,
	},
}

var webEN = WebTexts{
	Link: func(url string, minutes int) string {
		return fmt.Sprintf("🔐 Your sign-in link to the Piket web dashboard (valid %d minutes, once, for you only):\n%s\nDo not forward this link to anyone.", minutes, url)
	},
	Disabled:    "The web dashboard is not enabled on this Piket (web.enabled). Ask your admin.",
	PrivateOnly: "Dashboard links are only sent in a private chat with the bot. Send /dashboard there.",
	NotAllowed:  "Sorry, the web dashboard is for supervisors and office admins only.",
	Page: WebPageTexts{
		Lang: "en", Title: "Piket dashboard", SkipLink: "Skip to content", Nav: "Main menu", SignedInAs: "Signed in as", SignOut: "Sign out",
		Today: "Today", People: "Staff", Leave: "Leave-home reports", Roster: "Duty roster", Office: "Office staff", Export: "Export",
		SignInTitle: "Sign in to the dashboard", SignInLead: "This link is for", SignInButton: "Sign in",
		LinkExpired:    "This sign-in link has expired (links are valid for 10 minutes).",
		LinkUsed:       "This sign-in link was already used. Each link works once.",
		LinkUnknown:    "This sign-in link is not known.",
		LinkNotAllowed: "The web dashboard is for active supervisors and office admins only.",
		SignInAgain:    "Send /dashboard to the Piket bot in a private chat to get a new link.",
		NeedSignIn:     "Please sign in first: send /dashboard to the Piket bot in a private chat and open the link it sends.",
		SignedOut:      "You are signed out of the dashboard.",
		Forbidden:      "Sorry, you may not open this page.",
		NotFound:       "This page or record was not found.",
		BadForm:        "This form is no longer valid (the session changed). Reload the page and try again.",
		ServerError:    "Sorry, something went wrong on the server. Please try again shortly.",
		ScopeOffice:    "Whole office", ScopeChain: "Reporting to", AsOf: "as of", Refresh: "This page refreshes itself every minute.", Total: "Staff",
		Present: "Present", WFH: "WFH", AtOffice: "office", OnDuty: "on duty", Travel: "official travel", Late: "Late", Sick: "Sick", Permit: "Permitted absence", OnLeave: "Leave",
		Missing: "Not checked in", NoReport: "No work report yet", Nobody: "none", OutNow: "Out of home now", OnDutyToday: "On duty today", NoRoster: "No duty roster for today yet.",
		ColNo: "No.", ColName: "Name", ColNIP: "NIP", ColDivision: "Division", ColLevel: "Level", ColSupervisor: "Supervisor's NIP",
		ColPhone: "Phone", ColRole: "Role", ColActive: "Active", ColReason: "Reason", ColSince: "Since", ColExpected: "Expected back",
		ColBack: "Back", ColAck: "Acknowledged", ColTimeline: "Timeline", ColDate: "Date", ColStatus: "Status", ColTime: "Time",
		ColPlace: "Place", ColHealth: "Health", ColWork: "Work report", ColLeave: "Out of home", ColDelayed: "Received late", ColActions: "Actions",
		Yes: "yes", No: "no", NotYet: "not yet", AckedBy: "Acknowledged by", AlertedTo: "Alerted", EscalatedTo: "Escalated to", AdminsLabel: "office admins",
		Returned: "Back home", AckButton: "Acknowledge", OpenReports: "Still out", RecentReports: "Last 7 days", NoReports: "No reports.",
		Search: "Search name or NIP", SearchButton: "Search", From: "From", To: "To", Show: "Show", Month: "Month", PrevMonth: "Previous month", NextMonth: "Next month",
		NoRecord: "no record", NotWorking: "not a working day", Calendar: "Calendar", Details: "Day by day", WeekdaysShort: "Mon Tue Wed Thu Fri Sat Sun",
		Published: "published", Draft: "draft", Changed: "changed (swap)", Notes: "Notes", Swaps: "Swaps this month", SwapTitle: "Swap a duty day", SwapDay: "Date",
		SwapOut: "On duty", SwapIn: "Replaced by", SwapForce: "Swap even if it breaks a roster rule", SwapButton: "Swap", SwapPending: "pending", SwapDone: "done",
		SwapRefused: "refused", SwapPast: "A past day cannot be swapped.", Fixed: "fixed",
		StaffList: "Staff list", AddPerson: "Add a person", EditPerson: "Edit a person", SaveButton: "Save", AddButton: "Add",
		Deactivate: "Deactivate", Inactive: "inactive", AdminRole: "Office admin", Saved: "Saved.", Added: "Person added.", DeactivatedNote: "Person deactivated; their history is kept.",
		ImportTitle: "Import a staff file (CSV or XLSX)", ImportFile: "File", ImportDeactivate: "Deactivate this office's staff who are not in the file", ImportPreview: "Preview",
		ImportApply: "Apply the import", ImportNothing: "Nothing was imported: fix these rows and upload again.", ImportErrors: "Bad rows", ImportExpired: "This preview is no longer valid; upload the file again.", ImportDone: "Import done.",
		ImportOtherOffice: "row for another office; you manage your own office only", AuditTitle: "Change history", AuditNone: "No changes through the dashboard yet.",
		ExportLead: "Download a month of attendance, exactly as piket export writes it: one row per person per working day.", Format: "Format",
		Download: "Download", Choose: "— choose —",
		BadRange:     "That date or month is not valid (write YYYY-MM-DD or YYYY-MM; at most 366 days).",
		SwapConflict: "The roster of that day just changed; check it and try again.",
		NotSaved:     "Not saved: fix the following.",
		NotSelf:      "You cannot deactivate yourself.",
		ImportNoFile: "Choose a staff file (.csv or .xlsx) to upload.",
		NotOnDuty: func(name, date string) string {
			return fmt.Sprintf("%s is not on duty on %s.", name, date)
		},
		AlreadyRegistered: func(nip string) string {
			return fmt.Sprintf("NIP %s is already registered. To change it, choose Edit in the staff list.", nip)
		},
		ImportSummary: func(add, upd, keep, deact, offices int) string {
			return fmt.Sprintf("%d added, %d updated, %d unchanged, %d deactivated, %d new office(s).", add, upd, keep, deact, offices)
		},
		Change: func(kind string) string {
			switch kind {
			case "added":
				return "added"
			case "updated":
				return "updated"
			}
			return "deactivated"
		},
		Action: func(action string) string {
			switch action {
			case "swap":
				return "duty swap"
			case "staff_add":
				return "person added"
			case "staff_edit":
				return "person edited"
			case "staff_deactivate":
				return "person deactivated"
			case "import":
				return "staff import"
			case "export":
				return "export"
			case "flex_approve", "flex_decline", "swap_agree", "swap_refuse":
				return webDecideEN.Audit(action)
			}
			return action
		},
		Decide: webDecideEN,
	},
}
