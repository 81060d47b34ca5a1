package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const plPass = "motdepasse-solide"

// plWorld is a commun (from a défi led by the porteur) with a step in an open call, and
// one logged-in client per role: a contributor without a funder profile, a funder
// (particulier, whose pledges are anonymous), another funder (entreprise), the porteur
// and a coordinator.
type plWorld struct {
	a       *apptest.App
	users   map[string]*fabrique.User
	clients map[string]*apptest.Client
	kinds   map[string]string // the funder profile's kind, by role
	commons int64
	step    int64
	call    string
	keys    int
	mu      sync.Mutex
}

var plRoles = []string{"anonyme", "contributeur", "financeur", "autre-financeur", "porteur", "coordination"}

func newPlWorld(t *testing.T, opts ...apptest.Option) *plWorld {
	t.Helper()
	a := apptest.Start(t, opts...)
	w := &plWorld{a: a, call: "appel-a-communs-2027",
		users: map[string]*fabrique.User{
			"contributeur":    a.CreateUser(t, "Chloé Contributrice", "contrib@example.org", plPass, fabrique.RoleContributor),
			"financeur":       a.CreateUser(t, "Zéphyrin Discret", "discret@example.org", plPass, fabrique.RoleContributor),
			"autre-financeur": a.CreateUser(t, "Olga Mécène", "mecene@example.org", plPass, fabrique.RoleContributor),
			"porteur":         a.CreateUser(t, "Paule Porteuse", "porteur@example.org", plPass, fabrique.RoleContributor),
			"coordination":    a.CreateUser(t, "Camille Coordination", "coord@example.org", plPass, fabrique.RoleCoordinator),
		},
		clients: map[string]*apptest.Client{"anonyme": a.Client(t)},
		kinds:   map[string]string{"contributeur": "particulier", "financeur": "particulier", "autre-financeur": "entreprise", "porteur": "particulier", "coordination": "particulier"},
	}
	for role, u := range w.users {
		w.clients[role] = a.Client(t)
		w.clients[role].Login(u.Email, plPass)
	}
	ctx := context.Background()
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Réserver les espaces", Summary: "Résumé.", Problem: "Problème."}, w.users["porteur"].ID)
	if err != nil {
		t.Fatal(err)
	}
	w.commons = w.scalar(t, `INSERT INTO commons (slug, name) VALUES ('dokos', 'Dokos') RETURNING id`)
	w.exec(t, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2, 'origine')`, c.ID, w.commons)
	w.step = w.newStep(t, "Module de réservation")
	callID := w.scalar(t, `INSERT INTO calls (slug, title, starts_on, ends_on, pool, match_percent, match_kinds, created_by)
		VALUES ($1, 'Appel à communs 2027', current_date - 10, current_date + 30, 500000, 100, '{tiers-lieu}', $2) RETURNING id`,
		w.call, w.users["coordination"].ID)
	w.exec(t, `INSERT INTO call_steps (call_id, step_id) VALUES ($1, $2)`, callID, w.step)
	w.exec(t, `INSERT INTO funders (user_id, kind) VALUES ($1, 'particulier'), ($2, 'particulier'), ($3, 'particulier')`,
		w.users["financeur"].ID, w.users["porteur"].ID, w.users["coordination"].ID)
	w.exec(t, `INSERT INTO funders (user_id, kind, organisation) VALUES ($1, 'entreprise', '=HYPERLINK("x")')`, w.users["autre-financeur"].ID)
	return w
}

func (w *plWorld) exec(tb testing.TB, sql string, args ...any) {
	tb.Helper()
	if _, err := w.a.SQL.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

func (w *plWorld) scalar(tb testing.TB, sql string, args ...any) int64 {
	tb.Helper()
	var id int64
	if err := w.a.SQL.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
	return id
}

func (w *plWorld) newStep(tb testing.TB, title string) int64 {
	tb.Helper()
	return w.scalar(tb, `INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by)
		VALUES ($1, $2, 1000000, current_date, current_date + 90, $3) RETURNING id`, w.commons, title, w.users["porteur"].ID)
}

// key returns a fresh idempotency key.
func (w *plWorld) key() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keys++
	return fmt.Sprintf("cle-de-test-%04d", w.keys)
}

// pledge records a promise of role to the step through the store.
func (w *plWorld) pledge(tb testing.TB, role string, amount int64, anonymous bool) *fabrique.PledgeRecord {
	tb.Helper()
	rec, _, err := w.a.DB.CreatePledge(context.Background(), fabrique.NewPledge{StepID: w.step, UserID: w.users[role].ID,
		Kind: w.kinds[role], Amount: amount, Anonymous: anonymous, IdempotencyKey: w.key(), Today: plToday()})
	if err != nil {
		tb.Fatalf("pledge of %s: %v", role, err)
	}
	return rec
}

func (w *plWorld) form(role, amount string) url.Values {
	return url.Values{"amount": {amount}, "funder_kind": {w.kinds[role]}, "message": {"Bon courage"}, "idempotency_key": {w.key()}}
}

func (w *plWorld) stepPath() string { return "/etapes/" + idStr(w.step) + "/promesses" }

func plPath(id int64, action string) string { return "/promesses/" + idStr(id) + "/" + action }

// plToday is today in Paris at midnight UTC, as the server reads days.
func plToday() time.Time {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.FixedZone("CET", 3600)
	}
	y, m, d := time.Now().In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestPledgeAuthorizationTable(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	routes := []struct {
		name   string
		method string
		path   func() string // may create what the route acts on
		form   func(role string) url.Values
		want   map[string]int
	}{
		{"pledge", "POST", w.stepPath, func(role string) url.Values { return w.form(role, "100") },
			map[string]int{"contributeur": 303, "financeur": 303, "autre-financeur": 303, "porteur": 303, "coordination": 303}},
		{"pledge form", "GET", func() string { return w.stepPath() + "/nouvelle" }, nil,
			map[string]int{"anonyme": 200, "contributeur": 200, "financeur": 200, "autre-financeur": 200, "porteur": 200, "coordination": 200}},
		{"show", "GET", func() string { return "/promesses/" + idStr(w.pledge(t, "financeur", 1000, true).ID) }, nil,
			map[string]int{"contributeur": 403, "financeur": 200, "autre-financeur": 403, "porteur": 403, "coordination": 200}},
		{"modify", "POST", func() string { return plPath(w.pledge(t, "financeur", 1000, true).ID, "modifier") },
			func(string) url.Values { return url.Values{"amount": {"20"}} },
			map[string]int{"contributeur": 403, "financeur": 303, "autre-financeur": 403, "porteur": 403, "coordination": 403}},
		{"cancel", "POST", func() string { return plPath(w.pledge(t, "financeur", 1000, true).ID, "annuler") }, nil,
			map[string]int{"contributeur": 403, "financeur": 303, "autre-financeur": 403, "porteur": 403, "coordination": 303}},
		{"confirm", "POST", func() string { return plPath(w.pledge(t, "financeur", 1000, true).ID, "confirmer") }, nil,
			map[string]int{"contributeur": 403, "financeur": 403, "autre-financeur": 403, "porteur": 403, "coordination": 303}},
		{"profile form", "GET", func() string { return "/espace/financeur" }, nil,
			map[string]int{"contributeur": 200, "financeur": 200, "autre-financeur": 200, "porteur": 200, "coordination": 200}},
		{"profile", "POST", func() string { return "/espace/financeur" },
			func(role string) url.Values { return url.Values{"kind": {w.kinds[role]}, "organisation": {"Org"}} },
			map[string]int{"contributeur": 303, "financeur": 303, "autre-financeur": 303, "porteur": 303, "coordination": 303}},
		{"my pledges", "GET", func() string { return "/espace/promesses" }, nil,
			map[string]int{"contributeur": 200, "financeur": 200, "autre-financeur": 200, "porteur": 200, "coordination": 200}},
		{"waiting pledges", "GET", func() string { return "/coordination/promesses" }, nil,
			map[string]int{"contributeur": 403, "financeur": 403, "autre-financeur": 403, "porteur": 403, "coordination": 200}},
		{"csv", "GET", func() string { return "/cofinancement/" + w.call + "/promesses.csv" }, nil,
			map[string]int{"contributeur": 403, "financeur": 403, "autre-financeur": 403, "porteur": 403, "coordination": 200}},
		{"call page", "GET", func() string { return "/cofinancement/" + w.call }, nil,
			map[string]int{"anonyme": 200, "contributeur": 200, "financeur": 200, "autre-financeur": 200, "porteur": 200, "coordination": 200}},
	}
	for _, rt := range routes {
		for _, role := range plRoles {
			path := rt.path()
			var r *apptest.Response
			if rt.method == "GET" {
				r = w.clients[role].Get(path)
			} else {
				var f url.Values
				if rt.form != nil {
					f = rt.form(role)
				}
				r = w.clients[role].Post(path, f)
			}
			want, ok := rt.want[role]
			if role == "anonyme" && !ok {
				if !isLoginRedirect(r) {
					t.Errorf("%s (%s) as a visitor: got %d %q, want 303 to /connexion", rt.name, path, r.StatusCode, r.Location())
				}
				continue
			}
			if r.StatusCode != want {
				t.Errorf("%s (%s %s) as %s: got %d, want %d", rt.name, rt.method, path, role, r.StatusCode, want)
			}
		}
	}
	// Unknown things are 404 once logged in, never 500.
	c := w.clients["coordination"]
	for _, path := range []string{"/etapes/999999/promesses", "/etapes/abc/promesses", "/promesses/999999/confirmer", "/promesses/x/annuler", "/promesses/999999/modifier"} {
		if r := c.Post(path, w.form("coordination", "10")); r.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: got %d, want 404", path, r.StatusCode)
		}
	}
	// A step that does not exist is 404 whether the form is right or not: the funder's
	// profile comes with the session, the step is read by the transaction or for the
	// refused form's page.
	if r := c.Post("/etapes/999999/promesses", url.Values{"amount": {"pas un montant"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("POST /etapes/999999/promesses, a refused form: got %d, want 404", r.StatusCode)
	}
	for _, path := range []string{"/promesses/999999", "/etapes/999999/promesses/nouvelle", "/cofinancement/inconnu/promesses.csv"} {
		if r := c.Get(path); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: got %d, want 404", path, r.StatusCode)
		}
	}
	wantLedgerZero(t, w.a)
}

func TestPledgeCreateHTTP(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	c := w.clients["financeur"]
	count := func() int { return countRows(t, w.a, `SELECT count(*) FROM pledges`) }

	// Amounts as people type them.
	for _, tc := range []struct {
		typed string
		cents int64
	}{{"1500", 150000}, {"1 500,50", 150050}, {"1500.5", 150050}, {"3 000,50 €", 300050}} {
		f := w.form("financeur", tc.typed)
		r := c.Post(w.stepPath(), f)
		wantPledgePage(t, r)
		if n := countRows(t, w.a, `SELECT count(*) FROM pledges WHERE idempotency_key = $1 AND amount = $2 AND call_id IS NOT NULL AND state = 'promise'`,
			f.Get("idempotency_key"), tc.cents); n != 1 {
			t.Errorf("%q: got %d pledges of %d cents in the call, want 1", tc.typed, n, tc.cents)
		}
	}
	if got := text(c.Get("/espace"), "[data-testid=flash]"); !strings.Contains(got, "promesse est enregistrée") {
		t.Errorf("flash: got %q", got)
	}
	before := count()

	// Refused forms: 422, the error next to its field, nothing written.
	long := strings.Repeat("é", 1001)
	place := w.scalar(t, `INSERT INTO places (slug, name) VALUES ('la-fabrik', 'La Fabrik') RETURNING id`)
	cases := []struct {
		name   string
		role   string
		edit   func(url.Values)
		field  string
		substr string
	}{
		{"no amount", "financeur", func(f url.Values) { f.Set("amount", "") }, "amount", "Indiquez un montant"},
		{"zero", "financeur", func(f url.Values) { f.Set("amount", "0") }, "amount", "supérieur à zéro"},
		{"negative", "financeur", func(f url.Values) { f.Set("amount", "-5") }, "amount", "positif"},
		{"letters", "financeur", func(f url.Values) { f.Set("amount", "beaucoup") }, "amount", "lisible"},
		{"three decimals", "financeur", func(f url.Values) { f.Set("amount", "10,505") }, "amount", "deux décimales"},
		{"missing key", "financeur", func(f url.Values) { f.Del("idempotency_key") }, "idempotency_key", "expiré"},
		{"short key", "financeur", func(f url.Values) { f.Set("idempotency_key", "abc") }, "idempotency_key", "expiré"},
		{"long message", "financeur", func(f url.Values) { f.Set("message", long) }, "message", "1 000"},
		{"bad kind", "financeur", func(f url.Values) { f.Set("funder_kind", "banque") }, "funder_kind", "de la liste"},
		{"kind not the profile's", "financeur", func(f url.Values) { f.Set("funder_kind", "fondation") }, "funder_kind", "profil de financeur"},
		{"first pledge, no kind", "contributeur", func(f url.Values) { f.Del("funder_kind") }, "funder_kind", "type de financeur"},
		{"first pledge, company without name", "contributeur", func(f url.Values) { f.Set("funder_kind", "entreprise") }, "organisation", "organisation"},
		{"first pledge, tiers-lieu without place", "contributeur", func(f url.Values) {
			f.Set("funder_kind", "tiers-lieu")
			f.Set("organisation", "La Fabrik")
		}, "place_id", "tiers-lieu"},
		{"first pledge, tiers-lieu not theirs", "contributeur", func(f url.Values) {
			f.Set("funder_kind", "tiers-lieu")
			f.Set("organisation", "La Fabrik")
			f.Set("place_id", idStr(place))
		}, "place_id", "membre"},
	}
	for _, tc := range cases {
		f := w.form(tc.role, "100")
		tc.edit(f)
		r := w.clients[tc.role].Post(w.stepPath(), f)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: got %d, want 422", tc.name, r.StatusCode)
			continue
		}
		if got := text(r, "[data-testid=error-"+tc.field+"]"); !strings.Contains(got, tc.substr) {
			t.Errorf("%s: error next to %s: got %q, want it to contain %q", tc.name, tc.field, got, tc.substr)
		}
		if key := r.Doc.Find("input[name=idempotency_key]").AttrOr("value", ""); len(key) < 8 {
			t.Errorf("%s: the form shown again carries key %q, want a valid one", tc.name, key)
		}
	}
	if got := count(); got != before {
		t.Errorf("refused forms wrote pledges: got %d, want %d", got, before)
	}
	if got := countRows(t, w.a, `SELECT count(*) FROM funders WHERE user_id = $1`, w.users["contributeur"].ID); got != 0 {
		t.Errorf("refused forms wrote a funder profile: got %d", got)
	}

	// A first pledge as a tiers-lieu the contributor belongs to: the profile comes with it.
	w.exec(t, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2)`, place, w.users["contributeur"].ID)
	f := w.form("contributeur", "250")
	f.Set("funder_kind", "tiers-lieu")
	f.Set("organisation", "La Fabrik")
	f.Set("place_id", idStr(place))
	wantPledgePage(t, w.clients["contributeur"].Post(w.stepPath(), f))
	if got := countRows(t, w.a, `SELECT count(*) FROM funders WHERE user_id = $1 AND kind = 'tiers-lieu' AND place_id = $2`, w.users["contributeur"].ID, place); got != 1 {
		t.Errorf("funder profile made with the first pledge: got %d, want 1", got)
	}

	// A step in no open call: a pledge to the step alone, back to the commun's page.
	solo := w.newStep(t, "Étape hors appel")
	f = w.form("financeur", "10")
	wantPledgePage(t, c.Post("/etapes/"+idStr(solo)+"/promesses", f))
	if got := countRows(t, w.a, `SELECT count(*) FROM pledges WHERE step_id = $1 AND call_id IS NULL`, solo); got != 1 {
		t.Errorf("pledge outside a call: got %d, want 1", got)
	}
}

