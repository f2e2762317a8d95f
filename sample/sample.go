// Package sample holds staff data for the demo and for tests: a small
// hand-written registry of two offices, and a generator of large valid
// registries for benchmarks.
//
// The package does not import package staff, so that staff's tests can use it.
package sample

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// staffCSV is a staff import file in the form package staff reads: 30 people
// of DISKOMINFO (Dinas Komunikasi dan Informatika Kota Denpasar) and 30 of
// BKPSDM (Badan Kepegawaian dan Pengembangan SDM Kota Tangerang Selatan).
// Each office has a head (eselon2, admin), a secretary and division heads
// (eselon3), section heads (eselon4) and staff (pelaksana), one of whom is
// also an admin. NIPs and phone numbers look real but are made up.
//
//go:embed staff.csv
var staffCSV []byte

// StaffCSV returns a copy of the sample staff file.
func StaffCSV() []byte { return append([]byte(nil), staffCSV...) }

// Header is the header row that Generate writes and the sample file has.
const Header = "nip,nama,opd,bidang,jabatan,atasan_nip,telepon,peran"

// MinPerOffice is the smallest office Generate makes: one person per level.
const MinPerOffice = 4

// Tables for Generate.
var (
	officeCodes = [...]string{
		"DISKOMINFO", "BKPSDM", "DISDUKCAPIL", "BAPPEDA", "DINKES", "DISDIK",
		"DPUPR", "DISHUB", "DLH", "BPKAD", "SATPOLPP", "DINSOS", "DISPERKIM",
		"BAPENDA", "INSPEKTORAT", "DISNAKER", "DISPAR", "DKP", "DPMPTSP", "KESBANGPOL",
	}
	divisions = [...]string{
		"Bidang Pelayanan", "Bidang Perencanaan dan Program", "Bidang Pengawasan",
		"Bidang Pengembangan", "Bidang Informasi", "Bidang Pembinaan",
		"Bidang Sarana dan Prasarana", "Bidang Data dan Evaluasi",
	}
	givenMale = [...]string{
		"I Wayan", "I Made", "I Nyoman", "I Ketut", "Agus", "Asep", "Bambang", "Dedi",
		"Ujang", "Yayan", "Mamat", "Jajang", "Rudi", "Iwan", "Ahmad", "Budi", "Joko", "Eko",
	}
	givenFemale = [...]string{
		"Ni Made", "Ni Luh", "Ni Putu", "Ni Ketut", "Siti", "Euis", "Sri", "Dewi",
		"Lilis", "Neneng", "Rini", "Wulan", "Fitri", "Rina", "Yuyun", "Tati", "Nur",
	}
	family = [...]string{
		"Sudarsana", "Ariyani", "Wiryawan", "Lestari", "Saputra", "Pratama", "Wahyuni",
		"Suherman", "Kusnadi", "Handayani", "Komariah", "Ramadhan", "Setiawan",
		"Hasanah", "Nurjaman", "Setiadi", "Rohmah", "Wijayanto", "Suryani", "Junaedi",
	}
)

