package app_test

// The journeys of issue 12, each walked in the browser of the person who takes it, on a
// phone (360 px) and on a laptop (1280 px), asserting what that person sees: a visitor
// who becomes a funder, a porteuse who answers the requests of her to-do list, a
// contributor whose refused form stays in view.

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const journeyPass = "motdepasse-solide"

// TestE2EJourneyVisitorPledges: a visitor arrives on a commun's page (laptop) or a call's
// page (phone), follows « Soutenir cette étape » to the step's pledge page, which says
// its goal, how far it is, the call's matching rule and what a pledge would bring; asked
// to log in, they do so as a funder and come back to that page; they pledge, and the
// pledge's page, then /espace, tell them how to pay: payee, IBAN, reference.
func TestE2EJourneyVisitorPledges(t *testing.T) {
	t.Parallel()
	atEachScreen(t, func(t *testing.T, width, height int64) {
		a := apptest.Start(t)
		ctx := context.Background()
		coord := a.CreateUser(t, "Claire Coordination", "claire@example.org", journeyPass, fabrique.RoleCoordinator)
		funder := a.CreateUser(t, "Fanny Financeuse", "fanny@example.org", journeyPass, fabrique.RoleContributor)
		other := a.CreateUser(t, "Olga Mécène", "olga@example.org", journeyPass, fabrique.RoleContributor)
		sql := func(q string, args ...any) int64 {
			t.Helper()
			var id int64
			if err := a.SQL.QueryRow(ctx, q, args...).Scan(&id); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return id
		}
		commonsID := sql(`INSERT INTO commons (slug, name) VALUES ('dokos', 'Dokos') RETURNING id`)
		y, m, d := time.Now().In(parisZone()).Date()
		today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		step, err := a.DB.CreateStep(ctx, commonsID, coord, fabrique.Step{
			Title: "Module de réservation des machines", Goal: 4000_00,
			StartsOn: today, EndsOn: today.AddDate(0, 3, 0),
		})
		if err != nil {
			t.Fatal(err)
		}
		// An open call whose rule doubles what a particulier gives, with how to pay.
		callID := sql(`INSERT INTO calls (slug, title, starts_on, ends_on, pool, match_percent, match_kinds, created_by)
			VALUES ('appel-a-communs', 'Appel à communs', current_date - 10, current_date + 30, 1000000, 100, '{particulier}', $1) RETURNING id`, coord.ID)
		sql(`INSERT INTO call_steps (call_id, step_id) VALUES ($1, $2) RETURNING call_id`, callID, step.ID)
		if err := a.DB.SetCallPayment(ctx, coord, callID, fabrique.PaymentInstructions{
			Payee: "Compagnie des Tiers-Lieux", IBAN: "FR7630006000011234567890189", ReferencePrefix: "APPEL-2027"}); err != nil {
			t.Fatal(err)
		}
		// Both are funders already (a profile of particulier); Olga has promised 1 000 €.
		sql(`INSERT INTO funders (user_id, kind) VALUES ($1, 'particulier'), ($2, 'particulier') RETURNING user_id`, funder.ID, other.ID)
		if _, _, err := a.DB.CreatePledge(ctx, fabrique.NewPledge{StepID: step.ID, UserID: other.ID, Kind: "particulier",
			Amount: 1000_00, IdempotencyKey: "cle-de-test-olga", Today: today}); err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(step.ID, 10)
		stepPage := "/etapes/" + id + "/promesses/nouvelle"

		// The visitor finds the step on a commun's page, or on a call's.
		b := NewBrowserAt(t, a.URL(), width, height)
		entry, card := "/communs/dokos", fmt.Sprintf("[data-testid=step][data-step-id=%q]", id)
		if width < 800 {
			entry, card = "/cofinancement/appel-a-communs", fmt.Sprintf("[data-testid=call-step][data-id=%q]", id)
		}
		b.Open(entry, 200)
		b.Do("scroll to the step", chromedp.ScrollIntoView(chromedp.CSS(card+" [data-testid=support-step]")))
		b.Click("« Soutenir cette étape »", card+" [data-testid=support-step]", 200)
		if p := b.Path(); p != stepPage {
			t.Fatalf("« Soutenir cette étape » leads to %s, want %s", p, stepPage)
		}
		// What the step's page tells the visitor before anything is asked of them.
		if s := b.Text("[data-testid=pledge-step]"); !strings.Contains(s, "Module de réservation des machines") || !strings.Contains(s, "4 000,00 €") {
			t.Errorf("the step and its goal = %q, want the title and «4 000,00 €»", s)
		}
		if s := b.Text("[data-testid=pledge-step-figures]"); !strings.Contains(s, "1 000,00 €") {
			t.Errorf("how far the step is = %q, want Olga's 1 000,00 € promised", s)
		}
		if s := b.Text("[data-testid=pledge-rule]"); !strings.Contains(s, "1 € d’un particulier = 1 € de plus") {
			t.Errorf("the call's rule = %q, want «1 € d’un particulier = 1 € de plus»", s)
		}
		if s := b.Text("[data-testid=pledge-brings]"); !strings.Contains(s, "1 000,00 €") || !strings.Contains(s, "2 000,00 €") {
			t.Errorf("what a pledge brings = %q, want 1 000,00 € bringing 2 000,00 €", s)
		}
		if n := b.Count("form[data-testid=pledge-form]"); n != 0 {
			t.Errorf("a visitor is shown the pledge form")
		}
		if width < 800 {
			checkNoOverflow(t, b, stepPage+" (visitor)", int(width))
		}

		// Asked to log in, they do; the login brings them back to the step.
		b.Click("log in to pledge", "main [data-testid=pledge-login] a", 200)
		if p := b.Path(); p != "/connexion?suivant="+url.QueryEscape(stepPage) {
			t.Errorf("the login to pledge is at %s", p)
		}
		b.Fill([2]string{"email", "fanny@example.org"}, [2]string{"password", journeyPass})
		b.Submit("log in as the funder", `form[action="/connexion"]`, 200)
		if p := b.Path(); p != stepPage {
			t.Fatalf("after the login: at %s, want back at %s", p, stepPage)
		}
		if n := b.Count("header [data-testid=logout]"); n != 1 {
			t.Errorf("not logged in after the login form")
		}

		// The pledge, with its form.
		form := fmt.Sprintf("form[data-testid=pledge-form][data-step-id=%q]", id)
		b.FillForm(form, [2]string{"amount", "500"}, [2]string{"message", "Bon courage à l’équipe."})
		b.Submit("pledge 500 €", form, 200)
		p := b.Path()
		pledgeID, ok := strings.CutPrefix(p, "/promesses/")
		if !ok {
			t.Fatalf("after pledging: at %s, want the pledge's page", p)
		}
		how := map[string]string{
			"[data-testid=payment-payee]":     "Compagnie des Tiers-Lieux",
			"[data-testid=payment-iban]":      "FR76 3000 6000 0112 3456 7890 189",
			"[data-testid=payment-reference]": "APPEL-2027-" + pledgeID,
		}
		checkTexts(t, b, "the pledge's page", how)
		if s := b.Text("[data-testid=pledge]"); !strings.Contains(s, "500,00 €") {
			t.Errorf("the pledge's page = %q, want its 500,00 €", s)
		}
		if width < 800 {
			checkNoOverflow(t, b, p, int(width))
		}

		// /espace lists the pledge, and how to pay it once asked.
		b.Open("/espace", 200)
		mine := fmt.Sprintf("main [data-testid=pledge][data-id=%q]", pledgeID)
		if s := b.Text(mine); !strings.Contains(s, "500,00 €") || !strings.Contains(s, "Module de réservation des machines") {
			t.Errorf("the pledge in /espace = %q, want its step and 500,00 €", s)
		}
		if st := b.Attr(mine, "data-state"); st != fabrique.PledgePromise {
			t.Errorf("the pledge in /espace is in state %q, want %q", st, fabrique.PledgePromise)
		}
		b.Do("open how to pay", chromedp.Click(chromedp.CSS(mine+" [data-testid=pledge-payment] > summary"), chromedp.NodeVisible))
		scoped := map[string]string{}
		for sel, want := range how {
			scoped[mine+" "+sel] = want
		}
		checkTexts(t, b, "/espace", scoped)
		if width < 800 {
			checkNoOverflow(t, b, "/espace (funder)", int(width))
		}
	})
}

