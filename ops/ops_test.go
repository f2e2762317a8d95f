package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/scheduler"
	"github.com/piket-id/piket/store"
)

var t0 = time.Date(2020, 3, 18, 1, 0, 0, 0, time.UTC) // 09:00 WITA

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func openStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "piket.db")
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

func seedStaff(t *testing.T, st *store.Store) []store.Staff {
	t.Helper()
	ctx := context.Background()
	_, err := st.ImportStaff(ctx, []store.StaffInput{
		{NIP: "197008141995031004", Name: "I Wayan Sudarsana", Office: "DISKOMINFO", Level: store.LevelEselon2, Phone: "+6281234500001"},
		{NIP: "199203142015032001", Name: "Ni Made Sari", Office: "DISKOMINFO", Level: store.LevelPelaksana, SupervisorNIP: "197008141995031004", Phone: "+6281234500003"},
	}, store.ImportOptions{DefaultTZ: "Asia/Makassar", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	staff, err := st.ActiveStaff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return staff
}

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b)
}

func healthz(t *testing.T, h *Health) (int, Report) {
	t.Helper()
	code, body := get(t, Mux(h, nil), "/healthz")
	var rep Report
	if err := json.Unmarshal([]byte(body), &rep); err != nil {
		t.Fatalf("healthz body %q: %v", body, err)
	}
	return code, rep
}

func TestHealthOK(t *testing.T) {
	st, _ := openStore(t)
	clk := &fakeClock{t: t0}
	h := NewHealth(HealthOptions{Store: st, Now: clk.Now})
	h.SetPlatform("whatsapp", "connected", true)
	h.SchedulerBeat()
	code, rep := healthz(t, h)
	if code != http.StatusOK || rep.Status != "ok" {
		t.Fatalf("got %d %+v, want 200 ok", code, rep)
	}
	for _, name := range []string{CheckStore, CheckOutbox, CheckScheduler, "whatsapp"} {
		if c, ok := rep.Checks[name]; !ok || !c.OK {
			t.Errorf("check %q = %+v, %v; want present and ok", name, c, ok)
		}
	}
	if got, want := rep.Checks["whatsapp"].Detail, "connected for 0s"; got != want {
		t.Errorf("whatsapp detail %q, want %q", got, want)
	}
}

func TestHealthFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, st *store.Store, h *Health, clk *fakeClock)
		fail  []string
	}{
		{"store closed", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			st.Close()
		}, []string{CheckOutbox, CheckStore}},
		{"whatsapp logged out", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			h.SetPlatform("whatsapp", "connected", true)
			h.SetPlatform("whatsapp", "logged_out", false)
		}, []string{"whatsapp"}},
		{"scheduler stale", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			h.SchedulerBeat()
			clk.Advance(DefaultSchedulerStale + time.Second)
		}, []string{CheckScheduler}},
		{"scheduler never beat", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			clk.Advance(DefaultSchedulerStale + time.Second)
		}, []string{CheckScheduler}},
		{"outbox backlog", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			enqueue(t, st, 3, clk.Now())
		}, []string{CheckOutbox}},
		{"outbox old", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			enqueue(t, st, 1, clk.Now())
			clk.Advance(11 * time.Minute)
			h.SchedulerBeat()
		}, []string{CheckOutbox}},
		{"custom check", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			h.Add("disk", func(context.Context) (string, error) { return "", errors.New("full") })
		}, []string{"disk"}},
		{"check hangs", func(t *testing.T, st *store.Store, h *Health, clk *fakeClock) {
			h.Add("slow", func(ctx context.Context) (string, error) { select {} })
		}, []string{"slow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _ := openStore(t)
			clk := &fakeClock{t: t0}
			// Generous: under a busy machine the store's own check took over
			// 200 ms and failed too; only "check hangs" waits it out.
			h := NewHealth(HealthOptions{Store: st, Now: clk.Now, MaxPending: 3, Timeout: 3 * time.Second})
			tt.setup(t, st, h, clk)
			code, rep := healthz(t, h)
			if code != http.StatusServiceUnavailable || rep.Status != "fail" {
				t.Errorf("got %d %q, want 503 fail", code, rep.Status)
			}
			if got, want := strings.Join(rep.Failing(), ","), strings.Join(tt.fail, ","); got != want {
				t.Errorf("failing checks %q, want %q (report %+v)", got, want, rep.Checks)
			}
			for _, name := range tt.fail {
				if rep.Checks[name].Detail == "" {
					t.Errorf("failing check %q has no detail", name)
				}
			}
		})
	}
}

