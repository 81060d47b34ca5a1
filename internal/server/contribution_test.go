package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const lootPass = "motdepasse-solide"

// lootApp is a running platform with a défi in préfiguration and one person per role:
// its porteur, two team members (the author of the contributions and another), a
// coordinator outside the team, a contributor outside the team, and a visitor.
type lootApp struct {
	a                                        *apptest.App
	c                                        *fabrique.Challenge
	lead, author, member, coord, contributor *fabrique.User
	clients                                  map[string]*apptest.Client
}

// Roles of the authorisation table.
var lootRoles = []string{"anonymous", "contributor", "member", "author", "lead", "coordinator"}

// startLoot starts the app, sets the défi up and grants it budget cents (none when 0).
func startLoot(tb testing.TB, budget int64, opts ...apptest.Option) *lootApp {
	tb.Helper()
	a := apptest.Start(tb, opts...)
	l := &lootApp{a: a,
		lead:        a.CreateUser(tb, "Léa Porteuse", "lea@example.org", lootPass, fabrique.RoleContributor),
		author:      a.CreateUser(tb, "Marc Auteur", "marc@example.org", lootPass, fabrique.RoleContributor),
		member:      a.CreateUser(tb, "Nina Membre", "nina@example.org", lootPass, fabrique.RoleContributor),
		coord:       a.CreateUser(tb, "Camille Coord", "camille@example.org", lootPass, fabrique.RoleCoordinator),
		contributor: a.CreateUser(tb, "Omar Dehors", "omar@example.org", lootPass, fabrique.RoleContributor),
	}
	l.c = mustCreateChallenge(tb, a, l.lead.ID, "Cantine partagée")
	for _, u := range []*fabrique.User{l.author, l.member} {
		lootExec(tb, a, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())`, l.c.ID, u.ID)
	}
	lootExec(tb, a, `UPDATE challenges SET status = 'prefiguration' WHERE id = $1`, l.c.ID)
	if budget > 0 {
		l.grant(tb, budget)
	}
	l.clients = map[string]*apptest.Client{"anonymous": a.Client(tb)}
	for role, u := range map[string]*fabrique.User{"contributor": l.contributor, "member": l.member, "author": l.author, "lead": l.lead, "coordinator": l.coord} {
		cl := a.Client(tb)
		cl.Login(u.Email, lootPass)
		l.clients[role] = cl
	}
	return l
}

func lootExec(tb testing.TB, a *apptest.App, sql string, args ...any) {
	tb.Helper()
	if _, err := a.SQL.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("exec %q: %v", sql, err)
	}
}

// grant funds the 2026 seed fund and grants cents of it to the défi, as the seed-request
// decision does.
func (l *lootApp) grant(tb testing.TB, cents int64) {
	tb.Helper()
	ctx := context.Background()
	out := fabrique.AccountRef{Kind: fabrique.AccountOutside}
	fund := fabrique.AccountRef{Kind: fabrique.AccountSeedFund, Year: 2026}
	budget := fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: l.c.ID}
	if _, err := l.a.DB.Post(ctx, fabrique.Movement{Kind: fabrique.TxFundAllocation, Amount: cents, From: out, To: fund, CauseType: "seed_fund"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := l.a.DB.Post(ctx, fabrique.Movement{Kind: fabrique.TxSeedGrant, Amount: cents, From: fund, To: budget, CauseType: "seed_request"}); err != nil {
		tb.Fatal(err)
	}
}

// declare records quarters of work by u directly in the store.
func (l *lootApp) declare(tb testing.TB, u *fabrique.User, quarters int, volunteer bool) int64 {
	tb.Helper()
	rec, err := l.a.DB.CreateContribution(context.Background(), l.c.ID, u.ID, fabrique.Contribution{
		WorkedOn: time.Now().UTC().AddDate(0, 0, -3), Quarters: quarters, Activity: "documentation",
		Description: "Le guide d’accueil.", Volunteer: volunteer})
	if err != nil {
		tb.Fatalf("declare: %v", err)
	}
	return rec.ID
}

// validated declares a day by the author and has the porteur validate it.
func (l *lootApp) validated(tb testing.TB, quarters int) int64 {
	tb.Helper()
	id := l.declare(tb, l.author, quarters, false)
	if _, _, err := l.a.DB.ValidateContribution(context.Background(), id, l.lead); err != nil {
		tb.Fatalf("validate: %v", err)
	}
	return id
}

func (l *lootApp) state(tb testing.TB, id int64) string {
	tb.Helper()
	rec, err := l.a.DB.ContributionByID(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return rec.State
}

func lootLedgerZero(tb testing.TB, a *apptest.App) {
	tb.Helper()
	if total, err := a.DB.LedgerTotal(context.Background()); err != nil || total != 0 {
		tb.Errorf("ledger total: got %d (%v), want 0", total, err)
	}
}

func contribPath(id int64, action string) string {
	return "/contributions/" + strconv.FormatInt(id, 10) + "/" + action
}

func lootToday() string { return time.Now().UTC().Format(time.DateOnly) }

func contributionFormValues(days string) url.Values {
	return url.Values{"date": {lootToday()}, "days": {days}, "activity": {"developpement"}, "description": {"Le module de réservation."}}
}

// TestContributionAuthorisation walks every contribution route × role.
func TestContributionAuthorisation(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 3000_00)
	login := "/connexion"
	type route struct {
		name  string
		setup func(t *testing.T) (method, path string, form url.Values)
		want  map[string]int // by role; 303 to /connexion for anonymous is checked apart
	}
	decide := map[string]int{"contributor": 403, "member": 403, "author": 403, "lead": 303, "coordinator": 303}
	coordOnly := map[string]int{"contributor": 403, "member": 403, "author": 403, "lead": 403, "coordinator": 200}
	everyone := map[string]int{"anonymous": 200, "contributor": 200, "member": 200, "author": 200, "lead": 200, "coordinator": 200}
	routes := []route{
		{"declare", func(t *testing.T) (string, string, url.Values) {
			return http.MethodPost, "/defis/" + l.c.Slug + "/contributions", contributionFormValues("1")
		}, map[string]int{"contributor": 403, "member": 303, "author": 303, "lead": 303, "coordinator": 403}},
		{"validate", func(t *testing.T) (string, string, url.Values) {
			return http.MethodPost, contribPath(l.declare(t, l.author, 1, false), "valider"), url.Values{}
		}, decide},
		{"refuse", func(t *testing.T) (string, string, url.Values) {
			return http.MethodPost, contribPath(l.declare(t, l.author, 1, false), "refuser"), url.Values{"reason": {"Hors sujet."}}
		}, decide},
		{"pay", func(t *testing.T) (string, string, url.Values) {
			return http.MethodPost, contribPath(l.validated(t, 1), "payer"), url.Values{"reference": {"VIR-1"}, "paid_on": {lootToday()}}
		}, map[string]int{"contributor": 403, "member": 403, "author": 403, "lead": 403, "coordinator": 303}},
		{"payments", func(t *testing.T) (string, string, url.Values) { return http.MethodGet, "/coordination/paiements", nil }, coordOnly},
		{"payments csv", func(t *testing.T) (string, string, url.Values) {
			return http.MethodGet, "/coordination/paiements.csv", nil
		}, coordOnly},
		{"my contributions", func(t *testing.T) (string, string, url.Values) { return http.MethodGet, "/espace/contributions", nil },
			map[string]int{"contributor": 200, "member": 200, "author": 200, "lead": 200, "coordinator": 200}},
		{"défi contributions", func(t *testing.T) (string, string, url.Values) {
			return http.MethodGet, "/defis/" + l.c.Slug + "/contributions", nil
		}, everyone},
		{"one contribution", func(t *testing.T) (string, string, url.Values) {
			return http.MethodGet, "/contributions/" + strconv.FormatInt(l.declare(t, l.author, 1, false), 10), nil
		}, everyone},
	}
	for _, rt := range routes {
		for _, role := range lootRoles {
			t.Run(rt.name+"/"+role, func(t *testing.T) {
				method, path, form := rt.setup(t)
				cl := l.clients[role]
				var r *apptest.Response
				if method == http.MethodGet {
					r = cl.Get(path)
				} else {
					r = cl.Post(path, form)
				}
				want, ok := rt.want[role]
				if !ok { // anonymous on a logged-in route
					wantStatus(t, r, http.StatusSeeOther)
					if !strings.HasPrefix(r.Location(), login) {
						t.Errorf("got Location %q, want %s", r.Location(), login)
					}
					return
				}
				wantStatus(t, r, want)
			})
		}
	}
	// The author is never their own validator, not even as porteur or coordinator.
	for _, u := range []*fabrique.User{l.lead, l.coord} {
		if u == l.coord {
			lootExec(t, l.a, `INSERT INTO challenge_members (challenge_id, user_id, role, state) VALUES ($1, $2, 'member', 'accepted')`, l.c.ID, u.ID)
		}
		id := l.declare(t, u, 4, false)
		role := map[*fabrique.User]string{l.lead: "lead", l.coord: "coordinator"}[u]
		wantStatus(t, l.clients[role].Post(contribPath(id, "valider"), nil), http.StatusForbidden)
		wantStatus(t, l.clients[role].Post(contribPath(id, "refuser"), url.Values{"reason": {"Non."}}), http.StatusForbidden)
		if got := l.state(t, id); got != fabrique.ContributionDeclared {
			t.Errorf("own contribution of %s: got state %s, want declaree", role, got)
		}
	}
	r := l.clients["coordinator"].Post("/contributions/999999/valider", nil)
	wantStatus(t, r, http.StatusNotFound)
	wantStatus(t, l.clients["coordinator"].Post("/contributions/abc/payer", nil), http.StatusNotFound)
	wantStatus(t, l.clients["anonymous"].Get("/contributions/999999"), http.StatusNotFound)
	wantStatus(t, l.clients["member"].Post("/defis/n-existe-pas/contributions", contributionFormValues("1")), http.StatusNotFound)
	lootLedgerZero(t, l.a)
}

func TestContributionCreate(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	cl := l.clients["author"]
	tests := []struct {
		days     string
		quarters int
		amount   int64
		shown    string
	}{
		{"2", 8, 46000, "460,00 €"},
		{"1", 4, 23000, "230,00 €"},
		{"0,5", 2, 11500, "115,00 €"},
		{"1.25", 5, 28750, "287,50 €"},
	}
	for _, tt := range tests {
		r := cl.Post("/defis/"+l.c.Slug+"/contributions", contributionFormValues(tt.days))
		wantRedirect(t, r, "/defis/"+l.c.Slug+"#contributions")
		var quarters int
		var amount, rate int64
		if err := l.a.SQL.QueryRow(context.Background(),
			`SELECT quarters, amount, day_rate FROM contributions ORDER BY id DESC LIMIT 1`).Scan(&quarters, &amount, &rate); err != nil {
			t.Fatal(err)
		}
		if quarters != tt.quarters || amount != tt.amount || rate != 23000 {
			t.Errorf("days %q: got %d quarters, %d cents at %d; want %d, %d at 23000", tt.days, quarters, amount, rate, tt.quarters, tt.amount)
		}
	}
	// Volunteer: counted, not paid.
	form := contributionFormValues("1,5")
	form.Set("benevole", "on")
	wantStatus(t, cl.Post("/defis/"+l.c.Slug+"/contributions", form), http.StatusSeeOther)

	r := cl.Get("/defis/" + l.c.Slug + "/contributions")
	wantStatus(t, r, http.StatusOK)
	items := r.Doc.Find("[data-testid=contributions] [data-testid=contribution]")
	if items.Length() != 5 {
		t.Fatalf("got %d contributions listed, want 5", items.Length())
	}
	// The latest first: same date, so by id.
	first, last := items.First(), items.Eq(4)
	if got := strings.TrimSpace(first.Find("[data-testid=contribution-amount]").Text()); got != "Bénévole" {
		t.Errorf("volunteer amount: got %q, want Bénévole", got)
	}
	if got := strings.TrimSpace(first.Find("[data-testid=contribution-days]").Text()); got != "1,5 jour" {
		t.Errorf("volunteer days: got %q, want 1,5 jour", got)
	}
	if got := strings.TrimSpace(last.Find("[data-testid=contribution-amount]").Text()); got != "460,00 €" {
		t.Errorf("2 days at 230 €: got %q, want 460,00 €", got)
	}
	if got := strings.TrimSpace(last.Find("[data-testid=contribution-days]").Text()); got != "2 jours" {
		t.Errorf("days: got %q, want 2 jours", got)
	}
	if got := strings.TrimSpace(last.Find("[data-testid=contribution-state]").Text()); got != "Déclarée" {
		t.Errorf("state: got %q, want Déclarée", got)
	}
	if got := text(r, "[data-testid=budget-declared]"); got != "1 092,50 €" {
		t.Errorf("declared: got %q, want 1 092,50 €", got)
	}
	if got := text(r, "[data-testid=budget-day-rate]"); got != "230,00 € HT" {
		t.Errorf("day rate: got %q, want 230,00 € HT", got)
	}
	if got := text(r, "[data-testid=member-volunteer-days]"); got != "1,5 jour" {
		t.Errorf("member volunteer days: got %q, want 1,5 jour", got)
	}
	if got := text(r, "[data-testid=member-paid-days]"); got != "4,75 jours" {
		t.Errorf("member paid days: got %q, want 4,75 jours", got)
	}
	// The phone-first form: today's date, a decimal keypad for the days.
	if got := r.Doc.Find(`[data-testid=contribution-form] input[name=days]`).AttrOr("inputmode", ""); got != "decimal" {
		t.Errorf("days inputmode: got %q, want decimal", got)
	}
	if got := r.Doc.Find(`[data-testid=contribution-form] input[name=date]`).AttrOr("value", ""); got == "" {
		t.Errorf("date: got no default, want today")
	}
	if got := r.Doc.Find(`[data-testid=contribution-form] select[name=activity] option`).Length(); got != len(fabrique.Activities) {
		t.Errorf("activities: got %d options, want %d", got, len(fabrique.Activities))
	}
	// People outside the team see the list, not the form.
	r = l.clients["contributor"].Get("/defis/" + l.c.Slug + "/contributions")
	if n := r.Doc.Find("[data-testid=contribution-form]").Length(); n != 0 {
		t.Errorf("outsider: got %d forms, want 0", n)
	}
}

func TestContributionCreateInvalid(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	cl := l.clients["author"]
	future := time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly)
	tests := []struct {
		name, field, value, wantField string
	}{
		{"zero days", "days", "0", "days"},
		{"negative days", "days", "-1", "days"},
		{"not a quarter", "days", "0,3", "days"},
		{"too many days", "days", "32", "days"},
		{"letters", "days", "abc", "days"},
		{"no days", "days", "", "days"},
		{"future date", "date", future, "date"},
		{"before 2020", "date", "2019-12-31", "date"},
		{"French date", "date", "14/03/2026", "date"},
		{"no date", "date", "", "date"},
		{"unknown activity", "activity", "peche", "activity"},
		{"no activity", "activity", "", "activity"},
		{"long description", "description", strings.Repeat("é", 2001), "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := contributionFormValues("1")
			form.Set(tt.field, tt.value)
			r := cl.Post("/defis/"+l.c.Slug+"/contributions", form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if n := r.Doc.Find("[data-testid=error-" + tt.wantField + "]").Length(); n != 1 {
				t.Errorf("got %d errors on %s, want 1; errors: %q", n, tt.wantField, text(r, ".field-error"))
			}
			if n := r.Doc.Find(".field-error").Length(); n != 1 {
				t.Errorf("got %d field errors, want only the one on %s: %q", n, tt.wantField, text(r, ".field-error"))
			}
			// The form is re-rendered with what was typed.
			if tt.field == "days" {
				if got := r.Doc.Find("[data-testid=contribution-form] input[name=days]").AttrOr("value", "?"); got != tt.value {
					t.Errorf("days kept: got %q, want %q", got, tt.value)
				}
			}
		})
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM contributions`); n != 0 {
		t.Errorf("got %d contributions written, want 0", n)
	}

	// A défi without a team, or closed, takes no contribution: 422, nothing written.
	for _, status := range []string{"identifie", "clos"} {
		lootExec(t, l.a, `UPDATE challenges SET status = $2 WHERE id = $1`, l.c.ID, status)
		r := l.clients["lead"].Post("/defis/"+l.c.Slug+"/contributions", contributionFormValues("1"))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "ne reçoit pas de contributions") {
			t.Errorf("%s: got message %q", status, got)
		}
	}
}

