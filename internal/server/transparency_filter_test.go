package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// ledgerWorld is a ledger over three years (2023, 2025, 2026: none in 2024) for two
// défis, « Réseau des fablabs » and « Billetterie libre », and 21 « Atelier partagé n ».
type ledgerWorld struct {
	a              *apptest.App
	fablabs, other *fabrique.Challenge
}

func newLedgerWorld(t *testing.T) *ledgerWorld {
	t.Helper()
	a := apptest.Start(t)
	ctx := context.Background()
	lead := a.CreateUser(t, "Amélie Roux", "amelie@example.org", "motdepasse-solide", fabrique.RoleContributor)
	create := func(title, summary string) *fabrique.Challenge {
		t.Helper()
		c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: title, Summary: summary, Problem: "Isolés."}, lead.ID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	w := &ledgerWorld{a: a,
		fablabs: create("Réseau des fablabs", "Relier les ateliers."),
		other:   create("Billetterie libre", "Vendre sans commission."),
	}
	post := func(kind string, amount int64, from, to fabrique.AccountRef, on string) {
		t.Helper()
		day, err := time.Parse(time.DateOnly, on)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.Post(ctx, fabrique.Movement{Kind: kind, Amount: amount, From: from, To: to, CauseType: "test", OccurredOn: day}); err != nil {
			t.Fatal(err)
		}
	}
	outside := fabrique.AccountRef{Kind: fabrique.AccountOutside}
	fund := func(y int) fabrique.AccountRef { return fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: y} }
	budget := func(c *fabrique.Challenge) fabrique.AccountRef {
		return fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: c.ID}
	}
	post(fabrique.TxFundAllocation, 800000, outside, fund(2023), "2023-05-10")
	post(fabrique.TxFundAllocation, 500000, outside, fund(2025), "2025-06-01")
	post(fabrique.TxSeedGrant, 200000, fund(2025), budget(w.fablabs), "2025-09-01")
	post(fabrique.TxFundAllocation, 1200000, outside, fund(2026), "2026-01-15")
	post(fabrique.TxSeedGrant, 300000, fund(2026), budget(w.fablabs), "2026-03-02")
	post(fabrique.TxSeedGrant, 150050, fund(2025), budget(w.other), "2026-04-02") // last year's fund, this year
	post(fabrique.TxPayment, 46000, budget(w.fablabs), outside, "2026-05-05")
	for i := 1; i <= 21; i++ {
		c := create(fmt.Sprintf("Atelier partagé %d", i), "Partager un atelier.")
		post(fabrique.TxSeedGrant, int64(1000*i), fund(2026), budget(c), "2026-06-01")
	}
	return w
}

