package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// /espace starts with « À faire »: the porteuse answers a request from there and comes
// back to it; the requester sees their request with its date and withdraws it from there;
// each défi card says the viewer's role; the coordinator sees the queues that wait.
func TestEspaceTodo(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)

	r := s.leadC.Get("/espace")
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("[data-testid=todo-empty]").Length(); n != 1 {
		t.Errorf("nothing to decide yet: got %d empty notes, want 1", n)
	}
	if got := text(r, `[data-testid=my-challenges] [data-slug="`+s.ch.Slug+`"] [data-testid=my-role]`); got != "Porteur·se" {
		t.Errorf("porteuse's role on her card: got %q", got)
	}
	// « À faire » comes before the défis.
	if first := r.Doc.Find("main section").First().AttrOr("data-testid", ""); first != "todo" {
		t.Errorf("first section of /espace: %q, want todo", first)
	}

	s.join(t, s.bobC, "Je peux aider.")
	s.join(t, s.carolC, "Moi aussi.")
	r = s.bobC.Get("/espace")
	mine := r.Doc.Find(`[data-testid=my-requests] [data-slug="` + s.ch.Slug + `"]`)
	if got := strings.Join(strings.Fields(mine.Text()), " "); !strings.Contains(got, "Réseau des fablabs") || !strings.Contains(got, "envoyée le") {
		t.Errorf("bob's own request: got %q, want the défi and its date", got)
	}

	r = s.leadC.Get("/espace")
	bob := r.Doc.Find(`[data-testid=todo-join][data-user="` + strconv.FormatInt(s.bob.ID, 10) + `"]`)
	if got := strings.Join(strings.Fields(bob.Text()), " "); !strings.Contains(got, "Bob Durand demande à rejoindre l’équipe de « Réseau des fablabs »") || !strings.Contains(got, "Je peux aider.") {
		t.Errorf("request in the porteuse's to-do: got %q", got)
	}
	if n := r.Doc.Find("[data-testid=todo-join]").Length(); n != 2 {
		t.Errorf("requests to answer: got %d, want 2", n)
	}
	// Others do not see them: the requester, the coordinator (not the porteur).
	for _, c := range []struct {
		name string
		n    int
	}{{"bob", s.bobC.Get("/espace").Doc.Find("[data-testid=todo-join]").Length()}, {"coordinator", s.coordC.Get("/espace").Doc.Find("[data-testid=todo-join]").Length()}} {
		if c.n != 0 {
			t.Errorf("%s sees %d requests to answer, want 0", c.name, c.n)
		}
	}

	// Accepting from /espace comes back to /espace.
	action, ok := bob.Find("form").Attr("action")
	if !ok || action != s.userPath(s.bob, "accepter") {
		t.Fatalf("accept form action: %q", action)
	}
	r = s.leadC.Post(action, url.Values{"suivant": {"/espace"}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Location(); loc != "/espace" {
		t.Errorf("after accepting from /espace: Location %q, want /espace", loc)
	}
	if _, state := s.state(t, s.bob); state != fabrique.MemberAccepted {
		t.Errorf("bob after the acceptance: %q", state)
	}
	if got := text(s.bobC.Get("/espace"), `[data-testid=my-challenges] [data-slug="`+s.ch.Slug+`"] [data-testid=my-role]`); got != "Membre" {
		t.Errorf("bob's role on his card: got %q, want Membre", got)
	}

	// Carol withdraws her request from /espace, and comes back to it.
	r = s.carolC.Post(s.path("equipe", "quitter"), url.Values{"suivant": {"/espace"}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Location(); loc != "/espace" {
		t.Errorf("after withdrawing from /espace: Location %q", loc)
	}
	if rows, state := s.state(t, s.carol); rows != 1 || state != fabrique.MemberLeft {
		t.Errorf("carol after withdrawing: %d rows, %q", rows, state)
	}
	r = s.carolC.Get("/espace")
	if n := r.Doc.Find("[data-testid=my-requests-empty]").Length(); n != 1 {
		t.Errorf("carol's requests after withdrawing: want the empty note")
	}
	// A redirect target elsewhere is refused: back to the défi.
	s.join(t, s.carolC, "Finalement oui.")
	r = s.carolC.Post(s.path("equipe", "quitter"), url.Values{"suivant": {"//evil.example"}})
	if loc := r.Location(); loc != s.path() {
		t.Errorf("withdrawing with a foreign suivant: Location %q, want %q", loc, s.path())
	}
}

// The coordinator's to-do counts the queues, each with its link.
func TestEspaceTodoCoordination(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	ctx := t.Context()
	mustExecSQL(t, s.a, `UPDATE challenges SET status = 'equipe' WHERE id = $1`, s.ch.ID)
	if _, err := s.a.DB.RequestSeedBudget(ctx, s.ch.ID, s.lead, 1000_00, "- Ateliers : 2 jours"); err != nil {
		t.Fatal(err)
	}
	r := s.coordC.Get("/espace")
	if got := text(r, "[data-testid=todo-seed]"); !strings.Contains(got, "1 demande de budget d’amorçage à décider") {
		t.Errorf("coordinator's seed queue: got %q", got)
	}
	if href := r.Doc.Find("[data-testid=todo-seed] a").AttrOr("href", ""); href != "/coordination" {
		t.Errorf("seed queue link: %q", href)
	}
	if n := s.leadC.Get("/espace").Doc.Find("[data-testid=todo-seed]").Length(); n != 0 {
		t.Errorf("a contributor sees the coordination's queue")
	}
}