func TestPledgeIdempotentHTTP(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	c := w.clients["financeur"]
	f := w.form("financeur", "42")
	first := c.Post(w.stepPath(), f)
	wantPledgePage(t, first)
	wantRedirect(t, c.Post(w.stepPath(), f), first.Location())
	if got := text(c.Get(first.Location()), "[data-testid=flash]"); !strings.Contains(got, "déjà enregistrée") {
		t.Errorf("flash after a resubmission: got %q", got)
	}
	// The same form sent to another step: refused, nothing recorded there.
	other := w.newStep(t, "Une autre étape")
	wantStatus(t, c.Post("/etapes/"+idStr(other)+"/promesses", f), http.StatusConflict)
	if got := countRows(t, w.a, `SELECT count(*) FROM pledges WHERE step_id = $1`, other); got != 0 {
		t.Errorf("pledges to the other step with a used form: %d", got)
	}

	// A first pledge sent ten times at once, profile included; then four more forms.
	const forms = 5
	statuses := make(chan int, 10*forms)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range forms {
		f := w.form("contributeur", "77")
		f.Set("funder_kind", "particulier")
		for range 10 {
			wg.Go(func() {
				<-start
				statuses <- w.clients["contributeur"].Post(w.stepPath(), f).StatusCode
			})
		}
	}
	close(start)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusSeeOther {
			t.Errorf("concurrent resubmission: got %d, want 303", s)
		}
	}
	if got := countRows(t, w.a, `SELECT count(*) FROM pledges WHERE user_id = $1`, w.users["contributeur"].ID); got != forms {
		t.Errorf("%d forms each sent 10 times at once: got %d pledges, want %d", forms, got, forms)
	}
}

