package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// inOneBatch runs the calls as one batch: the writer is held busy until
// all of them are queued, in order.
func inOneBatch(t *testing.T, s *Store, calls ...func() error) []error {
	t.Helper()
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	go s.Write(ctx, func(*Tx) error { close(started); <-release; return nil })
	<-started
	errs := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() { errs[i] = call() })
		for deadline := time.Now().Add(5 * time.Second); len(s.reqs) < i+1; {
			if time.Now().After(deadline) {
				t.Fatal("call not queued")
			}
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	wg.Wait()
	return errs
}

func TestWriteForLooksUpABatchOfSenders(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed(t, s)
	if err := s.Write(ctx, func(tx *Tx) error {
		st, err := tx.ActiveStaffByNIP(ctx, "199203142015032001")
		if err != nil {
			return err
		}
		return tx.LinkIdentity(ctx, st.ID, Identity{Platform: "telegram", ExternalID: "1001", ChatID: "1001"}, now)
	}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		who      Sender
		wantName string // "": ErrNotFound
	}{
		{Sender{NIP: "197008141995031004"}, "I Wayan Sudarsana"},
		{Sender{NIP: "199203142015032001"}, "Ni Made Sari"},
		{Sender{NIP: "199203142015032001"}, "Ni Made Sari"}, // twice in one batch
		{Sender{NIP: "190001012000011001"}, ""},
		{Sender{Platform: "telegram", ExternalID: "1001"}, "Ni Made Sari"},
		{Sender{Platform: "telegram", ExternalID: "1002"}, ""},
		{Sender{Platform: "whatsapp", ExternalID: "1001"}, ""}, // same ID, other platform
	}
	got := make([]Staff, len(tests))
	var calls []func() error
	for i, tt := range tests {
		calls = append(calls, func() error {
			return s.WriteFor(ctx, &tt.who, func(tx *Tx) error {
				var err error
				got[i], err = tx.Sender(ctx)
				if tt.wantName == "" && errors.Is(err, ErrNotFound) {
					return nil
				}
				return err
			})
		})
	}
	for i, err := range inOneBatch(t, s, calls...) {
		if err != nil {
			t.Errorf("%+v: %v", tests[i].who, err)
			continue
		}
		if got[i].Name != tests[i].wantName {
			t.Errorf("%+v: sender %q, want %q", tests[i].who, got[i].Name, tests[i].wantName)
		}
		if tests[i].wantName != "" && got[i].Office.Code != "DISKOMINFO" {
			t.Errorf("%+v: office %+v", tests[i].who, got[i].Office)
		}
	}
}

// A function earlier in the batch that links the account changes what
// Sender answers for a later one.
func TestSenderSeesRegistryWritesEarlierInTheBatch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seed(t, s)
	who := Sender{Platform: "telegram", ExternalID: "77"}
	var before, after Staff
	var beforeErr, afterErr error
	errs := inOneBatch(t, s,
		func() error {
			return s.WriteFor(ctx, &who, func(tx *Tx) error {
				before, beforeErr = tx.Sender(ctx)
				st, err := tx.ActiveStaffByNIP(ctx, "197803252003121005")
				if err != nil {
					return err
				}
				return tx.LinkIdentity(ctx, st.ID, Identity{Platform: "telegram", ExternalID: "77", ChatID: "77"}, now)
			})
		},
		func() error {
			return s.WriteFor(ctx, &who, func(tx *Tx) error {
				after, afterErr = tx.Sender(ctx)
				return nil
			})
		})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !errors.Is(beforeErr, ErrNotFound) {
		t.Errorf("before the link: %+v, %v; want ErrNotFound", before, beforeErr)
	}
	if afterErr != nil || after.Name != "I Made Agus Wiryawan" {
		t.Errorf("after the link, same batch: %q, %v", after.Name, afterErr)
	}
	if err := s.Write(ctx, func(tx *Tx) error { _, err := tx.Sender(ctx); return err }); err == nil {
		t.Error("Sender outside WriteFor: no error")
	}
}
