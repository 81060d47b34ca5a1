package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// A search is ranked once per change of the data, for everyone: the second search of a
// word, by another member, reads only its page; a défi proposed by a member is found by
// their very next search, and by a member on another instance as soon as PostgreSQL
// announces the change.
func TestSearchRankedOnceAndFresh(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	b := a.Another(t, apptest.WithPageCache(time.Hour))
	b.WaitPageCache(t)
	const pass = "motdepasse-solide"
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Bruno Petit", "bruno@example.org", pass, fabrique.RoleContributor)
	for _, title := range []string{"Un outil de réservation", "Un outil de comptabilité", "Des outils partagés"} {
		mustCreateChallenge(t, a, alice.ID, title)
	}
	ac, bc := a.Client(t), b.Client(t)
	ac.Login("alice@example.org", pass)
	bc.Login("bruno@example.org", pass)
	search := "/defis?q=outil"
	// Wait for the notifications of the setup, then rank once.
	time.Sleep(100 * time.Millisecond)
	ac.Get(search)
	n, r := queriesOf(t, a, ac, search)
	if got := len(slugs(r)); got != 3 {
		t.Fatalf("search found %d défis, want 3", got)
	}
	// Alice's session and user, then the page's three défis: no ranking again.
	if n > 3 {
		t.Errorf("a second search of the same word sent %d queries: ranked again", n)
	}
	// Logged-in pages are their own: Alice's name is on hers, never on Bruno's.
	if rb := bc.Get(search); strings.Contains(rb.Body, "Alice Martin") && !strings.Contains(rb.Body, "Bruno Petit") {
		t.Error("Bruno's search page carries Alice's name")
	}

	// Alice proposes a défi: her very next search finds it.
	wantStatus(t, ac.Post("/defis", url.Values{"title": {"Un outil de prêt"}, "summary": {"Prêter."}, "problem": {"Chacun achète."}}), http.StatusSeeOther)
	if got := len(slugs(ac.Get(search))); got != 4 {
		t.Fatalf("Alice's search after her write finds %d défis, want 4", got)
	}
	// Bruno, on the other instance, as soon as the change is heard there.
	for deadline := time.Now().Add(2 * time.Second); len(slugs(bc.Get(search))) != 4; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the other instance never finds the new défi")
		}
	}
}

