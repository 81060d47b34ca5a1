package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestSeedDecisionFourEyes: a coordinator who leads a défi asks for its seed budget and
// may not grant it to themself — not from the défi's page, not from the queue, not by
// posting the form anyway (403, nothing moves, the attempt is in the audit trail). While
// they are the only coordinator the page says a second one is needed; once there is
// one, that one decides.
func TestSeedDecisionFourEyes(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	w.fund(t, 1200000)
	c := w.newChallenge(t, "Cantine partagée", w.coord, fabrique.StatusFraming)
	path := "/defis/" + c.Slug + "/amorcage"
	wantRedirect(t, w.coC.Post(path, seedForm("3 000", "Dix jours de documentation.")), "/defis/"+c.Slug)
	id := strconv.FormatInt(int64(countRows(t, w.a, `SELECT max(id) FROM seed_requests WHERE challenge_id = $1`, c.ID)), 10)

	// Alone: no form, the page and the queue say a second coordinator must decide.
	for _, page := range []string{path, "/defis/" + c.Slug} {
		r := w.coC.Get(page)
		wantStatus(t, r, http.StatusOK)
		if n := r.Doc.Find("[data-testid=seed-decision-form]").Length(); n != 0 {
			t.Errorf("%s: the porteur-coordinator is offered %d decision forms, want 0", page, n)
		}
		if got := text(r, "[data-testid=seed-decision-barred]"); !strings.HasPrefix(got, "Un·e second·e coordinateur·rice doit décider :") {
			t.Errorf("%s: got %q, want the sentence asking for a second coordinator", page, got)
		}
	}
	r := w.coC.Get("/coordination")
	wantStatus(t, r, http.StatusOK)
	item := r.Doc.Find(`[data-testid=seed-queue-item][data-id="` + id + `"]`)
	if item.Length() != 1 || item.Find("[data-testid=seed-decision-form]").Length() != 0 {
		t.Errorf("queue: got %d items with %d forms, want the request without a form", item.Length(), item.Find("form").Length())
	}
	if got := strings.TrimSpace(item.Find("[data-testid=seed-decision-barred]").Text()); !strings.HasPrefix(got, "Un·e second·e coordinateur·rice") {
		t.Errorf("queue: got %q, want the sentence asking for a second coordinator", got)
	}

	// Posting the form anyway, approval or refusal, valid or not: 403, nothing written
	// but the attempt in the audit trail.
	for i, form := range []url.Values{
		{"decision": {"approuver"}, "request_id": {id}},
		{"decision": {"approuver"}},
		{"decision": {"approuver"}, "amount": {"deux mille"}},
		{"decision": {"refuser"}, "note": {"Je me ravise."}},
	} {
		before := countRows(t, w.a, `SELECT count(*) FROM ledger_transactions`)
		r := w.coC.Post(path+"/decision", form)
		wantStatus(t, r, http.StatusForbidden)
		if got := text(r, "[data-testid=error-message]"); !strings.Contains(got, "Un·e autre coordinateur·rice doit décider") {
			t.Errorf("form %d: got message %q, want the four-eyes sentence", i, got)
		}
		if after := countRows(t, w.a, `SELECT count(*) FROM ledger_transactions`); after != before {
			t.Errorf("form %d: ledger transactions %d → %d", i, before, after)
		}
		if n := countRows(t, w.a, `SELECT count(*) FROM audit_log WHERE action = 'seed_request.self_decision' AND user_id = $1 AND target_id = $2`, w.coord.ID, id); n != i+1 {
			t.Errorf("form %d: got %d audited attempts, want %d", i, n, i+1)
		}
	}
	if got := countRows(t, w.a, `SELECT count(*) FROM seed_requests WHERE challenge_id = $1 AND state = 'pending'`, c.ID); got != 1 {
		t.Errorf("pending requests: got %d, want 1", got)
	}
	if got := fundCells(w.coC.Get("/coordination"), "[data-testid=fund-current]"); got != "1200000/0/1200000" {
		t.Errorf("fund after the attempts: got %s, want 1200000/0/1200000", got)
	}
	journal := w.coC.Get("/coordination/journal")
	wantStatus(t, journal, http.StatusOK)
	if n := journal.Doc.Find("[data-testid=audit-entry][data-action='seed_request.self_decision']").Length(); n != 4 {
		t.Errorf("journal: got %d attempts shown, want 4", n)
	}

	// A second coordinator: the first now reads that another one decides, who does.
	second := w.a.CreateUser(t, "Bruno Coordination", "bruno@example.org", seedPass, fabrique.RoleCoordinator)
	secondC := w.a.Client(t)
	secondC.Login(second.Email, seedPass)
	if got := text(w.coC.Get(path), "[data-testid=seed-decision-barred]"); got != "Un·e autre coordinateur·rice doit décider : vous avez demandé ce budget d’amorçage." {
		t.Errorf("with two coordinators: got %q", got)
	}
	r = secondC.Get(path)
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=seed-decision-form]").Length() != 1 || r.Doc.Find("[data-testid=seed-decision-barred]").Length() != 0 {
		t.Error("the other coordinator is not offered the decision form")
	}
	wantRedirect(t, secondC.Post(path+"/decision", url.Values{"decision": {"approuver"}, "request_id": {id}}), "/defis/"+c.Slug)
	if got := countRows(t, w.a, `SELECT count(*) FROM seed_requests WHERE id = $1 AND state = 'approved' AND approved_amount = 300000 AND decided_by = $2`, id, second.ID); got != 1 {
		t.Errorf("approved by the second coordinator: got %d, want 1", got)
	}
	if got := fundCells(w.coC.Get("/coordination"), "[data-testid=fund-current]"); got != "1200000/300000/900000" {
		t.Errorf("fund after the approval: got %s, want 1200000/300000/900000", got)
	}
	wantLedgerZero(t, w.a)
}
