package staff

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// columns lists the header columns Piket reads, and whether each is required
// in the header. A required column may still have empty cells where allowed
// (atasan_nip of an office head, for instance).
var columns = [...]struct {
	name     string
	required bool
}{
	{ColNIP, true},
	{ColName, true},
	{ColOffice, true},
	{ColDivision, false},
	{ColLevel, true},
	{ColSupervisorNIP, true},
	{ColPhone, false},
	{ColRoles, false},
	{ColFlexible, false}, // flex.go
	{ColTMT, false},
	{ColHome, false},
}

// MissingColumnsError is returned when the header row lacks required columns.
type MissingColumnsError struct {
	Missing []string // column names, in the canonical order
}

func (e *MissingColumnsError) Error() string {
	return "staff: header row lacks required columns: " + strings.Join(e.Missing, ", ")
}

// header maps each known column to its cell index, or -1.
type header struct {
	index [len(columns)]int
	width int // number of cells in the header row
}

// parseHeader reads the header cells: case-insensitive, trimmed, spaces and
// dashes taken as underscores, a UTF-8 byte-order mark tolerated.
func parseHeader(cells []string) (header, error) {
	var h header
	for i := range h.index {
		h.index[i] = -1
	}
	h.width = len(cells)
	for i, c := range cells {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff")))
		name = strings.NewReplacer(" ", "_", "-", "_").Replace(name)
		name = flexAlias(name) // other spellings of the flexible-work columns (flex.go)
		for j, col := range columns {
			if col.name == name {
				if h.index[j] >= 0 {
					return h, fmt.Errorf("staff: header row has column %q twice", name)
				}
				h.index[j] = i
			}
		}
	}
	var missing []string
	for j, col := range columns {
		if col.required && h.index[j] < 0 {
			missing = append(missing, col.name)
		}
	}
	if missing != nil {
		return h, &MissingColumnsError{Missing: missing}
	}
	return h, nil
}

// cell returns the trimmed value of column j in row, "" if absent.
func (h *header) cell(row []string, j int) string {
	i := h.index[j]
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

// parseRow turns one data row into a Record, or into the RowErrors found.
// ok is false when the row is empty and must be skipped. numeric is nil for
// CSV; for XLSX it reports whether a cell of the row is stored as a number.
func (h *header) parseRow(line int, row []string, numeric func(cell int) bool) (rec Record, errs []RowError, ok bool) {
	if isBlank(row) {
		return Record{}, nil, false
	}
	rec.Line = line
	// In CSV, a known cell spanning lines means an unclosed quote swallowed
	// the rest of the line, or of the file. (In XLSX it is Alt+Enter.)
	for j := range columns {
		if numeric != nil {
			break
		}
		if v := h.cell(row, j); strings.ContainsAny(v, "\n\r") {
			if len(v) > 40 {
				v = v[:40] + "…"
			}
			return Record{}, []RowError{{Line: line, Code: CodeMalformed, Detail: v}}, true
		}
	}
	bad := func(field string, code ErrCode, detail string) {
		errs = append(errs, RowError{Line: line, Field: field, Code: code, Detail: detail})
	}
	// Indexes into columns, in their order there.
	const (
		iNIP = iota
		iName
		iOffice
		iDivision
		iLevel
		iSupervisor
		iPhone
		iRoles
	)

	// A NIP stored as a number in XLSX is kept only if its digits survived.
	nipCode := func(j int, err error) ErrCode {
		if numeric != nil && numeric(h.index[j]) {
			return CodeNIPAsNumber
		}
		return codeOf(err)
	}
	if v := h.cell(row, iNIP); v == "" {
		bad(ColNIP, CodeRequired, "")
	} else if n, err := ParseNIP(v); err != nil {
		bad(ColNIP, nipCode(iNIP, err), v)
	} else {
		rec.NIP = n.Number
	}
	if rec.Name = collapseSpaces(h.cell(row, iName)); rec.Name == "" {
		bad(ColName, CodeRequired, "")
	}
	if rec.Office = strings.ToUpper(collapseSpaces(h.cell(row, iOffice))); rec.Office == "" {
		bad(ColOffice, CodeRequired, "")
	}
	rec.Division = collapseSpaces(h.cell(row, iDivision))
	if v := h.cell(row, iLevel); v == "" {
		bad(ColLevel, CodeRequired, "")
	} else if l, err := ParseLevel(v); err != nil {
		bad(ColLevel, CodeLevel, v)
	} else {
		rec.Level = l
	}
	if v := h.cell(row, iSupervisor); v != "" {
		if n, err := ParseNIP(v); err != nil {
			bad(ColSupervisorNIP, nipCode(iSupervisor, err), v)
		} else {
			rec.SupervisorNIP = n.Number
		}
	}
	if v := h.cell(row, iPhone); v != "" {
		if numeric != nil {
			v = excelInteger(v)
		}
		if p, err := NormalizePhone(v); err != nil {
			bad(ColPhone, CodePhone, v)
		} else {
			rec.Phone = p
		}
	}
	for r := range strings.FieldsFuncSeq(strings.ToLower(h.cell(row, iRoles)), func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == ' ' || r == '\t'
	}) {
		if !knownRole(r) {
			bad(ColRoles, CodeRole, r)
		} else if !slices.Contains(rec.Roles, r) {
			rec.Roles = append(rec.Roles, r)
		}
	}
	h.parseFlexColumns(&rec, row, numeric, bad)
	for i := h.width; i < len(row); i++ {
		if v := strings.TrimSpace(row[i]); v != "" {
			bad("", CodeExtraCell, v)
			break
		}
	}
	if errs != nil {
		for i := range errs {
			errs[i].NIP = rec.NIP
		}
		return Record{}, errs, true
	}
	return rec, nil, true
}

