package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// ok in the table: authorized (the request may still be refused for its
// content, e.g. a swap of someone not on duty), never 401, 403 or 404.
const ok = 0

// TestRouteAuthorization sends every route as every kind of person and
// checks the status: nobody signed in, the office admin, a supervisor
// (the person's chain), a supervisor of another chain in the same office,
// and another office's admin. Another office's data is 404, as if it did
// not exist; admin pages are 403 for supervisors.
func TestRouteAuthorization(t *testing.T) {
	roles := []struct {
		name string
		nip  string // "" not signed in
	}{
		{"anonymous", ""},
		{"admin", nipHead},
		{"supervisor", nipSekr},
		{"other chain", nipKabid},
		{"other office admin", nipBKHead},
	}
	type route struct {
		method, path string
		form         url.Values
		upload       string // file content for the import
		want         [5]int // per role, in the order above
	}
	const (
		u = http.StatusUnauthorized
		f = http.StatusForbidden
		n = http.StatusNotFound
		y = http.StatusOK
	)
	sariFile := "nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran\n" +
		nipSari + ",Ni Made Sari,DISKOMINFO,Sekretariat,pelaksana,198204102008012011,0812-3841-1414,\n"
	for _, r := range roles {
		t.Run(r.name, func(t *testing.T) {
			fx := newFx(t, "id")
			// Sari checked in and is out of home: report 1.
			fx.say(nipSari, "hadir wfh, sehat, menyusun laporan")
			fx.say(nipSari, "/keluar antar ibu kontrol ke rumah sakit, 2 jam")
			reports, err := fx.st.LeavesSince(context.Background(), fx.start.Add(-time.Hour))
			if err != nil || len(reports) != 1 {
				t.Fatalf("leave reports %v %v", reports, err)
			}
			rep := reports[0].ID
			tomorrow := "2020-03-19"
			routes := []route{
				{"GET", "/hari-ini", nil, "", [5]int{u, y, y, y, y}},
				{"GET", "/pegawai", nil, "", [5]int{u, y, y, y, y}},
				{"GET", "/pegawai/" + nipSari, nil, "", [5]int{u, y, y, n, n}},
				{"GET", "/pegawai/" + nipSari + "?dari=2020-03-01&sampai=2020-03-31", nil, "", [5]int{u, y, y, n, n}},
				{"GET", "/pegawai/" + nipBKYayan, nil, "", [5]int{u, n, n, n, y}},
				{"GET", "/keluar-rumah", nil, "", [5]int{u, y, y, y, y}},
				{"GET", "/jadwal", nil, "", [5]int{u, y, y, y, y}},
				{"GET", "/jadwal?bulan=2020-04", nil, "", [5]int{u, y, y, y, y}},
				{"GET", "/kantor", nil, "", [5]int{u, y, f, f, y}},
				{"GET", "/kantor/pegawai/" + nipSari, nil, "", [5]int{u, y, f, f, n}},
				{"GET", "/ekspor", nil, "", [5]int{u, y, f, f, y}},
				{"GET", "/ekspor/unduh?bulan=2020-03&format=csv", nil, "", [5]int{u, y, f, f, y}},
				{"GET", "/ekspor/unduh?bulan=2020-03&format=xlsx", nil, "", [5]int{u, y, f, f, y}},
				{"POST", fmt.Sprintf("/keluar-rumah/%d/terima", rep), url.Values{}, "", [5]int{u, y, y, n, n}},
				{"POST", "/jadwal/tukar", url.Values{"tanggal": {tomorrow}, "keluar": {nipSari}, "masuk": {nipEka}}, "", [5]int{u, ok, f, f, n}},
				{"POST", "/kantor/pegawai/" + nipSari, url.Values{"nama": {"Ni Made Sari"}, "bidang": {"Sekretariat"}, "jabatan": {"pelaksana"},
					"atasan": {"198204102008012011"}, "telepon": {"0812-3841-1414"}}, "", [5]int{u, y, f, f, n}},
				{"POST", "/kantor/pegawai", url.Values{"nip": {"199506152019032001"}, "nama": {"Putu Baru"}, "jabatan": {"pelaksana"}}, "", [5]int{u, y, f, f, y}},
				{"POST", "/kantor/impor", nil, sariFile, [5]int{u, y, f, f, http.StatusUnprocessableEntity}},
				{"POST", "/kantor/pegawai/" + nipSari + "/nonaktif", url.Values{}, "", [5]int{u, y, f, f, n}},
			}
			idx := 0
			for i, rr := range roles {
				if rr.name == r.name {
					idx = i
				}
			}
			b := fx.browser()
			if r.nip != "" {
				b = fx.signIn(r.nip)
			}
			for _, rt := range routes {
				var code int
				var body string
				switch {
				case rt.upload != "":
					code, body = b.upload(rt.path, "pegawai.csv", rt.upload, nil)
				case rt.method == "POST":
					code, body = b.post(rt.path, rt.form)
				default:
					code, body = b.get(rt.path)
				}
				want := rt.want[idx]
				if want == ok {
					if code == u || code == f || code == n || code >= 500 {
						t.Errorf("%s %s: %d, want an authorized answer: %s", rt.method, rt.path, code, excerpt(body))
					}
					continue
				}
				if code != want {
					t.Errorf("%s %s: %d, want %d: %s", rt.method, rt.path, code, want, excerpt(body))
				}
			}
		})
	}
}