func TestPledgeDecisionsHTTP(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	ctx := context.Background()
	funder, coord := w.clients["financeur"], w.clients["coordination"]
	funds := func() int64 {
		b, err := w.a.DB.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountCommonsFunds, CommonsID: w.commons})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// The funder changes their promise; a refused change is shown on the pledge's page.
	p := w.pledge(t, "financeur", 10000, false)
	r := funder.Post(plPath(p.ID, "modifier"), url.Values{"amount": {"abc"}, "message": {"x"}})
	wantFieldError(t, r, "amount", "lisible")
	wantRedirect(t, funder.Post(plPath(p.ID, "modifier"), url.Values{"amount": {"150,25"}, "anonymous": {"1"}, "message": {"Tenez bon"}}),
		"/promesses/"+idStr(p.ID))
	if got := countRows(t, w.a, `SELECT count(*) FROM pledges WHERE id = $1 AND amount = 15025 AND anonymous AND message = 'Tenez bon'`, p.ID); got != 1 {
		t.Errorf("modified pledge: got %d rows, want 1", got)
	}
	// A coordinator who saw the old amount does not confirm the new one.
	wantStatus(t, coord.Post(plPath(p.ID, "confirmer"), url.Values{"expected_amount": {"10000"}}), http.StatusConflict)
	wantRedirect(t, coord.Post(plPath(p.ID, "confirmer"), url.Values{"expected_amount": {"15025"}, "suivant": {"/coordination"}}), "/coordination")
	if got := funds(); got != 15025 {
		t.Errorf("commun's funds: got %d, want 15025", got)
	}
	// Again: the same answer, nothing more; contradicting it: 409.
	wantRedirect(t, coord.Post(plPath(p.ID, "confirmer"), nil), "/promesses/"+idStr(p.ID))
	if got := text(coord.Get("/promesses/"+idStr(p.ID)), "[data-testid=flash]"); !strings.Contains(got, "déjà confirmée") {
		t.Errorf("flash: got %q", got)
	}
	wantStatus(t, funder.Post(plPath(p.ID, "annuler"), nil), http.StatusConflict)
	wantStatus(t, coord.Post(plPath(p.ID, "annuler"), nil), http.StatusConflict)
	wantStatus(t, funder.Post(plPath(p.ID, "modifier"), url.Values{"amount": {"1"}}), http.StatusConflict)
	if got := funds(); got != 15025 {
		t.Errorf("commun's funds: got %d, want 15025", got)
	}

	// Confirmed twice at once: one movement.
	q := w.pledge(t, "autre-financeur", 5000, false)
	coord2 := w.a.CreateUser(t, "Claude Coordination", "coord2@example.org", plPass, fabrique.RoleCoordinator)
	c2 := w.a.Client(t)
	c2.Login(coord2.Email, plPass)
	var wg sync.WaitGroup
	for _, c := range []*apptest.Client{coord, c2, coord, c2} {
		wg.Go(func() {
			if r := c.Post(plPath(q.ID, "confirmer"), nil); r.StatusCode != http.StatusSeeOther {
				t.Errorf("concurrent confirmation: got %d, want 303", r.StatusCode)
			}
		})
	}
	wg.Wait()
	if got := countRows(t, w.a, `SELECT count(*) FROM ledger_transactions WHERE cause_type = 'pledge' AND cause_id = $1`, q.ID); got != 1 {
		t.Errorf("movements of a pledge confirmed twice at once: got %d, want 1", got)
	}

	// Confirmation racing a withdrawal: exactly one wins.
	for i := range 6 {
		x := w.pledge(t, "financeur", 1000, i%2 == 0)
		var confirm, withdraw int
		wg.Go(func() { confirm = coord.Post(plPath(x.ID, "confirmer"), nil).StatusCode })
		wg.Go(func() { withdraw = funder.Post(plPath(x.ID, "annuler"), nil).StatusCode })
		wg.Wait()
		moves := countRows(t, w.a, `SELECT count(*) FROM ledger_transactions WHERE cause_type = 'pledge' AND cause_id = $1`, x.ID)
		confirmed := countRows(t, w.a, `SELECT count(*) FROM pledges WHERE id = $1 AND state = 'confirmee'`, x.ID)
		switch {
		case confirm == 303 && withdraw == 409 && moves == 1 && confirmed == 1:
		case confirm == 409 && withdraw == 303 && moves == 0 && confirmed == 0:
		default:
			t.Errorf("race %d: confirm %d, withdraw %d, %d movement(s), confirmed %d; want one winner", i, confirm, withdraw, moves, confirmed)
		}
	}

	// Withdrawn, then cancelled again by the coordination: the same answer.
	y := w.pledge(t, "financeur", 1000, false)
	wantRedirect(t, funder.Post(plPath(y.ID, "annuler"), url.Values{"suivant": {"/espace"}}), "/espace")
	wantRedirect(t, coord.Post(plPath(y.ID, "annuler"), nil), "/promesses/"+idStr(y.ID))
	wantStatus(t, coord.Post(plPath(y.ID, "confirmer"), nil), http.StatusConflict)
	wantStatus(t, funder.Post(plPath(y.ID, "annuler"), url.Values{"suivant": {"https://ailleurs.example"}}), http.StatusSeeOther)

	var confirmed int64
	if err := w.a.SQL.QueryRow(ctx, `SELECT coalesce(sum(amount), 0) FROM pledges WHERE state = 'confirmee'`).Scan(&confirmed); err != nil {
		t.Fatal(err)
	}
	if got := funds(); got != confirmed {
		t.Errorf("commun's funds: got %d, want the confirmed pledges' %d", got, confirmed)
	}
	if got := countRows(t, w.a, `SELECT count(*) FROM audit_log WHERE target_type = 'pledge' AND action = 'pledge.confirm'`); got != countRows(t, w.a, `SELECT count(*) FROM pledges WHERE state = 'confirmee'`) {
		t.Errorf("audited confirmations: got %d, want one per confirmed pledge", got)
	}
	wantLedgerZero(t, w.a)
}

