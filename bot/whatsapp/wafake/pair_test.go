//go:build !race

// whatsmeow races with itself on its disconnect paths (socket.FrameSocket.Close
// against readPump; exsync.Event.GetChan), which the race detector reports
// whatever the caller does: this suite runs without -race (.ci/run runs it).

package wafake_test

import (
	"path/filepath"
	"testing"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/bot/whatsapp/wafake"
)

func TestPairByQRThenRestart(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	path := filepath.Join(t.TempDir(), "wa.db")
	container, err := whatsapp.OpenStore(ctx, path, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	dev, err := container.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli := client(t, srv, dev)
	qrs, err := cli.GetQRChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(cli)
	if err := cli.Connect(); err != nil {
		t.Fatal(err)
	}
	item := <-qrs
	if item.Event != whatsmeow.QRChannelEventCode {
		t.Fatalf("first QR channel item = %q, want code", item.Event)
	}
	phone := srv.Phone("6281211110001")
	jid, err := phone.ScanQR(ctx, item.Code)
	if err != nil {
		t.Fatal(err)
	}
	if item := <-qrs; item != whatsmeow.QRChannelSuccess {
		t.Fatalf("QR channel after scan = %+v, want success", item)
	}
	rec.waitN(t, ctx, "PairSuccess", 1, func(e any) bool {
		ps, ok := e.(*events.PairSuccess)
		return ok && ps.ID == jid && ps.LID.User == phone.LID().User
	})
	// The server asks for a reconnect (515); the client logs in as jid.
	rec.waitN(t, ctx, "Connected", 1, is[*events.Connected])
	if err := srv.WaitLoggedIn(ctx, jid); err != nil {
		t.Fatal(err)
	}
	if got := cli.Store.GetJID(); got != jid {
		t.Errorf("stored JID = %s, want %s", got, jid)
	}
	cli.Disconnect()
	if err := container.Close(); err != nil {
		t.Fatal(err)
	}

	// A restart reuses the stored session: no QR, straight to Connected.
	container, err = whatsapp.OpenStore(ctx, path, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = container.Close() })
	dev, err = container.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if dev.GetJID() != jid || dev.Account == nil || len(dev.Account.DeviceSignature) != 64 {
		t.Fatalf("stored device after pairing: jid %s, account %v", dev.GetJID(), dev.Account)
	}
	connect(t, ctx, client(t, srv, dev))
	if got := srv.Logins(jid); got != 2 {
		t.Errorf("logins = %d, want 2 (after pairing, after restart)", got)
	}
}

func TestScanQRRejectsBadCodes(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	phone := srv.Phone("6281211110002")
	for _, code := range []string{"", "a,b,c", "ref,!!,!!,!!", "2@unknown,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="} {
		if _, err := phone.ScanQR(ctx, code); err == nil {
			t.Errorf("ScanQR(%q) succeeded", code)
		}
	}
}

func FuzzParseQR(f *testing.F) {
	f.Add("2@abc,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	f.Add(",,,")
	f.Fuzz(func(t *testing.T, code string) {
		ref, _, _, adv, err := wafake.ParseQR(code)
		if err == nil && (ref == "" || len(adv) != 32) {
			t.Errorf("ParseQR(%q) accepted ref %q adv %d bytes", code, ref, len(adv))
		}
	})
}

func TestPairByPhoneCode(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	srv := newServer(t)
	dev, err := openStore(t, ctx).GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cli := client(t, srv, dev)
	qrs, err := cli.GetQRChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(cli)
	if err := cli.Connect(); err != nil {
		t.Fatal(err)
	}
	if item := <-qrs; item.Event != whatsmeow.QRChannelEventCode {
		t.Fatalf("first QR channel item = %q, want code", item.Event)
	}
	phone := srv.Phone("6281211110003")
	code, err := cli.PairPhone(ctx, "+62 812-1111-0003", true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := phone.EnterCode(ctx, "ABCD-EFGH"); err == nil {
		t.Fatal("a wrong code linked the device")
	}
	// With a wrong code the key exchange goes through but the phone cannot
	// open the client's key bundle and refuses. Ask for a new code.
	code, err = cli.PairPhone(ctx, "+62 812-1111-0003", true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		t.Fatal(err)
	}
	jid, err := phone.EnterCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	for item := range qrs {
		if item == whatsmeow.QRChannelSuccess {
			break
		}
		if item.Event != whatsmeow.QRChannelEventCode {
			t.Fatalf("QR channel after pairing = %+v, want success", item)
		}
	}
	rec.waitN(t, ctx, "Connected", 1, is[*events.Connected])
	if err := srv.WaitLoggedIn(ctx, jid); err != nil {
		t.Fatal(err)
	}
	if got := cli.Store.GetJID(); got != jid || jid.User != "6281211110003" {
		t.Errorf("stored JID = %s, linked %s", got, jid)
	}
}
