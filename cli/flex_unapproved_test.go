package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// flexRemindersConfig is testdata/flex/config.yaml in lang with the
// check-in reminder and the supervisor's digest at 08:30 and the group
// recap at 08:45 (the report reminder after the transcripts' last hour).
func flexRemindersConfig(t *testing.T, lang string) string {
	t.Helper()
	cfg := readTestdata(t, "flex", "config.yaml")
	reminders := "language: " + lang + "\nreminders:\n  enabled: true\n  checkin: \"08:30\"\n  digest: \"08:30\"\n  report: \"16:00\"\n  group_recap: \"08:45\"\n"
	if !strings.Contains(cfg, "reminders:\n  enabled: false\n") {
		t.Fatal("testdata/flex/config.yaml no longer turns the reminders off")
	}
	return strings.Replace(cfg, "reminders:\n  enabled: false\n", reminders, 1)
}

// Check-ins that state working away without an approved request, in both
// languages (unapproved.txt, unapproved_en.txt): recorded as stated and
// flagged, the person told, the supervisor's private digest and /rekap
// listing them, the group's recap not; /batal wfa N cancelling requests.
// The month's export then says which days were approved.
func TestFlexUnapprovedTranscripts(t *testing.T) {
	for _, tt := range []struct {
		name, lang string
		want       []string
		group      string // never in a group's message
	}{
		{"unapproved", "id", []string{
			"Pengajuan No. 3 untuk hari ini ditolak.",
			"Kehadiran Anda tetap dicatat sesuai yang Anda tulis (WFH), dengan tanda \"tanpa persetujuan\". Menurut aturan kerja fleksibel (PermenPANRB 4/2025), hari ini adalah hari kerja di kantor. Atasan Anda (I Made Budi Santosa) akan melihat catatan ini.",
			"• I Kadek Agus (Sekretariat) — WFH tanpa persetujuan",
			"• Ni Luh Dewi (Sekretariat) — WFA tanpa persetujuan",
			"WFH/WFA tanpa persetujuan: 3",
			"🗑️ Ni Putu Rina membatalkan pengajuan WFA (bekerja dari lokasi lain) No. 1 (Selasa, 10 Maret 2026) yang sudah disetujui.",
			"Pengajuan mana yang dibatalkan?",
			"bukan pengajuan Anda",
		}, "tanpa persetujuan"},
		{"unapproved_en", "en", []string{
			"Request No. 3 for today was declined.",
			"Your attendance is recorded as you wrote it (WFH), marked \"without approval\". Under the flexible-work rules (PermenPANRB 4/2025) today is a working day at the office. Your supervisor (I Made Budi Santosa) will see this record.",
			"• I Kadek Agus (Sekretariat) — WFH without approval",
			"• Ni Luh Dewi (Sekretariat) — WFA without approval",
			"WFH/WFA without approval: 3",
			"🗑️ Ni Putu Rina cancelled the approved WFA (work from another place) request No. 1 (Tuesday, 10 March 2026).",
			"Which request should be cancelled?",
			"is not yours",
		}, "without approval"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := writeConfig(t, flexRemindersConfig(t, tt.lang))
			if r := run(t, "", "staff", "import", "-config", cfg, filepath.Join("testdata", "flex", "staff.csv")); r.code != 0 {
				t.Fatalf("import exit %d: %s", r.code, r.stderr)
			}
			got := serveWith(t, cfg, readTestdata(t, "flex", "unapproved.txt"))
			golden := filepath.Join("testdata", "flex", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if want := readTestdata(t, "flex", tt.name+".golden"); got != want {
				t.Errorf("transcript differs from %s (run with -update to accept):\n--- got\n%s", golden, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("transcript lacks %q", w)
				}
			}
			for _, msg := range strings.Split(got, "\n→ ") {
				if strings.HasPrefix(msg, "[grup") && strings.Contains(msg, tt.group) {
					t.Errorf("a group sees the flag:\n%s", msg)
				}
			}
			// The month's export: the Tempat column says which days were approved.
			out := filepath.Join(t.TempDir(), "maret.csv")
			if r := run(t, "", "export", "-config", cfg, "-month", "2026-03", "-opd", "DISPERKIM", "-o", out); r.code != 0 {
				t.Fatalf("export exit %d: %s", r.code, r.stderr)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{
				"2026-03-10,199102022016032005,I Kadek Agus,DISPERKIM,Sekretariat,hadir,WFH tanpa persetujuan,",
				"2026-03-10,199001012015031004,Ni Putu Rina,DISPERKIM,Sekretariat,hadir,WFH tanpa persetujuan,",
				"2026-03-10,199405052019031008,Ni Luh Dewi,DISPERKIM,Sekretariat,hadir,WFA tanpa persetujuan,",
				"2026-03-10,199203032017031006,Ni Komang Ayu,DISPERKIM,Sekretariat,hadir,kantor,",
				"2026-03-10,199607072019032010,Ni Made Yanti,DISPERKIM,Sekretariat,hadir,kantor,",
			} {
				if !strings.Contains(string(b), w) {
					t.Errorf("export lacks %q:\n%s", w, b)
				}
			}
		})
	}
}
