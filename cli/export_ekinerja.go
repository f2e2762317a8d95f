package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/piket-id/piket/export"
	"github.com/piket-id/piket/store"
)

// runExportEKinerja writes a month's daily progress (progres harian) for
// e-Kinerja: one row per person per day. e-Kinerja has no public import
// API: the file is a sheet to copy from. A .xlsx FILE gets a workbook,
// anything else CSV.
func runExportEKinerja(ctx context.Context, cfgPath string, year int, mon time.Month, month, office, out string, force bool, io IO) error {
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
	opt := export.Options{Year: year, Month: mon, Office: office}
	xlsx := strings.EqualFold(filepath.Ext(out), ".xlsx")
	var rows int
	err = writeAtomic(out, force, func(f *os.File) error {
		var err error
		if xlsx {
			rows, err = export.EKinerjaXLSX(ctx, f, st, opt)
		} else {
			rows, err = export.EKinerjaCSV(ctx, f, st, opt)
		}
		return err
	})
	if errors.Is(err, os.ErrExist) {
		return existsError(out, cfg.Language)
	}
	if err != nil {
		return err
	}
	if cfg.Language == "en" {
		fmt.Fprintf(io.Stdout, "Exported the daily progress of %s for e-Kinerja: %d person-day(s) to %s (no public e-Kinerja import API exists: copy from this sheet).\n", month, rows, out)
	} else {
		fmt.Fprintf(io.Stdout, "Ekspor progres harian %s untuk e-Kinerja: %d baris pegawai-hari ke %s (e-Kinerja tidak punya API impor publik: salin dari lembar ini).\n", month, rows, out)
	}
	return nil
}
