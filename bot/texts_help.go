package bot

import (
	"strings"

	"github.com/piket-id/piket/store"
)

// GuideTexts are the role-aware /bantuan and the questions Piket asks
// about an unclear check-in.
type GuideTexts struct {
	// Title starts the command list; Groups are its sections, in order.
	Title  string
	Groups [helpGroups]HelpGroup
	Footer string
	// Ask is the question for an unclear message (an Ask* code).
	Ask func(question string) string
}

// The sections of /bantuan, and who sees them.
const (
	HelpDaily      = iota // harian: everyone
	HelpOut               // keluar rumah: everyone
	HelpRoster            // piket: everyone
	HelpSupervisor        // atasan: someone's supervisor, or an office admin
	HelpAdmin             // admin: office admins
	helpGroups
)

// HelpGroup is one section of /bantuan: a title and one line per command,
// each with an example.
type HelpGroup struct {
	Title string
	Lines []string
}

// For returns the command list for a person: supervisor when someone
// reports to them, admin when they administer their office.
func (g GuideTexts) For(supervisor, admin bool) string {
	var b strings.Builder
	b.WriteString(g.Title)
	for i, grp := range g.Groups {
		if i == HelpSupervisor && !supervisor && !admin || i == HelpAdmin && !admin {
			continue
		}
		b.WriteString("\n\n")
		b.WriteString(grp.Title)
		for _, l := range grp.Lines {
			b.WriteString("\n")
			b.WriteString(l)
		}
	}
	b.WriteString("\n\n")
	b.WriteString(g.Footer)
	return b.String()
}

var guideID = GuideTexts{
	Title: "Perintah Piket yang dapat Anda gunakan:",
	Groups: [helpGroups]HelpGroup{
		HelpDaily: {Title: "📝 Harian", Lines: []string{
			"/hadir [wfh|kantor|piket|dinas], [kesehatan], [rencana] — absen, mis. hadir wfh, sehat, menyusun SPJ",
			"/sakit [keterangan] — sakit hari ini, mis. /sakit demam",
			"/izin [alasan] — izin hari ini, mis. /izin mengurus KTP anak",
			"/cuti [keterangan] — cuti, mis. /cuti tahunan",
			"/cuti|/izin|/sakit|/dinas luar TANGGAL [alasan] — tidak masuk pada hari lain, mis. /cuti 20-24 Maret, /izin besok acara keluarga",
			"/batal [N] — batalkan ketidakhadiran N yang akan datang, mis. /batal 3",
			"/laporan TEKS — laporan hasil kerja, mis. /laporan menyusun draf SPJ Maret",
			"/status — status saya hari ini",
		}},
		HelpOut: {Title: "🏠 Keluar rumah", Lines: []string{
			"/keluar ALASAN [2 jam | sampai 14.00] — lapor keluar rumah (keperluan mendesak), mis. /keluar ke apotek, 30 menit",
			"/kembali — sudah kembali di rumah",
		}},
		HelpRoster: {Title: "📋 Piket", Lines: []string{
			"/piket — jadwal piket saya",
			"/piket hari ini · /piket besok — daftar petugas piket, mis. /piket besok",
			"/tukar TANGGAL NIP — minta rekan menggantikan piket saya, mis. /tukar 26/3 199203142015032001",
			"/setuju N · /tolak N — jawab permintaan tukar piket, mis. /setuju 3",
		}},
		HelpSupervisor: {Title: "👥 Atasan", Lines: []string{
			"/ok N — terima laporan keluar rumah, mis. /ok 12",
			"/keluar_aktif — bawahan yang sedang keluar rumah",
			"/rekap [TANGGAL] — rekap kehadiran bawahan, mis. /rekap kemarin",
			"/dasbor — tautan masuk dasbor web (di chat pribadi)",
		}},
		HelpAdmin: {Title: "⚙️ Admin kantor", Lines: []string{
			"/grup KODE — hubungkan grup ini ke kantor (kirim di grup), mis. /grup DISKOMINFO",
			"/setuju N — setujui tukar piket siapa pun di kantor, juga yang melanggar aturan piket, mis. /setuju 3",
			"/rekap [TANGGAL] — rekap seluruh kantor per bidang, mis. /rekap 18-03-2020",
		}},
	},
	Footer: "Boleh menulis biasa, mis. \"Selamat pagi pak, hadir WFH, sehat\". /bantuan — daftar ini",
	Ask: func(q string) string {
		switch q {
		case AskSickOrWork:
			return "Maaf, apakah hari ini Anda sakit (tidak bekerja) atau tetap bekerja? Kirim /sakit KETERANGAN, atau hadir wfh, KONDISI (mis. hadir wfh, agak pilek). Belum ada yang dicatat."
		case AskNotPresent:
			return "Maaf, Anda tidak masuk hari ini karena apa? Kirim /izin ALASAN, /sakit KETERANGAN atau /cuti. Belum ada yang dicatat."
		case AskHealthOnly:
			return "Terima kasih. Apakah ini absen Anda hari ini? Kirim mis. hadir wfh, sehat, RENCANA KERJA. Belum ada yang dicatat."
		case AskPermitLate:
			return "Maaf, apakah Anda tetap hadir hari ini (terlambat) atau tidak masuk? Kirim hadir … bila hadir, atau /izin ALASAN bila tidak masuk. Belum ada yang dicatat."
		}
		return "Maaf, saya belum yakin maksud Anda. Untuk absen kirim mis. hadir wfh, sehat, RENCANA; bila tidak masuk: /izin ALASAN, /sakit atau /cuti. Belum ada yang dicatat."
	},
}