func TestContributionValidateAndPayFlow(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 1000_00)
	ctx := context.Background()
	wantStatus(t, l.clients["author"].Post("/defis/"+l.c.Slug+"/contributions", contributionFormValues("2")), http.StatusSeeOther)
	var id int64
	if err := l.a.SQL.QueryRow(ctx, `SELECT id FROM contributions`).Scan(&id); err != nil {
		t.Fatal(err)
	}

	// The porteur sees a validate form with the exact path, and the author does not.
	page := "/defis/" + l.c.Slug + "/contributions"
	r := l.clients["lead"].Get(page)
	if n := r.Doc.Find(`form[action="` + contribPath(id, "valider") + `"]`).Length(); n != 1 {
		t.Errorf("porteur: got %d validate forms, want 1", n)
	}
	if n := r.Doc.Find(`form[action="` + contribPath(id, "payer") + `"]`).Length(); n != 0 {
		t.Errorf("porteur: got %d pay forms, want 0", n)
	}
	r = l.clients["author"].Get(page)
	if n := r.Doc.Find(`[data-testid=contribution-actions]`).Length(); n != 0 {
		t.Errorf("author: got %d action blocks, want 0", n)
	}

	r = l.clients["lead"].Post(contribPath(id, "valider"), url.Values{"suivant": {page}})
	wantRedirect(t, r, page)
	r = l.clients["lead"].Follow(r)
	if got := text(r, "[data-testid=budget-committed]"); got != "460,00 €" {
		t.Errorf("committed: got %q, want 460,00 €", got)
	}
	if got := text(r, "[data-testid=budget-remaining]"); got != "540,00 €" {
		t.Errorf("remaining: got %q, want 540,00 €", got)
	}
	if got := text(r, ".flash"); !strings.Contains(got, "Contribution validée") {
		t.Errorf("flash: got %q", got)
	}
	// Validating again changes nothing and says so.
	r = l.clients["coordinator"].Post(contribPath(id, "valider"), nil)
	wantRedirect(t, r, "/defis/"+l.c.Slug+"#contributions")

	r = l.clients["coordinator"].Get(page)
	if n := r.Doc.Find(`form[action="` + contribPath(id, "payer") + `"] input[name=reference]`).Length(); n != 1 {
		t.Errorf("coordinator: got %d pay forms with a reference, want 1", n)
	}
	r = l.clients["coordinator"].Post(contribPath(id, "payer"), url.Values{"reference": {"VIR 2026-04 Marc"}, "paid_on": {"2026-04-02"}})
	wantRedirect(t, r, "/defis/"+l.c.Slug+"#contributions")
	r = l.clients["coordinator"].Get(page)
	for sel, want := range map[string]string{
		"[data-testid=budget-budgeted]":                               "1 000,00 €",
		"[data-testid=budget-committed]":                              "0,00 €",
		"[data-testid=budget-paid]":                                   "460,00 €",
		"[data-testid=budget-remaining]":                              "540,00 €",
		"[data-testid=member-paid-days]":                              "2 jours",
		"[data-testid=member-paid-amount]":                            "460,00 €",
		"[data-testid=contribution] [data-testid=contribution-state]": "Payée",
	} {
		if got := text(r, sel); got != want {
			t.Errorf("%s: got %q, want %q", sel, got, want)
		}
	}
	if got := text(r, "[data-testid=contribution-paid]"); !strings.Contains(got, "2 avril 2026") || !strings.Contains(got, "VIR 2026-04 Marc") {
		t.Errorf("paid line: got %q", got)
	}
	if bal, _ := l.a.DB.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountOutside}); bal != -1000_00+460_00 {
		t.Errorf("outside balance: got %d, want %d", bal, -1000_00+460_00)
	}
	// Paid twice: one movement, and the second click is told.
	r = l.clients["coordinator"].Post(contribPath(id, "payer"), url.Values{"reference": {"VIR-bis"}})
	wantStatus(t, r, http.StatusSeeOther)
	if got := text(l.clients["coordinator"].Follow(r), ".flash"); !strings.Contains(got, "déjà payée") {
		t.Errorf("second payment flash: got %q", got)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'`); n != 1 {
		t.Errorf("got %d payments in the ledger, want 1", n)
	}
	// A paid contribution cannot be refused.
	wantStatus(t, l.clients["lead"].Post(contribPath(id, "refuser"), url.Values{"reason": {"Trop tard."}}), http.StatusConflict)
	// The author follows it in their space.
	r = l.clients["author"].Get("/espace/contributions")
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=total-paid]"); got != "460,00 €" {
		t.Errorf("my paid total: got %q, want 460,00 €", got)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM audit_log WHERE target_type = 'contribution' AND target_id = $1`, id); n != 2 {
		t.Errorf("audit: got %d decisions, want 2 (validation, payment)", n)
	}
	lootLedgerZero(t, l.a)
}

func TestContributionDecisionsInvalid(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 230_00)
	lead, coord := l.clients["lead"], l.clients["coordinator"]

	// Over budget: 2 days on a 230 € budget.
	big := l.declare(t, l.author, 8, false)
	r := lead.Post(contribPath(big, "valider"), nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "budget d’amorçage restant ne couvre pas") {
		t.Errorf("over budget: got %q", got)
	}
	if got := text(r, "[data-testid=budget-remaining]"); !strings.Contains(got, "230,00 €") {
		t.Errorf("remaining shown: got %q", got)
	}
	if got := l.state(t, big); got != fabrique.ContributionDeclared {
		t.Errorf("over budget: got state %s, want declaree", got)
	}
	// A refusal needs a reason.
	for _, reason := range []string{"", "   ", strings.Repeat("x", 2001)} {
		r = lead.Post(contribPath(big, "refuser"), url.Values{"reason": {reason}, "suivant": {"/coordination/paiements"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if n := r.Doc.Find("[data-testid=error-reason]").Length(); n != 1 {
			t.Errorf("reason %.10q: got %d errors, want 1", reason, n)
		}
		// The form keeps where to go back to.
		if got := r.Doc.Find(`form[action="`+contribPath(big, "refuser")+`"] input[name=suivant]`).AttrOr("value", ""); got != "/coordination/paiements" {
			t.Errorf("suivant kept: got %q", got)
		}
	}
	if got := l.state(t, big); got != fabrique.ContributionDeclared {
		t.Errorf("after bad refusals: got state %s, want declaree", got)
	}
	// Payments: a reference, a date that is not in the future, validated paid work only.
	valid := l.validated(t, 4)
	future := time.Now().UTC().AddDate(0, 0, 2).Format(time.DateOnly)
	for _, tt := range []struct{ reference, paidOn, field string }{
		{"", lootToday(), "reference"},
		{strings.Repeat("R", 101), lootToday(), "reference"},
		{"VIR-1", future, "paid_on"},
		{"VIR-1", "2019-06-01", "paid_on"},
		{"VIR-1", "demain", "paid_on"},
	} {
		r = coord.Post(contribPath(valid, "payer"), url.Values{"reference": {tt.reference}, "paid_on": {tt.paidOn}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if n := r.Doc.Find("[data-testid=error-" + tt.field + "]").Length(); n != 1 {
			t.Errorf("reference %.10q, paid_on %q: got %d errors on %s, want 1", tt.reference, tt.paidOn, n, tt.field)
		}
	}
	r = coord.Post(contribPath(big, "payer"), url.Values{"reference": {"VIR-1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity) // declared, not validated
	vol := l.declare(t, l.author, 4, true)
	wantStatus(t, lead.Post(contribPath(vol, "valider"), nil), http.StatusSeeOther) // no money needed
	r = coord.Post(contribPath(vol, "payer"), url.Values{"reference": {"VIR-1"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "bénévole") {
		t.Errorf("volunteer payment: got %q", got)
	}
	wantStatus(t, lead.Post(contribPath(big, "refuser"), url.Values{"reason": {"Deux jours, c’est trop."}}), http.StatusSeeOther)
	wantStatus(t, coord.Post(contribPath(big, "payer"), url.Values{"reference": {"VIR-1"}}), http.StatusConflict)
	wantStatus(t, lead.Post(contribPath(big, "valider"), nil), http.StatusConflict)
	if n := countRows(t, l.a, `SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'`); n != 0 {
		t.Errorf("got %d payments, want 0", n)
	}
	// The author reads the reason.
	r = l.clients["author"].Get("/espace/contributions")
	if got := text(r, "[data-testid=contribution-reason]"); !strings.Contains(got, "Deux jours, c’est trop.") {
		t.Errorf("reason shown to the author: got %q", got)
	}
	lootLedgerZero(t, l.a)
}