func enqueue(t *testing.T, st *store.Store, n int, at time.Time) {
	t.Helper()
	ctx := context.Background()
	err := st.Write(ctx, func(tx *store.Tx) error {
		for range n {
			if _, _, err := tx.Enqueue(ctx, store.OutMsg{Platform: "telegram", ChatID: "42", Text: "Terima kasih"}, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHeartbeatJob(t *testing.T) {
	clk := &fakeClock{t: t0}
	h := NewHealth(HealthOptions{Now: clk.Now})
	job := h.HeartbeatJob()
	clk.Advance(time.Hour)
	if err := job.Run(context.Background(), clk.Now()); err != nil {
		t.Fatal(err)
	}
	if rep := h.Check(context.Background()); !rep.OK() {
		t.Errorf("after the heartbeat job: %+v", rep)
	}
}

func TestMetrics(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	staff := seedStaff(t, st)
	clk := &fakeClock{t: t0}
	m := NewMetrics(st, clk.Now)

	m.InboundObserved("telegram", OutcomeHandled)
	m.InboundObserved("telegram", OutcomeHandled)
	m.InboundObserved("whatsapp", OutcomeFailed)
	m.Sent(bot.Telegram)
	m.Sent(bot.Telegram)
	m.Sent(bot.Telegram)
	m.Failed(bot.Telegram, false)
	m.Failed(bot.WhatsApp, true)
	m.RateLimited(bot.Telegram)
	m.JobRan("roster-post DISKOMINFO", nil)
	m.JobRan("roster-post DISKOMINFO", errors.New("boom"))

	day := civil.In(t0, time.UTC)
	err := st.Write(ctx, func(tx *store.Tx) error {
		old := t0.Add(-48 * time.Hour)
		if err := tx.SaveAttendance(ctx, store.Attendance{StaffID: staff[0].ID, Day: day, Status: store.StatusPresent, Place: store.PlaceHome, FirstAt: t0, UpdatedAt: t0}, 0); err != nil {
			return err
		}
		if err := tx.SaveAttendance(ctx, store.Attendance{StaffID: staff[1].ID, Day: day, Status: store.StatusSick, FirstAt: t0, UpdatedAt: t0}, 0); err != nil {
			return err
		}
		if err := tx.SaveAttendance(ctx, store.Attendance{StaffID: staff[1].ID, Day: civil.In(old, time.UTC), Status: store.StatusPresent, FirstAt: old, UpdatedAt: old}, 0); err != nil {
			return err
		}
		if _, err := tx.CreateLeave(ctx, store.LeaveReport{StaffID: staff[1].ID, Reason: "ke apotek", StartedAt: t0, DueAt: t0.Add(time.Hour)}, 0); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	enqueue(t, st, 2, t0.Add(-90*time.Second))

	code, body := get(t, Mux(nil, m), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d\n%s", code, body)
	}
	for _, want := range []string{
		`piket_messages_in_total{outcome="handled",platform="telegram"} 2`,
		`piket_messages_in_total{outcome="error",platform="whatsapp"} 1`,
		`piket_messages_out_total{platform="telegram"} 3`,
		`piket_send_errors_total{permanent="false",platform="telegram"} 1`,
		`piket_send_errors_total{permanent="true",platform="whatsapp"} 1`,
		`piket_rate_limited_total{platform="telegram"} 1`,
		`piket_job_runs_total{job="roster-post DISKOMINFO"} 2`,
		`piket_job_failures_total{job="roster-post DISKOMINFO"} 1`,
		`piket_checkins_24h{status="hadir"} 1`,
		`piket_checkins_24h{status="sakit"} 1`,
		`piket_outbox_pending 2`,
		`piket_outbox_oldest_age_seconds 90`,
		`piket_leave_unacknowledged 1`,
		`piket_store_up 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want+"\n") && !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "# HELP piket_") && len(line) < len("# HELP piket_x y") {
			t.Errorf("metric without help: %q", line)
		}
	}

	// The store gone: the counters are still served, store_up says 0.
	st.Close()
	code, body = get(t, Mux(nil, m), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics with the store closed: %d", code)
	}
	for _, want := range []string{`piket_store_up 0`, `piket_messages_out_total{platform="telegram"} 3`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics with the store closed lacks %q", want)
		}
	}
}

func TestMetricsEmptyStore(t *testing.T) {
	st, _ := openStore(t)
	m := NewMetrics(st, nil)
	_, body := get(t, Mux(nil, m), "/metrics")
	for _, want := range []string{`piket_checkins_24h{status="hadir"} 0`, `piket_outbox_pending 0`, `piket_outbox_oldest_age_seconds 0`, `piket_leave_unacknowledged 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestServerRunAndShutdown(t *testing.T) {
	st, _ := openStore(t)
	h := NewHealth(HealthOptions{Store: st})
	srv := NewServer("127.0.0.1:0", h, NewMetrics(st, nil), nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	for _, p := range []string{"/healthz", "/metrics"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(ShutdownTimeout + time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if err := NewServer("", nil, nil, nil).Run(context.Background()); err != nil {
		t.Errorf("disabled server: %v", err)
	}
}

func TestRetentionJob(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t)
	wib, _ := time.LoadLocation("Asia/Jakarta")
	if _, ok := RetentionJob(st, 0, wib, nil); ok {
		t.Error("retention 0: got a job, want none")
	}
	job, ok := RetentionJob(st, 90*24*time.Hour, wib, nil)
	if !ok || job.Spec != "30 2 * * *" || job.Loc != wib {
		t.Fatalf("job %+v", job)
	}
	if _, err := scheduler.Parse(job.Spec, job.Loc); err != nil {
		t.Fatal(err)
	}
	err := st.Write(ctx, func(tx *store.Tx) error {
		for i, at := range []time.Time{t0.AddDate(0, 0, -91), t0.AddDate(0, 0, -89)} {
			if _, _, err := tx.RecordInbound(ctx, store.InboundRecord{Platform: "telegram", MessageID: fmt.Sprint(i), ChatID: "c", SenderID: "u", Text: "hadir", ReceivedAt: at}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := job.Run(ctx, t0); err != nil {
		t.Fatal(err)
	}
	var texts int
	if err := st.DB().QueryRow(`SELECT count(text) FROM inbound`).Scan(&texts); err != nil {
		t.Fatal(err)
	}
	if texts != 1 {
		t.Errorf("%d texts left, want 1 (the 89-day-old one)", texts)
	}
}
