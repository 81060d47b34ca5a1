package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestAuthorizationTable walks every route of a défi's amorçage phase (issue 3) for each
// role, each case on a défi of its own: a porteur, an accepted member, a pending
// requester. A role without the right gets 403, a visitor the login page, and nobody a
// 500. The per-area tests check what each success writes; this table checks no route
// forgets its guard.
func TestAuthorizationTable(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	users := map[string]*fabrique.User{
		"porteur":      a.CreateUser(t, "Paule Porteuse", "porteur@example.org", pass, fabrique.RoleContributor),
		"membre":       a.CreateUser(t, "Marc Membre", "membre@example.org", pass, fabrique.RoleContributor),
		"contributeur": a.CreateUser(t, "Chloé Contributrice", "contrib@example.org", pass, fabrique.RoleContributor),
		"coordination": a.CreateUser(t, "Camille Coordination", "coord@example.org", pass, fabrique.RoleCoordinator),
	}
	requester := a.CreateUser(t, "Rémi Demandeur", "demandeur@example.org", pass, fabrique.RoleContributor)
	clients := map[string]*apptest.Client{"anonyme": a.Client(t)}
	for role, u := range users {
		clients[role] = a.Client(t)
		clients[role].Login(u.Email, pass)
	}
	var placeID int64
	if err := a.SQL.QueryRow(ctx, `INSERT INTO places (slug, name, city, region) VALUES ('la-fabrik', 'La Fabrik', 'Lyon', 'Auvergne-Rhône-Alpes') RETURNING id`).Scan(&placeID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SQL.Exec(ctx, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2), ($1, $3)`, placeID, users["membre"].ID, users["porteur"].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SQL.Exec(ctx, `INSERT INTO commons (slug, name, kind) VALUES ('loot', 'Loot', 'logiciel')`); err != nil {
		t.Fatal(err)
	}

	n := 0
	// newChallenge makes a défi of its own for one case.
	newChallenge := func() *fabrique.Challenge {
		t.Helper()
		n++
		c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: fmt.Sprintf("Défi %d", n), Summary: "Résumé.", Problem: "Problème."}, users["porteur"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.SQL.Exec(ctx, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at, message)
			VALUES ($1, $2, 'member', 'accepted', now(), ''), ($1, $3, 'member', 'pending', NULL, 'Je peux aider.')`,
			c.ID, users["membre"].ID, requester.ID); err != nil {
			t.Fatal(err)
		}
		return c
	}
	framing := url.Values{"problems": {"P"}, "use_cases": {"U"}, "actors": {""}, "existing_solutions": {"S"}, "approach": {"A"}, "next_steps": {"N"}}

	routes := []struct {
		name string
		path func(c *fabrique.Challenge) string
		form url.Values
		want map[string]int // by role; anonyme is always 303 to /connexion
	}{
		{"join", func(c *fabrique.Challenge) string { return "/defis/" + c.Slug + "/equipe" }, url.Values{"message": {"Bonjour"}},
			map[string]int{"contributeur": 303, "membre": 422, "porteur": 422, "coordination": 303}},
		{"accept", func(c *fabrique.Challenge) string {
			return fmt.Sprintf("/defis/%s/equipe/%d/accepter", c.Slug, requester.ID)
		}, nil,
			map[string]int{"contributeur": 403, "membre": 403, "porteur": 303, "coordination": 303}},
		{"refuse", func(c *fabrique.Challenge) string {
			return fmt.Sprintf("/defis/%s/equipe/%d/refuser", c.Slug, requester.ID)
		}, nil,
			map[string]int{"contributeur": 403, "membre": 403, "porteur": 303, "coordination": 303}},
		{"hand over", func(c *fabrique.Challenge) string {
			return fmt.Sprintf("/defis/%s/equipe/%d/porteur", c.Slug, users["membre"].ID)
		}, nil, map[string]int{"contributeur": 403, "membre": 403, "porteur": 303, "coordination": 303}},
		{"leave", func(c *fabrique.Challenge) string { return "/defis/" + c.Slug + "/equipe/quitter" }, nil,
			map[string]int{"contributeur": 409, "membre": 303, "porteur": 409, "coordination": 409}},
		{"status", func(c *fabrique.Challenge) string { return "/defis/" + c.Slug + "/statut" }, url.Values{"statut": {"equipe"}, "note": {""}},
			map[string]int{"contributeur": 403, "membre": 403, "porteur": 303, "coordination": 303}},
		{"framing", func(c *fabrique.Challenge) string { return "/defis/" + c.Slug + "/cadrage" }, framing,
			map[string]int{"contributeur": 403, "membre": 303, "porteur": 303, "coordination": 303}},
		{"concerned place", func(c *fabrique.Challenge) string { return "/defis/" + c.Slug + "/tiers-lieux" }, url.Values{"place_id": {strconv.FormatInt(placeID, 10)}},
			map[string]int{"contributeur": 403, "membre": 303, "porteur": 303, "coordination": 403}},
		{"withdraw place", func(c *fabrique.Challenge) string {
			return fmt.Sprintf("/defis/%s/tiers-lieux/%d/retirer", c.Slug, placeID)
		}, nil,
			map[string]int{"contributeur": 403, "membre": 303, "porteur": 303, "coordination": 303}},
		{"create commun", func(*fabrique.Challenge) string { return "/communs" }, url.Values{"name": {"Commun"}, "kind": {"logiciel"}, "summary": {"Un commun."}},
			map[string]int{"contributeur": 403, "membre": 403, "porteur": 403, "coordination": 303}},
		{"edit commun", func(*fabrique.Challenge) string { return "/communs/loot/modifier" }, url.Values{"name": {"Loot"}, "kind": {"logiciel"}, "summary": {"Rétributions."}},
			map[string]int{"contributeur": 403, "membre": 403, "porteur": 403, "coordination": 303}},
		{"uses commun", func(*fabrique.Challenge) string { return "/communs/loot/tiers-lieux" }, url.Values{"place_id": {strconv.FormatInt(placeID, 10)}},
			map[string]int{"contributeur": 403, "membre": 303, "porteur": 303, "coordination": 403}},
	}
	for _, rt := range routes {
		for _, role := range []string{"anonyme", "contributeur", "membre", "porteur", "coordination"} {
			c := newChallenge()
			path := rt.path(c)
			r := clients[role].Post(path, rt.form)
			want := rt.want[role]
			if role == "anonyme" {
				want = http.StatusSeeOther
				if loc := r.Location(); r.StatusCode == want && loc[:min(len(loc), 10)] != "/connexion" {
					t.Errorf("%s as %s: got redirect to %q, want /connexion", rt.name, role, loc)
				}
			}
			if r.StatusCode != want {
				t.Errorf("%s (%s) as %s: got %d, want %d", rt.name, path, role, r.StatusCode, want)
			}
		}
	}

	// The routes of a tiers-lieu (issue 10), each case on a place of its own, whose
	// accepted members are the membre and the porteur, with a pending request of the
	// requester. The contributor is a stranger to the place.
	placeRoutes := []struct {
		name string
		path func(slug string) string
		form url.Values
		want map[string]int
	}{
		{"ask to join", func(slug string) string { return "/tiers-lieux/" + slug + "/membres" }, url.Values{"message": {"Bonjour"}},
			map[string]int{"contributeur": 303, "membre": 303, "porteur": 303, "coordination": 303}},
		{"leave", func(slug string) string { return "/tiers-lieux/" + slug + "/membres/quitter" }, nil,
			map[string]int{"contributeur": 303, "membre": 303, "porteur": 303, "coordination": 303}},
		{"accept a request", func(slug string) string {
			return fmt.Sprintf("/tiers-lieux/%s/membres/%d/accepter", slug, requester.ID)
		}, nil,
			map[string]int{"contributeur": 403, "membre": 303, "porteur": 303, "coordination": 303}},
		{"refuse a request", func(slug string) string { return fmt.Sprintf("/tiers-lieux/%s/membres/%d/refuser", slug, requester.ID) }, nil,
			map[string]int{"contributeur": 403, "membre": 303, "porteur": 303, "coordination": 303}},
		{"verify", func(slug string) string { return "/tiers-lieux/" + slug + "/verification" }, url.Values{"note": {"Visite."}},
			map[string]int{"contributeur": 403, "membre": 403, "porteur": 403, "coordination": 303}},
		{"edit", func(slug string) string { return "/tiers-lieux/" + slug + "/modifier" },
			url.Values{"name": {"La Fabrik"}, "city": {"Lyon"}, "region": {"Bretagne"}, "contact": {"04 65 71 12 34"}},
			map[string]int{"contributeur": 403, "membre": 303, "porteur": 303, "coordination": 303}},
	}
	for _, rt := range placeRoutes {
		for _, role := range []string{"anonyme", "contributeur", "membre", "porteur", "coordination"} {
			n++
			slug := fmt.Sprintf("lieu-%d", n)
			var id int64
			if err := a.SQL.QueryRow(ctx, `INSERT INTO places (slug, name) VALUES ($1, $1) RETURNING id`, slug).Scan(&id); err != nil {
				t.Fatal(err)
			}
			if _, err := a.SQL.Exec(ctx, `INSERT INTO place_members (place_id, user_id) VALUES ($1, $2), ($1, $3)`,
				id, users["membre"].ID, users["porteur"].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := a.DB.RequestToJoinPlace(ctx, id, requester.ID, "Je peux aider."); err != nil {
				t.Fatal(err)
			}
			path := rt.path(slug)
			r := clients[role].Post(path, rt.form)
			want := rt.want[role]
			if role == "anonyme" {
				want = http.StatusSeeOther
				if loc := r.Location(); r.StatusCode == want && loc[:min(len(loc), 10)] != "/connexion" {
					t.Errorf("%s as %s: got redirect to %q, want /connexion", rt.name, role, loc)
				}
			}
			if r.StatusCode != want {
				t.Errorf("%s (%s) as %s: got %d, want %d", rt.name, path, role, r.StatusCode, want)
			}
		}
	}

	// The coordination's own days (issue 15): decided by a coordinator, never on their
	// own days — each case on an entry of its own, by another coordinator or by the table's.
	other := a.CreateUser(t, "Dominique Coordination", "dom@example.org", pass, fabrique.RoleCoordinator)
	if _, err := a.DB.SetOperatingFund(ctx, other, time.Now().Year(), 100*fabrique.DefaultDayRate); err != nil {
		t.Fatal(err)
	}
	logDays := func(u *fabrique.User) int64 {
		t.Helper()
		rec, err := a.DB.LogCoordinationTime(ctx, u, fabrique.NewCoordinationTime{WorkedOn: time.Now().AddDate(0, 0, -1), Service: "amorcage", Quarters: 4, Description: "Suivi."})
		if err != nil {
			t.Fatal(err)
		}
		return rec.ID
	}
	for _, d := range []struct {
		path string
		form url.Values
	}{{"valider", nil}, {"refuser", url.Values{"reason": {"Doublon."}}}} {
		for _, own := range []bool{false, true} {
			for _, role := range []string{"anonyme", "contributeur", "membre", "porteur", "coordination"} {
				author := other
				if own {
					author = users["coordination"]
				}
				path := fmt.Sprintf("/coordination/temps/%d/%s", logDays(author), d.path)
				want := map[string]int{"anonyme": 303, "contributeur": 403, "membre": 403, "porteur": 403, "coordination": 303}[role]
				if own && role == "coordination" {
					want = 403
				}
				r := clients[role].Post(path, d.form)
				if r.StatusCode != want || (role == "anonyme" && !strings.HasPrefix(r.Location(), "/connexion")) {
					t.Errorf("%s (own days %v) as %s: got %d %s, want %d", path, own, role, r.StatusCode, r.Location(), want)
				}
			}
		}
	}

	// A step of a call, for its funders page.
	call, err := a.DB.CreateCall(ctx, users["coordination"], fabrique.NewCall{Title: "Appel 2026",
		StartsOn: time.Now().AddDate(0, 0, -1), EndsOn: time.Now().AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var stepID int64
	if err := a.SQL.QueryRow(ctx, `INSERT INTO steps (commons_id, title, goal, starts_on, ends_on, created_by)
		SELECT id, 'Version 2', 100000, current_date, current_date + 90, $1 FROM commons WHERE slug = 'loot' RETURNING id`,
		users["porteur"].ID).Scan(&stepID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.AddCallStep(ctx, users["coordination"], call.ID, stepID); err != nil {
		t.Fatal(err)
	}
	stepFunders := fmt.Sprintf("/cofinancement/%s/etapes/%d/financeurs", call.Slug, stepID)
	placeEdit := "/tiers-lieux/la-fabrik/modifier" // its members are the membre and the porteur

	// Pages are public; the coordination's and the forms' pages are not.
	for path, want := range map[string]map[string]int{
		stepFunders:                  {"anonyme": 200, "contributeur": 200, "membre": 200, "porteur": 200, "coordination": 200},
		"/defis/defi-1":              {"anonyme": 200, "contributeur": 200, "membre": 200, "porteur": 200, "coordination": 200},
		"/defis/defi-1/movilab.txt":  {"anonyme": 200, "contributeur": 200},
		"/defis.atom":                {"anonyme": 200},
		"/tiers-lieux":               {"anonyme": 200, "membre": 200},
		"/tiers-lieux/la-fabrik":     {"anonyme": 200, "membre": 200},
		"/tiers-lieux/nouveau":       {"anonyme": 303, "contributeur": 200},
		placeEdit:                    {"anonyme": 303, "contributeur": 403, "membre": 200, "porteur": 200, "coordination": 200},
		"/communs":                   {"anonyme": 200, "coordination": 200},
		"/communs/loot":              {"anonyme": 200, "membre": 200},
		"/communs/nouveau":           {"anonyme": 303, "contributeur": 403, "coordination": 200},
		"/communs/loot/modifier":     {"anonyme": 303, "porteur": 403, "coordination": 200},
		"/communs/loot/movilab.txt":  {"anonyme": 200},
		"/coordination":              {"anonyme": 303, "contributeur": 403, "porteur": 403, "coordination": 200},
		"/coordination/journal":      {"anonyme": 303, "membre": 403, "coordination": 200},
		"/coordination/paiements":    {"anonyme": 303, "membre": 403, "coordination": 200},
		"/coordination/courriels":    {"anonyme": 303, "contributeur": 403, "porteur": 403, "coordination": 200},
		"/espace/compte":             {"anonyme": 303, "contributeur": 200, "coordination": 200},
		"/coordination/comptes":      {"anonyme": 303, "contributeur": 403, "porteur": 403, "coordination": 200},
		"/coordination/plan":         {"anonyme": 303, "contributeur": 403, "porteur": 403, "coordination": 200},
		"/coordination/temps":        {"anonyme": 303, "membre": 403, "porteur": 403, "coordination": 200},
		"/espace/donnees":            {"anonyme": 303, "contributeur": 200},
		"/espace/compte/suppression": {"anonyme": 303, "membre": 200},
		"/espace/notifications":      {"anonyme": 303, "porteur": 200},
		"/agenda":                    {"anonyme": 200, "contributeur": 200},
		"/agenda.ics":                {"anonyme": 200},
		"/rendez-vous/nouveau":       {"anonyme": 303, "contributeur": 403, "coordination": 200},
		"/espace/agenda.ics":         {"anonyme": 404},
		"/mot-de-passe-oublie":       {"anonyme": 200, "contributeur": 200},
		"/mot-de-passe/inconnu":      {"anonyme": 410, "contributeur": 410},
		"/verification/inconnu":      {"anonyme": 410, "membre": 410},
		"/transparence":              {"anonyme": 200, "coordination": 200},
		"/mentions-legales":          {"anonyme": 200, "contributeur": 200, "coordination": 200},
		"/donnees-personnelles":      {"anonyme": 200, "membre": 200, "coordination": 200},
		"/accessibilite":             {"anonyme": 200, "porteur": 200, "coordination": 200},
	} {
		for role, status := range want {
			if got := clients[role].Get(path).StatusCode; got != status {
				t.Errorf("GET %s as %s: got %d, want %d", path, role, got, status)
			}
		}
	}
}