// Budget 460 €, five contributions of one day validated at once: exactly two pass.
func TestContributionValidateConcurrentHTTP(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 460_00)
	var ids []int64
	for range 5 {
		ids = append(ids, l.declare(t, l.author, 4, false))
	}
	codes := make([]int, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			role := []string{"lead", "coordinator"}[i%2]
			codes[i] = l.clients[role].Post(contribPath(id, "valider"), nil).StatusCode
		})
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			ok++
		case http.StatusUnprocessableEntity:
			refused++
		}
	}
	if ok != 2 || refused != 3 {
		t.Errorf("got %d validated and %d refused (%v), want 2 and 3", ok, refused, codes)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM contributions WHERE state = 'validee'`); n != 2 {
		t.Errorf("got %d validated rows, want 2", n)
	}
	r := l.clients["lead"].Get("/defis/" + l.c.Slug + "/contributions")
	if got := text(r, "[data-testid=budget-remaining]"); got != "0,00 €" {
		t.Errorf("remaining: got %q, want 0,00 €", got)
	}
	lootLedgerZero(t, l.a)
}

// The payment button clicked twice at once: one ledger movement.
func TestContributionPayTwiceHTTP(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 460_00)
	id := l.validated(t, 8)
	codes := make([]int, 4)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			codes[i] = l.clients["coordinator"].Post(contribPath(id, "payer"), url.Values{"reference": {"VIR-" + strconv.Itoa(i)}, "paid_on": {lootToday()}}).StatusCode
		})
	}
	wg.Wait()
	for _, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("got status %d, want 303 (%v)", c, codes)
		}
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM ledger_transactions WHERE kind = 'payment'`); n != 1 {
		t.Errorf("got %d payment movements, want 1", n)
	}
	if bal, _ := l.a.DB.Balance(context.Background(), fabrique.AccountRef{Kind: fabrique.AccountSeedBudget, ChallengeID: l.c.ID}); bal != 0 {
		t.Errorf("budget balance: got %d, want 0", bal)
	}
	if n := countRows(t, l.a, `SELECT count(*) FROM audit_log WHERE action = 'contribution.pay'`); n != 1 {
		t.Errorf("got %d audited payments, want 1", n)
	}
	lootLedgerZero(t, l.a)
}

