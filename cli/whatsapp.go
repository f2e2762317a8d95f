package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"

	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/bot/whatsapp"
	"github.com/piket-id/piket/store"
)

func runWhatsAppPair(ctx context.Context, args []string, io IO) error {
	var cfgPath, phone, account string
	fs := flags("whatsapp pair", io.Stderr, &cfgPath)
	fs.StringVar(&phone, "phone", "", "pair with an 8-character code typed on the phone of `NUMBER` (+62…) instead of a QR code")
	accountFlag(fs, &account)
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket whatsapp pair [-config FILE] [-account NAME] [-phone +62…]\n\n"+
			"Links Piket to a WhatsApp account as a linked device; the session is kept in whatsapp.session_db\n"+
			"(for -account NAME, in that number's session file of whatsapp.accounts).")
		fs.PrintDefaults()
	}
	container, _, unlock, err := openWhatsApp(ctx, fs, args, &cfgPath, &account, io, true)
	if err != nil {
		return err
	}
	defer unlock()
	defer container.Close()
	return whatsapp.Pair(ctx, container, io.Stdout, phone)
}

func runWhatsAppGroups(ctx context.Context, args []string, io IO) error {
	var cfgPath, account string
	fs := flags("whatsapp groups", io.Stderr, &cfgPath)
	accountFlag(fs, &account)
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket whatsapp groups [-config FILE] [-account NAME]\n\nLists the WhatsApp groups the paired number is in, with their IDs.")
		fs.PrintDefaults()
	}
	container, log, unlock, err := openWhatsApp(ctx, fs, args, &cfgPath, &account, io, false)
	if err != nil {
		return err
	}
	defer unlock()
	defer container.Close()
	device, err := container.GetFirstDevice(ctx)
	if err != nil {
		return fmt.Errorf("whatsapp: load device: %w", err)
	}
	client := whatsapp.NewClient(device, log)
	if err := whatsapp.Connect(ctx, client); err != nil {
		return err
	}
	defer client.Disconnect()
	groups, err := whatsapp.ListGroups(ctx, client)
	if err != nil {
		return err
	}
	return whatsapp.PrintGroups(io.Stdout, groups)
}

// openWhatsApp parses a whatsapp subcommand's flags, takes the locks and
// opens the session store the configuration names. unlock releases the
// locks.
//
// A second client of the paired device would cut a running serve's
// connection off, so the command takes the database's instance lock (no
// serve running) and the session lock (no serve, nor another command,
// using the paired device). Pairing (besideServe) may also run while serve
// runs with WhatsApp enabled but unpaired: serve then holds no session
// lock, and picks the new pairing up by itself.
func openWhatsApp(ctx context.Context, fs *flag.FlagSet, args []string, cfgPath, account *string, io IO, besideServe bool) (_ *sqlstore.Container, _ *slog.Logger, unlock func(), _ error) {
	cfg, err := parseConfig(fs, args, cfgPath, io)
	if err != nil {
		return nil, nil, nil, err
	}
	acc, err := cfg.WhatsAppAccount(*account)
	if err != nil {
		return nil, nil, nil, &exitError{code: 2, msg: "piket: -account: " + err.Error()}
	}
	var locks []*store.InstanceLock
	unlockAll := func() {
		for _, l := range locks {
			l.Close()
		}
	}
	lock, err := store.Lock(cfg.Database)
	var le *store.LockedError
	switch {
	case err == nil:
		locks = append(locks, lock)
	case !errors.As(err, &le):
		return nil, nil, nil, err
	case !besideServe || !cfg.WhatsApp.Enabled:
		return nil, nil, nil, &exitError{code: 1, msg: fmt.Sprintf(
			"piket: Piket is running on %s (%v).\nStop it first (e.g. systemctl stop piket): a second connection of its WhatsApp device would cut the running one off.",
			cfg.Database, err)}
	}
	slock, err := whatsapp.LockSession(acc.Session)
	if err != nil {
		unlockAll()
		if errors.As(err, &le) {
			return nil, nil, nil, &exitError{code: 1, msg: fmt.Sprintf(
				"piket: the WhatsApp session is in use (%v).\nA running Piket uses its paired device, or another `piket whatsapp` command runs. "+
					"Pairing beside a running Piket is possible only while its WhatsApp is unpaired (see `piket status`); otherwise stop it first.", err)}
		}
		return nil, nil, nil, err
	}
	locks = append(locks, slock)
	log := app.NewLogger(io.Stderr, cfg.Log)
	container, err := whatsapp.OpenStore(ctx, acc.Session, log)
	if err != nil {
		unlockAll()
		return nil, nil, nil, err
	}
	if lock == nil {
		fmt.Fprintln(io.Stderr, "Piket sedang berjalan tanpa WhatsApp tertaut; setelah penautan berhasil, Piket memakainya tanpa dijalankan ulang.")
	}
	return container, log, unlockAll, nil
}

// accountFlag adds -account: which WhatsApp number of whatsapp.accounts
// (default: the primary one, whatsapp.session_db).
func accountFlag(fs *flag.FlagSet, account *string) {
	fs.StringVar(account, "account", "", "the WhatsApp number `NAME` of whatsapp.accounts (default: the primary one, whatsapp.session_db)")
}
