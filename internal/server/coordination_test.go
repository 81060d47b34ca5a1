package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func decisionApprove(year int) fabrique.SeedDecision {
	return fabrique.SeedDecision{Approve: true, Year: year}
}

func decisionRefuse() fabrique.SeedDecision {
	return fabrique.SeedDecision{Note: "Pas maintenant."}
}

// fundCells returns the total, granted and left cents of the fund row sel.
func fundCells(r *apptest.Response, sel string) string {
	row := r.Doc.Find(sel)
	var out []string
	for _, id := range []string{"fund-total", "fund-granted", "fund-left"} {
		v, _ := row.Find("[data-testid=" + id + "]").Attr("data-cents")
		out = append(out, v)
	}
	return strings.Join(out, "/")
}

func TestCoordinationQueue(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	r := w.coC.Get("/coordination")
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("[data-testid=seed-queue-empty]").Length(); n != 1 {
		t.Errorf("empty queue: got %d empty states, want 1", n)
	}
	year := strconv.Itoa(w.year)
	if v, _ := r.Doc.Find(`form[method=post][action="/coordination/fonds"] [name=year]`).Attr("value"); v != year {
		t.Errorf("fund form year: got %q, want %q", v, year)
	}
	if got := fundCells(r, "[data-testid=fund-current]"); got != "0/0/0" {
		t.Errorf("unset fund: got %s, want 0/0/0", got)
	}

	w.fund(t, 1200000)
	other := w.newChallenge(t, "Cantine partagée", w.lead, fabrique.StatusFraming)
	w.request(t, other, w.lead, 100000)
	if _, err := w.a.DB.DecideSeedRequest(context.Background(), other.ID, w.coord, decisionApprove(w.year)); err != nil {
		t.Fatal(err)
	}
	plan := "Alice : " + strings.Repeat("documentation ", 40)
	if _, err := w.a.DB.RequestSeedBudget(context.Background(), w.challenge.ID, w.lead, 300000, plan); err != nil {
		t.Fatal(err)
	}
	w.request(t, other, w.lead, 50000)

	r = w.coC.Get("/coordination")
	wantStatus(t, r, http.StatusOK)
	items := r.Doc.Find("[data-testid=seed-queue-item]")
	if items.Length() != 2 {
		t.Fatalf("queue: got %d items, want 2", items.Length())
	}
	first := items.First()
	if slug, _ := first.Attr("data-slug"); slug != w.challenge.Slug {
		t.Errorf("oldest first: got %s, want %s", slug, w.challenge.Slug)
	}
	if got := strings.TrimSpace(first.Find("[data-testid=seed-queue-amount]").Text()); got != "3 000,00 €" {
		t.Errorf("amount: got %q, want 3 000,00 €", got)
	}
	if got := strings.TrimSpace(first.Find("[data-testid=seed-queue-plan]").Text()); !strings.HasPrefix(got, "Alice : documentation") || !strings.HasSuffix(got, "…") || len([]rune(got)) > 281 {
		t.Errorf("plan excerpt: got %q", got)
	}
	if !strings.Contains(first.Text(), w.lead.DisplayName) || !strings.Contains(first.Text(), "aujourd’hui") {
		t.Errorf("porteur and age: got %q", first.Text())
	}
	form := first.Find(`form[method=post][action="/defis/` + w.challenge.Slug + `/amorcage/decision"]`)
	for _, sel := range []string{"[name=request_id]", "[name=amount]", "[name=note]", "button[name=decision][value=approuver]", "button[name=decision][value=refuser]"} {
		if form.Find(sel).Length() != 1 {
			t.Errorf("decision form: missing %s", sel)
		}
	}
	if got := strings.TrimSpace(items.Eq(1).Text()); !strings.Contains(got, "1 000,00 €") {
		t.Errorf("granted before shown for the second défi: got %q", got)
	}
	if got := fundCells(r, "[data-testid=fund-current]"); got != "1200000/100000/1100000" {
		t.Errorf("fund: got %s, want 1200000/100000/1100000", got)
	}
	if n := r.Doc.Find("[data-testid=payments-summary] [data-testid=payments-none]").Length(); n != 1 {
		t.Errorf("payments summary with nothing to pay: got %d empty states, want 1", n)
	}
	wantLedgerZero(t, w.a)
}

