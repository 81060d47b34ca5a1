package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// squash is the text of sel in r as a person reads it: French typography's narrow and
// non-breaking spaces as spaces, runs of white space as one.
func squash(r *apptest.Response, sel string) string {
	s := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(r.Doc.Find(sel).Text())
	return strings.Join(strings.Fields(s), " ")
}

// statusOptions lists the status form's options as value=label, and the one selected.
func statusOptions(r *apptest.Response) (options []string, selected string) {
	r.Doc.Find("form[data-testid=status-form] select[name=statut] option").Each(func(_ int, o *goquery.Selection) {
		options = append(options, o.AttrOr("value", "")+"="+strings.Join(strings.Fields(o.Text()), " "))
	})
	selected = r.Doc.Find("form[data-testid=status-form] select[name=statut] option[selected]").AttrOr("value", "?")
	return options, selected
}

// TestChallengeIdentifiedSaysWhatTeamLacks: while identified, the top of the défi's page
// counts the team against fabrique.MinTeamSize, in real plurals, and says how to join to
// each viewer.
func TestChallengeIdentifiedSaysWhatTeamLacks(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	notice := "[data-testid=challenge-page] > header + [data-testid=team-missing]"

	r := s.anC.Get(s.path())
	if got, want := squash(r, notice+" p:first-child"), "L’équipe compte 1 membre sur les 2 qu’il faut pour la constituer : il manque 1 membre."; got != want {
		t.Errorf("visitor: got %q, want %q", got, want)
	}
	if got := r.Doc.Find(notice+" [data-testid=team-join-how] a").AttrOr("href", ""); got != "/connexion?suivant="+url.QueryEscape(s.path()) {
		t.Errorf("visitor's way to join: got %q", got)
	}
	r = s.carolC.Get(s.path())
	if got := r.Doc.Find(notice+" [data-testid=team-join-how] a").AttrOr("href", ""); got != "#equipe" {
		t.Errorf("contributor's way to join: got %q, want #equipe", got)
	}
	if n := r.Doc.Find("#equipe form[data-testid=join-form]").Length(); n != 1 {
		t.Errorf("the join form is not where the link leads: got %d", n)
	}
	en := s.a.Client(t)
	en.Get("/langue?lang=en")
	if got, want := squash(en.Get(s.path()), notice+" p:first-child"), "The team has 1 member of the 2 it needs to be formed: 1 member is missing."; got != want {
		t.Errorf("English: got %q, want %q", got, want)
	}

	// Two members: nothing is missing any more, in the plural.
	s.member(t, s.bobC, s.bob)
	r = s.anC.Get(s.path())
	if got, want := squash(r, notice+" p:first-child"), "L’équipe compte 2 membres sur les 2 qu’il faut : le·la porteur·se peut déclarer l’équipe constituée."; got != want {
		t.Errorf("two members: got %q, want %q", got, want)
	}
	if n := r.Doc.Find("[data-testid=team-missing-count]").Length(); n != 0 {
		t.Errorf("got %d « il manque » with a full team, want 0", n)
	}
	// Once the team is formed, the notice is gone.
	wantRedirect(t, s.moveTo(s.leadC, "equipe", ""), s.path())
	if n := s.anC.Get(s.path()).Doc.Find("[data-testid=team-missing]").Length(); n != 0 {
		t.Errorf("team formed: got %d notices, want 0", n)
	}
}

