package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/piket-id/piket/bot"
	"github.com/piket-id/piket/store"
)

func (f *fixture) staff(nip string) store.Staff {
	f.t.Helper()
	p, err := f.st.StaffByNIP(context.Background(), nip)
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) flexState(n int64) string {
	f.t.Helper()
	var s string
	if err := f.st.DB().QueryRowContext(context.Background(), `SELECT state FROM flex_requests WHERE id = ?`, n).Scan(&s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// TestDecideFlexIsTheChatDecision: the dashboard's entry point refuses
// what /setujui refuses, as errors the page maps to 404, takes the audit
// row in the decision's write (a failed audit decides nothing), and its
// decision is the one the chat sees.
func TestDecideFlexIsTheChatDecision(t *testing.T) {
	f := newFlexFixture(t, bot.FlexPolicy{})
	f.say(nipSari, "/wfa 2026-03-10 urusan keluarga; menyusun 2 laporan SPJ")
	ctx := context.Background()
	head, kabid := f.staff(nipHead), f.staff(nipKabid)
	for _, tt := range []struct {
		name    string
		who     store.Staff
		n       int64
		approve bool
		reason  string
		want    error
	}{
		{"unknown", head, 99, true, "", store.ErrNotFound},
		{"another office", f.staff(nipTangse), 1, true, "", bot.ErrNotAllowed},
		{"the requester", f.staff(nipSari), 1, true, "", bot.ErrNotAllowed},
		{"no reason", kabid, 1, false, " \n\t", bot.ErrNeedReason},
		{"too long", kabid, 1, false, strings.Repeat("x", bot.MaxDeclineReason+1), bot.ErrReasonTooLong},
	} {
		if _, err := f.svc.DecideFlex(ctx, tt.who, tt.n, tt.approve, tt.reason, nil); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	// A failing audit rolls the decision back: still pending, nobody told.
	before := len(f.pending())
	boom := errors.New("audit failed")
	if _, err := f.svc.DecideFlex(ctx, kabid, 1, false, "rapat", func(*store.Tx, bot.FlexDecision) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("failing audit: %v", err)
	}
	if f.flexState(1) != store.FlexPending || len(f.pending()) != before {
		t.Fatal("a decision whose audit failed was kept")
	}
	var audited bot.FlexDecision
	d, err := f.svc.DecideFlex(ctx, kabid, 1, false, "  ada\nrapat  ", func(tx *store.Tx, d bot.FlexDecision) error {
		audited = d
		return tx.AddAudit(ctx, store.AuditEntry{StaffID: kabid.ID, OfficeID: kabid.Office.ID, Action: "flex_decline", Detail: d.Request.DeclineReason, At: f.clock.Now()})
	})
	if err != nil || !d.Decided || d.State != store.FlexDeclined || audited.Request.DeclineReason != "ada rapat" || audited.Requester.NIP != nipSari {
		t.Fatalf("decline: %+v %v (audited %+v)", d, err, audited)
	}
	if !strings.Contains(d.Reply, "Pengajuan No. 1 (Ni Made Sari") {
		t.Errorf("reply %q, want the chat's answer", d.Reply)
	}
	if out := texts(f.pending()[before:]); !strings.Contains(out, "["+nipSari+"] ❌ Pengajuan WFA") || !strings.Contains(out, "Alasan: ada rapat") {
		t.Errorf("Sari not told:\n%s", out)
	}
	// Decided: the dashboard gets the chat's refusal, the chat sees it too.
	d, err = f.svc.DecideFlex(ctx, head, 1, true, "", nil)
	if err != nil || d.Decided || d.Outcome != bot.OutcomeRejected || !strings.Contains(d.Reply, "sudah ditolak") {
		t.Errorf("decided again: %+v %v", d, err)
	}
	if out := texts(f.say(nipHead, "/setujui 1")); !strings.Contains(out, "sudah ditolak") {
		t.Errorf("chat after the dashboard: %s", out)
	}
}
