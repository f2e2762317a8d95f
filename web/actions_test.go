package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/export"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/staffimport"
)

// A small office, so the roster is known: the head (fixed), one
// eselon IV and two pelaksana; each day one official and one pelaksana.
const (
	nipKHead = "197501012000011001"
	nipKEs4  = "198001012005011002"
	nipKStA  = "199001012015011003"
	nipKStB  = "199101012016012004"
)

func addSmallOffice(t *testing.T, fx *fx) {
	t.Helper()
	csv := "nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran\n" +
		nipKHead + ",Kepala Kecil,KECIL,,eselon2,,,admin\n" +
		nipKEs4 + ",Kasi Kecil,KECIL,Umum,eselon4," + nipKHead + ",,\n" +
		nipKStA + ",Staf Satu,KECIL,Umum,pelaksana," + nipKEs4 + ",,\n" +
		nipKStB + ",Staf Dua,KECIL,Umum,pelaksana," + nipKEs4 + ",,\n"
	recs, rowErrs, err := staff.ReadCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if _, rowErrs, err = staffimport.Apply(context.Background(), fx.st, recs, rowErrs, staffimport.Settings{DefaultTZ: "Asia/Makassar", Now: fx.start.Add(-48 * time.Hour)}); err != nil || len(rowErrs) > 0 {
		t.Fatalf("import: %v %v", err, rowErrs)
	}
}

// onDuty returns the rotating people on duty on a day, by NIP.
func onDuty(t *testing.T, fx *fx, day string) map[string]bool {
	t.Helper()
	d := civil.MustParse(day)
	days, err := fx.svc.RosterMonth(context.Background(), "KECIL", d, d)
	if err != nil || len(days) != 1 {
		t.Fatalf("roster %s: %v %v", day, days, err)
	}
	out := map[string]bool{}
	for _, p := range days[0].People {
		if !p.Fixed {
			out[p.NIP] = true
		}
	}
	return out
}

// TestSwapGoesThroughTheRosterRules: the swap form is piket roster swap:
// the same coverage refusal, made only when the admin confirms it, the
// same messages to both people, and an audit row.
func TestSwapGoesThroughTheRosterRules(t *testing.T) {
	fx := newFx(t, "id")
	addSmallOffice(t, fx)
	b := fx.signIn(nipKHead)
	duty := onDuty(t, fx, "2020-03-19")
	if !duty[nipKEs4] || len(duty) != 2 {
		t.Fatalf("duty on the 19th: %v", duty)
	}
	staffOn, staffOff := nipKStA, nipKStB
	if duty[nipKStB] {
		staffOn, staffOff = nipKStB, nipKStA
	}
	// Not on duty, already on duty, a past day: refused, nothing changes.
	for _, tt := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"tanggal": {"2020-03-19"}, "keluar": {staffOff}, "masuk": {staffOn}}, "tidak terjadwal piket"},
		{url.Values{"tanggal": {"2020-03-19"}, "keluar": {staffOn}, "masuk": {nipKEs4}}, "sudah terjadwal piket"},
		{url.Values{"tanggal": {"2020-03-17"}, "keluar": {staffOn}, "masuk": {staffOff}}, "sudah lewat"},
		{url.Values{"tanggal": {"2020-03-21"}, "keluar": {staffOn}, "masuk": {staffOff}}, "bukan hari kerja"},
		{url.Values{"tanggal": {"2020-03-19"}, "keluar": {staffOn}, "masuk": {nipSari}}, "tidak ditemukan"},
	} {
		code, body := b.post("/jadwal/tukar", tt.form)
		if code == http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("%v: %d, want a refusal with %q: %s", tt.form, code, tt.want, excerpt(body))
		}
	}
	// The only official out for a pelaksana breaks "at least one official".
	form := url.Values{"tanggal": {"2020-03-19"}, "keluar": {nipKEs4}, "masuk": {staffOff}}
	code, body := b.post("/jadwal/tukar", form)
	if code != http.StatusConflict || !strings.Contains(body, "melanggar aturan piket") || !strings.Contains(body, `name="paksa"`) {
		t.Fatalf("breaking swap: %d %s", code, excerpt(body))
	}
	if d := onDuty(t, fx, "2020-03-19"); !d[nipKEs4] {
		t.Fatal("the refused swap changed the roster")
	}
	form.Set("paksa", "1")
	code, body = b.post("/jadwal/tukar", form)
	if code != http.StatusOK || !strings.Contains(body, "digantikan oleh") {
		t.Fatalf("confirmed swap: %d %s", code, excerpt(body))
	}
	if d := onDuty(t, fx, "2020-03-19"); d[nipKEs4] || !d[staffOff] {
		t.Errorf("after the swap: %v", d)
	}
	// Both people are told, as piket roster swap tells them.
	pending, err := fx.st.PendingOutbox(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	told := map[string]bool{}
	for _, p := range pending {
		if strings.Contains(p.Text, "digantikan oleh") {
			told[p.ChatID] = true
		}
	}
	if !told[nipKEs4] || !told[staffOff] || !told["grup:KECIL"] {
		t.Errorf("told %v, want both people and the group", told)
	}
	assertAudit(t, fx, "KECIL", "swap", nipKEs4)
}

