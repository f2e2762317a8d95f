package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/piket-id/piket/bot"
)

// page is what every template gets.
type page struct {
	T       *bot.WebPageTexts
	V       *viewer // nil: not signed in
	Title   string
	Nav     string // the menu entry of this page
	Refresh bool   // reload every minute (Hari ini)
	Notice  string // a confirmation
	Error   string // a refusal, shown as an alert
	Data    any
}

func (s *Server) parseTemplates() error {
	funcs := template.FuncMap{
		"join":    strings.Join,
		"status":  s.t.Status,
		"place":   s.t.Place,
		"yesno":   func(b bool) string { return yesNo(s.t.Web.Page, b) },
		"action":  s.t.Web.Page.Action,
		"change":  s.t.Web.Page.Change,
		"weekday": func() []string { return strings.Fields(s.t.Web.Page.WeekdaysShort) },
		"rows": func(p *page, rows []leaveRow) any {
			return struct {
				P    *page
				Rows []leaveRow
			}{p, rows}
		},
		"search": func(p *page, action, q string) any {
			return struct {
				T         *bot.WebPageTexts
				Action, Q string
			}{p.T, action, q}
		},
		"person": func(p *page, f personForm, levels []string) any {
			return struct {
				P      *page
				F      personForm
				Levels []string
			}{p, f, levels}
		},
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return fmt.Errorf("web: templates: %w", err)
	}
	s.pages = map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

func yesNo(p bot.WebPageTexts, b bool) string {
	if b {
		return p.Yes
	}
	return p.No
}

// render writes a page with the layout. It renders into a buffer first,
// so a template error becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, status int, name string, p *page) {
	p.T = &s.t.Web.Page
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("web: no such template", "name", name)
		http.Error(w, s.t.Web.Page.ServerError, http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		s.log.Error("web: render", "page", name, "err", err)
		http.Error(w, s.t.Web.Page.ServerError, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// fail answers with a message page and status.
func (s *Server) fail(w http.ResponseWriter, v *viewer, status int, msg string) {
	s.render(w, status, "message", &page{V: v, Title: http.StatusText(status), Error: msg})
}

func (s *Server) serverError(w http.ResponseWriter, v *viewer, err error) {
	s.log.Error("web: request failed", "err", err)
	s.fail(w, v, http.StatusInternalServerError, s.t.Web.Page.ServerError)
}

func (s *Server) notFound(w http.ResponseWriter, v *viewer) {
	s.fail(w, v, http.StatusNotFound, s.t.Web.Page.NotFound)
}
