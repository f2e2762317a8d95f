package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Phrasing: how people really write a check-in in a chat. A greeting or
// salutation before the message ("Selamat pagi pak, …", "Assalamualaikum,
// …", "Om Swastiastu, …"), polite fillers ("mohon", "izin melapor",
// "saya", "ya", "terima kasih"), abbreviations ("hdr", "skt", "dl") and
// emoji are read past; what is still unclear is asked about (KindAsk),
// never guessed.

// KindAsk is a message that looks like a check-in but is ambiguous: Piket
// asks (Arg is the Ask* question) and stores nothing. Numbered apart from
// the kinds in parse.go so both lists can grow independently.
const KindAsk Kind = 200

// The questions of KindAsk (Command.Arg).
const (
	AskWhich      = "which"        // a status word is in the message, but not where a command is
	AskSickOrWork = "sick_or_work" // "sakit tapi tetap wfh": sick leave or working with a health note?
	AskNotPresent = "not_present"  // "tidak hadir": which absence (izin, sakit, cuti)?
	AskHealthOnly = "health_only"  // only a health statement: is it a check-in?
	AskPermitLate = "permit_late"  // "izin terlambat": present (late) or absent?
)

const (
	maxNameWords   = 3 // words of a name after a salutation ("pak I Made Agus")
	askWithinWords = 8 // a status word this far into an unclear message is asked about
)

// leadPhrases are greetings, salutations, titles and fillers read past at
// the start of a message, as normalized words; the longest match wins.
var leadPhrases = [][]string{
	{"selamat", "pagi"}, {"selamat", "siang"}, {"selamat", "sore"}, {"selamat", "malam"},
	{"slmt", "pagi"}, {"slmt", "siang"}, {"slmt", "sore"}, {"met", "pagi"}, {"met", "siang"}, {"met", "sore"},
	{"pagi"}, {"siang"}, {"sore"}, {"malam"},
	{"om", "swastiastu"}, {"om", "swastyastu"}, {"om", "suastiastu"}, {"om", "swasti", "astu"}, {"swastiastu"},
	{"untuk", "kita", "semua"}, {"bagi", "kita", "semua"}, {"untuk", "kita", "sekalian"}, {"kita", "semua"},
	{"kepala", "dinas"}, {"kepala", "badan"}, {"kepala", "bidang"}, {"kepala", "seksi"}, {"kepala", "kantor"}, {"kepala", "bagian"},
	{"kepala", "sub", "bagian"}, {"sekretaris"}, {"sekdis"}, {"sekban"}, {"kaban"}, {"kabag"}, {"kasie"},
	{"salam", "sejahtera"}, {"salam", "kebajikan"}, {"salam", "sehat"}, {"salam", "hangat"}, {"salam", "pancasila"}, {"namo", "buddhaya"}, {"namo", "budhaya"}, {"namo", "buddaya"},
	{"shalom"}, {"syalom"}, {"salom"}, {"punten"}, {"permisi"}, {"sampurasun"}, {"rahayu"}, {"horas"}, {"tabik"},
	{"rahajeng", "semeng"}, {"rahajeng", "pagi"}, {"sugeng", "enjing"}, {"sugeng", "siang"}, {"wilujeng", "enjing"}, {"tabik", "pun"},
	{"slamat", "pagi"}, {"selamat", "pgi"}, {"pgi"}, {"good", "morning"}, {"good", "afternoon"}, {"morning"}, {"halo"}, {"hallo"}, {"hai"}, {"hi"}, {"hello"}, {"salam"}, {"bismillah"},
	{"wr", "wb"}, {"warahmatullahi", "wabarakatuh"}, {"warahmatullah", "wabarakatuh"}, {"wabarakatuh"}, {"wr"}, {"wb"},
	{"yth"}, {"yang", "terhormat"}, {"kepada"},
	{"mohon", "maaf"}, {"maaf"}, {"mohon"}, {"terima", "kasih"}, {"makasih"}, {"tks"}, {"trims"}, {"thx"},
	{"ya"}, {"yaa"}, {"yah"}, {"iya"},
	{"nama", "saya"}, {"saya"}, {"sy"}, {"aku"}, {"kami"}, {"tiang"}, {"titiang"}, {"kulo"}, {"kula"}, {"gue"}, {"gw"}, {"ane"},
	{"hari", "ini"}, {"hr", "ini"}, {"hri", "ini"}, {"pagi", "ini"},
	{"dengan", "ini"}, {"berikut"},
}