func TestSeedFundForm(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	year := strconv.Itoa(w.year)
	post := func(y, amount string) *apptest.Response {
		return w.coC.Post("/coordination/fonds", url.Values{"year": {y}, "amount": {amount}})
	}
	allocations := func() int {
		return countRows(t, w.a, `SELECT count(*) FROM ledger_transactions WHERE kind = 'fund_allocation'`)
	}

	for _, tt := range []struct{ typed, cells string }{
		{"12 000", "1200000/0/1200000"},
		{"12000", "1200000/0/1200000"}, // unchanged: no movement
		{"15 000,50 €", "1500050/0/1500050"},
		{"9000.25", "900025/0/900025"},
	} {
		r := post(year, tt.typed)
		wantRedirect(t, r, "/coordination")
		page := w.coC.Follow(r)
		if got := fundCells(page, "[data-testid=fund-current]"); got != tt.cells {
			t.Errorf("%q: got %s, want %s", tt.typed, got, tt.cells)
		}
		if got := text(page, "[data-testid=flash]"); got != "Le fonds d’amorçage est mis à jour." {
			t.Errorf("flash: got %q", got)
		}
		// The form starts from the fund's current amount.
		cents := strings.Split(tt.cells, "/")[0]
		if got, want := page.Doc.Find("[data-testid=fund-form] input[name=amount]").AttrOr("value", ""), cents[:len(cents)-2]+","+cents[len(cents)-2:]; got != want {
			t.Errorf("%q: the fund form shows %q, want %q", tt.typed, got, want)
		}
	}
	if got := allocations(); got != 3 {
		t.Errorf("allocations: got %d, want 3 (none for the unchanged amount)", got)
	}

	// Another year is another fund, listed below the current one.
	next := strconv.Itoa(w.year + 1)
	wantRedirect(t, post(next, "4 000"), "/coordination")
	if got := fundCells(w.coC.Get("/coordination"), `[data-testid=fund-year][data-year="`+next+`"]`); got != "400000/0/400000" {
		t.Errorf("next year's fund: got %s, want 400000/0/400000", got)
	}

	// Granted money is a floor.
	w.request(t, w.challenge, w.lead, 300000)
	wantRedirect(t, w.coC.Post("/defis/"+w.challenge.Slug+"/amorcage/decision", url.Values{"decision": {"approuver"}}), "/defis/"+w.challenge.Slug)

	for _, tt := range []struct{ name, year, amount, field, msg string }{
		{"two-digit year", "26", "1 000", "year", "quatre chiffres"},
		{"no year", "", "1 000", "year", "quatre chiffres"},
		{"letters", "deux", "1 000", "year", "quatre chiffres"},
		{"too early", "2019", "1 000", "year", "entre 2020 et 2100"},
		{"too late", "2101", "1 000", "year", "entre 2020 et 2100"},
		{"five digits", "02026", "1 000", "year", "quatre chiffres"},
		{"no amount", year, "", "amount", "Indiquez un montant."},
		{"unreadable", year, "douze mille", "amount", "n’est pas lisible"},
		{"negative", year, "-12 000", "amount", "positif"},
		{"below granted", year, "2 999,99", "amount", "Le fonds d’amorçage " + year + " a déjà accordé 3 000,00 €"},
		{"zero with a grant", year, "0", "amount", "a déjà accordé 3 000,00 €"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := w.snapshot(t)
			r := post(tt.year, tt.amount)
			wantFieldError(t, r, tt.field, tt.msg)
			if v, _ := r.Doc.Find(`form[action="/coordination/fonds"] [name=amount]`).Attr("value"); v != tt.amount {
				t.Errorf("amount kept as typed: got %q, want %q", v, tt.amount)
			}
			if after := w.snapshot(t); after != before {
				t.Errorf("a refused fund wrote: %s → %s", before, after)
			}
		})
	}
	wantRedirect(t, post(year, "3 000"), "/coordination")
	if got := fundCells(w.coC.Get("/coordination"), "[data-testid=fund-current]"); got != "300000/300000/0" {
		t.Errorf("fund lowered to what was granted: got %s, want 300000/300000/0", got)
	}
	wantRedirect(t, post(next, "0,00 €"), "/coordination") // nothing granted: can be emptied
	if got := fundCells(w.coC.Get("/coordination"), `[data-testid=fund-year][data-year="`+next+`"]`); got != "0/0/0" {
		t.Errorf("emptied fund: got %s, want 0/0/0", got)
	}
	wantLedgerZero(t, w.a)
}

