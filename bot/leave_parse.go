package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Leave-home phrasing. A report names a reason and optionally how long
// ("2 jam", "30 menit") or until when ("sampai 14.00", "s.d. 14:00").

// politeLead are words people put before a leave-home report
// ("mohon izin keluar", "pamit ke rumah sakit").
var politeLead = []string{"mohon", "pamit", "saya", "mau", "akan", "ingin", "permisi"}

// leavePlaces start a report on their own: "ke rumah sakit antar ibu".
var leavePlaces = [][]string{{"rumah", "sakit"}, {"rs"}, {"rsud"}, {"puskesmas"}, {"klinik"}, {"apotek"}, {"apotik"}, {"dokter"}, {"bidan"}, {"laboratorium"}, {"lab"}}

// backWords after "sudah" mean the person is back home.
var backWords = [][]string{{"di", "rumah"}, {"dirumah"}, {"kembali"}, {"pulang"}, {"balik"}, {"sampai", "rumah"}, {"sampai", "di", "rumah"}, {"tiba", "di", "rumah"}}

var ackWords = map[string]bool{"ok": true, "oke": true, "okay": true, "okey": true, "okee": true, "siap": true}

// eat consumes the words ws (compared normalized) from the front of s and
// returns what follows.
func eat(s string, ws ...string) (string, bool) {
	for _, w := range ws {
		first, rest := firstWord(s)
		if normWord(first) != w {
			return s, false
		}
		s = rest
	}
	return s, true
}

// parseLeave recognizes the leave-home commands; ok is false for any other
// message.
func parseLeave(word, lw, rest, body string, slash bool) (Command, bool) {
	base := Command{Word: word, Slash: slash, Until: -1}
	switch lw {
	case "keluar_aktif", "keluaraktif", "keluar-aktif":
		base.Kind = KindLeaveList
		return base, true
	case "kembali":
		base.Kind = KindReturn
		return base, true
	case "sudah", "sdh", "udah", "udh", "sudh":
		for _, ws := range backWords {
			if _, ok := eat(rest, ws...); ok {
				base.Kind = KindReturn
				return base, true
			}
		}
		return Command{}, false
	}
	if ackWords[lw] {
		r := strings.TrimLeft(strings.TrimSpace(rest), ",:;.-– ")
		r, _ = eat(r, "no")
		r, _ = eat(r, "nomor")
		r = strings.TrimLeft(strings.TrimSpace(r), "#.: ")
		n, err := strconv.ParseInt(strings.TrimRight(r, ".!"), 10, 64)
		switch {
		case err == nil && n > 0:
			base.Kind, base.N = KindAck, n
			return base, true
		case slash && r == "" && lw == "ok":
			base.Kind = KindAck // "/ok" alone: answered with how to use it
			return base, true
		}
		return Command{}, false
	}
	// Strip polite lead words, then look for the report forms.
	s := body
	for i := 0; i < 4; i++ {
		w, r := firstWord(s)
		if !contains(politeLead, normWord(w)) {
			break
		}
		s = r
	}
	w, r := firstWord(s)
	if i := strings.IndexByte(w, '@'); i > 0 {
		w = w[:i] // "/keluar@PiketBot"
	}
	switch normWord(w) {
	case "keluar":
		if w2, _ := firstWord(r); normWord(w2) == "aktif" {
			base.Kind = KindLeaveList
			return base, true
		}
	case "izin", "ijin":
		r2, ok := eat(r, "keluar")
		if !ok {
			return Command{}, false // "izin" alone is the izin check-in
		}
		r = r2
	case "ke":
		for _, ws := range leavePlaces {
			if _, ok := eat(r, ws...); ok {
				base.Kind = KindLeave
				fillLeave(&base, strings.TrimSpace(s))
				return base, true
			}
		}
		return Command{}, false
	default:
		return Command{}, false
	}
	// "keluar [dari] [rumah] [sebentar] REASON"
	r, _ = eat(r, "dari")
	r, _ = eat(r, "rumah")
	r, _ = eat(r, "sebentar")
	base.Kind = KindLeave
	fillLeave(&base, r)
	return base, true
}

func contains(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

var (
	durRe = regexp.MustCompile(`(?i)(?:\b(?:selama|sekitar|kurang lebih|kira-kira|kurleb|perkiraan|estimasi|kurang dari|maksimal|maks)\s+)?(?:±\s*)?` +
		`(?:\b(\d{1,3}(?:[.,]\d)?)\s*(jam|menit|mnt|mnit)\b(?:\s*(\d{1,2})\s*(?:menit|mnt)\b)?` +
		`|\b(sejam|satu jam|setengah jam|1/2 jam|dua jam|tiga jam)\b)`)
	untilRe = regexp.MustCompile(`(?i)(?:\b(?:sampai dengan|sampai|s\.\s?d\.?|s/d|hingga|paling lambat)\s*(?:jam|pukul|pkl\.?)?|\b(?:kembali|balik)\s+(?:jam|pukul|pkl\.?))` +
		`\s*(\d{1,2})(?:[.:](\d{2}))?(?:\s*(?:wib|wita|wit)\b)?`)
	spaces      = regexp.MustCompile(`\s+`)
	emptyParens = regexp.MustCompile(`[(\[]\s*[)\]]`)
)

var wordDurations = map[string]time.Duration{
	"sejam": time.Hour, "satu jam": time.Hour, "setengah jam": 30 * time.Minute, "1/2 jam": 30 * time.Minute,
	"dua jam": 2 * time.Hour, "tiga jam": 3 * time.Hour,
}

// fillLeave takes the expected duration or return time out of text and
// keeps the rest as the reason.
func fillLeave(cmd *Command, text string) {
	text = strings.TrimSpace(text)
	if m := untilRe.FindStringSubmatchIndex(text); m != nil {
		h, _ := strconv.Atoi(text[m[2]:m[3]])
		mins := 0
		if m[4] >= 0 {
			mins, _ = strconv.Atoi(text[m[4]:m[5]])
		}
		if h <= 24 && mins < 60 {
			cmd.Until = (h%24)*60 + mins
			text = text[:m[0]] + " " + text[m[1]:]
		}
	}
	if m := durRe.FindStringSubmatchIndex(text); m != nil {
		var d time.Duration
		if m[8] >= 0 {
			d = wordDurations[strings.ToLower(spaces.ReplaceAllString(text[m[8]:m[9]], " "))]
		} else {
			v, _ := strconv.ParseFloat(strings.Replace(text[m[2]:m[3]], ",", ".", 1), 64)
			unit := time.Minute
			if strings.EqualFold(text[m[4]:m[5]], "jam") {
				unit = time.Hour
			}
			d = time.Duration(v * float64(unit))
			if m[6] >= 0 {
				extra, _ := strconv.Atoi(text[m[6]:m[7]])
				d += time.Duration(extra) * time.Minute
			}
		}
		if d > 0 && d <= 24*time.Hour {
			cmd.For = d
			text = text[:m[0]] + " " + text[m[1]:]
		}
	}
	text = emptyParens.ReplaceAllString(text, " ")
	text = spaces.ReplaceAllString(text, " ")
	text = strings.Trim(text, " ,;:-–.")
	if v, ok := cutLabel(text, lowerSameLen(text), []string{"alasan", "keperluan"}); ok {
		text = v
	}
	if len(text) > 500 {
		text = Clean(text[:500])
	}
	cmd.Arg = text
}
