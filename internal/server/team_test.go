package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

const teamPass = "motdepasse-solide"

// teamSetup is a défi led by Alice, with a coordinator and two contributors (Bob, Carol),
// each with a logged-in client, and an anonymous visitor.
type teamSetup struct {
	a                                *apptest.App
	ch                               *fabrique.Challenge
	lead, coord, bob, carol          *fabrique.User
	leadC, coordC, bobC, carolC, anC *apptest.Client
}

func newTeamSetup(t *testing.T, opts ...apptest.Option) *teamSetup {
	t.Helper()
	a := apptest.Start(t, opts...)
	s := &teamSetup{a: a}
	login := func(name, email, role string) (*fabrique.User, *apptest.Client) {
		u := a.CreateUser(t, name, email, teamPass, role)
		c := a.Client(t)
		c.Login(email, teamPass)
		return u, c
	}
	s.lead, s.leadC = login("Alice Martin", "alice@example.org", fabrique.RoleContributor)
	s.coord, s.coordC = login("Camille Coordination", "camille@example.org", fabrique.RoleCoordinator)
	s.bob, s.bobC = login("Bob Durand", "bob@example.org", fabrique.RoleContributor)
	s.carol, s.carolC = login("Carol Petit", "carol@example.org", fabrique.RoleContributor)
	s.anC = a.Client(t)
	s.ch = mustCreateChallenge(t, a, s.lead.ID, "Réseau des fablabs")
	return s
}

// path is the défi's page, or one of its actions.
func (s *teamSetup) path(parts ...string) string {
	return "/defis/" + s.ch.Slug + strings.Join(append([]string{""}, parts...), "/")
}

// userPath is an action on a person of the team.
func (s *teamSetup) userPath(u *fabrique.User, action string) string {
	return s.path("equipe", fmt.Sprint(u.ID), action)
}

// state returns the rows and the state of u in the team ("" when there is no row).
func (s *teamSetup) state(t *testing.T, u *fabrique.User) (rows int, state string) {
	t.Helper()
	rows = countRows(t, s.a, `SELECT count(*) FROM challenge_members WHERE challenge_id = $1 AND user_id = $2`, s.ch.ID, u.ID)
	if rows == 1 {
		if err := s.a.SQL.QueryRow(t.Context(),
			`SELECT state FROM challenge_members WHERE challenge_id = $1 AND user_id = $2`, s.ch.ID, u.ID).Scan(&state); err != nil {
			t.Fatal(err)
		}
	}
	return rows, state
}

// join sends u's join request through the form and expects the redirect to the défi.
func (s *teamSetup) join(t *testing.T, c *apptest.Client, message string) {
	t.Helper()
	wantRedirect(t, c.Post(s.path("equipe"), url.Values{"message": {message}}), s.path())
}

// member makes u an accepted member through the forms: u asks, Alice accepts.
func (s *teamSetup) member(t *testing.T, c *apptest.Client, u *fabrique.User) {
	t.Helper()
	s.join(t, c, "")
	wantRedirect(t, s.leadC.Post(s.userPath(u, "accepter"), nil), s.path())
}

// wantLogin checks that r sends a visitor to the login page.
func wantLogin(t *testing.T, r *apptest.Response) {
	t.Helper()
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Location(); loc != "/connexion" && !strings.HasPrefix(loc, "/connexion?") {
		t.Errorf("Location: got %q, want /connexion", loc)
	}
}

