package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/bot/console"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/store"
)

// rosterFlags are the flags of the roster commands.
type rosterFlags struct {
	cfgPath, office, from, to, date, out, in string
	force                                    bool
}

func rosterFlagSet(name, usage string, io IO, f *rosterFlags, dates bool) *flag.FlagSet {
	fs := flags(name, io.Stderr, &f.cfgPath)
	fs.StringVar(&f.office, "opd", "", "office `CODE`")
	if dates {
		fs.StringVar(&f.from, "from", "", "first `DATE` (YYYY-MM-DD; default today)")
		fs.StringVar(&f.to, "to", "", "last `DATE` (YYYY-MM-DD; default a week after -from)")
	}
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// rosterService opens the store and a core that knows the roster
// configuration. Messages it queues (a swap's post) are sent by the
// running bot.
func rosterService(ctx context.Context, cfg config.Config) (*bot.Service, *store.Store, error) {
	policies, err := app.RosterPolicies(cfg)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	var implicit []bot.Addresser
	if cfg.Console.Enabled {
		implicit = append(implicit, console.New(console.Options{Directory: st, Lang: cfg.Language}))
	}
	svc := bot.New(bot.Options{
		Store: st, Texts: bot.TextsFor(cfg.Language), Clock: time.Now,
		Policy: func(code string) bot.OfficePolicy {
			return bot.OfficePolicy{Deadline: cfg.Deadline(code).Minutes(), Roster: policies(code)}
		},
		Implicit: implicit,
	})
	return svc, st, nil
}

// rosterRange reads -opd, -from and -to.
func rosterRange(f rosterFlags, cfg config.Config, fs *flag.FlagSet) (code string, from, to civil.Date, err error) {
	code = strings.ToUpper(strings.TrimSpace(f.office))
	if code == "" {
		fs.Usage()
		return "", from, to, errUsage
	}
	if f.from == "" {
		loc, _ := time.LoadLocation(cfg.OfficeTZ(code))
		from = civil.In(time.Now(), loc)
	} else if from, err = civil.Parse(f.from); err != nil {
		return "", from, to, &exitError{code: 2, msg: fmt.Sprintf("piket: -from: %q is not a date YYYY-MM-DD", f.from)}
	}
	to = from.AddDays(6)
	if f.to != "" {
		if to, err = civil.Parse(f.to); err != nil {
			return "", from, to, &exitError{code: 2, msg: fmt.Sprintf("piket: -to: %q is not a date YYYY-MM-DD", f.to)}
		}
	}
	if to.Before(from) || from.DaysUntil(to) > 366 {
		return "", from, to, &exitError{code: 2, msg: "piket: -to must be on or after -from, within a year"}
	}
	return code, from, to, nil
}

// runRosterRange parses the flags of a roster command over a range of
// days, opens the core, and calls run.
func runRosterRange(ctx context.Context, name, usage string, args []string, io IO,
	run func(svc *bot.Service, cfg config.Config, code string, from, to civil.Date) error) error {
	var f rosterFlags
	fs := rosterFlagSet(name, usage, io, &f, true)
	cfg, err := parseConfig(fs, args, &f.cfgPath, io)
	if err != nil {
		return err
	}
	code, from, to, err := rosterRange(f, cfg, fs)
	if err != nil {
		return err
	}
	svc, st, err := rosterService(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return run(svc, cfg, code, from, to)
}

func runRosterShow(ctx context.Context, args []string, io IO) error {
	return runRosterRange(ctx, "roster show", "Usage: piket roster show -opd CODE [-from DATE] [-to DATE] [-config FILE]\n\n"+
		"Prints an office's duty roster, day by day, as it is posted to the group. Days without a roster are generated (as drafts).", args, io,
		func(svc *bot.Service, _ config.Config, code string, from, to civil.Date) error {
			texts, err := svc.ShowRoster(ctx, code, from, to)
			if err != nil {
				return rosterError(err)
			}
			fmt.Fprintln(io.Stdout, strings.Join(texts, "\n\n"))
			return nil
		})
}

func runRosterGenerate(ctx context.Context, args []string, io IO) error {
	return runRosterRange(ctx, "roster generate", "Usage: piket roster generate -opd CODE [-from DATE] [-to DATE] [-config FILE]\n\n"+
		"Generates the unpublished roster days of an office again from the current staff, absences and policy.\n"+
		"Published days and days changed by a swap are kept.", args, io,
		func(svc *bot.Service, cfg config.Config, code string, from, to civil.Date) error {
			n, err := svc.GenerateRoster(ctx, code, from, to)
			if err != nil {
				return rosterError(err)
			}
			if cfg.Language == "en" {
				fmt.Fprintf(io.Stdout, "Roster of %s generated for %d working day(s) from %s to %s (published days kept).\n", code, n, from, to)
			} else {
				fmt.Fprintf(io.Stdout, "Jadwal piket %s dibuat untuk %d hari kerja, %s s.d. %s (hari yang sudah diumumkan tetap).\n", code, n, from, to)
			}
			return nil
		})
}

func runRosterSwap(ctx context.Context, args []string, io IO) error {
	var f rosterFlags
	fs := rosterFlagSet("roster swap", "Usage: piket roster swap -opd CODE -date DATE -out NIP -in NIP [-force] [-config FILE]\n\n"+
		"Puts NIP -in on duty instead of NIP -out on DATE and posts the change to the office's groups.\n"+
		"A swap that breaks a coverage rule of the roster policy is refused unless -force is given.", io, &f, false)
	fs.StringVar(&f.date, "date", "", "the duty `DATE` (YYYY-MM-DD)")
	fs.StringVar(&f.out, "out", "", "`NIP` of the person taken off duty")
	fs.StringVar(&f.in, "in", "", "`NIP` of the person put on duty")
	fs.BoolVar(&f.force, "force", false, "make the swap even if it breaks a coverage rule of the roster policy (the list then carries a ⚠️ note)")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 || f.office == "" || f.date == "" || f.out == "" || f.in == "" {
		fs.Usage()
		return errUsage
	}
	cfg, err := loadConfig(f.cfgPath, io)
	if err != nil {
		return err
	}
	day, err := civil.Parse(f.date)
	if err != nil {
		return &exitError{code: 2, msg: fmt.Sprintf("piket: -date: %q is not a date YYYY-MM-DD", f.date)}
	}
	svc, st, err := rosterService(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	code := strings.ToUpper(strings.TrimSpace(f.office))
	if err := svc.SwapDuty(ctx, code, day, f.out, f.in, f.force); err != nil {
		return rosterError(err)
	}
	if cfg.Language == "en" {
		fmt.Fprintf(io.Stdout, "%s: %s replaces %s on %s; the change is queued for the office's groups.\n", code, f.in, f.out, day)
	} else {
		fmt.Fprintf(io.Stdout, "%s: %s menggantikan %s pada %s; perubahan dikirim ke grup OPD.\n", code, f.in, f.out, day)
	}
	return nil
}

// rosterError turns the outcomes an admin can fix into plain messages.
func rosterError(err error) error {
	switch {
	case errors.Is(err, bot.ErrUnknownOffice), errors.Is(err, bot.ErrNotWorkingDay),
		errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrDuplicate), errors.Is(err, bot.ErrBreaksCoverage):
		return &exitError{code: 1, msg: "piket: " + err.Error()}
	}
	return err
}
