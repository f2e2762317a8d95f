package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"testing"
)

// openTestInbox opens the inbox of a test store.
func openTestInbox(t *testing.T) *Inbox {
	t.Helper()
	in, err := OpenInbox(context.Background(), openTest(t).Path(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

func TestInbox(t *testing.T) {
	ctx := context.Background()
	in := openTestInbox(t)
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

// Forgetting every handled message must not let the next messages reuse
// their IDs: the caller's "handled through" mark only grows, so a reused
// (lower) ID would count as handled, and the next batch's forgetting would
// delete messages not yet handled (lost on a crash).
func TestInboxIDsNeverGoBack(t *testing.T) {
	ctx := context.Background()
	in := openTestInbox(t)
	sent := 0
	msgs := func(n int) [][]byte {
		out := make([][]byte, n)
		for i := range out {
			sent++
			out[i] = []byte(fmt.Sprintf(`{"n":%d}`, sent))
		}
		return out
	}
	first, err := in.Add(ctx, msgs(3), now, 0)
	if err != nil {
		t.Fatal(err)
	}
	handled := first[len(first)-1] // all of them handled
	// The next batch forgets them all in its transaction.
	second, err := in.Add(ctx, msgs(100), now, handled)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range second {
		if id <= handled {
			t.Fatalf("message %d of the next batch got ID %d, not above %d, the handled mark", i, id, handled)
		}
	}
	// Not yet handled: a third batch forgetting up to the same mark keeps them.
	if _, err := in.Add(ctx, msgs(1), now, handled); err != nil {
		t.Fatal(err)
	}
	got, err := in.Entries(ctx, handled, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 101 {
		t.Fatalf("%d messages above the handled mark, want the 101 not handled", len(got))
	}
	// A batch of 100 is written by several statements (64 + 32 + 4
	// rows): each message under its own ID, in the order given.
	for i, e := range got {
		if want := fmt.Sprintf(`{"n":%d}`, 4+i); string(e.Message) != want || (i < len(second) && e.ID != second[i]) {
			t.Fatalf("entry %d: ID %d, %s; want %s under the ID Add returned", i, e.ID, e.Message, want)
		}
		if i > 0 && e.ID != got[i-1].ID+1 {
			t.Fatalf("entry %d: ID %d after %d, not the next", i, e.ID, got[i-1].ID)
		}
	}
	// Forgetting everything (as a run does when it ends) does not send
	// the IDs back either.
	top := got[len(got)-1].ID
	if err := in.Forget(ctx, top); err != nil {
		t.Fatal(err)
	}
	if left, _ := in.Entries(ctx, 0, 10); len(left) != 0 {
		t.Fatalf("after forgetting all: %d left", len(left))
	}
	after, err := in.Add(ctx, msgs(2), now, top)
	if err != nil {
		t.Fatal(err)
	}
	if after[0] <= top {
		t.Fatalf("after forgetting all, the next ID is %d, not above %d", after[0], top)
	}
}
