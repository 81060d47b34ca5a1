package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A visitor who follows « Soutenir cette étape » sees the step's page — its goal, where it
// stands, the call's rule and what a pledge brings — with a login in place of the form,
// which comes back to the step; no idempotency key is handed out to a visitor.
func TestPledgePageForVisitor(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	page := fmt.Sprintf("/etapes/%d/promesses/nouvelle", w.step)
	r := w.clients["anonyme"].Get(page)
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=pledge-step]"); !strings.Contains(got, "Module de réservation") || !strings.Contains(got, "10 000,00 €") {
		t.Errorf("the step and its goal: got %q", got)
	}
	for _, sel := range []string{"[data-testid=pledge-step-figures]", "[data-testid=pledge-rule]", "[data-testid=pledge-brings]"} {
		if r.Doc.Find(sel).Length() != 1 {
			t.Errorf("a visitor's step page lacks %s", sel)
		}
	}
	if n := r.Doc.Find("form[data-testid=pledge-form], input[name=idempotency_key]").Length(); n != 0 {
		t.Errorf("a visitor is shown the pledge form")
	}
	login := r.Doc.Find("main [data-testid=pledge-login] a").AttrOr("href", "")
	if login != "/connexion?suivant="+url.QueryEscape(page) {
		t.Errorf("login link: %q, want it to come back to %s", login, page)
	}
	// The login comes back to the step, whose form is there now.
	c := w.a.Client(t)
	r = c.Post("/connexion", url.Values{"email": {"discret@example.org"}, "password": {plPass}, "suivant": {page}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Location(); loc != page {
		t.Errorf("after the login: Location %q, want %q", loc, page)
	}
	r = c.Get(page)
	if n := r.Doc.Find("form[data-testid=pledge-form]").Length(); n != 1 {
		t.Errorf("logged in: %d pledge forms, want 1", n)
	}
	if n := r.Doc.Find("main [data-testid=pledge-login]").Length(); n != 0 {
		t.Errorf("logged in: still asked to log in")
	}
	// Posting a pledge still needs an account.
	r = w.clients["anonyme"].Post(fmt.Sprintf("/etapes/%d/promesses", w.step), w.form("financeur", "100"))
	wantStatus(t, r, http.StatusSeeOther)
	if !strings.HasPrefix(r.Location(), "/connexion") {
		t.Errorf("a visitor's pledge: Location %q, want /connexion", r.Location())
	}
	if n := countRows(t, w.a, `SELECT count(*) FROM pledges`); n != 0 {
		t.Errorf("a visitor's pledge was recorded")
	}
}
