// Package web is Piket's dashboard for supervisors and office admins:
// server-rendered pages (html/template, embedded static files, no
// JavaScript build) on the same HTTP server as /healthz and /metrics.
//
// People sign in with a one-time link the bot sends for /dasbor; the
// session is a random cookie whose hash is stored, every form carries
// the session's CSRF token, and every page is scoped by role: an office
// admin sees their office, a supervisor everyone below them, nobody
// anything else (another office's data answers 404). What the pages do
// goes through the same domain code as the chat commands and the command
// line (bot.Service, staffimport, export), and every admin action is
// written to the audit table.
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// CookieName is the session cookie.
const CookieName = "piket_sesi"

// Options configure a Server.
type Options struct {
	Store   *store.Store
	Service *bot.Service
	Log     *slog.Logger
	// Clock is the application's clock (the console's simulated time in
	// the demo); nil: the service's.
	Clock func() time.Time
	// BaseURL is the address people open; https makes the cookie Secure.
	BaseURL    string
	SessionTTL time.Duration // 0: config.DefaultSessionTTL
	// WorkingDay and Since are an office's working days and go-live day,
	// as piket export uses them (app.WorkingDays, config Since).
	WorkingDay func(officeCode string, d civil.Date) bool
	Since      func(officeCode string) civil.Date
	// DefaultTZ is the zone of offices an import would create (admins
	// import their own office only, so normally unused).
	DefaultTZ string
}

// Server serves the dashboard.
type Server struct {
	st      *store.Store
	svc     *bot.Service
	t       *bot.Texts
	log     *slog.Logger
	now     func() time.Time
	base    string
	secure  bool
	ttl     time.Duration
	working func(string, civil.Date) bool
	since   func(string) civil.Date
	tz      string
	pages   map[string]*template.Template
	mux     *http.ServeMux

	mu      sync.Mutex
	imports map[string]pendingImport // previews waiting to be applied, by ID
	locs    map[string]*time.Location
}

// New returns a Server.
func New(o Options) (*Server, error) {
	s := &Server{st: o.Store, svc: o.Service, t: o.Service.Texts(), log: o.Log, now: o.Clock, base: strings.TrimRight(o.BaseURL, "/"),
		ttl: o.SessionTTL, working: o.WorkingDay, since: o.Since, tz: o.DefaultTZ,
		imports: map[string]pendingImport{}, locs: map[string]*time.Location{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = o.Service.Now
	}
	if s.ttl <= 0 {
		s.ttl = config.DefaultSessionTTL
	}
	if s.tz == "" {
		s.tz = "Asia/Jakarta"
	}
	s.secure = strings.HasPrefix(s.base, "https://")
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// Handler returns the dashboard's routes, to mount on the ops server.
func (s *Server) Handler() http.Handler { return s.mux }

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	m.HandleFunc("GET /masuk", s.signInPage) // also HEAD
	m.HandleFunc("POST /masuk", s.signIn)
	m.HandleFunc("POST /keluar", s.auth(s.signOut, roleAny))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/hari-ini", http.StatusSeeOther) })
	m.HandleFunc("GET /dasbor", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/hari-ini", http.StatusSeeOther) })
	m.HandleFunc("GET /hari-ini", s.auth(s.today, roleAny))
	m.HandleFunc("GET /pegawai", s.auth(s.people, roleAny))
	m.HandleFunc("GET /pegawai/{nip}", s.auth(s.person, roleAny))
	m.HandleFunc("GET /keluar-rumah", s.auth(s.leaves, roleAny))
	m.HandleFunc("POST /keluar-rumah/{n}/terima", s.auth(s.ackLeave, roleAny))
	m.HandleFunc("GET /jadwal", s.auth(s.roster, roleAny))
	m.HandleFunc("POST /jadwal/tukar", s.auth(s.swap, roleAdmin))
	m.HandleFunc("POST /jadwal/tukar/{n}/setuju", s.auth(decision(s.decideSwap, true), roleAny))
	m.HandleFunc("POST /jadwal/tukar/{n}/tolak", s.auth(decision(s.decideSwap, false), roleAny))
	m.HandleFunc("GET /pengajuan", s.auth(s.flexPage, roleAny))
	m.HandleFunc("POST /pengajuan/{n}/setujui", s.auth(decision(s.decideFlex, true), roleAny))
	m.HandleFunc("POST /pengajuan/{n}/tolak", s.auth(decision(s.decideFlex, false), roleAny))
	m.HandleFunc("GET /kantor", s.auth(s.office, roleAdmin))
	m.HandleFunc("POST /kantor/pegawai", s.auth(s.addPerson, roleAdmin))
	m.HandleFunc("GET /kantor/pegawai/{nip}", s.auth(s.editPage, roleAdmin))
	m.HandleFunc("POST /kantor/pegawai/{nip}", s.auth(s.editPerson, roleAdmin))
	m.HandleFunc("POST /kantor/pegawai/{nip}/nonaktif", s.auth(s.deactivate, roleAdmin))
	m.HandleFunc("POST /kantor/impor", s.auth(s.importPreview, roleAdmin))
	m.HandleFunc("POST /kantor/impor/{id}", s.auth(s.importApply, roleAdmin))
	m.HandleFunc("GET /ekspor", s.auth(s.exportPage, roleAdmin))
	m.HandleFunc("GET /ekspor/unduh", s.auth(s.exportFile, roleAdmin))
	s.mux = m
}

// ServeHTTP serves the dashboard with its security headers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer") // the sign-in link carries its token
	h.Set("X-Frame-Options", "DENY")
	if !strings.HasPrefix(r.URL.Path, "/static/") {
		h.Set("Cache-Control", "no-store")
	}
	s.mux.ServeHTTP(w, r)
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// Purge deletes expired links and sessions; Run calls it hourly.
func (s *Server) Purge(ctx context.Context) error { return s.st.PurgeWeb(ctx, s.now()) }

// Run purges expired links, sessions and import previews every hour
// until ctx ends.
func (s *Server) Run(ctx context.Context) error {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := s.Purge(ctx); err != nil && !errors.Is(err, context.Canceled) {
				s.log.Warn("web: purge expired sessions", "err", err)
			}
			s.dropOldImports()
		}
	}
}

// loc returns a time zone by name (WIB when unknown).
func (s *Server) loc(name string) *time.Location {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.locs[name]; ok {
		return l
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.FixedZone("WIB", 7*3600)
	}
	s.locs[name] = l
	return l
}
