package app

import (
	"context"
	"fmt"
	"net"

	"github.com/piket-id/piket/web"
)

// listenWeb opens the HTTP listener early when the dashboard is on, so
// the /dasbor links carry the address really served (the demo falls back
// to a free port when http.listen is taken). It returns the dashboard's
// base URL, "" when it is off.
func (a *App) listenWeb() (string, error) {
	if !a.Cfg.WebOn(false) || a.Cfg.HTTP.Listen == "" {
		return "", nil
	}
	ln, err := net.Listen("tcp", a.Cfg.HTTP.Listen)
	if err != nil && a.env.WebAnyPort {
		host, _, _ := net.SplitHostPort(a.Cfg.HTTP.Listen)
		ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	if err != nil {
		return "", fmt.Errorf("app: listen on %s (http.listen) for the web dashboard: %w", a.Cfg.HTTP.Listen, err)
	}
	a.httpLn = ln
	return a.Cfg.WebBaseURL(ln.Addr().String()), nil
}

// newWeb builds the dashboard on the HTTP server.
func (a *App) newWeb(base string) error {
	if base == "" {
		return nil
	}
	working, err := WorkingDays(a.Cfg)
	if err != nil {
		return err
	}
	a.Web, err = web.New(web.Options{
		Store: a.Store, Service: a.Service, Log: a.Log, Clock: a.Clock.Now, BaseURL: base,
		SessionTTL: a.Cfg.Web.SessionTTL, WorkingDay: working, Since: a.Cfg.Since, DefaultTZ: a.Cfg.Timezone,
	})
	if err != nil {
		return err
	}
	a.WebURL = base
	a.HTTP.Mount(a.Web)
	return nil
}

// serveHTTP runs the ops server (and the dashboard on it).
func (a *App) serveHTTP(ctx context.Context) error {
	if a.httpLn == nil {
		return a.HTTP.Run(ctx)
	}
	go func() { _ = a.Web.Run(ctx) }()
	return a.HTTP.Serve(ctx, a.httpLn)
}

// closeListener closes the early listener of an App that failed to start.
func (a *App) closeListener() {
	if a.httpLn != nil {
		a.httpLn.Close()
	}
}
