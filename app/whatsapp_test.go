package app

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/config"
)

// An enabled but unpaired WhatsApp stops start-up with the instruction to
// pair, and the session lives in its own file.
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
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = a.Run(ctx)
	if !errors.Is(err, whatsapp.ErrNotPaired) || !strings.Contains(err.Error(), "piket whatsapp pair") {
		t.Fatalf("Run = %v, want ErrNotPaired telling to pair", err)
	}
}