// assertAudit checks the office's latest audit entry.
func assertAudit(t *testing.T, fx *fx, office, action, detail string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := fx.st.DB().QueryRowContext(ctx, `SELECT id FROM offices WHERE code = ?`, office).Scan(&id); err != nil {
		t.Fatal(err)
	}
	log, err := fx.st.AuditLog(ctx, id, 1)
	if err != nil || len(log) != 1 {
		t.Fatalf("audit of %s: %v %v", office, log, err)
	}
	e := log[0]
	if e.Action != action || !strings.Contains(e.Detail, detail) || e.StaffID == 0 || !e.At.Equal(fx.clk.Now()) {
		t.Errorf("audit %+v, want %s with %q now", e, action, detail)
	}
}

// TestImportPreviewThenApply: an upload is a dry run first; applying it
// writes and audits; bad rows import nothing.
func TestImportPreviewThenApply(t *testing.T) {
	fx := newFx(t, "id")
	addSmallOffice(t, fx)
	b := fx.signIn(nipKHead)
	file := "nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran\n" +
		nipKStA + ",Staf Satu Baru,KECIL,Umum,pelaksana," + nipKEs4 + ",,\n" +
		"199203032018011005,Staf Tiga,KECIL,Umum,pelaksana," + nipKEs4 + ",0812-1111-2222,\n"
	code, body := b.upload("/kantor/impor", "pegawai.csv", file, nil)
	if code != http.StatusOK || !strings.Contains(body, "1 ditambah, 1 diperbarui") || !strings.Contains(body, "Staf Tiga") {
		t.Fatalf("preview: %d %s", code, excerpt(body))
	}
	if _, err := fx.st.StaffByNIP(context.Background(), "199203032018011005"); err == nil {
		t.Fatal("the preview wrote")
	}
	i := strings.Index(body, `action="/kantor/impor/`)
	if i < 0 {
		t.Fatal("no apply form")
	}
	apply := body[i+len(`action="`):]
	apply = apply[:strings.IndexByte(apply, '"')]
	code, body = b.post(apply, nil)
	if code != http.StatusOK || !strings.Contains(body, "Impor selesai") {
		t.Fatalf("apply: %d %s", code, excerpt(body))
	}
	p, err := fx.st.StaffByNIP(context.Background(), nipKStA)
	if err != nil || p.Name != "Staf Satu Baru" {
		t.Errorf("after apply: %+v %v", p, err)
	}
	assertAudit(t, fx, "KECIL", "import", "pegawai.csv")
	// Applying again: gone.
	if code, _ := b.post(apply, nil); code != http.StatusGone {
		t.Errorf("second apply: %d", code)
	}
	// The same validation as piket staff import: a bad phone, another
	// office's row, a person of another office.
	bad := "nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran\n" +
		"199303032019011006,Staf Empat,KECIL,Umum,pelaksana,,0812-34,\n" +
		"199403032019011007,Staf Lima,DISKOMINFO,Umum,pelaksana,,,\n" +
		nipSari + ",Ni Made Sari,KECIL,Umum,pelaksana,,,\n"
	code, body = b.upload("/kantor/impor", "buruk.csv", bad, nil)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "baris 2") || !strings.Contains(body, "baris 3") || !strings.Contains(body, "baris 4") {
		t.Errorf("bad file: %d %s", code, excerpt(body))
	}
	if p, _ := fx.st.StaffByNIP(context.Background(), nipSari); p.Office.Code != "DISKOMINFO" {
		t.Error("another office's person was moved")
	}
}

