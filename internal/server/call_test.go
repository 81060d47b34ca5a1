package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const callPass = "motdepasse-solide"

// callSetup is an app with one account of each role, logged in, and a commun born from
// the porteur's défi.
type callSetup struct {
	a       *apptest.App
	users   map[string]*fabrique.User
	clients map[string]*apptest.Client
	commons *fabrique.Commons
	n       int
}

// callRoles are the roles of the authorisation table, visitor first.
var callRoles = []string{"anonyme", "contributeur", "financeur", "porteur", "coordination"}

func newCallSetup(tb testing.TB) *callSetup {
	tb.Helper()
	a := apptest.Start(tb)
	s := &callSetup{a: a, users: map[string]*fabrique.User{}, clients: map[string]*apptest.Client{"anonyme": a.Client(tb)}}
	for _, role := range callRoles[1:] {
		r := fabrique.RoleContributor
		if role == "coordination" {
			r = fabrique.RoleCoordinator
		}
		u := a.CreateUser(tb, "Personne "+role, role+"@example.org", callPass, r)
		s.users[role] = u
		s.clients[role] = a.Client(tb)
		s.clients[role].Login(u.Email, callPass)
	}
	mustExecSQL(tb, a, `INSERT INTO funders (user_id, kind, organisation) VALUES ($1, 'fondation', 'Fondation des Communs')`, s.users["financeur"].ID)
	s.commons = mustCreateCommons(tb, a, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel"})
	ch := mustCreateChallenge(tb, a, s.users["porteur"].ID, "Gérer un tiers-lieu")
	mustExecSQL(tb, a, `UPDATE challenges SET status = 'developpement' WHERE id = $1`, ch.ID)
	mustExecSQL(tb, a, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'origine')`, ch.ID, s.commons.ID)
	return s
}

// parisToday is the day the server calls today.
func parisToday() time.Time {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.UTC
	}
	y, m, d := time.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// call launches a call from today+from to today+to (days) through the store.
func (s *callSetup) call(tb testing.TB, title string, from, to int, rule fabrique.MatchRule) *fabrique.Call {
	tb.Helper()
	today := parisToday()
	c, err := s.a.DB.CreateCall(context.Background(), s.users["coordination"], fabrique.NewCall{Title: title,
		StartsOn: today.AddDate(0, 0, from), EndsOn: today.AddDate(0, 0, to), Rule: rule})
	if err != nil {
		tb.Fatalf("create call %q: %v", title, err)
	}
	return c
}

// step adds a step of goal cents to the commun commonsID, and to the calls given.
func (s *callSetup) step(tb testing.TB, commonsID, goal int64, calls ...*fabrique.Call) int64 {
	tb.Helper()
	s.n++
	var id int64
	today := parisToday()
	if err := s.a.SQL.QueryRow(context.Background(),
		`INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		commonsID, fmt.Sprintf("Étape %d", s.n), goal, today, today.AddDate(0, 6, 0), s.users["porteur"].ID).Scan(&id); err != nil {
		tb.Fatalf("insert step: %v", err)
	}
	for _, c := range calls {
		if _, err := s.a.DB.AddCallStep(context.Background(), s.users["coordination"], c.ID, id); err != nil {
			tb.Fatal(err)
		}
	}
	return id
}

