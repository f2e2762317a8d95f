package staff

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Validate checks the records of one file against each other and against the
// staff registry already stored, and returns the bad rows sorted by line:
//
//   - a NIP on more than one line (every such line is reported),
//   - a phone number on more than one line (likewise),
//   - a person who is their own supervisor,
//   - an atasan_nip that names nobody in the file or in the registry,
//   - a loop in the supervisor chain, following the file's records first and
//     the registry for NIPs not in the file (every row on the loop is reported).
//
// registry looks a NIP up in the stored registry and returns that person's
// supervisor; it may be nil when there is none. It is called at most once per
// NIP. Validate runs in time linear in len(recs).
func Validate(recs []Record, registry func(nip string) (supervisorNIP string, exists bool)) []RowError {
	var errs []RowError
	bad := func(r *Record, field string, code ErrCode, detail string) {
		errs = append(errs, RowError{Line: r.Line, NIP: r.NIP, Field: field, Code: code, Detail: detail})
	}

	byNIP := make(map[string]int, len(recs)) // NIP → index of the first record
	dupNIP := map[string][]int{}             // NIP → lines, when more than one
	byPhone := make(map[string]int, len(recs))
	dupPhone := map[string][]int{}
	for i := range recs {
		r := &recs[i]
		if j, seen := byNIP[r.NIP]; seen {
			if dupNIP[r.NIP] == nil {
				dupNIP[r.NIP] = []int{recs[j].Line}
			}
			dupNIP[r.NIP] = append(dupNIP[r.NIP], r.Line)
		} else {
			byNIP[r.NIP] = i
		}
		if r.Phone == "" {
			continue
		}
		if j, seen := byPhone[r.Phone]; seen {
			if dupPhone[r.Phone] == nil {
				dupPhone[r.Phone] = []int{recs[j].Line}
			}
			dupPhone[r.Phone] = append(dupPhone[r.Phone], r.Line)
		} else {
			byPhone[r.Phone] = i
		}
	}
	for i := range recs {
		r := &recs[i]
		if lines := dupNIP[r.NIP]; lines != nil {
			bad(r, ColNIP, CodeDuplicateNIP, otherLines(lines, r.Line))
		}
		if lines := dupPhone[r.Phone]; r.Phone != "" && lines != nil {
			bad(r, ColPhone, CodeDuplicatePhone, otherLines(lines, r.Line))
		}
	}

	// The supervisor graph: the file's records, then registry entries
	// reached from them. known caches the registry.
	type node struct {
		sup   string // supervisor NIP, "" when none or unknown
		state uint8  // 0 unvisited, 1 on the current path, 2 done
	}
	nodes := make(map[string]*node, len(recs))
	lookup := func(nip string) *node {
		if n, ok := nodes[nip]; ok {
			return n
		}
		if i, ok := byNIP[nip]; ok {
			n := &node{sup: recs[i].SupervisorNIP}
			if n.sup == nip {
				n.sup = "" // reported below as its own supervisor
			}
			nodes[nip] = n
			return n
		}
		if registry != nil {
			if sup, ok := registry(nip); ok {
				n := &node{sup: sup}
				nodes[nip] = n
				return n
			}
		}
		nodes[nip] = nil
		return nil
	}
	for i := range recs {
		r := &recs[i]
		switch {
		case r.SupervisorNIP == "":
		case r.SupervisorNIP == r.NIP:
			bad(r, ColSupervisorNIP, CodeSelfSupervisor, r.SupervisorNIP)
		case lookup(r.SupervisorNIP) == nil:
			bad(r, ColSupervisorNIP, CodeUnknownSupervisor, r.SupervisorNIP)
		}
	}

	var path []string
	for i := range recs {
		start := recs[i].NIP
		if byNIP[start] != i {
			continue // a duplicate; the first record stands for the NIP
		}
		path = path[:0]
		for nip := start; nip != ""; {
			n := lookup(nip)
			if n == nil || n.state == 2 {
				break
			}
			if n.state == 1 {
				// path[k:] is a loop: report the file's rows on it.
				k := slices.Index(path, nip)
				loop := strings.Join(append(slices.Clone(path[k:]), nip), " → ")
				for _, m := range path[k:] {
					if j, ok := byNIP[m]; ok {
						bad(&recs[j], ColSupervisorNIP, CodeSupervisorCycle, loop)
					}
				}
				break
			}
			n.state = 1
			path = append(path, nip)
			nip = n.sup
		}
		for _, nip := range path {
			nodes[nip].state = 2
		}
	}

	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	return errs
}

// otherLines lists the lines other than self, "3, 17".
func otherLines(lines []int, self int) string {
	var b strings.Builder
	for _, l := range lines {
		if l == self {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(l))
	}
	return b.String()
}
