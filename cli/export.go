package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/export"
	"github.com/piket-id/piket/store"
)

func runExport(ctx context.Context, args []string, io IO) error {
	var cfgPath, month, office, format, out string
	fs := flags("export", io.Stderr, &cfgPath)
	fs.StringVar(&month, "month", "", "the month to export, `YYYY-MM` (required)")
	fs.StringVar(&office, "opd", "", "export only this office `CODE` (default: every office)")
	fs.StringVar(&format, "format", "", "csv or xlsx (default: from the -o file name)")
	fs.StringVar(&out, "o", "", "write to `FILE` (required)")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket export -month YYYY-MM [-opd CODE] [-format csv|xlsx] -o FILE\n\n"+
			"Writes one row per person per working day (status \"tanpa keterangan\" when nothing was recorded);\n"+
			"an XLSX file also gets a sheet \"Ringkasan\" with one row per person.")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || month == "" || out == "" {
		fs.Usage()
		return errUsage
	}
	year, mon, err := export.ParseMonth(month)
	if err != nil {
		return &exitError{code: 2, msg: "piket export: -month: " + err.Error()}
	}
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
	}
	if format != "csv" && format != "xlsx" {
		return &exitError{code: 2, msg: fmt.Sprintf("piket export: -format: %q is not csv or xlsx", format)}
	}
	cfg, err := loadConfig(cfgPath, io)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp)
	working, err := app.WorkingDays(cfg)
	if err != nil {
		return err
	}
	opt := export.Options{Year: year, Month: mon, Office: office, WorkingDay: working, Since: cfg.Since}
	var sums []export.Summary
	if format == "csv" {
		sums, err = export.CSV(ctx, f, st, opt)
	} else {
		sums, err = export.XLSX(ctx, f, st, opt)
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("export: %w", cerr)
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	days := 0
	if len(sums) > 0 {
		days = sums[0].WorkDays
	}
	if cfg.Language == "en" {
		fmt.Fprintf(io.Stdout, "Exported %s: %d person(s), %d working day(s) to %s.\n", month, len(sums), days, out)
	} else {
		fmt.Fprintf(io.Stdout, "Ekspor %s: %d pegawai, %d hari kerja ke %s.\n", month, len(sums), days, out)
	}
	return nil
}
