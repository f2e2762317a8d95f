package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/piket-id/piket/staff"
	"github.com/piket-id/piket/store"
)

// tr picks the English text when lang is "en", else the Indonesian.
func tr(lang, id, en string) string {
	if lang == "en" {
		return en
	}
	return id
}

// printChanges lists an import's changes, one person a line.
func printChanges(w io.Writer, res store.ImportResult, lang string) {
	for _, c := range res.Changes {
		switch c.Kind {
		case store.ChangeAdded:
			fmt.Fprintf(w, "+ %s %s (%s): %s\n", c.NIP, c.Name, c.Office, tr(lang, "ditambah", "added"))
		case store.ChangeUpdated:
			fmt.Fprintf(w, "~ %s %s (%s): %s %s\n", c.NIP, c.Name, c.Office, tr(lang, "diperbarui:", "updated:"), strings.Join(c.Fields, ", "))
		case store.ChangeDeactivated:
			fmt.Fprintf(w, "- %s %s (%s): %s\n", c.NIP, c.Name, c.Office, tr(lang, "dinonaktifkan", "deactivated"))
		}
	}
	for _, o := range res.NewOffices {
		fmt.Fprintf(w, "+ %s %s\n", tr(lang, "OPD baru", "new office"), o)
	}
}

// flagOf names the staff add flag of a staff file column.
var flagOf = map[string]string{
	staff.ColName: "-nama", staff.ColOffice: "-opd", staff.ColDivision: "-bidang", staff.ColLevel: "-jabatan",
	staff.ColPhone: "-telepon", staff.ColRoles: "-peran", staff.ColNIP: "-nip", staff.ColSupervisorNIP: "-atasan",
}

func runStaffAdd(ctx context.Context, args []string, io IO) error {
	var cfgPath string
	cols := []string{staff.ColNIP, staff.ColName, staff.ColOffice, staff.ColDivision, staff.ColLevel, staff.ColSupervisorNIP, staff.ColPhone, staff.ColRoles}
	vals := make([]string, len(cols))
	fs := flags("staff add", io.Stderr, &cfgPath)
	fs.StringVar(&vals[0], "nip", "", "the `NIP` (18 digits; required)")
	fs.StringVar(&vals[1], "nama", "", "the full `NAME` (required)")
	fs.StringVar(&vals[2], "opd", "", "the office `CODE` (required)")
	fs.StringVar(&vals[3], "bidang", "", "the `DIVISION`")
	fs.StringVar(&vals[4], "jabatan", "", "eselon2, eselon3, eselon4 or pelaksana (required)")
	fs.StringVar(&vals[5], "atasan", "", "the supervisor's `NIP` (already registered)")
	fs.StringVar(&vals[6], "telepon", "", "the mobile `NUMBER` (0812…, +62812…)")
	fs.StringVar(&vals[7], "peran", "", "admin, or empty")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket staff add [-config FILE] -nip NIP -nama NAME -opd CODE -jabatan LEVEL [-bidang DIVISION] [-atasan NIP] [-telepon NUMBER] [-peran admin]\n\n"+
			"Adds one person, checked as a row of a staff import. To change someone, import a file.")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fs.Usage()
		return errUsage
	}
	cfg, err := loadConfig(cfgPath, io)
	if err != nil {
		return err
	}
	// The same reader and checks as an import: one row of a CSV file.
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(cols)
	_ = cw.Write(vals)
	cw.Flush()
	recs, rowErrs, err := staff.ReadCSV(&buf)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if len(recs) == 1 {
		if old, err := st.StaffByNIP(ctx, recs[0].NIP); err == nil {
			state := tr(cfg.Language, "aktif", "active")
			if !old.Active {
				state = tr(cfg.Language, "tidak aktif", "inactive")
			}
			return &exitError{code: 1, msg: tr(cfg.Language,
				fmt.Sprintf("piket staff add: NIP %s sudah terdaftar: %s (%s, %s). Untuk mengubah datanya, impor berkas pegawai.", old.NIP, old.Name, old.Office.Code, state),
				fmt.Sprintf("piket staff add: NIP %s is already registered: %s (%s, %s). To change it, import a staff file.", old.NIP, old.Name, old.Office.Code, state))}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	res, rowErrs, err := importRecords(ctx, st, recs, rowErrs, importSettings{
		lang: cfg.Language, defaultTZ: cfg.Timezone, officeTZ: officeZones(cfg.Offices),
	})
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		var b strings.Builder
		b.WriteString(tr(cfg.Language, "piket staff add: tidak ditambahkan:", "piket staff add: not added:"))
		for _, e := range rowErrs {
			b.WriteString("\n  " + flagError(e, cfg.Language))
		}
		return &exitError{code: 1, msg: b.String()}
	}
	r := recs[0]
	fmt.Fprintln(io.Stdout, tr(cfg.Language,
		fmt.Sprintf("Ditambahkan: %s (NIP %s), %s, %s.", r.Name, r.NIP, r.Office, r.Level),
		fmt.Sprintf("Added: %s (NIP %s), %s, %s.", r.Name, r.NIP, r.Office, r.Level)))
	for _, o := range res.NewOffices {
		fmt.Fprintln(io.Stdout, tr(cfg.Language, "OPD baru dibuat: "+o, "New office created: "+o))
	}
	return nil
}

