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

// TestE2EPledgeConfirmMatching: the co-financing of a development step, each action in
// the browser of the person who takes it. A coordinator launches a call whose rule is
// "1 € d’un tiers-lieu = 1 € de plus" (pool 10 000 €, cap 5 000 €) and adds a commun's
// step to it; a funder pledges 1 000 € in the name of their tiers-lieu, giving their
// funder profile with this first pledge; the call's page shows the promise and the
// matching it would bring (projected 1 000 €, secured 0); the coordinator confirms the
// funds were received, and the step's bars and the secured matching follow (1 000 €
// received + 1 000 € matched); the coordinator closes the call, and the public accounts
// show the matching paid from the pool to the commun.
func TestE2EPledgeConfirmMatching(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Claire Coordination", "claire@example.org", pass, fabrique.RoleCoordinator)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", pass, fabrique.RoleContributor)
	funder := a.CreateUser(t, "Fanny Financeuse", "fanny@example.org", pass, fabrique.RoleContributor)

	// The défi in développement, its commun and a step, straight through the store and
	// SQL: the tests of the développement phase cover these steps.
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{
		Title:   "Réserver les espaces en ligne",
		Summary: "Un outil libre de réservation des espaces et des machines pour les tiers-lieux.",
		Problem: "Les réservations se font par téléphone et tableur.",
	}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	var commonsID int64
	if err := a.SQL.QueryRow(ctx, `INSERT INTO commons (slug, name) VALUES ('dokos', 'Dokos') RETURNING id`).Scan(&commonsID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SQL.Exec(ctx, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'origine')`,
		c.ID, commonsID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SQL.Exec(ctx, `UPDATE challenges SET status = 'developpement' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	y, m, d := time.Now().In(parisZone()).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	step, err := a.DB.CreateStep(ctx, commonsID, lead, fabrique.Step{
		Title: "Module de réservation des machines", Goal: 4000_00,
		StartsOn: today, EndsOn: today.AddDate(0, 3, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The funder's tiers-lieu, which they belong to as its creator.
	place, err := a.DB.CreatePlace(ctx, fabrique.NewPlace{Name: "La Fabrique du Coin", City: "Rennes", Region: "Bretagne"}, funder.ID)
	if err != nil {
		t.Fatal(err)
	}

	// The coordinator launches the call with the form.
	coord := NewBrowser(t, a.URL())
	coord.Login("claire@example.org", pass)
	coord.Open("/cofinancement/nouveau", 200)
	const callForm = "form[data-testid=call-form]"
	coord.FillForm(callForm,
		[2]string{"title", "Appel des tiers-lieux"},
		[2]string{"pool", "10 000"},
		[2]string{"match_multiplier", "1"},
		[2]string{"match_cap", "5 000"})
	coord.SetValue(callForm, "starts_on", today.Format(time.DateOnly))
	coord.SetValue(callForm, "ends_on", today.AddDate(0, 2, 0).Format(time.DateOnly))
	for _, k := range fabrique.FunderKinds {
		coord.SetChecked(callForm, "match_kinds", k.Value, k.Value == "tiers-lieu")
	}
	coord.Submit("launch the call", callForm, 200)
	page := "/cofinancement/appel-des-tiers-lieux"
	if p := coord.Path(); p != page {
		t.Fatalf("after launching the call: at %s, want %s", p, page)
	}
	if ph := coord.Attr("[data-testid=call-page]", "data-phase"); ph != "ouvert" {
		t.Errorf("call phase = %q, want ouvert", ph)
	}
	if s := coord.Text("[data-testid=call-rule]"); !strings.Contains(s, "1 € d’un tiers-lieu = 1 € de plus") || !strings.Contains(s, "5 000,00 €") {
		t.Errorf("rule = %q, want «1 € d’un tiers-lieu = 1 € de plus, jusqu’à 5 000,00 € par commun»", s)
	}
	if s := coord.Text("[data-testid=call-pool]"); s != "10 000,00 €" {
		t.Errorf("pool = %q, want «10 000,00 €»", s)
	}

	// The coordinator verifies the funder's tiers-lieu, without which its pledges would
	// not be matched.
	coord.Open("/tiers-lieux/"+place.Slug, 200)
	coord.FillForm("form[data-testid=verify-form]", [2]string{"note", "Visite sur place."})
	coord.Submit("verify the place", "form[data-testid=verify-form]", 200)
	if s := coord.Text("[data-testid=place-verified]"); s != "tiers-lieu vérifié" {
		t.Errorf("place badge = %q, want «tiers-lieu vérifié»", s)
	}
	coord.Open(page, 200)

	// The step joins the call, with the form of the call's page.
	id := strconv.FormatInt(step.ID, 10)
	coord.FillForm("form[data-testid=call-add-step]", [2]string{"step_id", id})
	coord.Submit("add the step to the call", "form[data-testid=call-add-step]", 200)
	stepCard := fmt.Sprintf("[data-testid=call-step][data-id=%q]", id)
	if n := coord.Count(stepCard); n != 1 {
		t.Fatalf("%d cards of the step on the call's page, want 1", n)
	}

	// The funder pledges 1 000 € for a step of the call, as a tiers-lieu: their first
	// pledge, which carries their funder profile.
	fund := NewBrowser(t, a.URL())
	fund.Login("fanny@example.org", pass)
	// « Soutenir cette étape » leads to the step's own page: where it stands, the call's
	// rule and what a pledge brings with it, and the form.
	fund.Open(page, 200)
	fund.Click("support the step", stepCard+" [data-testid=support-step]", 200)
	if p := fund.Path(); p != "/etapes/"+id+"/promesses/nouvelle" {
		t.Errorf("« Soutenir cette étape » leads to %s", p)
	}
	if s := fund.Text("[data-testid=pledge-rule]"); !strings.Contains(s, "1 € d’un tiers-lieu = 1 € de plus") {
		t.Errorf("the step's pledge page states the rule as %q", s)
	}
	if s := fund.Text("[data-testid=pledge-brings]"); !strings.Contains(s, "1 000,00 €") || !strings.Contains(s, "2 000,00 €") {
		t.Errorf("what a pledge brings = %q", s)
	}
	pledgeForm := fmt.Sprintf("form[data-testid=pledge-form][data-step-id=%q]", id)
	if n := fund.Count("[data-testid=funder-needed]"); n != 1 {
		t.Errorf("the first pledge does not ask for the funder profile")
	}
	fund.FillForm(pledgeForm,
		[2]string{"amount", "1 000"},
		[2]string{"funder_kind", "tiers-lieu"},
		[2]string{"organisation", "La Fabrique du Coin"},
		[2]string{"place_id", strconv.FormatInt(place.ID, 10)},
		[2]string{"message", "Nos makers attendent ce module."})
	fund.Submit("pledge 1 000 €", pledgeForm, 200)
	// The confirmation is the pledge's own page, which says how to pay it.
	if p := fund.Path(); !strings.HasPrefix(p, "/promesses/") {
		t.Errorf("after pledging: at %s, want the pledge's page", p)
	}
	if n := fund.Count("[data-testid=payment-instructions]"); n != 1 {
		t.Errorf("the pledge's page does not say how to pay")
	}
	fund.Open(page, 200)
	funderLine := stepCard + " [data-testid=step-funder]"
	if n := fund.Count(funderLine); n != 1 {
		t.Fatalf("%d funders listed on the step, want 1", n)
	}
	if st := fund.Attr(funderLine, "data-state"); st != fabrique.PledgePromise {
		t.Errorf("the funder's line is in state %q, want %q", st, fabrique.PledgePromise)
	}
	if s := fund.Text(funderLine + " [data-testid=funder-name]"); s != "La Fabrique du Coin" {
		t.Errorf("funder name = %q, want «La Fabrique du Coin»", s)
	}
	if s := fund.Text(funderLine + " [data-testid=funder-amount]"); s != "1 000,00 €" {
		t.Errorf("funder amount = %q, want «1 000,00 €»", s)
	}
	mine := "[data-testid=call-pledges] [data-testid=pledge]"
	if n := fund.Count(mine); n != 1 {
		t.Fatalf("%d pledges of the funder listed, want 1", n)
	}
	pledgeID := fund.Attr(mine, "data-id")
	if n := fund.Count(fmt.Sprintf(`form[action="/promesses/%s/annuler"] [data-testid=pledge-withdraw]`, pledgeID)); n != 1 {
		t.Errorf("the funder is not offered to withdraw their promise")
	}
	if n := fund.Count(fmt.Sprintf(`form[action="/promesses/%s/confirmer"]`, pledgeID)); n != 0 {
		t.Errorf("the funder is offered to confirm their own pledge")
	}
	checkTexts(t, fund, "after the promise", map[string]string{
		"[data-testid=call-matched-projected]":             "1 000,00 €",
		"[data-testid=call-matched-secured]":               "0,00 €",
		stepCard + " [data-testid=step-promised]":          "1 000,00 €",
		stepCard + " [data-testid=step-confirmed]":         "0,00 €",
		stepCard + " [data-testid=step-matched-projected]": "1 000,00 €",
		stepCard + " [data-testid=step-matched-secured]":   "0,00 €",
		stepCard + " [data-testid=step-remaining]":         "4 000,00 €",
	})
	checkBars(t, fund, "after the promise", stepCard, map[string]string{
		"bar-promis": "100000", "bar-confirme": "0", "bar-abonde": "0", "bar-abonde-prevu": "100000",
	})

	// The coordinator confirms the funds were received, from the call's page.
	coord.Open(page, 200)
	confirm := fmt.Sprintf(`form[action="/promesses/%s/confirmer"] [data-testid=pledge-confirm]`, pledgeID)
	coord.Click("confirm the pledge", confirm, 200)
	if p := coord.Path(); p != page {
		t.Errorf("after confirming: at %s, want %s", p, page)
	}
	if st := coord.Attr(funderLine, "data-state"); st != fabrique.PledgeConfirmed {
		t.Errorf("the funder's line is in state %q after the confirmation, want %q", st, fabrique.PledgeConfirmed)
	}
	if n := coord.Count(confirm); n != 0 {
		t.Errorf("the confirmed pledge is still offered for confirmation")
	}
	checkTexts(t, coord, "after the confirmation", map[string]string{
		"[data-testid=call-matched-secured]":             "1 000,00 €",
		"[data-testid=call-matched-projected]":           "0,00 €", // all of it secured now
		stepCard + " [data-testid=step-promised]":        "0,00 €",
		stepCard + " [data-testid=step-confirmed]":       "1 000,00 €",
		stepCard + " [data-testid=step-matched-secured]": "1 000,00 €",
		stepCard + " [data-testid=step-remaining]":       "2 000,00 €",
	})
	checkBars(t, coord, "after the confirmation", stepCard, map[string]string{
		"bar-promis": "0", "bar-confirme": "100000", "bar-abonde": "100000", "bar-abonde-prevu": "0",
	})
	// The funder sees it too.
	fund.Open(page, 200)
	if st := fund.Attr(mine, "data-state"); st != fabrique.PledgeConfirmed {
		t.Errorf("the funder sees their pledge in state %q, want %q", st, fabrique.PledgeConfirmed)
	}

	// The coordinator closes the call: the secured matching goes from the pool to the
	// commun.
	coord.Click("close the call", "[data-testid=close-call]", 200)
	if p := coord.Path(); p != page {
		t.Errorf("after closing: at %s, want %s", p, page)
	}
	if ph := coord.Attr("[data-testid=call-page]", "data-phase"); ph != "clos" {
		t.Errorf("call phase after closing = %q, want clos", ph)
	}
	checkTexts(t, coord, "after closing", map[string]string{
		"[data-testid=call-matched-secured]": "1 000,00 €",
		"[data-testid=call-pool-left]":       "9 000,00 €",
	})

	// Anyone sees the matching paid in the public accounts.
	fund.Click("log out", "header [data-testid=logout]", 200)
	fund.Open("/transparence", 200)
	var matching, received []string
	for _, row := range fund.Texts("[data-testid=movements] [data-testid=movement]") {
		switch {
		case strings.Contains(row, "Abondement versé"):
			matching = append(matching, row)
		case strings.Contains(row, "Cofinancement reçu"):
			received = append(received, row)
		}
	}
	if len(matching) != 1 || !strings.Contains(matching[0], "1 000,00 €") {
		t.Errorf("matching movements = %q, want one of 1 000,00 €", matching)
	}
	if len(received) != 1 || !strings.Contains(received[0], "1 000,00 €") {
		t.Errorf("co-financing received = %q, want one of 1 000,00 €", received)
	}
	if total, err := a.DB.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("ledger total = %d (%v), want 0", total, err)
	}
}

// checkTexts compares the visible text of each selector with what it should say.
func checkTexts(t *testing.T, b *Browser, when string, want map[string]string) {
	t.Helper()
	for sel, w := range want {
		if s := b.Text(sel); s != w {
			t.Errorf("%s: %s = %q, want %q", when, sel, s, w)
		}
	}
}

// checkBars compares the amounts of the step's funding bar, in cents, against the goal
// (400 000), and checks that each segment holding money is drawn.
func checkBars(t *testing.T, b *Browser, when, stepCard string, want map[string]string) {
	t.Helper()
	if g := b.Attr(stepCard+" svg[data-testid=funding-bar]", "data-goal"); g != "400000" {
		t.Errorf("%s: the bar's goal = %q, want 400000", when, g)
	}
	for bar, w := range want {
		sel := stepCard + " rect[data-testid=" + bar + "]"
		if v := b.Attr(sel, "data-cents"); v != w {
			t.Errorf("%s: %s = %q cents, want %q", when, bar, v, w)
		}
		width := Eval[float64](b, fmt.Sprintf(`document.querySelector(%s)?.getBoundingClientRect().width ?? -1`, jsString(sel)))
		if drawn := width > 0; drawn != (w != "0") {
			t.Errorf("%s: %s is %.1f px wide for %s cents", when, bar, width, w)
		}
	}
}
