package cli

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/bot/whatsapp"
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
	container, _, err := openWhatsApp(ctx, fs, args, &cfgPath, io)
	if err != nil {
		return err
	}
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
	container, log, err := openWhatsApp(ctx, fs, args, &cfgPath, io)
	if err != nil {
		return err
	}
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

// openWhatsApp parses a whatsapp subcommand's flags and opens the session
// store the configuration names.
func openWhatsApp(ctx context.Context, fs *flag.FlagSet, args []string, cfgPath *string, io IO) (*sqlstore.Container, *slog.Logger, error) {
	cfg, err := parseConfig(fs, args, cfgPath, io)
	if err != nil {
		return nil, nil, err
	}
	log := app.NewLogger(io.Stderr, cfg.Log)
	container, err := whatsapp.OpenStore(ctx, cfg.WhatsApp.SessionDB, log)
	if err != nil {
		return nil, nil, err
	}
	return container, log, nil
}
