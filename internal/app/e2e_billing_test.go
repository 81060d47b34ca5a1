package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestE2EPaidAsActuallyPaid: a CAE contributor says how they are paid, logs a day; the
// porteuse validates it (276,00 € reserved: 230,00 € HT and 20 % VAT); the contributor asks
// to be paid, prints the statement to invoice, uploads their CAE's invoice; a coordinator
// marks it bon à payer and records its payment; the public accounts show 276,00 €.
func TestE2EPaidAsActuallyPaid(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	claire := a.CreateUser(t, "Claire Coordination", "claire@example.org", pass, fabrique.RoleCoordinator)
	lea := a.CreateUser(t, "Léa Porteuse", "lea@example.org", pass, fabrique.RoleContributor)
	marc := a.CreateUser(t, "Marc Auteur", "marc@example.org", pass, fabrique.RoleContributor)
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Cantine partagée",
		Summary: "Une cantine pour trois tiers-lieux.", Problem: "Chacun cuisine seul."}, lea.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DB.RequestToJoin(ctx, c.ID, marc.ID, "Je documente."); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.DecideJoinRequest(ctx, c.ID, lea, marc.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.ChangeStatus(ctx, c.ID, lea, fabrique.StatusTeam, "Nous sommes deux."); err != nil {
		t.Fatal(err)
	}
	year := time.Now().In(parisZone()).Year()
	if _, err := a.DB.SetSeedFund(ctx, claire, year, 12000_00); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.RequestSeedBudget(ctx, c.ID, lea, 3000_00, "Marc : documentation, 10 jours."); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.DecideSeedRequest(ctx, c.ID, claire, fabrique.SeedDecision{Approve: true, Year: year}); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.SaveBillingSettings(ctx, claire, fabrique.BillingSettings{LegalName: "Association de la Fabrique à communs",
		Address: "12 rue des Tanneurs\n23200 Aubusson", SIREN: "812345676"}); err != nil {
		t.Fatal(err)
	}
	page := "/defis/" + c.Slug

	// Marc says how he is paid: a CAE at 20 %.
	member := NewBrowser(t, a.URL())
	member.Login("marc@example.org", pass)
	member.Open("/espace/facturation", 200)
	member.FillForm("form[data-testid=billing-form]",
		[2]string{"kind", "cae"}, [2]string{"legal_name", "Coopaname"}, [2]string{"siret", "732 829 320 00074"},
		[2]string{"vat_regime", "assujetti"}, [2]string{"vat_rate", "2000"})
	member.Submit("save the billing profile", "form[data-testid=billing-form]", 200)
	if s := member.Text("[data-testid=billing-current]"); !strings.Contains(s, "Coopaname") {
		t.Fatalf("billing profile: %q", s)
	}
	// He logs a day.
	member.Open(page, 200)
	member.FillForm("form[data-testid=contribution-form]", [2]string{"days", "1"}, [2]string{"description", "Le guide de la cantine."})
	member.Submit("log a day", "form[data-testid=contribution-form]", 200)
	id := member.Attr("[data-testid=contributions] [data-testid=contribution]", "data-id")

	// Léa validates it: 276,00 € reserved of the 3 000,00 €.
	lead := NewBrowser(t, a.URL())
	lead.Login("lea@example.org", pass)
	lead.Open(page, 200)
	lead.Click("validate the day", `form[action="/contributions/`+id+`/valider"] button`, 200)
	if s := lead.Text("[data-testid=budget-remaining]"); s != "2 724,00 €" {
		t.Errorf("remaining after validating a CAE day = %q, want «2 724,00 €»", s)
	}

	// Marc asks to be paid, and prints the statement.
	member.Open("/espace/releves", 200)
	member.Submit("issue the statement", "form[data-testid=statement-form]", 200)
	if p := member.Path(); !strings.HasPrefix(p, "/releves/FAB-") {
		t.Fatalf("after asking to be paid: at %s, want the statement", p)
	}
	number := strings.TrimPrefix(member.Path(), "/releves/")
	step, cancel := member.step()
	if _, err := chromedp.Call(step, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if shown := Eval[string](member, `getComputedStyle(document.querySelector("[data-testid=invoice-upload]")).display`); shown != "none" {
		t.Errorf("in print the upload form shows (display %q)", shown)
	}
	if s := member.Text("[data-testid=statement-reference]"); !strings.Contains(s, number) {
		t.Errorf("printed statement: reference %q", s)
	}
	if _, err := chromedp.Call(step, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	cancel()

	// He uploads his CAE's invoice.
	file := filepath.Join(t.TempDir(), "facture-coopaname-118.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	member.Do("choose the invoice's file", chromedp.SetUploadFiles(chromedp.CSS("form[data-testid=invoice-form] input[name=file]"), []string{file}))
	today := time.Now().In(parisZone()).Format(time.DateOnly)
	member.SetValue("form[data-testid=invoice-form]", "issued_on", today)
	member.SetValue("form[data-testid=invoice-form]", "due_on", today)
	member.FillForm("form[data-testid=invoice-form]", [2]string{"number", "F-2026-118"}, [2]string{"amount_ht", "230,00"},
		[2]string{"vat", "46,00"}, [2]string{"amount_ttc", "276,00"}, [2]string{"vat_mention", "TVA 20 %"})
	member.Submit("upload the invoice", "form[data-testid=invoice-form]", 200)
	if p := member.Path(); !strings.HasPrefix(p, "/factures/") {
		t.Fatalf("after the upload: at %s, want the invoice", p)
	}
	invoice := member.Path()

	// Claire checks and pays it.
	coord := NewBrowser(t, a.URL())
	coord.Login("claire@example.org", pass)
	coord.Open(invoice, 200)
	coord.Click("approve the invoice", "form[data-testid=invoice-approve] button", 200)
	coord.FillForm("form[data-testid=invoice-pay]", [2]string{"reference", "VIR-2026-118"})
	coord.Submit("record the payment", "form[data-testid=invoice-pay]", 200)
	if st := coord.Attr("[data-testid=invoice-state]", "data-state"); st != fabrique.InvoicePaid {
		t.Fatalf("invoice state after paying = %q", st)
	}

	// Anyone sees the 276,00 € in the public accounts.
	visitor := NewBrowser(t, a.URL())
	visitor.Open("/transparence", 200)
	found := false
	for _, s := range visitor.Texts("[data-testid=movement]") {
		found = found || (strings.Contains(s, "276,00 €") && strings.Contains(s, "Facture n° F-2026-118"))
	}
	if !found {
		t.Errorf("the public accounts do not show the invoice's 276,00 €: %q", visitor.Texts("[data-testid=movement]"))
	}
}
