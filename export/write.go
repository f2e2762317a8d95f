package export

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/piket-id/piket/store"
)

// Sheet names of the workbook.
const (
	SheetDays    = "Harian"
	SheetSummary = "Ringkasan"
)

// CSV writes the daily rows as CSV (comma separated, header first) and
// returns the per-person summary.
func CSV(ctx context.Context, w io.Writer, st *store.Store, opt Options) ([]Summary, error) {
	cw := csv.NewWriter(w)
	sums, err := run(ctx, st, opt, csvSink{cw})
	if err != nil {
		return nil, err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("export: write csv: %w", err)
	}
	return sums, nil
}

type csvSink struct{ w *csv.Writer }

func (s csvSink) header(cols []string) error { return s.w.Write(cols) }

// row writes cells with formula-like text neutralised (Neutralise); cells
// is the caller's buffer and is not changed.
func (s csvSink) row(cells []string) error {
	for i, c := range cells {
		if risky(c) {
			safe := make([]string, len(cells))
			copy(safe, cells)
			for j := i; j < len(safe); j++ {
				safe[j] = Neutralise(safe[j])
			}
			return s.w.Write(safe)
		}
	}
	return s.w.Write(cells)
}

// XLSX writes a workbook: sheet "Harian" with the daily rows and sheet
// "Ringkasan" with one row per person.
func XLSX(ctx context.Context, w io.Writer, st *store.Store, opt Options) ([]Summary, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetDays); err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(SheetDays)
	if err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	// Text the user typed stays text: an inline string cell (never a
	// formula) and, where it looks like one, the text number format "@",
	// so editing the cell in Excel does not turn it into a formula either.
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	xs := &xlsxSink{sw: sw, bold: bold, text: text}
	sums, err := run(ctx, st, opt, xs)
	if err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	if _, err := f.NewSheet(SheetSummary); err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	ss, err := f.NewStreamWriter(SheetSummary)
	if err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	xs = &xlsxSink{sw: ss, bold: bold, text: text}
	if err := xs.header(summaryColumns); err != nil {
		return nil, err
	}
	for _, s := range sums {
		if err := xs.values(s.cells()); err != nil {
			return nil, err
		}
	}
	if err := ss.Flush(); err != nil {
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return nil, fmt.Errorf("export: write xlsx: %w", err)
	}
	return sums, nil
}

type xlsxSink struct {
	sw   *excelize.StreamWriter
	bold int
	text int // style of formula-like text cells
	n    int // rows written
	buf  []any
}

func (s *xlsxSink) header(cols []string) error {
	row := make([]any, len(cols))
	for i, c := range cols {
		row[i] = excelize.Cell{StyleID: s.bold, Value: c}
	}
	return s.values(row)
}

// row writes text cells (a NIP stays text: as a number it would lose
// digits; "=1+1" stays text, see values).
func (s *xlsxSink) row(cells []string) error {
	if cap(s.buf) < len(cells) {
		s.buf = make([]any, len(cells))
	}
	s.buf = s.buf[:len(cells)]
	for i, c := range cells {
		s.buf[i] = c
	}
	return s.values(s.buf)
}

func (s *xlsxSink) values(v []any) error {
	for i, c := range v {
		if str, ok := c.(string); ok && risky(str) {
			v[i] = excelize.Cell{StyleID: s.text, Value: str}
		}
	}
	s.n++
	cell, err := excelize.CoordinatesToCellName(1, s.n)
	if err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	if err := s.sw.SetRow(cell, v); err != nil {
		return fmt.Errorf("export: xlsx row %d: %w", s.n, err)
	}
	return nil
}

// SummaryColumns returns the headers of the "Ringkasan" sheet.
func SummaryColumns() []string { return append([]string(nil), summaryColumns...) }