// TestChallengeClosedSaysWhyAndWhen: a closed défi says, at the top of its page, that it
// is closed, by whom, when and why.
func TestChallengeClosedSaysWhyAndWhen(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	path := "/defis/" + l.c.Slug
	if n := l.clients["anonymous"].Get(path).Doc.Find("[data-testid=closed-notice]").Length(); n != 0 {
		t.Fatalf("open défi: got %d closed notices", n)
	}
	const why = "Le projet a trouvé sa place dans Dokos."
	wantRedirect(t, l.clients["coordinator"].Post(path+"/statut", url.Values{"statut": {"clos"}, "note": {why}}), path)
	r := l.clients["anonymous"].Get(path)
	notice := "[data-testid=challenge-page] > header + [data-testid=closed-notice]"
	got := squash(r, notice)
	if !strings.HasPrefix(got, "Ce défi est clos — par Camille Coord, le ") {
		t.Errorf("closed notice: got %q", got)
	}
	if d := r.Doc.Find(notice+" time").AttrOr("datetime", ""); d != parisToday().Format("2006-01-02") {
		t.Errorf("closed on: got %q, want today", d)
	}
	if got := squash(r, notice+" [data-testid=closed-note]"); got != "Pourquoi : "+why {
		t.Errorf("why: got %q", got)
	}
	// Reopened, the notice goes.
	wantRedirect(t, l.clients["coordinator"].Post(path+"/statut", url.Values{"statut": {"prefiguration"}, "note": {"Reprise."}}), path)
	if n := l.clients["anonymous"].Get(path).Doc.Find("[data-testid=closed-notice]").Length(); n != 0 {
		t.Errorf("reopened: got %d closed notices", n)
	}
}

// TestChallengeDevelopmentShowsSteps: in développement, the défi's page lists its
// commun's steps numbered by start date as the commun's page does, each with its funding,
// and « Soutenir cette étape » only for a step in a call open today; the texts of the
// framing stage are gone.
func TestChallengeDevelopmentShowsSteps(t *testing.T) {
	t.Parallel()
	l := startDev(t, 0)
	path := "/defis/" + l.c.Slug
	if n := l.clients["anonymous"].Get(path).Doc.Find("[data-testid=challenge-steps]").Length(); n != 0 {
		t.Errorf("préfiguration: got %d steps sections, want 0", n)
	}
	k := l.develop(t)
	r := l.clients["anonymous"].Get(path)
	if got := squash(r, "[data-testid=challenge-steps-empty]"); got != "Le commun n’a pas encore publié d’étape de développement." {
		t.Errorf("no steps yet: got %q", got)
	}
	if n := l.clients["lead"].Get(path).Doc.Find(`[data-testid=add-step-link][href="/communs/` + k.Slug + `#etapes"]`).Length(); n != 1 {
		t.Errorf("porteur·se: got %d links to publish a step, want 1", n)
	}

	// Two steps, the later one inserted first: numbers follow the start dates, not ids.
	today := parisToday()
	var later, sooner int64
	for _, st := range []struct {
		id    *int64
		title string
		start int
	}{{&later, "Prototype", 60}, {&sooner, "Inventaire", 10}} {
		if err := l.a.SQL.QueryRow(context.Background(),
			`INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by) VALUES ($1, $2, 500000, $3, $4, $5) RETURNING id`,
			k.ID, st.title, today.AddDate(0, 0, st.start), today.AddDate(0, 0, st.start+30), l.coord.ID).Scan(st.id); err != nil {
			t.Fatal(err)
		}
	}
	// The later step is in a call open today; the sooner one only in a call to come.
	ctx := context.Background()
	open, err := l.a.DB.CreateCall(ctx, l.coord, fabrique.NewCall{Title: "Appel ouvert", StartsOn: today.AddDate(0, 0, -1), EndsOn: today.AddDate(0, 0, 30)})
	if err != nil {
		t.Fatal(err)
	}
	upcoming, err := l.a.DB.CreateCall(ctx, l.coord, fabrique.NewCall{Title: "Appel à venir", StartsOn: today.AddDate(0, 0, 10), EndsOn: today.AddDate(0, 0, 40)})
	if err != nil {
		t.Fatal(err)
	}
	for _, cs := range [][2]int64{{open.ID, later}, {upcoming.ID, sooner}} {
		if _, err := l.a.DB.AddCallStep(ctx, l.coord, cs[0], cs[1]); err != nil {
			t.Fatal(err)
		}
	}

	for _, role := range []string{"anonymous", "member", "coordinator"} {
		r = l.clients[role].Get(path)
		steps := r.Doc.Find("[data-testid=challenge-steps] [data-testid=challenge-step]")
		if steps.Length() != 2 {
			t.Fatalf("%s: got %d steps, want 2", role, steps.Length())
		}
		for i, want := range []struct {
			id      int64
			title   string
			support bool
		}{{sooner, "Étape 1 : Inventaire", false}, {later, "Étape 2 : Prototype", true}} {
			li := steps.Eq(i)
			if got := li.AttrOr("data-step-id", ""); got != idOf(want.id) {
				t.Errorf("%s: step %d is %s, want %d", role, i+1, got, want.id)
			}
			if got := li.AttrOr("data-number", ""); got != strconv.Itoa(i+1) {
				t.Errorf("%s: step %d numbered %s", role, i+1, got)
			}
			title := strings.Join(strings.Fields(strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(li.Find("[data-testid=step-title]").Text())), " ")
			if title != want.title {
				t.Errorf("%s: step %d titled %q, want %q", role, i+1, title, want.title)
			}
			if n := li.Find("[data-testid=step-bars]").Length(); n != 1 {
				t.Errorf("%s: step %d has %d funding bars, want 1", role, i+1, n)
			}
			href, support := li.Find("a[data-testid=support-step]").Attr("href")
			if support != want.support || support && href != "/etapes/"+idOf(want.id)+"/promesses/nouvelle" {
				t.Errorf("%s: step %d « Soutenir cette étape »: got %v %q, want %v", role, i+1, support, href, want.support)
			}
		}
		for _, gone := range []string{"Nous préfigurons", "peut passer en développement", "Pour passer en développement"} {
			if strings.Contains(r.Body, gone) {
				t.Errorf("%s: the page in développement still says %q", role, gone)
			}
		}
		if got := squash(r, "#titre-cadrage"); got != "Le cadrage du défi" {
			t.Errorf("%s: framing heading %q", role, got)
		}
	}
	if got := squash(r, "[data-testid=challenge-step]:nth-child(2) [data-testid=step-call] a"); got != "Appel ouvert" {
		t.Errorf("open call named: got %q", got)
	}
}