// The coordination's queue is read once for every coordinator, and never out of date: a
// seed request appears on the next /coordination; the coordinator who decides it no
// longer sees it on their very next page, another coordinator on another instance as
// soon as the change is heard. Each coordinator's page is their own (their name on it).
func TestCoordinationQueueCachedAndFresh(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	b := a.Another(t, apptest.WithPageCache(time.Hour))
	b.WaitPageCache(t)
	const pass = "motdepasse-solide"
	lead := a.CreateUser(t, "Paul Porteur", "paul@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Claire Coordination", "claire@example.org", pass, fabrique.RoleCoordinator)
	a.CreateUser(t, "Denis Coordination", "denis@example.org", pass, fabrique.RoleCoordinator)
	claire, denis := a.Client(t), b.Client(t)
	claire.Login("claire@example.org", pass)
	denis.Login("denis@example.org", pass)
	c := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")
	if _, err := a.SQL.Exec(context.Background(), `UPDATE challenges SET status = 'equipe' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	coordinator, err := a.DB.UserByEmail(context.Background(), "claire@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.SetSeedFund(context.Background(), coordinator, seedFundYear(t), 10000_00); err != nil {
		t.Fatal(err)
	}
	queued := func(r *apptest.Response) bool { return strings.Contains(r.Body, "Réseau des fablabs") }
	eventually := func(c *apptest.Client, want bool, what string) {
		t.Helper()
		for deadline := time.Now().Add(2 * time.Second); queued(c.Get("/coordination")) != want; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
		}
	}
	eventually(claire, false, "a défi without request in the queue")
	if _, err := a.DB.RequestSeedBudget(context.Background(), c.ID, lead, 2000_00, "Cinq jours."); err != nil {
		t.Fatal(err)
	}
	eventually(claire, true, "the new request never reaches the queue")
	eventually(denis, true, "the new request never reaches the other instance's queue")
	r := claire.Get("/coordination")
	if !strings.Contains(r.Body, "Claire Coordination") || strings.Contains(r.Body, "Denis Coordination") {
		t.Error("Claire's page does not carry her name alone")
	}
	wantRedirect(t, claire.Post("/defis/"+c.Slug+"/amorcage/decision", url.Values{"decision": {"approuver"}}), "/defis/"+c.Slug)
	if queued(claire.Get("/coordination")) {
		t.Fatal("the decided request is still in the decider's queue")
	}
	eventually(denis, false, "the decided request stays in the other instance's queue")
}

// A défi's page shared between viewers, with each viewer's own facts read apart: the page
// Zoé (refused), Rémi (waiting), Marc (member, whose tiers-lieu is not linked yet) and a
// visitor get in turn, from one shared read, is each their own — never another's status,
// form or name —, a member's page costs a handful of queries, and what Marc writes he
// reads on his next page, and another member on another instance as soon as it is heard.
func TestChallengePageSharedAndEachViewersOwn(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	b := a.Another(t, apptest.WithPageCache(time.Hour))
	b.WaitPageCache(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	marc := a.CreateUser(t, "Marc Membre", "marc@example.org", pass, fabrique.RoleContributor)
	remi := a.CreateUser(t, "Rémi Demandeur", "remi@example.org", pass, fabrique.RoleContributor)
	zoe := a.CreateUser(t, "Zoé Refusée", "zoe@example.org", pass, fabrique.RoleContributor)
	c := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := a.SQL.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE challenges SET status = 'equipe' WHERE id = $1`, c.ID)
	exec(`INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at, message) VALUES
		($1, $2, 'member', 'accepted', now(), ''), ($1, $3, 'member', 'pending', NULL, 'Je peux aider.'),
		($1, $4, 'member', 'refused', now(), 'Ma demande.')`, c.ID, marc.ID, remi.ID, zoe.ID)
	exec(`INSERT INTO places (slug, name, city, region) VALUES ('la-fabrik', 'La Fabrik', 'Lyon', 'Auvergne-Rhône-Alpes')`)
	exec(`INSERT INTO place_members (place_id, user_id) SELECT id, $1 FROM places WHERE slug = 'la-fabrik'`, marc.ID)
	client := func(app *apptest.App, email string) *apptest.Client {
		cl := app.Client(t)
		if email != "" {
			cl.Login(email, pass)
		}
		return cl
	}
	zc, rc, mc, vc := client(a, "zoe@example.org"), client(a, "remi@example.org"), client(a, "marc@example.org"), client(a, "")
	path := "/defis/" + c.Slug
	time.Sleep(100 * time.Millisecond) // the setup's notifications heard
	status := func(r *apptest.Response) string { return r.Doc.Find("[data-testid=my-team-status]").Text() }
	zr := zc.Get(path)
	rr := rc.Get(path)
	mr := mc.Get(path)
	vr := vc.Get(path)
	if s := status(zr); !strings.Contains(s, "refus") {
		t.Errorf("Zoé does not see her refusal: %q", s)
	}
	for who, r := range map[string]*apptest.Response{"Rémi": rr, "Marc": mr, "a visitor": vr} {
		if strings.Contains(status(r), "refus") {
			t.Errorf("%s sees Zoé's refusal", who)
		}
	}
	if s := status(rr); !strings.Contains(s, "attente") {
		t.Errorf("Rémi does not see his request waiting: %q", s)
	}
	if strings.Contains(status(mr), "attente") || strings.Contains(status(vr), "attente") {
		t.Error("Rémi's waiting request is shown to another")
	}
	if mr.Doc.Find("[data-testid=declare-place]").Length() != 1 || !strings.Contains(mr.Doc.Find("[data-testid=declare-place]").Text(), "La Fabrik") {
		t.Error("Marc is not offered to declare his tiers-lieu")
	}
	for who, r := range map[string]*apptest.Response{"Zoé": zr, "Rémi": rr, "a visitor": vr} {
		if strings.Contains(r.Doc.Find("[data-testid=declare-place]").Text(), "La Fabrik") {
			t.Errorf("%s is offered Marc's tiers-lieu", who)
		}
		if r.Doc.Find("[data-testid=contribution-form]").Length() != 0 {
			t.Errorf("%s gets the team's contribution form", who)
		}
	}
	if mr.Doc.Find("[data-testid=contribution-form]").Length() != 1 {
		t.Error("Marc, a member, has no contribution form")
	}
	for name, r := range map[string]*apptest.Response{"Zoé Refusée": zr, "Rémi Demandeur": rr, "Marc Membre": mr} {
		for other := range map[string]bool{"Zoé Refusée": true, "Rémi Demandeur": true} {
			if other != name && strings.Contains(r.Doc.Find("header").Text(), other) {
				t.Errorf("%s's page carries %s's name in its header", name, other)
			}
		}
	}
	if n, _ := queriesOf(t, a, mc, path); n > 6 {
		t.Errorf("Marc's page of the défi, shared part kept: %d queries", n)
	}

	// Marc declares his tiers-lieu: his next page shows it linked; a member on the other
	// instance sees it once the change is heard.
	wantStatus(t, mc.Post(path+"/tiers-lieux", url.Values{"place_id": {placeID(t, a, "la-fabrik")}}), http.StatusSeeOther)
	if mc.Get(path).Doc.Find("[data-testid=concerned-place]").Length() != 1 {
		t.Fatal("Marc's write is not on his next page")
	}
	other := client(b, "remi@example.org")
	for deadline := time.Now().Add(2 * time.Second); other.Get(path).Doc.Find("[data-testid=concerned-place]").Length() != 1; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the other instance never shows the declared tiers-lieu")
		}
	}
}

