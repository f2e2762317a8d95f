package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/export"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/staffimport"
	"github.com/piket-id/piket/store"
)

type officeData struct {
	Q       string
	People  []personRow
	Form    personForm // the add form (values kept after a refusal)
	Levels  []string
	Errors  []string // row errors of the add form or an import
	Audit   []auditRow
	Preview *previewData
}

type personRow struct {
	store.Staff
	SupervisorNIP string
}

type personForm struct {
	NIP, Name, Division, Level, Supervisor, Phone string
	Admin                                         bool
	Edit                                          bool
}

type auditRow struct{ At, Who, Action, Detail string }

type previewData struct {
	ID, File   string
	Summary    string
	Changes    []string
	Deactivate bool
}

func levels() []string {
	out := make([]string, 0, 4)
	for _, l := range staff.Levels() {
		out = append(out, string(l))
	}
	return out
}

// office is the admin's staff list with search, the add and import
// forms, and the audit of changes made here.
func (s *Server) office(w http.ResponseWriter, r *http.Request, v *viewer) {
	s.renderOffice(w, r, v, http.StatusOK, &page{}, officeData{Q: r.URL.Query().Get("q")})
}

func (s *Server) renderOffice(w http.ResponseWriter, r *http.Request, v *viewer, status int, pg *page, d officeData) {
	ctx := r.Context()
	all, err := s.st.StaffOfOffice(ctx, v.Staff.Office.Code, true)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	nips := map[int64]string{}
	for _, p := range all {
		nips[p.ID] = p.NIP
	}
	for _, p := range all {
		if !matches(p, d.Q) {
			continue
		}
		row := personRow{Staff: p, SupervisorNIP: nips[p.SupervisorID]}
		if row.SupervisorNIP == "" && p.SupervisorID != 0 {
			if sup, err := s.st.StaffByID(ctx, p.SupervisorID); err == nil {
				row.SupervisorNIP = sup.NIP
			}
		}
		d.People = append(d.People, row)
	}
	log, err := s.st.AuditLog(ctx, v.Staff.Office.ID, 50)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	loc := s.loc(v.Staff.Office.TZ)
	for _, e := range log {
		d.Audit = append(d.Audit, auditRow{At: s.stamp(e.At, loc), Who: e.Name, Action: s.t.Web.Page.Action(e.Action), Detail: e.Detail})
	}
	d.Levels = levels()
	pg.V, pg.Title, pg.Nav, pg.Data = v, s.t.Web.Page.Office+" "+v.Staff.Office.Code, "office", d
	s.render(w, status, "office", pg)
}

// formPerson reads the person form.
func formPerson(r *http.Request) personForm {
	return personForm{
		NIP: strings.TrimSpace(r.PostFormValue("nip")), Name: strings.TrimSpace(r.PostFormValue("nama")),
		Division: strings.TrimSpace(r.PostFormValue("bidang")), Level: strings.TrimSpace(r.PostFormValue("jabatan")),
		Supervisor: strings.TrimSpace(r.PostFormValue("atasan")), Phone: strings.TrimSpace(r.PostFormValue("telepon")),
		Admin: r.PostFormValue("admin") == "1",
	}
}

// record turns the form into one row of a staff file, read by the same
// reader as an import, in the viewer's office.
func (f personForm) records(office string) ([]staff.Record, []staff.RowError, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	roles := ""
	if f.Admin {
		roles = store.RoleAdmin
	}
	_ = cw.Write([]string{staff.ColNIP, staff.ColName, staff.ColOffice, staff.ColDivision, staff.ColLevel, staff.ColSupervisorNIP, staff.ColPhone, staff.ColRoles})
	_ = cw.Write([]string{f.NIP, f.Name, office, f.Division, f.Level, f.Supervisor, f.Phone, roles})
	cw.Flush()
	return staff.ReadCSV(&buf)
}