// Generate writes a valid staff CSV file of n data rows (after the header)
// spread as evenly as possible over the given number of offices. Each office
// is a proper supervisor tree with every level: one head (eselon2, admin),
// eselon3 division heads, eselon4 section heads and pelaksana staff. NIPs
// and phone numbers are valid and unique. The output depends only on the
// arguments. n must be at least MinPerOffice × offices.
func Generate(w io.Writer, n, offices int, seed uint64) error {
	if offices < 1 {
		return errors.New("sample: generate: need at least one office")
	}
	if n < MinPerOffice*offices {
		return fmt.Errorf("sample: generate: %d rows cannot fill %d offices of at least %d people", n, offices, MinPerOffice)
	}
	g := generator{
		rng:    rand.New(rand.NewPCG(seed, 0x70696b6574)),
		nips:   make(map[string]bool, n),
		phones: make(map[int64]bool, n),
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(strings.Split(Header, ",")); err != nil {
		return fmt.Errorf("sample: generate: %w", err)
	}
	for o := range offices {
		size := n / offices
		if o < n%offices {
			size++
		}
		for _, row := range g.office(officeCode(o), size) {
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("sample: generate: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("sample: generate: %w", err)
	}
	return nil
}

func officeCode(o int) string {
	if o < len(officeCodes) {
		return officeCodes[o]
	}
	return fmt.Sprintf("OPD%03d", o+1)
}

type generator struct {
	rng    *rand.Rand
	nips   map[string]bool
	phones map[int64]bool
}

// office returns the rows of one office of size people: the head, then the
// eselon3, eselon4 and pelaksana levels, each person under one of the level
// above in turn.
func (g *generator) office(code string, size int) [][]string {
	rest := size - 1
	e3 := max(1, rest/30)
	e4 := max(1, rest/8)
	for e3+e4 > rest-1 { // keep at least one pelaksana
		if e4 > 1 {
			e4--
		} else {
			e3--
		}
	}
	rows := make([][]string, 0, size)
	head := g.person(code, "", "eselon2", "", 1965, "admin")
	rows = append(rows, head.row)

	type boss struct{ nip, division string }
	var l3, l4 []boss
	for i := range e3 {
		div := "Sekretariat"
		if i > 0 {
			div = divisions[(i-1)%len(divisions)]
			if i > len(divisions) {
				div += " " + strconv.Itoa((i-1)/len(divisions)+1)
			}
		}
		p := g.person(code, div, "eselon3", head.nip, 1970, "")
		rows = append(rows, p.row)
		l3 = append(l3, boss{p.nip, div})
	}
	for i := range e4 {
		b := l3[i%len(l3)]
		p := g.person(code, b.division, "eselon4", b.nip, 1978, "")
		rows = append(rows, p.row)
		l4 = append(l4, boss{p.nip, b.division})
	}
	for i := range rest - e3 - e4 {
		b := l4[i%len(l4)]
		roles := ""
		if i == 0 {
			roles = "admin" // the office's data clerk
		}
		p := g.person(code, b.division, "pelaksana", b.nip, 1985, roles)
		rows = append(rows, p.row)
	}
	return rows
}

type person struct {
	nip string
	row []string
}

// person makes one row; people of a level are born from fromYear over 12
// years and appointed between 20 and 29 (and no later than 2024).
func (g *generator) person(office, division, level, supervisor string, fromYear int, roles string) person {
	r := g.rng
	sex := 1 + r.IntN(2)
	var nip string
	for {
		by := fromYear + r.IntN(12)
		bm := 1 + r.IntN(12)
		bd := 1 + r.IntN(28)
		ay := min(by+20+r.IntN(10), 2024)
		am := 1 + r.IntN(12)
		seq := 1 + r.IntN(999)
		nip = fmt.Sprintf("%04d%02d%02d%04d%02d%d%03d", by, bm, bd, ay, am, sex, seq)
		if !g.nips[nip] {
			g.nips[nip] = true
			break
		}
	}
	var name string
	if sex == 1 {
		name = givenMale[r.IntN(len(givenMale))]
	} else {
		name = givenFemale[r.IntN(len(givenFemale))]
	}
	name += " " + family[r.IntN(len(family))]

	// National numbers 81xxxxxxxxx, 83xxxxxxxxx or 85xxxxxxxxx (11 digits).
	var national int64
	for {
		national = (81+int64(r.IntN(3))*2)*1_000_000_000 + r.Int64N(1_000_000_000)
		if !g.phones[national] {
			g.phones[national] = true
			break
		}
	}
	return person{nip: nip, row: []string{nip, name, office, division, level, supervisor, phoneForm(national, r.IntN(4)), roles}}
}

// phoneForm writes national number n (11 digits, starting with 8) in one of
// the forms people use.
func phoneForm(n int64, form int) string {
	s := strconv.FormatInt(n, 10)
	switch form {
	case 0:
		return "0" + s
	case 1:
		return "+62" + s
	case 2:
		return "0" + s[:3] + "-" + s[3:7] + "-" + s[7:]
	default:
		return "+62 " + s[:3] + " " + s[3:7] + " " + s[7:]
	}
}