// TestStaffForms: add, edit and deactivate one person, each audited.
func TestStaffForms(t *testing.T) {
	fx := newFx(t, "id")
	addSmallOffice(t, fx)
	b := fx.signIn(nipKHead)
	code, body := b.post("/kantor/pegawai", url.Values{"nip": {"199203032018011005"}, "nama": {"Staf Tiga"}, "jabatan": {"pelaksana"}, "atasan": {nipKEs4}, "telepon": {"0812-3"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "telepon") {
		t.Fatalf("bad phone: %d %s", code, excerpt(body))
	}
	code, body = b.post("/kantor/pegawai", url.Values{"nip": {"199203032018011005"}, "nama": {"Staf Tiga"}, "jabatan": {"pelaksana"}, "atasan": {nipKEs4}})
	if code != http.StatusOK || !strings.Contains(body, "Pegawai ditambahkan") {
		t.Fatalf("add: %d %s", code, excerpt(body))
	}
	assertAudit(t, fx, "KECIL", "staff_add", "199203032018011005")
	if code, _ := b.post("/kantor/pegawai", url.Values{"nip": {"199203032018011005"}, "nama": {"X"}, "jabatan": {"pelaksana"}}); code != http.StatusConflict {
		t.Errorf("add twice: %d", code)
	}
	code, body = b.post("/kantor/pegawai/199203032018011005", url.Values{"nama": {"Staf Tiga"}, "bidang": {"Keuangan"}, "jabatan": {"pelaksana"}, "atasan": {nipKEs4}})
	if code != http.StatusOK {
		t.Fatalf("edit: %d %s", code, excerpt(body))
	}
	assertAudit(t, fx, "KECIL", "staff_edit", "bidang")
	if code, _ := b.post("/kantor/pegawai/"+nipKHead+"/nonaktif", nil); code != http.StatusUnprocessableEntity {
		t.Errorf("deactivate myself: %d", code)
	}
	if code, _ := b.post("/kantor/pegawai/199203032018011005/nonaktif", nil); code != http.StatusOK {
		t.Fatalf("deactivate: %d", code)
	}
	assertAudit(t, fx, "KECIL", "staff_deactivate", "199203032018011005")
	if p, _ := fx.st.StaffByNIP(context.Background(), "199203032018011005"); p.Active {
		t.Error("still active")
	}
}

// TestExportIsPiketExport: the download is byte for byte what piket
// export -opd writes.
func TestExportIsPiketExport(t *testing.T) {
	fx := newFx(t, "id")
	fx.say(nipSari, "hadir wfh, sehat")
	fx.say(nipSari, "/laporan =1+1")
	b := fx.signIn(nipHead)
	for _, format := range []string{"csv", "xlsx"} {
		code, body := b.get("/ekspor/unduh?bulan=2020-03&format=" + format)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", format, code)
		}
		var want bytes.Buffer
		opt := export.Options{Year: 2020, Month: time.March, Office: "DISKOMINFO"}
		var err error
		if format == "csv" {
			_, err = export.CSV(context.Background(), &want, fx.st, opt)
		} else {
			_, err = export.XLSX(context.Background(), &want, fx.st, opt)
		}
		if err != nil {
			t.Fatal(err)
		}
		if format == "csv" && body != want.String() {
			t.Errorf("CSV differs from piket export:\n%s\n---\n%s", body, want.String())
		}
		if format == "xlsx" && len(body) < 1000 {
			t.Errorf("XLSX of %d bytes", len(body))
		}
		if format == "csv" && (!strings.Contains(body, "'=1+1") || strings.Contains(body, "Yayan")) {
			t.Errorf("CSV content: %s", body[:200])
		}
	}
	if code, _ := b.get("/ekspor/unduh?bulan=2020-13&format=csv"); code != http.StatusUnprocessableEntity {
		t.Errorf("bad month: %d", code)
	}
}

// TestAckAndPersonPages: acknowledging from the page is /ok N; the
// person's month shows their record, work report and leave-home report.
func TestAckAndPersonPages(t *testing.T) {
	fx := newFx(t, "en")
	fx.say(nipSari, "hadir wfh, batuk ringan, menyusun laporan")
	fx.say(nipSari, "/laporan Menyusun draf SPJ")
	fx.say(nipSari, "/keluar antar ibu kontrol, 2 jam")
	b := fx.signIn(nipSekr)
	code, body := b.post("/keluar-rumah/1/terima", nil)
	if code != http.StatusOK || !strings.Contains(body, "acknowledged") {
		t.Fatalf("ack: %d %s", code, excerpt(body))
	}
	pending, _ := fx.st.PendingOutbox(context.Background(), 1000)
	toSari := 0
	for _, p := range pending {
		if p.ChatID == nipSari && strings.Contains(p.Text, "Ni Luh Putu Ariyani") {
			toSari++
		}
	}
	if toSari != 1 {
		t.Errorf("Sari told %d times", toSari)
	}
	code, body = b.get("/pegawai/" + nipSari)
	for _, s := range []string{`lang="en"`, "batuk ringan", "Menyusun draf SPJ", "antar ibu kontrol", "07:30 WITA", "Wednesday, 18 March 2020"} {
		if !strings.Contains(body, s) {
			t.Errorf("person page lacks %q", s)
		}
	}
	if code != http.StatusOK {
		t.Errorf("person page: %d", code)
	}
	if code, _ := b.get("/pegawai/" + nipSari + "?dari=2020-03-31&sampai=2020-03-01"); code != http.StatusUnprocessableEntity {
		t.Errorf("reversed range: %d", code)
	}
	if code, _ := b.get("/pegawai/" + nipSari + "?dari=2019-01-01&sampai=2020-03-01"); code != http.StatusUnprocessableEntity {
		t.Errorf("range over a year: %d", code)
	}
}
