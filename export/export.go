// Package export writes a month of attendance for allowance (tunjangan)
// calculation: one row per person per working day, as CSV or as an XLSX
// workbook with a second sheet summarizing each person. Column headers
// are Indonesian; days and times are local to each person's office.
// Rows are streamed: the store is read one day at a time and each row is
// written as soon as it is built.
package export

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/holiday"
	"github.com/piket-id/piket/store"
)

// StatusNone is the status of a working day with nothing recorded.
const StatusNone = "tanpa keterangan"

// Options select what to export.
type Options struct {
	Year  int
	Month time.Month
	// Office is an office code; "" exports every office.
	Office string
	// WorkingDay decides an office's working days (its weekdays and
	// holidays, as for its roster); nil: Monday to Friday without the
	// built-in national holidays and cuti bersama.
	WorkingDay func(officeCode string, d civil.Date) bool
	// Since overrides an office's go-live day (offices.CODE.since); nil or
	// a zero day: the day stored on the office (its first import). Days
	// before it are not exported: nobody was asked to check in yet.
	Since func(officeCode string) civil.Date
}

// Columns of the daily sheet and the summary sheet.
var (
	dayColumns     = []string{"Tanggal", "NIP", "Nama", "OPD", "Bidang", "Status", "Tempat", "Jam absen", "Terlambat", "Kesehatan", "Laporan kerja", "Laporan keluar rumah", "Diterima terlambat"}
	summaryColumns = []string{"NIP", "Nama", "OPD", "Bidang", "Hari kerja", "Hari hadir", "Terlambat", "Sakit", "Izin", "Cuti", "Tanpa keterangan", "Hari piket", "Laporan kerja kosong"}
)

// Summary is one person's month.
type Summary struct {
	Staff                                        store.Staff
	WorkDays, Present, Late, Sick, Permit, Leave int
	None, Duty, NoReport                         int
}

func (s Summary) cells() []any {
	return []any{s.Staff.NIP, s.Staff.Name, s.Staff.Office.Code, s.Staff.Division,
		s.WorkDays, s.Present, s.Late, s.Sick, s.Permit, s.Leave, s.None, s.Duty, s.NoReport}
}

// sink receives the export as it is produced.
type sink interface {
	header(cols []string) error
	row(cells []string) error
}

// run reads the month and feeds sink; it returns the per-person summary.
func run(ctx context.Context, st *store.Store, opt Options, out sink) ([]Summary, error) {
	if opt.Month < time.January || opt.Month > time.December || opt.Year < 2000 || opt.Year > 9999 {
		return nil, fmt.Errorf("export: %04d-%02d is not a month", opt.Year, int(opt.Month))
	}
	working := opt.WorkingDay
	if working == nil {
		cal, workdays := holiday.NewCalendar(), holiday.MondayToFriday()
		working = func(_ string, d civil.Date) bool { return cal.IsWorkingDay(d, workdays) }
	}
	from := civil.Date{Year: opt.Year, Month: opt.Month, Day: 1}
	to := civil.Of(from.Start(time.UTC).AddDate(0, 1, -1))
	people, err := st.ExportStaff(ctx, opt.Office, from, to)
	if err != nil {
		return nil, err
	}
	if opt.Office != "" && len(people) == 0 {
		return nil, fmt.Errorf("export: office %s has no staff", strings.ToUpper(opt.Office))
	}
	duty, rostered, err := st.DutyDays(ctx, from, to)
	if err != nil {
		return nil, err
	}
	cols := dayColumns
	if err := out.header(cols); err != nil {
		return nil, err
	}
	sums := make([]Summary, len(people))
	locs := map[string]*time.Location{}
	pLoc := make([]*time.Location, len(people))
	since := make([]civil.Date, len(people))
	for i, p := range people {
		sums[i].Staff = p
		since[i] = p.Office.Since
		if opt.Since != nil {
			if d := opt.Since(p.Office.Code); !d.IsZero() {
				since[i] = d
			}
		}
		if rostered[p.Office.ID] {
			sums[i].Duty = duty[p.ID]
		}
		l, ok := locs[p.Office.TZ]
		if !ok {
			if l, err = time.LoadLocation(p.Office.TZ); err != nil {
				l = time.FixedZone("WIB", 7*3600)
			}
			locs[p.Office.TZ] = l
		}
		pLoc[i] = l
	}
	cells := make([]string, len(cols))
	err = st.ScanDays(ctx, from, to, func(rec store.DayRecords) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		date := rec.Day.String()
		for i, p := range people {
			if !working(p.Office.Code, rec.Day) || rec.Day.Before(since[i]) {
				continue
			}
			s := &sums[i]
			s.WorkDays++
			a, ok := rec.Attendance[p.ID]
			reports := rec.Reports[p.ID]
			cells[0], cells[1], cells[2], cells[3], cells[4] = date, p.NIP, p.Name, p.Office.Code, p.Division
			if !ok {
				s.None++
				cells[5], cells[6], cells[7], cells[8], cells[9], cells[12] = StatusNone, "", "", "", "", ""
			} else {
				cells[12] = "tidak"
				if a.Delayed {
					cells[12] = "ya" // sent long before it was received: check with the person
				}
				cells[5], cells[6], cells[9] = a.Status, Place(a), a.Health
				cells[7] = a.FirstAt.In(pLoc[i]).Format("15:04")
				cells[8] = "tidak"
				if a.Late {
					cells[8] = "ya"
				}
				switch a.Status {
				case store.StatusPresent:
					s.Present++
					if a.Late {
						s.Late++
					}
					if !rostered[p.Office.ID] && a.Place == store.PlaceDuty {
						s.Duty++
					}
					if len(reports) == 0 {
						s.NoReport++
					}
				case store.StatusSick:
					s.Sick++
				case store.StatusPermit:
					s.Permit++
				case store.StatusLeave:
					s.Leave++
				}
			}
			cells[10] = strings.Join(reports, " | ")
			cells[11] = leaveText(rec.Leaves[p.ID], pLoc[i])
			if err := out.row(cells); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sums, nil
}

// Place is the Tempat cell of a record: the stored place, except a day
// worked away in an office in mode fleksibel, which says whether it was
// approved: "WFA (disetujui)" for a day of an approved request, "WFH
// tanpa persetujuan" for a day the person stated working away without one.
func Place(a store.Attendance) string {
	switch {
	case a.Status != store.StatusPresent || a.FlexKind == "":
		return a.Place
	case a.Unapproved:
		return strings.ToUpper(a.FlexKind) + " tanpa persetujuan"
	}
	return strings.ToUpper(a.FlexKind) + " (disetujui)"
}

// leaveText shows a day's leave-home reports: "09:10–10:30 ke puskesmas".
func leaveText(ls []store.LeaveSpan, loc *time.Location) string {
	if len(ls) == 0 {
		return ""
	}
	parts := make([]string, len(ls))
	for i, l := range ls {
		back := "belum kembali"
		if !l.ReturnedAt.IsZero() {
			back = l.ReturnedAt.In(loc).Format("15:04")
		}
		parts[i] = fmt.Sprintf("%s–%s %s", l.StartedAt.In(loc).Format("15:04"), back, l.Reason)
	}
	return strings.Join(parts, " | ")
}

// ParseMonth reads "YYYY-MM".
func ParseMonth(s string) (int, time.Month, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, fmt.Errorf("%q is not a month YYYY-MM", s)
	}
	return t.Year(), t.Month(), nil
}
