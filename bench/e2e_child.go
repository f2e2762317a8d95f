package bench

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"

	"github.com/piket-id/piket/cli"
)

// Environment of the serving child process the end-to-end run starts.
const (
	// ServeEnv names the configuration file: when set, the process is the
	// child and runs `piket serve -config FILE` (see ServeChild).
	ServeEnv = "PIKET_BENCH_SERVE"
	// profileEnv names the file SIGUSR1 starts and stops a CPU profile in.
	profileEnv = "PIKET_BENCH_CPUPROFILE"
)

// ServeChild runs `piket serve` exactly as cmd/piket does (cli.Run, the
// same app wiring), with the configuration named by ServeEnv, until
// SIGTERM or SIGINT; the first SIGUSR1 starts a CPU profile into the file
// named by PIKET_BENCH_CPUPROFILE, the next one stops it. It returns the
// exit code. cmd/piket-bench (and the bench tests' TestMain) call it when
// ServeEnv is set, so the end-to-end run can start the real serve as a
// child process of its own binary.
func ServeChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv(profileEnv); path != "" {
		usr := make(chan os.Signal, 1)
		signal.Notify(usr, syscall.SIGUSR1)
		defer signal.Stop(usr)
		done := make(chan struct{})
		defer func() { stop(); <-done }() // stop ends the profiler goroutine
		go func() {
			defer close(done)
			var f *os.File
			defer func() {
				if f != nil {
					pprof.StopCPUProfile()
					f.Close()
				}
			}()
			for {
				select {
				case <-ctx.Done():
					return
				case <-usr:
				}
				if f != nil {
					pprof.StopCPUProfile()
					f.Close()
					f = nil
					continue
				}
				var err error
				if f, err = os.Create(path); err != nil {
					fmt.Fprintln(os.Stderr, "piket-bench child:", err)
					continue
				}
				if err := pprof.StartCPUProfile(f); err != nil {
					fmt.Fprintln(os.Stderr, "piket-bench child:", err)
					f.Close()
					f = nil
				}
			}
		}()
	}
	return cli.Run(ctx, []string{"serve", "-config", os.Getenv(ServeEnv)}, cli.IO{
		Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
	})
}