// TestE2EJourneyPorteuseAnswersRequests: two people ask to join a porteuse's défi. In
// /espace, « À faire » comes first and lists both; she accepts one from there and comes
// back to it; she follows the other to the défi's page and refuses it, which asks first,
// without JavaScript. The accepted person is in the team on the défi's page, and her
// to-do list is empty.
func TestE2EJourneyPorteuseAnswersRequests(t *testing.T) {
	t.Parallel()
	atEachScreen(t, func(t *testing.T, width, height int64) {
		a := apptest.Start(t)
		ctx := context.Background()
		alice := a.CreateUser(t, "Alice Martin", "alice@example.org", journeyPass, fabrique.RoleContributor)
		bruno := a.CreateUser(t, "Bruno Petit", "bruno@example.org", journeyPass, fabrique.RoleContributor)
		carol := a.CreateUser(t, "Carole Lenoir", "carole@example.org", journeyPass, fabrique.RoleContributor)
		c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{
			Title:   "Réseau des fablabs",
			Summary: "Relier les fablabs des tiers-lieux pour partager machines et savoir-faire.",
			Problem: "Les fablabs travaillent chacun de leur côté.",
		}, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		const brunoSays = "Je gère le fablab de Ploërmel, je peux aider."
		if err := a.DB.RequestToJoin(ctx, c.ID, bruno.ID, brunoSays); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.RequestToJoin(ctx, c.ID, carol.ID, "Je découvre."); err != nil {
			t.Fatal(err)
		}
		page := "/defis/" + c.Slug
		item := func(u *fabrique.User) string {
			return fmt.Sprintf("[data-testid=todo-join][data-user=%q]", strconv.FormatInt(u.ID, 10))
		}

		lead := NewBrowserAt(t, a.URL(), width, height)
		lead.Login("alice@example.org", journeyPass)
		lead.Open("/espace", 200)
		if first := Eval[string](lead, `document.querySelector("main section")?.dataset.testid ?? ""`); first != "todo" {
			t.Errorf("the first section of /espace is %q, want « À faire »", first)
		}
		if !lead.InView("[data-testid=todo] h2") {
			t.Errorf("« À faire » is not in view when /espace opens")
		}
		if n := lead.Count("[data-testid=todo-join]"); n != 2 {
			t.Errorf("%d requests to answer in « À faire », want 2", n)
		}
		if s := lead.Text(item(bruno)); !strings.Contains(s, "Bruno Petit") || !strings.Contains(s, brunoSays) {
			t.Errorf("Bruno's request = %q, want his name and message", s)
		}
		if width < 800 {
			checkNoOverflow(t, lead, "/espace (porteuse)", int(width))
		}

		// She accepts Bruno from there, and is back in /espace.
		clickAction(t, lead, "accept Bruno", item(bruno), `form[action$="/accepter"] button[type=submit]`, false)
		if p := lead.Path(); p != "/espace" {
			t.Errorf("after accepting from /espace: at %s, want /espace", p)
		}
		if f := lead.Text("[data-testid=flash]"); !strings.Contains(f, "Demande acceptée") {
			t.Errorf("flash after accepting = %q", f)
		}
		if n := lead.Count(item(bruno)); n != 0 {
			t.Errorf("Bruno's request is still to answer after accepting it")
		}

		// She follows Carole's request to the défi's page, where the requests are in view,
		// and refuses it: the question comes first.
		lead.Click("see Carole's request on the défi's page", item(carol)+` a[href*="/defis/"]`, 200)
		if p := lead.Path(); p != page {
			t.Errorf("the link of Carole's request leads to %s, want %s", p, page)
		}
		request := fmt.Sprintf("[data-testid=join-request][data-user-id='%d']", carol.ID)
		if !lead.InView("#titre-demandes") {
			t.Errorf("the pending requests are not in view on arriving at the défi's page")
		}
		clickAction(t, lead, "refuse Carole", request, `form[action$="/refuser"] button[type=submit]`, true)
		if f := lead.Text("[data-testid=flash]"); !strings.Contains(f, "Demande refusée") {
			t.Errorf("flash after refusing = %q", f)
		}

		// Bruno is in the team, Carole is not, and nothing waits any more.
		lead.Open(page, 200)
		member := fmt.Sprintf("[data-testid=team] [data-testid=team-member][data-user-id='%d']", bruno.ID)
		if s := lead.Text(member); !strings.Contains(s, "Bruno Petit") {
			t.Errorf("Bruno in the team = %q", s)
		}
		if r := lead.Attr(member, "data-role"); r != fabrique.TeamMember {
			t.Errorf("Bruno's role = %q, want %q", r, fabrique.TeamMember)
		}
		if n := lead.Count(fmt.Sprintf("[data-testid=team-member][data-user-id='%d'], [data-testid=join-request]", carol.ID)); n != 0 {
			t.Errorf("Carole is still in the team or waiting")
		}
		lead.Open("/espace", 200)
		if n := lead.Count("[data-testid=todo-join]"); n != 0 {
			t.Errorf("%d requests still in « À faire »", n)
		}
		if s := lead.Text("[data-testid=todo-empty]"); s == "" {
			t.Errorf("« À faire » does not say that nothing waits")
		}
	})
}