// TestScopeShowsOnlyOwnPeople: what each page lists stays in scope.
func TestScopeShowsOnlyOwnPeople(t *testing.T) {
	fx := newFx(t, "id")
	fx.say(nipSari, "hadir wfh, sehat, menyusun laporan")
	fx.say(nipEka, "hadir kantor")
	fx.say(nipBKYayan, "hadir")
	for _, tt := range []struct {
		nip, path  string
		has, hasnt []string
	}{
		{nipHead, "/hari-ini", []string{"Ni Made Sari", "I Putu Eka Saputra"}, []string{"Yayan Sofyan"}},
		{nipSekr, "/hari-ini", []string{"Ni Made Sari"}, []string{"I Putu Eka Saputra", "Yayan Sofyan", "I Wayan Sudarsana"}},
		{nipKabid, "/pegawai", []string{"I Putu Eka Saputra"}, []string{"Ni Made Sari", "Yayan Sofyan"}},
		{nipBKHead, "/hari-ini", []string{"Yayan Sofyan"}, []string{"Ni Made Sari", "I Putu Eka Saputra"}},
		{nipBKHead, "/pegawai", []string{"Yayan Sofyan"}, []string{"Ni Made Sari"}},
		{nipBKHead, "/kantor", []string{"Yayan Sofyan"}, []string{"Ni Made Sari"}},
		{nipBKHead, "/jadwal", []string{"BKPSDM"}, []string{"Ni Made Sari"}},
	} {
		b := fx.signIn(tt.nip)
		code, body := b.get(tt.path)
		if code != http.StatusOK {
			t.Fatalf("%s %s: %d", tt.nip, tt.path, code)
		}
		for _, s := range tt.has {
			if !strings.Contains(body, s) {
				t.Errorf("%s %s: %q missing", tt.nip, tt.path, s)
			}
		}
		for _, s := range tt.hasnt {
			if strings.Contains(body, s) {
				t.Errorf("%s %s: shows %q, out of scope", tt.nip, tt.path, s)
			}
		}
	}
}

// TestStaffGetNoLink: /dasbor is refused to staff without subordinates,
// so they never get a session.
func TestStaffGetNoLink(t *testing.T) {
	fx := newFx(t, "id")
	for _, r := range fx.say(nipSari, "/dasbor") {
		if strings.Contains(r, "/masuk?t=") {
			t.Fatalf("staff got a link: %q", r)
		}
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, `role="alert"`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
