package whatsapp

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"
)

func TestOpenStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "piket-whatsapp.db")

	c, err := OpenStore(ctx, path, nil)
	if err != nil {
		t.Fatalf("OpenStore: %v", err)
	}
	dev, err := c.GetFirstDevice(ctx)
	if err != nil {
		t.Fatalf("GetFirstDevice: %v", err)
	}
	if dev.ID != nil || !dev.GetJID().IsEmpty() {
		t.Errorf("fresh store has a paired device %v", dev.ID)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("session file mode %v, want 0600", mode)
	}

	// Reopening runs the (now empty) upgrade again and still works.
	c, err = OpenStore(ctx, path, nil)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer c.Close()
	if _, err := c.GetFirstDevice(ctx); err != nil {
		t.Fatalf("GetFirstDevice after reopen: %v", err)
	}
}

func TestOpenStoreErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := OpenStore(ctx, filepath.Join(t.TempDir(), "a?b.db"), nil); err == nil {
		t.Error("path with '?' accepted")
	}
	if _, err := OpenStore(ctx, filepath.Join(t.TempDir(), "missing", "dir", "x.db"), nil); err == nil {
		t.Error("path in a missing directory accepted")
	}
}

func TestStoreDSN(t *testing.T) {
	dsn := storeDSN("/var/lib/piket/piket-whatsapp.db")
	for _, want := range []string{"_pragma=foreign_keys%281%29", "_pragma=journal_mode%28WAL%29", "_pragma=busy_timeout%2810000%29", "_txlock=immediate"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("DSN %q lacks %q", dsn, want)
		}
	}
}

func TestPairAlreadyPaired(t *testing.T) {
	ctx := context.Background()
	c, err := OpenStore(ctx, filepath.Join(t.TempDir(), "wa.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dev, err := c.GetFirstDevice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := types.JID{User: botPN.User, Device: 5, Server: types.DefaultUserServer}
	dev.ID = &id
	dev.Account = &waAdv.ADVSignedDeviceIdentity{ // what pairing would store
		Details: []byte{1}, AccountSignature: make([]byte, 64), AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64),
	}
	if err := dev.Save(ctx); err != nil {
		t.Fatalf("save device: %v", err)
	}

	var out bytes.Buffer
	if err := Pair(ctx, c, &out, ""); err != nil {
		t.Fatalf("Pair: %v", err)
	}
	if !strings.Contains(out.String(), "sudah tertaut") || !strings.Contains(out.String(), "+6281100000001") {
		t.Errorf("output %q does not say the device is already paired", out.String())
	}
}