// officeCheck refuses rows an office admin may not import: another
// office, or a person registered in another office.
func (s *Server) officeCheck(r *http.Request, v *viewer) func(staff.Record) *staff.RowError {
	return func(rec staff.Record) *staff.RowError {
		other := rec.Office != v.Staff.Office.Code
		if !other {
			if p, err := s.st.StaffByNIP(r.Context(), rec.NIP); err == nil && p.Office.ID != v.Staff.Office.ID {
				other = true
			}
		}
		if !other {
			return nil
		}
		return &staff.RowError{Line: rec.Line, NIP: rec.NIP, Field: staff.ColOffice, Code: staff.ErrCode(s.t.Web.Page.ImportOtherOffice), Detail: rec.Office}
	}
}

func (s *Server) rowTexts(errs []staff.RowError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Text(s.t.Web.Page.Lang)
	}
	return out
}

// addPerson adds one person, checked as a row of a staff import.
func (s *Server) addPerson(w http.ResponseWriter, r *http.Request, v *viewer) {
	f := formPerson(r)
	if p, err := s.st.StaffByNIP(r.Context(), f.NIP); err == nil {
		msg := s.t.Web.Page.AlreadyRegistered(p.NIP)
		if p.Office.ID != v.Staff.Office.ID {
			msg = s.t.Web.Page.ImportOtherOffice
		}
		s.renderOffice(w, r, v, http.StatusConflict, &page{Error: msg}, officeData{Form: f})
		return
	}
	s.savePerson(w, r, v, f, "staff_add", s.t.Web.Page.Added)
}

// savePerson imports the form's one row (adding or updating the person).
func (s *Server) savePerson(w http.ResponseWriter, r *http.Request, v *viewer, f personForm, action, notice string) {
	recs, rowErrs, err := f.records(v.Staff.Office.Code)
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	audit := func(tx *store.Tx, res store.ImportResult) error {
		detail := fmt.Sprintf("%s (%s)", f.Name, f.NIP)
		if len(res.Changes) == 1 && len(res.Changes[0].Fields) > 0 {
			detail += ": " + strings.Join(res.Changes[0].Fields, ", ")
		}
		return tx.AddAudit(r.Context(), s.entry(v, action, detail))
	}
	_, rowErrs, err = staffimport.Apply(r.Context(), s.st, recs, rowErrs, staffimport.Settings{DefaultTZ: s.tz, Now: s.now(), Check: s.officeCheck(r, v), Audit: audit})
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	if len(rowErrs) > 0 {
		if f.Edit {
			s.renderEdit(w, v, http.StatusUnprocessableEntity, f, s.rowTexts(rowErrs))
			return
		}
		s.renderOffice(w, r, v, http.StatusUnprocessableEntity, &page{Error: s.t.Web.Page.NotSaved}, officeData{Form: f, Errors: s.rowTexts(rowErrs)})
		return
	}
	s.renderOffice(w, r, v, http.StatusOK, &page{Notice: notice}, officeData{})
}

