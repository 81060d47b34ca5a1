package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func TestPaymentBatch(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 3000_00)
	ctx := context.Background()
	coord := l.clients["coordinator"]

	r := coord.Get("/coordination/paiements")
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("[data-testid=payments-none]").Length(); n != 1 {
		t.Errorf("empty batch: got %d empty states, want 1", n)
	}

	// Marc: 2 days and 1 day validated; Nina: half a day validated. Left out: volunteer,
	// declared, paid and refused work.
	m1 := l.validated(t, 8)
	m2 := l.validated(t, 4)
	n1 := l.declare(t, l.member, 2, false)
	for _, id := range []int64{n1, l.declare(t, l.member, 4, true)} {
		if _, _, err := l.a.DB.ValidateContribution(ctx, id, l.lead); err != nil {
			t.Fatal(err)
		}
	}
	l.declare(t, l.author, 4, false)
	paid := l.validated(t, 4)
	if _, _, err := l.a.DB.PayContribution(ctx, paid, l.coord, "VIR-0", time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	refused := l.validated(t, 4)
	if _, _, err := l.a.DB.RefuseContribution(ctx, refused, l.lead, "Doublon."); err != nil {
		t.Fatal(err)
	}

	r = coord.Get("/coordination/paiements")
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=payments-total]"); got != "805,00 €" {
		t.Errorf("total: got %q, want 805,00 €", got)
	}
	if got := text(r, "[data-testid=payments-count]"); !strings.HasPrefix(got, "3 ") {
		t.Errorf("count: got %q, want 3 contributions", got)
	}
	payees := r.Doc.Find("[data-testid=payee]")
	if payees.Length() != 2 {
		t.Fatalf("got %d payees, want 2", payees.Length())
	}
	type payee struct{ name, total string }
	var got []payee
	payees.Each(func(_ int, s *goquery.Selection) {
		got = append(got, payee{strings.TrimSpace(s.Find("[data-testid=payee-name]").Text()), strings.TrimSpace(s.Find("[data-testid=payee-total]").Text())})
	})
	if want := []payee{{"Marc Auteur", "690,00 €"}, {"Nina Membre", "115,00 €"}}; got[0] != want[0] || got[1] != want[1] {
		t.Errorf("payees: got %v, want %v", got, want)
	}
	var ids []string
	r.Doc.Find("[data-testid=payee] [data-testid=contribution]").Each(func(_ int, s *goquery.Selection) {
		ids = append(ids, s.AttrOr("data-id", ""))
	})
	if want := strings.Join([]string{lootID(m1), lootID(m2), lootID(n1)}, ","); strings.Join(ids, ",") != want {
		t.Errorf("listed: got %v, want %s", ids, want)
	}
	// Each has its pay form, with the suggested reference and today's date, coming back here.
	form := r.Doc.Find(`form[action="` + contribPath(m1, "payer") + `"]`)
	if form.Length() != 1 {
		t.Fatalf("got %d pay forms for %d, want 1", form.Length(), m1)
	}
	if got := form.Find("input[name=reference]").AttrOr("value", ""); got != "FABRIQUE-C"+lootID(m1) {
		t.Errorf("reference: got %q", got)
	}
	if got := form.Find("input[name=suivant]").AttrOr("value", ""); got != "/coordination/paiements" {
		t.Errorf("suivant: got %q", got)
	}
	if n := r.Doc.Find(`form[action$="/valider"], form[action$="/refuser"]`).Length(); n != 0 {
		t.Errorf("got %d decision forms on the payment batch, want 0", n)
	}

	r = coord.Post(contribPath(m1, "payer"), url.Values{"reference": {"FABRIQUE-C" + lootID(m1)}, "paid_on": {lootToday()}, "suivant": {"/coordination/paiements"}})
	wantRedirect(t, r, "/coordination/paiements")
	r = coord.Follow(r)
	if got := text(r, "[data-testid=payments-total]"); got != "345,00 €" {
		t.Errorf("total after a payment: got %q, want 345,00 €", got)
	}
	if n := r.Doc.Find(`[data-testid=contribution][data-id="` + lootID(m1) + `"]`).Length(); n != 0 {
		t.Errorf("paid contribution still listed")
	}
	lootLedgerZero(t, l.a)
}

