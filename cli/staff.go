package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/staffimport"
	"github.com/piket-id/piket/store"
)

func runStaffImport(ctx context.Context, args []string, io IO) error {
	var cfgPath string
	var deactivate, dryRun bool
	fs := flags("staff import", io.Stderr, &cfgPath)
	fs.BoolVar(&deactivate, "deactivate-missing", false, "deactivate active staff of the offices in the file who are not in it (other offices are not touched)")
	fs.BoolVar(&dryRun, "dry-run", false, "print what would be added, changed and deactivated; write nothing")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket staff import [-config FILE] [--dry-run] [--deactivate-missing] FILE.csv|FILE.xlsx\n\n"+
			"Header row: nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran. A file with any bad row imports nothing.")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
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
	res, rowErrs, err := importFile(ctx, st, pos[0], importSettings{
		lang: cfg.Language, defaultTZ: cfg.Timezone, officeTZ: officeZones(cfg.Offices), deactivate: deactivate, dryRun: dryRun,
	})
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		for _, e := range rowErrs {
			fmt.Fprintln(io.Stderr, e.Text(cfg.Language))
		}
		msg := fmt.Sprintf("Tidak ada yang diimpor: %d baris bermasalah di %s. Perbaiki lalu impor lagi.", countLines(rowErrs), pos[0])
		if cfg.Language == "en" {
			msg = fmt.Sprintf("Nothing was imported: %d bad row(s) in %s. Fix them and import again.", countLines(rowErrs), pos[0])
		}
		return &exitError{code: 1, msg: msg}
	}
	if dryRun {
		printChanges(io.Stdout, res, cfg.Language)
		fmt.Fprintln(io.Stdout, tr(cfg.Language,
			fmt.Sprintf("Uji coba %s, tidak ada yang disimpan: akan %d ditambah, %d diperbarui, %d tetap, %d dinonaktifkan, %d OPD baru.",
				pos[0], res.Created, res.Updated, res.Unchanged, res.Deactivated, res.OfficesCreated),
			fmt.Sprintf("Dry run of %s, nothing was written: would add %d, update %d, keep %d unchanged, deactivate %d, create %d office(s).",
				pos[0], res.Created, res.Updated, res.Unchanged, res.Deactivated, res.OfficesCreated)))
		return nil
	}
	if cfg.Language == "en" {
		fmt.Fprintf(io.Stdout, "Imported %s: %d added, %d updated, %d unchanged, %d deactivated, %d new office(s).\n",
			pos[0], res.Created, res.Updated, res.Unchanged, res.Deactivated, res.OfficesCreated)
	} else {
		fmt.Fprintf(io.Stdout, "Impor %s selesai: %d ditambah, %d diperbarui, %d tetap, %d dinonaktifkan, %d OPD baru.\n",
			pos[0], res.Created, res.Updated, res.Unchanged, res.Deactivated, res.OfficesCreated)
	}
	return nil
}

type importSettings struct {
	lang, defaultTZ string
	officeTZ        map[string]string
	deactivate      bool
	dryRun          bool
}

// importFile reads, validates against the registry, and imports a staff
// file. Bad rows are returned (and nothing is written) rather than failing.
func importFile(ctx context.Context, st *store.Store, path string, s importSettings) (store.ImportResult, []staff.RowError, error) {
	recs, rowErrs, err := staff.ReadFile(path)
	if err != nil {
		var mc *staff.MissingColumnsError
		if errors.As(err, &mc) {
			return store.ImportResult{}, nil, &exitError{code: 1, msg: "piket: " + err.Error()}
		}
		return store.ImportResult{}, nil, err
	}
	return importRecords(ctx, st, recs, rowErrs, s)
}

func importRecords(ctx context.Context, st *store.Store, recs []staff.Record, rowErrs []staff.RowError, s importSettings) (store.ImportResult, []staff.RowError, error) {
	return staffimport.Apply(ctx, st, recs, rowErrs, staffimport.Settings{
		DefaultTZ: s.defaultTZ, OfficeTZ: s.officeTZ, Deactivate: s.deactivate, DryRun: s.dryRun,
	})
}

func countLines(errs []staff.RowError) int {
	seen := map[int]bool{}
	for _, e := range errs {
		seen[e.Line] = true
	}
	return len(seen)
}
