package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
)

// Sender identifies whom a write is done for: the sender of a message,
// by NIP (on a platform that vouches for it) or by a linked account.
type Sender struct {
	NIP        string // set: look up the active staff member with this NIP
	Platform   string // otherwise: the account's platform and ID
	ExternalID string
}

// WriteFor is Write for work on behalf of a message's sender (who nil:
// plain Write). The writer looks up the senders of a whole batch at once,
// in one query per platform, inside the batch's transaction; fn reads its
// answer with tx.Sender. A batch of check-ins thus costs one look-up, not
// one each.
func (s *Store) WriteFor(ctx context.Context, who *Sender, fn func(*Tx) error) error {
	return s.write(ctx, who, fn)
}

// Sender returns the active staff member behind the sender of the
// WriteFor call running fn, or ErrNotFound: as the registry is in this
// transaction, looked up again if fn or an earlier function in the batch
// wrote to the registry.
func (t *Tx) Sender(ctx context.Context) (Staff, error) {
	r := t.cur
	if r == nil || r.who == nil {
		return Staff{}, errors.New("store: Tx.Sender outside WriteFor")
	}
	if r.found && !t.regDirty {
		return r.st, r.stErr
	}
	if r.who.NIP != "" {
		return t.ActiveStaffByNIP(ctx, r.who.NIP)
	}
	return t.StaffByIdentity(ctx, r.who.Platform, r.who.ExternalID)
}

// Set-wise sender look-ups: the keys are a JSON array's values, each row
// is staffColumns and the key it was found by.
const (
	sendersByNIP = `SELECT ` + staffColumns + `, j.value FROM json_each(?) j
		CROSS JOIN staff s ON s.nip = j.value AND s.active = 1 JOIN offices o ON o.id = s.office_id`
	sendersByAccount = `SELECT ` + staffColumns + `, j.value FROM json_each(?) j
		CROSS JOIN identities i ON i.platform = ? AND i.external_id = j.value
		JOIN staff s ON s.id = i.staff_id AND s.active = 1 JOIN offices o ON o.id = s.office_id`
)

// SenderAnswer is a sender looked up ahead of its write (LookUpSenders).
type SenderAnswer struct {
	Staff Staff
	Err   error  // ErrNotFound: no active staff member
	gen   uint64 // the registry's generation before it was read
	ok    bool   // looked up
}

// LookUpSenders looks up senders set-wise on the read pool, ahead of
// their writes, so the writer need not: a BatchWrite given its answer
// (Pre) uses it if the registry did not change since (no write to it by
// this process, no commit by another), and looks the sender up in its
// transaction otherwise. A failed query leaves the writer to look up.
func (s *Store) LookUpSenders(ctx context.Context, who []*Sender) []SenderAnswer {
	out := make([]SenderAnswer, len(who))
	gen := s.regGen()
	byNIP := map[string][]int{}
	byAccount := map[string]map[string][]int{}
	for i, w := range who {
		switch {
		case w == nil:
		case w.NIP != "":
			byNIP[w.NIP] = append(byNIP[w.NIP], i)
		default:
			if byAccount[w.Platform] == nil {
				byAccount[w.Platform] = map[string][]int{}
			}
			byAccount[w.Platform][w.ExternalID] = append(byAccount[w.Platform][w.ExternalID], i)
		}
	}
	set := func(keys map[string][]int, q string, args ...any) {
		found, err := lookUpKeys(ctx, s.readStmt(ctx, q), keys, q, args...)
		if err != nil {
			return
		}
		for k, is := range keys {
			st, ok := found[k]
			for _, i := range is {
				out[i] = SenderAnswer{Staff: st, gen: gen, ok: true}
				if !ok {
					out[i] = SenderAnswer{Err: ErrNotFound, gen: gen, ok: true}
				}
			}
		}
	}
	if len(byNIP) > 0 {
		set(byNIP, sendersByNIP)
	}
	for platform, ids := range byAccount {
		set(ids, sendersByAccount, platform)
	}
	return out
}

// regGen is the registry's generation: it changes whenever a commit of
// this process wrote to the registry or the writer saw another
// connection's commit.
func (s *Store) regGen() uint64 { return s.regCommits.Load() + s.extCommits.Load() }

