package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A CAE at 20 %, as the contributor types it.
func caeProfileForm() url.Values {
	return url.Values{"kind": {"cae"}, "legal_name": {"Coopaname"}, "trade_name": {"Marc Auteur Conseil"},
		"siret": {"732 829 320 00074"}, "vat_number": {"FR44732829320"}, "vat_regime": {"assujetti"}, "vat_rate": {"2000"}}
}

func microProfileForm() url.Values {
	return url.Values{"kind": {"micro"}, "legal_name": {"Marc Auteur"}, "siret": {"44306184100047"}, "vat_regime": {"franchise_293b"}}
}

func billingSettingsForm(recoverable bool) url.Values {
	f := url.Values{"legal_name": {"Fabrique à communs des tiers-lieux"}, "address": {"12 rue des Tanneurs\n23200 Aubusson"}, "siren": {"732829320"}}
	if recoverable {
		f.Set("tva_recuperable", "1")
	}
	return f
}

func (l *lootApp) remaining(tb testing.TB) int64 {
	tb.Helper()
	b, err := l.a.DB.BudgetOverview(context.Background(), l.c.ID, 0)
	if err != nil {
		tb.Fatal(err)
	}
	return b.Remaining
}

// The billing profile form: errors next to their fields and nothing saved; a profile
// saved becomes current, a changed one replaces it and the former stays listed.
func TestBillingProfileForm(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	c := l.clients["author"]
	wantLogin(t, l.clients["anonymous"].Get("/espace/facturation"))
	r := c.Get("/espace/facturation")
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=billing-none]").Length() != 1 {
		t.Errorf("no profile yet: the page should say so")
	}
	bad := caeProfileForm()
	bad.Set("siret", "73282932000075")
	bad.Set("vat_rate", "1900")
	bad.Set("vat_number", "FR45732829320")
	r = c.Post("/espace/facturation", bad)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for _, f := range []string{"siret", "vat_rate", "vat_number"} {
		if text(r, "[data-testid=field-"+f+"] [data-testid=error-"+f+"]") == "" {
			t.Errorf("%s: no error next to the field", f)
		}
	}
	if got := r.Doc.Find("[name=legal_name]").AttrOr("value", ""); got != "Coopaname" {
		t.Errorf("the form lost what was typed: %q", got)
	}
	profiles := func() int {
		return countRows(t, l.a, `SELECT count(*) FROM billing_profiles WHERE user_id = $1`, l.author.ID)
	}
	if n := profiles(); n != 0 {
		t.Fatalf("refused profile saved: %d rows", n)
	}
	wantRedirect(t, c.Post("/espace/facturation", caeProfileForm()), "/espace/facturation")
	wantRedirect(t, c.Post("/espace/facturation", caeProfileForm()), "/espace/facturation") // the same: nothing new
	if n := profiles(); n != 1 {
		t.Errorf("profiles after saving twice the same: %d, want 1", n)
	}
	r = c.Get("/espace/facturation")
	if got := text(r, "[data-testid=billing-current]"); !strings.Contains(got, "Coopaname") || !strings.Contains(got, "20") {
		t.Errorf("current profile: %q", got)
	}
	wantRedirect(t, c.Post("/espace/facturation", microProfileForm()), "/espace/facturation")
	r = c.Get("/espace/facturation")
	if got := text(r, "[data-testid=billing-current]"); !strings.Contains(got, "Marc Auteur") || !strings.Contains(got, "293 B") {
		t.Errorf("current profile after a change: %q", got)
	}
	if got := text(r, "[data-testid=billing-former]"); !strings.Contains(got, "Coopaname") {
		t.Errorf("former profiles: %q, want the CAE kept", got)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM billing_profiles WHERE user_id = $1 AND current`, l.author.ID); n != 1 {
		t.Errorf("current profiles: %d, want 1", n)
	}
	// The person's data export holds both profiles.
	if got := c.Get("/espace/donnees").Raw; !strings.Contains(got, `"profils_facturation"`) || !strings.Contains(got, "Coopaname") || !strings.Contains(got, "44306184100047") {
		t.Errorf("my data lacks my billing profiles")
	}
}

// The figures: a day validated for a CAE contributor at 20 % reserves 276,00 €, a
// micro-entrepreneur in franchise 230,00 €, and 230,00 € when the association recovers VAT.
func TestValidationReservesWhatWillBePaid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name        string
		profile     url.Values
		recoverable bool
		want        int64
	}{
		{"CAE at 20 %", caeProfileForm(), false, 27600},
		{"micro-entrepreneur in franchise", microProfileForm(), false, 23000},
		{"VAT recovered", caeProfileForm(), true, 23000},
		{"no profile yet", nil, false, 23000},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := startLoot(t, 100000)
			wantRedirect(t, l.clients["coordinator"].Post("/coordination/facturation", billingSettingsForm(tt.recoverable)), "/coordination/facturation")
			if tt.profile != nil {
				wantRedirect(t, l.clients["author"].Post("/espace/facturation", tt.profile), "/espace/facturation")
			}
			before := l.remaining(t)
			id := l.declare(t, l.author, 4, false)
			wantRedirect(t, l.clients["lead"].Post(contribPath(id, "valider"), nil), "/defis/"+l.c.Slug+"#contributions")
			if got := before - l.remaining(t); got != tt.want {
				t.Errorf("remaining dropped by %d, want %d", got, tt.want)
			}
			if n := countRows(t, l.a, `SELECT count(*) FROM contributions WHERE id = $1 AND reserved = $2`, id, tt.want); n != 1 {
				t.Errorf("contribution's reservation is not %d", tt.want)
			}
		})
	}
}

// Validations reserving HT + VAT never over-commit a budget, however many run at once:
// 460,00 € hold one 276,00 € day, not two.
func TestValidationWithVATUnderConcurrency(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 46000)
	wantRedirect(t, l.clients["author"].Post("/espace/facturation", caeProfileForm()), "/espace/facturation")
	var ids []int64
	for range 6 {
		ids = append(ids, l.declare(t, l.author, 4, false))
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() { _, _, _ = l.a.DB.ValidateContribution(context.Background(), id, l.lead) })
	}
	wg.Wait()
	if n := countRows(t, l.a, `SELECT count(*) FROM contributions WHERE challenge_id = $1 AND state = 'validee'`, l.c.ID); n != 1 {
		t.Errorf("validated: %d, want 1 (460 € hold one day at 276 €)", n)
	}
	if got := l.remaining(t); got != 46000-27600 {
		t.Errorf("remaining: %d, want %d", got, 46000-27600)
	}
}

// Asking to be paid: a numbered statement of validated days, printable, for its author and
// the coordination only; its numbers follow each other without gap under concurrent
// requests, and a contribution is never on two statements.
func TestStatements(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 1000000)
	author := l.clients["author"]
	k1, k2 := l.validated(t, 4), l.validated(t, 2)
	wantLogin(t, l.clients["anonymous"].Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k1, 10)}}))

	// Neither a profile nor the association's identity yet: refused, nothing issued.
	r := author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k1, 10)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=statements-error]"); !strings.Contains(got, "Ma facturation") {
		t.Errorf("without a profile: %q", got)
	}
	wantRedirect(t, author.Post("/espace/facturation", microProfileForm()), "/espace/facturation")
	r = author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k1, 10)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=statements-error]"); !strings.Contains(got, "SIREN") {
		t.Errorf("without the association's identity: %q", got)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM statements`); n != 0 {
		t.Fatalf("statements issued while refused: %d", n)
	}
	wantRedirect(t, l.clients["coordinator"].Post("/coordination/facturation", billingSettingsForm(false)), "/coordination/facturation")
	// One SIREN for the association: the books' export names its file after the same one.
	if books, err := l.a.DB.BooksSettings(t.Context()); err != nil || books.SIREN != "732829320" {
		t.Errorf("the books' SIREN: %q (%v), want the one of the billing settings", books.SIREN, err)
	}

	// The page lists both days, ticked, in one form.
	r = author.Get("/espace/releves")
	if n := r.Doc.Find("[data-testid=statement-form] [data-testid=billable-line] input[name=contribution_id][checked]").Length(); n != 2 {
		t.Errorf("billable days: %d, want 2", n)
	}
	// Someone else's contribution, a declared one, a junk id: refused.
	other := l.declare(t, l.member, 4, false)
	wantStatus(t, author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(other, 10)}}), http.StatusForbidden)
	wantStatus(t, author.Post("/espace/releves", url.Values{"contribution_id": {"abc"}}), http.StatusUnprocessableEntity)
	declared := l.declare(t, l.author, 1, false)
	r = author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(declared, 10)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=error-contribution_id]"); !strings.Contains(got, "validées") {
		t.Errorf("declared contribution: %q", got)
	}

	r = author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k1, 10), strconv.FormatInt(k2, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	year := strconv.Itoa(time.Now().In(parisZone).Year())
	first := "FAB-" + year + "-0001"
	if loc := r.Header.Get("Location"); loc != "/releves/"+first {
		t.Fatalf("statement at %q, want /releves/%s", loc, first)
	}
	r = author.Get("/releves/" + first)
	wantStatus(t, r, http.StatusOK)
	if got := r.Doc.Find("[data-testid=statement-line]").Length(); got != 2 {
		t.Errorf("lines: %d, want 2", got)
	}
	if got := r.Doc.Find("[data-testid=statement-total]").AttrOr("data-cents", ""); got != "34500" {
		t.Errorf("total HT: %s, want 34500 (1,5 days at 230 €)", got)
	}
	for sel, want := range map[string]string{
		"[data-testid=statement-reference]": "Merci de rappeler la référence " + first + " sur votre facture.",
		"[data-testid=statement-issuer]":    "732829320",
		"[data-testid=statement-profile]":   "44306184100047",
	} {
		if got := text(r, sel); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q in it", sel, got, want)
		}
	}
	csv := author.Get("/releves/" + first + ".csv")
	wantStatus(t, csv, http.StatusOK)
	if !strings.Contains(csv.Body, "Total HT") || !strings.Contains(csv.Body, "345,00") {
		t.Errorf("CSV: %q", csv.Body)
	}
	// Who sees it: its author and the coordination.
	wantStatus(t, l.clients["coordinator"].Get("/releves/"+first), http.StatusOK)
	for _, role := range []string{"member", "lead", "contributor"} {
		wantStatus(t, l.clients[role].Get("/releves/"+first), http.StatusForbidden)
		wantStatus(t, l.clients[role].Get("/releves/"+first+".csv"), http.StatusForbidden)
	}
	wantLogin(t, l.clients["anonymous"].Get("/releves/"+first))
	wantStatus(t, author.Get("/releves/FAB-"+year+"-9999"), http.StatusNotFound)
	// Billed once: asked again, refused.
	r = author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(k1, 10)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=error-contribution_id]"); !strings.Contains(got, first) {
		t.Errorf("billed twice: %q, want the statement named", got)
	}

	// Ten at once, each of another day, and the same day asked by five at once.
	var days []int64
	for range 10 {
		days = append(days, l.validated(t, 1))
	}
	twice := l.validated(t, 1)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var codes []int
	for _, id := range days {
		wg.Go(func() {
			r := author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(id, 10)}})
			mu.Lock()
			codes = append(codes, r.StatusCode)
			mu.Unlock()
		})
	}
	for range 5 {
		wg.Go(func() {
			r := author.Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(twice, 10)}})
			mu.Lock()
			codes = append(codes, r.StatusCode)
			mu.Unlock()
		})
	}
	wg.Wait()
	rows, err := l.a.SQL.Query(context.Background(), `SELECT number FROM statements ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, n)
	}
	if len(numbers) != 12 {
		t.Fatalf("statements: %d (%v), want 12: the first, ten days, the day asked five times once; answers %v", len(numbers), numbers, codes)
	}
	re := regexp.MustCompile(`^FAB-` + year + `-(\d{4})$`)
	for i, n := range numbers {
		m := re.FindStringSubmatch(n)
		if m == nil || m[1] != strconvPad(i+1) {
			t.Errorf("statement %d numbered %s: want continuous numbers", i+1, n)
		}
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM contributions WHERE id = $1 AND statement_id IS NOT NULL`, twice); n != 1 {
		t.Errorf("the day asked five times is on %d statements", n)
	}
	slices.Sort(codes)
	if codes[0] != http.StatusSeeOther || codes[len(codes)-1] != http.StatusUnprocessableEntity {
		t.Errorf("answers: %v, want 303s and 422s only", codes)
	}
	wantLedgerZero(t, l.a)
}

