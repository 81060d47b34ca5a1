package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

func TestTransparency(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	lead := a.CreateUser(t, "Amélie Roux", "amelie@example.org", "motdepasse-solide", fabrique.RoleContributor)
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Réseau des fablabs", Summary: "Relier.", Problem: "Isolés."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Billetterie libre", Summary: "Vendre.", Problem: "Commissions."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	outside := fabrique.AccountRef{Kind: fabrique.AccountOutside}
	fund := fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: 2026}
	post := func(m fabrique.Movement) {
		t.Helper()
		m.CauseType = "test"
		if _, err := a.DB.Post(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	post(fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: 1200000, From: outside, To: fund, OccurredOn: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)})
	post(fabrique.Movement{Kind: fabrique.TxSeedGrant, Amount: 300000, From: fund, To: fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: c.ID}, OccurredOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)})
	post(fabrique.Movement{Kind: fabrique.TxSeedGrant, Amount: 150050, From: fund, To: fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: other.ID}, OccurredOn: time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)})
	post(fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: 500000, From: outside, To: fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: 2025}, OccurredOn: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})

	cl := a.Client(t) // anonymous: the accounts are public
	r := cl.Get("/transparence")
	wantStatus(t, r, http.StatusOK)
	if got := r.Doc.Find("[data-testid=movement]").Length(); got != 4 {
		t.Errorf("movements: got %d, want 4", got)
	}
	first := strings.Join(strings.Fields(r.Doc.Find("[data-testid=movement]").First().Text()), " ")
	for _, want := range []string{"2 avril 2026", "Budget d’amorçage accordé", "Fonds d’amorçage 2026", "Billetterie libre", "1 500,50 €"} {
		if !strings.Contains(first, want) {
			t.Errorf("newest movement %q: want %q", first, want)
		}
	}
	var rows []string
	r.Doc.Find("[data-testid=balances] tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) {
			cells = append(cells, strings.Join(strings.Fields(td.Text()), " "))
		})
		rows = append(rows, strings.Join(cells, " | "))
	})
	balances := strings.Join(rows, "\n")
	for _, want := range []string{"Fonds d’amorçage 2026 | 7 499,50 €", "Fonds d’amorçage 2025 | 5 000,00 €", "Budgets d’amorçage des défis (2 comptes) | 4 500,50 €"} {
		if !strings.Contains(balances, want) {
			t.Errorf("balances %q: want %q", balances, want)
		}
	}

	for path, want := range map[string]int{
		"/transparence?annee=2025":                    1,
		"/transparence?annee=2026":                    3,
		"/transparence?defi=" + c.Slug:                1,
		"/transparence?annee=2026&defi=" + other.Slug: 1,
		"/transparence?defi=inconnu":                  0,
		"/transparence?annee=abc&defi=%3Cscript%3E":   4,
		"/transparence?page=99":                       0,
	} {
		r := cl.Get(path)
		wantStatus(t, r, http.StatusOK)
		if got := r.Doc.Find("[data-testid=movement]").Length(); got != want {
			t.Errorf("%s: got %d movements, want %d", path, got, want)
		}
	}

	r = cl.Get("/transparence.csv?annee=2026")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type: got %q", ct)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(r.Body, "\ufeff")), "\n")
	if got, want := len(lines), 1+2*3; got != want {
		t.Fatalf("CSV lines: got %d, want %d:\n%s", got, want, r.Body)
	}
	if lines[0] != "date;compte;contrepartie;nature;montant;reference;mouvement" {
		t.Errorf("CSV header: got %q", lines[0])
	}
	if !strings.Contains(r.Body, "2026-04-02;Fonds d’amorçage 2026;Budget d’amorçage — Billetterie libre;Budget d’amorçage accordé;-1500,50;") ||
		!strings.Contains(r.Body, "2026-04-02;Budget d’amorçage — Billetterie libre;Fonds d’amorçage 2026;Budget d’amorçage accordé;1500,50;") {
		t.Errorf("CSV: want both entries of the grant, got:\n%s", r.Body)
	}
	r = cl.Get("/transparence.csv?decimal=point&annee=2025")
	if !strings.Contains(r.Body, "2025-06-01,Fonds d’amorçage 2025,Extérieur,Dotation du fonds d’amorçage,5000.00,") {
		t.Errorf("CSV with points: got:\n%s", r.Body)
	}

	// The entries of the CSV sum to zero, like the ledger.
	total, err := a.DB.LedgerTotal(ctx)
	if err != nil || total != 0 {
		t.Errorf("ledger total: got %d, %v; want 0", total, err)
	}
}

// Each call's matching pool is named by its call, in the balances, the movements and the
// CSV: ten pools all called « Abondement d’un appel » told readers nothing.
func TestTransparencyNamesMatchingPools(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	s.call(t, "Appel des tiers-lieux nourriciers", 0, 30, fabrique.MatchRule{Pool: 500000, Percent: 100, Kinds: []string{"tiers-lieu"}})
	s.call(t, "Appel numérique", 0, 30, fabrique.MatchRule{Pool: 200000, Percent: 100, Kinds: []string{"tiers-lieu"}})
	r := s.clients["anonyme"].Get("/transparence")
	wantStatus(t, r, http.StatusOK)
	balances := r.Doc.Find(`[data-testid="balances"]`).Text()
	movements := r.Doc.Find(`[data-testid="movements"]`).Text()
	for _, want := range []string{"Abondement de l’appel « Appel des tiers-lieux nourriciers »", "Abondement de l’appel « Appel numérique »"} {
		if !strings.Contains(balances, want) {
			t.Errorf("balances do not name the pool %q:\n%s", want, balances)
		}
		if !strings.Contains(movements, want) {
			t.Errorf("movements do not name the pool %q:\n%s", want, movements)
		}
	}
	if csv := s.clients["anonyme"].Get("/transparence.csv").Body; !strings.Contains(csv, "Abondement de l’appel « Appel numérique »") {
		t.Errorf("the CSV does not name the pool:\n%s", csv)
	}
}