// TestPledgeCallPage: the call's page shows each role what it may see and do, and an
// anonymous funder's name to the coordination only.
func TestPledgeCallPage(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string][]apptest.Option{"built": nil,
		// The call as anyone sees it shared through the data cache: each viewer still
		// gets their own pledges, forms and names, never another's.
		"shared": {apptest.WithPageCache(time.Hour)}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := newPlWorld(t, opts...)
			if opts != nil {
				w.a.WaitPageCache(t)
			}
			testPledgeCallPage(t, w)
		})
	}
}

func testPledgeCallPage(t *testing.T, w *plWorld) {
	hidden := w.pledge(t, "financeur", 12345, true)
	public := w.pledge(t, "autre-financeur", 50000, false)
	page := "/cofinancement/" + w.call
	stepForm := "form[data-testid=pledge-form][action='" + w.stepPath() + "']"

	r := w.clients["anonyme"].Get(page)
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=pledge-login] a[href^='/connexion']").Length() != 1 || r.Doc.Find(stepForm).Length() != 0 {
		t.Errorf("visitor: want a login link and no pledge form")
	}

	// The call's page stacks no pledge form: each step has « Soutenir cette étape »,
	// which leads to the step's own page and its form.
	support := "[data-testid=call-step] a[data-testid=support-step][href='" + w.stepPath() + "/nouvelle']"
	r = w.clients["contributeur"].Get(page)
	if r.Doc.Find(stepForm).Length() != 0 || r.Doc.Find(support).Length() != 1 {
		t.Errorf("contributor on the call's page: want « Soutenir cette étape » and no pledge form")
	}
	stepPage := w.stepPath() + "/nouvelle"
	form := w.clients["contributeur"].Get(stepPage).Doc.Find(stepForm)
	if form.Length() != 1 || form.Find("[name=organisation]").Length() != 1 || form.Find("select[name=place_id]").Length() != 1 {
		t.Fatalf("contributor without profile: want the pledge form with the profile fields")
	}
	key := form.Find("input[type=hidden][name=idempotency_key]").AttrOr("value", "")
	again := w.clients["contributeur"].Get(stepPage).Doc.Find(stepForm+" input[name=idempotency_key]").AttrOr("value", "")
	if len(key) < 8 || len(key) > 100 || key == again {
		t.Errorf("idempotency keys: got %q then %q, want two fresh keys of 8 to 100 characters", key, again)
	}

	form = w.clients["financeur"].Get(stepPage).Doc.Find(stepForm)
	if form.Length() != 1 || form.Find("[name=organisation]").Length() != 0 ||
		form.Find("select[name=funder_kind] option[selected]").AttrOr("value", "") != "particulier" {
		t.Errorf("funder: want the pledge form preset from the profile, without profile fields")
	}
	r = w.clients["financeur"].Get(page)
	mine := r.Doc.Find("[data-testid=call-pledges] [data-testid=pledge]")
	if mine.Length() != 1 || mine.AttrOr("data-id", "") != idStr(hidden.ID) {
		t.Errorf("funder: got %d pledges listed, want their own only", mine.Length())
	}
	if mine.Find("form[action='"+plPath(hidden.ID, "modifier")+"']").Length() != 1 ||
		mine.Find("form[action='"+plPath(hidden.ID, "annuler")+"']").Length() != 1 ||
		mine.Find("form[action='"+plPath(hidden.ID, "confirmer")+"']").Length() != 0 {
		t.Errorf("funder: want modify and withdraw forms, no confirm form")
	}

	for _, role := range []string{"anonyme", "contributeur", "autre-financeur", "porteur"} {
		body := w.clients[role].Get(page).Body
		if strings.Contains(body, "Zéphyrin") || strings.Contains(body, "discret@example.org") {
			t.Errorf("%s sees the anonymous funder's name on the call's page", role)
		}
		if r := w.clients[role].Get(page); r.Doc.Find("form[action='"+plPath(hidden.ID, "confirmer")+"']").Length() != 0 {
			t.Errorf("%s sees a confirm form", role)
		}
	}

	r = w.clients["coordination"].Get(page)
	all := r.Doc.Find("[data-testid=call-pledges] [data-testid=pledge]")
	if all.Length() != 2 {
		t.Errorf("coordination: got %d pledges listed, want 2", all.Length())
	}
	for _, p := range []*fabrique.PledgeRecord{hidden, public} {
		if r.Doc.Find("form[action='"+plPath(p.ID, "confirmer")+"'] input[name=expected_amount][value='"+idStr(p.Amount)+"']").Length() != 1 ||
			r.Doc.Find("form[action='"+plPath(p.ID, "annuler")+"']").Length() != 1 {
			t.Errorf("coordination: want confirm and cancel forms for pledge %d", p.ID)
		}
	}
	if !strings.Contains(text(r, "#promesse-"+idStr(hidden.ID)), "Zéphyrin Discret") {
		t.Errorf("coordination: want the anonymous funder named")
	}
	if r.Doc.Find("a[href='/cofinancement/"+w.call+"/promesses.csv']").Length() != 1 {
		t.Errorf("coordination: want the CSV link")
	}

	// A call over: no more pledge forms. Written straight into the database, the change
	// reaches a caching instance by its notification, a moment later.
	w.exec(t, `UPDATE calls SET ends_on = current_date - 2 WHERE slug = $1`, w.call)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r := w.clients["financeur"].Get(page)
		if r.Doc.Find(support).Length() == 0 && r.Doc.Find("[data-testid=pledges-closed]").Length() == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("call over: want no « Soutenir cette étape »")
			break
		}
	}
}

