package server_test

import (
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/benchdata"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// A commun's report on the bench data: its totals are the ledger's and agree with the
// pledges confirmed and the contributions paid; its funders add up to what was received;
// an anonymous funder is named neither on the page nor in the CSV.
func TestCommonsReport(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := benchdata.Seed(ctx, a.SQL, benchdata.Options{Challenges: 200}); err != nil {
		t.Fatal(err)
	}
	var slug string
	var id, received, paid int64
	if err := a.SQL.QueryRow(ctx, `SELECT k.slug, k.id, sum(p.amount) FROM commons k JOIN steps s ON s.commons_id = k.id
		JOIN pledges p ON p.step_id = s.id AND p.state = 'confirmee' GROUP BY k.slug, k.id ORDER BY sum(p.amount) DESC LIMIT 1`).Scan(&slug, &id, &received); err != nil {
		t.Fatal(err)
	}
	if err := a.SQL.QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM contributions WHERE commons_id = $1 AND state = 'payee'`, id).Scan(&paid); err != nil {
		t.Fatal(err)
	}
	if received == 0 || paid == 0 {
		t.Fatalf("the bench's commun %s received %d and paid %d: nothing to check", slug, received, paid)
	}
	c := a.Client(t)
	r := c.Get("/communs/" + slug + "/bilan")
	if r.StatusCode != 200 {
		t.Fatalf("report: %d", r.StatusCode)
	}
	text := func(sel string) string { return strings.TrimSpace(r.Doc.Find(sel).Text()) }
	if got, want := text("[data-testid=report-received]"), apptest.Plain(i18n.Money(i18n.French, received)); got != want {
		t.Errorf("received %q, want %q (confirmed pledges)", got, want)
	}
	if got, want := text("[data-testid=report-paid]"), apptest.Plain(i18n.Money(i18n.French, paid)); got != want {
		t.Errorf("paid %q, want %q (contributions paid from its funds)", got, want)
	}
	var funders int64
	r.Doc.Find("[data-testid=report-funder] td.num:last-child").Each(func(_ int, s *goquery.Selection) {
		funders += parseMoney(t, s.Text())
	})
	if funders != received {
		t.Errorf("the funders add up to %d, want %d", funders, received)
	}
	rows, err := a.SQL.Query(ctx, `SELECT DISTINCT coalesce(nullif(f.organisation, ''), u.display_name) FROM pledges p JOIN users u ON u.id = p.user_id
		LEFT JOIN funders f ON f.user_id = p.user_id JOIN steps s ON s.id = p.step_id
		WHERE s.commons_id = $1 AND p.anonymous AND NOT EXISTS (SELECT 1 FROM pledges q JOIN steps t ON t.id = q.step_id
		    WHERE q.user_id = p.user_id AND NOT q.anonymous AND t.commons_id = $1)`, id)
	if err != nil {
		t.Fatal(err)
	}
	csv := c.Get("/communs/" + slug + "/bilan.csv")
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		if strings.Contains(r.Body, name) || strings.Contains(csv.Body, name) {
			t.Errorf("the anonymous funder %s is named in the report", name)
		}
	}
	rows.Close()
	if !strings.Contains(csv.Body, "Fonds reçus des financeurs") {
		t.Errorf("CSV:\n%s", csv.Body)
	}
}

// parseMoney reads « 1 234,56 € » as cents.
func parseMoney(t *testing.T, s string) int64 {
	t.Helper()
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "", ",", "").Replace(strings.TrimSpace(s))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return n
}

// A call's report on the bench data: received is what its confirmed pledges brought,
// matched what its closing posted in the ledger, both per commun adding up to the total,
// the kinds of funder adding up to the same; no funder is named.
func TestCallReport(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := benchdata.Seed(ctx, a.SQL, benchdata.Options{Challenges: 200}); err != nil {
		t.Fatal(err)
	}
	var slug string
	var id, received, matched int64
	if err := a.SQL.QueryRow(ctx, `SELECT c.slug, c.id,
		    (SELECT coalesce(sum(amount), 0) FROM pledges WHERE call_id = c.id AND state = 'confirmee'),
		    (SELECT coalesce(sum(amount), 0) FROM ledger_transactions WHERE kind = 'matching' AND cause_type = 'call' AND cause_id = c.id)
		  FROM calls c ORDER BY c.closed_at IS NULL, (SELECT count(*) FROM pledges WHERE call_id = c.id) DESC LIMIT 1`).Scan(&slug, &id, &received, &matched); err != nil {
		t.Fatal(err)
	}
	if received == 0 || matched == 0 {
		t.Fatalf("the bench's call %s received %d and matched %d: nothing to check", slug, received, matched)
	}
	c := a.Client(t)
	r := c.Get("/cofinancement/" + slug + "/bilan")
	if r.StatusCode != 200 {
		t.Fatalf("report: %d", r.StatusCode)
	}
	if got := parseMoney(t, r.Doc.Find("[data-testid=total-received]").Text()); got != received {
		t.Errorf("received %d, want %d", got, received)
	}
	if got := parseMoney(t, r.Doc.Find("[data-testid=total-matched]").Text()); got != matched {
		t.Errorf("matched %d, want %d (the ledger's matching of the call)", got, matched)
	}
	var byKind int64
	r.Doc.Find("[data-testid=report-kinds] [data-testid=report-line] td:nth-child(4)").Each(func(_ int, s *goquery.Selection) {
		byKind += parseMoney(t, s.Text())
	})
	if byKind != received {
		t.Errorf("the kinds of funder add up to %d, want %d", byKind, received)
	}
	rows, err := a.SQL.Query(ctx, `SELECT DISTINCT u.display_name FROM pledges p JOIN users u ON u.id = p.user_id WHERE p.call_id = $1`, id)
	if err != nil {
		t.Fatal(err)
	}
	csv := c.Get("/cofinancement/" + slug + "/bilan.csv")
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		if strings.Contains(r.Body, name) || strings.Contains(csv.Body, name) {
			t.Errorf("the funder %s is named in the call's report", name)
		}
	}
	rows.Close()
}

// The year's report on the bench data: its money is the ledger's movements of the year
// (read here from the transactions, not their entries), the défis add up to those
// proposed that year, and a junk year is a 404.
func TestYearReport(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	if _, err := benchdata.Seed(ctx, a.SQL, benchdata.Options{Challenges: 200}); err != nil {
		t.Fatal(err)
	}
	var year int
	var raised, paid, matched int64
	var defis int
	if err := a.SQL.QueryRow(ctx, `SELECT extract(year FROM occurred_on)::int FROM ledger_transactions GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`).Scan(&year); err != nil {
		t.Fatal(err)
	}
	if err := a.SQL.QueryRow(ctx, `SELECT
		    coalesce(sum(amount) FILTER (WHERE kind = 'pledge'), 0), coalesce(sum(amount) FILTER (WHERE kind = 'payment'), 0),
		    coalesce(sum(amount) FILTER (WHERE kind = 'matching'), 0),
		    (SELECT count(*)::int FROM challenges WHERE extract(year FROM created_at) = $1)
		  FROM ledger_transactions WHERE extract(year FROM occurred_on) = $1`, year).Scan(&raised, &paid, &matched, &defis); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	r := c.Get("/bilan/" + strconv.Itoa(year))
	if r.StatusCode != 200 {
		t.Fatalf("report: %d", r.StatusCode)
	}
	money := func(id string) int64 {
		s := r.Doc.Find("[data-testid=" + id + "]").Text()
		if i := strings.LastIndex(s, "·"); i >= 0 {
			s = s[i+len("·"):]
		}
		return parseMoney(t, s)
	}
	if got := money("year-raised"); got != raised {
		t.Errorf("raised %d, want %d", got, raised)
	}
	if got := money("year-paid"); got != paid {
		t.Errorf("paid %d, want %d", got, paid)
	}
	if got := money("year-matched"); got != matched {
		t.Errorf("matched %d, want %d", got, matched)
	}
	sum := 0
	r.Doc.Find("[data-testid=year-status] td.num").Each(func(_ int, s *goquery.Selection) {
		n, _ := strconv.Atoi(strings.TrimSpace(s.Text()))
		sum += n
	})
	if sum != defis || paid == 0 {
		t.Errorf("défis by status add up to %d, want %d (paid %d)", sum, defis, paid)
	}
	// The public accounts of the same year say the same: their movements, summed by kind
	// from /transparence's own CSV, are the report's figures.
	byKind := publicAccountsByKind(t, c, year)
	for kind, want := range map[string]int64{fabrique.TxPledge: money("year-raised"), fabrique.TxPayment: money("year-paid"), fabrique.TxMatching: money("year-matched")} {
		if got := byKind[fabrique.TransactionKindLabel(kind)]; got != want {
			t.Errorf("/transparence?annee=%d: %s sums to %d, the year's report says %d", year, kind, got, want)
		}
	}
	if csv := c.Get("/bilan/" + strconv.Itoa(year) + ".csv"); csv.StatusCode != 200 || !strings.Contains(csv.Body, "Cofinancement reçu") {
		t.Errorf("CSV %d", csv.StatusCode)
	}
	for _, bad := range []string{"deux-mille", "1850", "2026.pdf"} {
		if r := c.Get("/bilan/" + bad); r.StatusCode != 404 {
			t.Errorf("/bilan/%s: %d", bad, r.StatusCode)
		}
	}
}

// publicAccountsByKind sums the movements of /transparence.csv for year by their kind's
// label, in cents: each movement is written twice (taken from one account, given to the
// other), and only the row that gives is counted.
func publicAccountsByKind(t *testing.T, c *apptest.Client, year int) map[string]int64 {
	t.Helper()
	r := c.Get("/transparence.csv?decimal=point&annee=" + strconv.Itoa(year))
	if r.StatusCode != 200 {
		t.Fatalf("/transparence.csv: %d", r.StatusCode)
	}
	rows, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("/transparence.csv: %d rows, %v", len(rows), err)
	}
	sums := map[string]int64{}
	for _, row := range rows[1:] { // date, compte, contrepartie, nature, montant, reference, mouvement
		whole, frac, ok := strings.Cut(row[4], ".")
		units, err1 := strconv.ParseInt(whole, 10, 64)
		cents, err2 := strconv.ParseInt(frac, 10, 64)
		if !ok || len(frac) != 2 || err1 != nil || err2 != nil {
			t.Fatalf("/transparence.csv: amount %q", row[4])
		}
		if units > 0 || (units == 0 && !strings.HasPrefix(whole, "-")) {
			sums[row[3]] += units*100 + cents
		}
	}
	return sums
}
