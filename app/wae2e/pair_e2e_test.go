//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wae2e_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/bot/whatsapp/wafake"
	"github.com/piket-id/piket/internal/syncbuf"
)

var pairingCode = regexp.MustCompile(`Kode penautan: ([0-9A-Z]{4}-[0-9A-Z]{4})`)

// `piket whatsapp pair --phone` (whatsapp.Pair) against the emulator: the
// phone's owner types the code it prints, the session is stored, and the
// session then logs in for serve.
func TestWhatsAppPairByPhoneCode(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv := wafake.New(wafake.Options{})
	t.Cleanup(srv.Close) // after the app's cleanup: closing it under a running app races inside whatsmeow
	srv.Route()
	path := filepath.Join(t.TempDir(), "piket-whatsapp.db")
	container, err := whatsapp.OpenStore(ctx, path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer container.Close()

	out := &syncbuf.Buffer{}
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

// `piket whatsapp pair` (whatsapp.Pair) by QR against the emulator: the
// QR code it draws in the terminal is the one the bot's phone scans, the
// session is stored, the client logs in, and `piket serve` then runs on
// that session and answers.
func TestWhatsAppPairByQR(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	srv := wafake.New(wafake.Options{})
	t.Cleanup(srv.Close) // after the app's cleanup: closing it under a running app races inside whatsmeow
	srv.Route()
	path := filepath.Join(t.TempDir(), "piket-whatsapp.db")
	container, err := whatsapp.OpenStore(ctx, path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer container.Close()

	out := &syncbuf.Buffer{}
	codes := make(chan string, 10)
	done := make(chan error, 1)
	go func() {
		done <- whatsapp.Pair(ctx, container, out, "", whatsapp.OnQR(func(code string) {
			select {
			case codes <- code:
			default:
			}
		}))
	}()
	var code string
	select {
	case code = <-codes:
	case err := <-done:
		t.Fatalf("Pair returned before showing a QR code: %v\n%s", err, out.String())
	case <-ctx.Done():
		t.Fatalf("no QR code shown; output:\n%s", out.String())
	}
	jid, err := srv.Phone(botNumber).ScanQR(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Pair: %v\n%s", err, out.String())
	}
	for _, want := range []string{"Tautkan WhatsApp Piket", "▀", "Berhasil! WhatsApp Piket sudah tertaut"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("pair output lacks %q:\n%s", want, out.String())
		}
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
	if err := srv.WaitLoggedOut(ctx, jid); err != nil {
		t.Fatal(err)
	}
	if err := container.Close(); err != nil {
		t.Fatal(err)
	}

	// serve on the session pairing left.
	h, cfg := newHarnessWith(t, srv, path, jid)
	h.start(cfg, monday0730)
	sari, err := srv.User(h.ctx, sariNumber, "Sari")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sari.Send(h.ctx, h.bot, textMessage("hadir"), wafake.SendOptions{Time: monday0730}); err != nil {
		t.Fatal(err)
	}
	h.waitReply(sari, "07.30 WITA")
	if got := srv.Logins(jid); got != 2 {
		t.Errorf("logins = %d, want 2 (pairing, serve)", got)
	}
}