func codeOf(err error) ErrCode {
	if ve, ok := errors.AsType[*ValueError](err); ok {
		return ve.Code
	}
	return CodeMalformed
}

func isBlank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// collapseSpaces trims s and turns each run of white space into one space.
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\n\r\u00a0") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// excelInteger undoes Excel's number formatting of a cell holding a whole
// number, "8.1234567890E10" → "81234567890", when it fits a float exactly.
func excelInteger(s string) string {
	if !strings.ContainsAny(s, ".eE") {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f >= 1<<53 || f != float64(int64(f)) {
		return s
	}
	return strconv.FormatInt(int64(f), 10)
}

// ReadCSV reads a staff file in CSV form: comma- or semicolon-separated (as
// the header line shows), optionally starting with a UTF-8 byte-order mark.
// It returns the good rows, the bad ones, and an error only when the input
// cannot be read or the header lacks required columns (a *MissingColumnsError).
// Blank lines are skipped.
func ReadCSV(r io.Reader) ([]Record, []RowError, error) {
	br := bufio.NewReader(r)
	first, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("staff: read CSV: %w", err)
	}
	first = strings.TrimPrefix(first, "\ufeff")
	if strings.TrimSpace(first) == "" {
		return nil, nil, errors.New("staff: read CSV: the file is empty or its first line is not a header")
	}
	cr := csv.NewReader(io.MultiReader(strings.NewReader(first), br))
	cr.Comma = separator(first)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true

	row, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("staff: read CSV header: %w", err)
	}
	h, err := parseHeader(row)
	if err != nil {
		return nil, nil, err
	}
	var (
		recs []Record
		errs []RowError
	)
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			// Only an unterminated quote gets here with LazyQuotes; the
			// rest of the file went into that one cell.
			errs = append(errs, RowError{Line: pe.StartLine, Code: CodeMalformed, Detail: pe.Err.Error()})
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("staff: read CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rec, bad, ok := h.parseRow(line, row, nil)
		switch {
		case !ok:
		case bad != nil:
			errs = append(errs, bad...)
		default:
			recs = append(recs, rec)
		}
	}
	return recs, errs, nil
}

// separator guesses the CSV separator from the header line: ';' when it has
// more semicolons than commas outside quotes, else ','.
func separator(line string) rune {
	commas, semis, quoted := 0, 0, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case quoted:
		case r == ',':
			commas++
		case r == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// maxXLSXUnzipped caps the unpacked size of a staff workbook.
const maxXLSXUnzipped = 256 << 20

// ReadXLSX reads a staff file in XLSX form: the first sheet, whose first row
// is the header. Cells are read as stored, so numbers Excel shows in another
// format are seen as plain numbers: a phone number stored as a number
// (81234567890, its leading 0 lost) is still accepted, while a NIP stored as a
// number has lost its last digits and makes a bad row with a hint.
// Results and errors are as for ReadCSV; row numbers are the sheet's.
func ReadXLSX(r io.Reader) (recs []Record, errs []RowError, err error) {
	defer func() {
		// The file is untrusted: a workbook that trips the XLSX library
		// is a bad file, not a crash.
		if p := recover(); p != nil {
			recs, errs, err = nil, nil, fmt.Errorf("staff: read XLSX: damaged workbook (%v)", p)
		}
	}()
	// An XLSX is a zip: cap what it may unpack to (a staff list of a
	// whole province is a few megabytes).
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: maxXLSXUnzipped, UnzipXMLSizeLimit: maxXLSXUnzipped / 4})
	if err != nil {
		return nil, nil, fmt.Errorf("staff: open XLSX: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, errors.New("staff: read XLSX: the workbook has no sheet")
	}
	sheet := sheets[0]
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, fmt.Errorf("staff: read XLSX sheet %q: %w", sheet, err)
	}
	defer rows.Close()
	var (
		h     *header
		rowNo int
	)
	for rows.Next() {
		rowNo++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fmt.Errorf("staff: read XLSX row %d: %w", rowNo, err)
		}
		if h == nil {
			hh, err := parseHeader(cells)
			if err != nil {
				return nil, nil, err
			}
			h = &hh
			continue
		}
		numeric := func(i int) bool {
			if i >= len(cells) || cells[i] == "" {
				return false
			}
			name, err := excelize.CoordinatesToCellName(i+1, rowNo)
			if err != nil {
				return false
			}
			t, err := f.GetCellType(sheet, name)
			return err == nil && (t == excelize.CellTypeNumber || t == excelize.CellTypeUnset)
		}
		rec, bad, ok := h.parseRow(rowNo, cells, numeric)
		switch {
		case !ok:
		case bad != nil:
			errs = append(errs, bad...)
		default:
			recs = append(recs, rec)
		}
	}
	if err := rows.Error(); err != nil {
		return nil, nil, fmt.Errorf("staff: read XLSX: %w", err)
	}
	if h == nil {
		return nil, nil, errors.New("staff: read XLSX: the first sheet is empty")
	}
	return recs, errs, nil
}

// ReadFile reads a staff file, CSV or XLSX by its extension.
func ReadFile(path string) ([]Record, []RowError, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".csv" && ext != ".xlsx" {
		return nil, nil, fmt.Errorf("staff: %s: unsupported file type %q (use .csv or .xlsx)", filepath.Base(path), ext)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("staff: %w", err)
	}
	if ext == ".xlsx" {
		return ReadXLSX(bytes.NewReader(b))
	}
	return ReadCSV(bytes.NewReader(b))
}