func TestCoordinationJournal(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	r := w.coC.Get("/coordination/journal")
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("[data-testid=audit-empty]").Length(); n != 1 {
		t.Errorf("empty journal: got %d empty states, want 1", n)
	}

	w.fund(t, 1200000)
	w.request(t, w.challenge, w.lead, 300000)
	wantRedirect(t, w.coC.Post("/defis/"+w.challenge.Slug+"/amorcage/decision", url.Values{"decision": {"refuser"}, "note": {"Plan trop vague."}}), "/defis/"+w.challenge.Slug)
	r = w.coC.Get("/coordination/journal")
	entries := r.Doc.Find("[data-testid=audit-entry]")
	if entries.Length() != 2 {
		t.Fatalf("entries: got %d, want 2", entries.Length())
	}
	if got, _ := entries.First().Attr("data-action"); got != "seed_request.refuse" {
		t.Errorf("newest first: got %s, want seed_request.refuse", got)
	}
	if got := entries.First().Text(); !strings.Contains(got, "Plan trop vague.") || !strings.Contains(got, w.coord.DisplayName) || !strings.Contains(got, "Demande de budget d’amorçage refusée") {
		t.Errorf("refusal entry: got %q", got)
	}
	if got := entries.Last().Text(); !strings.Contains(got, "12 000,00 €") || !strings.Contains(got, "Fonds d’amorçage fixé") {
		t.Errorf("fund entry: got %q", got)
	}

	// 60 entries: two pages of 50.
	for i := 1; i <= 58; i++ {
		w.fund(t, 1200000+int64(i)*100)
	}
	r = w.coC.Get("/coordination/journal")
	if n := r.Doc.Find("[data-testid=audit-entry]").Length(); n != 50 {
		t.Errorf("page 1: got %d entries, want 50", n)
	}
	next, _ := r.Doc.Find(".pagination a[rel=next]").Attr("href")
	if next != "/coordination/journal?page=2" {
		t.Fatalf("next link: got %q", next)
	}
	r = w.coC.Get(next)
	if n := r.Doc.Find("[data-testid=audit-entry]").Length(); n != 10 {
		t.Errorf("page 2: got %d entries, want 10", n)
	}
	if n := r.Doc.Find(".pagination a[rel=next]").Length(); n != 0 {
		t.Errorf("page 2 next link: got %d, want 0", n)
	}
	for _, p := range []string{"0", "-1", "abc", "99999999999999999999", "20000"} {
		wantStatus(t, w.coC.Get("/coordination/journal?page="+p), http.StatusOK)
	}
	wantLedgerZero(t, w.a)
}

