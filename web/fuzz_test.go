package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzRequest sends hostile paths, queries and form bodies, as a signed-in
// admin with a valid CSRF token, to every route: no answer is a server
// error, and nothing reaches another office.
func FuzzRequest(f *testing.F) {
	for _, s := range []string{
		"/pegawai/199203142015032001?dari=2020-03-01&sampai=2020-03-31", "/jadwal?bulan=2020-02", "/ekspor/unduh?bulan=2020-03&format=csv",
		"/pegawai?q=%00%ff", "/pegawai/../kantor", "/jadwal?bulan=9999-99", "/keluar-rumah/99999999999999999999/terima",
		"/pegawai/196904121994031006", "/kantor/pegawai/%2e%2e", "/pegawai/199203142015032001?dari=0001-01-01&sampai=9999-12-31",
	} {
		f.Add("GET", s, "")
		f.Add("POST", s, "tanggal=2020-03-19&keluar=199203142015032001&masuk=196904121994031006&paksa=1")
	}
	f.Add("POST", "/jadwal/tukar", "tanggal=2020-02-30&keluar=x&masuk=y")
	for _, s := range []string{"/pengajuan/1/setujui", "/pengajuan/1/tolak", "/pengajuan/0/tolak", "/pengajuan/-1/setujui", "/pengajuan/99999999999999999999/tolak",
		"/jadwal/tukar/1/setuju", "/jadwal/tukar/1/tolak", "/jadwal/tukar/%31/setuju", "/jadwal/tukar/1%2F/tolak"} {
		f.Add("POST", s, "alasan=rapat%0D%0Aevaluasi&paksa=1")
		f.Add("POST", s, "alasan=%ff%fe%00&paksa=0")
	}
	f.Add("GET", "/pengajuan", "")
	f.Add("POST", "/pengajuan/1/tolak", "alasan="+strings.Repeat("x", 600))
	f.Add("POST", "/kantor/pegawai", "nip=%27%3B--&nama=%3Cscript%3E&jabatan=eselon9&telepon=%2B")
	f.Add("POST", "/kantor/pegawai/199203142015032001", "nama=&jabatan=pelaksana&atasan=199203142015032001")
	fx := newFx(f, "id")
	// A pending swap request (1) and a flexible-work request (1) to decide.
	out, in := swapPair(f, fx)
	askSwap(f, fx, out, in)
	fileFlexInStore(f, fx, nipSari, "2020-03-20")
	b := fx.signIn(nipHead)
	cookies := b.c.Jar.Cookies(mustURL(fx.srv.URL))
	f.Fuzz(func(t *testing.T, method, target, body string) {
		if method != "GET" {
			method = "POST"
		}
		if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/keluar?") || target == "/keluar" {
			return // not a path of this server; sign out ends the session
		}
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form.Set("csrf", b.csrf)
		// httptest.NewRequest parses "METHOD target HTTP/1.0" and panics on
		// a target with a space in it; build the request around the
		// parsed URL instead, a superset of what net/http's server would
		// hand the handler.
		req := httptest.NewRequest(method, "/", strings.NewReader(form.Encode()))
		req.URL, req.RequestURI = u, target
		if method == "POST" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		fx.web.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", method, target, body, rec.Code, excerpt(rec.Body.String()))
		}
		if rec.Code == http.StatusOK && strings.Contains(rec.Body.String(), "Yayan Sofyan") {
			t.Fatalf("%s %s: another office's person shown", method, target)
		}
	})
}
