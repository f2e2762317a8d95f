package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ShutdownTimeout bounds how long Server.Run waits for requests in flight
// when its context ends.
const ShutdownTimeout = 5 * time.Second

// Server serves /healthz and /metrics on the configured address
// (config http.listen).
type Server struct {
	addr string
	log  *slog.Logger
	srv  *http.Server
}

// NewServer returns a server for addr ("" disables it: Run returns at once).
// health or metrics may be nil (that endpoint answers 404).
func NewServer(addr string, health *Health, metrics *Metrics, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{addr: addr, log: log, srv: &http.Server{
		Addr:              addr,
		Handler:           Mux(health, metrics),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}}
}

// Mux routes /healthz and /metrics.
func Mux(health *Health, metrics *Metrics) *http.ServeMux {
	mux := http.NewServeMux()
	if health != nil {
		mux.Handle("GET /healthz", health)
	}
	if metrics != nil {
		mux.Handle("GET /metrics", metrics.Handler())
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "Piket: /healthz (health, JSON) and /metrics (Prometheus)")
	})
	return mux
}

// Mount serves h for every path but /healthz and /metrics (the web
// dashboard). Call it before Run.
func (s *Server) Mount(h http.Handler) {
	ops := s.srv.Handler
	mux := http.NewServeMux()
	mux.Handle("/healthz", ops)
	mux.Handle("/metrics", ops)
	mux.Handle("/", h)
	s.srv.Handler = mux
}

// Run listens and serves until ctx ends, then shuts down gracefully (at
// most ShutdownTimeout). It returns an error only if it cannot listen or
// serving fails.
func (s *Server) Run(ctx context.Context) error {
	if s.addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("ops: listen on %s (http.listen): %w", s.addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened (tests use port 0).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.log.Info("ops: serving /healthz and /metrics", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("ops: http server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		s.log.Warn("ops: http server shutdown", "err", err)
		s.srv.Close()
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("ops: http server: %w", err)
	}
	return nil
}
