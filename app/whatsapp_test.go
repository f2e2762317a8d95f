package app

import (
	"context"
	"github.com/piket-id/piket/config"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An enabled but unpaired WhatsApp does not stop the app: Run keeps
// going until cancelled, /healthz says how to pair, and the session lives
// in its own file.
func TestWhatsAppNotPaired(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Default()
	cfg.HTTP.Listen = "" // no fixed port in tests
	cfg.Database = filepath.Join(dir, "piket.db")
	cfg.Console.Enabled = false
	cfg.WhatsApp.Enabled = true
	cfg.WhatsApp.SessionDB = filepath.Join(dir, "wa.db")
	a, err := New(context.Background(), cfg, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.WhatsApp == nil {
		t.Fatal("WhatsApp adapter not wired")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		rep := a.Health.Check(ctx)
		if r := rep.Checks["whatsapp"]; !r.OK && strings.Contains(r.Detail, "piket whatsapp pair") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz does not say how to pair: %+v", rep.Checks["whatsapp"])
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while WhatsApp is unpaired", err)
	default:
	}
	if _, err := os.Stat(cfg.WhatsApp.SessionDB); err != nil {
		t.Errorf("session file: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v after cancel", err)
	}
}
