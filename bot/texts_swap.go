package bot

import (
	"fmt"
	"strings"
)

// CoverageTexts are the messages about a duty swap that would break a
// coverage rule of the roster policy.
type CoverageTexts struct {
	// Breaks names the rules a swap would break, in plain words.
	Breaks func(rules []string) string
	// NeedsAdmin tells the requester that only an office admin may
	// approve swap n.
	NeedsAdmin func(n int64) string
	// AdminAsk asks the office admins to decide swap n.
	AdminAsk func(n int64, requester, colleague, date string, rules []string) string
	// Blocked answers the colleague's /setuju: the swap waits for an admin.
	Blocked func(n int64, rules []string) string
	// Forced is added to the change posted after an admin approved a swap
	// that breaks rules.
	Forced func(rules []string) string
	// CLI is the command line's refusal without -force.
	CLI func(rules []string) string
}

var coverageID = CoverageTexts{
	Breaks: func(rules []string) string {
		return "⚠️ Penukaran ini melanggar aturan piket: " + strings.Join(rules, "; ") + "."
	},
	NeedsAdmin: func(n int64) string {
		return fmt.Sprintf("Karena itu hanya admin OPD yang dapat menyetujuinya (/setuju %d); admin sudah diberi tahu.", n)
	},
	AdminAsk: func(n int64, requester, colleague, date string, rules []string) string {
		return fmt.Sprintf("🔁 %s meminta %s menggantikannya piket pada %s, tetapi penukaran ini melanggar aturan piket: %s. Balas /setuju %d untuk tetap menyetujui atau /tolak %d untuk menolak.",
			requester, colleague, date, strings.Join(rules, "; "), n, n)
	},
	Blocked: func(n int64, rules []string) string {
		return fmt.Sprintf("Tukar piket no. %d belum dijalankan: penukaran ini melanggar aturan piket (%s). Hanya admin OPD yang dapat menyetujuinya (/setuju %d); permintaan tetap menunggu.",
			n, strings.Join(rules, "; "), n)
	},
	Forced: func(rules []string) string {
		return "⚠️ Disetujui admin OPD meskipun melanggar aturan piket: " + strings.Join(rules, "; ") + "."
	},
	CLI: func(rules []string) string {
		return "penukaran melanggar aturan piket: " + strings.Join(rules, "; ") + " (tambahkan -force untuk tetap menjalankannya)"
	},
}

var coverageEN = CoverageTexts{
	Breaks: func(rules []string) string {
		return "⚠️ This swap breaks a duty roster rule: " + strings.Join(rules, "; ") + "."
	},
	NeedsAdmin: func(n int64) string {
		return fmt.Sprintf("So only an office admin may approve it (/setuju %d); the admins have been told.", n)
	},
	AdminAsk: func(n int64, requester, colleague, date string, rules []string) string {
		return fmt.Sprintf("🔁 %s asks %s to take their duty on %s, but the swap breaks a duty roster rule: %s. Reply /setuju %d to approve it anyway or /tolak %d to refuse.",
			requester, colleague, date, strings.Join(rules, "; "), n, n)
	},
	Blocked: func(n int64, rules []string) string {
		return fmt.Sprintf("Swap no. %d was not made: it breaks a duty roster rule (%s). Only an office admin may approve it (/setuju %d); the request stays open.",
			n, strings.Join(rules, "; "), n)
	},
	Forced: func(rules []string) string {
		return "⚠️ Approved by an office admin although it breaks a duty roster rule: " + strings.Join(rules, "; ") + "."
	},
	CLI: func(rules []string) string {
		return "the swap breaks a duty roster rule: " + strings.Join(rules, "; ") + " (add -force to make it anyway)"
	},
}
