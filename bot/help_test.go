package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
)

func TestHelpListsTheCommandsOfMyRole(t *testing.T) {
	f := newFixture(t, "id")
	everyone := []string{"📝 Harian", "/hadir", "/sakit", "/izin", "/cuti", "/batal", "/laporan", "/status", "🏠 Keluar rumah", "/keluar", "/kembali",
		"📋 Piket", "/piket hari ini", "/piket besok", "/tukar", "/setuju N · /tolak N"}
	supervisor := []string{"👥 Atasan", "/ok N", "/keluar_aktif", "/rekap"}
	admin := []string{"⚙️ Admin kantor", "/grup KODE"}
	tests := []struct {
		name, nip string
		want      [][]string
		not       [][]string
	}{
		{"staff", nipSari, [][]string{everyone}, [][]string{supervisor, admin}},
		{"supervisor", nipKabid, [][]string{everyone, supervisor}, [][]string{admin}},
		{"office admin", nipHead, [][]string{everyone, supervisor, admin}, nil},
		{"staff of another office", nipTangse, [][]string{everyone}, [][]string{supervisor, admin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := onlyReply(t, f.say(tt.nip, "/bantuan"), tt.nip)
			for _, ws := range tt.want {
				for _, w := range ws {
					if !strings.Contains(got, w) {
						t.Errorf("/bantuan for %s lacks %q:\n%s", tt.name, w, got)
					}
				}
			}
			for _, ws := range tt.not {
				for _, w := range ws {
					if strings.Contains(got, w) {
						t.Errorf("/bantuan for %s lists %q, which they may not use:\n%s", tt.name, w, got)
					}
				}
			}
			// Every command line carries an example or says what it does.
			for _, line := range strings.Split(got, "\n") {
				if strings.HasPrefix(line, "/") && !strings.Contains(line, " — ") {
					t.Errorf("help line without explanation: %q", line)
				}
			}
		})
	}
	// Unknown senders keep the registration help.
	out := f.deliver(bot.Inbound{Platform: bot.Console, MessageID: "h1", SenderID: "000", ChatID: "000", Text: "/bantuan"})
	if len(out) != 1 || !strings.Contains(out[0].Text, "belum terdaftar") {
		t.Errorf("/bantuan from an unknown sender: %+v", out)
	}
}

func TestHelpInEnglish(t *testing.T) {
	f := newFixture(t, "en")
	got := onlyReply(t, f.say(nipKabid, "/bantuan"), nipKabid)
	for _, w := range []string{"📝 Daily", "👥 Supervisors", "/rekap"} {
		if !strings.Contains(got, w) {
			t.Errorf("English /bantuan lacks %q:\n%s", w, got)
		}
	}
	if strings.Contains(got, "⚙️") {
		t.Errorf("English /bantuan for a supervisor lists admin commands:\n%s", got)
	}
}

// An unclear check-in is answered with a question and stores nothing; a
// clear one with a greeting and fillers is stored as written.
func TestUnclearCheckInAsksAndStoresNothing(t *testing.T) {
	f := newFixture(t, "id")
	for _, c := range []struct{ text, want string }{
		{"sakit tapi tetap wfh", "sakit (tidak bekerja) atau tetap bekerja"},
		{"Selamat pagi pak, saya tidak hadir hari ini", "/izin ALASAN, /sakit KETERANGAN atau /cuti"},
		{"alhamdulillah sehat", "Apakah ini absen Anda"},
		{"izin terlambat pak, ban bocor", "tetap hadir hari ini (terlambat)"},
		{"pak agus, saya hadir", "belum yakin"},
	} {
		got := onlyReply(t, f.say(nipSari, c.text), nipSari)
		if !strings.Contains(got, c.want) || !strings.Contains(got, "Belum ada yang dicatat") {
			t.Errorf("%q: reply %q, want it to contain %q", c.text, got, c.want)
		}
	}
	if all, _ := f.st.DayAttendance(context.Background(), civil.MustParse("2020-03-18")); len(all) != 0 {
		t.Fatalf("unclear messages stored attendance: %+v", all)
	}
	f.say(nipSari, "Izin hadir wfh ya bu")
	f.say(nipKabid, "Hadir, kerja dari rumah, agak pilek, menyusun laporan 🙏")
	if a, ok := f.attendance(nipSari, "2020-03-18"); !ok || a.Status != "hadir" || a.Place != "wfh" || a.Health != "sehat" {
		t.Errorf("Izin hadir wfh ya bu: stored %+v (found %v), want hadir wfh sehat", a, ok)
	}
	if a, ok := f.attendance(nipKabid, "2020-03-18"); !ok || a.Status != "hadir" || a.Health != "agak pilek" || a.Plan != "menyusun laporan" {
		t.Errorf("agak pilek: stored %+v (found %v), want health agak pilek, plan menyusun laporan", a, ok)
	}
}