// TestChallengeOneBudgetBlock: a défi without money shows no figure, only what the
// viewer can do about it; with a budget, each figure is shown once, in one block.
func TestChallengeOneBudgetBlock(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	r := s.anC.Get(s.path())
	if strings.Contains(r.Body, "0,00") {
		t.Errorf("visitor: a défi without money shows an amount of 0,00 €")
	}
	for _, sel := range []string{"[data-testid=money]", "[data-testid=seed]", "[data-testid=budget]", "[data-testid=seed-granted]"} {
		if n := r.Doc.Find(sel).Length(); n != 0 {
			t.Errorf("visitor: got %d %s without money, want 0", n, sel)
		}
	}
	// The porteur·se is told when the seed budget may be asked for.
	r = s.leadC.Get(s.path())
	if got := squash(r, "[data-testid=seed] [data-testid=seed-request-closed]"); got != "Le budget d’amorçage se demande quand l’équipe est constituée ou pendant la préfiguration." {
		t.Errorf("porteur·se: got %q", got)
	}
	if strings.Contains(r.Body, "0,00") {
		t.Errorf("porteur·se: a défi without money shows an amount of 0,00 €")
	}

	// Granted 1 000 €: one block, each figure once.
	l := startLoot(t, 100000)
	path := "/defis/" + l.c.Slug
	for _, role := range []string{"anonymous", "lead", "coordinator"} {
		r := l.clients[role].Get(path)
		for sel, want := range map[string]int{
			"[data-testid=money]":                               1,
			"[data-testid=money] [data-testid=budget-budgeted]": 1,
			"[data-testid=budget-budgeted]":                     1,
			"[data-testid=budget-remaining]":                    1,
			"[data-testid=seed-granted]":                        0,
		} {
			if n := r.Doc.Find(sel).Length(); n != want {
				t.Errorf("%s: got %d %s, want %d", role, n, sel, want)
			}
		}
		if got := text(r, "[data-testid=budget-budgeted]"); got != "1 000,00 €" {
			t.Errorf("%s: granted %q", role, got)
		}
		if got := strings.Count(r.Body, "1 000,00 €"); got != 2 { // granted, remaining
			t.Errorf("%s: « 1 000,00 € » shown %d times, want 2 (granted and remaining)", role, got)
		}
	}
	// The seed budget's own page keeps its figure.
	if n := l.clients["anonymous"].Get(path + "/amorcage").Doc.Find("[data-testid=seed-granted]").Length(); n != 1 {
		t.Errorf("seed page: got %d granted figures, want 1", n)
	}
}