// lookUpSenders resolves the senders of a batch: from their answers
// looked up ahead when the registry has not changed since, the others
// set-wise. A failed query leaves its senders to Sender's own look-up.
func (t *Tx) lookUpSenders(batch []*writeReq) {
	if !t.regDirty {
		for _, r := range batch {
			if r.pre != nil && r.pre.ok {
				t.noticeOthers()
				break
			}
		}
	}
	gen := t.s.regGen()
	byNIP := map[string][]*writeReq{}
	byAccount := map[string]map[string][]*writeReq{} // platform → external ID
	for _, r := range batch {
		r.found = false
		switch w := r.who; {
		case w == nil:
		case r.pre != nil && r.pre.ok && r.pre.gen == gen && !t.regDirty:
			r.found, r.st, r.stErr = true, r.pre.Staff, r.pre.Err
		case w.NIP != "":
			byNIP[w.NIP] = append(byNIP[w.NIP], r)
		default:
			if byAccount[w.Platform] == nil {
				byAccount[w.Platform] = map[string][]*writeReq{}
			}
			byAccount[w.Platform][w.ExternalID] = append(byAccount[w.Platform][w.ExternalID], r)
		}
	}
	if len(byNIP) > 0 {
		t.lookUp(byNIP, sendersByNIP)
	}
	for platform, ids := range byAccount {
		t.lookUp(ids, sendersByAccount, platform)
	}
}

// noticeOthers reads the database's data version in t, and counts a
// change since the writer last read it (another connection committed).
func (t *Tx) noticeOthers() {
	var v int64
	if err := t.queryRow(noCancel, `PRAGMA data_version`).Scan(&v); err != nil || v != t.s.dataVersion {
		t.s.extCommits.Add(1)
		t.s.dataVersion = v
	}
}

// lookUp runs one set-wise look-up in t.
func (t *Tx) lookUp(reqs map[string][]*writeReq, q string, args ...any) {
	found, err := lookUpKeys(noCancel, txQuerier{t}, reqs, q, args...)
	if err != nil {
		return
	}
	for k, rs := range reqs {
		st, ok := found[k]
		for _, r := range rs {
			r.found, r.st, r.stErr = true, st, nil
			if !ok {
				r.st, r.stErr = Staff{}, ErrNotFound
			}
		}
	}
}

// readQuerier runs queries on the read pool.
type readQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// preparedQuery runs one statement prepared on the read pool; the query
// text it is given is that statement's.
type preparedQuery struct{ st *sql.Stmt }

func (p preparedQuery) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return p.st.QueryContext(ctx, args...)
}

// readStmt returns a querier for q, one of the look-ups run for every
// received batch (sendersByNIP, sendersByAccount), prepared once on the
// read pool instead of parsed and planned again each time; the read pool
// itself if it cannot be prepared (the query then reports the error).
func (s *Store) readStmt(ctx context.Context, q string) readQuerier {
	s.rmu.Lock()
	defer s.rmu.Unlock()
	if st, ok := s.rstmts[q]; ok {
		return preparedQuery{st}
	}
	select {
	case <-s.done:
		return s.r // closing: do not prepare what Close would not close
	default:
	}
	st, err := s.r.PrepareContext(ctx, q)
	if err != nil {
		return s.r
	}
	if s.rstmts == nil {
		s.rstmts = make(map[string]*sql.Stmt)
	}
	s.rstmts[q] = st
	return preparedQuery{st}
}

// lookUpKeys runs a set-wise look-up of q (see sendersByNIP) for the keys
// of keys and returns the staff found by key.
func lookUpKeys[V any](ctx context.Context, db readQuerier, keys map[string]V, q string, args ...any) (map[string]Staff, error) {
	ks := make([]string, 0, len(keys))
	for k := range keys {
		ks = append(ks, k)
	}
	js, err := json.Marshal(ks)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, q, append([]any{string(js)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := make(map[string]Staff, len(ks))
	for rows.Next() {
		var key string
		st, err := scanStaff(rows, &key)
		if err != nil {
			return nil, err
		}
		found[key] = st
	}
	return found, rows.Err()
}

// registryWrite matches SQL that writes to a registry table.
var registryWrite = regexp.MustCompile(`(?is)\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+(?:staff|offices|identities)\b`)

// maxRegCached bounds the per-text classification cache (SQL texts are
// constants; this only guards against a caller building texts).
const maxRegCached = 4096

// classify marks t as having written to the registry when q does, so
// Sender stops trusting the batch's look-up. Called on the writer
// goroutine, like everything in a Tx.
func (t *Tx) classify(q string) {
	if t.regDirty {
		return
	}
	w, ok := t.s.regWrites[q]
	if !ok {
		w = registryWrite.MatchString(q)
		if t.s.regWrites == nil {
			t.s.regWrites = make(map[string]bool)
		}
		if len(t.s.regWrites) < maxRegCached {
			t.s.regWrites[q] = w
		}
	}
	t.regDirty = w
}
