package bot

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/piket-id/piket/civil"
)

// Flexible-work commands (PermenPANRB 4/2025). Numbered apart from the
// kinds in parse.go and roster.go so each list can grow on its own.
const (
	KindFlexRequest Kind = 400 + iota // /wfa TANGGAL ALASAN; RENCANA (FlexKind, Arg: the text after the word)
	KindFlexApprove                   // /setujui N
	KindFlexDecline                   // /tolak N ALASAN in an office in mode fleksibel
	KindDayEnd                        // /pulang: the end of today's work
	KindHours                         // /jam: this week's working hours
	KindProgress                      // /progres KEGIATAN [; OUTPUT]
	KindFlexList                      // /pengajuan: my requests, or those waiting for me
)

var flexWords = map[string]Kind{
	"setujui": KindFlexApprove, "approve": KindFlexApprove,
	"pulang": KindDayEnd, "selesai": KindDayEnd,
	"jam": KindHours, "jamkerja": KindHours, "jam_kerja": KindHours, "hours": KindHours,
	"progres": KindProgress, "progress": KindProgress, "progresharian": KindProgress,
	"pengajuan": KindFlexList, "requests": KindFlexList,
}

// parseFlex reads the flexible-work commands from a message body (without
// its slash); ok is false for any other message. "/wfa" and "/wfh" are a
// request only when a day follows ("wfh besok …"); otherwise they stay
// the check-in they always were (Fallback, when the office is in mode
// piket, is that check-in).
func parseFlex(body string, slash bool) (Command, bool) {
	word, rest := firstWord(body)
	if i := strings.IndexByte(word, '@'); i > 0 {
		word = word[:i]
	}
	lw := normWord(word)
	rest = strings.TrimSpace(rest)
	switch lw {
	case "wfa", "wfh", "fwa":
		if !startsWithDate(rest) {
			return Command{}, false
		}
		kind := "wfa"
		if lw == "wfh" {
			kind = "wfh"
		}
		return Command{Kind: KindFlexRequest, Word: word, Slash: slash, FlexKind: kind, Arg: rest}, true
	}
	k, ok := flexWords[lw]
	if !ok {
		return Command{}, false
	}
	if !slash && (k == KindProgress || k == KindFlexApprove) && rest == "" {
		return Command{}, false
	}
	if !slash && (k == KindDayEnd || k == KindHours || k == KindFlexList) && rest != "" {
		return Command{}, false // "pulang jam 4 ya": chatter, not a command
	}
	return Command{Kind: k, Word: word, Slash: slash, Arg: rest}, true
}

// startsWithDate reports whether text starts with something the absence
// date parser reads as a day, or tries to ("31 Februari"). Today ("wfh
// hari ini, sehat") is a check-in, not a request.
func startsWithDate(text string) bool {
	p := absenceParser{toks: tokenize(text), today: civil.Date{Year: 2026, Month: 1, Day: 1}}
	if p.word(0, "today", "sekarang", "skrg", "now") || (p.word(0, "hari") && p.word(1, "ini")) {
		return false
	}
	_, _, err := p.spec(0)
	return !errors.Is(err, ErrNoAbsenceDate)
}

// Outcomes of ParseFlexRequest other than success.
var (
	ErrFlexNoDate   = errors.New("bot: flexible-work request without a day")
	ErrFlexBadDate  = errors.New("bot: flexible-work request day not understood")
	ErrFlexTooLong  = errors.New("bot: flexible-work request range too long")
	ErrFlexNoReason = errors.New("bot: flexible-work request without a reason")
	ErrFlexNoPlan   = errors.New("bot: flexible-work request without a work plan")
)

// MaxFlexDays is the longest range one request may cover, in calendar days.
const MaxFlexDays = 14

// maxFlexText is the longest reason or plan kept, in bytes.
const maxFlexText = 500

// FlexRequestText is a parsed request: the days, the reason and the work plan.
type FlexRequestText struct {
	From, To     civil.Date
	Reason, Plan string
}

var reasonLabels = []string{"alasan", "reason", "karena"}
var planLabels2 = []string{"rencana kerja", "rencana", "target", "work plan", "plan"}