// TestStatusFormOrder: the status form offers the next step first and selected, then
// closing, then the step back; with no next step, nothing is preselected; what bars the
// next step is said before anyone tries.
func TestStatusFormOrder(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	path := "/defis/" + l.c.Slug

	// Framing incomplete: the coordination reads why développement waits.
	r := l.clients["coordinator"].Get(path)
	if got := squash(r, "[data-testid=move-reason][data-to=developpement]"); !strings.HasPrefix(got, "Le cadrage doit être complet") {
		t.Errorf("coordinator, framing incomplete: got %q", got)
	}
	opts, sel := statusOptions(r)
	if got, want := strings.Join(opts, ","), "=Choisir l’étape,clos=Clore le défi,equipe=Revenir à l’étape « Équipe constituée »"; got != want || sel != "" {
		t.Errorf("coordinator, framing incomplete: got %s (selected %q), want %s with the empty choice selected", got, sel, want)
	}

	devFramed(t, l.a, l.c.ID, l.lead)
	r = l.clients["coordinator"].Get(path)
	opts, sel = statusOptions(r)
	if got, want := strings.Join(opts, ","), "developpement=En développement,clos=Clore le défi,equipe=Revenir à l’étape « Équipe constituée »"; got != want || sel != "developpement" {
		t.Errorf("coordinator, framing complete: got %s (selected %q), want %s with développement selected", got, sel, want)
	}
	if n := r.Doc.Find("[data-testid=moves-barred]").Length(); n != 0 {
		t.Errorf("coordinator, framing complete: got %d barred moves, want 0", n)
	}
	// The porteur·se has no form, and reads who decides.
	r = l.clients["lead"].Get(path)
	if n := r.Doc.Find("[data-testid=status-form]").Length(); n != 0 {
		t.Errorf("porteur·se in préfiguration: got %d status forms, want 0", n)
	}
	if got := squash(r, "[data-testid=move-reason][data-to=developpement]"); got != "Seule la coordination décide du passage en développement." {
		t.Errorf("porteur·se: got %q", got)
	}

	// In développement: closing and the step back, neither preselected.
	l.develop(t)
	opts, sel = statusOptions(l.clients["coordinator"].Get(path))
	if got, want := strings.Join(opts, ","), "=Choisir l’étape,clos=Clore le défi,prefiguration=Revenir à l’étape « En préfiguration »"; got != want || sel != "" {
		t.Errorf("coordinator in développement: got %s (selected %q), want %s with the empty choice selected", got, sel, want)
	}
	// The empty choice sent is refused, next to the field, and changes nothing.
	r = l.clients["coordinator"].Post(path+"/statut", url.Values{"statut": {""}})
	wantStatus(t, r, 422)
	if got := text(r, "[data-testid=error-statut]"); got == "" {
		t.Errorf("empty choice: no error next to the field")
	}
}
