package bot

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind is what a message asks for.
type Kind int

// The kinds of command Piket understands.
const (
	KindNone      Kind = iota // empty or chatter: nothing to do
	KindUnknown               // looks like a command Piket does not know
	KindCheckIn               // hadir / sakit / izin / cuti
	KindReport                // /laporan TEXT
	KindStatus                // /status
	KindHelp                  // /bantuan
	KindStart                 // /start, /daftar: register this account
	KindUnlink                // /putus
	KindGroupLink             // /grup OPD
	KindLeave                 // /keluar ALASAN: leaving home (Arg, For, Until)
	KindReturn                // /kembali: back home
	KindAck                   // /ok N: a supervisor acknowledges report N
	KindLeaveList             // /keluar_aktif: subordinates currently out
	KindRecap                 // /rekap [TANGGAL]: the day's attendance recap (Arg: the day)
	KindCancel                // /batal [N]: cancel my absence N (Arg)
)

// Command is a parsed message. Fields are filled per Kind.
type Command struct {
	Kind Kind
	// Word is the command word as the person wrote it (for replies).
	Word string
	// Slash is true when the message started with "/".
	Slash bool
	// CheckIn fields.
	Status string // hadir, sakit, izin, cuti
	Place  string // wfh, kantor, piket, dinas (hadir only)
	// Away is wfa or wfh when the person wrote a place away from the
	// office ("wfh", "dari rumah", "wfa", "lokasi lain"); "" when the place
	// was not written (wfh by default) or is another.
	Away   string
	Health string // "sehat" or a note
	Plan   string // today's plan, or the reason for sakit/izin/cuti
	// Arg is the free text of KindReport and KindCheckIn (after the
	// keyword) and the office code of KindGroupLink.
	Arg string
	// Suggest is the command a KindUnknown message probably meant ("/hadir").
	Suggest string
	// KindLeave: the expected absence ("2 jam") or return time ("sampai
	// 14.00", minutes after local midnight; -1 when not given).
	For   time.Duration
	Until int
	// N is the report number of KindAck (0: none given).
	N int64
	// FlexKind is wfa or wfh for KindFlexRequest (flex_parse.go).
	FlexKind string
}

// MaxText is the longest message text Piket processes, in bytes.
const MaxText = 4096

// keyword maps a normalized first word to a command.
type keyword struct {
	kind   Kind
	status string
	place  string
	canon  string // the command to suggest for typos
}

