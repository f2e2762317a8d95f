// Package crashtest kills a process running the real store, service and
// outbox with SIGKILL at random points and checks that nothing
// acknowledged was lost or doubled. Run it with ./crashtest/run.sh (or
// PIKET_CRASH=1 go test -v ./crashtest); it is skipped otherwise.
package crashtest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/piket-id/piket/bench"
)

func TestCrash(t *testing.T) {
	if os.Getenv("PIKET_CRASH") != "1" {
		t.Skip("set PIKET_CRASH=1 (or run crashtest/run.sh)")
	}
	messages, kills := 10000, 20
	if v, err := strconv.Atoi(os.Getenv("PIKET_CRASH_MESSAGES")); err == nil && v > 0 {
		messages = v
	}
	ctx := context.Background()
	dir := t.TempDir()
	child := filepath.Join(dir, "crashchild")
	if out, err := exec.Command("go", "build", "-o", child, "./crashchild").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	env, err := bench.NewEnv(ctx, dir, messages, max(1, messages/50))
	if err != nil {
		t.Fatal(err)
	}
	nips := env.NIPs
	env.Close()
	db := env.Path
	input := make([]string, messages)
	for i := range input {
		input[i] = fmt.Sprintf("m%05d %s hadir wfh sehat, rencana: pekerjaan %d", i, nips[i], i)
	}

	acked := make([]bool, messages)
	sentCount := map[int64]int{}
	markedAtKill := map[int64]bool{} // outbox IDs marked sent when the process died
	var sentAfterMarked []int64
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 8))
	for run := 0; run <= kills; run++ {
		from := 0
		for from < messages && acked[from] {
			from++
		}
		cmd := exec.Command(child, db)
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() {
			w := bufio.NewWriter(stdin)
			for _, l := range input[from:] {
				if _, err := w.WriteString(l + "\n"); err != nil {
					return
				}
			}
			w.Flush()
			stdin.Close()
		}()
		var mu sync.Mutex
		done := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			finished := false
			for sc.Scan() {
				kind, arg, _ := strings.Cut(sc.Text(), " ")
				mu.Lock()
				switch kind {
				case "ACK":
					i, _ := strconv.Atoi(strings.TrimPrefix(arg, "m"))
					acked[i] = true
				case "SENT":
					id, _ := strconv.ParseInt(arg, 10, 64)
					sentCount[id]++
					if markedAtKill[id] {
						sentAfterMarked = append(sentAfterMarked, id)
					}
				case "DONE":
					finished = true
				}
				mu.Unlock()
			}
			io.Copy(io.Discard, stdout)
			done <- finished
		}()
		if run < kills {
			time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			cmd.Wait()
			// What the dead process had marked sent must never be sent again.
			ids, err := sentIDs(db)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				markedAtKill[id] = true
			}
			continue
		}
		if !<-done {
			t.Fatal("last run did not finish")
		}
		if err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}

	n := 0
	for _, a := range acked {
		if a {
			n++
		}
	}
	c := counts(t, db)
	t.Logf("kills %d; messages %d, acknowledged %d; inbound rows %d (distinct IDs %d); attendance rows %d (distinct person-days %d); history rows %d",
		kills, messages, n, c["inbound"], c["inbound_distinct"], c["attendance"], c["attendance_distinct"], c["history"])
	t.Logf("outbox rows %d, marked sent %d, sent at least once %d, sent more than once %d (crash between send and mark), sent again after marked sent %d",
		c["outbox"], c["outbox_sent"], len(sentCount), dupes(sentCount), len(sentAfterMarked))
	if n != messages {
		t.Errorf("acknowledged %d of %d", n, messages)
	}
	if c["inbound"] != messages || c["inbound_distinct"] != messages {
		t.Errorf("inbound rows %d, distinct %d, want %d", c["inbound"], c["inbound_distinct"], messages)
	}
	if c["attendance"] != messages || c["attendance_distinct"] != messages || c["history"] != messages {
		t.Errorf("attendance %d (distinct %d), history %d, want %d each", c["attendance"], c["attendance_distinct"], c["history"], messages)
	}
	if c["outbox"] != messages || c["outbox_sent"] != messages {
		t.Errorf("outbox rows %d, sent %d, want %d", c["outbox"], c["outbox_sent"], messages)
	}
	for id := int64(1); id <= int64(c["outbox"]); id++ {
		if sentCount[id] == 0 {
			t.Errorf("outbox %d queued but never sent", id)
			break
		}
	}
	if len(sentAfterMarked) > 0 {
		t.Errorf("outbox IDs sent again after being marked sent: %v", sentAfterMarked[:min(10, len(sentAfterMarked))])
	}
}

func dupes(m map[int64]int) int {
	n := 0
	for _, c := range m {
		if c > 1 {
			n++
		}
	}
	return n
}
