package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/piket-id/piket/civil"
	"github.com/piket-id/piket/store"
)

// e-Kinerja (BKN) asks civil servants for a daily progress log (progres
// harian). It has no public import API, so this export is a sheet an
// admin or the person copies from: one row per person per day with the
// date, the NIP, the activity and the output, from /progres entries (on a
// day without any, from the /laporan work report).

// SheetEKinerja is the workbook sheet of the e-Kinerja export.
const SheetEKinerja = "Progres harian"

var ekinerjaColumns = []string{"Tanggal", "NIP", "Nama", "OPD", "Kegiatan", "Output", "Sumber"}

// EKinerjaColumns returns the e-Kinerja export's headers.
func EKinerjaColumns() []string { return append([]string(nil), ekinerjaColumns...) }

// EKinerjaCSV writes the month's progress as CSV; it returns the number
// of rows (person-days).
func EKinerjaCSV(ctx context.Context, w io.Writer, st *store.Store, opt Options) (int, error) {
	cw := csv.NewWriter(w)
	n, err := ekinerja(ctx, st, opt, csvSink{cw})
	if err != nil {
		return 0, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, fmt.Errorf("export: write csv: %w", err)
	}
	return n, nil
}

// EKinerjaXLSX writes the month's progress as a workbook with one sheet.
func EKinerjaXLSX(ctx context.Context, w io.Writer, st *store.Store, opt Options) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetEKinerja); err != nil {
		return 0, fmt.Errorf("export: xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(SheetEKinerja)
	if err != nil {
		return 0, fmt.Errorf("export: xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return 0, fmt.Errorf("export: xlsx: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return 0, fmt.Errorf("export: xlsx: %w", err)
	}
	n, err := ekinerja(ctx, st, opt, &xlsxSink{sw: sw, bold: bold, text: text})
	if err != nil {
		return 0, err
	}
	if err := sw.Flush(); err != nil {
		return 0, fmt.Errorf("export: xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return 0, fmt.Errorf("export: write xlsx: %w", err)
	}
	return n, nil
}

// ekinerja feeds out one row per person per day: the day's activities
// and outputs, numbered when there are several.
func ekinerja(ctx context.Context, st *store.Store, opt Options, out sink) (int, error) {
	if opt.Month < time.January || opt.Month > time.December || opt.Year < 2000 || opt.Year > 9999 {
		return 0, fmt.Errorf("export: %04d-%02d is not a month", opt.Year, int(opt.Month))
	}
	first := civil.Date{Year: opt.Year, Month: opt.Month, Day: 1}
	last := civil.Of(first.Start(time.UTC).AddDate(0, 1, -1))
	entries, err := st.Progress(ctx, opt.Office, first, last)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	if err := out.header(ekinerjaColumns); err != nil {
		return 0, err
	}
	rows := 0
	for i := 0; i < len(entries); {
		j := i
		for j < len(entries) && entries[j].Day == entries[i].Day && entries[j].NIP == entries[i].NIP {
			j++
		}
		day := entries[i:j]
		var acts, outs []string
		for k, e := range day {
			act, o := e.Activity, e.Output
			if len(day) > 1 {
				act = fmt.Sprintf("%d) %s", k+1, act)
				if o != "" {
					o = fmt.Sprintf("%d) %s", k+1, o)
				}
			}
			acts = append(acts, act)
			if o != "" {
				outs = append(outs, o)
			}
		}
		source := "progres"
		if day[0].FromWorkReport {
			source = "laporan"
		}
		e := day[0]
		if err := out.row([]string{e.Day.String(), e.NIP, e.Name, e.Office, strings.Join(acts, "; "), strings.Join(outs, "; "), source}); err != nil {
			return rows, err
		}
		rows++
		i = j
	}
	return rows, nil
}
