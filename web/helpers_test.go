package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/clock"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/staffimport"
	"github.com/piket-id/piket/store"
	"github.com/piket-id/piket/web"
)

// People of the sample staff (sample/staff.csv).
const (
	nipHead    = "197008141995031004" // I Wayan Sudarsana, DISKOMINFO head, admin
	nipSekr    = "197605122000122002" // Ni Luh Putu Ariyani, Sekretariat, above Ni Made Sari
	nipKabid   = "197803252003121005" // I Made Agus Wiryawan, Aplikasi Informatika (not above Sari)
	nipSari    = "199203142015032001" // Ni Made Sari, pelaksana, Sekretariat
	nipEka     = "198501152010011014" // I Putu Eka Saputra, Aplikasi Informatika
	nipBKHead  = "196904121994031006" // H. Asep Saepudin, BKPSDM head, admin
	nipBKYayan = "198108172006041003" // Yayan Sofyan, BKPSDM
)

// consoleAddr is the console's addressing without a terminal.
type consoleAddr struct{}

func (consoleAddr) Platform() bot.Platform       { return bot.Console }
func (consoleAddr) PersonChat(nip string) string { return nip }
func (consoleAddr) GroupChat(code string) string { return "grup:" + code }
func (consoleAddr) TrustsSender() bool           { return true }

var wita = mustLoc("Asia/Makassar")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// fx is the dashboard on a real SQLite file with the sample staff, a
// frozen clock, the real core service, and an httptest server.
type fx struct {
	t     testing.TB
	st    *store.Store
	svc   *bot.Service
	clk   *clock.Sim
	srv   *httptest.Server
	web   *web.Server
	seq   int
	lang  string
	start time.Time
}

func newFx(t testing.TB, lang string) *fx {
	t.Helper()
	return newFxWith(t, lang, nil)
}

// newFlexFx is newFx with DISKOMINFO in mode fleksibel (no lead time, no
// quota), as offices.CODE.mode: fleksibel configures it.
func newFlexFx(t testing.TB, lang string) *fx {
	t.Helper()
	return newFxWith(t, lang, func(code string) bot.OfficePolicy {
		p := bot.OfficePolicy{Deadline: 8 * 60}
		if code == "DISKOMINFO" {
			p.Flex.Enabled = true
		}
		return p
	})
}

// newFxWith is newFx with the offices' policy (nil: the default).
func newFxWith(t testing.TB, lang string, policy func(string) bot.OfficePolicy) *fx {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "piket.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	recs, rowErrs, err := staff.ReadCSV(bytes.NewReader(sample.StaffCSV()))
	if err != nil {
		t.Fatal(err)
	}
	_, rowErrs, err = staffimport.Apply(ctx, st, recs, rowErrs, staffimport.Settings{DefaultTZ: "Asia/Jakarta",
		OfficeTZ: map[string]string{"DISKOMINFO": "Asia/Makassar"}, Now: time.Date(2020, 3, 16, 7, 0, 0, 0, wita)})
	if err != nil || len(rowErrs) > 0 {
		t.Fatalf("import sample: %v %v", err, rowErrs)
	}
	f := &fx{t: t, st: st, lang: lang, start: time.Date(2020, 3, 18, 7, 30, 0, 0, wita)}
	f.clk = clock.NewFrozen(f.start)
	var h http.Handler = http.NotFoundHandler()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(f.srv.Close)
	f.svc = bot.New(bot.Options{Store: st, Texts: bot.TextsFor(lang), Clock: f.clk.Now,
		Implicit: []bot.Addresser{consoleAddr{}}, DashboardURL: f.srv.URL, Policy: policy})
	f.web, err = web.New(web.Options{Store: st, Service: f.svc, Clock: f.clk.Now, BaseURL: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	h = f.web
	return f
}

// say sends text on the console as nip, privately, and returns the
// texts queued to nip's chat since.
func (f *fx) say(nip, text string) []string {
	f.t.Helper()
	ctx := context.Background()
	before, err := f.st.PendingOutbox(ctx, 100000)
	if err != nil {
		f.t.Fatal(err)
	}
	f.seq++
	m := bot.Inbound{Platform: bot.Console, MessageID: "web-test-" + time.Now().Format("150405.000000000") + "-" + string(rune('a'+f.seq%26)),
		SenderID: nip, ChatID: nip, Text: text, Time: f.clk.Now(), Addressed: true}
	if err := f.svc.Handle(ctx, m); err != nil {
		f.t.Fatalf("say %q: %v", text, err)
	}
	after, err := f.st.PendingOutbox(ctx, 100000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, p := range after[len(before):] {
		if p.ChatID == nip {
			out = append(out, p.Text)
		}
	}
	return out
}

var tokenRE = regexp.MustCompile(`/masuk\?t=([A-Za-z0-9_-]+)`)

// link asks the bot for nip's sign-in link and returns its token.
func (f *fx) link(nip string) string {
	f.t.Helper()
	for _, r := range f.say(nip, "/dasbor") {
		if m := tokenRE.FindStringSubmatch(r); m != nil {
			return m[1]
		}
	}
	f.t.Fatalf("no sign-in link for %s", nip)
	return ""
}

// browser is one browser: a cookie jar, redirects not followed.
type browser struct {
	f    *fx
	c    *http.Client
	csrf string
}

func (f *fx) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) (int, string, http.Header) {
	b.f.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfRE.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return res.StatusCode, string(body), res.Header
}

func (b *browser) get(path string) (int, string) {
	b.f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	code, body, _ := b.do(req)
	return code, body
}

// post posts a form with the browser's CSRF token (unless form has one).
func (b *browser) post(path string, form url.Values) (int, string) {
	b.f.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok && b.csrf != "" {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	code, body, _ := b.do(req)
	return code, body
}

// upload posts a file as the import form does.
func (b *browser) upload(path, name, content string, fields url.Values) (int, string) {
	b.f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if b.csrf != "" {
		_ = mw.WriteField("csrf", b.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("berkas", name)
	_, _ = io.WriteString(fw, content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.f.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	code, body, _ := b.do(req)
	return code, body
}

// signIn opens nip's link in a new browser and presses Masuk.
func (f *fx) signIn(nip string) *browser {
	f.t.Helper()
	b := f.browser()
	b.useLink(f.link(nip), http.StatusSeeOther)
	if code, body := b.get("/hari-ini"); code != http.StatusOK {
		f.t.Fatalf("after sign-in: %d %s", code, body)
	}
	return b
}

// useLink opens a link as a browser does (it signs in at once) and
// checks the status.
func (b *browser) useLink(token string, want int) string {
	b.f.t.Helper()
	code, body := b.get("/masuk?t=" + token)
	if code != want {
		b.f.t.Fatalf("GET /masuk: %d, want %d: %s", code, want, body)
	}
	return body
}

// pressMasuk opens a link as a chat app's preview does (nothing is
// used), then presses the page's Masuk button.
func (b *browser) pressMasuk(token string, want int) string {
	b.f.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.f.srv.URL+"/masuk?t="+token, nil)
	req.Header.Set("User-Agent", "TelegramBot (like TwitterBot)")
	if code, body, _ := b.do(req); code != http.StatusOK || !strings.Contains(body, `name="t"`) {
		b.f.t.Fatalf("preview of /masuk: %d %s", code, body)
	}
	code, body := b.post("/masuk", url.Values{"t": {token}})
	if code != want {
		b.f.t.Fatalf("POST /masuk: %d, want %d: %s", code, want, body)
	}
	return body
}