func TestPaymentCSV(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 3000_00)
	ctx := context.Background()
	// A name that a spreadsheet would run as a formula.
	lootExec(t, l.a, `UPDATE users SET display_name = '=HYPERLINK("http://evil.example";"Marc")' WHERE id = $1`, l.author.ID)
	a := l.validated(t, 8)
	b := l.declare(t, l.member, 5, false)
	if _, _, err := l.a.DB.ValidateContribution(ctx, b, l.coord); err != nil {
		t.Fatal(err)
	}
	r := l.clients["coordinator"].Get("/coordination/paiements.csv")
	wantStatus(t, r, http.StatusOK)
	if got := r.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type: got %q", got)
	}
	if got := r.Header.Get("Content-Disposition"); !strings.HasPrefix(got, `attachment; filename="paiements-`) || !strings.HasSuffix(got, `.csv"`) {
		t.Errorf("Content-Disposition: got %q", got)
	}
	if !strings.HasPrefix(r.Body, "\ufeff") {
		t.Fatalf("no byte order mark: %q", r.Body[:min(20, len(r.Body))])
	}
	if !strings.Contains(r.Body, "\r\n") {
		t.Errorf("lines end without CRLF")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body, "\ufeff")))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Bénéficiaire", "E-mail", "Défi", "Contribution", "Date", "Jours", "Montant (€)", "Référence suggérée"},
		{`'=HYPERLINK("http://evil.example";"Marc")`, "marc@example.org", "Cantine partagée", lootID(a), "", "2", "460,00", "FABRIQUE-C" + lootID(a)},
		{"Nina Membre", "nina@example.org", "Cantine partagée", lootID(b), "", "1,25", "287,50", "FABRIQUE-C" + lootID(b)},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d:\n%s", len(rows), len(want), r.Body)
	}
	day := time.Now().UTC().AddDate(0, 0, -3).Format("02/01/2006")
	for i := range want {
		if i > 0 {
			want[i][4] = day
		}
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: got %q, want %q", i, rows[i], want[i])
		}
	}
}

func TestPaymentsSummarySection(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	err := pages.PaymentsSummarySection(pages.PaymentsSummary{Count: 3, Total: 805_00, NearEnd: []fabrique.BudgetAlert{
		{ChallengeSlug: "cantine-partagee", ChallengeTitle: "Cantine partagée", Budgeted: 3000_00, Remaining: 150_00},
	}}).Render(i18n.WithLang(context.Background(), i18n.French), &b)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"[data-testid=payments-total]":         "805,00 €",
		"[data-testid=payments-count]":         "3 contributions validées à payer",
		"[data-testid=budget-alert-remaining]": "150,00 €",
	} {
		if got := strings.TrimSpace(doc.Find(sel).Text()); got != want {
			t.Errorf("%s: got %q, want %q", sel, got, want)
		}
	}
	if href := doc.Find(`[data-testid=budget-alert] a`).AttrOr("href", ""); href != "/defis/cantine-partagee#contributions" {
		t.Errorf("alert link: got %q", href)
	}
	if href := doc.Find(`a[href="/coordination/paiements"]`).Length(); href != 1 {
		t.Errorf("got %d links to the batch, want 1", href)
	}

	b.Reset()
	if err := pages.PaymentsSummarySection(pages.PaymentsSummary{}).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"payments-none", "budgets-near-end-none"} {
		if !strings.Contains(b.String(), `data-testid="`+id+`"`) {
			t.Errorf("empty summary: no %s", id)
		}
	}
}

func lootID(id int64) string { return strconv.FormatInt(id, 10) }