func TestPledgeListsHTTP(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	old := w.pledge(t, "financeur", 1000, true)
	w.exec(t, `UPDATE pledges SET created_at = now() - interval '12 days 1 hour' WHERE id = $1`, old.ID)
	done := w.pledge(t, "financeur", 2000, false)
	if _, _, err := w.a.DB.ConfirmPledge(context.Background(), done.ID, w.users["coordination"], 0); err != nil {
		t.Fatal(err)
	}
	other := w.pledge(t, "autre-financeur", 3000, false)

	r := w.clients["financeur"].Get("/espace/promesses")
	items := r.Doc.Find("[data-testid=my-pledges] [data-testid=pledge]")
	if items.Length() != 2 || items.First().AttrOr("data-id", "") != idStr(done.ID) {
		t.Errorf("my pledges: got %d, want 2, latest first", items.Length())
	}
	if r.Doc.Find("form[action='"+plPath(old.ID, "annuler")+"']").Length() != 1 || r.Doc.Find("form[action='"+plPath(done.ID, "annuler")+"']").Length() != 0 {
		t.Errorf("my pledges: want a withdraw form for the promise only")
	}
	if n := r.Doc.Find("[data-testid=funded-step] [data-testid=step-spent]").Length(); n != 1 {
		t.Errorf("my pledges: got %d steps with what they spent, want 1 (both pledges back one step)", n)
	}
	if got := r.Doc.Find("[data-testid=funder-profile]").AttrOr("data-kind", ""); got != "particulier" {
		t.Errorf("my funder profile: got %q, want particulier", got)
	}

	r = w.clients["coordination"].Get("/coordination/promesses")
	items = r.Doc.Find("[data-testid=pledges-waiting] [data-testid=pledge]")
	if items.Length() != 2 || items.First().AttrOr("data-id", "") != idStr(old.ID) {
		t.Fatalf("waiting pledges: got %d, want 2, oldest first", items.Length())
	}
	if got := text(r, "#promesse-"+idStr(old.ID)+" [data-testid=pledge-age]"); got != "depuis 12 jours" {
		t.Errorf("age: got %q, want %q", got, "depuis 12 jours")
	}
	if r.Doc.Find("form[action='"+plPath(other.ID, "confirmer")+"']").Length() != 1 {
		t.Errorf("waiting pledges: want confirm forms")
	}

	// The pages cost the same number of queries whatever the number of pledges.
	cost := func(role, path string) int64 {
		before := w.a.Queries.Count()
		wantStatus(t, w.clients[role].Get(path), http.StatusOK)
		return w.a.Queries.Count() - before
	}
	few := [2]int64{cost("financeur", "/espace/promesses"), cost("coordination", "/coordination/promesses")}
	for range 25 {
		w.pledge(t, "financeur", 100, false)
	}
	many := [2]int64{cost("financeur", "/espace/promesses"), cost("coordination", "/coordination/promesses")}
	if few != many {
		t.Errorf("queries with few then many pledges: got %v then %v, want the same", few, many)
	}
	wantLedgerZero(t, w.a)
}