// ParseFlexRequest reads "TANGGAL ALASAN; RENCANA KERJA" (the text after
// /wfa): the day or range first (2026-03-16, 16-17 Maret, besok, senin
// depan, 2026-03-25 s.d. 2026-03-27, 2 hari…, as ParseAbsence reads them),
// then the reason and the work plan, separated by a semicolon or a new
// line, or labelled ("alasan: …", "rencana: …"). It is pure and never panics.
func ParseFlexRequest(text string, today civil.Date, working func(civil.Date) bool) (FlexRequestText, error) {
	p := absenceParser{toks: tokenize(text), today: today, working: working}
	r, end, err := p.spec(0)
	switch {
	case errors.Is(err, ErrNoAbsenceDate):
		return FlexRequestText{}, ErrFlexNoDate
	case err != nil:
		return FlexRequestText{}, ErrFlexBadDate
	case r.to.Before(r.from):
		return FlexRequestText{}, ErrFlexBadDate
	case r.from.DaysUntil(r.to) >= MaxFlexDays:
		return FlexRequestText{}, ErrFlexTooLong
	}
	rest := ""
	if end < len(p.toks) {
		rest = text[p.toks[end].start:]
	}
	out := FlexRequestText{From: r.from, To: r.to}
	out.Reason, out.Plan = splitReasonPlan(rest)
	if out.Reason == "" {
		return out, ErrFlexNoReason
	}
	if out.Plan == "" {
		return out, ErrFlexNoPlan
	}
	return out, nil
}

// splitReasonPlan splits "alasan; rencana" (or labelled parts).
func splitReasonPlan(s string) (reason, plan string) {
	s = strings.TrimSpace(strings.TrimLeft(s, " ,;:.-–"))
	low := asciiLower(s)
	// A labelled plan anywhere: "alasan: … rencana: …".
	cut := -1
	for _, l := range planLabels2 {
		for i := 0; i+len(l) <= len(low); {
			j := strings.Index(low[i:], l)
			if j < 0 {
				break
			}
			at := i + j
			after := strings.TrimLeft(low[at+len(l):], " ")
			before := strings.TrimRight(low[:at], " ")
			labelled := (at == 0 || strings.ContainsRune(" ,;.\n", rune(low[at-1]))) && (strings.HasPrefix(after, ":") || strings.HasPrefix(after, "="))
			// "…, rencana menyusun laporan": a clause of its own after a comma or full stop.
			clause := before != "" && strings.ContainsRune(",.\n", rune(before[len(before)-1])) && strings.HasPrefix(low[at+len(l):], " ")
			if labelled || clause {
				if cut < 0 || at < cut {
					cut = at
				}
				break
			}
			i = at + len(l)
		}
	}
	switch {
	case cut >= 0:
		reason, plan = s[:cut], s[cut:]
		low := asciiLower(plan)
		for _, l := range planLabels2 {
			if strings.HasPrefix(low, l) {
				plan = plan[len(l):]
				break
			}
		}
	default:
		i := strings.IndexAny(s, ";\n")
		if i < 0 {
			// No semicolon or new line: the first comma parts them
			// ("urusan keluarga, menyusun notulen"); the reply shows both.
			i = strings.IndexByte(s, ',')
		}
		if i < 0 {
			return clip(stripLabel(s, reasonLabels)), ""
		}
		reason, plan = s[:i], s[i+1:]
		plan = stripLabel(plan, planLabels2)
	}
	return clip(stripLabel(reason, reasonLabels)), clip(strings.TrimSpace(strings.TrimLeft(plan, " :=-–;")))
}

func stripLabel(s string, labels []string) string {
	s = strings.TrimSpace(s)
	low := asciiLower(s)
	for _, l := range labels {
		if hasWordPrefix(low, l) {
			return strings.TrimSpace(strings.TrimLeft(s[len(l):], " :=-–"))
		}
	}
	return s
}

// clip trims s and cuts it to maxFlexText bytes on a rune boundary.
func clip(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",;.-–", r) })
	if len(s) <= maxFlexText {
		return s
	}
	cut := maxFlexText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut])
}

// ParseProgress reads "/progres KEGIATAN [; OUTPUT]": the activity, and
// the output after a semicolon, "->", "=>" or a label "output:"/"hasil:".
func ParseProgress(text string) (activity, output string) {
	s := strings.TrimSpace(strings.TrimLeft(text, " :-–"))
	low := asciiLower(s)
	best, n := -1, 0
	for _, sep := range []string{";", "->", "=>", "→", "output:", "hasil:", "keluaran:"} {
		if i := strings.Index(low, sep); i >= 0 && (best < 0 || i < best) {
			best, n = i, len(sep)
		}
	}
	if best < 0 {
		return clip(s), ""
	}
	return clip(s[:best]), clip(stripLabel(s[best+n:], []string{"output", "hasil", "keluaran"}))
}

// asciiLower lower-cases ASCII letters only, so byte offsets in the result
// are offsets in s (strings.ToLower may change lengths: "K" U+212A → "k").
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
