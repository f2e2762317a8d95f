package cli

import (
	"context"
	"fmt"

	"github.com/piket-id/piket/app"
)

func runServe(ctx context.Context, args []string, io IO) error {
	var cfgPath string
	fs := flags("serve", io.Stderr, &cfgPath)
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket serve [-config FILE]\n\nRuns the bot on the platforms the configuration enables (the console reads stdin).")
		fs.PrintDefaults()
	}
	cfg, err := parseConfig(fs, args, &cfgPath, io)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Env{Stdin: io.Stdin, Stdout: io.Stdout, Stderr: io.Stderr, Getenv: io.Getenv, Prompt: io.Terminal})
	if err != nil {
		return err
	}
	defer a.Close()
	a.Log.Info("piket started", "database", cfg.Database, "console", cfg.Console.Enabled, "telegram", cfg.Telegram.Enabled, "whatsapp", cfg.WhatsApp.Enabled)
	return a.Run(ctx)
}
