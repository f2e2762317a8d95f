package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
)

func TestInbox(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	in, err := OpenInbox(ctx, s.Path(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ids, err := in.Add(ctx, [][]byte{[]byte(`{"a":1}`), []byte(`{"b":2}`)}, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[1] <= ids[0] {
		t.Fatalf("ids %v, want two, in order", ids)
	}
	// The next batch forgets what is handled in its own transaction.
	more, err := in.Add(ctx, [][]byte{[]byte(`{"c":3}`)}, now, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	got, err := in.Entries(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != ids[1] || got[1].ID != more[0] || string(got[0].Message) != `{"b":2}` || !got[0].ReceivedAt.Equal(now) {
		t.Fatalf("entries %+v, want b then c, received at %v", got, now)
	}
	if got, _ := in.Entries(ctx, ids[1], 10); len(got) != 1 {
		t.Errorf("entries after %d: %+v, want c only", ids[1], got)
	}
	if err := in.Forget(ctx, more[0]); err != nil {
		t.Fatal(err)
	}
	if got, _ := in.Entries(ctx, 0, 10); len(got) != 0 {
		t.Errorf("after Forget: %+v", got)
	}
	// Personal data: the inbox and its WAL are the database's kin.
	for _, p := range []string{in.Path(), in.Path() + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m != privateMode {
			t.Errorf("%s: mode %v, want %v", p, m, privateMode)
		}
	}
}

// A sender looked up ahead is used only while the registry has not
// changed: a registry write of this process or another connection's
// commit sends the writer back to its own look-up.
func TestLookUpSendersAhead(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed(t, s)
	sari := &Sender{NIP: "199203142015032001"}
	a := s.LookUpSenders(ctx, []*Sender{sari, nil, {NIP: "190001012000011001"}})
	if !a[0].ok || a[0].Staff.Name != "Ni Made Sari" || a[1].ok || !a[2].ok || !errors.Is(a[2].Err, ErrNotFound) {
		t.Fatalf("answers %+v", a)
	}
	// whom returns whom a write for sari is done for, given an answer
	// ahead that names someone the registry does not: it shows whether
	// the writer used the answer.
	answer := func() *SenderAnswer {
		return &SenderAnswer{Staff: Staff{Name: "from the answer ahead"}, gen: s.regGen(), ok: true}
	}
	whom := func(pre *SenderAnswer) string {
		t.Helper()
		var name string
		err := s.WriteBatch(ctx, []BatchWrite{{Who: sari, Pre: pre, Fn: func(tx *Tx) error {
			st, err := tx.Sender(ctx)
			name = st.Name
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			return err
		}}})[0]
		if err != nil {
			t.Fatal(err)
		}
		return name
	}
	if got := whom(answer()); got != "Ni Made Sari" {
		t.Errorf("first write: %q; the writer had not read the data version yet, so it looks up itself", got)
	}
	if got := whom(answer()); got != "from the answer ahead" {
		t.Errorf("nothing changed: %q, want the answer ahead used", got)
	}
	other, err := sql.Open("sqlite", DSN(s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	exec := func(q string) {
		if _, err := other.ExecContext(ctx, q, sari.NIP); err != nil {
			t.Fatal(err)
		}
	}
	pre := answer()
	exec(`UPDATE staff SET name = 'Ni Made Sari Dewi' WHERE nip = ?`)
	if got := whom(pre); got != "Ni Made Sari Dewi" {
		t.Errorf("after another connection's commit: %q, want the registry as it is", got)
	}
	if got := whom(answer()); got != "from the answer ahead" {
		t.Errorf("nothing changed since: %q, want the answer ahead used", got)
	}
	pre = answer()
	if _, err := s.DeactivateStaff(ctx, sari.NIP, now); err != nil {
		t.Fatal(err)
	}
	if got := whom(pre); got != "" {
		t.Errorf("after a deactivation by this process: %q, want nobody", got)
	}
}
