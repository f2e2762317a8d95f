package store

import (
	"context"
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

// lookUpSenders resolves the senders of a batch, set-wise. A failed
// query leaves its senders to Sender's own look-up.
func (t *Tx) lookUpSenders(batch []*writeReq) {
	byNIP := map[string][]*writeReq{}
	byAccount := map[string]map[string][]*writeReq{} // platform → external ID
	for _, r := range batch {
		r.found = false
		switch w := r.who; {
		case w == nil:
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
		t.lookUp(byNIP, `SELECT `+staffColumns+`, j.value FROM json_each(?) j
			CROSS JOIN staff s ON s.nip = j.value AND s.active = 1 JOIN offices o ON o.id = s.office_id`)
	}
	for platform, ids := range byAccount {
		t.lookUp(ids, `SELECT `+staffColumns+`, j.value FROM json_each(?) j
			CROSS JOIN identities i ON i.platform = ? AND i.external_id = j.value
			JOIN staff s ON s.id = i.staff_id AND s.active = 1 JOIN offices o ON o.id = s.office_id`, platform)
	}
}

// lookUp runs one set-wise look-up: keys are the JSON array's values, q
// selects staffColumns and the key of each row found.
func (t *Tx) lookUp(reqs map[string][]*writeReq, q string, args ...any) {
	keys := make([]string, 0, len(reqs))
	for k := range reqs {
		keys = append(keys, k)
	}
	js, err := json.Marshal(keys)
	if err != nil {
		return
	}
	rows, err := t.query(noCancel, q, append([]any{string(js)}, args...)...)
	if err != nil {
		return
	}
	defer rows.Close()
	found := map[string]Staff{}
	for rows.Next() {
		var key string
		st, err := scanStaff(rows, &key)
		if err != nil {
			return
		}
		found[key] = st
	}
	if rows.Err() != nil {
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