// TestE2EJourneyContributorFixesForm: a team member logs days with a wrong number and a
// date to come. The défi's long page comes back with the error summary focused and in
// view, each field's error beside it, what was typed kept; fixed, the contribution is
// recorded and listed in their space.
func TestE2EJourneyContributorFixesForm(t *testing.T) {
	t.Parallel()
	atEachScreen(t, func(t *testing.T, width, height int64) {
		a := apptest.Start(t)
		ctx := context.Background()
		alice := a.CreateUser(t, "Alice Martin", "alice@example.org", journeyPass, fabrique.RoleContributor)
		bruno := a.CreateUser(t, "Bruno Petit", "bruno@example.org", journeyPass, fabrique.RoleContributor)
		c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{
			Title:   "Réseau des fablabs",
			Summary: "Relier les fablabs des tiers-lieux pour partager machines et savoir-faire.",
			Problem: "Les fablabs travaillent chacun de leur côté.",
		}, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.DB.RequestToJoin(ctx, c.ID, bruno.ID, "Je peux aider."); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.DecideJoinRequest(ctx, c.ID, alice, bruno.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.ChangeStatus(ctx, c.ID, alice, fabrique.StatusTeam, "Nous sommes deux."); err != nil {
			t.Fatal(err)
		}
		page := "/defis/" + c.Slug
		const form = "form[data-testid=contribution-form]"
		const description = "Recensement des machines de six fablabs."

		b := NewBrowserAt(t, a.URL(), width, height)
		b.Login("bruno@example.org", journeyPass)
		b.Open(page, 200)
		nextMonth := time.Now().In(parisZone()).AddDate(0, 1, 0).Format(time.DateOnly)
		b.SetValue(form, "date", nextMonth)
		b.FillForm(form, [2]string{"days", "deux"}, [2]string{"description", description})
		b.Submit("log « deux » days next month", form, 422)
		checkErrorSummaryInView(t, b, "a refused contribution")
		for _, field := range []string{"date", "days"} {
			sel := fmt.Sprintf("%s [data-testid=field-%s] [data-testid=error-%s]", form, field, field)
			if s := b.Text(sel); s == "" {
				t.Errorf("no error beside the %s field", field)
			}
		}
		if n := b.Count(form + " [data-testid^=error-]"); n != 2 {
			t.Errorf("%d field errors, want 2 (date and days)", n)
		}
		if v := Eval[string](b, fmt.Sprintf(`document.querySelector(%s).value`, jsString(form+" [name=description]"))); v != description {
			t.Errorf("the description typed = %q after the refusal, want it kept", v)
		}
		if width < 800 {
			checkNoOverflow(t, b, page+" (refused contribution)", int(width))
		}
		if n, err := a.DB.LedgerTotal(ctx); err != nil || n != 0 {
			t.Errorf("ledger total = %d (%v), want 0", n, err)
		}

		// Fixed, it is recorded: on the défi's page and in their space.
		today := time.Now().In(parisZone()).Format(time.DateOnly)
		b.SetValue(form, "date", today)
		b.FillForm(form, [2]string{"days", "1,5"})
		b.Submit("log 1,5 days today", form, 200)
		if p := b.Path(); p != page {
			t.Errorf("after logging the days: at %s, want %s", p, page)
		}
		if n := b.Count("[data-testid=form-errors]"); n != 0 {
			t.Errorf("the error summary is still shown after the fix")
		}
		b.Open("/espace", 200)
		mine := "[data-testid=my-contributions] [data-testid=contribution]"
		if n := b.Count(mine); n != 1 {
			t.Fatalf("%d contributions in /espace, want 1", n)
		}
		if s := b.Text(mine); !strings.Contains(s, "1,5 jour") || !strings.Contains(s, "Réseau des fablabs") {
			t.Errorf("the contribution in /espace = %q, want 1,5 jours on Réseau des fablabs", s)
		}
		if st := b.Attr(mine, "data-state"); st != fabrique.ContributionDeclared {
			t.Errorf("its state = %q, want %q", st, fabrique.ContributionDeclared)
		}
	})
}

// clickAction clicks the button matched by button inside the element matched by scope
// and waits for the page it loads (200 after its redirect). When the button sits in a
// question asked first (components.Confirm, a <details>), it checks the button is hidden
// until the question is opened, and opens it as a person would, without JavaScript;
// mustAsk fails the test when an irreversible action asks no question.
func clickAction(t *testing.T, b *Browser, what, scope, button string, mustAsk bool) {
	t.Helper()
	sel := scope + " " + button
	if b.Count(sel) != 1 {
		b.fail(what, fmt.Errorf("%d buttons %s, want 1", b.Count(sel), sel))
	}
	asked := Eval[bool](b, fmt.Sprintf(`!!document.querySelector(%s).closest("details[data-testid=confirm]")`, jsString(sel)))
	if mustAsk && !asked {
		t.Errorf("%s: the action is taken without a question first", what)
	}
	if asked {
		if Eval[bool](b, fmt.Sprintf(`document.querySelector(%s).checkVisibility()`, jsString(sel))) {
			t.Errorf("%s: the button acts before its question is opened", what)
		}
		b.Do(what+": open the question", chromedp.Click(chromedp.CSS(scope+" details[data-testid=confirm] > summary"), chromedp.NodeVisible))
		if s := b.Text(scope + " details[data-testid=confirm] .confirm-panel p"); !strings.Contains(s, "?") {
			t.Errorf("%s: the question = %q", what, s)
		}
	}
	b.Click(what, sel, 200)
}