func strconvPad(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 4-len(s)) + s
}

// A profile declared after validation: the statement reserves the VAT it adds, under the
// budget's lock, or is refused when the budget no longer covers it.
func TestStatementReservesTheProfilesVAT(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 50000)
	wantRedirect(t, l.clients["coordinator"].Post("/coordination/facturation", billingSettingsForm(false)), "/coordination/facturation")
	a, b := l.validated(t, 4), l.validated(t, 4) // 460 € HT reserved of 500 €
	wantRedirect(t, l.clients["author"].Post("/espace/facturation", caeProfileForm()), "/espace/facturation")
	// One day's VAT (46 €) fits in the 40 € left? No: refused, nothing changed.
	r := l.clients["author"].Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(a, 10)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=statements-error]"); !strings.Contains(got, "TVA") {
		t.Errorf("short budget: %q", got)
	}
	if got := l.remaining(t); got != 4000 {
		t.Errorf("remaining after a refused statement: %d, want 4000", got)
	}
	// The porteur refuses the other day: its 230 € come back, and the statement reserves 46 €.
	if _, _, err := l.a.DB.RefuseContribution(context.Background(), b, l.lead, "Doublon."); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, l.clients["author"].Post("/espace/releves", url.Values{"contribution_id": {strconv.FormatInt(a, 10)}}), http.StatusSeeOther)
	if got := l.remaining(t); got != 50000-27600 {
		t.Errorf("remaining after the statement: %d, want %d", got, 50000-27600)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM contributions WHERE id = $1 AND reserved = 27600 AND vat_rate = 2000`, a); n != 1 {
		t.Errorf("the statement did not reserve the VAT")
	}
}
