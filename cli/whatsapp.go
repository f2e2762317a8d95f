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
	var cfgPath, phone string
	fs := flags("whatsapp pair", io.Stderr, &cfgPath)
	fs.StringVar(&phone, "phone", "", "pair with an 8-character code typed on the phone of `NUMBER` (+62…) instead of a QR code")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket whatsapp pair [-config FILE] [-phone +62…]\n\n"+
			"Links Piket to a WhatsApp account as a linked device; the session is kept in whatsapp.session_db.")
		fs.PrintDefaults()
	}
	container, _, unlock, err := openWhatsApp(ctx, fs, args, &cfgPath, io)
	if err != nil {
		return err
	}
	defer unlock()
	defer container.Close()
	return whatsapp.Pair(ctx, container, io.Stdout, phone)
}

func runWhatsAppGroups(ctx context.Context, args []string, io IO) error {
	var cfgPath string
	fs := flags("whatsapp groups", io.Stderr, &cfgPath)
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket whatsapp groups [-config FILE]\n\nLists the WhatsApp groups the paired number is in, with their IDs.")
		fs.PrintDefaults()
	}
	container, log, unlock, err := openWhatsApp(ctx, fs, args, &cfgPath, io)
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

// openWhatsApp parses a whatsapp subcommand's flags, takes the
// database's instance lock (a running serve uses the WhatsApp device: a
// second client of it would replace serve's connection) and opens the
// session store the configuration names. unlock releases the lock.
func openWhatsApp(ctx context.Context, fs *flag.FlagSet, args []string, cfgPath *string, io IO) (_ *sqlstore.Container, _ *slog.Logger, unlock func(), _ error) {
	cfg, err := parseConfig(fs, args, cfgPath, io)
	if err != nil {
		return nil, nil, nil, err
	}
	lock, err := store.Lock(cfg.Database)
	if err != nil {
		var le *store.LockedError
		if errors.As(err, &le) {
			return nil, nil, nil, &exitError{code: 1, msg: fmt.Sprintf(
				"piket: Piket is running on %s (%v).\nStop it first (e.g. systemctl stop piket): a second connection of its WhatsApp device would cut the running one off.",
				cfg.Database, err)}
		}
		return nil, nil, nil, err
	}
	log := app.NewLogger(io.Stderr, cfg.Log)
	container, err := whatsapp.OpenStore(ctx, cfg.WhatsApp.SessionDB, log)
	if err != nil {
		lock.Close()
		return nil, nil, nil, err
	}
	return container, log, func() { lock.Close() }, nil
}
