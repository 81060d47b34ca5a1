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

// workPlanSetup is two coordinators, a contributor and a commun, each logged in.
type workPlanSetup struct {
	a              *apptest.App
	camille, dom   *fabrique.User
	cc, dc, contri *apptest.Client
	year           int
	today          string
}

func newWorkPlanSetup(t *testing.T) *workPlanSetup {
	t.Helper()
	a := apptest.Start(t)
	const pass = "motdepasse-solide"
	s := &workPlanSetup{a: a,
		camille: a.CreateUser(t, "Camille Coordination", "camille@example.org", pass, fabrique.RoleCoordinator),
		dom:     a.CreateUser(t, "Dominique Coordination", "dom@example.org", pass, fabrique.RoleCoordinator),
	}
	a.CreateUser(t, "Chloé Contributrice", "chloe@example.org", pass, fabrique.RoleContributor)
	s.cc, s.dc, s.contri = a.Client(t), a.Client(t), a.Client(t)
	s.cc.Login("camille@example.org", pass)
	s.dc.Login("dom@example.org", pass)
	s.contri.Login("chloe@example.org", pass)
	if _, err := a.SQL.Exec(context.Background(), `INSERT INTO commons (slug, name, kind) VALUES ('loot', 'Loot', 'logiciel')`); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Now().In(paris)
	s.year, s.today = now.Year(), now.Format("2006-01-02")
	return s
}

