package app_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestE2ESeedBudgetToTransparency: the money of the amorçage phase, each step in the
// browser of the person who takes it. A coordinator sets the year's seed fund; the
// porteur of a défi whose team is formed requests a seed budget; the coordinator
// approves it; a member logs two days; the porteur validates them; the coordinator
// pays them; the public accounts show the 460,00 € and the défi's budget panel what
// is paid and what is left.
func TestE2ESeedBudgetToTransparency(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Claire Coordination", "claire@example.org", pass, fabrique.RoleCoordinator)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", pass, fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bruno Petit", "bruno@example.org", pass, fabrique.RoleContributor)

	// The défi and its team of two, in «équipe», straight through the store: the browser
	// test of the team covers these steps.
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{
		Title:   "Réseau des fablabs",
		Summary: "Relier les fablabs des tiers-lieux pour partager machines et savoir-faire.",
		Problem: "Les fablabs travaillent chacun de leur côté.",
	}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DB.RequestToJoin(ctx, c.ID, bob.ID, "Je peux aider."); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.DecideJoinRequest(ctx, c.ID, alice, bob.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.ChangeStatus(ctx, c.ID, alice, fabrique.StatusTeam, "Nous sommes deux."); err != nil {
		t.Fatal(err)
	}
	page := "/defis/" + c.Slug
	year := strconv.Itoa(time.Now().In(parisZone()).Year())

	// The coordinator sets the year's seed fund to 12 000 €.
	coord := NewBrowser(t, a.URL())
	coord.Login("claire@example.org", pass)
	coord.Open("/coordination", 200)
	if y := coord.Attr("[data-testid=fund]", "data-year"); y != year {
		t.Errorf("the coordination shows the fund of %q, want the current year %s", y, year)
	}
	coord.FillForm("form[data-testid=fund-form]", [2]string{"year", year}, [2]string{"amount", "12 000"})
	coord.Submit("set the seed fund", "form[data-testid=fund-form]", 200)
	if p := coord.Path(); p != "/coordination" {
		t.Errorf("after setting the fund: at %s, want /coordination", p)
	}
	if s := coord.Text("[data-testid=fund-current] [data-testid=fund-total]"); s != "12 000,00 €" {
		t.Errorf("fund total = %q, want «12 000,00 €»", s)
	}
	if s := coord.Text("[data-testid=fund-current] [data-testid=fund-left]"); s != "12 000,00 €" {
		t.Errorf("fund left = %q, want «12 000,00 €»", s)
	}

	// The porteur requests a seed budget of 3 000 € from the défi's page.
	lead := NewBrowser(t, a.URL())
	lead.Login("alice@example.org", pass)
	lead.Open(page, 200)
	lead.FillForm("form[data-testid=seed-request-form]",
		[2]string{"amount", "3 000"},
		[2]string{"plan", "Alice et Bruno : 13 jours pour recenser les machines des fablabs et écrire le guide de mutualisation."})
	lead.Submit("request a seed budget", "form[data-testid=seed-request-form]", 200)
	if p := lead.Path(); p != page {
		t.Errorf("after the request: at %s, want %s", p, page)
	}
	if st := lead.Attr("[data-testid=seed-request]", "data-state"); st != fabrique.SeedPending {
		t.Errorf("seed request state = %q, want pending", st)
	}
	if s := lead.Text("[data-testid=seed-request] [data-testid=seed-requested-amount]"); s != "3 000,00 €" {
		t.Errorf("requested amount = %q, want «3 000,00 €»", s)
	}

	// The coordinator approves it from the queue of /coordination.
	coord.Open("/coordination", 200)
	item := fmt.Sprintf("[data-testid=seed-queue-item][data-slug=%q]", c.Slug)
	if s := coord.Text(item + " [data-testid=seed-queue-amount]"); s != "3 000,00 €" {
		t.Errorf("queued amount = %q, want «3 000,00 €»", s)
	}
	coord.Click("approve the seed request", item+` button[name=decision][value=approuver]`, 200)
	if p := coord.Path(); p != "/coordination" {
		t.Errorf("after approving: at %s, want /coordination", p)
	}
	if n := coord.Count("[data-testid=seed-queue-item]"); n != 0 {
		t.Errorf("%d requests still queued after approving, want none", n)
	}
	if s := coord.Text("[data-testid=fund-current] [data-testid=fund-granted]"); s != "3 000,00 €" {
		t.Errorf("fund granted = %q, want «3 000,00 €»", s)
	}
	if s := coord.Text("[data-testid=fund-current] [data-testid=fund-left]"); s != "9 000,00 €" {
		t.Errorf("fund left = %q, want «9 000,00 €»", s)
	}

	// The member logs two days of work with the contribution form.
	member := NewBrowser(t, a.URL())
	member.Login("bruno@example.org", pass)
	member.Open(page, 200)
	if s := member.Text("[data-testid=budget-budgeted]"); s != "3 000,00 €" {
		t.Errorf("budget granted, seen by the member = %q, want «3 000,00 €»", s)
	}
	// A refused form is shown where the member is looking: the long défi page comes back
	// with the form's error summary focused and in view, the field's error beside it.
	member.FillForm("form[data-testid=contribution-form]",
		[2]string{"days", "deux"},
		[2]string{"description", "Recensement des machines de six fablabs."})
	member.Submit("log « deux » days", "form[data-testid=contribution-form]", 422)
	checkErrorSummaryInView(t, member, "a refused contribution")
	if s := member.Text("form[data-testid=contribution-form] [data-testid=error-days]"); s == "" {
		t.Errorf("no error beside the days field")
	}
	member.FillForm("form[data-testid=contribution-form]", [2]string{"days", "2"})
	member.Submit("log two days", "form[data-testid=contribution-form]", 200)
	if p := member.Path(); p != page {
		t.Errorf("after logging the days: at %s, want %s", p, page)
	}
	contribution := "[data-testid=contributions] [data-testid=contribution]"
	if n := member.Count(contribution); n != 1 {
		t.Fatalf("%d contributions listed, want 1", n)
	}
	id := member.Attr(contribution, "data-id")
	one := fmt.Sprintf("[data-testid=contributions] [data-testid=contribution][data-id=%q]", id)
	if s := member.Text(one + " [data-testid=contribution-days]"); s != "2 jours" {
		t.Errorf("days = %q, want «2 jours»", s)
	}
	if s := member.Text(one + " [data-testid=contribution-amount]"); s != "460,00 €" {
		t.Errorf("amount = %q, want «460,00 €» (2 × 230,00 €)", s)
	}
	if st := member.Attr(one, "data-state"); st != fabrique.ContributionDeclared {
		t.Errorf("state = %q, want %q", st, fabrique.ContributionDeclared)
	}
	if n := member.Count(fmt.Sprintf(`form[action="/contributions/%s/valider"]`, id)); n != 0 {
		t.Errorf("the author is offered to validate their own contribution")
	}

	// The porteur validates it from the défi's page.
	lead.Open(page, 200)
	lead.Click("validate the contribution", fmt.Sprintf(`form[action="/contributions/%s/valider"] button`, id), 200)
	if p := lead.Path(); p != page {
		t.Errorf("after validating: at %s, want %s", p, page)
	}
	if st := lead.Attr(one, "data-state"); st != fabrique.ContributionValidated {
		t.Errorf("state after validating = %q, want %q", st, fabrique.ContributionValidated)
	}
	if s := lead.Text("[data-testid=budget-committed]"); s != "460,00 €" {
		t.Errorf("committed = %q, want «460,00 €»", s)
	}
	if n := lead.Count(fmt.Sprintf(`form[action="/contributions/%s/payer"]`, id)); n != 0 {
		t.Errorf("the porteur is offered to pay the contribution")
	}

	// The coordinator pays it from the payment batch, with the bank reference.
	coord.Open("/coordination/paiements", 200)
	if s := coord.Text("[data-testid=payments-total]"); s != "460,00 €" {
		t.Errorf("payments total = %q, want «460,00 €»", s)
	}
	payForm := fmt.Sprintf(`form[action="/contributions/%s/payer"]`, id)
	coord.FillForm(payForm, [2]string{"reference", "VIR-2026-001"})
	coord.Click("pay the contribution", payForm+" [data-testid=pay]", 200)
	if p := coord.Path(); p != "/coordination/paiements" {
		t.Errorf("after paying: at %s, want /coordination/paiements", p)
	}
	if n := coord.Count("[data-testid=payments-none]"); n != 1 {
		t.Errorf("the payment batch still lists contributions to pay")
	}

	// Anyone, here the member once logged out, sees the payment in the public accounts.
	member.Click("log out", "header [data-testid=logout]", 200)
	member.Open("/transparence", 200)
	var paid []string
	for _, row := range member.Texts("[data-testid=movements] [data-testid=movement]") {
		if strings.Contains(row, "VIR-2026-001") {
			paid = append(paid, row)
		}
	}
	if len(paid) != 1 || !strings.Contains(paid[0], "460,00 €") {
		t.Errorf("movements with the reference VIR-2026-001 = %q, want one of 460,00 €", paid)
	}
	amounts := member.Texts("[data-testid=movements] td.num")
	found := false
	for _, s := range amounts {
		found = found || s == "460,00 €"
	}
	if !found {
		t.Errorf("movement amounts = %q, want «460,00 €» among them", amounts)
	}

	// The défi's budget panel: 460,00 € paid, 2 540,00 € left.
	member.Open(page, 200)
	for sel, want := range map[string]string{
		"[data-testid=budget-budgeted]":  "3 000,00 €",
		"[data-testid=budget-committed]": "0,00 €",
		"[data-testid=budget-paid]":      "460,00 €",
		"[data-testid=budget-remaining]": "2 540,00 €",
	} {
		if s := member.Text(sel); s != want {
			t.Errorf("%s = %q, want %q", sel, s, want)
		}
	}
	if st := member.Attr(one, "data-state"); st != fabrique.ContributionPaid {
		t.Errorf("state after paying = %q, want %q", st, fabrique.ContributionPaid)
	}
	if s := member.Text(one + " [data-testid=contribution-paid]"); !strings.Contains(s, "VIR-2026-001") {
		t.Errorf("payment line = %q, want the reference VIR-2026-001", s)
	}
}

// parisZone is the Fabrique's time zone, whose calendar picks the current seed fund;
// like the server, UTC when the system has no time zone data.
func parisZone() *time.Location {
	if loc, err := time.LoadLocation("Europe/Paris"); err == nil {
		return loc
	}
	return time.UTC
}