// officePerson returns a person of the viewer's office by the path's NIP.
func (s *Server) officePerson(w http.ResponseWriter, r *http.Request, v *viewer) (store.Staff, bool) {
	p, err := s.st.StaffByNIP(r.Context(), r.PathValue("nip"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && p.Office.ID != v.Staff.Office.ID) {
		s.notFound(w, v)
		return store.Staff{}, false
	}
	if err != nil {
		s.serverError(w, v, err)
		return store.Staff{}, false
	}
	return p, true
}

// editPage shows the form to change a person of the office.
func (s *Server) editPage(w http.ResponseWriter, r *http.Request, v *viewer) {
	p, ok := s.officePerson(w, r, v)
	if !ok {
		return
	}
	f := personForm{NIP: p.NIP, Name: p.Name, Division: p.Division, Level: p.Level, Phone: p.Phone, Admin: p.HasRole(store.RoleAdmin), Edit: true}
	if p.SupervisorID != 0 {
		if sup, err := s.st.StaffByID(r.Context(), p.SupervisorID); err == nil {
			f.Supervisor = sup.NIP
		}
	}
	s.renderEdit(w, v, http.StatusOK, f, nil)
}

func (s *Server) renderEdit(w http.ResponseWriter, v *viewer, status int, f personForm, errs []string) {
	pg := &page{V: v, Title: s.t.Web.Page.EditPerson, Nav: "office", Data: officeData{Form: f, Levels: levels(), Errors: errs}}
	if len(errs) > 0 {
		pg.Error = s.t.Web.Page.NotSaved
	}
	s.render(w, status, "edit", pg)
}

// editPerson saves the form: the same checks as an import of one row.
func (s *Server) editPerson(w http.ResponseWriter, r *http.Request, v *viewer) {
	p, ok := s.officePerson(w, r, v)
	if !ok {
		return
	}
	f := formPerson(r)
	f.NIP, f.Edit = p.NIP, true // the NIP is who it is
	s.savePerson(w, r, v, f, "staff_edit", s.t.Web.Page.Saved)
}

// deactivate marks a person of the office inactive, as piket staff
// deactivate does.
func (s *Server) deactivate(w http.ResponseWriter, r *http.Request, v *viewer) {
	p, ok := s.officePerson(w, r, v)
	if !ok {
		return
	}
	if p.ID == v.Staff.ID {
		s.renderOffice(w, r, v, http.StatusUnprocessableEntity, &page{Error: s.t.Web.Page.NotSelf}, officeData{})
		return
	}
	_, err := s.st.DeactivateStaffAudited(r.Context(), p.NIP, s.now(), func(tx *store.Tx, _ store.Deactivation) error {
		return tx.AddAudit(r.Context(), s.entry(v, "staff_deactivate", fmt.Sprintf("%s (%s)", p.Name, p.NIP)))
	})
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	s.renderOffice(w, r, v, http.StatusOK, &page{Notice: s.t.Web.Page.DeactivatedNote}, officeData{})
}

// pendingImport is an uploaded staff file between its preview and apply.
type pendingImport struct {
	staffID    int64
	name       string
	data       []byte
	deactivate bool
	at         time.Time
}

// importTTL is how long a preview can be applied.
const importTTL = 30 * time.Minute

func readStaffFile(name string, data []byte) ([]staff.Record, []staff.RowError, error) {
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return staff.ReadXLSX(bytes.NewReader(data))
	}
	return staff.ReadCSV(bytes.NewReader(data))
}

// importPreview reads an uploaded file and runs the import as a dry run:
// the same validation as piket staff import, plus rows of the admin's
// office only. Nothing is written until the preview is applied.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, v *viewer) {
	pt := s.t.Web.Page
	file, hdr, err := r.FormFile("berkas")
	if err != nil {
		s.renderOffice(w, r, v, http.StatusUnprocessableEntity, &page{Error: pt.ImportNoFile}, officeData{})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		s.renderOffice(w, r, v, http.StatusRequestEntityTooLarge, &page{Error: pt.ImportNoFile}, officeData{})
		return
	}
	name := filepath.Base(hdr.Filename)
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".csv" && ext != ".xlsx" {
		s.renderOffice(w, r, v, http.StatusUnprocessableEntity, &page{Error: pt.ImportNoFile}, officeData{})
		return
	}
	deactivate := r.PostFormValue("nonaktif") == "1"
	res, rowErrs, err := s.runImport(r, v, name, data, deactivate, nil)
	if err != nil {
		s.renderOffice(w, r, v, http.StatusUnprocessableEntity, &page{Error: err.Error()}, officeData{})
		return
	}
	if len(rowErrs) > 0 {
		s.renderOffice(w, r, v, http.StatusUnprocessableEntity, &page{Error: pt.ImportNothing}, officeData{Errors: s.rowTexts(rowErrs)})
		return
	}
	id := bot.NewWebToken()
	s.mu.Lock()
	s.imports[id] = pendingImport{staffID: v.Staff.ID, name: name, data: data, deactivate: deactivate, at: s.now()}
	s.mu.Unlock()
	p := &previewData{ID: id, File: name, Deactivate: deactivate, Summary: s.summary(res), Changes: s.changeLines(res)}
	s.renderOffice(w, r, v, http.StatusOK, &page{}, officeData{Preview: p})
}

// runImport imports an uploaded file: a dry run without audit, else the
// import with audit in its transaction.
func (s *Server) runImport(r *http.Request, v *viewer, name string, data []byte, deactivate bool,
	audit func(*store.Tx, store.ImportResult) error) (store.ImportResult, []staff.RowError, error) {
	recs, rowErrs, err := readStaffFile(name, data)
	if err != nil {
		return store.ImportResult{}, nil, err
	}
	return staffimport.Apply(r.Context(), s.st, recs, rowErrs, staffimport.Settings{
		DefaultTZ: s.tz, Deactivate: deactivate, DryRun: audit == nil, Now: s.now(), Check: s.officeCheck(r, v), Audit: audit,
	})
}

