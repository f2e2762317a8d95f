package wae2e_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var pairingCode = regexp.MustCompile(`Kode penautan: ([0-9A-Z]{4}-[0-9A-Z]{4})`)

// `piket whatsapp pair --phone` (whatsapp.Pair) against the emulator: the
// phone's owner types the code it prints, the session is stored, and the
// session then logs in for serve.
func TestWhatsAppPairByPhoneCode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv := wafake.New(wafake.Options{})
	defer srv.Close()
	srv.Route()
	path := filepath.Join(t.TempDir(), "piket-whatsapp.db")
	container, err := whatsapp.OpenStore(ctx, path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer container.Close()

	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- whatsapp.Pair(ctx, container, out, "0812 1111 0009") }()
	phone := srv.Phone("6281211110009") // the leading 0 is read as Indonesian
	if err := phone.WaitPairingCode(ctx); err != nil {
		t.Fatal(err)
	}
	var code string
	for code == "" {
		if m := pairingCode.FindStringSubmatch(out.String()); m != nil {
			code = m[1]
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no pairing code printed; output:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	jid, err := phone.EnterCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Pair: %v\n%s", err, out.String())
	}
	if got := srv.Logins(jid); got != 1 {
		t.Errorf("logins after pairing = %d, want 1", got)
	}
	dev, err := container.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if dev.GetJID() != jid {
		t.Errorf("stored device %s, want %s", dev.GetJID(), jid)
	}
}
