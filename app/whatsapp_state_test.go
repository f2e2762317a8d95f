package app

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/ops"
	"github.com/piket-id/piket/store"
)

// Each WhatsApp state the supervisor reports shows in /healthz with its
// reason (fail, degraded or ok), and an incident warns the office admin
// once: on the other platforms while WhatsApp is down, on WhatsApp too for
// the phone-offline warning.
func TestWhatsAppStateHealthAndWarnings(t *testing.T) {
	until := time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		state     whatsapp.State
		health    string // status of the whatsapp check
		detail    string
		warning   string // "" none
		platforms string // the warning's platforms, sorted
	}{
		{whatsapp.State{Status: whatsapp.StatusConnected}, ops.StatusOK, "connected", "", ""},
		{whatsapp.State{Status: whatsapp.StatusLoggedOut, Reason: "logged out by WhatsApp: 401", Incident: "logged_out:1"},
			ops.StatusFail, "logged_out: logged out by WhatsApp: 401", "terputus dari WhatsApp", "console"},
		{whatsapp.State{Status: whatsapp.StatusLoggedOut, Reason: "no paired device"}, ops.StatusFail, "no paired device", "", ""},
		{whatsapp.State{Status: whatsapp.StatusBanned, Until: until, Reason: "code 101", Incident: "banned:1"},
			ops.StatusFail, "banned until 2026-12-03T02:00:00Z: code 101", "sampai 03-12-2026 09.00 WIB", "console"},
		{whatsapp.State{Status: whatsapp.StatusStreamReplaced, Reason: "another client", Incident: "stream_replaced:1"},
			ops.StatusFail, "stream_replaced", "dipakai program lain", "console"},
		{whatsapp.State{Status: whatsapp.StatusClientOutdated, Reason: "405", Incident: "client_outdated:1"},
			ops.StatusFail, "client_outdated", "memperbarui Piket", "console"},
		{whatsapp.State{Status: whatsapp.StatusConnectFailed, Reason: "connect failure 418"}, ops.StatusFail, "connect failure 418", "", ""},
		{whatsapp.State{Status: whatsapp.StatusKeepAliveLost, Reason: "3 keep-alive pings unanswered"}, ops.StatusDegraded, "keepalive_lost", "", ""},
		{whatsapp.State{Status: whatsapp.StatusPhoneOffline, PhoneOfflineDays: 12, Incident: "phone_offline:1"},
			ops.StatusDegraded, "phone_offline 12 days", "tidak online selama 12 hari", "console,whatsapp"},
	} {
		t.Run(tt.state.String(), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			cfg := config.Default()
			cfg.HTTP.Listen = ""
			cfg.Database = filepath.Join(dir, "piket.db")
			cfg.Timezone = "Asia/Jakarta"
			cfg.WhatsApp.Enabled = true
			cfg.WhatsApp.SessionDB = filepath.Join(dir, "wa.db")
			a, err := New(ctx, cfg, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, err := a.Store.ImportStaff(ctx, []store.StaffInput{{NIP: "197001011990031001", Name: "Admin", Office: "DISKOMINFO",
				Level: store.LevelPelaksana, Phone: "+6281100000050", Roles: []string{"admin"}}}, store.ImportOptions{DefaultTZ: "Asia/Jakarta"}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Store.DB().Exec(`INSERT INTO identities (platform, external_id, chat_id, staff_id, linked_at)
				SELECT 'whatsapp', '6281100000050', '6281100000050@s.whatsapp.net', id, 0 FROM staff`); err != nil {
				t.Fatal(err)
			}

			a.whatsAppState(a.wa[0], tt.state)
			a.whatsAppState(a.wa[0], tt.state) // reported twice: still one warning
			r := a.Health.Check(ctx).Checks["whatsapp"]
			if r.Status != tt.health || !strings.Contains(r.Detail, tt.detail) {
				t.Errorf("/healthz whatsapp = %+v, want %s with %q", r, tt.health, tt.detail)
			}
			want := 0
			if tt.warning != "" {
				want = len(strings.Split(tt.platforms, ","))
			}
			type row struct{ platform, text, key string }
			rows := func() []row {
				rs, err := a.Store.DB().Query(`SELECT platform, text, dedupe_key FROM outbox ORDER BY platform`)
				if err != nil {
					t.Fatal(err)
				}
				defer rs.Close()
				var out []row
				for rs.Next() {
					var r row
					if err := rs.Scan(&r.platform, &r.text, &r.key); err != nil {
						t.Fatal(err)
					}
					out = append(out, r)
				}
				return out
			}
			deadline := time.Now().Add(20 * time.Second)
			for len(rows()) < want && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond) // the second report's warning, if it were queued
			got := rows()
			if len(got) != want {
				t.Fatalf("queued %d warnings %+v, want %d", len(got), got, want)
			}
			var platforms []string
			for _, m := range got {
				platforms = append(platforms, m.platform)
				if !strings.Contains(m.text, tt.warning) || !strings.HasPrefix(m.key, "whatsapp:"+tt.state.Incident) {
					t.Errorf("warning %q (key %q), want %q", m.text, m.key, tt.warning)
				}
			}
			if p := strings.Join(platforms, ","); want > 0 && p != tt.platforms {
				t.Errorf("warned on %s, want %s", p, tt.platforms)
			}
		})
	}
}
