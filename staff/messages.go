package staff

// texts holds every user-facing text of the package, one table per language,
// so that Indonesian and English stay in step. Placeholders: {q} is the
// quoted detail, {d} the detail as is.
type texts struct {
	line, column string
	codes        map[ErrCode]string
}

// The catalog is a constant table.
var (
	textsID = texts{
		line:   "baris",
		column: "kolom",
		codes: map[ErrCode]string{
			CodeRequired:  "wajib diisi",
			CodeMalformed: "baris tidak dapat dibaca, mungkin ada tanda kutip yang tidak ditutup: {q}",
			CodeExtraCell: "ada isian di luar kolom judul ({q}); jika peran lebih dari satu, apit dengan tanda kutip, misalnya \"admin,lain\"",

			CodeNIPChars:       "{q} hanya boleh berisi angka",
			CodeNIPAsNumber:    "{q} tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; format kolom sebagai Teks lalu ketik ulang NIP",
			CodeNIPLength:      "{q} harus terdiri dari 18 angka",
			CodeNIPBirthDate:   "{q}: 8 angka pertama bukan tanggal lahir yang sah (TTTTBBHH)",
			CodeNIPAppointment: "{q}: angka ke-9 s.d. 14 bukan bulan pengangkatan yang sah (TTTTBB)",
			CodeNIPSex:         "{q}: angka ke-15 (jenis kelamin) harus 1 atau 2",
			CodeNIPSeq:         "{q}: nomor urut (3 angka terakhir) tidak boleh 000; jika NIP diketik sebagai angka di Excel, format kolom sebagai Teks lalu ketik ulang",
			CodeNIPTooYoung:    "{q}: bulan pengangkatan kurang dari 18 tahun setelah tanggal lahir",

			CodeLevel: "{q} bukan jabatan yang dikenal (eselon2, eselon3, eselon4, pelaksana)",
			CodeRole:  "peran {q} tidak dikenal (yang dikenal: admin)",
			CodePhone: "{q} bukan nomor ponsel Indonesia yang sah",

			CodeDuplicateNIP:      "NIP yang sama juga ada di baris {d}",
			CodeDuplicatePhone:    "nomor telepon yang sama juga dipakai di baris {d}",
			CodePhoneTaken:        "nomor telepon ini sudah dipakai pegawai aktif lain: {d}",
			CodeUnknownSupervisor: "atasan {d} tidak ada di berkas ini maupun di data pegawai",
			CodeSelfSupervisor:    "pegawai tidak boleh menjadi atasan dirinya sendiri",
			CodeSupervisorCycle:   "rantai atasan berputar: {d}",

			CodeFlexible: "{q} bukan ya atau tidak",
			CodeTMT:      "{q} bukan tanggal (TTTT-BB-HH atau HH-BB-TTTT)",
			CodeHome:     "{q} bukan titik lokasi LINTANG,BUJUR (mis. -8.6705,115.2126)",
		},
	}
	textsEN = texts{
		line:   "line",
		column: "column",
		codes: map[ErrCode]string{
			CodeRequired:  "must not be empty",
			CodeMalformed: "the line cannot be read, probably because of an unclosed quote: {q}",
			CodeExtraCell: "there is a value beyond the header columns ({q}); quote a list of several roles, e.g. \"admin,other\"",

			CodeNIPChars:       "{q} must contain only digits",
			CodeNIPAsNumber:    "{q} was stored as a number in Excel, so its last digits are lost; format the column as Text and type the NIP again",
			CodeNIPLength:      "{q} must have 18 digits",
			CodeNIPBirthDate:   "{q}: the first 8 digits are not a valid birth date (YYYYMMDD)",
			CodeNIPAppointment: "{q}: digits 9 to 14 are not a valid appointment month (YYYYMM)",
			CodeNIPSex:         "{q}: digit 15 (sex) must be 1 or 2",
			CodeNIPSeq:         "{q}: the sequence number (last 3 digits) cannot be 000; if the NIP was typed as a number in Excel, format the column as Text and type it again",
			CodeNIPTooYoung:    "{q}: the appointment month is less than 18 years after the birth date",

			CodeLevel: "{q} is not a known level (eselon2, eselon3, eselon4, pelaksana)",
			CodeRole:  "unknown role {q} (known: admin)",
			CodePhone: "{q} is not a valid Indonesian mobile number",

			CodeDuplicateNIP:      "the same NIP is also on line {d}",
			CodeDuplicatePhone:    "the same phone number is also used on line {d}",
			CodePhoneTaken:        "this phone number already belongs to another active person: {d}",
			CodeUnknownSupervisor: "supervisor {d} is neither in this file nor in the staff registry",
			CodeSelfSupervisor:    "a person cannot be their own supervisor",
			CodeSupervisorCycle:   "the supervisor chain loops: {d}",

			CodeFlexible: "{q} is not ya (yes) or tidak (no)",
			CodeTMT:      "{q} is not a date (YYYY-MM-DD or DD-MM-YYYY)",
			CodeHome:     "{q} is not a location LAT,LON (e.g. -8.6705,115.2126)",
		},
	}
)

// catalog returns the texts for lang, Indonesian unless lang is English.
func catalog(lang string) *texts {
	switch lang {
	case "en", "en-US", "en-GB", "EN":
		return &textsEN
	}
	return &textsID
}