var guideEN = GuideTexts{
	Title: "Piket commands you may use:",
	Groups: [helpGroups]HelpGroup{
		HelpDaily: {Title: "📝 Daily", Lines: []string{
			"/hadir [wfh|kantor|piket|dinas], [health], [plan] — check in, e.g. hadir wfh, sehat, drafting the SPJ",
			"/sakit [note] — sick today, e.g. /sakit fever",
			"/izin [reason] — permitted absence today, e.g. /izin renewing my child's ID card",
			"/cuti [note] — leave, e.g. /cuti annual",
			"/cuti|/izin|/sakit|/dinas luar DATES [reason] — absent on other days, e.g. /cuti 20-24 Maret, /izin besok family event",
			"/batal [N] — cancel upcoming absence N, e.g. /batal 3",
			"/laporan TEXT — work report, e.g. /laporan drafted the March SPJ",
			"/status — my status today",
		}},
		HelpOut: {Title: "🏠 Leaving home", Lines: []string{
			"/keluar REASON [2 jam | sampai 14.00] — report leaving home (urgent matters), e.g. /keluar to the pharmacy, 30 menit",
			"/kembali — back home",
		}},
		HelpRoster: {Title: "📋 Duty roster", Lines: []string{
			"/piket — my duty days",
			"/piket hari ini · /piket besok — the duty list, e.g. /piket besok",
			"/tukar DATE NIP — ask a colleague to take my duty, e.g. /tukar 26/3 199203142015032001",
			"/setuju N · /tolak N — answer a swap request, e.g. /setuju 3",
		}},
		HelpSupervisor: {Title: "👥 Supervisors", Lines: []string{
			"/ok N — acknowledge a leave-home report, e.g. /ok 12",
			"/keluar_aktif — my staff currently out of home",
			"/rekap [DATE] — attendance recap of my staff, e.g. /rekap kemarin",
			"/dasbor — a sign-in link to the web dashboard (in a private chat)",
		}},
		HelpAdmin: {Title: "⚙️ Office admins", Lines: []string{
			"/grup CODE — link this group to the office (send it in the group), e.g. /grup DISKOMINFO",
			"/setuju N — approve any swap in the office, also one that breaks a roster rule, e.g. /setuju 3",
			"/rekap [DATE] — recap of the whole office by division, e.g. /rekap 18-03-2020",
		}},
	},
	Footer: "Plain messages work too, e.g. \"Selamat pagi pak, hadir WFH, sehat\". /bantuan — this list",
	Ask: func(q string) string {
		switch q {
		case AskSickOrWork:
			return "Sorry, are you sick today (not working) or working anyway? Send /sakit NOTE, or hadir wfh, CONDITION (e.g. hadir wfh, a slight cold). Nothing was recorded yet."
		case AskNotPresent:
			return "Sorry, why are you not working today? Send /izin REASON, /sakit NOTE or /cuti. Nothing was recorded yet."
		case AskHealthOnly:
			return "Thank you. Is this your check-in for today? Send e.g. hadir wfh, sehat, PLAN. Nothing was recorded yet."
		case AskPermitLate:
			return "Sorry, are you working today (late) or absent? Send hadir … if present, or /izin REASON if absent. Nothing was recorded yet."
		}
		return "Sorry, I am not sure what you mean. To check in send e.g. hadir wfh, sehat, PLAN; if you are not working: /izin REASON, /sakit or /cuti. Nothing was recorded yet."
	},
}

// help answers /bantuan with the commands the sender may use.
func (t *turn) help() error {
	subs, err := t.tx.Subordinates(t.ctx, t.who.ID)
	if err != nil {
		return errStore{err}
	}
	return t.reply(t.s.t.Guide.For(len(subs) > 0, t.who.HasRole(store.RoleAdmin)))
}