func placeID(t *testing.T, a *apptest.App, slug string) string {
	t.Helper()
	var id int64
	if err := a.SQL.QueryRow(context.Background(), `SELECT id FROM places WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

// A commun's page shared between viewers: Marc, whose tiers-lieu does not use it yet, is
// offered to say so; Zoé, asking first, is not offered Marc's place, nor is a visitor;
// once Marc says so, his next page shows his place among the users.
func TestCommonsPageSharedAndEachViewersOwn(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Marc Membre", "marc@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Zoé Passante", "zoe@example.org", pass, fabrique.RoleContributor)
	for _, sql := range []string{
		`INSERT INTO commons (slug, name, kind) VALUES ('loot', 'Loot', 'logiciel')`,
		`INSERT INTO places (slug, name, city, region) VALUES ('la-fabrik', 'La Fabrik', 'Lyon', 'Auvergne-Rhône-Alpes')`,
		`INSERT INTO place_members (place_id, user_id) SELECT p.id, u.id FROM places p, users u WHERE p.slug = 'la-fabrik' AND u.email = 'marc@example.org'`,
	} {
		if _, err := a.SQL.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	zoe, marc, visitor := a.Client(t), a.Client(t), a.Client(t)
	zoe.Login("zoe@example.org", pass)
	marc.Login("marc@example.org", pass)
	time.Sleep(100 * time.Millisecond) // the setup's notifications heard
	offer := func(c *apptest.Client) string {
		return c.Get("/communs/loot").Doc.Find("[data-testid=declare-commons-place]").Text()
	}
	if strings.Contains(offer(zoe), "La Fabrik") || strings.Contains(offer(visitor), "La Fabrik") {
		t.Error("Marc's tiers-lieu is offered to another")
	}
	if !strings.Contains(offer(marc), "La Fabrik") {
		t.Fatal("Marc is not offered to say his tiers-lieu uses the commun")
	}
	wantStatus(t, marc.Post("/communs/loot/tiers-lieux", url.Values{"place_id": {placeID(t, a, "la-fabrik")}}), http.StatusSeeOther)
	if !strings.Contains(marc.Get("/communs/loot").Doc.Find("[data-testid=commons-places]").Text(), "La Fabrik") {
		t.Error("Marc's write is not on his next page")
	}
}