// A validation racing a refusal over HTTP: the refusal always holds, the money is free.
func TestContributionValidateRacesRefusalHTTP(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 460_00)
	for range 5 {
		id := l.declare(t, l.author, 8, false)
		var wg sync.WaitGroup
		var vcode, rcode int
		wg.Go(func() { vcode = l.clients["lead"].Post(contribPath(id, "valider"), nil).StatusCode })
		wg.Go(func() {
			rcode = l.clients["coordinator"].Post(contribPath(id, "refuser"), url.Values{"reason": {"Hors périmètre."}}).StatusCode
		})
		wg.Wait()
		if rcode != http.StatusSeeOther || (vcode != http.StatusSeeOther && vcode != http.StatusConflict) {
			t.Fatalf("got validate %d, refuse %d; want 303|409, 303", vcode, rcode)
		}
		if got := l.state(t, id); got != fabrique.ContributionRefused {
			t.Fatalf("got state %s, want refusee", got)
		}
	}
	b, err := l.a.DB.BudgetOverview(context.Background(), l.c.ID, 0)
	if err != nil || b.Committed != 0 || b.Remaining != 460_00 {
		t.Errorf("got %+v, %v; want nothing committed", b, err)
	}
	lootLedgerZero(t, l.a)
}

func TestContributionListCappedAndPaginated(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	for range 35 {
		l.declare(t, l.author, 1, true)
	}
	// The full list pages, and so does the author's.
	r := l.clients["anonymous"].Get("/defis/" + l.c.Slug + "/contributions")
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("[data-testid=contributions] [data-testid=contribution]").Length(); n != 30 {
		t.Errorf("page 1: got %d, want 30", n)
	}
	r = l.clients["anonymous"].Get("/defis/" + l.c.Slug + "/contributions?page=2")
	if n := r.Doc.Find("[data-testid=contributions] [data-testid=contribution]").Length(); n != 5 {
		t.Errorf("page 2: got %d, want 5", n)
	}
	if got := text(r, "[data-testid=member-volunteer-days]"); got != "8,75 jours" {
		t.Errorf("volunteer days: got %q, want 8,75 jours", got)
	}
	r = l.clients["author"].Get("/espace/contributions?page=2")
	if n := r.Doc.Find("[data-testid=contributions] [data-testid=contribution]").Length(); n != 5 {
		t.Errorf("my page 2: got %d, want 5", n)
	}
	if got := text(r, "[data-testid=total-volunteer-days]"); got != "8,75 jours" {
		t.Errorf("my volunteer days: got %q, want 8,75 jours", got)
	}
}

