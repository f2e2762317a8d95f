package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/web"
)

// TestSignInLink: a link works once, within 10 minutes, for the person
// it was sent to, and opening it (a chat app's preview) uses nothing.
func TestSignInLink(t *testing.T) {
	t.Run("used once", func(t *testing.T) {
		fx := newFx(t, "id")
		token := fx.link(nipHead)
		b := fx.browser()
		b.useLink(token, http.StatusSeeOther)
		body := fx.browser().useLink(token, http.StatusGone)
		if !strings.Contains(body, "sudah dipakai") {
			t.Errorf("reused link: %s", excerpt(body))
		}
		if code, _ := b.get("/hari-ini"); code != http.StatusOK {
			t.Errorf("the first browser's session: %d", code)
		}
		// The Masuk button of the page a link preview gets: once too.
		token = fx.link(nipHead)
		fx.browser().pressMasuk(token, http.StatusSeeOther)
		fx.browser().pressMasuk(token, http.StatusGone)
	})
	t.Run("preview uses nothing", func(t *testing.T) {
		fx := newFx(t, "id")
		token := fx.link(nipHead)
		for _, ua := range []string{"TelegramBot (like TwitterBot)", "WhatsApp/2.23.20.0", "facebookexternalhit/1.1", "Slackbot-LinkExpanding 1.0"} {
			req, _ := http.NewRequest(http.MethodGet, fx.srv.URL+"/masuk?t="+token, nil)
			req.Header.Set("User-Agent", ua)
			if code, body, h := fx.browser().do(req); code != http.StatusOK || h.Get("Set-Cookie") != "" || !strings.Contains(body, "Masuk") {
				t.Errorf("%s: %d %v", ua, code, h)
			}
		}
		req, _ := http.NewRequest(http.MethodHead, fx.srv.URL+"/masuk?t="+token, nil)
		if code, _, h := fx.browser().do(req); code != http.StatusOK || h.Get("Set-Cookie") != "" {
			t.Errorf("HEAD: %d %v", code, h)
		}
		fx.browser().useLink(token, http.StatusSeeOther)
	})
	t.Run("expired", func(t *testing.T) {
		fx := newFx(t, "id")
		token := fx.link(nipHead)
		fx.clk.Advance(bot.DashboardLinkTTL + time.Second)
		body := fx.browser().useLink(token, http.StatusGone)
		if !strings.Contains(body, "kedaluwarsa") {
			t.Errorf("expired link: %s", excerpt(body))
		}
		// Just inside the time it still works.
		token = fx.link(nipHead)
		fx.clk.Advance(bot.DashboardLinkTTL - time.Second)
		fx.browser().useLink(token, http.StatusSeeOther)
	})
	t.Run("unknown", func(t *testing.T) {
		fx := newFx(t, "id")
		fx.link(nipHead)
		fx.browser().useLink(bot.NewWebToken(), http.StatusNotFound)
		fx.browser().pressMasuk(bot.NewWebToken(), http.StatusNotFound)
		if code, _ := fx.browser().get("/masuk"); code != http.StatusNotFound {
			t.Errorf("GET /masuk without a token: %d", code)
		}
	})
	t.Run("wrong person", func(t *testing.T) {
		fx := newFx(t, "id")
		// The browser is signed in as the BKPSDM admin; Sari's supervisor's
		// link signs in her supervisor, never the link's opener, and ends
		// the other session.
		b := fx.signIn(nipBKHead)
		old := b.c.Jar.Cookies(mustURL(fx.srv.URL))
		b.useLink(fx.link(nipSekr), http.StatusSeeOther)
		code, body := b.get("/hari-ini")
		if code != http.StatusOK || !strings.Contains(body, "Ni Luh Putu Ariyani") || strings.Contains(body, "Saepudin") {
			t.Fatalf("after the other link: %d, want Ariyani's board: %s", code, excerpt(body))
		}
		stale := fx.browser()
		stale.c.Jar.SetCookies(mustURL(fx.srv.URL), old)
		if code, _ := stale.get("/hari-ini"); code != http.StatusUnauthorized {
			t.Errorf("the replaced session still works: %d", code)
		}
		// The link is bound to the person at the time of use too: a
		// supervisor deactivated after asking gets no session.
		token := fx.link(nipKabid)
		if _, err := fx.st.DeactivateStaff(context.Background(), nipKabid, fx.clk.Now()); err != nil {
			t.Fatal(err)
		}
		body = fx.browser().useLink(token, http.StatusForbidden)
		if !strings.Contains(body, "atasan dan admin") {
			t.Errorf("deactivated: %s", excerpt(body))
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestCSRF: every form post needs the session's own token.
func TestCSRF(t *testing.T) {
	fx := newFx(t, "id")
	fx.say(nipSari, "/keluar antar ibu kontrol, 1 jam")
	admin := fx.signIn(nipHead)
	other := fx.signIn(nipSekr)
	for _, tt := range []struct {
		name  string
		token string
		want  int
	}{
		{"missing", "", http.StatusForbidden},
		{"wrong", bot.NewWebToken(), http.StatusForbidden},
		{"another session's", other.csrf, http.StatusForbidden},
		{"own", admin.csrf, http.StatusOK},
	} {
		code, body := admin.post("/keluar-rumah/1/terima", url.Values{"csrf": {tt.token}})
		if code != tt.want {
			t.Errorf("%s token: %d, want %d: %s", tt.name, code, tt.want, excerpt(body))
		}
	}
	// The refused posts changed nothing: one acknowledgement, by the admin.
	code, body := admin.get("/keluar-rumah")
	if code != http.StatusOK || strings.Count(body, "Diterima oleh I Wayan Sudarsana") != 1 {
		t.Errorf("after the posts: %d %s", code, excerpt(body))
	}
	// Sign out needs it too.
	if code, _ := admin.post("/keluar", url.Values{"csrf": {"x"}}); code != http.StatusForbidden {
		t.Errorf("sign out without the token: %d", code)
	}
}

// TestSessionExpiry: a session lasts 12 hours by default and ends with
// Keluar; the cookie is HttpOnly, SameSite=Lax, Secure behind https.
func TestSessionExpiry(t *testing.T) {
	fx := newFx(t, "id")
	b := fx.signIn(nipHead)
	fx.clk.Advance(12*time.Hour - time.Minute)
	if code, _ := b.get("/hari-ini"); code != http.StatusOK {
		t.Fatalf("within 12 h: %d", code)
	}
	fx.clk.Advance(2 * time.Minute)
	if code, _ := b.get("/hari-ini"); code != http.StatusUnauthorized {
		t.Errorf("after 12 h: %d, want 401", code)
	}
	b = fx.signIn(nipHead)
	if code, body := b.post("/keluar", nil); code != http.StatusOK || !strings.Contains(body, "sudah keluar") {
		t.Fatalf("sign out: %d %s", code, excerpt(body))
	}
	if code, _ := b.get("/hari-ini"); code != http.StatusUnauthorized {
		t.Errorf("after sign out: %d, want 401", code)
	}
	if err := fx.web.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	// A signed-in supervisor deactivated meanwhile loses access at once.
	b = fx.signIn(nipSekr)
	if _, err := fx.st.DeactivateStaff(context.Background(), nipSekr, fx.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if code, _ := b.get("/hari-ini"); code != http.StatusForbidden {
		t.Errorf("deactivated while signed in: %d, want 403", code)
	}
}

// TestTodayRefreshes: the board reloads itself every minute; other pages
// do not (a half-filled form must not be lost).
func TestTodayRefreshes(t *testing.T) {
	fx := newFx(t, "id")
	b := fx.signIn(nipHead)
	const refresh = `<meta http-equiv="refresh" content="60">`
	if _, body := b.get("/hari-ini"); !strings.Contains(body, refresh) {
		t.Error("Hari ini does not refresh itself")
	}
	for _, p := range []string{"/pegawai", "/jadwal", "/kantor", "/ekspor", "/keluar-rumah"} {
		if _, body := b.get(p); strings.Contains(body, refresh) {
			t.Errorf("%s refreshes itself", p)
		}
	}
}

func TestCookieAttributes(t *testing.T) {
	for _, base := range []string{"https://piket.example.go.id", "http://127.0.0.1:8080"} {
		fx := newFx(t, "id")
		w, err := web.New(web.Options{Store: fx.st, Service: fx.svc, Clock: fx.clk.Now, BaseURL: base, SessionTTL: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		token := fx.link(nipHead)
		req := httptest.NewRequest(http.MethodPost, "/masuk", strings.NewReader(url.Values{"t": {token}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		w.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%s: sign in %d", base, rec.Code)
		}
		c := rec.Result().Cookies()
		if len(c) != 1 {
			t.Fatalf("%s: cookies %v", base, c)
		}
		if !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode || c[0].Secure != strings.HasPrefix(base, "https") || c[0].MaxAge != 3600 {
			t.Errorf("%s: cookie %+v", base, c[0])
		}
		if h := rec.Header().Get("Content-Security-Policy"); !strings.Contains(h, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", base, h)
		}
	}
}
