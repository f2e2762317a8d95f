package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/piket-id/piket/app"
	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/config"
	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// demoZones puts the sample offices in their real time zones: Denpasar
// (WITA) and Tangerang Selatan (WIB).
var demoZones = map[string]string{"DISKOMINFO": "Asia/Makassar", "BKPSDM": "Asia/Jakarta"}

// demoSince is the sample offices' go-live day: the demo's story is the
// March 2020 work-from-home period, which began on 16 March.
var demoSince = civil.Date{Year: 2020, Month: time.March, Day: 16}

func runDemo(ctx context.Context, args []string, io IO) error {
	var cfgPath, dbPath string
	var verbose bool
	fs := flags("demo", io.Stderr, &cfgPath)
	fs.StringVar(&dbPath, "db", "", "keep the demo database in `FILE` (default: a temporary file removed at exit)")
	fs.BoolVar(&verbose, "v", false, "log at info level")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket demo [-config FILE] [-db FILE] [-v]\n\n"+
			"Runs the bot in the console on the built-in sample staff (two offices). Type :as to list people.")
		fs.PrintDefaults()
	}
	cfg, err := parseConfig(fs, args, &cfgPath, io)
	if err != nil {
		return err
	}
	cfg.Console.Enabled, cfg.Telegram.Enabled, cfg.WhatsApp.Enabled = true, false, false
	if cfg.Web.Enabled == nil {
		on := true // the demo shows the web dashboard unless the config turns it off
		cfg.Web.Enabled = &on
	}
	if !cfg.WebOn(true) {
		cfg.HTTP.Listen = "" // no dashboard: the demo serves no health endpoint
	}
	if !verbose && cfgPath == "" {
		cfg.Log.Level = "warn"
	}
	if cfg.Offices == nil {
		cfg.Offices = map[string]config.Office{}
	}
	for code, tz := range demoZones {
		o := cfg.Offices[code]
		if o.Timezone == "" {
			o.Timezone = tz
		}
		if o.Since.IsZero() {
			o.Since = demoSince
		}
		cfg.Offices[code] = o
	}
	if dbPath == "" {
		dir, err := os.MkdirTemp("", "piket-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "demo.db")
	}
	cfg.Database = dbPath
	if err := seedSample(ctx, cfg); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, app.Env{Stdin: io.Stdin, Stdout: io.Stdout, Stderr: io.Stderr, Getenv: io.Getenv, Prompt: io.Terminal, WebAnyPort: true})
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.Language == "en" {
		fmt.Fprintln(io.Stdout, "Piket demo on sample data. Try:  :as Ni Made Sari   then   hadir wfh, sehat, menyusun laporan")
	} else {
		fmt.Fprintln(io.Stdout, "Demo Piket dengan data contoh. Coba:  :as Ni Made Sari   lalu   hadir wfh, sehat, menyusun laporan")
	}
	if a.WebURL != "" {
		demoAdmin, office := sampleAdmin(ctx, a.Store)
		switch {
		case demoAdmin == "":
			fmt.Fprintln(io.Stdout, tr(cfg.Language, "Dasbor web di "+a.WebURL+": admin OPD atau atasan mengirim /dasbor untuk tautan masuk.",
				"Web dashboard at "+a.WebURL+": an office admin or supervisor sends /dashboard for a sign-in link."))
		case cfg.Language == "en":
			fmt.Fprintf(io.Stdout, "Web dashboard at %s for the sample admin %s (%s): type  :as %s   then   /dashboard   and open the link it prints.\n", a.WebURL, demoAdmin, office, demoAdmin)
		default:
			fmt.Fprintf(io.Stdout, "Dasbor web di %s untuk admin contoh %s (%s): ketik  :as %s   lalu   /dasbor   dan buka tautan yang dicetak.\n", a.WebURL, demoAdmin, office, demoAdmin)
		}
	}

	return a.Run(ctx)
}

// seedSample imports the embedded sample staff into cfg's database.
func seedSample(ctx context.Context, cfg config.Config) error {
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	recs, rowErrs, err := staff.ReadCSV(bytes.NewReader(sample.StaffCSV()))
	if err != nil {
		return fmt.Errorf("demo: read sample staff: %w", err)
	}
	_, rowErrs, err = importRecords(ctx, st, recs, rowErrs, importSettings{
		lang: cfg.Language, defaultTZ: cfg.Timezone, officeTZ: officeZones(cfg.Offices),
	})
	if err != nil {
		return fmt.Errorf("demo: import sample staff: %w", err)
	}
	if len(rowErrs) > 0 {
		return fmt.Errorf("demo: sample staff has a bad row: %s", rowErrs[0].Text("en"))
	}
	return nil
}

func officeZones(offices map[string]config.Office) map[string]string {
	out := map[string]string{}
	for code, o := range offices {
		if o.Timezone != "" {
			out[code] = o.Timezone
		}
	}
	return out
}

// sampleAdmin names the office admin the demo suggests for the web
// dashboard: the most senior admin of DISKOMINFO (the story's office),
// else of the first office that has one.
func sampleAdmin(ctx context.Context, st *store.Store) (name, office string) {
	people, err := st.ActiveStaff(ctx)
	if err != nil {
		return "", ""
	}
	var best *store.Staff
	for i, p := range people {
		if !p.HasRole(store.RoleAdmin) {
			continue
		}
		switch {
		case best == nil,
			p.Office.Code == "DISKOMINFO" && best.Office.Code != "DISKOMINFO",
			p.Office.Code == best.Office.Code && p.Level < best.Level:
			best = &people[i]
		}
	}
	if best == nil {
		return "", ""
	}
	return best.Name, best.Office.Code
}