// salutations may be followed by a name ("pak Agus", "bu Kadis").
var salutations = map[string]bool{
	"pak": true, "bu": true, "bapak": true, "ibu": true, "ibuk": true, "buk": true, "bpk": true, "bp": true,
	"kak": true, "kakak": true, "mas": true, "mbak": true, "mba": true, "bang": true, "abang": true,
	"om": true, "tante": true, "dik": true, "adik": true, "min": true, "admin": true, "gan": true,
	"bos": true, "boss": true, "kabid": true, "kasubag": true, "kasubbag": true, "kasi": true, "kadis": true,
	"pimpinan": true, "atasan": true, "semua": true, "semuanya": true, "sekalian": true, "rekan": true, "rekan-rekan": true,
	"bapak/ibu": true, "pak/bu": true, "ibu/bapak": true, "bu/pak": true,
}

// isSalutation reports whether w is a salutation, also several joined by
// slashes ("bpk/ibu").
func isSalutation(w string) bool {
	if salutations[w] {
		return true
	}
	if !strings.Contains(w, "/") {
		return false
	}
	for _, p := range strings.Split(w, "/") {
		if !salutations[p] {
			return false
		}
	}
	return true
}

// selfWords may be followed by the sender's name.
var selfWords = map[string]bool{"saya": true, "sy": true, "aku": true, "tiang": true, "titiang": true, "kulo": true, "kula": true}

// reporting words are read past only when a presence word follows them:
// "izin melapor hadir" is a check-in, "izin urusan keluarga" stays izin
// and "lapor - sudah kirim surat" stays a work report.
var reporting = map[string]bool{
	"izin": true, "ijin": true, "lapor": true, "melapor": true, "melaporkan": true,
	"sudah": true, "sdh": true, "udah": true, "telah": true, "tetap": true, "juga": true, "jg": true,
	"terlambat": true, "telat": true, "baru": true, "bahwa": true, "kalau": true, "kalo": true, "siap": true, "ok": true, "oke": true,
	"baik": true, "lagi": true, "lg": true, "sedang": true, "sdg": true, "mau": true, "ingin": true, "akan": true,
	"untuk": true, "utk": true, "mengisi": true, "isi": true, "mengabsen": true,
}

// presence are the words that start a "present" check-in.
var presence = map[string]bool{
	"hadir": true, "hdr": true, "absen": true, "absensi": true, "presensi": true, "masuk": true, "checkin": true,
	"kehadiran": true, "wfh": true, "wfo": true, "dinas": true, "dl": true, "kerja": true, "bekerja": true,
}

// absence are the words that start an absence read past a reporting word
// ("izin sakit", "mohon izin cuti").
var absence = map[string]bool{"sakit": true, "skt": true, "cuti": true}

// abbreviations of a first word.
var abbreviations = map[string]string{"present": "hadir", "hdr": "hadir", "hadirr": "hadir", "skt": "sakit", "dl": "dinas luar"} // "wfa" is a keyword of its own (parse.go)

// salamRe matches the spellings of "assalamualaikum" as one word.
var salamRe = regexp.MustCompile(`^a?s+a?l+a+m+u*a?l+[ae]*[iy]*k+[ou]+m+$|^(ass|aslm|aslkm|askum|asw|assw|ass?wrwb)$`)

// isSalam reports whether the normalized word(s) greet with salam.
func isSalam(w string) bool {
	if w == "" || w[0] != 'a' && w[0] != 's' {
		return false
	}
	return salamRe.MatchString(lettersOnly(w))
}

func lettersOnly(w string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, w)
}