func TestTeamJoin(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)

	wantLogin(t, s.anC.Post(s.path("equipe"), url.Values{"message": {"Bonjour"}}))
	wantStatus(t, s.bobC.Post("/defis/n-existe-pas/equipe", nil), http.StatusNotFound)

	r := s.bobC.Get(s.path())
	if n := r.Doc.Find(`form[method=post][action="` + s.path("equipe") + `"] textarea[name=message]`).Length(); n != 1 {
		t.Errorf("join form with a message field: got %d, want 1", n)
	}

	s.join(t, s.bobC, "Je peux aider sur la documentation.")
	r = s.bobC.Get(s.path())
	if got := text(r, "[data-testid=flash]"); !strings.Contains(got, "demande est envoyée") {
		t.Errorf("flash: got %q, want the request confirmed", got)
	}
	if got := text(r, "[data-testid=my-team-status]"); !strings.Contains(got, "Votre demande est en attente") {
		t.Errorf("requester's status: got %q, want it pending", got)
	}
	if n := r.Doc.Find("[data-testid=join-form]").Length(); n != 0 {
		t.Errorf("join form while pending: got %d, want 0", n)
	}

	// Asking twice keeps one row, with the latest message.
	s.join(t, s.bobC, "Et sur la partie technique.")
	if rows, state := s.state(t, s.bob); rows != 1 || state != "pending" {
		t.Errorf("after asking twice: got %d rows in state %q, want 1 pending", rows, state)
	}

	// The porteur sees the request with its forms; others do not.
	r = s.leadC.Get(s.path())
	req := r.Doc.Find(fmt.Sprintf(`[data-testid=join-request][data-user-id="%d"]`, s.bob.ID))
	if got := strings.Join(strings.Fields(req.Text()), " "); !strings.Contains(got, "Bob Durand") || !strings.Contains(got, "Et sur la partie technique.") {
		t.Errorf("request seen by the porteur: got %q, want Bob's name and message", got)
	}
	for _, action := range []string{"accepter", "refuser"} {
		if n := req.Find(`form[method=post][action="` + s.userPath(s.bob, action) + `"]`).Length(); n != 1 {
			t.Errorf("%s form: got %d, want 1", action, n)
		}
	}
	for name, c := range map[string]*apptest.Client{"anonymous": s.anC, "contributor": s.carolC, "requester": s.bobC} {
		if n := c.Get(s.path()).Doc.Find("[data-testid=join-request]").Length(); n != 0 {
			t.Errorf("requests seen by %s: got %d, want 0", name, n)
		}
	}
	if n := s.coordC.Get(s.path()).Doc.Find("[data-testid=join-request]").Length(); n != 1 {
		t.Errorf("requests seen by the coordinator: got %d, want 1", n)
	}

	// /espace lists the pending request.
	r = s.bobC.Get("/espace")
	if got := r.Doc.Find(`[data-testid=my-requests] [data-slug="` + s.ch.Slug + `"]`).Length(); got != 1 {
		t.Errorf("/espace pending requests: got %d cards, want 1", got)
	}
	if got := r.Doc.Find(`[data-testid=my-challenges] [data-slug="` + s.ch.Slug + `"]`).Length(); got != 0 {
		t.Errorf("/espace my défis while pending: got %d, want 0", got)
	}

	// The porteur is already in the team; a too long message is refused.
	r = s.leadC.Post(s.path("equipe"), url.Values{"message": {"Moi aussi"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "Vous faites déjà partie de l’équipe.") {
		t.Errorf("porteur asking: got %q, want the French reason", got)
	}
	r = s.carolC.Post(s.path("equipe"), url.Values{"message": {strings.Repeat("é", 1001)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=field-message] [data-testid=error-message]"); got != "Le message ne doit pas dépasser 1 000 caractères." {
		t.Errorf("too long message: got %q", got)
	}
	if rows, _ := s.state(t, s.carol); rows != 0 {
		t.Errorf("carol's rows after a refused form: got %d, want 0", rows)
	}
	if got := countRows(t, s.a, `SELECT count(*) FROM challenge_members WHERE challenge_id = $1`, s.ch.ID); got != 2 {
		t.Errorf("team rows: got %d, want 2 (porteur, Bob)", got)
	}
}

func TestTeamJoinAgain(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	s.join(t, s.bobC, "Première demande")
	wantRedirect(t, s.leadC.Post(s.userPath(s.bob, "refuser"), nil), s.path())
	if _, state := s.state(t, s.bob); state != "refused" {
		t.Fatalf("after refusal: got %q, want refused", state)
	}
	r := s.bobC.Get(s.path())
	if got := text(r, "[data-testid=my-team-status]"); !strings.Contains(got, "refusée") {
		t.Errorf("requester's status: got %q, want refused", got)
	}
	if n := r.Doc.Find("[data-testid=join-form]").Length(); n != 1 {
		t.Errorf("join form after a refusal: got %d, want 1", n)
	}

	s.join(t, s.bobC, "Seconde demande")
	if rows, state := s.state(t, s.bob); rows != 1 || state != "pending" {
		t.Errorf("asking again: got %d rows in state %q, want 1 pending", rows, state)
	}
	wantRedirect(t, s.coordC.Post(s.userPath(s.bob, "accepter"), nil), s.path())

	// A member asking again is told so, and stays one accepted row.
	r = s.bobC.Post(s.path("equipe"), url.Values{"message": {"Encore"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "déjà partie de l’équipe") {
		t.Errorf("member asking: got %q, want the French reason", got)
	}
	if rows, state := s.state(t, s.bob); rows != 1 || state != "accepted" {
		t.Errorf("member asking again: got %d rows in state %q, want 1 accepted", rows, state)
	}
	r = s.bobC.Get(s.path())
	if got := text(r, "[data-testid=my-team-status]"); !strings.Contains(got, "Vous faites partie de l’équipe.") {
		t.Errorf("member's status: got %q", got)
	}
	if got := r.Doc.Find(fmt.Sprintf(`[data-testid=team] [data-user-id="%d"]`, s.bob.ID)).Length(); got != 1 {
		t.Errorf("Bob in the team list: got %d, want 1", got)
	}
	if got := s.bobC.Get("/espace").Doc.Find(`[data-testid=my-challenges] [data-slug="` + s.ch.Slug + `"]`).Length(); got != 1 {
		t.Errorf("/espace my défis: got %d, want 1", got)
	}
}

func TestTeamDecideRoles(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	s.member(t, s.bobC, s.bob) // Bob is a member, Carol a contributor outside the team

	tests := []struct {
		name   string
		client *apptest.Client
		action string
		want   int
		state  string // the requester's state afterwards
	}{
		{"porteur accepts", s.leadC, "accepter", http.StatusSeeOther, "accepted"},
		{"porteur refuses", s.leadC, "refuser", http.StatusSeeOther, "refused"},
		{"coordinator accepts", s.coordC, "accepter", http.StatusSeeOther, "accepted"},
		{"coordinator refuses", s.coordC, "refuser", http.StatusSeeOther, "refused"},
		{"member accepts", s.bobC, "accepter", http.StatusForbidden, "pending"},
		{"member refuses", s.bobC, "refuser", http.StatusForbidden, "pending"},
		{"contributor accepts", s.carolC, "accepter", http.StatusForbidden, "pending"},
		{"contributor refuses", s.carolC, "refuser", http.StatusForbidden, "pending"},
		{"anonymous accepts", s.anC, "accepter", http.StatusSeeOther, "pending"},
		{"anonymous refuses", s.anC, "refuser", http.StatusSeeOther, "pending"},
	}
	for i, tt := range tests {
		email := fmt.Sprintf("candidat%d@example.org", i)
		u := s.a.CreateUser(t, fmt.Sprintf("Candidat %d", i), email, teamPass, fabrique.RoleContributor)
		if err := s.a.DB.RequestToJoin(t.Context(), s.ch.ID, u.ID, ""); err != nil {
			t.Fatal(err)
		}
		t.Run(tt.name, func(t *testing.T) {
			r := tt.client.Post(s.userPath(u, tt.action), nil)
			switch {
			case tt.client == s.anC:
				wantLogin(t, r)
			case tt.want == http.StatusSeeOther:
				wantRedirect(t, r, s.path())
			default:
				wantStatus(t, r, tt.want)
			}
			if _, state := s.state(t, u); state != tt.state {
				t.Errorf("requester: got state %q, want %q", state, tt.state)
			}
		})
	}

	t.Run("unknown or decided", func(t *testing.T) {
		for _, tt := range []struct {
			path string
			want int
		}{
			{s.path("equipe", "999999", "accepter"), http.StatusNotFound},
			{s.path("equipe", "abc", "refuser"), http.StatusNotFound},
			{s.path("equipe", "-1", "accepter"), http.StatusNotFound},
			{s.userPath(s.carol, "accepter"), http.StatusNotFound}, // never asked
			{"/defis/n-existe-pas/equipe/1/accepter", http.StatusNotFound},
			{s.userPath(s.bob, "refuser"), http.StatusConflict}, // already accepted
		} {
			r := s.leadC.Post(tt.path, nil)
			wantStatus(t, r, tt.want)
			if tt.want == http.StatusConflict {
				if got := text(r, "[data-testid=error-message]"); got != "Cette demande a déjà été acceptée." {
					t.Errorf("%s: got %q, want a French sentence", tt.path, got)
				}
			}
		}
	})
}

func TestTeamAcceptConcurrent(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	s.join(t, s.bobC, "")
	for round := 0; round < 3; round++ {
		if round > 0 { // back to pending for another round
			if _, err := s.a.SQL.Exec(t.Context(),
				`UPDATE challenge_members SET state = 'pending' WHERE challenge_id = $1 AND user_id = $2`, s.ch.ID, s.bob.ID); err != nil {
				t.Fatal(err)
			}
		}
		statuses := make([]int, 2)
		var wg sync.WaitGroup
		for i, c := range []*apptest.Client{s.leadC, s.coordC} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = c.Post(s.userPath(s.bob, "accepter"), nil).StatusCode
			}()
		}
		wg.Wait()
		codes := map[int]int{}
		for _, st := range statuses {
			codes[st]++
		}
		if codes[http.StatusSeeOther] != 1 || codes[http.StatusConflict] != 1 {
			t.Errorf("round %d: got statuses %v, want one 303 and one 409", round, statuses)
		}
		if rows, state := s.state(t, s.bob); rows != 1 || state != "accepted" {
			t.Errorf("round %d: got %d rows in state %q, want 1 accepted", round, rows, state)
		}
	}
}

func TestTeamLeave(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	s.member(t, s.bobC, s.bob)

	wantLogin(t, s.anC.Post(s.path("equipe", "quitter"), nil))
	wantStatus(t, s.leadC.Post(s.path("equipe", "quitter"), nil), http.StatusConflict)  // the porteur
	wantStatus(t, s.carolC.Post(s.path("equipe", "quitter"), nil), http.StatusConflict) // not in the team

	r := s.bobC.Get(s.path())
	if n := r.Doc.Find(`form[method=post][action="` + s.path("equipe", "quitter") + `"]`).Length(); n != 1 {
		t.Errorf("leave form for a member: got %d, want 1", n)
	}
	wantRedirect(t, s.bobC.Post(s.path("equipe", "quitter"), nil), s.path())
	if rows, state := s.state(t, s.bob); rows != 1 || state != "left" {
		t.Errorf("after leaving: got %d rows in state %q, want 1 left", rows, state)
	}
	r = s.bobC.Get(s.path())
	if got := r.Doc.Find("[data-testid=team] li").Length(); got != 1 {
		t.Errorf("team after Bob left: got %d, want 1", got)
	}
	if n := r.Doc.Find("[data-testid=join-form]").Length(); n != 1 {
		t.Errorf("join form after leaving: got %d, want 1", n)
	}

	// A pending request can be withdrawn the same way.
	s.join(t, s.carolC, "")
	wantRedirect(t, s.carolC.Post(s.path("equipe", "quitter"), nil), s.path())
	if _, state := s.state(t, s.carol); state != "left" {
		t.Errorf("after withdrawing: got %q, want left", state)
	}
}

func TestTeamHandOver(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	s.member(t, s.bobC, s.bob)
	s.join(t, s.carolC, "") // pending

	r := s.leadC.Get(s.path())
	if n := r.Doc.Find(`form[method=post][action="` + s.userPath(s.bob, "porteur") + `"]`).Length(); n != 1 {
		t.Errorf("hand-over form for Bob: got %d, want 1", n)
	}

	wantLogin(t, s.anC.Post(s.userPath(s.bob, "porteur"), nil))
	wantStatus(t, s.bobC.Post(s.userPath(s.bob, "porteur"), nil), http.StatusForbidden)
	wantStatus(t, s.carolC.Post(s.userPath(s.bob, "porteur"), nil), http.StatusForbidden)
	wantStatus(t, s.leadC.Post(s.userPath(s.carol, "porteur"), nil), http.StatusConflict) // pending
	wantStatus(t, s.leadC.Post(s.path("equipe", "999999", "porteur"), nil), http.StatusNotFound)

	wantRedirect(t, s.leadC.Post(s.userPath(s.bob, "porteur"), nil), s.path())
	check := func(lead, former *fabrique.User) {
		t.Helper()
		if got := countRows(t, s.a, `SELECT count(*) FROM challenges WHERE id = $1 AND lead_id = $2`, s.ch.ID, lead.ID); got != 1 {
			t.Errorf("lead_id: want %s", lead.DisplayName)
		}
		if got := countRows(t, s.a, `SELECT count(*) FROM challenge_members WHERE challenge_id = $1 AND role = 'lead' AND user_id = $2 AND state = 'accepted'`, s.ch.ID, lead.ID); got != 1 {
			t.Errorf("lead row: want %s as the one lead", lead.DisplayName)
		}
		if got := countRows(t, s.a, `SELECT count(*) FROM challenge_members WHERE challenge_id = $1 AND role = 'member' AND user_id = $2 AND state = 'accepted'`, s.ch.ID, former.ID); got != 1 {
			t.Errorf("former porteur: want %s an accepted member", former.DisplayName)
		}
		r := s.anC.Get(s.path())
		if got, _ := r.Doc.Find(`[data-testid=team] [data-role=lead]`).Attr("data-user-id"); got != fmt.Sprint(lead.ID) {
			t.Errorf("porteur on the page: got user %s, want %d", got, lead.ID)
		}
		if got := text(r, "[data-testid=challenge-page] header .meta"); !strings.Contains(got, lead.DisplayName) {
			t.Errorf("page header: got %q, want it to name %s", got, lead.DisplayName)
		}
	}
	check(s.bob, s.lead)

	// Alice is a member now: she no longer decides; the coordinator can hand it back.
	wantStatus(t, s.leadC.Post(s.userPath(s.carol, "accepter"), nil), http.StatusForbidden)
	wantStatus(t, s.leadC.Post(s.userPath(s.lead, "porteur"), nil), http.StatusForbidden)
	wantRedirect(t, s.coordC.Post(s.userPath(s.lead, "porteur"), nil), s.path())
	check(s.lead, s.bob)
}
