// Package cli is Piket's command line: one binary with subcommands. main
// only calls Run; exit codes are decided here and returned to main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/piket-id/piket/config"
)

// IO is what a command reads and writes.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Terminal is true when stdin is an interactive terminal.
	Terminal bool
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io IO) error
}

func commands() []command {
	return []command{
		{"serve", "run the bot with the configured platforms", runServe},
		{"demo", "run the bot in the console on built-in sample data (no tokens needed)", runDemo},
		{"staff import", "import staff from a CSV or XLSX file", runStaffImport},
		{"staff add", "add one person (checked as an import row)", runStaffAdd},
		{"staff deactivate", "mark one person inactive by NIP", runStaffDeactivate},
		{"staff list", "print an office's staff as a table", runStaffList},
		{"roster show", "print an office's duty roster (the text posted to the group)", runRosterShow},
		{"roster generate", "generate the unpublished days of an office's duty roster", runRosterGenerate},
		{"roster swap", "put one person on duty instead of another on a day, and post the change", runRosterSwap},
		{"export", "export a month of attendance as CSV or XLSX (for allowances)", runExport},
		{"whatsapp pair", "link Piket to a WhatsApp account (QR code or pairing code)", runWhatsAppPair},
		{"whatsapp groups", "list the WhatsApp groups the paired number is in", runWhatsAppGroups},
		{"backup", "copy the database while Piket runs; -verify checks a backup", runBackup},
		{"healthcheck", "exit 0 if the running Piket's /healthz is ok (container health checks)", runHealthcheck},
		{"status", "print the running Piket's state: each platform (WhatsApp: connected, logged out, banned…) and check", runStatus},
	}
}

// errUsage means the command line was wrong; usage was printed.
var errUsage = errors.New("usage")

// exitError carries a specific exit code.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Run runs the command line args (without the program name) and returns
// the process exit code: 0 success, 1 failure, 2 usage.
func Run(ctx context.Context, args []string, io IO) int {
	if io.Getenv == nil {
		io.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(io.Stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			err := c.run(ctx, args[len(words):], io)
			return exitCode(err, io.Stderr)
		}
	}
	fmt.Fprintf(io.Stderr, "piket: unknown command %q\n\n", strings.Join(args, " "))
	usage(io.Stderr)
	return 2
}

func exitCode(err error, stderr io.Writer) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(stderr, ee.msg)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "piket: %v\n", err)
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Piket: remote-work attendance and duty rosters over WhatsApp and Telegram.")
	fmt.Fprintln(w, "\nUsage: piket COMMAND [flags]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes -config FILE (default: piket.yaml if present, else built-in defaults) and -h.")
}

// flags returns a FlagSet with the common -config flag.
func flags(name string, stderr io.Writer, cfgPath *string) *flag.FlagSet {
	fs := flag.NewFlagSet("piket "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(cfgPath, "config", "", "configuration `FILE` (default: "+config.DefaultFile+" if present, else built-in defaults)")
	return fs
}

// parse parses flags that may stand before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseConfig parses the flags of a command that takes no positional
// arguments, then loads the configuration named by *cfgPath.
func parseConfig(fs *flag.FlagSet, args []string, cfgPath *string, io IO) (config.Config, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return config.Config{}, err
	}
	if len(pos) > 0 {
		fs.Usage()
		return config.Config{}, errUsage
	}
	return loadConfig(*cfgPath, io)
}

func loadConfig(path string, io IO) (config.Config, error) {
	cfg, err := config.Load(path, io.Getenv)
	if err != nil {
		if !strings.HasPrefix(err.Error(), "config:") {
			err = fmt.Errorf("config: %w", err)
		}
		return config.Config{}, &exitError{code: 1, msg: "piket: " + err.Error()}
	}
	return cfg, nil
}
