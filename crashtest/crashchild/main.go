// Command crashchild is the process the crash test kills: the real store,
// core service and outbox dispatcher over a database file, fed from stdin.
// Each input line is "MESSAGE_ID NIP TEXT"; after Handle returned (the
// message and its reply are committed) it prints "ACK MESSAGE_ID". Its
// sender prints "SENT OUTBOX_ID" before the dispatcher marks the message
// sent. At end of input it drains the outbox and prints "DONE".
package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/outbox"
	"github.com/piket-id/piket/store"
)

type addr struct{}

func (addr) Platform() bot.Platform       { return bot.Console }
func (addr) PersonChat(nip string) string { return nip }
func (addr) GroupChat(code string) string { return "grup:" + code }
func (addr) TrustsSender() bool           { return true }

type out struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (o *out) line(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.w.WriteString(s + "\n")
	o.w.Flush()
}

type printSender struct{ o *out }

func (p printSender) Send(_ context.Context, m bot.Outbound) (string, error) {
	p.o.line(fmt.Sprint("SENT ", m.ID))
	return "", nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "crashchild:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Args[1], store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	o := &out{w: bufio.NewWriter(os.Stdout)}
	d := outbox.New(outbox.Options{Store: st, Senders: map[bot.Platform]bot.Sender{bot.Console: printSender{o}},
		Limits: map[bot.Platform]outbox.Limits{bot.Console: {Concurrency: 8}}})
	svc := bot.New(bot.Options{Store: st, Clock: time.Now, Implicit: []bot.Addresser{addr{}}, Notify: d.Notify,
		Policy: func(string) bot.OfficePolicy { return bot.OfficePolicy{Deadline: 8 * 60} }})
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	dispatched := make(chan error, 1)
	go func() { dispatched <- d.Run(dctx) }()

	lines := make(chan string)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for l := range lines {
				f := strings.SplitN(l, " ", 3)
				if len(f) != 3 {
					errs <- fmt.Errorf("bad line %q", l)
					return
				}
				if err := svc.Handle(ctx, bot.Inbound{Platform: bot.Console, MessageID: f[0], SenderID: f[1], ChatID: f[1], Text: f[2], Time: time.Now(), Addressed: true}); err != nil {
					errs <- err
					return
				}
				o.line("ACK " + f[0])
			}
		})
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		lines <- sc.Text()
	}
	close(lines)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	stop()
	<-dispatched
	if err := d.Flush(ctx); err != nil {
		return err
	}
	o.line("DONE")
	return nil
}
