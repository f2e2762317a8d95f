package tgfake

import (
	"net/http"
	"strings"
	"time"
)

type faultKind int

const (
	faultBadGateway faultKind = iota
	faultHang
)

// fault is one armed failure: for the next n calls of method ("" = any),
// or for every call before until (on the server's clock).
type fault struct {
	kind   faultKind
	method string
	n      int
	until  time.Time
}

// FailNext makes the next n calls of method (any method if "") fail with
// 502 Bad Gateway and an HTML body, as Telegram's front end does.
func (s *Server) FailNext(method string, n int) {
	s.addFault(&fault{kind: faultBadGateway, method: strings.ToLower(method), n: n})
}

// FailFor makes every call of method (any method if "") fail with 502 until
// d has passed on the server's clock.
func (s *Server) FailFor(method string, d time.Duration) {
	s.addFault(&fault{kind: faultBadGateway, method: strings.ToLower(method), until: s.clock().Add(d)})
}

// HangNext makes the next n calls of method (any method if "") never
// answer: the request blocks until the client gives up or the server
// closes.
func (s *Server) HangNext(method string, n int) {
	s.addFault(&fault{kind: faultHang, method: strings.ToLower(method), n: n})
}

func (s *Server) addFault(f *fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// takeFault returns the fault that applies to this call, if any, and uses
// it up. Called with s.mu held.
func (s *Server) takeFault(method string) *fault {
	now := s.clock()
	for i, f := range s.faults {
		if f.method != "" && f.method != method {
			continue
		}
		if !f.until.IsZero() {
			if now.Before(f.until) {
				return f
			}
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			return s.takeFault(method)
		}
		f.n--
		if f.n <= 0 {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		return f
	}
	return nil
}

func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *fault) {
	switch f.kind {
	case faultHang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
	default:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"))
	}
}