// stripEmoji replaces emoji and other pictographs with spaces.
func stripEmoji(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\uFE0F' || r == '\uFE0E' || r == '\u20E3':
			return -1
		case r >= 0x1F3FB && r <= 0x1F3FF: // skin tones
			return -1
		case r >= 0x2190 && (unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r)):
			return ' '
		case r >= 0x1F000 && r <= 0x1FAFF:
			return ' '
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// matchLead reports how many words of ws (normalized) a lead phrase
// covers at the start (0: none).
func matchLead(ws []string) int {
	if len(ws) == 0 {
		return 0
	}
	if isSalam(ws[0]) {
		if len(ws) > 1 && isSalam(ws[0]+ws[1]) && !isSalam(ws[1]) {
			return 2 // "assalamu alaikum"
		}
		return 1
	}
	if len(ws) > 1 && isSalam(ws[0]+ws[1]) {
		return 2
	}
	if w := collapseTail(ws[0]); w != ws[0] && matchLead([]string{w}) == 1 {
		return 1 // "pagiii", "yaaa"
	}
	best := 0
	for _, p := range leadPhrases {
		if len(p) > best && len(p) <= len(ws) && equalWords(ws[:len(p)], p) {
			best = len(p)
		}
	}
	if best > 0 {
		return best
	}
	// One word written for a phrase: "wr.wb", "terima-kasih".
	if w := lettersOnly(ws[0]); w != ws[0] && w != "" {
		for _, p := range leadPhrases {
			if strings.Join(p, "") == w {
				return 1
			}
		}
	}
	return 0
}

func equalWords(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// token is one word of a message with where it ends.
type token struct {
	norm  string
	raw   string
	end   int  // byte offset after the word
	brk   bool // a , ; : . ! ? or new line follows
	upper bool // starts with an upper-case letter
}

// tokens splits s into at most n words.
func tokens(s string, n int) []token {
	var out []token
	off := 0
	for len(out) < n {
		rest := s[off:]
		trimmed := strings.TrimLeftFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || isBreak(r) || r == '-' || r == '–' })
		if trimmed == "" {
			break
		}
		start := off + len(rest) - len(trimmed)
		i := strings.IndexFunc(trimmed, func(r rune) bool { return unicode.IsSpace(r) || isBreak(r) })
		if i < 0 {
			i = len(trimmed)
		}
		raw := trimmed[:i]
		end := start + i
		after := strings.TrimLeft(s[end:], " \t")
		r, _ := utf8.DecodeRuneInString(after)
		first, _ := utf8.DecodeRuneInString(raw)
		out = append(out, token{norm: normWord(raw), raw: raw, end: end, brk: after != "" && (isBreak(r) || r == '\n'), upper: unicode.IsUpper(first)})
		off = end
	}
	return out
}

func isBreak(r rune) bool {
	return r == ',' || r == ';' || r == ':' || r == '.' || r == '!' || r == '?' || r == '\n' || r == '…'
}

// unwrap reads past greetings, salutations (with a name after them) and
// fillers at the start of body. Reporting words ("izin melapor") are read
// past only when a presence word follows. It returns body unchanged when
// there is nothing to read past.
func unwrap(body string) string {
	if w, _ := firstWord(body); !reporting[normWord(w)] {
		if _, ok := keywords[normWord(w)]; ok {
			return body // the common case: a command word first
		}
	}
	const look = 24
	toks := tokens(body, look)
	norms := make([]string, len(toks))
	for i, t := range toks {
		norms[i] = t.norm
	}
	pos := 0 // tokens consumed
	for pos < len(toks) {
		if n := matchLead(norms[pos:]); n > 0 {
			pos += n
			if selfWords[norms[pos-1]] {
				pos += nameWords(toks[pos:], false) // "saya Ni Made Sari hadir"
			}
			continue
		}
		if isSalutation(norms[pos]) {
			pos++
			if matchLead(norms[pos:]) == 0 { // "Bapak Kepala Dinas": a title, not a name
				pos += nameWords(toks[pos:], true)
			}
			continue
		}
		if reporting[norms[pos]] {
			// Look past every lead and reporting word for a presence word.
			j := pos + 1
			for j < len(toks) {
				if n := matchLead(norms[j:]); n > 0 {
					j += n
				} else if salutations[norms[j]] {
					j++
					j += nameWords(toks[j:], true) // "izin pak Agus, hadir wfh"
				} else if reporting[norms[j]] {
					j++
				} else {
					break
				}
			}
			if j < len(toks) && (presence[norms[j]] && norms[j] != "kerja" && norms[j] != "bekerja" || absence[norms[j]]) {
				pos = j
				continue
			}
		}
		break
	}
	if pos == 0 {
		return body
	}
	if pos >= len(toks) {
		if len(toks) < look {
			return ""
		}
		return body[toks[len(toks)-1].end:]
	}
	start := toks[pos-1].end
	return strings.TrimLeftFunc(body[start:], func(r rune) bool { return unicode.IsSpace(r) || isBreak(r) || r == '-' || r == '–' })
}