// logDays logs days for the client's coordinator and returns the new entry's id.
func (s *workPlanSetup) logDays(t *testing.T, c *apptest.Client, days, service string) int64 {
	t.Helper()
	r := c.Post("/coordination/temps", url.Values{"date": {s.today}, "service": {service}, "days": {days},
		"description": {"Animation de la réunion des porteur·ses."}, "commons_slug": {"loot"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("log days: %d %s", r.StatusCode, r.Doc.Find(".field-error").Text())
	}
	var id int64
	if err := s.a.SQL.QueryRow(context.Background(), `SELECT max(id) FROM coordination_time`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (s *workPlanSetup) year2() string { return strconv.Itoa(s.year) }

func TestWorkPlanSavedAndRefused(t *testing.T) {
	t.Parallel()
	s := newWorkPlanSetup(t)
	path := "/coordination/plan?annee=" + s.year2()
	r := s.cc.Get(path)
	if r.StatusCode != http.StatusOK || r.Doc.Find("[data-testid=plan-defaults]").Length() != 1 {
		t.Fatalf("plan page: %d, defaults shown %d", r.StatusCode, r.Doc.Find("[data-testid=plan-defaults]").Length())
	}
	// The seed's table: 5, 8, 20, 10, 10 days.
	for svc, days := range fabrique.DefaultPlanDays {
		if got, _ := r.Doc.Find("#champ-jours_" + svc).Attr("value"); got != strconv.Itoa(days) {
			t.Errorf("default %s: %q, want %d", svc, got, days)
		}
	}
	form := url.Values{"year": {s.year2()}, "jours_animation-defis": {"6"}, "jours_amorcage": {"8,5"}, "jours_cofinancement": {"deux"},
		"jours_ressources-et-vous": {"10"}, "jours_residences": {"400"}}
	r = s.cc.Post("/coordination/plan", form)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad plan: %d", r.StatusCode)
	}
	for _, f := range []string{"jours_cofinancement", "jours_residences"} {
		if r.Doc.Find("#erreur-"+f).Length() != 1 {
			t.Errorf("no error beside %s", f)
		}
	}
	if got, _ := r.Doc.Find("#champ-jours_cofinancement").Attr("value"); got != "deux" {
		t.Errorf("typed value lost: %q", got)
	}
	var n int
	_ = s.a.SQL.QueryRow(context.Background(), `SELECT count(*) FROM work_plan`).Scan(&n)
	if n != 0 {
		t.Fatalf("a refused plan saved %d rows", n)
	}
	form.Set("jours_cofinancement", "22,25")
	form.Set("jours_residences", "0")
	if r = s.cc.Post("/coordination/plan", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("plan: %d", r.StatusCode)
	}
	r = s.cc.Get(path)
	if r.Doc.Find("[data-testid=plan-defaults]").Length() != 0 {
		t.Error("saved plan still says it shows the defaults")
	}
	for svc, want := range map[string]string{"cofinancement": "89", "amorcage": "34", "residences": "0", "animation-defis": "24"} {
		if got, _ := r.Doc.Find("[data-testid=plan-" + svc + "] td").First().Attr("data-quarters"); got != want {
			t.Errorf("planned %s: %q quarters, want %s", svc, got, want)
		}
	}
	if !strings.Contains(s.cc.Get("/coordination/journal").Body, "Plan de travail de la coordination modifié") {
		t.Error("the plan's change is not in the journal")
	}
	// Only coordinators.
	if got := s.contri.Get(path).StatusCode; got != http.StatusForbidden {
		t.Errorf("contributor GET plan: %d", got)
	}
	if got := s.contri.Post("/coordination/plan", form).StatusCode; got != http.StatusForbidden {
		t.Errorf("contributor POST plan: %d", got)
	}
}

// TestCoordinationTimeFourEyes follows a coordinator's day from its entry to its payment:
// never validated nor paid by its author, validated only within the operating account,
// paid as one movement that the public accounts, the plan, the year's report and the
// FEC all show.
func TestCoordinationTimeFourEyes(t *testing.T) {
	t.Parallel()
	s := newWorkPlanSetup(t)
	ctx := context.Background()
	y := s.year2()

	// Bad entries change nothing.
	r := s.cc.Post("/coordination/temps", url.Values{"date": {"2099-01-01"}, "service": {"cuisine"}, "days": {"9"}, "description": {" "}, "commons_slug": {"inconnu"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad entry: %d", r.StatusCode)
	}
	for _, f := range []string{"date", "service", "days", "description"} {
		if r.Doc.Find("[data-testid=error-"+f+"], #erreur-"+f).Length() == 0 {
			t.Errorf("no error beside %s", f)
		}
	}
	r = s.cc.Post("/coordination/temps", url.Values{"date": {s.today}, "service": {"cofinancement"}, "days": {"1"}, "description": {"Réunion."}, "commons_slug": {"inconnu"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.Doc.Find("[data-testid=error-commons_slug]").Length() != 1 {
		t.Fatalf("unknown commun: %d", r.StatusCode)
	}
	if got := s.contri.Post("/coordination/temps", url.Values{"date": {s.today}, "service": {"cofinancement"}, "days": {"1"}, "description": {"x"}}).StatusCode; got != http.StatusForbidden {
		t.Errorf("contributor logs coordination time: %d", got)
	}

	id := s.logDays(t, s.cc, "1", "cofinancement")
	base := "/coordination/temps/" + strconv.FormatInt(id, 10)
	// Camille's /coordination shows nothing to validate; Dominique's shows one.
	if s.cc.Get("/coordination").Doc.Find("[data-testid=time-to-validate]").Length() != 0 {
		t.Error("the author is asked to validate their own days")
	}
	if got := s.dc.Get("/coordination").Doc.Find("[data-testid=time-to-validate]").Text(); !strings.Contains(got, "1") {
		t.Errorf("the other coordinator's badge: %q", got)
	}
	// The author cannot validate their own days, nor see the button.
	if got := s.cc.Post(base+"/valider", nil).StatusCode; got != http.StatusForbidden {
		t.Errorf("author validates: %d", got)
	}
	if s.cc.Get("/coordination/temps?annee="+y).Doc.Find("[data-testid=time-validate]").Length() != 0 {
		t.Error("the author is offered to validate their days")
	}
	// No operating account yet: the validation is refused and says why.
	r = s.dc.Post(base+"/valider", nil)
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "budget de fonctionnement") {
		t.Fatalf("validation without funds: %d", r.StatusCode)
	}
	if got := s.cc.Post("/coordination/fonctionnement", url.Values{"year": {y}, "amount": {"500"}}).StatusCode; got != http.StatusSeeOther {
		t.Fatalf("set operating account: %d", got)
	}
	if got := s.dc.Post(base+"/valider", nil).StatusCode; got != http.StatusSeeOther {
		t.Fatalf("validate: %d", got)
	}
	if got := s.dc.Post(base+"/valider", nil).StatusCode; got != http.StatusSeeOther {
		t.Fatalf("validate twice: %d", got)
	}
	// Below what it committed, the operating account cannot go.
	r = s.cc.Post("/coordination/fonctionnement", url.Values{"year": {y}, "amount": {"100"}})
	if r.StatusCode != http.StatusUnprocessableEntity || r.Doc.Find("#erreur-amount").Length() != 1 {
		t.Fatalf("operating below committed: %d", r.StatusCode)
	}
	// Payment: never by the author; a reference is needed.
	if got := s.cc.Post(base+"/payer", url.Values{"reference": {"VIR-1"}}).StatusCode; got != http.StatusForbidden {
		t.Errorf("author pays: %d", got)
	}
	if r = s.dc.Post(base+"/payer", url.Values{"reference": {""}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("payment without reference: %d", r.StatusCode)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := s.dc.Post(base+"/payer", url.Values{"reference": {"VIR-COORD-1"}}).StatusCode; got != http.StatusSeeOther {
				t.Errorf("pay: %d", got)
			}
		}()
	}
	wg.Wait()
	var moves int
	if err := s.a.SQL.QueryRow(ctx, `SELECT count(*) FROM ledger_transactions WHERE kind = 'coordination_payment'`).Scan(&moves); err != nil || moves != 1 {
		t.Fatalf("payments clicked four times: %d movements (%v)", moves, err)
	}
	if left, _ := s.a.DB.Balance(ctx, fabrique.AccountRef{Kind: fabrique.AccountOperating, Year: s.year}); left != 270_00 {
		t.Errorf("operating account after 1 day: %d, want 27000", left)
	}
	if total, err := s.a.DB.LedgerTotal(ctx); err != nil || total != 0 {
		t.Errorf("ledger total %d (%v)", total, err)
	}

	// The plan shows the day done, for cofinancement and for Loot; the year's report too.
	for _, path := range []string{"/coordination/plan?annee=" + y, "/bilan/" + y} {
		c := s.dc
		if strings.HasPrefix(path, "/bilan") {
			c = s.a.Client(t)
		}
		r = c.Get(path)
		if got, _ := r.Doc.Find("[data-testid=plan-cofinancement] [data-testid=plan-done]").Attr("data-quarters"); got != "4" {
			t.Errorf("%s: cofinancement done %q quarters, want 4", path, got)
		}
		if !strings.Contains(r.Doc.Find("[data-testid=plan-commons]").Text(), "Loot") {
			t.Errorf("%s: the day is not shown against Loot", path)
		}
		if got, _ := r.Doc.Find("[data-testid=chart-table-graphique-plan] td[data-goal]").Eq(2).Attr("data-goal"); got != "80" {
			t.Errorf("%s: the chart's planned cofinancement %q, want 80 quarters", path, got)
		}
	}
	csv := s.a.Client(t).Get("/bilan/" + y + ".csv").Body
	if !strings.Contains(csv, "Plan de travail, jours réalisés;Cofinancement;1;") || !strings.Contains(csv, "Temps de coordination payé") {
		t.Errorf("year CSV lacks the plan:\n%s", csv)
	}
	// The public accounts name the payment and its payee.
	r = s.a.Client(t).Get("/transparence")
	if !strings.Contains(r.Body, "Temps de coordination payé") || !strings.Contains(r.Body, "Camille Coordination") || !strings.Contains(r.Body, "Budget de fonctionnement "+y) {
		t.Error("/transparence does not show the coordination's payment")
	}
	// The FEC carries it on the operating account and the payee's auxiliary account.
	fec := s.dc.Get("/coordination/comptabilite/fec?annee=" + y).Raw
	rep := checkFEC(t, fec, s.year)
	if !strings.Contains(rep.text, "\t1945\t") || !strings.Contains(fec, "\tC"+strconv.FormatInt(s.camille.ID, 10)+"\tCamille Coordination\t") {
		t.Errorf("FEC lacks the operating account or the payee:\n%s", fec)
	}
}

// TestCoordinationTimeWithinOperatingAccount validates eight days concurrently against
// an operating account of three: three are validated, never more.
func TestCoordinationTimeWithinOperatingAccount(t *testing.T) {
	t.Parallel()
	s := newWorkPlanSetup(t)
	ctx := context.Background()
	if _, err := s.a.DB.SetOperatingFund(ctx, s.dom, s.year, 3*fabrique.DefaultDayRate); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for range 8 {
		ids = append(ids, s.logDays(t, s.cc, "1", "amorcage"))
	}
	var wg sync.WaitGroup
	codes := make([]int, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = s.dc.Post("/coordination/temps/"+strconv.FormatInt(id, 10)+"/valider", nil).StatusCode
		}()
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			ok++
		case http.StatusUnprocessableEntity:
		default:
			t.Errorf("validation answered %d", c)
		}
	}
	f, err := s.a.DB.OperatingFund(ctx, s.year)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 3 || f.Committed != 3*fabrique.DefaultDayRate || f.Left() != 0 {
		t.Fatalf("%d validated, committed %d, left %d; want 3, 69000, 0", ok, f.Committed, f.Left())
	}
}