// yearBalances computes, from the ledger's tables alone, what each account received
// less what it paid out in year, labelled as the page labels it: funds by year, a défi's
// budget by its title when byChallenge, else the défis' budgets together.
func (w *ledgerWorld) yearBalances(t *testing.T, year int, challengeIDs ...int64) map[string]int64 {
	t.Helper()
	if challengeIDs == nil {
		challengeIDs = []int64{} // NULL would match nothing
	}
	rows, err := w.a.SQL.Query(context.Background(), `
		SELECT a.kind, coalesce(a.year, 0), coalesce(c.title, ''), sum(e.amount)::bigint
		FROM ledger_entries e
		JOIN ledger_transactions t ON t.id = e.transaction_id
		JOIN ledger_accounts a ON a.id = e.account_id
		LEFT JOIN challenges c ON c.id = a.challenge_id
		WHERE extract(year FROM t.occurred_on) = $1 AND a.kind <> 'outside'
		  AND (cardinality($2::bigint[]) = 0 OR a.challenge_id = ANY($2))
		GROUP BY 1, 2, 3`, year, challengeIDs)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := map[string]int64{}
	for rows.Next() {
		var kind, title string
		var y int
		var sum int64
		if err := rows.Scan(&kind, &y, &title, &sum); err != nil {
			t.Fatal(err)
		}
		switch {
		case kind == fabrique.AccountSeedFund:
			want[fmt.Sprintf("Fonds d’amorçage %d", y)] += sum
		case kind == fabrique.AccountSeedBudget && len(challengeIDs) > 0:
			want["Budget d’amorçage — "+title] += sum
		case kind == fabrique.AccountSeedBudget:
			want["Budgets d’amorçage des défis"] += sum
		default:
			t.Fatalf("unexpected account kind %q", kind)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

var accountsCount = regexp.MustCompile(` \(\d+ comptes\)$`)

// shownBalances reads the balances table: account label (without its count) → amount.
func shownBalances(t *testing.T, r *apptest.Response) map[string]string {
	t.Helper()
	got := map[string]string{}
	r.Doc.Find("[data-testid=balances] [data-testid=balance]").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td")
		label := accountsCount.ReplaceAllString(strings.Join(strings.Fields(cells.Eq(0).Text()), " "), "")
		got[label] = strings.Join(strings.Fields(cells.Eq(1).Text()), " ")
	})
	return got
}

func wantBalances(t *testing.T, path string, r *apptest.Response, want map[string]int64) {
	t.Helper()
	got := shownBalances(t, r)
	if len(got) != len(want) {
		t.Errorf("%s: balances %q, want %d rows: %v", path, got, len(want), want)
	}
	for label, cents := range want {
		if s := i18n.Money(i18n.French, cents); got[label] != s {
			t.Errorf("%s: balance of %q = %q, want %q (the sum of the year's entries)", path, label, got[label], s)
		}
	}
}

func movementCount(r *apptest.Response) int {
	return r.Doc.Find("[data-testid=movements] [data-testid=movement]").Length()
}

// The year select offers only the years that have movements.
func TestTransparencyOffersYearsWithMovements(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(t)
	cl := w.a.Client(t)
	r := cl.Get("/transparence")
	wantStatus(t, r, http.StatusOK)
	var got []string
	r.Doc.Find("#filtre-annee option").Each(func(_ int, o *goquery.Selection) { got = append(got, o.AttrOr("value", "?")) })
	if want := []string{"", "2026", "2025", "2023"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("years offered: got %q, want %q (2024 has no movement)", got, want)
	}
	// A year without movements asked for by its URL stays selected, and says so.
	r = cl.Get("/transparence?annee=2024")
	wantStatus(t, r, http.StatusOK)
	if sel := r.Doc.Find("#filtre-annee option[selected]").AttrOr("value", ""); sel != "2024" {
		t.Errorf("?annee=2024: selected %q, want 2024", sel)
	}
	if n := movementCount(r); n != 0 {
		t.Errorf("?annee=2024: %d movements, want 0", n)
	}
	if s := r.Doc.Find("[data-testid=empty]").Text(); !strings.Contains(s, "Aucun mouvement en 2024.") {
		t.Errorf("?annee=2024: empty state %q", s)
	}
	if s := r.Doc.Find("[data-testid=balances-empty]").Text(); !strings.Contains(s, "Aucun compte n’a bougé") {
		t.Errorf("?annee=2024: balances empty state %q", s)
	}
}

// With a year, each balance is what the account received less what it paid out that
// year, computed here from the ledger's tables; without, the balances to this day.
func TestTransparencyBalancesOfTheYear(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(t)
	cl := w.a.Client(t)
	for _, year := range []int{2023, 2025, 2026} {
		path := fmt.Sprintf("/transparence?annee=%d", year)
		r := cl.Get(path)
		wantStatus(t, r, http.StatusOK)
		if h := strings.TrimSpace(r.Doc.Find("[data-testid=balances-title]").Text()); h != fmt.Sprintf("Soldes de l’année %d", year) {
			t.Errorf("%s: balances titled %q", path, h)
		}
		if th := strings.TrimSpace(r.Doc.Find("[data-testid=balances] th.num").Text()); th != "Solde de l’année" {
			t.Errorf("%s: balance column %q", path, th)
		}
		wantBalances(t, path, r, w.yearBalances(t, year))
	}
	// Last year's fund granted a budget this year: it went down this year.
	if got := shownBalances(t, cl.Get("/transparence?annee=2026"))["Fonds d’amorçage 2025"]; got != "-1 500,50 €" {
		t.Errorf("fund 2025 in 2026: got %q, want -1 500,50 €", got)
	}
	// A défi's budget in a year, found by its title.
	path := "/transparence?annee=2026&q=fablabs"
	r := cl.Get(path)
	wantStatus(t, r, http.StatusOK)
	wantBalances(t, path, r, w.yearBalances(t, 2026, w.fablabs.ID))
	if got := shownBalances(t, r)["Budget d’amorçage — Réseau des fablabs"]; got != "2 540,00 €" {
		t.Errorf("%s: budget %q, want 2 540,00 €", path, got)
	}

	r = cl.Get("/transparence")
	if h := strings.TrimSpace(r.Doc.Find("[data-testid=balances-title]").Text()); h != "Soldes à ce jour" {
		t.Errorf("all years: balances titled %q", h)
	}
	if got := shownBalances(t, r)["Fonds d’amorçage 2025"]; got != "1 499,50 €" {
		t.Errorf("all years: fund 2025 %q, want 1 499,50 € (5 000,00 − 2 000,00 − 1 500,50)", got)
	}
}

// The défi filter is a search in the titles; ?defi= (a défi's address) still works for
// the links bookmarked before.
func TestTransparencyFiltersByChallengeTitle(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(t)
	cl := w.a.Client(t)
	for path, want := range map[string]int{
		"/transparence?q=fablabs":                     3,
		"/transparence?q=R%C3%A9seau":                 3, // Réseau
		"/transparence?q=reseau":                      3, // accents folded, as on /defis
		"/transparence?q=fablab":                      3, // French stemming
		"/transparence?q=fablabs&annee=2025":          1,
		"/transparence?q=fablabs+or+billetterie":      4,
		"/transparence?q=Relier":                      0, // in the summary, not the title
		"/transparence?q=atelier":                     21,
		"/transparence?q=%22%29%28%27%3B":             0, // junk: no lexeme, no error
		"/transparence?defi=" + w.fablabs.Slug:        3,
		"/transparence?defi=" + w.other.Slug + "&q=x": 0,
		"/transparence?defi=inconnu":                  0,
	} {
		r := cl.Get(path)
		wantStatus(t, r, http.StatusOK)
		if got := movementCount(r); got != want {
			t.Errorf("%s: got %d movements, want %d", path, got, want)
		}
		if got := strings.Join(strings.Fields(r.Doc.Find("[data-testid=movements-total]").Text()), " "); got != i18n.Plural(context.Background(), want, "%d mouvement", "%d mouvements") {
			t.Errorf("%s: total %q, want %d", path, got, want)
		}
	}

	r := cl.Get("/transparence?q=fablabs")
	if s := r.Doc.Find("[data-testid=challenge-matches]").Text(); !strings.Contains(s, "1 défi trouvé pour « fablabs »") {
		t.Errorf("?q=fablabs: matches %q", s)
	}
	if v := r.Doc.Find("#filtre-defi").AttrOr("value", ""); v != "fablabs" {
		t.Errorf("?q=fablabs: search field %q", v)
	}
	for _, row := range r.Doc.Find("[data-testid=movement]").EachIter() {
		if !strings.Contains(row.Text(), "Réseau des fablabs") {
			t.Errorf("?q=fablabs: movement %q does not touch the défi", strings.Join(strings.Fields(row.Text()), " "))
		}
	}
	r = cl.Get("/transparence?q=Relier")
	if s := r.Doc.Find("[data-testid=empty]").Text(); !strings.Contains(s, "Aucun défi ne porte ces mots dans son titre") {
		t.Errorf("?q=Relier: empty state %q", s)
	}

	// More défis than the balances list one by one: their total.
	r = cl.Get("/transparence?q=atelier")
	if got := shownBalances(t, r); len(got) != 1 || got["Budgets d’amorçage des défis"] != i18n.Money(i18n.French, 1000*21*22/2) {
		t.Errorf("?q=atelier: balances %q, want one total of 2 310,00 €", got)
	}
	if s := r.Doc.Find("[data-testid=balances]").Text(); !strings.Contains(s, "(21 comptes)") {
		t.Errorf("?q=atelier: the total does not say how many accounts: %q", s)
	}

	// The address of a bookmarked link: the défi named by its title, a way out, and the
	// address kept when the form changes the year.
	r = cl.Get("/transparence?annee=2026&defi=" + w.fablabs.Slug)
	if s := strings.Join(strings.Fields(r.Doc.Find("[data-testid=challenge-filter]").Text()), " "); !strings.Contains(s, "Défi : Réseau des fablabs") {
		t.Errorf("?defi=: filter shown as %q", s)
	}
	if href := r.Doc.Find("[data-testid=challenge-filter-remove]").AttrOr("href", ""); href != "/transparence?annee=2026" {
		t.Errorf("?defi=: remove link %q", href)
	}
	if v := r.Doc.Find("[data-testid=ledger-filters] input[name=defi]").AttrOr("value", ""); v != w.fablabs.Slug {
		t.Errorf("?defi=: the form does not keep the address: %q", v)
	}
	r = cl.Get("/transparence?defi=inconnu")
	if s := r.Doc.Find("[data-testid=challenge-filter]").Text(); !strings.Contains(s, "Aucun défi n’a l’adresse « inconnu ».") {
		t.Errorf("?defi=inconnu: %q", s)
	}
}

// The CSV follows the page's filters, with the same columns: the page's link gives the
// entries of exactly the movements it lists.
func TestTransparencyCSVFollowsFilters(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(t)
	cl := w.a.Client(t)
	for _, path := range []string{
		"/transparence?annee=2026&q=fablabs",
		"/transparence?q=billetterie",
		"/transparence?defi=" + w.fablabs.Slug,
		"/transparence?annee=2025",
		"/transparence?q=Relier",
	} {
		r := cl.Get(path)
		wantStatus(t, r, http.StatusOK)
		movements := movementCount(r)
		link := r.Doc.Find("[data-testid=csv-link]").AttrOr("href", "")
		if !strings.HasPrefix(link, "/transparence.csv?") {
			t.Fatalf("%s: CSV link %q", path, link)
		}
		c := cl.Get(link)
		wantStatus(t, c, http.StatusOK)
		lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(c.Body, "\ufeff")), "\n")
		if lines[0] != "date;compte;contrepartie;nature;montant;reference;mouvement" {
			t.Errorf("%s: CSV header %q", link, lines[0])
		}
		if got := len(lines) - 1; got != 2*movements {
			t.Errorf("%s: %d CSV rows, want %d (two entries for each of the page's %d movements)", link, got, 2*movements, movements)
		}
		if strings.Contains(path, "fablabs") {
			for _, l := range lines[1:] {
				if !strings.Contains(l, "Réseau des fablabs") {
					t.Errorf("%s: row %q does not touch the défi", link, l)
				}
			}
		}
	}
	if got, want := cl.Get("/transparence?annee=2026&q=fablabs").Doc.Find("[data-testid=csv-link]").AttrOr("href", ""), "/transparence.csv?annee=2026&q=fablabs"; got != want {
		t.Errorf("CSV link: got %q, want %q", got, want)
	}
}

