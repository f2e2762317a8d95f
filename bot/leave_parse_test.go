package bot_test

import (
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
)

func TestParseLeaveHome(t *testing.T) {
	const none = -1
	hm := func(h, m int) int { return h*60 + m }
	tests := []struct {
		in     string
		kind   bot.Kind
		reason string
		dur    time.Duration
		until  int
		n      int64
	}{
		{"/keluar ke rumah sakit antar ibu kontrol", bot.KindLeave, "ke rumah sakit antar ibu kontrol", 0, none, 0},
		{"/keluar", bot.KindLeave, "", 0, none, 0},
		{"/keluar 2 jam", bot.KindLeave, "", 2 * time.Hour, none, 0},
		{"keluar ke apotek beli obat anak, 30 menit", bot.KindLeave, "ke apotek beli obat anak", 30 * time.Minute, none, 0},
		{"Keluar rumah ke puskesmas, 1 jam", bot.KindLeave, "ke puskesmas", time.Hour, none, 0},
		{"keluar rumah sebentar ke ATM", bot.KindLeave, "ke ATM", 0, none, 0},
		{"izin keluar ke RSUD Wangaya, kontrol jantung, sampai 14.00", bot.KindLeave, "ke RSUD Wangaya, kontrol jantung", 0, hm(14, 0), 0},
		{"Izin keluar rumah antar anak vaksin s.d. 11:30", bot.KindLeave, "antar anak vaksin", 0, hm(11, 30), 0},
		{"ijin keluar rumah ke bank urus BPJS hingga 13.00 WITA", bot.KindLeave, "ke bank urus BPJS", 0, hm(13, 0), 0},
		{"mohon izin keluar ke dokter gigi selama 1,5 jam", bot.KindLeave, "ke dokter gigi", 90 * time.Minute, none, 0},
		{"Pamit ke rumah sakit, istri melahirkan", bot.KindLeave, "ke rumah sakit, istri melahirkan", 0, none, 0},
		{"ke rumah sakit antar bapak cuci darah 3 jam", bot.KindLeave, "ke rumah sakit antar bapak cuci darah", 3 * time.Hour, none, 0},
		{"ke puskesmas ambil obat, sekitar 45 menit", bot.KindLeave, "ke puskesmas ambil obat", 45 * time.Minute, none, 0},
		{"ke apotek sebentar 15 mnt", bot.KindLeave, "ke apotek sebentar", 15 * time.Minute, none, 0},
		{"Saya mau keluar ke klinik, kembali pukul 10.30", bot.KindLeave, "ke klinik", 0, hm(10, 30), 0},
		{"/keluar@PiketBot ke dokter anak setengah jam", bot.KindLeave, "ke dokter anak", 30 * time.Minute, none, 0},
		{"/keluar alasan: menjemput anak sakit di sekolah (1 jam 30 menit)", bot.KindLeave, "menjemput anak sakit di sekolah", 90 * time.Minute, none, 0},
		{"keluar beli gas elpiji, sejam", bot.KindLeave, "beli gas elpiji", time.Hour, none, 0},
		{"izin keluar melayat tetangga sampai jam 15", bot.KindLeave, "melayat tetangga", 0, hm(15, 0), 0},
		{"Keluar rumah ke laboratorium hasil swab s/d 09.45", bot.KindLeave, "ke laboratorium hasil swab", 0, hm(9, 45), 0},
		{"/kembali", bot.KindReturn, "", 0, none, 0},
		{"kembali", bot.KindReturn, "", 0, none, 0},
		{"Kembali ke rumah", bot.KindReturn, "", 0, none, 0},
		{"sudah di rumah", bot.KindReturn, "", 0, none, 0},
		{"Sudah dirumah pak", bot.KindReturn, "", 0, none, 0},
		{"sudah kembali", bot.KindReturn, "", 0, none, 0},
		{"Sudah pulang bu", bot.KindReturn, "", 0, none, 0},
		{"sdh sampai rumah", bot.KindReturn, "", 0, none, 0},
		{"udah balik", bot.KindReturn, "", 0, none, 0},
		{"/ok 12", bot.KindAck, "", 0, none, 12},
		{"ok 3", bot.KindAck, "", 0, none, 3},
		{"Oke 7", bot.KindAck, "", 0, none, 7},
		{"siap 15", bot.KindAck, "", 0, none, 15},
		{"siap, no. 4", bot.KindAck, "", 0, none, 4},
		{"/ok", bot.KindAck, "", 0, none, 0},
		{"/keluar_aktif", bot.KindLeaveList, "", 0, none, 0},
		{"keluar aktif", bot.KindLeaveList, "", 0, none, 0},
	}
	for _, tt := range tests {
		c := bot.Parse(tt.in)
		if c.Kind != tt.kind || c.Arg != tt.reason || c.For != tt.dur || c.N != tt.n || (tt.kind == bot.KindLeave && c.Until != tt.until) {
			t.Errorf("Parse(%q) = kind %d, reason %q, for %v, until %d, n %d; want kind %d, reason %q, for %v, until %d, n %d",
				tt.in, c.Kind, c.Arg, c.For, c.Until, c.N, tt.kind, tt.reason, tt.dur, tt.until, tt.n)
		}
	}
}

func TestParseLeaveKeepsOtherCommands(t *testing.T) {
	for in, want := range map[string]bot.Kind{
		"izin":                bot.KindCheckIn,
		"izin ke rumah sakit": bot.KindCheckIn, // izin for the day, not a leave-home report
		"ok":                  bot.KindNone,
		"siap pak":            bot.KindNone,
		"sudah makan?":        bot.KindNone,
		"hadir wfh, sehat":    bot.KindCheckIn,
		"ke kantor dulu ya":   bot.KindNone,
	} {
		if got := bot.Parse(in).Kind; got != want {
			t.Errorf("Parse(%q).Kind = %d, want %d", in, got, want)
		}
	}
}
