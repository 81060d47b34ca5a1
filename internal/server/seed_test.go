package server_test

import (
	"context"
	"fmt"
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

const seedPass = "motdepasse-solide"

// seedFundYear is the year whose fund the server draws on now (it counts in Paris).
func seedFundYear(tb testing.TB) int {
	tb.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		loc = time.UTC
	}
	return time.Now().In(loc).Year()
}

// seedWorld is an app with one person of each role around one défi in "equipe", each
// logged in with their own client.
type seedWorld struct {
	a                                   *apptest.App
	challenge                           *fabrique.Challenge
	lead, member, contributor, coord    *fabrique.User
	anon, leadC, memberC, contribC, coC *apptest.Client
	year                                int
}

func newSeedWorld(t *testing.T) *seedWorld {
	t.Helper()
	a := apptest.Start(t)
	w := &seedWorld{a: a, year: seedFundYear(t)}
	w.lead = a.CreateUser(t, "Paul Porteur", "paul@example.org", seedPass, fabrique.RoleContributor)
	w.member = a.CreateUser(t, "Mina Membre", "mina@example.org", seedPass, fabrique.RoleContributor)
	w.contributor = a.CreateUser(t, "Chloé Contributrice", "chloe@example.org", seedPass, fabrique.RoleContributor)
	w.coord = a.CreateUser(t, "Claire Coordination", "claire@example.org", seedPass, fabrique.RoleCoordinator)
	w.challenge = w.newChallenge(t, "Réseau des fablabs", w.lead, fabrique.StatusTeam)
	seedExec(t, a, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())`,
		w.challenge.ID, w.member.ID)
	w.anon = a.Client(t)
	for _, x := range []struct {
		c    **apptest.Client
		user *fabrique.User
	}{{&w.leadC, w.lead}, {&w.memberC, w.member}, {&w.contribC, w.contributor}, {&w.coC, w.coord}} {
		*x.c = a.Client(t)
		(*x.c).Login(x.user.Email, seedPass)
	}
	return w
}

// newChallenge creates a défi led by lead in status.
func (w *seedWorld) newChallenge(t *testing.T, title string, lead *fabrique.User, status fabrique.Status) *fabrique.Challenge {
	t.Helper()
	c := mustCreateChallenge(t, w.a, lead.ID, title)
	seedExec(t, w.a, `UPDATE challenges SET status = $2 WHERE id = $1`, c.ID, string(status))
	c.Status = status
	return c
}

// fund sets this year's seed fund to cents, through the store.
func (w *seedWorld) fund(t *testing.T, cents int64) {
	t.Helper()
	if _, err := w.a.DB.SetSeedFund(context.Background(), w.coord, w.year, cents); err != nil {
		t.Fatal(err)
	}
}

// request records a seed request of cents for c, through the store.
func (w *seedWorld) request(t *testing.T, c *fabrique.Challenge, lead *fabrique.User, cents int64) int64 {
	t.Helper()
	id, err := w.a.DB.RequestSeedBudget(context.Background(), c.ID, lead, cents, "Cinq jours de documentation.")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// snapshot counts what a seed action writes, to check a refusal wrote nothing.
func (w *seedWorld) snapshot(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("requests=%d decided=%d tx=%d audit=%d",
		countRows(t, w.a, `SELECT count(*) FROM seed_requests`),
		countRows(t, w.a, `SELECT count(*) FROM seed_requests WHERE state <> 'pending'`),
		countRows(t, w.a, `SELECT count(*) FROM ledger_transactions`),
		countRows(t, w.a, `SELECT count(*) FROM audit_log`))
}

func seedExec(tb testing.TB, a *apptest.App, sql string, args ...any) {
	tb.Helper()
	if _, err := a.SQL.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("exec %q: %v", sql, err)
	}
}

// wantLedgerZero fails unless the ledger sums to zero.
func wantLedgerZero(tb testing.TB, a *apptest.App) {
	tb.Helper()
	total, err := a.DB.LedgerTotal(context.Background())
	if err != nil || total != 0 {
		tb.Errorf("ledger total: got %d (%v), want 0", total, err)
	}
}

// wantFieldError fails unless r is a 422 with msg (a part of it) next to field.
func wantFieldError(tb testing.TB, r *apptest.Response, field, msg string) {
	tb.Helper()
	wantStatus(tb, r, http.StatusUnprocessableEntity)
	got := text(r, "[data-testid=error-"+field+"]")
	if got == "" || !strings.Contains(got, msg) {
		tb.Errorf("error next to %s: got %q, want it to contain %q", field, got, msg)
	}
}

func seedForm(amount, plan string) url.Values { return url.Values{"amount": {amount}, "plan": {plan}} }

// TestSeedAuthorization walks the seed and coordination routes with every role: only the
// allowed one acts, the others are sent to log in (visitors) or refused (403), and a
// refusal writes nothing.
func TestSeedAuthorization(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	slug := w.challenge.Slug
	roles := []struct {
		name string
		c    *apptest.Client
	}{{"anonymous", w.anon}, {"contributor", w.contribC}, {"team member", w.memberC}, {"porteur", w.leadC}, {"coordinator", w.coC}}

	for _, path := range []string{"/coordination", "/coordination/journal"} {
		for _, role := range roles {
			r := role.c.Get(path)
			switch role.name {
			case "anonymous":
				wantRedirect(t, r, "/connexion?suivant="+url.QueryEscape(path))
			case "coordinator":
				wantStatus(t, r, http.StatusOK)
			default:
				wantStatus(t, r, http.StatusForbidden)
			}
		}
	}
	for _, role := range roles {
		wantStatus(t, role.c.Get("/defis/"+slug+"/amorcage"), http.StatusOK)
	}

	// Each POST, by each role; the allowed role goes last, as it changes the state the
	// next route needs (a fund, then a request, then its decision).
	posts := []struct {
		path    string
		form    url.Values
		allowed string
		then    string
	}{
		{"/coordination/fonds", url.Values{"year": {strconv.Itoa(w.year)}, "amount": {"12 000"}}, "coordinator", "/coordination"},
		{"/defis/" + slug + "/amorcage", seedForm("3 000", "Cinq jours de documentation."), "porteur", "/defis/" + slug},
		{"/defis/" + slug + "/amorcage/decision", url.Values{"decision": {"approuver"}}, "coordinator", "/defis/" + slug},
	}
	for _, p := range posts {
		for _, role := range roles {
			if role.name == p.allowed {
				continue
			}
			before := w.snapshot(t)
			r := role.c.Post(p.path, p.form)
			if role.name == "anonymous" {
				wantStatus(t, r, http.StatusSeeOther)
				if !strings.HasPrefix(r.Location(), "/connexion") {
					t.Errorf("POST %s by a visitor: got Location %q, want /connexion", p.path, r.Location())
				}
			} else if r.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s by %s: got status %d, want 403", p.path, role.name, r.StatusCode)
			}
			if after := w.snapshot(t); after != before {
				t.Errorf("POST %s by %s wrote: %s → %s", p.path, role.name, before, after)
			}
		}
		for _, role := range roles {
			if role.name == p.allowed {
				wantRedirect(t, role.c.Post(p.path, p.form), p.then)
			}
		}
	}
	if got := countRows(t, w.a, `SELECT count(*) FROM seed_requests WHERE state = 'approved' AND approved_amount = 300000`); got != 1 {
		t.Errorf("approved requests: got %d, want 1", got)
	}
	wantLedgerZero(t, w.a)
}

// TestSeedRequestByCoordinatorLead: a coordinator who leads a défi is its porteur.
func TestSeedRequestByCoordinatorLead(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	c := w.newChallenge(t, "Cantine partagée", w.coord, fabrique.StatusFraming)
	wantRedirect(t, w.coC.Post("/defis/"+c.Slug+"/amorcage", seedForm("1 000", "Le plan.")), "/defis/"+c.Slug)
	wantStatus(t, w.leadC.Post("/defis/"+c.Slug+"/amorcage", seedForm("1 000", "Le plan.")), http.StatusForbidden)
}

func TestSeedRequestAmounts(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	for i, tt := range []struct {
		typed string
		cents int64
	}{
		{"3000", 300000},
		{"3 000", 300000},
		{"2 999,50", 299950},
		{"1500.25", 150025},
		{"1 500,50 €", 150050},
		{"3 000,00 €", 300000},
		{" 42 ", 4200},
	} {
		c := w.newChallenge(t, fmt.Sprintf("Défi montant %d", i), w.lead, fabrique.StatusTeam)
		r := w.leadC.Post("/defis/"+c.Slug+"/amorcage", seedForm(tt.typed, "**Alice** : 3 jours."))
		wantRedirect(t, r, "/defis/"+c.Slug)
		var got int64
		if err := w.a.SQL.QueryRow(context.Background(), `SELECT amount FROM seed_requests WHERE challenge_id = $1`, c.ID).Scan(&got); err != nil || got != tt.cents {
			t.Errorf("%q: got %d cents (%v), want %d", tt.typed, got, err, tt.cents)
		}
	}
}

func TestSeedRequestInvalid(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	path := "/defis/" + w.challenge.Slug + "/amorcage"
	long := strings.Repeat("é", 20001)
	for _, tt := range []struct {
		name, amount, plan, field, msg string
	}{
		{"empty amount", "", "Le plan.", "amount", "Indiquez un montant."},
		{"letters", "trois mille", "Le plan.", "amount", "n’est pas lisible"},
		{"negative", "-100", "Le plan.", "amount", "positif"},
		{"zero", "0", "Le plan.", "amount", "supérieur à zéro"},
		{"three decimals", "3 000,505", "Le plan.", "amount", "deux décimales"},
		{"English thousands", "3,000.50", "Le plan.", "amount", "deux décimales"},
		{"absurd", "99999999999999", "Le plan.", "amount", "trop élevé"},
		{"over the ceiling", "3 000,01 €", "Le plan.", "amount", "il reste 3 000,00 € pour ce défi"},
		{"no plan", "1 000", "  \r\n ", "plan", "Décrivez le plan"},
		{"plan too long", "1 000", long, "plan", "20 000 caractères"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := w.snapshot(t)
			r := w.leadC.Post(path, seedForm(tt.amount, tt.plan))
			wantFieldError(t, r, tt.field, tt.msg)
			if tt.field == "amount" {
				if v, _ := r.Doc.Find(`form[action="` + path + `"] [name=amount]`).Attr("value"); v != strings.TrimSpace(tt.amount) {
					t.Errorf("amount kept as typed: got %q, want %q", v, strings.TrimSpace(tt.amount))
				}
			}
			if after := w.snapshot(t); after != before {
				t.Errorf("a refused request wrote: %s → %s", before, after)
			}
		})
	}
}

func TestSeedRequestRefusedByState(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	w.fund(t, 1200000)
	for _, status := range []fabrique.Status{fabrique.StatusIdentified, fabrique.StatusDevelopment, fabrique.StatusClosed} {
		c := w.newChallenge(t, "Défi "+string(status), w.lead, status)
		before := w.snapshot(t)
		r := w.leadC.Post("/defis/"+c.Slug+"/amorcage", seedForm("1 000", "Le plan."))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "quand l’équipe est constituée ou pendant la préfiguration") {
			t.Errorf("%s: got %q, want the sentence on the status", status, got)
		}
		if after := w.snapshot(t); after != before {
			t.Errorf("%s: a refused request wrote: %s → %s", status, before, after)
		}
	}

	// One open request at a time.
	path := "/defis/" + w.challenge.Slug + "/amorcage"
	wantRedirect(t, w.leadC.Post(path, seedForm("2 000", "Le plan.")), "/defis/"+w.challenge.Slug)
	before := w.snapshot(t)
	r := w.leadC.Post(path, seedForm("500", "Un autre plan."))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "Une demande est déjà en attente") {
		t.Errorf("second request: got %q, want “une demande est déjà en attente”", got)
	}
	if after := w.snapshot(t); after != before {
		t.Errorf("a second request wrote: %s → %s", before, after)
	}

	// Approved 2 000 €: 1 000 € left under the ceiling.
	wantRedirect(t, w.coC.Post(path+"/decision", url.Values{"decision": {"approuver"}}), "/defis/"+w.challenge.Slug)
	wantFieldError(t, w.leadC.Post(path, seedForm("1 000,01", "Le plan.")), "amount", "il reste 1 000,00 € pour ce défi")
	wantRedirect(t, w.leadC.Post(path, seedForm("1 000", "Le plan.")), "/defis/"+w.challenge.Slug)
	wantRedirect(t, w.coC.Post(path+"/decision", url.Values{"decision": {"approuver"}}), "/defis/"+w.challenge.Slug)
	page := w.leadC.Get(path)
	if got, _ := page.Doc.Find("[data-testid=seed-granted]").Attr("data-cents"); got != "300000" {
		t.Errorf("granted: got %s, want 300000", got)
	}
	if n := page.Doc.Find("[data-testid=seed-request-form]").Length(); n != 0 {
		t.Errorf("request form once the ceiling is reached: got %d, want 0", n)
	}
	wantLedgerZero(t, w.a)
}

func TestSeedSectionShowsRequest(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	w.fund(t, 1200000)
	path := "/defis/" + w.challenge.Slug + "/amorcage"

	r := w.leadC.Get(path)
	if n := r.Doc.Find(`form[method=post][action="` + path + `"] [name=amount]`).Length(); n != 1 {
		t.Fatalf("request form for the porteur: got %d amount fields, want 1", n)
	}
	if n := r.Doc.Find("[data-testid=seed-empty]").Length(); n != 1 {
		t.Errorf("empty state: got %d, want 1", n)
	}
	for name, c := range map[string]*apptest.Client{"visitor": w.anon, "member": w.memberC, "coordinator": w.coC} {
		if n := c.Get(path).Doc.Find("[data-testid=seed-request-form]").Length(); n != 0 {
			t.Errorf("request form for the %s: got %d, want 0", name, n)
		}
	}

	plan := "## Plan\n\n- **Alice** : 3 jours de documentation\n\n<script>alert(1)</script>"
	wantRedirect(t, w.leadC.Post(path, seedForm("2 500,50 €", plan)), "/defis/"+w.challenge.Slug)
	r = w.anon.Get(path)
	card := r.Doc.Find("[data-testid=seed-request]")
	if got, _ := card.Attr("data-state"); got != fabrique.SeedPending {
		t.Errorf("state: got %q, want pending", got)
	}
	if got := text(r, "[data-testid=seed-request] [data-testid=seed-requested-amount]"); got != "2 500,50 €" {
		t.Errorf("amount: got %q, want %q", got, "2 500,50 €")
	}
	if n := card.Find("[data-testid=seed-plan] strong").Length(); n != 1 {
		t.Errorf("plan rendered from Markdown: got %d <strong>, want 1", n)
	}
	if strings.Contains(r.Body, "<script>alert") {
		t.Errorf("plan not sanitised")
	}
	if n := r.Doc.Find("[data-testid=seed-decision-form]").Length(); n != 0 {
		t.Errorf("decision form for a visitor: got %d, want 0", n)
	}
	r = w.coC.Get(path)
	if n := r.Doc.Find(`form[method=post][action="` + path + `/decision"] button[name=decision][value=approuver]`).Length(); n != 1 {
		t.Errorf("approve button for the coordinator: got %d, want 1", n)
	}
	if got, _ := r.Doc.Find("[data-testid=seed-fund-left]").Attr("data-cents"); got != "1200000" {
		t.Errorf("fund left shown to the coordinator: got %s, want 1200000", got)
	}

	// Approved in part, with a note, then shown to everyone.
	wantRedirect(t, w.coC.Post(path+"/decision", url.Values{"decision": {"approuver"}, "amount": {"2 000"}, "note": {"Sans la partie design."}}), "/defis/"+w.challenge.Slug)
	r = w.memberC.Get(path)
	if got := text(r, "[data-testid=seed-request] [data-testid=seed-approved-amount]"); got != "2 000,00 €" {
		t.Errorf("approved amount: got %q, want %q", got, "2 000,00 €")
	}
	if got := text(r, "[data-testid=seed-request] [data-testid=seed-note]"); !strings.Contains(got, "Sans la partie design.") {
		t.Errorf("note: got %q", got)
	}
	if got, _ := r.Doc.Find("[data-testid=seed-granted]").Attr("data-cents"); got != "200000" {
		t.Errorf("granted: got %s, want 200000", got)
	}

	// A second request, refused: the first one moves to the past decisions.
	wantRedirect(t, w.leadC.Post(path, seedForm("1 000", "Encore un peu.")), "/defis/"+w.challenge.Slug)
	wantRedirect(t, w.coC.Post(path+"/decision", url.Values{"decision": {"refuser"}, "note": {"Pas cette année."}}), "/defis/"+w.challenge.Slug)
	r = w.anon.Get(path)
	if got, _ := r.Doc.Find("[data-testid=seed-request]").Attr("data-state"); got != fabrique.SeedRefused {
		t.Errorf("current request: got %q, want refused", got)
	}
	if n := r.Doc.Find("[data-testid=seed-history] [data-testid=seed-past-request][data-state=approved]").Length(); n != 1 {
		t.Errorf("past decisions: got %d approved, want 1", n)
	}
	wantLedgerZero(t, w.a)
}

func TestSeedDecisionInvalid(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	w.fund(t, 200000)
	path := "/defis/" + w.challenge.Slug + "/amorcage"
	id := w.request(t, w.challenge, w.lead, 300000)
	year := strconv.Itoa(w.year)
	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
		msg   string
	}{
		{"no decision", url.Values{"amount": {"1 000"}}, "decision", "Choisissez"},
		{"unknown decision", url.Values{"decision": {"peut-etre"}}, "decision", "Choisissez"},
		{"refusal without a note", url.Values{"decision": {"refuser"}, "note": {"  "}}, "note", "pourquoi la demande est refusée"},
		{"note too long", url.Values{"decision": {"refuser"}, "note": {strings.Repeat("a", 2001)}}, "note", "2 000 caractères"},
		{"unreadable amount", url.Values{"decision": {"approuver"}, "amount": {"deux mille"}}, "amount", "n’est pas lisible"},
		{"zero", url.Values{"decision": {"approuver"}, "amount": {"0"}}, "amount", "supérieur à zéro"},
		{"more than requested", url.Values{"decision": {"approuver"}, "amount": {"3 000,01"}}, "amount", "ne peut pas dépasser le montant demandé (3 000,00 €)"},
		{"more than the fund", url.Values{"decision": {"approuver"}}, "amount", "Le fonds d’amorçage " + year + " n’a plus que 2 000,00 €."},
		{"more than the fund, typed", url.Values{"decision": {"approuver"}, "amount": {"2 000,01 €"}}, "amount", "n’a plus que 2 000,00 €"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := w.snapshot(t)
			wantFieldError(t, w.coC.Post(path+"/decision", tt.form), tt.field, tt.msg)
			if after := w.snapshot(t); after != before {
				t.Errorf("a refused decision wrote: %s → %s", before, after)
			}
		})
	}
	wantStatus(t, w.coC.Post(path+"/decision", url.Values{"decision": {"approuver"}, "request_id": {"abc"}}), http.StatusNotFound)
	wantStatus(t, w.coC.Post(path+"/decision", url.Values{"decision": {"approuver"}, "request_id": {"999999"}}), http.StatusNotFound)
	wantStatus(t, w.coC.Post("/defis/inconnu/amorcage/decision", url.Values{"decision": {"approuver"}}), http.StatusNotFound)
	wantStatus(t, w.leadC.Post("/defis/inconnu/amorcage", seedForm("1 000", "Plan.")), http.StatusNotFound)
	wantStatus(t, w.anon.Get("/defis/inconnu/amorcage"), http.StatusNotFound)

	// Approved from the queue, in part: back to the queue.
	form := url.Values{"decision": {"approuver"}, "amount": {"2 000,00 €"}, "request_id": {strconv.FormatInt(id, 10)}, "suivant": {"/coordination"}}
	wantRedirect(t, w.coC.Post(path+"/decision", form), "/coordination")
	// Deciding it again is a conflict, whatever the decision.
	before := w.snapshot(t)
	wantStatus(t, w.coC.Post(path+"/decision", form), http.StatusConflict)
	wantStatus(t, w.coC.Post(path+"/decision", url.Values{"decision": {"refuser"}, "note": {"Non."}, "request_id": {strconv.FormatInt(id, 10)}}), http.StatusConflict)
	wantStatus(t, w.coC.Post(path+"/decision", url.Values{"decision": {"approuver"}}), http.StatusConflict) // nothing pending
	if after := w.snapshot(t); after != before {
		t.Errorf("a conflicting decision wrote: %s → %s", before, after)
	}
	// An outside suivant is ignored.
	other := w.newChallenge(t, "Cantine partagée", w.lead, fabrique.StatusTeam)
	w.request(t, other, w.lead, 1000)
	wantRedirect(t, w.coC.Post("/defis/"+other.Slug+"/amorcage/decision", url.Values{"decision": {"refuser"}, "note": {"Non."}, "suivant": {"//evil.example"}}), "/defis/"+other.Slug)
	wantLedgerZero(t, w.a)
}

// TestSeedApprovalsConcurrentHTTP approves six requests of 3 000 € at once through the
// forms, on a fund of 12 000 €: four are granted, two refused with the fund's sentence.
func TestSeedApprovalsConcurrentHTTP(t *testing.T) {
	t.Parallel()
	w := newSeedWorld(t)
	w.fund(t, 1200000)
	const n = 6
	slugs := make([]string, n)
	for i := range n {
		lead := w.a.CreateUser(t, fmt.Sprintf("Porteur %d", i), fmt.Sprintf("porteur%d@example.org", i), seedPass, fabrique.RoleContributor)
		c := w.newChallenge(t, fmt.Sprintf("Défi concurrent %d", i), lead, fabrique.StatusFraming)
		w.request(t, c, lead, 300000)
		slugs[i] = c.Slug
	}
	statuses := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i, slug := range slugs {
		wg.Go(func() {
			r := w.coC.Post("/defis/"+slug+"/amorcage/decision", url.Values{"decision": {"approuver"}})
			statuses[i], bodies[i] = r.StatusCode, text(r, "[data-testid=error-amount]")
		})
	}
	wg.Wait()
	granted, refused := 0, 0
	for i, st := range statuses {
		switch {
		case st == http.StatusSeeOther:
			granted++
		case st == http.StatusUnprocessableEntity && strings.Contains(bodies[i], "n’a plus que 0,00 €"):
			refused++
		default:
			t.Errorf("approval %d: got status %d (%q)", i, st, bodies[i])
		}
	}
	if granted != 4 || refused != 2 {
		t.Errorf("got %d granted and %d refused, want 4 and 2", granted, refused)
	}
	f, err := w.a.DB.SeedFund(context.Background(), w.year)
	if err != nil || f.Left != 0 || f.Granted != 1200000 {
		t.Errorf("fund: got %+v (%v), want all granted, nothing left", f, err)
	}
	wantLedgerZero(t, w.a)
}