func TestPledgeCSV(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	hidden := w.pledge(t, "financeur", 150050, true)
	w.pledge(t, "autre-financeur", 2000, false)
	if _, _, err := w.a.DB.ConfirmPledge(context.Background(), hidden.ID, w.users["coordination"], 0); err != nil {
		t.Fatal(err)
	}
	r := w.clients["coordination"].Get("/cofinancement/" + w.call + "/promesses.csv")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type: got %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition: got %q, want an attachment", cd)
	}
	if !strings.HasPrefix(r.Body, "\ufeffPromesse;Financeur;Organisation;") {
		t.Errorf("want a BOM and ';' between fields, got %.60q", r.Body)
	}
	lines := strings.Split(strings.TrimSpace(r.Body), "\r\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want a header and 2 pledges:\n%s", len(lines), r.Body)
	}
	today := plToday()
	if want := idStr(hidden.ID) + ";Zéphyrin Discret;;discret@example.org;Particulier;oui;1500,50;Confirmée;"; !strings.HasPrefix(lines[1], want) {
		t.Errorf("anonymous pledge line: got %q, want it to start with %q", lines[1], want)
	}
	if !strings.Contains(lines[1], ";Module de réservation;Dokos;") || strings.Count(lines[1], today.Format("02/01/2006")) != 2 {
		t.Errorf("anonymous pledge line: got %q, want the step, the commun, and the dates created and decided", lines[1])
	}
	if !strings.Contains(lines[2], `;"'=HYPERLINK(""x"")";`) || !strings.Contains(lines[2], ";20,00;Promesse;") {
		t.Errorf("second line: got %q, want the organisation neutralised and 20,00", lines[2])
	}
}

