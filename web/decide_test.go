package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// Flexible-work requests of Ni Made Sari (DISKOMINFO in mode fleksibel):
// her direct supervisor is Ni Made Dwi Lestari, above her Ni Luh Putu
// Ariyani (nipSekr), then the head (admin).
const nipDwi = "198204102008012011"

// fileFlex files a request as nip in chat and returns its number.
func fileFlex(t testing.TB, fx *fx, nip, text string) int64 {
	t.Helper()
	for _, r := range fx.say(nip, text) {
		if m := regexp.MustCompile(`No\. (\d+)`).FindStringSubmatch(r); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			return n
		}
	}
	t.Fatalf("%s: no request filed", text)
	return 0
}

// flexState reads a request's state.
func flexState(t testing.TB, fx *fx, n int64) string {
	t.Helper()
	var state string
	if err := fx.st.DB().QueryRowContext(context.Background(), `SELECT state FROM flex_requests WHERE id = ?`, n).Scan(&state); err != nil {
		t.Fatal(err)
	}
	return state
}

// outboxTo returns the texts queued to a chat so far.
func outboxTo(t testing.TB, fx *fx, chat string) string {
	t.Helper()
	pending, err := fx.st.PendingOutbox(context.Background(), 100000)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, p := range pending {
		if p.ChatID == chat {
			b.WriteString(p.Text + "\n")
		}
	}
	return b.String()
}

