package staff_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/piket-id/piket/sample"
	"github.com/piket-id/piket/staff"
)

// NIPs for the tests, all valid.
const (
	nipHead  = "197008141995031004"
	nipSec   = "197605122000122002"
	nipKabid = "197803252003121005"
	nipKasi  = "198204102008012011"
	nipStaf1 = "199203142015032001"
	nipStaf2 = "199408082019031006"
	nipStaf3 = "199110212014022004"
	nipReg1  = "196904121994031006" // in the registry only
	nipReg2  = "197403152000032003" // in the registry only
	nipNone  = "198909302014031003" // nowhere
)

func rec(line int, nip, sup, phone string) staff.Record {
	return staff.Record{Line: line, NIP: nip, Name: "X", Office: "DISKOMINFO", Level: staff.LevelPelaksana, SupervisorNIP: sup, Phone: phone}
}

// fakeRegistry is a stored registry that counts its look-ups.
type fakeRegistry struct {
	sup   map[string]string
	calls map[string]int
}

func (f *fakeRegistry) lookup(nip string) (string, bool) {
	f.calls[nip]++
	s, ok := f.sup[nip]
	return s, ok
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name     string
		recs     []staff.Record
		registry map[string]string
		want     []rowKey
		detail   map[int]string // line → Detail of its first error
	}{
		{
			name: "good tree",
			recs: []staff.Record{
				rec(2, nipHead, "", "+6281200000001"),
				rec(3, nipSec, nipHead, "+6281200000002"),
				rec(4, nipKasi, nipSec, ""),
				rec(5, nipStaf1, nipKasi, ""),
			},
		},
		{
			name: "supervisor in the registry",
			recs: []staff.Record{
				rec(2, nipHead, nipReg1, ""),
				rec(3, nipSec, nipReg2, ""),
			},
			registry: map[string]string{nipReg1: "", nipReg2: nipReg1},
		},
		{
			name: "duplicate NIP and phone",
			recs: []staff.Record{
				rec(2, nipHead, "", "+6281200000001"),
				rec(3, nipSec, nipHead, "+6281200000001"),
				rec(5, nipHead, "", "+6281200000003"),
				rec(9, nipHead, "", ""),
			},
			want: []rowKey{
				{2, "nip", staff.CodeDuplicateNIP}, {2, "telepon", staff.CodeDuplicatePhone},
				{3, "telepon", staff.CodeDuplicatePhone},
				{5, "nip", staff.CodeDuplicateNIP},
				{9, "nip", staff.CodeDuplicateNIP},
			},
			detail: map[int]string{2: "5, 9", 3: "2", 5: "2, 9"},
		},
		{
			name: "unknown supervisor",
			recs: []staff.Record{
				rec(2, nipHead, "", ""),
				rec(3, nipSec, nipNone, ""),
				rec(4, nipKasi, nipSec, ""),
			},
			registry: map[string]string{nipReg1: ""},
			want:     []rowKey{{3, "atasan_nip", staff.CodeUnknownSupervisor}},
			detail:   map[int]string{3: nipNone},
		},
		{
			name: "own supervisor",
			recs: []staff.Record{
				rec(2, nipHead, nipHead, ""),
				rec(3, nipSec, nipHead, ""),
			},
			want: []rowKey{{2, "atasan_nip", staff.CodeSelfSupervisor}},
		},
		{
			name: "loop in the file",
			recs: []staff.Record{
				rec(2, nipHead, "", ""),
				rec(3, nipSec, nipKabid, ""),
				rec(4, nipKabid, nipKasi, ""),
				rec(5, nipKasi, nipSec, ""),
				rec(6, nipStaf1, nipKasi, ""), // under the loop, not on it
			},
			want: []rowKey{
				{3, "atasan_nip", staff.CodeSupervisorCycle},
				{4, "atasan_nip", staff.CodeSupervisorCycle},
				{5, "atasan_nip", staff.CodeSupervisorCycle},
			},
			detail: map[int]string{3: nipSec + " → " + nipKabid + " → " + nipKasi + " → " + nipSec},
		},
		{
			name: "two-person loop found from below",
			recs: []staff.Record{
				rec(2, nipStaf1, nipStaf2, ""),
				rec(3, nipStaf2, nipStaf3, ""),
				rec(4, nipStaf3, nipStaf2, ""),
			},
			want: []rowKey{
				{3, "atasan_nip", staff.CodeSupervisorCycle},
				{4, "atasan_nip", staff.CodeSupervisorCycle},
			},
		},
		{
			name: "loop through the registry",
			recs: []staff.Record{
				rec(2, nipHead, nipReg1, ""),
				rec(3, nipSec, nipHead, ""),
			},
			// The registry still has reg1 under reg2 under the head.
			registry: map[string]string{nipReg1: nipReg2, nipReg2: nipHead, nipHead: ""},
			want:     []rowKey{{2, "atasan_nip", staff.CodeSupervisorCycle}},
		},
		{
			name: "the file overrides the registry",
			recs: []staff.Record{
				rec(2, nipHead, "", ""),
				rec(3, nipSec, nipHead, ""),
			},
			// Stored: the head under the secretary; the file fixes that.
			registry: map[string]string{nipHead: nipSec, nipSec: ""},
		},
		{
			name: "a loop only in the registry is not the file's fault",
			recs: []staff.Record{
				rec(2, nipHead, nipReg1, ""),
			},
			registry: map[string]string{nipReg1: nipReg2, nipReg2: nipReg1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := &fakeRegistry{sup: tc.registry, calls: map[string]int{}}
			errs := staff.Validate(tc.recs, reg.lookup)
			if got := keys(errs); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate:\n got %v\nwant %v", got, tc.want)
			}
			seen := map[int]bool{}
			for _, e := range errs {
				if want, ok := tc.detail[e.Line]; ok && !seen[e.Line] && e.Detail != want {
					t.Errorf("line %d: Detail %q, want %q", e.Line, e.Detail, want)
				}
				seen[e.Line] = true
				if e.NIP == "" || strings.Contains(e.Text("id"), "{") {
					t.Errorf("line %d: %q", e.Line, e.Text("id"))
				}
			}
			for nip, n := range reg.calls {
				if n > 1 {
					t.Errorf("registry asked %d times for %s", n, nip)
				}
			}
		})
	}
	// A nil registry means an empty one.
	if errs := staff.Validate([]staff.Record{rec(2, nipSec, nipHead, "")}, nil); len(errs) != 1 || errs[0].Code != staff.CodeUnknownSupervisor {
		t.Errorf("Validate with nil registry = %v", errs)
	}
}