func TestCoordinationQueriesBounded(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	w.fund(t, 1200000)
	queries := func(c *apptest.Client, path string) int64 {
		t.Helper()
		wantStatus(t, c.Get(path), http.StatusOK)
		before := w.a.Queries.Count()
		wantStatus(t, c.Get(path), http.StatusOK)
		return w.a.Queries.Count() - before
	}
	seedPath := "/defis/" + w.challenge.Slug + "/amorcage"
	w.request(t, w.challenge, w.lead, 100000)
	small, smallSeed := queries(w.coC, "/coordination"), queries(w.coC, seedPath)

	for i := range 15 {
		lead := w.a.CreateUser(t, fmt.Sprintf("Porteur %d", i), fmt.Sprintf("porteur%d@example.org", i), seedPass, fabrique.RoleContributor)
		c := w.newChallenge(t, fmt.Sprintf("Défi %d", i), lead, fabrique.StatusTeam)
		w.request(t, c, lead, 100000)
	}
	// A long history on the first défi.
	for range 10 {
		if _, err := w.a.DB.DecideSeedRequest(context.Background(), w.challenge.ID, w.coord, decisionRefuse()); err != nil {
			t.Fatal(err)
		}
		w.request(t, w.challenge, w.lead, 100000)
	}
	if big := queries(w.coC, "/coordination"); big != small {
		t.Errorf("/coordination: got %d queries with 16 requests, %d with 1", big, small)
	}
	if big := queries(w.coC, seedPath); big != smallSeed {
		t.Errorf("seed page: got %d queries with 11 requests, %d with 1", big, smallSeed)
	}
	r := w.coC.Get("/coordination")
	if got, _ := r.Doc.Find("[data-testid=seed-queue]").Attr("data-count"); got != "16" {
		t.Errorf("queue count: got %s, want 16", got)
	}
	r.Doc.Find("[data-testid=seed-queue-item]").Each(func(i int, s *goquery.Selection) {
		if id, _ := s.Find("[name=request_id]").Attr("value"); id == "" {
			t.Errorf("item %d: no request_id", i)
		}
	})
}

// /coordination lists the ten oldest seed requests and links to the rest, on
// /coordination/amorcage a page at a time, where a decision comes back to its page.
func TestCoordinationSeedQueuePaged(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	w.fund(t, 10000000)
	var slugs []string
	for i := range 23 {
		c := w.newChallenge(t, fmt.Sprintf("Défi en attente %02d", i), w.lead, fabrique.StatusTeam)
		w.request(t, c, w.lead, 10000)
		slugs = append(slugs, c.Slug)
	}
	r := w.coC.Get("/coordination")
	items := r.Doc.Find("[data-testid=seed-queue-item]")
	if items.Length() != 10 || items.First().AttrOr("data-slug", "") != slugs[0] {
		t.Errorf("/coordination: got %d requests from %q, want the 10 oldest", items.Length(), items.First().AttrOr("data-slug", ""))
	}
	if got := r.Doc.Find("[data-testid=all-seed-requests]").AttrOr("href", ""); got != "/coordination/amorcage" {
		t.Errorf("link to every request: got %q", got)
	}

	r = w.coC.Get("/coordination/amorcage?page=2")
	wantStatus(t, r, http.StatusOK)
	items = r.Doc.Find("[data-testid=seed-queue-item]")
	if items.Length() != 3 || items.First().AttrOr("data-slug", "") != slugs[20] {
		t.Fatalf("page 2: got %d requests from %q, want 3 from %s", items.Length(), items.First().AttrOr("data-slug", ""), slugs[20])
	}
	if got := r.Doc.Find("[data-testid=seed-queue]").AttrOr("data-count", ""); got != "23" {
		t.Errorf("count: got %s, want 23", got)
	}
	form := items.First().Find("form[data-testid=seed-decision-form]")
	if got := form.Find("[name=suivant]").AttrOr("value", ""); got != "/coordination/amorcage?page=2" {
		t.Errorf("decision comes back to %q, want its page", got)
	}
	id := form.Find("[name=request_id]").AttrOr("value", "")
	wantRedirect(t, w.coC.Post(form.AttrOr("action", ""), url.Values{"request_id": {id}, "decision": {"approuver"}, "suivant": {"/coordination/amorcage?page=2"}}),
		"/coordination/amorcage?page=2")
	if n := w.coC.Get("/coordination/amorcage?page=2").Doc.Find("[data-testid=seed-queue-item]").Length(); n != 2 {
		t.Errorf("after a decision: got %d requests on page 2, want 2", n)
	}
	if n := w.coC.Get("/coordination/amorcage?page=9").Doc.Find("[data-testid=seed-queue-item]").Length(); n != 0 {
		t.Errorf("past the last page: got %d requests", n)
	}
	for _, path := range []string{"/coordination/amorcage", "/coordination/developpement"} {
		wantStatus(t, w.leadC.Get(path), http.StatusForbidden)
		wantLogin(t, w.anon.Get(path))
		wantStatus(t, w.coC.Get(path), http.StatusOK)
	}
}