func (s *Server) summary(res store.ImportResult) string {
	return s.t.Web.Page.ImportSummary(res.Created, res.Updated, res.Unchanged, res.Deactivated, res.OfficesCreated)
}

func (s *Server) changeLines(res store.ImportResult) []string {
	var out []string
	for _, c := range res.Changes {
		line := fmt.Sprintf("%s %s (%s): %s", c.NIP, c.Name, c.Office, s.t.Web.Page.Change(c.Kind))
		if len(c.Fields) > 0 {
			line += " — " + strings.Join(c.Fields, ", ")
		}
		out = append(out, line)
	}
	return out
}

// importApply applies a previewed import, validated again against the
// registry as it is now.
func (s *Server) importApply(w http.ResponseWriter, r *http.Request, v *viewer) {
	id := r.PathValue("id")
	s.mu.Lock()
	p, ok := s.imports[id]
	if ok && (p.staffID != v.Staff.ID || s.now().Sub(p.at) > importTTL) {
		ok = false
	}
	if ok {
		delete(s.imports, id)
	}
	s.mu.Unlock()
	if !ok {
		s.renderOffice(w, r, v, http.StatusGone, &page{Error: s.t.Web.Page.ImportExpired}, officeData{})
		return
	}
	res, rowErrs, err := s.runImport(r, v, p.name, p.data, p.deactivate, func(tx *store.Tx, res store.ImportResult) error {
		return tx.AddAudit(r.Context(), s.entry(v, "import", p.name+": "+s.summary(res)))
	})
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	if len(rowErrs) > 0 {
		s.renderOffice(w, r, v, http.StatusUnprocessableEntity, &page{Error: s.t.Web.Page.ImportNothing}, officeData{Errors: s.rowTexts(rowErrs)})
		return
	}
	sum := s.summary(res)
	s.renderOffice(w, r, v, http.StatusOK, &page{Notice: s.t.Web.Page.ImportDone + " " + sum}, officeData{})
}

// dropOldImports forgets previews past importTTL.
func (s *Server) dropOldImports() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, p := range s.imports {
		if s.now().Sub(p.at) > importTTL || p.at.Sub(s.now()) > importTTL {
			delete(s.imports, id)
		}
	}
}

type exportData struct {
	Month string
}

// exportPage is the export form.
func (s *Server) exportPage(w http.ResponseWriter, r *http.Request, v *viewer) {
	today := s.now().In(s.loc(v.Staff.Office.TZ))
	s.render(w, http.StatusOK, "export", &page{V: v, Title: s.t.Web.Page.Export + " " + v.Staff.Office.Code, Nav: "export",
		Data: exportData{Month: today.Format("2006-01")}})
}

// exportFile sends the office's month as piket export -opd writes it.
func (s *Server) exportFile(w http.ResponseWriter, r *http.Request, v *viewer) {
	q := r.URL.Query()
	month, format := q.Get("bulan"), q.Get("format")
	year, mon, err := export.ParseMonth(month)
	if err != nil || (format != "csv" && format != "xlsx") {
		s.fail(w, v, http.StatusUnprocessableEntity, s.t.Web.Page.BadRange)
		return
	}
	code := v.Staff.Office.Code
	opt := export.Options{Year: year, Month: mon, Office: code, WorkingDay: s.working, Since: s.since}
	var b bytes.Buffer
	if format == "csv" {
		_, err = export.CSV(r.Context(), &b, s.st, opt)
	} else {
		_, err = export.XLSX(r.Context(), &b, s.st, opt)
	}
	if err != nil {
		s.serverError(w, v, err)
		return
	}
	s.audit(r, v, "export", month+" "+format)
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="piket-%s-%s.%s"`, strings.ToLower(code), month, format))
	w.Header().Set("Content-Length", fmt.Sprint(b.Len()))
	_, _ = w.Write(b.Bytes())
}
