package app_test

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/config"
)

// TestWebOnTheOpsServer: with web.enabled, the dashboard is served on
// http.listen beside /healthz, and /dasbor links carry its address.
func TestWebOnTheOpsServer(t *testing.T) {
	cfg := config.Default()
	cfg.Database = filepath.Join(t.TempDir(), "piket.db")
	cfg.HTTP.Listen = "127.0.0.1:0"
	on := true
	cfg.Web.Enabled = &on
	in, feed := io.Pipe()
	a, err := app.New(context.Background(), cfg, app.Env{Stdin: in, Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !strings.HasPrefix(a.WebURL, "http://127.0.0.1:") || strings.HasSuffix(a.WebURL, ":0") {
		t.Fatalf("WebURL %q", a.WebURL)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(context.Background()) }()
	get := func(path string) int {
		t.Helper()
		c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Get(a.WebURL + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	// /healthz is the ops server's (200, or 503 with a reason), not the dashboard's 401.
	if got := get("/healthz"); got != http.StatusOK && got != http.StatusServiceUnavailable {
		t.Errorf("GET /healthz: %d", got)
	}
	for path, want := range map[string]int{"/hari-ini": http.StatusUnauthorized, "/": http.StatusSeeOther, "/static/piket.css": http.StatusOK} {
		if got := get(path); got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
	feed.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the app did not stop at the end of the console's input")
	}
}