var keywords = map[string]keyword{
	"hadir":     {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"absen":     {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"absensi":   {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"presensi":  {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"masuk":     {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"checkin":   {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"wfh":       {kind: KindCheckIn, status: "hadir", place: "wfh", canon: "/hadir"},
	"wfo":       {kind: KindCheckIn, status: "hadir", place: "kantor", canon: "/hadir"},
	"wfa":       {kind: KindCheckIn, status: "hadir", place: "wfh", canon: "/hadir"},
	"sakit":     {kind: KindCheckIn, status: "sakit", canon: "/sakit"},
	"izin":      {kind: KindCheckIn, status: "izin", canon: "/izin"},
	"ijin":      {kind: KindCheckIn, status: "izin", canon: "/izin"},
	"cuti":      {kind: KindCheckIn, status: "cuti", canon: "/cuti"},
	"laporan":   {kind: KindReport, canon: "/laporan"},
	"lapor":     {kind: KindReport, canon: "/laporan"},
	"status":    {kind: KindStatus, canon: "/status"},
	"cek":       {kind: KindStatus, canon: "/status"},
	"bantuan":   {kind: KindHelp, canon: "/bantuan"},
	"help":      {kind: KindHelp, canon: "/bantuan"},
	"menu":      {kind: KindHelp, canon: "/bantuan"},
	"start":     {kind: KindStart, canon: "/daftar"},
	"daftar":    {kind: KindStart, canon: "/daftar"},
	"putus":     {kind: KindUnlink, canon: "/putus"},
	"grup":      {kind: KindGroupLink, canon: "/grup"},
	"dinas":     {kind: KindCheckIn, status: "hadir", place: "dinas", canon: "/hadir"},
	"check-in":  {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"kehadiran": {kind: KindCheckIn, status: "hadir", canon: "/hadir"},
	"rekap":     {kind: KindRecap, canon: "/rekap"},
	"recap":     {kind: KindRecap, canon: "/rekap"},
	"batal":     {kind: KindCancel, canon: "/batal"},
	"batalkan":  {kind: KindCancel, canon: "/batal"},
	// Leave-home words are read by parseLeave; listed here for typo hints.
	"keluar":  {kind: KindLeave, canon: "/keluar"},
	"kembali": {kind: KindReturn, canon: "/kembali"},
}

// typoTargets are the words a typo is compared with, in a fixed order.
var typoTargets = []string{"hadir", "absen", "sakit", "izin", "cuti", "laporan", "status", "bantuan", "daftar", "putus", "grup", "presensi", "keluar", "kembali"}

// Parse reads a chat message. It never fails: text it does not understand
// is KindNone (chatter) or KindUnknown (a probable command, with a hint).
func Parse(text string) Command { return parse(text, true) }

// parse is Parse; flex false reads "/wfh 2026-03-16 …" as the check-in
// it is in an office in mode piket.
func parse(text string, flex bool) Command {
	text = Clean(text)
	if text == "" {
		return Command{Kind: KindNone}
	}
	slash := strings.HasPrefix(text, "/")
	body := stripEmoji(strings.TrimLeft(text, "/"))
	if !slash {
		body = moveDate(unwrap(body)) // greetings, salutations, fillers (phrase.go)
	}
	if cmd, ok := parseFlex(strings.TrimSpace(body), slash); ok && flex {
		return cmd
	}
	body = expandAbbrev(strings.TrimSpace(body))
	if body == "" {
		return Command{Kind: KindNone}
	}
	return clarify(parseBody(body, slash), body, slash)
}

// parseBody reads a message without its leading slash.
func parseBody(body string, slash bool) Command {
	word, rest := firstWord(body)
	// Telegram appends @botname to commands in groups.
	if i := strings.IndexByte(word, '@'); i > 0 {
		word = word[:i]
	}
	lw := normWord(word)
	// "check in", "izin keluar" and friends: two-word forms.
	if lw == "check" || lw == "cek" {
		if w2, r2 := firstWord(rest); normWord(w2) == "in" {
			lw, rest = "checkin", r2
		}
	}
	if cmd, ok := parseLeave(word, lw, rest, body, slash); ok {
		return cmd
	}
	if cmd, ok := parseRoster(word, lw, rest, slash); ok {
		return cmd
	}
	if cmd, ok := parseDashboard(word, lw, rest, slash); ok {
		return cmd
	}
	kw, ok := keywords[lw]
	if !ok {
		if s := suggest(lw); s != "" && (slash || len(strings.Fields(body)) <= 3) {
			return Command{Kind: KindUnknown, Word: word, Slash: slash, Suggest: s}
		}
		if slash {
			return Command{Kind: KindUnknown, Word: word, Slash: true}
		}
		return Command{Kind: KindNone, Word: word}
	}
	cmd := Command{Kind: kw.kind, Word: word, Slash: slash}
	switch kw.kind {
	case KindCheckIn:
		cmd.Status, cmd.Place = kw.status, kw.place
		if kw.place == "wfh" {
			cmd.Away = awayKind(lw)
		}
		if lw == "dinas" {
			// "dinas luar kota ke Jakarta": the rest is the plan.
			if w2, r2 := firstWord(rest); normWord(w2) == "luar" {
				rest = r2
			}
		}
		cmd.Arg = strings.TrimSpace(rest)
		parseCheckIn(&cmd, rest)
	case KindReport, KindGroupLink, KindRecap, KindCancel:
		cmd.Arg = strings.TrimSpace(rest)
		if kw.kind == KindReport {
			cmd.Arg = strings.TrimLeft(cmd.Arg, ":- ")
		}
	}
	return cmd
}

// Clean makes untrusted text safe to process: valid UTF-8, no control or
// zero-width characters (newlines kept), trimmed, at most MaxText bytes.
func Clean(s string) string {
	if len(s) > 4*MaxText {
		s = s[:4*MaxText]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return -1
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r): // includes zero-width and bidi controls
			return -1
		case r == '\u00a0':
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > MaxText {
		cut := MaxText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimSpace(s[:cut])
	}
	return s
}

func firstWord(s string) (word, rest string) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == ';' || r == ':' })
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// normWord lower-cases a word and strips punctuation around it.
func normWord(w string) string {
	return strings.ToLower(strings.TrimFunc(w, unicode.IsPunct))
}

// unbracketPlace drops the brackets around a place that opens seg:
// "(WFA) - sehat" → "WFA - sehat", "[wfh] sehat" → "wfh sehat".
func unbracketPlace(seg string) string {
	if seg == "" || (seg[0] != '(' && seg[0] != '[') {
		return seg
	}
	end := strings.IndexByte(seg, map[byte]byte{'(': ')', '[': ']'}[seg[0]])
	if end < 0 {
		return seg
	}
	inner := strings.TrimSpace(seg[1:end])
	if _, n := leadingPlace(lowerSameLen(inner)); n == 0 || n != len(inner) {
		return seg
	}
	return strings.TrimSpace(inner + " " + seg[end+1:])
}

var places = []struct {
	words []string
	place string
}{
	{[]string{"wfh", "rumah", "di rumah", "dari rumah", "dr rumah", "drmh", "dirumah", "home", "kerja dari rumah", "bekerja dari rumah", "kerja di rumah",
		"bekerja di rumah", "work from home", "wfa", "work from anywhere", "dari lokasi lain", "di lokasi lain", "lokasi lain", "dari tempat lain",
		"di tempat lain", "tempat lain"}, "wfh"},
	{[]string{"kantor", "wfo", "di kantor", "ke kantor", "dari kantor", "dr kantor", "dikantor", "office", "kerja di kantor", "bekerja di kantor",
		"kerja dari kantor", "work from office"}, "kantor"},
	{[]string{"piket", "jaga"}, "piket"},
	{[]string{"dinas luar kota", "dinas luar", "perjalanan dinas", "dinas", "dl"}, "dinas"},
}

var healthLabels = []string{"kesehatan", "kondisi", "keadaan", "health"}
var planLabels = []string{"rencana", "kegiatan", "tugas", "agenda", "pekerjaan", "plan", "keterangan", "ket", "alasan"}
var symptoms = []string{"kurang sehat", "tidak sehat", "tidak enak badan", "kurang fit", "sakit kepala", "sakit tenggorokan",
	"demam", "batuk", "pilek", "flu", "pusing", "sesak", "meriang", "lemas", "diare", "mual", "nyeri"}

// parseCheckIn fills place, health and plan from the text after the
// check-in word: "[place] [, health] [, plan]" in any order, separated by
// commas, semicolons or new lines, or labelled ("rencana: …").
func parseCheckIn(cmd *Command, rest string) {
	if cmd.Status != "hadir" {
		rest = leadingSalutations(strings.TrimLeft(rest, " ,;:.!-–"))
	}
	segs := segments(rest)
	var plan []string
	for _, seg := range segs {
		seg = trimFillers(strings.Trim(strings.TrimSpace(seg), "-–:.… "), cmd.Status == "hadir")
		if strings.HasPrefix(seg, "(") && strings.HasSuffix(seg, ")") || strings.HasPrefix(seg, "[") && strings.HasSuffix(seg, "]") {
			seg = strings.TrimSpace(seg[1 : len(seg)-1]) // "(WFH)"
		}
		if cmd.Status == "hadir" {
			seg = unbracketPlace(seg) // "(WFA) - sehat - menyusun laporan"
		}
		if seg == "" {
			continue
		}
		low := lowerSameLen(seg)
		if v, ok := cutLabel(seg, low, healthLabels); ok {
			if note, rest, ok := healthIn(v); ok && note == "sehat" && trimFillers(rest, true) == "" {
				v = note // "kondisi: sehat walafiat"
			}
			cmd.Health = v
			continue
		}
		if v, ok := cutLabel(seg, low, planLabels); ok {
			plan = append(plan, v)
			continue
		}
		if v, ok := cutLabel(seg, low, placeLabels); ok && cmd.Status == "hadir" && cmd.Place == "" {
			// "Lokasi: rumah", "tempat: kantor".
			vl := lowerSameLen(v)
			if p, n := leadingPlace(vl); n > 0 {
				cmd.Place = p
				if p == "wfh" {
					cmd.Away = awayKind(vl[:n])
				}
				if rest := strings.TrimSpace(strings.TrimLeft(v[n:], " ,-–:.")); rest != "" {
					plan = append(plan, rest)
				}
				continue
			}
		}
		if cmd.Status == "hadir" && cmd.Place == "" {
			if p, n := leadingPlace(low); n > 0 {
				cmd.Place = p
				if p == "wfh" {
					cmd.Away = awayKind(low[:n])
				}
				seg, low = trimLead(seg, n), low[n:]
				seg, low = strings.TrimLeft(seg, " -–:."), strings.TrimLeft(low, " -–:.")
				if _, n := leadingPlace(low); n > 0 { // "piket kantor": the first place counts
					seg, low = strings.TrimLeft(trimLead(seg, n), " -–:."), strings.TrimLeft(low[n:], " -–:.")
				}
			}
		}
		if seg == "" {
			continue
		}
		if cmd.Status == "hadir" {
			// Health words anywhere: "agak pilek", "alhamdulillah sehat".
			if note, rest, ok := healthIn(seg); ok {
				switch {
				case cmd.Health == "" || cmd.Health == "sehat":
					cmd.Health = note
				case note != "sehat":
					cmd.Health += ", " + note
				}
				if rest = trimFillers(rest, true); rest != "" {
					plan = append(plan, rest)
				}
				continue
			}
		} else if cmd.Health == "" && cmd.Status != "izin" && cmd.Status != "cuti" {
			if hasWordPrefix(low, "sehat") {
				cmd.Health = "sehat"
				n := len("sehat")
				if hasWordPrefix(low, "sehat walafiat") {
					n = len("sehat walafiat")
				}
				seg = strings.TrimLeft(seg[n:], " -–:.")
				if seg == "" {
					continue
				}
			} else if isSymptom(low) {
				cmd.Health = seg
				continue
			}
		}
		plan = append(plan, seg)
	}
	cmd.Plan = strings.Join(plan, "; ")
	if cmd.Status == "sakit" && cmd.Health == "" {
		// "sakit demam" keeps the note as health; the plan slot is the note otherwise.
		cmd.Health, cmd.Plan = cmd.Plan, ""
	}
	if cmd.Status == "sakit" && bodyParts[strings.ToLower(cmd.Health)] {
		cmd.Health = "sakit " + cmd.Health // "sakit gigi"
	}
	if cmd.Status == "hadir" && cmd.Place == "" {
		// A place named further on: "hadir pak 🙏 WFH", "hadir, kurang
		// fit, tetap kerja dari rumah".
		cmd.Place, cmd.Away = placeWithin(lowerSameLen(rest))
	}
	if cmd.Status == "hadir" {
		if cmd.Place == "" {
			cmd.Place = "wfh"
		}
		if cmd.Health == "" {
			cmd.Health = "sehat"
		}
	}
	if len(cmd.Plan) > 1000 {
		cmd.Plan = Clean(cmd.Plan[:1000])
	}
	if len(cmd.Health) > 300 {
		cmd.Health = Clean(cmd.Health[:300])
	}
}

var placeLabels = []string{"lokasi", "tempat", "posisi", "location", "place"}

// placesWithin name a place wherever they stand in a check-in's text:
// only unambiguous phrases ("rumah" alone may be "rumah sakit").
var placesWithin = []struct{ words, place string }{
	{"work from anywhere", "wfh"}, {"work from home", "wfh"}, {"bekerja dari rumah", "wfh"}, {"kerja dari rumah", "wfh"},
	{"dari rumah", "wfh"}, {"di rumah", "wfh"}, {"wfh", "wfh"}, {"wfa", "wfh"}, {"dari lokasi lain", "wfh"},
	{"di lokasi lain", "wfh"}, {"dari tempat lain", "wfh"}, {"di tempat lain", "wfh"},
	{"work from office", "kantor"}, {"wfo", "kantor"}, {"di kantor", "kantor"}, {"ke kantor", "kantor"},
}

// placeWithin returns the first place placesWithin finds in low (and for
// a place away, which kind), or "".
func placeWithin(low string) (place, away string) {
	best, bestLen := -1, 0
	for _, p := range placesWithin {
		i := findWord(low, p.words)
		if i < 0 || (best >= 0 && i > best) || (i == best && len(p.words) <= bestLen) {
			continue
		}
		next := strings.TrimLeft(low[i+len(p.words):], " ")
		if strings.HasSuffix(p.words, "rumah") && (hasWordPrefix(next, "sakit") || hasWordPrefix(next, "makan")) {
			continue // "ke rumah sakit": not home
		}
		if strings.HasSuffix(p.words, " kantor") && next != "" && !strings.ContainsRune(",.;!)\n", rune(next[0])) &&
			!hasWordPrefix(next, "saja") && !hasWordPrefix(next, "hari") && !hasWordPrefix(next, "dan") && !hasWordPrefix(next, "sehat") {
			continue // "rapat di kantor camat": someone else's office
		}
		best, bestLen, place = i, len(p.words), p.place
		away = ""
		if p.place == "wfh" {
			away = awayKind(p.words)
		}
	}
	return place, away
}

// awayKind tells a written place away from the office: wfa for another
// place (wfa, anywhere, lokasi lain, tempat lain), wfh for home.
func awayKind(words string) string {
	for _, w := range []string{"wfa", "anywhere", "lain"} {
		if strings.Contains(words, w) {
			return "wfa"
		}
	}
	return "wfh"
}

func cutLabel(seg, low string, labels []string) (string, bool) {
	for _, l := range labels {
		if hasWordPrefix(low, l) {
			v := strings.TrimSpace(seg[len(l):])
			v = strings.TrimSpace(strings.TrimLeft(v, ":=-– "))
			if v != "" {
				return v, true
			}
		}
	}
	return "", false
}

func leadingPlace(low string) (string, int) {
	for _, p := range places {
		for _, w := range p.words {
			if hasWordPrefix(low, w) {
				return p.place, len(w)
			}
		}
	}
	return "", 0
}

func trimLead(seg string, n int) string {
	if n > len(seg) {
		return ""
	}
	return seg[n:]
}

// hasWordPrefix reports whether s starts with the word(s) w followed by
// the end, a space or punctuation.
func hasWordPrefix(s, w string) bool {
	if !strings.HasPrefix(s, w) {
		return false
	}
	if len(s) == len(w) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[len(w):])
	return unicode.IsSpace(r) || unicode.IsPunct(r)
}

func isSymptom(low string) bool {
	for _, s := range symptoms {
		if hasWordPrefix(low, s) {
			return true
		}
	}
	return false
}

// suggest returns the command a mistyped word most likely meant, or "".
func suggest(w string) string {
	if len(w) < 3 || len(w) > 12 {
		return ""
	}
	best, bestD := "", 3
	for _, t := range typoTargets {
		limit := 1
		if len(t) >= 6 {
			limit = 2
		}
		if d := distance(w, t); d <= limit && d < bestD {
			best, bestD = t, d
		}
	}
	if best == "" {
		return ""
	}
	return keywords[best].canon
}

// distance is the Damerau (optimal string alignment) edit distance.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
