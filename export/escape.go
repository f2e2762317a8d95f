package export

// Spreadsheet formula injection (OWASP "CSV injection"): a cell that
// starts with one of these characters may be evaluated as a formula by
// Excel or LibreOffice. Staff write free text (/laporan, health, leave
// reasons) that lands in the export, so it is neutralised.
const formulaStarts = "=+-@\t\r"

// risky reports whether a cell would be read as a formula.
func risky(cell string) bool {
	return cell != "" && containsByte(formulaStarts, cell[0])
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// Neutralise returns cell as a CSV cell that no spreadsheet evaluates:
// one that starts with =, +, -, @, a tab or a carriage return gets a
// leading single quote (OWASP's rule); any other cell is returned as is.
func Neutralise(cell string) string {
	if risky(cell) {
		return "'" + cell
	}
	return cell
}
