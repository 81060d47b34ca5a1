package server_test

import (
	"context"
	"net/http"
	"net/url"
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