// auditCount counts an office's audit rows.
func auditCount(t testing.TB, fx *fx, office string) int {
	t.Helper()
	var n int
	if err := fx.st.DB().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM audit a JOIN offices o ON o.id = a.office_id WHERE o.code = ?`, office).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// pendingSwapDay is the day of the swap requests in the tests.
const pendingSwapDay = "2020-03-19"

// swapPair finds, on the DISKOMINFO roster of pendingSwapDay, a person
// on duty and a supervisor of the same level and division who is not,
// so that a swap between them breaks no coverage rule.
func swapPair(t testing.TB, fx *fx) (out, in string) {
	t.Helper()
	ctx := context.Background()
	// The whole month, as the roster page makes it: a draft day made
	// alone is made again with the days before it.
	d := civil.MustParse(pendingSwapDay)
	days, err := fx.svc.RosterMonth(ctx, "DISKOMINFO", civil.Date{Year: d.Year, Month: d.Month, Day: 1}, d.AddDays(12))
	if err != nil {
		t.Fatal(err)
	}
	on := map[string]bool{}
	for _, x := range days {
		if x.Day == d {
			for _, p := range x.People {
				on[p.NIP] = true
			}
		}
	}
	sari, err := fx.st.StaffByNIP(ctx, nipSari)
	if err != nil {
		t.Fatal(err)
	}
	people, err := fx.st.OfficeStaff(ctx, sari.Office.ID)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := fx.st.DB().QueryContext(ctx, `SELECT DISTINCT s.nip FROM staff s JOIN staff b ON b.supervisor_id = s.id`)
	if err != nil {
		t.Fatal(err)
	}
	sup := map[string]bool{}
	for chain.Next() {
		var nip string
		_ = chain.Scan(&nip)
		sup[nip] = true
	}
	chain.Close()
	for _, a := range people {
		for _, b := range people {
			if on[a.NIP] && !on[b.NIP] && sup[b.NIP] && !b.HasRole(store.RoleAdmin) && a.Level == b.Level && a.Division == b.Division &&
				b.NIP != nipSekr && b.NIP != nipKabid {
				return a.NIP, b.NIP
			}
		}
	}
	t.Fatalf("no swap pair on %s among %v", pendingSwapDay, on)
	return "", ""
}

// askSwap files /tukar as out asking in and returns the request number.
func askSwap(t testing.TB, fx *fx, out, in string) int64 {
	t.Helper()
	fx.say(out, "/tukar "+pendingSwapDay+" "+in)
	var n int64
	if err := fx.st.DB().QueryRowContext(context.Background(), `SELECT MAX(id) FROM roster_swaps WHERE status = 'pending'`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("no pending swap after /tukar: %v", err)
	}
	return n
}

// TestDecisionRouteAuthorization: the new routes as every kind of person
// (see TestRouteAuthorization): a request of another office or outside
// one's chain is 404, as if it did not exist.
func TestDecisionRouteAuthorization(t *testing.T) {
	roles := []struct{ name, nip string }{
		{"anonymous", ""}, {"admin", nipHead}, {"supervisor", nipSekr}, {"other chain", nipKabid}, {"other office admin", nipBKHead},
	}
	const (
		u = http.StatusUnauthorized
		n = http.StatusNotFound
		y = http.StatusOK
	)
	for i, r := range roles {
		t.Run("flex/"+r.name, func(t *testing.T) {
			fx := newFlexFx(t, "id")
			a := fileFlex(t, fx, nipSari, "/wfa 2020-03-20 urusan keluarga; menyusun laporan SPJ")
			b := fileFlex(t, fx, nipSari, "/wfh 2020-03-19 menunggu tukang; rekap absensi")
			br := fx.browser()
			if r.nip != "" {
				br = fx.signIn(r.nip)
			}
			for _, rt := range []struct {
				method, path string
				form         url.Values
				want         [5]int
			}{
				{"GET", "/pengajuan", nil, [5]int{u, y, y, y, y}},
				{"POST", fmt.Sprintf("/pengajuan/%d/setujui", a), url.Values{}, [5]int{u, y, y, n, n}},
				{"POST", fmt.Sprintf("/pengajuan/%d/tolak", b), url.Values{"alasan": {"rapat evaluasi"}}, [5]int{u, y, y, n, n}},
				{"POST", "/pengajuan/999/setujui", url.Values{}, [5]int{u, n, n, n, n}},
				{"POST", "/pengajuan/x/tolak", url.Values{"alasan": {"x"}}, [5]int{u, n, n, n, n}},
			} {
				var code int
				var body string
				if rt.method == "POST" {
					code, body = br.post(rt.path, rt.form)
				} else {
					code, body = br.get(rt.path)
				}
				if code != rt.want[i] {
					t.Errorf("%s %s: %d, want %d: %s", rt.method, rt.path, code, rt.want[i], excerpt(body))
				}
				if code == y && rt.method == "GET" && r.nip != nipHead && r.nip != nipSekr && strings.Contains(body, "Ni Made Sari") {
					t.Errorf("%s %s shows a request out of scope", r.name, rt.path)
				}
			}
			want := map[string]string{nipHead: store.FlexApproved, nipSekr: store.FlexApproved}[r.nip]
			if want == "" {
				want = store.FlexPending
			}
			if got := flexState(t, fx, a); got != want {
				t.Errorf("request %d is %s, want %s", a, got, want)
			}
		})
		t.Run("swap/"+r.name, func(t *testing.T) {
			fx := newFx(t, "id")
			out, in := swapPair(t, fx)
			a := askSwap(t, fx, out, in)
			br := fx.browser()
			if r.nip != "" {
				br = fx.signIn(r.nip)
			}
			for _, rt := range []struct {
				path string
				want [5]int
			}{
				{"/jadwal", [5]int{u, y, y, y, y}},
				{fmt.Sprintf("/jadwal/tukar/%d/setuju", a), [5]int{u, y, n, n, n}},
				{fmt.Sprintf("/jadwal/tukar/%d/tolak", a), [5]int{u, http.StatusConflict, n, n, n}}, // decided just before
				{"/jadwal/tukar/999/setuju", [5]int{u, n, n, n, n}},
			} {
				var code int
				var body string
				if strings.Contains(rt.path, "/tukar/") {
					code, body = br.post(rt.path, url.Values{})
				} else {
					code, body = br.get(rt.path)
				}
				if code != rt.want[i] {
					t.Errorf("POST %s: %d, want %d: %s", rt.path, code, rt.want[i], excerpt(body))
				}
			}
		})
	}
}

// TestFlexDecisionsOnTheDashboard: approve and decline go through the
// chat's code: the requester is told, the decision is audited, a decided
// or lapsed request is refused politely, and the chat sees the decision.
func TestFlexDecisionsOnTheDashboard(t *testing.T) {
	fx := newFlexFx(t, "id")
	a := fileFlex(t, fx, nipSari, "/wfa 2020-03-20 urusan keluarga; menyusun laporan SPJ")
	b := fileFlex(t, fx, nipSari, "/wfh 2020-03-19 menunggu tukang; rekap absensi")
	br := fx.signIn(nipSekr)
	code, body := br.get("/pengajuan")
	for _, want := range []string{`href="/pengajuan" aria-current="page"`, "Ni Made Sari", "urusan keluarga", "menyusun laporan SPJ", "Ni Made Dwi Lestari",
		fmt.Sprintf(`action="/pengajuan/%d/setujui"`, a), fmt.Sprintf(`action="/pengajuan/%d/tolak"`, b), "20 Maret 2020"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("requests page: %d, %q missing: %s", code, want, excerpt(body))
		}
	}
	// A form without the session's CSRF token decides nothing.
	if code, _ := br.post(fmt.Sprintf("/pengajuan/%d/setujui", a), url.Values{"csrf": {"palsu"}}); code != http.StatusForbidden {
		t.Errorf("POST without CSRF: %d, want 403", code)
	}
	if code, _ := br.post(fmt.Sprintf("/pengajuan/%d/tolak", b), url.Values{"csrf": {""}, "alasan": {"x"}}); code != http.StatusForbidden {
		t.Errorf("POST with an empty CSRF token: %d, want 403", code)
	}
	if flexState(t, fx, a) != store.FlexPending || flexState(t, fx, b) != store.FlexPending {
		t.Fatal("a form without the CSRF token decided")
	}
	// Approve: the chat's answer, Sari told, the audit row.
	decides(t, br, fmt.Sprintf("/pengajuan/%d/setujui", a), nil, fmt.Sprintf("Pengajuan No. %d (Ni Made Sari, Jumat, 20 Maret 2020) disetujui", a),
		nipSari, fmt.Sprintf("No. %d disetujui oleh Ni Luh Putu Ariyani", a))
	assertAudit(t, fx, "DISKOMINFO", "flex_approve", nipSari)
	// Decline needs a reason: refused, nothing written.
	audits := auditCount(t, fx, "DISKOMINFO")
	code, body = br.post(fmt.Sprintf("/pengajuan/%d/tolak", b), url.Values{"alasan": {"  \n\t "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Tulis alasan penolakan") || flexState(t, fx, b) != store.FlexPending {
		t.Errorf("decline without a reason: %d %s", code, excerpt(body))
	}
	code, body = br.post(fmt.Sprintf("/pengajuan/%d/tolak", b), url.Values{"alasan": {strings.Repeat("panjang ", 80)}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "terlalu panjang") || flexState(t, fx, b) != store.FlexPending {
		t.Errorf("decline with too long a reason: %d %s", code, excerpt(body))
	}
	if n := auditCount(t, fx, "DISKOMINFO"); n != audits {
		t.Errorf("refused declines wrote %d audit rows", n-audits)
	}
	code, body = br.post(fmt.Sprintf("/pengajuan/%d/tolak", b), url.Values{"alasan": {"ada rapat\r\nevaluasi"}})
	if code != http.StatusOK || !strings.Contains(body, fmt.Sprintf("Pengajuan No. %d (Ni Made Sari, Kamis, 19 Maret 2020) ditolak", b)) {
		t.Fatalf("decline: %d %s", code, excerpt(body))
	}
	if got := outboxTo(t, fx, nipSari); !strings.Contains(got, "ditolak oleh Ni Luh Putu Ariyani") || !strings.Contains(got, "Alasan: ada rapat evaluasi") {
		t.Errorf("Sari not told of the decline:\n%s", got)
	}
	assertAudit(t, fx, "DISKOMINFO", "flex_decline", "ada rapat evaluasi")
	// Decided: refused politely on the page, and in chat.
	code, body = br.post(fmt.Sprintf("/pengajuan/%d/tolak", a), url.Values{"alasan": {"berubah pikiran"}})
	if code != http.StatusConflict || !strings.Contains(body, "sudah disetujui. Tidak ada yang diubah.") || flexState(t, fx, a) != store.FlexApproved {
		t.Errorf("decided request declined again: %d %s", code, excerpt(body))
	}
	if got := strings.Join(fx.say(nipHead, fmt.Sprintf("/setujui %d", b)), "\n"); !strings.Contains(got, "sudah ditolak. Tidak ada yang diubah.") {
		t.Errorf("chat after the dashboard's decision: %q", got)
	}
	// The page lists both as decided.
	_, body = br.get("/pengajuan")
	if !strings.Contains(body, "Tidak ada pengajuan yang menunggu keputusan Anda.") || !strings.Contains(body, "disetujui — Ni Luh Putu Ariyani") ||
		!strings.Contains(body, "ada rapat evaluasi") {
		t.Errorf("decided requests not listed: %s", excerpt(body))
	}
}

// TestFlexLapsedOnTheDashboard: a request still pending when its day
// starts lapses when decided, as in chat.
func TestFlexLapsedOnTheDashboard(t *testing.T) {
	fx := newFlexFx(t, "en")
	n := fileFlex(t, fx, nipSari, "/wfh 2020-03-19 waiting for a plumber; attendance recap")
	fx.clk.Set(civil.MustParse("2020-03-19").At(7, 0, wita))
	br := fx.signIn(nipHead)
	code, body := br.post(fmt.Sprintf("/pengajuan/%d/setujui", n), nil)
	if code != http.StatusConflict || !strings.Contains(body, fmt.Sprintf("Request No. %d can no longer be decided", n)) {
		t.Fatalf("lapsed request: %d %s", code, excerpt(body))
	}
	if got := flexState(t, fx, n); got != store.FlexLapsed {
		t.Errorf("state %s, want lapsed", got)
	}
	if got := outboxTo(t, fx, nipSari); !strings.Contains(got, "lapsed: it was not decided when the day started") {
		t.Errorf("Sari not told the request lapsed:\n%s", got)
	}
	code, body = br.post(fmt.Sprintf("/pengajuan/%d/tolak", n), url.Values{"alasan": {" "}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Write the reason for declining first") {
		t.Errorf("English decline without a reason: %d %s", code, excerpt(body))
	}
}

// TestSwapRequestsOnTheRosterPage: pending /tukar requests are decided on
// the roster page as /setuju N and /tolak N: the requester told, an
// audit row, and a swap that breaks a coverage rule made only when the
// admin confirms it.
func TestSwapRequestsOnTheRosterPage(t *testing.T) {
	fx := newFx(t, "id")
	addSmallOffice(t, fx)
	duty := onDuty(t, fx, pendingSwapDay)
	staffOn, staffOff := nipKStA, nipKStB
	if duty[nipKStB] {
		staffOn, staffOff = nipKStB, nipKStA
	}
	a := askSwap(t, fx, staffOn, staffOff)
	b := fx.signIn(nipKHead)
	code, body := b.get("/jadwal?bulan=2020-03")
	if code != http.StatusOK || !strings.Contains(body, fmt.Sprintf(`id="tukar-%d"`, a)) || !strings.Contains(body, fmt.Sprintf(`action="/jadwal/tukar/%d/tolak"`, a)) {
		t.Fatalf("pending swap not listed: %d %s", code, excerpt(body))
	}
	decides(t, b, fmt.Sprintf("/jadwal/tukar/%d/tolak", a), nil, fmt.Sprintf("Permintaan tukar piket no. %d ditolak. Jadwal tetap.", a),
		staffOn, fmt.Sprintf("no. %d (Kamis, 19 Maret 2020) ditolak oleh Kepala Kecil", a))
	assertAudit(t, fx, "KECIL", "swap_refuse", staffOn)
	if d := onDuty(t, fx, pendingSwapDay); !d[staffOn] {
		t.Error("the refused swap changed the roster")
	}
	// The only official out for a pelaksana breaks a rule: the admin must confirm.
	c := askSwap(t, fx, nipKEs4, staffOff)
	audits := auditCount(t, fx, "KECIL")
	code, body = b.post(fmt.Sprintf("/jadwal/tukar/%d/setuju", c), nil)
	if code != http.StatusConflict || !strings.Contains(body, "melanggar aturan piket") || !strings.Contains(body, `name="paksa" value="1"`) {
		t.Fatalf("breaking swap without confirmation: %d %s", code, excerpt(body))
	}
	if d := onDuty(t, fx, pendingSwapDay); !d[nipKEs4] || auditCount(t, fx, "KECIL") != audits {
		t.Fatal("the unconfirmed swap changed the roster or was audited")
	}
	code, body = b.post(fmt.Sprintf("/jadwal/tukar/%d/setuju", c), url.Values{"paksa": {"1"}})
	if code != http.StatusOK || !strings.Contains(body, "digantikan oleh") {
		t.Fatalf("confirmed swap: %d %s", code, excerpt(body))
	}
	if d := onDuty(t, fx, pendingSwapDay); d[nipKEs4] || !d[staffOff] {
		t.Errorf("after the swap: %v", d)
	}
	for _, chat := range []string{nipKEs4, staffOff, "grup:KECIL"} {
		if got := outboxTo(t, fx, chat); !strings.Contains(got, "digantikan oleh") {
			t.Errorf("%s not told of the swap:\n%s", chat, got)
		}
	}
	assertAudit(t, fx, "KECIL", "swap_agree", nipKEs4)
	// Decided: the chat's answer on the page and in chat.
	if code, body := b.post(fmt.Sprintf("/jadwal/tukar/%d/tolak", c), nil); code != http.StatusConflict || !strings.Contains(body, "sudah diputuskan sebelumnya") {
		t.Errorf("decided swap refused again: %d %s", code, excerpt(body))
	}
	if got := strings.Join(fx.say(nipKHead, fmt.Sprintf("/setuju %d", a)), "\n"); !strings.Contains(got, "sudah diputuskan sebelumnya") {
		t.Errorf("chat after the dashboard's decision: %q", got)
	}
}

// TestSwapDecidedByThePersonAsked: a supervisor asked to take a duty sees
// the request on the roster page and consents there, as /setuju N.
func TestSwapDecidedByThePersonAsked(t *testing.T) {
	fx := newFx(t, "id")
	out, in := swapPair(t, fx)
	n := askSwap(t, fx, out, in)
	other := fx.signIn(nipSekr)
	if _, body := other.get("/jadwal"); strings.Contains(body, fmt.Sprintf(`id="tukar-%d"`, n)) {
		t.Errorf("a supervisor not asked sees swap %d", n)
	}
	b := fx.signIn(in)
	if _, body := b.get("/jadwal"); !strings.Contains(body, fmt.Sprintf(`id="tukar-%d"`, n)) {
		t.Fatalf("the person asked does not see swap %d: %s", n, excerpt(body))
	}
	code, body := b.post(fmt.Sprintf("/jadwal/tukar/%d/setuju", n), nil)
	if code != http.StatusOK || !strings.Contains(body, "digantikan oleh") {
		t.Fatalf("consent: %d %s", code, excerpt(body))
	}
	if got := outboxTo(t, fx, out); !strings.Contains(got, "digantikan oleh") {
		t.Errorf("requester not told:\n%s", got)
	}
	assertAudit(t, fx, "DISKOMINFO", "swap_agree", in)
}

// decides posts a decision that must be taken: 200 with the chat's
// answer on the page, and told queued to chat.
func decides(t testing.TB, b *browser, path string, form url.Values, answer, chat, told string) {
	t.Helper()
	code, body := b.post(path, form)
	if code != http.StatusOK || !strings.Contains(body, answer) {
		t.Fatalf("POST %s: %d, want 200 with %q: %s", path, code, answer, excerpt(body))
	}
	if got := outboxTo(t, b.f, chat); !strings.Contains(got, told) {
		t.Errorf("POST %s: %s not told %q:\n%s", path, chat, told, got)
	}
}

// fileFlexInStore stores a pending request for one day as the chat would
// (for an office in mode piket, where /wfa is not a request).
func fileFlexInStore(t testing.TB, fx *fx, nip, day string) int64 {
	t.Helper()
	ctx := context.Background()
	p, err := fx.st.StaffByNIP(ctx, nip)
	if err != nil {
		t.Fatal(err)
	}
	d := civil.MustParse(day)
	var id int64
	err = fx.st.Write(ctx, func(tx *store.Tx) error {
		id, err = tx.CreateFlexRequest(ctx, store.FlexRequest{StaffID: p.ID, Kind: "wfa", First: d, Last: d, Reason: "urusan keluarga", Plan: "laporan"},
			p.Office.ID, []store.FlexDay{{Day: d, Capped: true}}, fx.clk.Now(), 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// A day worked away without an approved request shows on a person's
// page as the export shows it, not as a plain WFH.
func TestUnapprovedDayAwayOnPersonPage(t *testing.T) {
	fx := newFlexFx(t, "id")
	fx.say(nipSari, "hadir wfh sehat")
	code, body := fx.signIn(nipSekr).get("/pegawai/" + nipSari)
	if code != http.StatusOK || !strings.Contains(body, "WFH tanpa persetujuan") {
		t.Errorf("person page: %d, no \"WFH tanpa persetujuan\": %s", code, excerpt(body))
	}
}