func generated(tb testing.TB, n int) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := sample.Generate(&b, n, 20, 42); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestValidateLongChain(t *testing.T) {
	// A 10,000-deep chain, then the same chain closed into one loop.
	recs, _, err := staff.ReadCSV(bytes.NewReader(generated(t, 10000)))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(recs); i++ {
		recs[i].SupervisorNIP = recs[i-1].NIP
	}
	recs[0].SupervisorNIP = ""
	if errs := staff.Validate(recs, nil); len(errs) != 0 {
		t.Fatalf("chain: %d errors, first %v", len(errs), errs[0])
	}
	recs[0].SupervisorNIP = recs[len(recs)-1].NIP
	if errs := staff.Validate(recs, nil); len(errs) != len(recs) || errs[0].Code != staff.CodeSupervisorCycle {
		t.Fatalf("loop: %d errors, want %d loop errors", len(errs), len(recs))
	}
}

func BenchmarkReadValidate10k(b *testing.B) {
	data := generated(b, 10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		recs, bad, err := staff.ReadCSV(bytes.NewReader(data))
		if err != nil || len(bad) != 0 || len(recs) != 10000 {
			b.Fatalf("ReadCSV: %d records, %d bad, %v", len(recs), len(bad), err)
		}
		if errs := staff.Validate(recs, nil); len(errs) != 0 {
			b.Fatalf("Validate: %v", errs[0])
		}
	}
}

func BenchmarkValidate10k(b *testing.B) {
	recs, _, err := staff.ReadCSV(bytes.NewReader(generated(b, 10000)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if errs := staff.Validate(recs, nil); len(errs) != 0 {
			b.Fatalf("Validate: %v", errs[0])
		}
	}
}