// pledge inserts a pledge as the pledge routes would record it; a confirmed one has its
// funds posted to the commun first, so the ledger balances.
func (s *callSetup) pledge(tb testing.TB, c *fabrique.Call, stepID int64, user *fabrique.User, kind string, amount int64, state string, anonymous bool) int64 {
	tb.Helper()
	ctx := context.Background()
	s.n++
	var txID any
	if state == fabrique.PledgeConfirmed {
		var commonsID int64
		if err := s.a.SQL.QueryRow(ctx, `SELECT commons_id FROM steps WHERE id = $1`, stepID).Scan(&commonsID); err != nil {
			tb.Fatal(err)
		}
		id, err := s.a.DB.Post(ctx, fabrique.Movement{Kind: fabrique.TxPledge, Amount: amount,
			From: fabrique.AccountRef{Kind: fabrique.AccountOutside}, To: fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: commonsID},
			CauseType: "pledge"})
		if err != nil {
			tb.Fatal(err)
		}
		txID = id
	}
	var callID any
	if c != nil {
		callID = c.ID
	}
	// A tiers-lieu pledge is made in the name of a verified place its funder is an accepted
	// member of, so that matching counts it.
	var placeID any
	if kind == "tiers-lieu" {
		var id int64
		if err := s.a.SQL.QueryRow(ctx,
			`WITH p AS (INSERT INTO places (slug, name, verified_at) VALUES ('lieu-verifie', 'Lieu vérifié', now())
			            ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name RETURNING id)
			 SELECT id FROM p`).Scan(&id); err != nil {
			tb.Fatalf("verified place: %v", err)
		}
		mustExecSQL(tb, s.a, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, user.ID)
		placeID = id
	}
	var id int64
	if err := s.a.SQL.QueryRow(ctx,
		`INSERT INTO pledges (step_id, call_id, user_id, funder_kind, amount, anonymous, state, idempotency_key, ledger_tx_id, place_id)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		stepID, callID, user.ID, kind, amount, anonymous, state, fmt.Sprintf("cle-appel-%d", s.n), txID, placeID).Scan(&id); err != nil {
		tb.Fatalf("insert pledge: %v", err)
	}
	return id
}

// callForm is a valid "POST /cofinancement" form, open today for a month.
func callForm(title string) url.Values {
	today := parisToday()
	return url.Values{
		"title": {title}, "description": {"Un appel pour les **communs**."},
		"starts_on": {today.Format(time.DateOnly)}, "ends_on": {today.AddDate(0, 1, 0).Format(time.DateOnly)},
		"pool": {"20 000"}, "match_multiplier": {"1"}, "match_kinds": {"tiers-lieu"}, "match_cap": {"5 000"},
	}
}

func dd(r *apptest.Response, sel, testid string) string {
	return strings.Join(strings.Fields(r.Doc.Find(sel+" [data-testid="+testid+"]").First().Text()), " ")
}

func money(cents int64) string {
	euros := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range euros {
		if i > 0 && (len(euros)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return fmt.Sprintf("%s,%02d €", b.String(), cents%100)
}

// TestCallAuthorization walks the call routes with every role: coordinators act, others
// get 403, visitors the login page, and the pages are public.
func TestCallAuthorization(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	shown := s.call(t, "Appel public", -1, 30, fabrique.MatchRule{})
	step := s.step(t, s.commons.ID, 100000)
	n := 0
	routes := []struct {
		name string
		path func() string
		form func() url.Values
	}{
		{"create", func() string { return "/cofinancement" }, func() url.Values { n++; return callForm(fmt.Sprintf("Appel %d", n)) }},
		{"add step", func() string {
			n++
			return "/cofinancement/" + s.call(t, fmt.Sprintf("Appel étapes %d", n), 0, 10, fabrique.MatchRule{}).Slug + "/etapes"
		}, func() url.Values { return url.Values{"step_id": {strconv.FormatInt(step, 10)}} }},
		{"close", func() string {
			n++
			return "/cofinancement/" + s.call(t, fmt.Sprintf("Appel clôture %d", n), -10, -1, fabrique.MatchRule{}).Slug + "/cloture"
		}, func() url.Values { return url.Values{} }},
	}
	for _, rt := range routes {
		for _, role := range callRoles {
			path := rt.path()
			r := s.clients[role].Post(path, rt.form())
			switch role {
			case "anonyme":
				if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/connexion") {
					t.Errorf("%s as %s: got %d to %q, want 303 to /connexion", rt.name, role, r.StatusCode, r.Location())
				}
			case "coordination":
				if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/cofinancement/") {
					t.Errorf("%s as %s: got %d to %q, want 303 to the call", rt.name, role, r.StatusCode, r.Location())
				}
			default:
				if r.StatusCode != http.StatusForbidden {
					t.Errorf("%s as %s: got %d, want 403", rt.name, role, r.StatusCode)
				}
			}
		}
	}
	// Nothing was written by a refused request: one call per coordinator's creation.
	if got := countRows(t, s.a, `SELECT count(*) FROM calls WHERE title ~ '^Appel [0-9]+$'`); got != 1 {
		t.Errorf("calls created: got %d, want 1", got)
	}
	if got := countRows(t, s.a, `SELECT count(*) FROM calls WHERE closed_at IS NOT NULL`); got != 1 {
		t.Errorf("calls closed: got %d, want 1", got)
	}
	for path, want := range map[string]map[string]int{
		"/cofinancement":               {"anonyme": 200, "contributeur": 200, "financeur": 200, "porteur": 200, "coordination": 200},
		"/cofinancement/" + shown.Slug: {"anonyme": 200, "contributeur": 200, "financeur": 200, "porteur": 200, "coordination": 200},
		"/cofinancement/nouveau":       {"anonyme": 303, "contributeur": 403, "financeur": 403, "porteur": 403, "coordination": 200},
		"/cofinancement/inconnu":       {"anonyme": 404, "coordination": 404},
	} {
		for role, status := range want {
			if got := s.clients[role].Get(path).StatusCode; got != status {
				t.Errorf("GET %s as %s: got %d, want %d", path, role, got, status)
			}
		}
	}
	for _, path := range []string{"/cofinancement/inconnu/etapes", "/cofinancement/inconnu/cloture"} {
		if got := s.clients["coordination"].Post(path, url.Values{"step_id": {"1"}}).StatusCode; got != http.StatusNotFound {
			t.Errorf("POST %s: got %d, want 404", path, got)
		}
	}
	// Only coordinators see the forms.
	for role, want := range map[string]int{"anonyme": 0, "financeur": 0, "coordination": 1} {
		r := s.clients[role].Get("/cofinancement/" + shown.Slug)
		if got := r.Doc.Find(`form[action="/cofinancement/` + shown.Slug + `/cloture"]`).Length(); got != want {
			t.Errorf("close form as %s: got %d, want %d", role, got, want)
		}
		if got := r.Doc.Find(`form[action="/cofinancement/` + shown.Slug + `/etapes"]`).Length(); got != want {
			t.Errorf("add-step form as %s: got %d, want %d", role, got, want)
		}
	}
	wantLedgerZero(t, s.a)
}

func TestCallCreateInputs(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	coord := s.clients["coordination"]
	r := coord.Get("/cofinancement/nouveau")
	wantStatus(t, r, http.StatusOK)
	for _, name := range []string{"title", "description", "starts_on", "ends_on", "pool", "match_multiplier", "match_kinds", "match_cap"} {
		if r.Doc.Find(`form[action="/cofinancement"] [name=`+name+`]`).Length() == 0 {
			t.Errorf("the form has no field %s", name)
		}
	}
	valid := []struct {
		name    string
		edit    url.Values
		percent int
		kinds   string
		pool    int64
		cap     int64
	}{
		{"one for one", url.Values{}, 100, "tiers-lieu", 2000000, 500000},
		{"two", url.Values{"match_multiplier": {"2"}}, 200, "tiers-lieu", 2000000, 500000},
		{"half, French", url.Values{"match_multiplier": {"0,5"}}, 50, "tiers-lieu", 2000000, 500000},
		{"one and a half", url.Values{"match_multiplier": {"1.5"}}, 150, "tiers-lieu", 2000000, 500000},
		{"ten", url.Values{"match_multiplier": {"10"}}, 1000, "tiers-lieu", 2000000, 500000},
		{"no cap", url.Values{"match_cap": {""}}, 100, "tiers-lieu", 2000000, 0},
		{"two kinds", url.Values{"match_kinds": {"collectivite", "tiers-lieu", "tiers-lieu"}}, 100, "collectivite,tiers-lieu", 2000000, 500000},
		{"no matching", url.Values{"match_multiplier": {"0"}, "pool": {"0"}, "match_kinds": nil}, 0, "", 0, 0},
		{"pool with cents", url.Values{"pool": {"1 234,56 €"}}, 100, "tiers-lieu", 123456, 500000},
	}
	for i, tc := range valid {
		form := callForm(fmt.Sprintf("Appel valide %d", i))
		for k, v := range tc.edit {
			if v == nil {
				form.Del(k)
			} else {
				form[k] = v
			}
		}
		r := coord.Post("/cofinancement", form)
		if r.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: got %d, want 303; errors: %s", tc.name, r.StatusCode, text(r, ".field-error"))
			continue
		}
		c, err := s.a.DB.CallBySlug(context.Background(), strings.TrimPrefix(r.Location(), "/cofinancement/"))
		if err != nil {
			t.Fatal(err)
		}
		if c.Rule.Percent != tc.percent || strings.Join(c.Rule.Kinds, ",") != tc.kinds || c.Rule.Pool != tc.pool || c.Rule.Cap != tc.cap {
			t.Errorf("%s: got rule %+v, want %d%% of %s, pool %d, cap %d", tc.name, c.Rule, tc.percent, tc.kinds, tc.pool, tc.cap)
		}
		if got, _ := s.a.DB.Balance(context.Background(), fabrique.AccountRef{Kind: fabrique.AccountMatchingPool, CallID: c.ID}); got != tc.pool {
			t.Errorf("%s: pool account holds %d, want %d", tc.name, got, tc.pool)
		}
	}
	calls := countRows(t, s.a, `SELECT count(*) FROM calls`)

	invalid := []struct {
		name  string
		edit  url.Values
		field string
	}{
		{"junk multiplier", url.Values{"match_multiplier": {"deux"}}, "match_multiplier"},
		{"multiplier 11", url.Values{"match_multiplier": {"11"}}, "match_multiplier"},
		{"three decimals", url.Values{"match_multiplier": {"0,333"}}, "match_multiplier"},
		{"negative multiplier", url.Values{"match_multiplier": {"-1"}}, "match_multiplier"},
		{"no title", url.Values{"title": {"  "}}, "title"},
		{"junk date", url.Values{"starts_on": {"demain"}}, "starts_on"},
		{"no end", url.Values{"ends_on": {""}}, "ends_on"},
		{"ends first", url.Values{"starts_on": {"2027-05-01"}, "ends_on": {"2027-04-01"}}, "ends_on"},
		{"year 0001", url.Values{"starts_on": {"0001-01-01"}}, "starts_on"},
		{"unknown kind", url.Values{"match_kinds": {"mecene"}}, "match_kinds"},
		{"no kind", url.Values{"match_kinds": nil}, "match_kinds"},
		{"junk pool", url.Values{"pool": {"beaucoup"}}, "pool"},
		{"negative pool", url.Values{"pool": {"-5"}}, "pool"},
		{"junk cap", url.Values{"match_cap": {"5 000,123"}}, "match_cap"},
	}
	for _, tc := range invalid {
		form := callForm("Appel refusé")
		for k, v := range tc.edit {
			if v == nil {
				form.Del(k)
			} else {
				form[k] = v
			}
		}
		r := coord.Post("/cofinancement", form)
		if r.StatusCode != http.StatusUnprocessableEntity || text(r, "[data-testid=error-"+tc.field+"]") == "" {
			t.Errorf("%s: got %d with %q next to %s, want 422 with a message", tc.name, r.StatusCode, text(r, "[data-testid=error-"+tc.field+"]"), tc.field)
			continue
		}
		if got := r.Doc.Find(`input[name=title]`).AttrOr("value", ""); got != strings.TrimSpace(form.Get("title")) {
			t.Errorf("%s: the form lost the title: got %q", tc.name, got)
		}
	}
	if got := countRows(t, s.a, `SELECT count(*) FROM calls`); got != calls {
		t.Errorf("calls after refused forms: got %d, want %d", got, calls)
	}
	// The slug comes from the title, unique.
	r = coord.Post("/cofinancement", callForm("Appel à communs 2027"))
	wantRedirect(t, r, "/cofinancement/appel-a-communs-2027")
	r = coord.Post("/cofinancement", callForm("Appel à communs 2027"))
	wantRedirect(t, r, "/cofinancement/appel-a-communs-2027-2")
	page := coord.Follow(r)
	if text(page, "[data-testid=flash]") == "" || text(page, "[data-testid=call-rule]") != "1 € d’un tiers-lieu = 1 € de plus, jusqu’à 5 000,00 € par commun" {
		t.Errorf("got flash %q and rule %q", text(page, "[data-testid=flash]"), text(page, "[data-testid=call-rule]"))
	}
	if got := countRows(t, s.a, `SELECT count(*) FROM audit_log WHERE action = 'call.create'`); got != calls+2 {
		t.Errorf("audit entries: got %d, want %d", got, calls+2)
	}
	wantLedgerZero(t, s.a)
}

func TestCallIndexGroups(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	r := s.clients["anonyme"].Get("/cofinancement")
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=calls-ouvert-empty]").Length() != 1 {
		t.Error("no empty state without calls")
	}
	rule := fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu"}, Cap: 500000, Pool: 2000000}
	open := s.call(t, "Appel ouvert", -5, 5, rule)
	lastDay := s.call(t, "Appel du dernier jour", -5, 0, fabrique.MatchRule{Percent: 50, Kinds: []string{"collectivite", "tiers-lieu"}, Pool: 100})
	upcoming := s.call(t, "Appel à venir", 10, 40, fabrique.MatchRule{})
	over := s.call(t, "Appel terminé", -40, -10, rule)
	closed := s.call(t, "Appel clôturé", -40, -10, rule)
	step := s.step(t, s.commons.ID, 1000000, open)
	s.pledge(t, open, step, s.users["financeur"], "tiers-lieu", 300000, fabrique.PledgeConfirmed, false)
	s.pledge(t, open, step, s.users["financeur"], "tiers-lieu", 400000, fabrique.PledgePromise, false)
	if _, err := s.a.DB.CloseCall(context.Background(), s.users["coordination"], closed.ID); err != nil {
		t.Fatal(err)
	}

	r = s.clients["anonyme"].Get("/cofinancement")
	wantStatus(t, r, http.StatusOK)
	groups := map[string][]string{}
	for _, phase := range []string{"ouvert", "a-venir", "termine", "clos"} {
		r.Doc.Find("[data-testid=calls-" + phase + "] [data-testid=call]").Each(func(_ int, c *goquery.Selection) {
			groups[phase] = append(groups[phase], c.AttrOr("data-slug", ""))
			if got := c.AttrOr("data-phase", ""); got != phase {
				t.Errorf("%s in group %s has phase %q", c.AttrOr("data-slug", ""), phase, got)
			}
		})
	}
	want := map[string][]string{"ouvert": {lastDay.Slug, open.Slug}, "a-venir": {upcoming.Slug}, "termine": {over.Slug}, "clos": {closed.Slug}}
	for phase, slugs := range want {
		if strings.Join(groups[phase], ",") != strings.Join(slugs, ",") {
			t.Errorf("group %s: got %v, want %v", phase, groups[phase], slugs)
		}
	}
	card := fmt.Sprintf(`[data-testid=call][data-slug=%q]`, open.Slug)
	for testid, want := range map[string]string{
		"call-rule":              "1 € d’un tiers-lieu = 1 € de plus, jusqu’à 5 000,00 € par commun",
		"call-pool":              "20 000,00 €",
		"call-steps":             "1",
		"call-confirmed":         "3 000,00 €",
		"call-promised":          "4 000,00 €",
		"call-matched-secured":   "3 000,00 €",
		"call-matched-projected": "2 000,00 €", // capped per commun: 5 000 in all, 3 000 of it secured
	} {
		if got := dd(r, card, testid); got != want {
			t.Errorf("%s: got %q, want %q", testid, got, want)
		}
	}
	if got := dd(r, fmt.Sprintf(`[data-testid=call][data-slug=%q]`, lastDay.Slug), "call-rule"); got != "1 € d’une collectivité ou d’un tiers-lieu = 0,50 € de plus" {
		t.Errorf("rule in words: got %q", got)
	}
	if got := dd(r, fmt.Sprintf(`[data-testid=call][data-slug=%q]`, upcoming.Slug), "call-rule"); !strings.HasPrefix(got, "Pas d’abondement") {
		t.Errorf("no rule: got %q", got)
	}
	wantLedgerZero(t, s.a)
}

// TestCallShowMatching checks the call's page against the rule over pledges inserted by
// SQL: the pool, each step's bars, figures and funders, and a bounded number of queries.
func TestCallShowMatching(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	ctx := context.Background()
	rule := fabrique.MatchRule{Percent: 200, Kinds: []string{"tiers-lieu"}, Cap: 400000, Pool: 500000}
	c := s.call(t, "Appel 2026", -5, 20, rule)
	movilab := mustCreateCommons(t, s.a, fabrique.CommonsForm{Name: "Movilab", Kind: "documentation"})
	a := s.step(t, s.commons.ID, 1000000, c)
	b := s.step(t, movilab.ID, 600000, c)
	fin := s.users["financeur"]
	s.pledge(t, c, a, fin, "tiers-lieu", 100000, fabrique.PledgeConfirmed, false)
	s.pledge(t, c, a, s.users["contributeur"], "tiers-lieu", 150000, fabrique.PledgePromise, true)
	s.pledge(t, c, a, fin, "fondation", 200000, fabrique.PledgeConfirmed, false)
	s.pledge(t, c, b, fin, "tiers-lieu", 150000, fabrique.PledgeConfirmed, false)
	s.pledge(t, c, b, fin, "tiers-lieu", 50000, fabrique.PledgeCancelled, false)

	pledges, err := s.a.DB.CallMatchPledges(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	secured, projected := fabrique.Match(rule, pledges, false), fabrique.Match(rule, pledges, true)
	// Secured: 200 000 + 300 000 = 500 000, the whole pool. Projected: Dokos 500 000 → cap
	// 400 000, Movilab 300 000; 700 000 > pool, scaled down to 285 714 and 214 285.
	if secured.Total != 500000 || projected.ByCommons[s.commons.ID] != 285714 || projected.ByCommons[movilab.ID] != 214285 {
		t.Fatalf("the fixture is not what the test expects: %+v / %+v", secured, projected)
	}

	r := s.clients["anonyme"].Get("/cofinancement/" + c.Slug)
	wantStatus(t, r, http.StatusOK)
	for testid, want := range map[string]int64{
		"call-pool": 500000, "call-matched-secured": secured.Total, "call-matched-projected": max(0, projected.Total-secured.Total),
		"call-pool-left": 500000 - projected.Total,
	} {
		if got := dd(r, "[data-testid=call-pool-figures]", testid); got != money(want) {
			t.Errorf("%s: got %q, want %q", testid, got, money(want))
		}
	}
	if got := text(r, "[data-testid=call-rule]"); got != "1 € d’un tiers-lieu = 2 € de plus, jusqu’à 4 000,00 € par commun" {
		t.Errorf("rule: got %q", got)
	}
	figs, err := s.a.DB.StepFigures(ctx, []int64{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if figs[a].MatchedSecured != secured.ByStep[a] || figs[a].MatchedProjected != projected.ByStep[a] || figs[a].Confirmed != 300000 || figs[a].Promised != 150000 {
		t.Errorf("figures of a: got %+v", figs[a])
	}
	for _, id := range []int64{a, b} {
		step := fmt.Sprintf(`[data-testid=call-step][data-id="%d"]`, id)
		f := figs[id]
		for testid, want := range map[string]int64{
			"step-goal": f.Goal, "step-promised": f.Promised, "step-confirmed": f.Confirmed,
			"step-matched-secured": secured.ByStep[id], "step-matched-projected": max(0, projected.ByStep[id]-secured.ByStep[id]),
			"step-spent": 0, "step-remaining": max(0, f.Goal-f.Confirmed-secured.ByStep[id]),
		} {
			if got := dd(r, step, testid); got != money(want) {
				t.Errorf("step %d, %s: got %q, want %q", id, testid, got, money(want))
			}
		}
		// The bar: the four amounts one after the other, against the goal.
		bar := readBar(t, r.Doc.Find(step))
		onPromises := max(0, projected.ByStep[id]-secured.ByStep[id])
		if bar.Goal != f.Goal || bar.Cents["confirme"] != f.Confirmed || bar.Cents["abonde"] != secured.ByStep[id] ||
			bar.Cents["promis"] != f.Promised || bar.Cents["abonde-prevu"] != onPromises {
			t.Errorf("step %d, bar: got %+v, want %+v", id, bar, f)
		}
		total := f.Confirmed + secured.ByStep[id] + f.Promised + onPromises
		if got, want := bar.Filled(), pct(min(total, f.Goal), f.Goal); got != want {
			t.Errorf("step %d, bar filled to %s, want %s", id, got, want)
		}
	}
	stepA := fmt.Sprintf(`[data-testid=call-step][data-id="%d"]`, a)
	if got := r.Doc.Find(stepA+" [data-testid=step-commons]").AttrOr("href", ""); got != "/communs/"+s.commons.Slug {
		t.Errorf("commun link: got %q", got)
	}
	var names []string
	r.Doc.Find(stepA + " [data-testid=funder-name]").Each(func(_ int, n *goquery.Selection) { names = append(names, n.Text()) })
	if strings.Join(names, ",") != "Fondation des Communs,anonyme,Fondation des Communs" {
		t.Errorf("funders of a: got %v, want the organisation twice and one anonyme", names)
	}
	if strings.Contains(r.Body, s.users["contributeur"].DisplayName) {
		t.Error("the anonymous funder's name is on the page")
	}
	if got := r.Doc.Find(fmt.Sprintf(`[data-testid=call-step][data-id="%d"] [data-testid=step-funder]`, b)).Length(); got != 1 {
		t.Errorf("funders of b: got %d, want 1 (the cancelled pledge is not shown)", got)
	}

	// The page costs the same number of queries with many more steps and pledges: the
	// call, then one batch of its steps, their figures (two), its pledges' totals, its
	// pool's balance and its funders.
	before := s.a.Queries.Count()
	s.clients["anonyme"].Get("/cofinancement/" + c.Slug)
	small := s.a.Queries.Count() - before
	if small > 7 {
		t.Errorf("queries: got %d, want at most 7", small)
	}
	for range 8 {
		id := s.step(t, mustCreateCommons(t, s.a, fabrique.CommonsForm{Name: fmt.Sprintf("Commun %d", s.n), Kind: "autre"}).ID, 100000, c)
		for range 3 {
			s.pledge(t, c, id, fin, "tiers-lieu", 1000, fabrique.PledgeConfirmed, false)
		}
	}
	before = s.a.Queries.Count()
	s.clients["anonyme"].Get("/cofinancement/" + c.Slug)
	if large := s.a.Queries.Count() - before; large != small {
		t.Errorf("queries: got %d with 10 steps, want %d as with 2", large, small)
	}
	wantLedgerZero(t, s.a)
}

func TestCallStepAdd(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	coord := s.clients["coordination"]
	c := s.call(t, "Appel 2026", 0, 30, fabrique.MatchRule{})
	step := s.step(t, s.commons.ID, 100000)
	path := "/cofinancement/" + c.Slug + "/etapes"
	r := coord.Get("/cofinancement/" + c.Slug)
	if r.Doc.Find(fmt.Sprintf(`select[name=step_id] option[value="%d"]`, step)).Length() != 1 {
		t.Error("the step is not offered to join the call")
	}

	r = coord.Post(path, url.Values{"step_id": {strconv.FormatInt(step, 10)}})
	wantRedirect(t, r, "/cofinancement/"+c.Slug)
	page := coord.Follow(r)
	if page.Doc.Find(fmt.Sprintf(`[data-testid=call-step][data-id="%d"]`, step)).Length() != 1 {
		t.Error("the step is not on the call's page")
	}
	if page.Doc.Find(fmt.Sprintf(`select[name=step_id] option[value="%d"]`, step)).Length() != 0 {
		t.Error("the step is still offered to join")
	}
	// A double click changes nothing.
	wantRedirect(t, coord.Post(path, url.Values{"step_id": {strconv.FormatInt(step, 10)}}), "/cofinancement/"+c.Slug)
	if got := countRows(t, s.a, `SELECT count(*) FROM call_steps`); got != 1 {
		t.Errorf("call steps: got %d, want 1", got)
	}
	for _, v := range []string{"", "abc", "-3", "999999", "1e3"} {
		wantFieldError(t, coord.Post(path, url.Values{"step_id": {v}}), "step_id", "")
	}
	closed := s.call(t, "Appel clos", -30, -1, fabrique.MatchRule{})
	if _, err := s.a.DB.CloseCall(context.Background(), s.users["coordination"], closed.ID); err != nil {
		t.Fatal(err)
	}
	wantFieldError(t, coord.Post("/cofinancement/"+closed.Slug+"/etapes", url.Values{"step_id": {strconv.FormatInt(s.step(t, s.commons.ID, 100), 10)}}),
		"step_id", "clôturé")
}

func TestCallCloseHTTP(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	ctx := context.Background()
	rule := fabrique.MatchRule{Percent: 100, Kinds: []string{"tiers-lieu", "collectivite"}, Cap: 300000, Pool: 1000000}
	c := s.call(t, "Appel 2026", -30, -1, rule)
	movilab := mustCreateCommons(t, s.a, fabrique.CommonsForm{Name: "Movilab", Kind: "documentation"})
	a, b := s.step(t, s.commons.ID, 1000000, c), s.step(t, movilab.ID, 1000000, c)
	fin := s.users["financeur"]
	s.pledge(t, c, a, fin, "tiers-lieu", 250000, fabrique.PledgeConfirmed, false)
	s.pledge(t, c, a, fin, "collectivite", 200000, fabrique.PledgeConfirmed, false)
	promise := s.pledge(t, c, b, fin, "tiers-lieu", 80000, fabrique.PledgePromise, false)
	s.pledge(t, c, b, fin, "tiers-lieu", 70000, fabrique.PledgeConfirmed, true)
	pledges, err := s.a.DB.CallMatchPledges(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := fabrique.Match(rule, pledges, false) // Dokos 450 000 → cap 300 000; Movilab 70 000

	page := s.clients["coordination"].Get("/cofinancement/" + c.Slug)
	if page.Doc.Find("[data-testid=close-call]").Length() != 1 {
		t.Fatal("no close button for the coordination")
	}
	// Concurrent closings: every one answers 303, one posts.
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		cl := s.a.Client(t)
		cl.Login(s.users["coordination"].Email, callPass)
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = cl.Post("/cofinancement/"+c.Slug+"/cloture", url.Values{}).StatusCode
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusSeeOther {
			t.Errorf("closing %d: got %d, want 303", i, code)
		}
	}
	if got := countRows(t, s.a, `SELECT count(*) FROM ledger_transactions WHERE kind = 'matching' AND cause_type = 'call' AND cause_id = $1`, c.ID); got != 2 {
		t.Errorf("matching movements: got %d, want 2 (one per commun, once)", got)
	}
	for id, confirmed := range map[int64]int64{s.commons.ID: 450000, movilab.ID: 70000} {
		got, _ := s.a.DB.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: id})
		if got-confirmed != want.ByCommons[id] {
			t.Errorf("commun %d: got %d of matching, want %d", id, got-confirmed, want.ByCommons[id])
		}
	}
	if got, _ := s.a.DB.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountMatchingPool, CallID: c.ID}); got != rule.Pool-want.Total {
		t.Errorf("pool: got %d, want %d", got, rule.Pool-want.Total)
	}
	if got := countRows(t, s.a, `SELECT count(*) FROM pledges WHERE id = $1 AND state = 'expiree'`, promise); got != 1 {
		t.Error("the promise did not expire")
	}
	// Again, after the fact: a 303 that says so.
	r := s.clients["coordination"].Post("/cofinancement/"+c.Slug+"/cloture", url.Values{})
	wantRedirect(t, r, "/cofinancement/"+c.Slug)
	page = s.clients["coordination"].Follow(r)
	if got := text(page, "[data-testid=flash]"); !strings.Contains(got, "déjà clôturé") {
		t.Errorf("flash: got %q", got)
	}
	if got := page.Doc.Find("[data-testid=call-page]").AttrOr("data-phase", ""); got != "clos" {
		t.Errorf("phase: got %q, want clos", got)
	}
	if page.Doc.Find("[data-testid=close-call]").Length() != 0 {
		t.Error("a closed call still offers to close it")
	}
	for testid, cents := range map[string]int64{"call-matched-secured": want.Total, "call-pool-left": rule.Pool - want.Total} {
		if got := dd(page, "[data-testid=call-pool-figures]", testid); got != money(cents) {
			t.Errorf("%s: got %q, want %q", testid, got, money(cents))
		}
	}
	wantLedgerZero(t, s.a)
}

// bulkPledges inserts n pledges of user to the step in one statement, the i-th (1…n) of
// 100·i cents made i minutes after a day ago, so the newest is the largest: as many as a
// busy step has, without a round trip each. Not confirmed: those need their ledger entry.
func (s *callSetup) bulkPledges(tb testing.TB, c *fabrique.Call, stepID int64, user *fabrique.User, kind, state string, n int) {
	tb.Helper()
	s.n++
	mustExecSQL(tb, s.a, `INSERT INTO pledges (step_id, call_id, user_id, funder_kind, amount, state, message, idempotency_key, created_at)
		SELECT $1, $2, $3, $4, 100 * i, $5, 'Merci ' || i, 'cle-masse-' || $6::int || '-' || i, now() - interval '1 day' + i * interval '1 minute'
		FROM generate_series(1, $7::int) i`, stepID, c.ID, user.ID, kind, state, s.n, n)
}

// funderAmounts lists the amounts of the funder rows in sel, in the page's order.
func funderAmounts(r *apptest.Response, sel string) []string {
	var out []string
	r.Doc.Find(sel + " [data-testid=step-funder] [data-testid=funder-amount]").Each(func(_ int, n *goquery.Selection) {
		out = append(out, n.Text())
	})
	return out
}

// TestCallStepFunders checks that a call's page lists each step's 10 latest funders and
// links to the step's funders page when it has more, and that this page lists them all,
// newest first, 50 a page, anonymous funders hidden, in the same number of queries
// whatever their number.
func TestCallStepFunders(t *testing.T) {
	t.Parallel()
	s := newCallSetup(t)
	c := s.call(t, "Appel 2026", -5, 20, fabrique.MatchRule{})
	later := s.call(t, "Appel 2027", 40, 60, fabrique.MatchRule{})
	fin, contrib := s.users["financeur"], s.users["contributeur"]
	busy, ten, empty, huge := s.step(t, s.commons.ID, 1000000, c), s.step(t, s.commons.ID, 1000000, c), s.step(t, s.commons.ID, 1000000, c), s.step(t, s.commons.ID, 1000000, c)
	outside, elsewhere := s.step(t, s.commons.ID, 1000000), s.step(t, s.commons.ID, 1000000, later)

	// busy: 60 promises of 1,00 € to 60,00 €, every 20th anonymous and signed in its
	// message; dead pledges, never listed; then a confirmed one, the newest.
	s.bulkPledges(t, c, busy, fin, "fondation", fabrique.PledgePromise, 60)
	mustExecSQL(t, s.a, `UPDATE pledges SET anonymous = true, user_id = $2, funder_kind = 'particulier', message = 'Signé : Personne contributeur'
		WHERE step_id = $1 AND amount % 2000 = 0`, busy, contrib.ID)
	s.bulkPledges(t, c, busy, fin, "fondation", fabrique.PledgeCancelled, 3)
	s.bulkPledges(t, c, busy, fin, "fondation", fabrique.PledgeExpired, 3)
	s.pledge(t, c, busy, fin, "fondation", 999900, fabrique.PledgeConfirmed, false)
	wantBusy := []string{money(999900)}
	for i := 60; i >= 1; i-- {
		wantBusy = append(wantBusy, money(int64(100*i)))
	}
	s.bulkPledges(t, c, ten, fin, "fondation", fabrique.PledgePromise, 10)
	s.bulkPledges(t, c, huge, fin, "fondation", fabrique.PledgePromise, 1005)
	s.bulkPledges(t, later, elsewhere, fin, "fondation", fabrique.PledgePromise, 2)
	anon := s.clients["anonyme"]
	funders := func(slug string, step int64) string {
		return fmt.Sprintf("/cofinancement/%s/etapes/%d/financeurs", slug, step)
	}
	card := func(id int64) string { return fmt.Sprintf(`[data-testid=call-step][data-id="%d"]`, id) }

	// The call's page: the 10 latest of each step, and a link when there are more.
	r := anon.Get("/cofinancement/" + c.Slug)
	wantStatus(t, r, http.StatusOK)
	for _, tt := range []struct {
		step  int64
		shown []string // the amounts listed, newest first
		link  string   // "" for none
	}{
		{busy, wantBusy[:10], "Voir les 61 financeurs"},
		{ten, []string{money(1000), money(900), money(800), money(700), money(600), money(500), money(400), money(300), money(200), money(100)}, ""},
		{empty, nil, ""},
		{huge, []string{money(100500), money(100400), money(100300), money(100200), money(100100), money(100000), money(99900), money(99800), money(99700), money(99600)},
			"Voir les 1 005 financeurs"},
	} {
		if got := funderAmounts(r, card(tt.step)); !slices.Equal(got, tt.shown) {
			t.Errorf("step %d on the call's page: got %v, want %v", tt.step, got, tt.shown)
		}
		link := r.Doc.Find(card(tt.step) + " [data-testid=step-funders-all]")
		if got := strings.Join(strings.Fields(link.Text()), " "); got != tt.link {
			t.Errorf("step %d: got link %q, want %q", tt.step, got, tt.link)
		}
		if tt.link != "" && link.AttrOr("href", "") != funders(c.Slug, tt.step) {
			t.Errorf("step %d: link to %q, want %q", tt.step, link.AttrOr("href", ""), funders(c.Slug, tt.step))
		}
	}
	if r.Doc.Find(card(empty)+" [data-testid=step-funders-empty]").Length() != 1 {
		t.Error("a step without pledges does not say so")
	}

	// The step's page: all of them, newest first, 50 a page.
	p1 := anon.Get(funders(c.Slug, busy))
	wantStatus(t, p1, http.StatusOK)
	p2 := anon.Get(funders(c.Slug, busy) + "?page=2")
	wantStatus(t, p2, http.StatusOK)
	if got := append(funderAmounts(p1, "[data-testid=step-funders]"), funderAmounts(p2, "[data-testid=step-funders]")...); !slices.Equal(got, wantBusy) {
		t.Errorf("funders over two pages: got %v, want %v", got, wantBusy)
	}
	if n := p1.Doc.Find("[data-testid=step-funder]").Length(); n != 50 {
		t.Errorf("first page: got %d funders, want 50", n)
	}
	if got := text(p1, "[data-testid=total]"); got != "61 financeurs" {
		t.Errorf("total: got %q, want %q", got, "61 financeurs")
	}
	if got := p1.Doc.Find(".pagination a[rel=next]").AttrOr("href", ""); got != funders(c.Slug, busy)+"?page=2" {
		t.Errorf("next page: got %q", got)
	}
	if got := p2.Doc.Find(".pagination a[rel=prev]").AttrOr("href", ""); got != funders(c.Slug, busy)+"?page=1" {
		t.Errorf("previous page: got %q", got)
	}
	for testid, want := range map[string]string{"call-link": "/cofinancement/" + c.Slug, "step-link": fmt.Sprintf("/cofinancement/%s#etape-%d", c.Slug, busy)} {
		if got := p1.Doc.Find("[data-testid="+testid+"]").AttrOr("href", ""); got != want {
			t.Errorf("%s: got %q, want %q", testid, got, want)
		}
	}
	if got, want := text(p1, "[data-testid=call-link]")+" / "+text(p1, "h1"), "Appel 2026 / Financeurs de l’étape « Étape 1 »"; got != want {
		t.Errorf("titles: got %q, want %q", got, want)
	}
	// Anonymous funders: the same rows as on the call's page, without name nor message.
	var names []string
	for _, pg := range []*apptest.Response{p1, p2} {
		pg.Doc.Find("[data-testid=step-funder][data-anonymous=true] [data-testid=funder-name]").Each(func(_ int, n *goquery.Selection) {
			names = append(names, n.Text())
		})
		if strings.Contains(pg.Body, contrib.DisplayName) || strings.Contains(pg.Body, "Signé") {
			t.Error("an anonymous funder's name or message is on the funders page")
		}
	}
	if strings.Join(names, ",") != "anonyme,anonyme,anonyme" {
		t.Errorf("anonymous funders: got %v, want 3 anonyme", names)
	}
	if got := p1.Doc.Find("[data-testid=step-funder] [data-testid=funder-name]").First().Text(); got != "Fondation des Communs" {
		t.Errorf("a public funder: got %q, want the organisation", got)
	}

	// Junk page numbers are page 1, a page past the last is empty, as on /defis.
	for _, tt := range []struct {
		query string
		rows  int
	}{
		{"?page=1", 50}, {"?page=abc", 50}, {"?page=0", 50}, {"?page=-2", 50}, {"?page=99999999999999999999", 50},
		{"?page=3", 0}, {"?page=10001", 0},
	} {
		r := anon.Get(funders(c.Slug, busy) + tt.query)
		wantStatus(t, r, http.StatusOK)
		if got := r.Doc.Find("[data-testid=step-funder]").Length(); got != tt.rows {
			t.Errorf("%s: got %d funders, want %d", tt.query, got, tt.rows)
		}
		if tt.rows == 0 && !strings.Contains(text(r, "[data-testid=step-funders-empty]"), "Aucun financeur sur cette page.") {
			t.Errorf("%s: no empty state", tt.query)
		}
	}
	r = anon.Get(funders(c.Slug, empty))
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=step-funders-empty]"); got != "Aucune promesse pour l’instant." {
		t.Errorf("a step without pledges: got %q", got)
	}
	if got := text(r, "[data-testid=total]"); got != "0 financeur" {
		t.Errorf("a step without pledges: total %q", got)
	}
	last := anon.Get(funders(c.Slug, huge) + "?page=21")
	if got := funderAmounts(last, "[data-testid=step-funders]"); !slices.Equal(got, []string{money(500), money(400), money(300), money(200), money(100)}) {
		t.Errorf("last page of 1 005: got %v, want the 5 oldest", got)
	}
	if got := text(last, "[data-testid=total]"); got != "1 005 financeurs" {
		t.Errorf("total: got %q", got)
	}
	wantStatus(t, anon.Get(funders(later.Slug, elsewhere)), http.StatusOK)

	// Not found: no such call or step, a step of no call or of another call, a junk id.
	for _, path := range []string{
		funders("inconnu", busy), funders(c.Slug, 999999), funders(c.Slug, outside), funders(c.Slug, elsewhere), funders(later.Slug, busy),
		"/cofinancement/" + c.Slug + "/etapes/abc/financeurs", "/cofinancement/" + c.Slug + "/etapes/0/financeurs",
		"/cofinancement/" + c.Slug + "/etapes/-1/financeurs", "/cofinancement/" + c.Slug + "/etapes/1e3/financeurs",
		"/cofinancement/" + c.Slug + "/etapes/99999999999999999999/financeurs",
	} {
		r := anon.Get(path)
		if r.StatusCode != http.StatusNotFound || !strings.Contains(r.Body, "Page introuvable") {
			t.Errorf("GET %s: got %d, want the 404 page", path, r.StatusCode)
		}
	}

	// In English, the link and the page count the English way.
	en := s.a.Client(t)
	en.Get("/langue?lang=en")
	if got := strings.Join(strings.Fields(en.Get("/cofinancement/"+c.Slug).Doc.Find(card(huge)+" [data-testid=step-funders-all]").Text()), " "); got != "See all 1,005 funders" {
		t.Errorf("English link: got %q", got)
	}
	if got := text(en.Get(funders(c.Slug, huge)), "[data-testid=total]"); got != "1,005 funders" {
		t.Errorf("English total: got %q", got)
	}

	// The same number of queries for 10 funders, 1 005, and their last page.
	cost := func(path string) int64 {
		before := s.a.Queries.Count()
		wantStatus(t, anon.Get(path), http.StatusOK)
		return s.a.Queries.Count() - before
	}
	few := cost(funders(c.Slug, ten))
	for _, path := range []string{funders(c.Slug, huge), funders(c.Slug, huge) + "?page=21", funders(c.Slug, empty)} {
		if got := cost(path); got != few {
			t.Errorf("queries of %s: got %d, want %d as for 10 funders", path, got, few)
		}
	}
	wantLedgerZero(t, s.a)
}