func TestContributionQueriesBounded(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 3000_00)
	queries := func(cl *apptest.Client, path string) int64 {
		t.Helper()
		wantStatus(t, cl.Get(path), http.StatusOK)
		before := l.a.Queries.Count()
		wantStatus(t, cl.Get(path), http.StatusOK)
		return l.a.Queries.Count() - before
	}
	paths := []struct{ role, path string }{
		{"lead", "/defis/" + l.c.Slug + "/contributions"},
		{"author", "/espace/contributions"},
		{"coordinator", "/coordination/paiements"},
		{"coordinator", "/coordination/paiements.csv"},
	}
	small := make([]int64, len(paths))
	for i, p := range paths {
		small[i] = queries(l.clients[p.role], p.path)
	}
	for i := range 12 {
		u := []*fabrique.User{l.author, l.member, l.lead}[i%3]
		id := l.declare(t, u, 1+i%4, i%5 == 0)
		if u != l.lead {
			if _, _, err := l.a.DB.ValidateContribution(context.Background(), id, l.lead); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, p := range paths {
		if big := queries(l.clients[p.role], p.path); big != small[i] {
			t.Errorf("%s: got %d queries with 12 contributions, want %d (as with none)", p.path, big, small[i])
		}
	}
}

func TestContributionEnglish(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	l.declare(t, l.author, 8, false)
	cl := l.clients["author"]
	cl.Get("/langue?lang=en")
	r := cl.Get("/defis/" + l.c.Slug + "/contributions")
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=contribution-days]"); got != "2 days" {
		t.Errorf("days: got %q, want 2 days", got)
	}
	if got := text(r, "[data-testid=contribution-state]"); got != "Declared" {
		t.Errorf("state: got %q, want Declared", got)
	}
}