func TestFunderProfileHTTP(t *testing.T) {
	t.Parallel()
	w := newPlWorld(t)
	c := w.clients["contributeur"]
	r := c.Get("/espace/financeur?suivant=/cofinancement/" + w.call)
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("form[action='/espace/financeur'] input[name=suivant]").AttrOr("value", "") != "/cofinancement/"+w.call {
		t.Errorf("want the way back in the form")
	}
	place := w.scalar(t, `INSERT INTO places (slug, name) VALUES ('le-hangar', 'Le Hangar') RETURNING id`)
	wantFieldError(t, c.Post("/espace/financeur", url.Values{"kind": {"tiers-lieu"}, "organisation": {"Le Hangar"}}), "place_id", "tiers-lieu")
	wantFieldError(t, c.Post("/espace/financeur", url.Values{"kind": {"tiers-lieu"}, "organisation": {"Le Hangar"}, "place_id": {idStr(place)}}), "place_id", "membre")
	wantFieldError(t, c.Post("/espace/financeur", url.Values{"kind": {"fondation"}}), "organisation", "organisation")
	wantFieldError(t, c.Post("/espace/financeur", url.Values{"kind": {"mécène"}}), "kind", "de la liste")
	if got := countRows(t, w.a, `SELECT count(*) FROM funders WHERE user_id = $1`, w.users["contributeur"].ID); got != 0 {
		t.Fatalf("refused profiles wrote %d rows", got)
	}
	w.exec(t, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2)`, place, w.users["contributeur"].ID)
	r = c.Get("/espace/financeur")
	if r.Doc.Find("select[name=place_id] option[value='"+idStr(place)+"']").Length() != 1 {
		t.Errorf("want the contributor's tiers-lieu offered")
	}
	wantRedirect(t, c.Post("/espace/financeur", url.Values{"kind": {"tiers-lieu"}, "organisation": {"Le Hangar"}, "place_id": {idStr(place)},
		"suivant": {"/cofinancement/" + w.call}}), "/cofinancement/"+w.call)
	if got := countRows(t, w.a, `SELECT count(*) FROM funders WHERE user_id = $1 AND kind = 'tiers-lieu' AND place_id = $2 AND organisation = 'Le Hangar'`,
		w.users["contributeur"].ID, place); got != 1 {
		t.Errorf("profile: got %d rows, want 1", got)
	}
	// Now pledging as anything else is refused on its field.
	f := w.form("contributeur", "10")
	f.Set("funder_kind", "particulier")
	wantFieldError(t, c.Post(w.stepPath(), f), "funder_kind", "profil de financeur")
}

// wantPledgePage checks r sends the funder to their new pledge's page, which says how to
// pay it.
func wantPledgePage(tb testing.TB, r *apptest.Response) {
	tb.Helper()
	wantStatus(tb, r, http.StatusSeeOther)
	if loc := r.Location(); !regexp.MustCompile(`^/promesses/[0-9]+$`).MatchString(loc) {
		tb.Fatalf("%s %s: got Location %q, want the pledge's page", r.Request.Method, r.Request.URL.Path, loc)
	}
}
