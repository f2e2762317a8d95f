package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTodayBoard: counts and names by status, who is out with the ack
// state, in the viewer's zone and day.
func TestTodayBoard(t *testing.T) {
	fx := newFx(t, "id")
	fx.say(nipSari, "hadir wfh, sehat")
	fx.say(nipSari, "/keluar antar ibu kontrol, 1 jam")
	fx.say(nipEka, "sakit demam")
	fx.clk.Advance(45 * time.Minute) // 08:15 WITA: late
	fx.say(nipKabid, "hadir kantor")
	b := fx.signIn(nipHead)
	_, body := b.get("/hari-ini")
	for _, want := range []string{
		`id="jumlah-hadir">2<`, `id="jumlah-belum">27<`,
		"WFH (1)</dt><dd>Ni Made Sari", "kantor (1)</dt><dd>I Made Agus Wiryawan", "Terlambat (1)</dt><dd>I Made Agus Wiryawan",
		"Sakit (1)</dt><dd>I Putu Eka Saputra", "08.15 WITA", "antar ibu kontrol", "<strong>belum</strong>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
}

// TestLeaveTimeline: the alert and the escalation when nobody answers,
// then the acknowledgement and the return.
func TestLeaveTimeline(t *testing.T) {
	fx := newFx(t, "id")
	fx.say(nipSari, "/keluar antar ibu kontrol, 1 jam")
	fx.clk.Advance(20 * time.Minute)
	if err := fx.svc.LeaveTick(context.Background(), fx.clk.Now()); err != nil {
		t.Fatal(err)
	}
	b := fx.signIn(nipHead)
	_, body := b.get("/keluar-rumah")
	for _, want := range []string{"Diteruskan kepada Ni Made Dwi Lestari", "Eskalasi kepada Ni Luh Putu Ariyani", "Terima laporan"} {
		if !strings.Contains(body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	b.post("/keluar-rumah/1/terima", nil)
	fx.say(nipSari, "/kembali")
	_, body = b.get("/keluar-rumah")
	if !strings.Contains(body, "Diterima oleh I Wayan Sudarsana") || !strings.Contains(body, "Kembali di rumah") || strings.Contains(body, ">Terima laporan<") {
		t.Errorf("after ack and return: %s", excerpt(body))
	}
}

var (
	fieldRE = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	idRE    = regexp.MustCompile(`\bid="([^"]+)"`)
)

// TestFormsLabelled: every visible field of every page has a label
// (<label for=…> or a wrapping label), and the page has its language,
// a skip link and one h1.
func TestFormsLabelled(t *testing.T) {
	fx := newFx(t, "id")
	fx.say(nipSari, "/keluar antar ibu kontrol, 1 jam")
	out, in := swapPair(t, fx) // a pending swap request and a flexible-work request to decide
	askSwap(t, fx, out, in)
	fileFlexInStore(t, fx, nipSari, "2020-03-20")
	b := fx.signIn(nipHead)
	for _, p := range []string{"/hari-ini", "/pegawai", "/pegawai/" + nipSari, "/keluar-rumah", "/jadwal", "/kantor", "/kantor/pegawai/" + nipSari, "/ekspor", "/pengajuan"} {
		code, body := b.get(p)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", p, code)
		}
		if !strings.Contains(body, `<html lang="id">`) || !strings.Contains(body, `class="skip" href="#isi"`) || strings.Count(body, "<h1>") != 1 {
			t.Errorf("%s: no lang, skip link or single h1", p)
		}
		for _, loc := range fieldRE.FindAllStringIndex(body, -1) {
			tag := body[loc[0]:loc[1]]
			if strings.Contains(tag, `type="hidden"`) {
				continue
			}
			wrapped := strings.LastIndex(body[:loc[0]], "<label") > strings.LastIndex(body[:loc[0]], "</label>")
			if m := idRE.FindStringSubmatch(tag); (m == nil || !strings.Contains(body, `for="`+m[1]+`"`)) && !wrapped {
				t.Errorf("%s: field without a label: %s", p, tag)
			}
		}
	}
}
