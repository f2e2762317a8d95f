package cli

import (
	"context"
	"errors"
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
	var force bool
	fs := flags("export", io.Stderr, &cfgPath)
	fs.StringVar(&month, "month", "", "the month to export, `YYYY-MM` (required)")
	fs.StringVar(&office, "opd", "", "export only this office `CODE` (default: every office)")
	fs.StringVar(&format, "format", "", "csv, xlsx or ekinerja (default: from the -o file name)")
	fs.StringVar(&out, "o", "", "write to `FILE` (required; never overwritten without -force)")
	fs.BoolVar(&force, "force", false, "replace FILE if it exists")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket export -month YYYY-MM [-opd CODE] [-format csv|xlsx] [-force] -o FILE\n\n"+
			"Writes one row per person per working day (status \"tanpa keterangan\" when nothing was recorded);\n"+
			"an XLSX file also gets a sheet \"Ringkasan\" with one row per person.\n"+
			"FILE is created 0600 and is not overwritten unless -force is given.\n"+
			"-format ekinerja writes the daily progress for e-Kinerja instead (CSV, or XLSX for a .xlsx FILE).")
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
	if format == "ekinerja" {
		return runExportEKinerja(ctx, cfgPath, year, mon, month, office, out, force, io)
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
	if err := refuseExisting(out, force, cfg.Language); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	working, err := app.WorkingDays(cfg)
	if err != nil {
		return err
	}
	opt := export.Options{Year: year, Month: mon, Office: office, WorkingDay: working, Since: cfg.Since}
	var sums []export.Summary
	err = writeAtomic(out, force, func(f *os.File) error {
		var err error
		if format == "csv" {
			sums, err = export.CSV(ctx, f, st, opt)
		} else {
			sums, err = export.XLSX(ctx, f, st, opt)
		}
		return err
	})
	if errors.Is(err, os.ErrExist) {
		return existsError(out, cfg.Language)
	}
	if err != nil {
		return err
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

// refuseExisting fails if something (a file, a symlink, a directory) is
// at out and force is not set.
func refuseExisting(out string, force bool, lang string) error {
	if force {
		return nil
	}
	if _, err := os.Lstat(out); err == nil {
		return existsError(out, lang)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

func existsError(out, lang string) error {
	if lang == "en" {
		return &exitError{code: 1, msg: fmt.Sprintf("piket export: %s already exists; choose another name or add -force to replace it", out)}
	}
	return &exitError{code: 1, msg: fmt.Sprintf("piket export: %s sudah ada; pilih nama lain atau tambahkan -force untuk menimpanya", out)}
}

// writeAtomic writes out through write: into a new temporary file in
// out's directory (random name, O_EXCL, mode 0600: nothing planted there
// is opened or followed), synced, then put in place. Without force it is
// hard-linked to out, which fails with os.ErrExist if anything (even a
// dangling symlink) is there; with force it is renamed over out, which
// replaces a symlink rather than following it. On error nothing is left.
func writeAtomic(out string, force bool, write func(*os.File) error) error {
	dir := filepath.Dir(out)
	f, err := os.CreateTemp(dir, "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if force {
		err = os.Rename(tmp, out)
	} else if err = os.Link(tmp, out); err != nil && !errors.Is(err, os.ErrExist) {
		// No hard links on this file system: check again, then rename.
		if _, serr := os.Lstat(out); serr == nil {
			return os.ErrExist
		}
		err = os.Rename(tmp, out)
	}
	if !force && errors.Is(err, os.ErrExist) {
		return os.ErrExist
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		err = d.Sync() // the new name survives a power cut
		d.Close()
		if err != nil {
			return fmt.Errorf("export: sync %s: %w", dir, err)
		}
	}
	return nil
}