// flagError words a row error of staff add with the flag at fault
// instead of a line and column of a file.
func flagError(e staff.RowError, lang string) string {
	text := e.Text(lang)
	if _, rest, ok := strings.Cut(text, ": "); ok {
		text = rest // without "baris 2 (NIP …)"
	}
	if e.Field != "" {
		if i := strings.Index(text, e.Field+": "); i >= 0 {
			text = flagOf[e.Field] + ": " + text[i+len(e.Field)+2:]
		}
	}
	return text
}

func runStaffDeactivate(ctx context.Context, args []string, io IO) error {
	var cfgPath string
	fs := flags("staff deactivate", io.Stderr, &cfgPath)
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket staff deactivate [-config FILE] NIP\n\n"+
			"Marks one person inactive: they can no longer use the bot; their history is kept.\n"+
			"Importing them again (or with staff add, if new) makes them active.")
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
	nip := strings.Join(strings.Fields(pos[0]), "")
	if _, err := staff.ParseNIP(nip); err != nil {
		return &exitError{code: 1, msg: tr(cfg.Language,
			fmt.Sprintf("piket staff deactivate: %q bukan NIP yang sah (18 angka).", pos[0]),
			fmt.Sprintf("piket staff deactivate: %q is not a valid NIP (18 digits).", pos[0]))}
	}
	st, err := store.Open(ctx, cfg.Database, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := st.DeactivateStaff(ctx, nip, time.Now())
	who := d.Staff
	if errors.Is(err, store.ErrNotFound) {
		return &exitError{code: 1, msg: tr(cfg.Language,
			fmt.Sprintf("piket staff deactivate: NIP %s tidak terdaftar.", nip),
			fmt.Sprintf("piket staff deactivate: NIP %s is not registered.", nip))}
	}
	if err != nil {
		return err
	}
	if !d.Changed {
		fmt.Fprintln(io.Stdout, tr(cfg.Language,
			fmt.Sprintf("%s (NIP %s, %s) sudah tidak aktif.", who.Name, who.NIP, who.Office.Code),
			fmt.Sprintf("%s (NIP %s, %s) was already inactive.", who.Name, who.NIP, who.Office.Code)))
		return nil
	}
	fmt.Fprintln(io.Stdout, tr(cfg.Language,
		fmt.Sprintf("Dinonaktifkan: %s (NIP %s, %s).", who.Name, who.NIP, who.Office.Code),
		fmt.Sprintf("Deactivated: %s (NIP %s, %s).", who.Name, who.NIP, who.Office.Code)))
	if n := len(d.Subordinates); n > 0 {
		fmt.Fprintln(io.Stdout, tr(cfg.Language,
			fmt.Sprintf("Catatan: %d bawahan langsungnya masih aktif; laporan keluar rumah mereka kini diteruskan ke atasan aktif berikutnya atau ke admin OPD. Perbarui atasan_nip mereka lewat staff import.", n),
			fmt.Sprintf("Note: %d direct subordinate(s) are still active; their leave-home reports now go to the next active supervisor or to the office admins. Update their atasan_nip with staff import.", n)))
	}
	return nil
}

func runStaffList(ctx context.Context, args []string, io IO) error {
	var cfgPath, office string
	var all bool
	fs := flags("staff list", io.Stderr, &cfgPath)
	fs.StringVar(&office, "opd", "", "the office `CODE` (required)")
	fs.BoolVar(&all, "all", false, "include inactive staff")
	fs.Usage = func() {
		fmt.Fprintln(io.Stderr, "Usage: piket staff list [-config FILE] -opd CODE [-all]\n\nPrints an office's staff as a table, by name.")
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || office == "" {
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
	people, err := st.StaffOfOffice(ctx, office, all)
	if errors.Is(err, store.ErrNotFound) {
		return &exitError{code: 1, msg: tr(cfg.Language,
			fmt.Sprintf("piket staff list: OPD %s tidak ada.", strings.ToUpper(office)),
			fmt.Sprintf("piket staff list: there is no office %s.", strings.ToUpper(office)))}
	}
	if err != nil {
		return err
	}
	nips := map[int64]string{}
	for _, p := range people {
		nips[p.ID] = p.NIP
	}
	tw := tabwriter.NewWriter(io.Stdout, 0, 0, 2, ' ', 0)
	head := "NIP\tNAMA\tBIDANG\tJABATAN\tATASAN\tTELEPON\tPERAN"
	if all {
		head += "\tAKTIF"
	}
	fmt.Fprintln(tw, head)
	for _, p := range people {
		sup, ok := nips[p.SupervisorID]
		if !ok && p.SupervisorID != 0 {
			s, err := st.StaffByID(ctx, p.SupervisorID)
			if err != nil {
				return err
			}
			sup, nips[s.ID] = s.NIP, s.NIP
		}
		line := strings.Join([]string{p.NIP, p.Name, dash(p.Division), p.Level, dash(sup), dash(p.Phone), dash(strings.Join(p.Roles, ","))}, "\t")
		if all {
			line += "\t" + tr(cfg.Language, yesNo(p.Active, "ya", "tidak"), yesNo(p.Active, "yes", "no"))
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(io.Stdout, tr(cfg.Language,
		fmt.Sprintf("%d pegawai.", len(people)), fmt.Sprintf("%d staff.", len(people))))
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
