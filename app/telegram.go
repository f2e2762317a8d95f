package app

import (
	"fmt"
	"log/slog"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/telegram"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/store"
)

// telegramMenu is the command menu Telegram shows (setMyCommands), in
// Indonesian and English. It is one menu for every chat (no per-role
// scope), so commands for supervisors and admins say so. Names follow bot/parse.go's keywords; Telegram
// allows only lowercase letters, digits and underscores.
var telegramMenu = map[string][]telegram.Command{
	"id": {
		{Name: "hadir", Description: "Absen hari ini: hadir wfh, sehat, rencana kerja"},
		{Name: "sakit", Description: "Tidak masuk karena sakit"},
		{Name: "izin", Description: "Tidak masuk karena izin"},
		{Name: "cuti", Description: "Sedang cuti"},
		{Name: "laporan", Description: "Laporan hasil kerja hari ini"},
		{Name: "status", Description: "Status saya hari ini"},
		{Name: "keluar", Description: "Lapor keluar rumah saat WFH: /keluar ALASAN, 2 jam"},
		{Name: "kembali", Description: "Sudah kembali di rumah"},
		{Name: "ok", Description: "(atasan) Terima laporan keluar rumah: /ok N"},
		{Name: "keluar_aktif", Description: "(atasan) Bawahan yang sedang keluar rumah"},
		{Name: "piket", Description: "Jadwal piket saya; /piket besok: petugas hari kerja berikutnya"},
		{Name: "tukar", Description: "Minta rekan menggantikan piket: /tukar TANGGAL NIP"},
		{Name: "rekap", Description: "(atasan, admin) Rekap kehadiran: /rekap [TANGGAL]"},
		{Name: "dasbor", Description: "(atasan, admin) Tautan masuk dasbor web, sekali pakai"},
		{Name: "bantuan", Description: "Daftar perintah"},
		{Name: "daftar", Description: "Hubungkan akun Telegram dengan data pegawai"},
		{Name: "putus", Description: "Putuskan akun Telegram dari Piket"},
		{Name: "grup", Description: "(admin) Hubungkan grup ini dengan OPD: /grup KODE"},
	},
	"en": {
		{Name: "hadir", Description: "Check in today: hadir wfh, sehat, work plan"},
		{Name: "sakit", Description: "Not working today: sick"},
		{Name: "izin", Description: "Not working today: permitted absence"},
		{Name: "cuti", Description: "On leave"},
		{Name: "laporan", Description: "Report today's work results"},
		{Name: "status", Description: "My status today"},
		{Name: "keluar", Description: "Report leaving home while working from home: /keluar REASON, 2 jam"},
		{Name: "kembali", Description: "Back home"},
		{Name: "ok", Description: "(supervisor) Acknowledge a leave-home report: /ok N"},
		{Name: "keluar_aktif", Description: "(supervisor) Staff currently away from home"},
		{Name: "piket", Description: "My duty days; /piket besok: who is on duty next working day"},
		{Name: "tukar", Description: "Ask a colleague to take a duty day: /tukar DATE NIP"},
		{Name: "rekap", Description: "(supervisor, admin) Attendance recap: /rekap [DATE]"},
		{Name: "dasbor", Description: "(supervisor, admin) One-time sign-in link to the web dashboard"},
		{Name: "bantuan", Description: "Command list"},
		{Name: "daftar", Description: "Link this Telegram account to your staff record"},
		{Name: "putus", Description: "Unlink this Telegram account from Piket"},
		{Name: "grup", Description: "(admin) Link this group to an office: /grup CODE"},
	},
}

// telegramBot is one configured Telegram bot and its adapter.
type telegramBot struct {
	acc     config.Account
	adapter *telegram.Adapter
	label   string // its name in /healthz and metrics: "telegram", "telegram:dinkes"
}

// newTelegramBots builds an adapter for each configured bot, the primary
// first. Each reports its calls to /healthz under its label.
func (a *App) newTelegramBots(cfg config.Config, st *store.Store, h bot.Handler, log *slog.Logger) ([]telegramBot, error) {
	var out []telegramBot
	for _, acc := range cfg.TelegramBots() {
		label := acc.Label(string(bot.Telegram))
		ad, err := newTelegram(cfg, acc, st, h, log, a.Health.PlatformObserver(label))
		if err != nil {
			return nil, fmt.Errorf("telegram bot %q: %w", acc.Name, err)
		}
		a.accounts.setHandle(bot.Telegram, acc.Key, func() string {
			if u := ad.Username(); u != "" {
				return "@" + u
			}
			return ""
		})
		out = append(out, telegramBot{acc: acc, adapter: ad, label: label})
	}
	return out, nil
}

// newTelegram builds the adapter of the Telegram bot acc from config.
func newTelegram(cfg config.Config, acc config.Account, st *store.Store, h bot.Handler, log *slog.Logger, onCall func(string, error)) (*telegram.Adapter, error) {
	menu, ok := telegramMenu[cfg.Language]
	if !ok {
		menu = telegramMenu["id"]
	}
	return telegram.New(telegram.Options{
		Token:    acc.Token,
		Account:  acc.Key,
		Username: acc.Handle,
		APIURL:   acc.APIURL,
		Mode:     cfg.Telegram.Mode,
		Webhook: telegram.Webhook{
			Listen:         cfg.Telegram.Webhook.Listen,
			PublicURL:      cfg.Telegram.Webhook.PublicURL,
			Secret:         cfg.Telegram.Webhook.Secret,
			MaxConnections: cfg.Telegram.Webhook.MaxConnections,
		},
		Handler: h,
		// Polling confirms a batch once it is in the inbox and fetches
		// the next while it is handled (App.Run runs the inbox).
		ReceiveAhead:  cfg.Telegram.Mode != telegram.ModeWebhook,
		Offsets:       st.TelegramOffsets(acc.Token),
		Chats:         st.TelegramChats(),
		Logger:        log,
		Commands:      menu,
		ContactButton: bot.TextsFor(cfg.Language).ContactButton,
		OnCall:        onCall,
	})
}