// nameWords counts the words of a name at the start of toks: up to
// maxNameWords capitalized words that are not commands, followed by a
// break or a command word.
func nameWords(toks []token, lower bool) int {
	for n := min(maxNameWords, len(toks)); n > 0; n-- {
		ok := true
		// A lower-case name only right before a presence word ("pak agus hadir").
		before := lower && n == 1 && n < len(toks) && (presence[toks[n].norm] || absence[toks[n].norm])
		for _, t := range toks[:n] {
			if !t.upper && !before || knownWord(t.norm) || t.norm == "" || negations[t.norm] || notNames[t.norm] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if toks[n-1].brk || n == len(toks) || knownWord(toks[n].norm) {
			return n
		}
	}
	return 0
}

// notNames are words that may stand between a salutation and a presence
// word without being a name ("pak, bisa hadir?").
var notNames = map[string]bool{"bisa": true, "dapat": true, "masih": true, "hanya": true, "cuma": true, "boleh": true, "perlu": true, "harus": true, "wajib": true, "apakah": true, "apa": true, "siapa": true, "yang": true}

// knownWord reports whether w starts a command or is read past.
func knownWord(w string) bool {
	if _, ok := keywords[w]; ok {
		return true
	}
	return presence[w] || salutations[w] || reporting[w] || matchLead([]string{w}) > 0 || abbreviations[w] != ""
}

// collapseTail shortens a held key at the end of a word ("pagiii").
func collapseTail(w string) string {
	if len(w) < 3 || w[len(w)-1] != w[len(w)-2] || w[len(w)-1] >= utf8.RuneSelf {
		return w
	}
	return strings.TrimRight(w, w[len(w)-1:]) + w[len(w)-1:]
}

// dateLeads are day words that may come before an absence word ("besok
// izin pak, ada acara"); they are moved after it, where the absence's
// text carries them ("izin besok ada acara").
var dateLeads = map[string]bool{"besok": true, "lusa": true, "bsk": true}

// moveDate rewrites "besok [saya] izin …" as "izin besok …"; other
// messages are returned unchanged.
func moveDate(body string) string {
	w, rest := firstWord(body)
	if !dateLeads[normWord(w)] {
		return body
	}
	after := unwrap(strings.TrimLeft(rest, " ,"))
	kw, tail := firstWord(after)
	switch normWord(kw) {
	case "izin", "ijin", "cuti", "sakit", "skt":
		return kw + " " + w + " " + strings.TrimLeft(leadingSalutations(strings.TrimLeft(tail, " ,;:.!-–")), " ,")
	}
	return body
}

// expandAbbrev rewrites an abbreviated first word ("hdr wfh" → "hadir wfh").
func expandAbbrev(body string) string {
	w, rest := firstWord(body)
	if long, ok := abbreviations[normWord(w)]; ok {
		return long + rest
	}
	// "hadirrr", "izinnn": a held key.
	if lw := normWord(w); len(lw) > 3 {
		short := collapseTail(lw)
		if k, ok := keywords[short]; ok && short != lw && k.kind == KindCheckIn {
			return short + rest
		}
	}
	// "kerja dari rumah", "bekerja di kantor": a check-in with its place.
	if lw := normWord(w); lw == "kerja" || lw == "bekerja" {
		if p, n := leadingPlace(strings.ToLower(strings.TrimSpace(rest))); n > 0 && p != "" {
			return "hadir " + strings.TrimSpace(rest)
		}
	}
	return body
}

// courtesyTails are words dropped from the end of any note ("… ya pak,
// terima kasih").
var courtesyTails = joined([][]string{
	{"terima", "kasih"}, {"terimakasih"}, {"makasih"}, {"tks"}, {"trims"}, {"thx"}, {"thanks"}, {"wassalam"}, {"salam"},
	{"ya"}, {"yaa"}, {"yah"}, {"nggih"}, {"njih"}, {"gih"},
	{"pak"}, {"bu"}, {"bapak"}, {"ibu"}, {"ibuk"}, {"buk"}, {"kak"}, {"mas"}, {"mbak"}, {"mba"}, {"bpk"}, {"min"},
	{"bapak/ibu"}, {"pak/bu"}, {"semua"}, {"semuanya"}, {"mohon", "maaf"}, {"maaf"}, {"mohon", "izin"}, {"mohon"},
})

// trailFillers are dropped from the end of a check-in's notes as well; an
// absence keeps them ("hari ini" may be its date).
var trailFillers = append(joined([][]string{{"hari", "ini"}, {"hr", "ini"}, {"pagi", "ini"}, {"dan"}, {"serta"}, {"nya"},
	{"alhamdulillah"}, {"alhamdulilah"}, {"puji", "tuhan"}, {"insyaallah"}}), courtesyTails...)

func joined(phrases [][]string) []string {
	out := make([]string, len(phrases))
	for i, p := range phrases {
		out[i] = strings.Join(p, " ")
	}
	return out
}

// leadFillers are words dropped from the start of a segment of a check-in.
var leadFillers = joined([][]string{{"hadir"}, {"absen"}, {"hari", "ini"}, {"hr", "ini"}, {"pagi", "ini"}, {"saya"}, {"sy"}, {"dan"}, {"serta"}, {"ya"}})

// trimFillers drops courtesy words at the end of seg and, for a check-in
// (lead), fillers at both ends. It returns "" for a segment of fillers
// only.
func trimFillers(seg string, lead bool) string {
	tails := courtesyTails
	if lead {
		tails = trailFillers
	}
	seg = strings.TrimLeft(seg, " &+")
	for {
		s := strings.TrimRightFunc(seg, func(r rune) bool {
			return unicode.IsSpace(r) || isBreak(r) || r == '-' || r == '–' || r == '&' || r == '+'
		})
		low := lowerSameLen(s)
		cut := false
		for _, p := range tails {
			if strings.HasSuffix(low, p) {
				i := len(low) - len(p)
				if i == 0 || !isWordRune(lastRune(low[:i])) {
					s, cut = s[:i], true
					break
				}
			}
		}
		seg = s
		if !cut {
			break
		}
	}
	if lead {
		for {
			s := strings.TrimLeftFunc(seg, func(r rune) bool { return unicode.IsSpace(r) || isBreak(r) || r == '-' || r == '–' })
			low := lowerSameLen(s)
			cut := false
			fillers := leadFillers
			if strings.Contains(strings.TrimSpace(low), " ") {
				fillers = append(fillers[:len(fillers):len(fillers)], "pagi")
			}
			for _, p := range fillers {
				if hasWordPrefix(low, p) {
					s, cut = s[len(p):], true
					break
				}
			}
			seg = s
			if !cut {
				break
			}
		}
	}
	return strings.TrimSpace(seg)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// healthQualifiers may stand before a symptom and belong to the note
// ("agak pilek", "sedikit pusing").
var healthQualifiers = []string{"agak", "sedikit", "sdkt", "sedang", "sdg", "lagi", "lg", "masih", "msh", "rada", "mulai", "badan", "kepala"}

// healthLeads stand before a health statement and are dropped ("dalam
// keadaan sehat", "alhamdulillah sehat", "tapi agak pilek").
var healthLeads = []string{"alhamdulillah", "alhamdulilah", "alhamdullilah", "puji tuhan", "dalam keadaan", "dalam kondisi", "kondisi",
	"keadaan", "insya allah", "insyaallah", "tapi", "tp", "namun", "cuma", "hanya", "walau", "walaupun", "meski", "meskipun", "sambil", "dengan", "dgn", "tetap", "ttp", "dan", "kesehatan"}

// healthModifiers may follow a symptom ("batuk ringan", "demam sedikit").
var healthModifiers = []string{"ringan", "sedikit", "berat", "tinggi", "biasa", "saja", "aja", "dan", "&", "+"}

// extraSymptoms are read anywhere in a message besides symptoms.
var extraSymptoms = []string{"tidak enak badan", "tdk enak badan", "kurang enak badan", "gak enak badan", "ga enak badan", "nggak enak badan",
	"kurang sehat", "tdk sehat", "kurang fit", "tidak fit", "tdk fit", "radang tenggorokan", "sakit gigi", "sakit perut", "sakit pinggang", "sakit punggung",
	"sakit mata", "sariawan", "masuk angin", "gatal", "alergi", "migrain", "migren", "vertigo", "sesak napas", "sesak nafas", "hidung tersumbat", "tenggorokan gatal",
	"kurang tidur", "capek", "lelah"}

var allSymptoms = func() []string {
	all := append(append([]string{}, extraSymptoms...), symptoms...)
	// Longest first, so "sakit kepala" wins over a shorter match.
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && len(all[j]) > len(all[j-1]); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	return all
}()

// healthTails may follow a symptom in a note: modifiers and more symptoms.
var healthTails = append(append([]string{}, healthModifiers...), allSymptoms...)

// findWord returns the byte offset of the first whole-word occurrence of w
// in low, or -1.
func findWord(low, w string) int {
	for off := 0; off <= len(low); {
		i := strings.Index(low[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		before := i == 0 || !isWordRune(lastRune(low[:i]))
		r, _ := utf8.DecodeRuneInString(low[i+len(w):])
		after := i+len(w) == len(low) || !isWordRune(r)
		if before && after {
			return i
		}
		off = i + 1
	}
	return -1
}

// healthIn finds a health statement anywhere in seg: a symptom (with the
// qualifiers before and modifiers after it) or "sehat". It returns the
// note ("sehat" or the symptom phrase as written) and seg without it.
func healthIn(seg string) (note, rest string, ok bool) {
	low := lowerSameLen(seg)
	start, end := -1, -1
	symptom := false
	for _, s := range allSymptoms {
		if i := findWord(low, s); i >= 0 && (start < 0 || i < start) {
			start, end, symptom = i, i+len(s), true
		}
	}
	if symptom && aboutOthers(low[:start]) {
		return "", seg, false // "jaga anak yang demam": not the sender's health
	}
	if !symptom {
		i, n := findWord(low, "sehat"), len("sehat")
		if i < 0 {
			i, n = findWord(low, "sht"), len("sht")
		}
		if i < 0 {
			return "", seg, false
		}
		start, end = i, i+n
		for _, tail := range []string{" walafiat", " wal afiat", " wal'afiat", " walafiyat", " dan fit", " selalu", " fit"} {
			if strings.HasPrefix(low[end:], tail) {
				end += len(tail)
				break
			}
		}
	}
	// Qualifiers before it belong to the note.
	noteStart := start
	for {
		before := strings.TrimRight(low[:noteStart], " ")
		moved := false
		for _, q := range healthQualifiers {
			if strings.HasSuffix(before, q) && (len(before) == len(q) || !isWordRune(lastRune(before[:len(before)-len(q)]))) {
				noteStart, moved = len(before)-len(q), true
				break
			}
		}
		if !moved {
			break
		}
	}
	// Modifiers and further symptoms after it.
	for symptom {
		after := low[end:]
		trimmed := strings.TrimLeft(after, " ")
		skip := len(after) - len(trimmed)
		moved := false
		if n := temperature(trimmed); n > 0 {
			end += skip + n
			continue
		}
		for _, m := range healthTails {
			if hasWordPrefix(trimmed, m) || (m == "&" || m == "+") && strings.HasPrefix(trimmed, m) {
				end += skip + len(m)
				moved = true
				break
			}
		}
		if !moved {
			break
		}
	}
	// A connective at the end ("pilek dan") is not part of the note.
	noteEnd := end
	for _, c := range []string{" dan", " &", " +"} {
		if strings.HasSuffix(low[:noteEnd], c) {
			noteEnd -= len(c)
		}
	}
	// Lead words before the note are dropped from the rest.
	cut := noteStart
	for {
		before := strings.TrimRight(low[:cut], " ,")
		moved := false
		for _, q := range healthLeads {
			if strings.HasSuffix(before, q) && (len(before) == len(q) || !isWordRune(lastRune(before[:len(before)-len(q)]))) {
				cut, moved = len(before)-len(q), true
				break
			}
		}
		if !moved {
			break
		}
	}
	note = strings.TrimSpace(seg[noteStart:noteEnd])
	if !symptom {
		note = "sehat"
	}
	rest = strings.TrimSpace(strings.TrimSpace(seg[:cut]) + " " + strings.TrimSpace(seg[end:]))
	rest = strings.TrimSpace(emptyParens.ReplaceAllString(rest, " ")) // "hadir wfh (sehat)"
	return note, rest, true
}

// excuseMe after "izin" make it a polite "excuse me", not an absence.
var excuseMe = map[string]bool{"tanya": true, "bertanya": true, "nanya": true, "menanyakan": true, "share": true, "berbagi": true,
	"menyampaikan": true, "sampaikan": true, "info": true, "informasi": true, "menginformasikan": true, "konfirmasi": true,
	"mengingatkan": true, "meneruskan": true, "forward": true, "mengirim": true, "kirim": true, "melaporkan": true, "lapor": true,
	"melapor": true, "masukan": true, "usul": true, "mengusulkan": true}

// negations before a presence word make it an absence ("tidak hadir").
var negations = map[string]bool{"tidak": true, "tdk": true, "tak": true, "gak": true, "ga": true, "nggak": true, "ngga": true, "enggak": true, "belum": true, "blm": true, "berhalangan": true, "batal": true}

// clarify turns a parsed check-in or unknown message that is ambiguous
// into a question. body is the message after unwrap, without the slash.
func clarify(cmd Command, body string, slash bool) Command {
	if cmd.Kind == KindRoster && !slash {
		// "piket hari ini, sehat": a check-in on duty, not the roster command.
		if _, _, ok := healthIn(cmd.Arg); ok {
			c := Command{Kind: KindCheckIn, Word: cmd.Word, Status: "hadir", Place: "piket"}
			parseCheckIn(&c, ", "+cmd.Arg)
			return c
		}
	}
	toks := tokens(body, askWithinWords+1)
	if slash {
		// "/izin hadir": an explicit absence command with a presence word.
		if cmd.Kind == KindCheckIn && cmd.Status == "izin" && len(toks) > 1 && presence[toks[1].norm] {
			return Command{Kind: KindAsk, Arg: AskWhich, Word: cmd.Word}
		}
		return cmd
	}
	switch cmd.Kind {
	case KindCheckIn:
		switch cmd.Status {
		case "sakit":
			// "sakit tapi tetap wfh": sick leave, or working with a note?
			for i, t := range toks[1:] {
				if (t.norm == "wfh" || t.norm == "wfo" || t.norm == "hadir" || t.norm == "bekerja" || t.norm == "kerja") && !negations[toks[i].norm] {
					return Command{Kind: KindAsk, Arg: AskSickOrWork, Word: cmd.Word}
				}
			}
		case "izin":
			if len(toks) > 1 && (toks[1].norm == "terlambat" || toks[1].norm == "telat" || toks[1].norm == "datang") {
				return Command{Kind: KindAsk, Arg: AskPermitLate, Word: cmd.Word}
			}
			// "izin, hari ini hadir terlambat": a presence word in an izin.
			for i := 1; i < len(toks); i++ {
				if presence[toks[i].norm] && toks[i].norm != "dinas" && !negations[toks[i-1].norm] && (i < 2 || !negations[toks[i-2].norm]) {
					return Command{Kind: KindAsk, Arg: AskWhich, Word: cmd.Word}
				}
			}
			// "izin bertanya", "izin melaporkan kegiatan": izin as "excuse me";
			// "izin pulang cepat", "izin setengah hari": part of a day.
			for _, t := range toks[1:min(len(toks), 5)] {
				if excuseMe[t.norm] || t.norm == "pulang" || t.norm == "setengah" {
					return Command{Kind: KindAsk, Arg: AskWhich, Word: cmd.Word}
				}
				if !salutations[t.norm] && !reporting[t.norm] && !selfWords[t.norm] {
					break
				}
			}
		}
		return cmd
	case KindNone, KindUnknown:
		if len(toks) == 0 || cmd.Suggest != "" {
			return cmd
		}
		// "tidak hadir", "berhalangan masuk": an absence without its kind.
		for i := 0; i+1 < len(toks) && i < 3; i++ {
			if negations[toks[i].norm] && presence[toks[i+1].norm] {
				return Command{Kind: KindAsk, Arg: AskNotPresent, Word: cmd.Word}
			}
		}
		// Only a health statement: "alhamdulillah sehat", "agak pilek".
		if note, rest, ok := healthIn(body); ok && note != "" && trimFillers(rest, true) == "" {
			return Command{Kind: KindAsk, Arg: AskHealthOnly, Word: cmd.Word}
		}
		// A status word a few words in: not a guess, a question.
		for i, t := range toks {
			if i == 0 || i > askWithinWords {
				continue
			}
			if k, ok := keywords[t.norm]; ok && k.kind == KindCheckIn && t.norm != "masuk" && t.norm != "dinas" {
				return Command{Kind: KindAsk, Arg: AskWhich, Word: cmd.Word}
			}
		}
	}
	return cmd
}

// segments splits the text after a check-in word at commas, semicolons,
// bars, new lines and sentence ends ("Hadir wfh. Kondisi sehat."), not at
// the dot of a short abbreviation ("Jl. Sudirman", "No. 5").
func segments(rest string) []string {
	var out []string
	start := 0
	for i, r := range rest {
		switch r {
		case ',', ';', '\n', '|':
		case '.':
			if i+1 >= len(rest) || rest[i+1] != ' ' {
				continue
			}
			w := rest[start:i]
			if j := strings.LastIndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }); j >= 0 {
				w = w[j+1:]
			}
			if utf8.RuneCountInString(w) < 3 || shortForms[strings.ToLower(w)] {
				continue
			}
		default:
			continue
		}
		out = append(out, rest[start:i])
		start = i + 1
	}
	return append(out, rest[start:])
}

var shortForms = map[string]bool{"jln": true, "bpk": true, "sdr": true, "yth": true, "tgl": true, "pkl": true, "drs": true, "dra": true, "ssi": true, "ske": true, "skm": true, "spd": true, "kel": true, "kec": true, "kab": true, "prov": true}

// aboutOthers reports whether the words before a symptom say it is
// someone else's ("anak yang demam", "antar istri yang sakit kepala").
func aboutOthers(before string) bool {
	for _, w := range []string{"yang", "anak", "istri", "suami", "ibu", "bapak", "ortu", "orang tua", "mertua", "keluarga", "adik", "kakak", "nenek", "kakek"} {
		if findWord(before, w) >= 0 {
			return true
		}
	}
	return false
}

// bodyParts complete a sick note that names only where it hurts ("izin,
// sakit gigi": "sakit" is the status word, "gigi" alone says little).
var bodyParts = map[string]bool{"gigi": true, "perut": true, "kepala": true, "mata": true, "tenggorokan": true, "pinggang": true, "punggung": true, "maag": true, "lambung": true, "telinga": true, "kaki": true, "tangan": true}

// leadingSalutations drops salutations at the start of an absence note
// ("izin pak, ada urusan"): the rest of the note is kept as written.
func leadingSalutations(s string) string {
	for {
		w, rest := firstWord(s)
		if nw := normWord(w); w == "" || !salutations[nw] && nw != "ya" {
			return s
		}
		s = strings.TrimLeft(rest, " ,;:.!-–")
	}
}

// tempRe matches a body temperature after a symptom ("demam 38 derajat",
// "demam 38,5°C").
var tempRe = regexp.MustCompile(`^(?:\d{2}(?:[.,]\d)?\s*(?:derajat(?:\s*c(?:elcius)?)?|°\s*c?|c)\b|\d{2}(?:[.,]\d)?\s*$)`)

// temperature returns the length of a temperature at the start of s.
func temperature(s string) int {
	return len(tempRe.FindString(s))
}

// lowerSameLen lower-cases s rune by rune, keeping a rune whose lower case
// has another UTF-8 length ("Ⱥ" U+023A → "ⱥ" U+2C65, "K" U+212A → "k"), so
// that byte offsets found in the result are offsets in s. The parsers
// match lower-case words in it and cut the original at the same offsets.
func lowerSameLen(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); r != utf8.RuneError && utf8.RuneLen(l) == n {
			b = utf8.AppendRune(b, l)
		} else {
			b = append(b, s[i:i+n]...) // invalid bytes and length changes stay
		}
		i += n
	}
	return string(b)
}