// The filtered states the demo crawl (TestNoGluedText) does not reach read right in
// both languages: no glued words, French punctuation kept with its word.
func TestTransparencyFilteredStatesTypography(t *testing.T) {
	t.Parallel()
	w := newLedgerWorld(t)
	fr, en := w.a.Client(t), w.a.Client(t)
	wantStatus(t, en.Get("/langue?lang=en"), http.StatusSeeOther)
	paths := []string{
		"/transparence?annee=2026", "/transparence?annee=2024", "/transparence?q=fablabs",
		"/transparence?q=atelier&annee=2026", "/transparence?q=Relier",
		"/transparence?defi=" + w.fablabs.Slug, "/transparence?defi=inconnu&annee=2025",
	}
	for lang, cl := range map[string]*apptest.Client{"fr": fr, "en": en} {
		for _, path := range paths {
			r := cl.Get(path)
			wantStatus(t, r, http.StatusOK)
			doc, err := html.Parse(strings.NewReader(r.Raw))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range append(gluedText(doc), typographyFaults(doc, lang)...) {
				t.Errorf("[%s] %s: %s", lang, path, f)
			}
		}
	}
	if h := en.Get("/transparence?annee=2026").Doc.Find("[data-testid=balances-title]").Text(); h != "Balances of the year 2026" {
		t.Errorf("English balances title %q", h)
	}
}
