package outbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/piket-id/piket/bot"
)

// gateSender holds its first send until released.
type gateSender struct {
	countingSender
	once    sync.Once
	started chan struct{}
	release chan struct{}
}

func (g *gateSender) Send(ctx context.Context, m bot.Outbound) (string, error) {
	g.once.Do(func() { close(g.started); <-g.release })
	return g.countingSender.Send(ctx, m)
}

// fill writes to a file in dir until the file system is full.
func fill(t *testing.T, dir string) (free func()) {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Close()
	return func() {
		if err := os.Remove(name); err != nil {
			t.Fatal(err)
		}
	}
}

// A real full disk, on a small tmpfs (root only, and only when asked:
// PIKET_TMPFS=1 go test -run DiskFullTmpfs ./outbox). The disk fills while
// the first message is being sent: the dispatcher cannot record it, pauses
// and sends nothing more; once space is freed everything is sent, once.
func TestDiskFullTmpfs(t *testing.T) {
	if os.Getenv("PIKET_TMPFS") != "1" || os.Getuid() != 0 {
		t.Skip("set PIKET_TMPFS=1 and run as root (mounts a 4 MB tmpfs)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	defer func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	}()
	st := openStore(t, filepath.Join(dir, "full.db"))
	for ch := range 10 {
		enqueue(t, st, fmt.Sprint("chat", ch), false, strings.Repeat("x", 3000), "2", "3", "4", "5")
	}
	g := &gateSender{countingSender: countingSender{times: map[int64]int{}}, started: make(chan struct{}), release: make(chan struct{})}
	d := New(Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Telegram: g},
		Limits: map[bot.Platform]Limits{bot.Telegram: {Concurrency: 1}}, MaxProbe: 50 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	<-g.started // claimed, being sent
	free := fill(t, dir)
	close(g.release)
	waitFor(t, 30*time.Second, "the dispatcher to pause", func() bool { return d.Paused() })
	err := d.Check(ctx)
	t.Logf("paused: %v", err)
	if !strings.Contains(err.Error(), "record the outcome") || !strings.Contains(err.Error(), "full") {
		t.Errorf("Check = %v, want disk full", err)
	}
	time.Sleep(500 * time.Millisecond) // many probes
	if sent := g.counts(); len(sent) != 1 {
		t.Errorf("sent %v while the disk was full, want only the first message, once", sent)
	}
	free()
	waitFor(t, 30*time.Second, "the outbox to drain", func() bool { return pendingCount(t, st) == 0 })
	waitFor(t, 30*time.Second, "Check to pass", func() bool { return d.Check(ctx) == nil })
	cancel()
	<-done
	sent := g.counts()
	if len(sent) != 50 {
		t.Errorf("%d messages sent, want 50", len(sent))
	}
	for id, n := range sent {
		if n != 1 {
			t.Errorf("message %d sent %d times", id, n)
		}
	}
	st.Close() // before the unmount
}
