package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

// role is what a route needs of the person signed in.
type role int

const (
	roleAny   role = iota // a supervisor or an office admin
	roleAdmin             // an office admin
)

// maxBody bounds a request body (a staff file upload is the largest).
const maxBody = 16 << 20

// viewer is the person signed in, with what they may see.
type viewer struct {
	Staff store.Staff
	Admin bool           // office admin: sees their whole office
	Chain map[int64]bool // everyone below them
	Flex  bool           // their office is in mode fleksibel: the requests page is in the menu
	CSRF  string
	hash  string // the session cookie's hash
}

// canSee reports whether the viewer may see a person's data: an admin
// their office, a supervisor their chain.
func (v *viewer) canSee(p store.Staff) bool {
	if v.Admin && p.Office.ID == v.Staff.Office.ID {
		return true
	}
	return v.Chain[p.ID]
}

// handler is a page handler for a signed-in viewer.
type handler func(w http.ResponseWriter, r *http.Request, v *viewer)

// auth wraps h: it needs a valid session of someone who may still use
// the dashboard, the role need, and on POST the session's CSRF token.
func (s *Server) auth(h handler, need role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		v, err := s.viewer(r)
		switch {
		case errors.Is(err, errNoSession):
			s.fail(w, nil, http.StatusUnauthorized, s.t.Web.Page.NeedSignIn)
			return
		case errors.Is(err, bot.ErrNotAllowed):
			s.fail(w, nil, http.StatusForbidden, s.t.Web.Page.LinkNotAllowed)
			return
		case err != nil:
			s.serverError(w, nil, err)
			return
		}
		if need == roleAdmin && !v.Admin {
			s.fail(w, v, http.StatusForbidden, s.t.Web.Page.Forbidden)
			return
		}
		if r.Method == http.MethodPost {
			// Multipart (the import upload) or urlencoded.
			token := r.FormValue("csrf")
			if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(v.CSRF)) != 1 {
				s.fail(w, v, http.StatusForbidden, s.t.Web.Page.BadForm)
				return
			}
		}
		h(w, r, v)
	}
}

var errNoSession = errors.New("web: not signed in")

// viewer reads the session cookie and who is behind it.
func (s *Server) viewer(r *http.Request) (*viewer, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil, errNoSession
	}
	hash := store.TokenHash(c.Value)
	sess, err := s.st.WebSession(r.Context(), hash, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	st, err := s.st.StaffByID(r.Context(), sess.StaffID)
	if err != nil {
		return nil, err
	}
	v := &viewer{Staff: st, Admin: st.HasRole(store.RoleAdmin), Flex: s.svc.FlexMode(st.Office.Code), CSRF: sess.CSRF, hash: hash}
	if v.Chain, err = s.st.ChainBelow(r.Context(), st.ID); err != nil {
		return nil, err
	}
	if !st.Active || (!v.Admin && len(v.Chain) == 0) {
		// Deactivated, or no longer an admin or a supervisor since.
		return nil, bot.ErrNotAllowed
	}
	return v, nil
}

// signInPage is the link from /dasbor. A browser is signed in at once;
// a chat app's link preview (its fetcher announces itself as a bot) and
// HEAD get the page with the Masuk button instead, so a preview does not
// use the link up.
func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("t")
	if token == "" || len(token) > 200 {
		s.fail(w, nil, http.StatusNotFound, s.t.Web.Page.LinkUnknown+" "+s.t.Web.Page.SignInAgain)
		return
	}
	if r.Method == http.MethodHead || isPreviewer(r.UserAgent()) {
		s.render(w, http.StatusOK, "signin", &page{Title: s.t.Web.Page.SignInTitle, Data: token})
		return
	}
	s.redeem(w, r, token)
}

// previewers are words in the User-Agent of link-preview fetchers
// (Telegram, WhatsApp, Facebook, Slack, Discord, crawlers).
var previewers = []string{"bot", "whatsapp", "facebookexternalhit", "slack", "discord", "preview", "crawler", "spider", "embedly", "iframely", "skypeuri"}

func isPreviewer(ua string) bool {
	ua = strings.ToLower(ua)
	for _, p := range previewers {
		if strings.Contains(ua, p) {
			return true
		}
	}
	return false
}

// signIn is the Masuk button of the link's page.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	s.redeem(w, r, r.PostFormValue("t"))
}

// redeem uses a sign-in link once and opens a session for its person.
func (s *Server) redeem(w http.ResponseWriter, r *http.Request, token string) {
	p := s.t.Web.Page
	cookie, csrf := bot.NewWebToken(), bot.NewWebToken()
	now := s.now()
	id, err := s.st.RedeemWebToken(r.Context(), store.TokenHash(token), store.TokenHash(cookie), csrf, now, now.Add(s.ttl))
	switch {
	case errors.Is(err, store.ErrNotFound) || token == "":
		s.fail(w, nil, http.StatusNotFound, p.LinkUnknown+" "+p.SignInAgain)
		return
	case errors.Is(err, store.ErrTokenUsed):
		s.fail(w, nil, http.StatusGone, p.LinkUsed+" "+p.SignInAgain)
		return
	case errors.Is(err, store.ErrTokenExpired):
		s.fail(w, nil, http.StatusGone, p.LinkExpired+" "+p.SignInAgain)
		return
	case err != nil:
		s.serverError(w, nil, err)
		return
	}
	// A session another person had in this browser ends: the link's
	// person is who signs in.
	if old, err := r.Cookie(CookieName); err == nil && old.Value != "" {
		if err := s.st.EndWebSession(r.Context(), store.TokenHash(old.Value), now); err != nil {
			s.log.Warn("web: end the previous session", "err", err)
		}
	}
	// Check who it is now: deactivated or no longer a supervisor or admin
	// since the link was sent.
	if _, err := s.viewerFor(r, cookie); err != nil {
		_ = s.st.EndWebSession(r.Context(), store.TokenHash(cookie), now)
		s.setCookie(w, "", -1)
		if errors.Is(err, bot.ErrNotAllowed) {
			s.fail(w, nil, http.StatusForbidden, p.LinkNotAllowed)
			return
		}
		s.serverError(w, nil, err)
		return
	}
	s.setCookie(w, cookie, s.ttl)
	s.log.Info("web: signed in", "staff_id", id)
	http.Redirect(w, r, "/hari-ini", http.StatusSeeOther)
}

// viewerFor is viewer for a cookie value just issued.
func (s *Server) viewerFor(r *http.Request, cookie string) (*viewer, error) {
	r2 := r.Clone(r.Context())
	r2.Header.Del("Cookie")
	r2.AddCookie(&http.Cookie{Name: CookieName, Value: cookie})
	return s.viewer(r2)
}

func (s *Server) setCookie(w http.ResponseWriter, value string, ttl time.Duration) {
	c := &http.Cookie{Name: CookieName, Value: value, Path: "/", HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode}
	if ttl < 0 {
		c.MaxAge = -1
	} else {
		// MaxAge, not Expires: the browser's clock need not be ours (the
		// demo's clock is simulated).
		c.MaxAge = int(ttl / time.Second)
	}
	http.SetCookie(w, c)
}

// signOut ends the session (Keluar).
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, v *viewer) {
	if err := s.st.EndWebSession(r.Context(), v.hash, s.now()); err != nil {
		s.serverError(w, v, err)
		return
	}
	s.setCookie(w, "", -1)
	s.render(w, http.StatusOK, "message", &page{Title: s.t.Web.Page.SignOut, Notice: s.t.Web.Page.SignedOut})
}
