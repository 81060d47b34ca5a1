package server_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/demo"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// The content a page shares with everyone of the viewer's class is rendered once and kept
// (renderShared): every person must still get, byte for byte, the page an instance without
// any cache renders for them — their name, their rights and their forms, never those of
// the person who asked first. Each page of the demo that shares its content is asked on
// the caching instance by every persona in turn (the first of a class fills the cache,
// the next ones are served from it), then on a plain instance, in French and in English.
func TestSharedContentIsEachViewersPage(t *testing.T) {
	t.Parallel()
	a, cachedApp := startDemoTwice(t)
	ctx := context.Background()
	paths := []string{"/", "/defis", "/defis?q=atelier", "/defis?page=2", "/transparence", "/agenda"}
	for _, q := range []string{
		`SELECT '/defis/' || slug FROM challenges ORDER BY id`,
		`SELECT '/communs/' || slug FROM commons ORDER BY id`,
		`SELECT '/cofinancement/' || slug FROM calls ORDER BY id`,
	} {
		rows, err := a.SQL.Query(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
	}
	personas := demoPersonas(t, a, cachedApp, true)
	get := func(c *apptest.Client, base, lang, path string) (int, string) {
		t.Helper()
		return getInLang(t, c, base+path, lang)
	}
	for _, lang := range []string{"fr", "en"} {
		for _, path := range paths {
			got := make([]string, len(personas))
			for i, p := range personas {
				status, body := get(p.cached, cachedApp.URL(), lang, path)
				if status != http.StatusOK {
					t.Fatalf("[%s] %s as %s: status %d", lang, path, p.name, status)
				}
				got[i] = body
			}
			for i, p := range personas {
				_, want := get(p.bare, a.URL(), lang, path)
				if got[i] != want {
					t.Errorf("[%s] %s as %s: the caching instance's page differs from the one rendered for them:\n%s", lang, path, p.name, firstDifference(got[i], want))
				}
			}
		}
	}
}

// persona is a person of the demo logged in on the caching instance and on the plain one.
type persona struct {
	name         string
	cached, bare *apptest.Client
}

// demoPersonas logs in the glued-text personas and a team member on both instances, and
// the visitor too when visitor says so.
func demoPersonas(t *testing.T, plain, cached *apptest.App, visitor bool) []persona {
	t.Helper()
	var personas []persona
	for _, p := range append(gluePersonas, struct{ name, email string }{"membre", "karim.haddad@demo.fabrique.example"}) {
		if p.email == "" && !visitor {
			continue
		}
		pe := persona{name: p.name, cached: cached.Client(t), bare: plain.Client(t)}
		if p.email != "" {
			pe.cached.Login(p.email, demo.DemoPassword)
			pe.bare.Login(p.email, demo.DemoPassword)
		}
		personas = append(personas, pe)
	}
	return personas
}

// getInLang asks c for url in lang and returns the status and the page.
func getInLang(t *testing.T, c *apptest.Client, url, lang string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "fabrique_lang", Value: lang})
	res, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// startDemoTwice starts the demo on a plain instance and on one with the caches on.
func startDemoTwice(t *testing.T) (plain, cached *apptest.App) {
	t.Helper()
	plain = startDemo(t)
	cached = plain.Another(t, apptest.WithPageCache(time.Hour))
	cached.WaitPageCache(t)
	return plain, cached
}

// firstDifference shows where two pages part.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-120)
	return "got:  …" + got[from:min(len(got), i+120)] + "…\nwant: …" + want[from:min(len(want), i+120)] + "…"
}

// /coordination is shared only between coordinators whose own facts are alike: a
// coordinator who asked for the seed budget waiting in the queue (four eyes: another
// decides) never gets the page of one who may decide it, nor the reverse.
func TestCoordinationSharedOnlyAmongAlikeCoordinators(t *testing.T) {
	t.Parallel()
	a := startDemo(t)
	ctx := context.Background()
	// The porteur who asked for the waiting seed budget (startDemo) becomes a coordinator.
	var requester string
	if err := a.SQL.QueryRow(ctx, `UPDATE users u SET role = 'coordinator' FROM seed_requests s
		WHERE s.requested_by = u.id AND s.state = 'pending' RETURNING u.email`).Scan(&requester); err != nil {
		t.Fatal(err)
	}
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Camille Coordinatrice", "camille@example.org", pass, fabrique.RoleCoordinator)
	cachedApp := a.Another(t, apptest.WithPageCache(time.Hour))
	cachedApp.WaitPageCache(t)
	time.Sleep(100 * time.Millisecond) // the setup's changes heard
	logins := []struct{ email, pass string }{{demo.CoordinatorEmail, demo.DemoPassword}, {"camille@example.org", pass}, {requester, demo.DemoPassword}}
	got := make([]string, len(logins))
	for i, l := range logins {
		c := cachedApp.Client(t)
		c.Login(l.email, l.pass)
		r := c.Get("/coordination")
		wantStatus(t, r, http.StatusOK)
		got[i] = r.Raw
	}
	for i, l := range logins {
		c := a.Client(t)
		c.Login(l.email, l.pass)
		if want := c.Get("/coordination").Raw; got[i] != want {
			t.Errorf("/coordination as %s: the caching instance's page differs from the one rendered for them:\n%s", l.email, firstDifference(got[i], want))
		}
	}
}

// A page whose content is kept still shows its viewer's flash message, once: the flash
// is the layout's, rendered for each request.
func TestSharedContentKeepsTheFlash(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	const pass = "motdepasse-solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Rémi Demandeur", "remi@example.org", pass, fabrique.RoleContributor)
	c := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")
	time.Sleep(100 * time.Millisecond) // the setup's changes heard
	rc := a.Client(t)
	rc.Login("remi@example.org", pass)
	path := "/defis/" + c.Slug
	rc.Get(path) // the content kept for a logged-in person outside the team
	r := rc.Follow(rc.Post(path+"/equipe", url.Values{"message": {"Je peux aider."}}))
	if f := r.Doc.Find("[data-testid=flash]").Text(); !strings.Contains(f, "Votre demande est envoyée") {
		t.Fatalf("the flash after the request: %q", f)
	}
	if !strings.Contains(r.Doc.Find("[data-testid=my-team-status]").Text(), "attente") {
		t.Error("the page after the request does not say it waits")
	}
	if n := rc.Get(path).Doc.Find("[data-testid=flash]").Length(); n != 0 {
		t.Errorf("the flash shown again: %d", n)
	}
}

// A session whose row does not name its account (written before migration 00036) is read
// without the viewer's own facts: a défi's page, a commun's and a call's then read them
// themselves, and each viewer still gets their own page.
func TestSharedPagesWithoutOwnFacts(t *testing.T) {
	t.Parallel()
	a, cachedApp := startDemoTwice(t)
	ctx := context.Background()
	var paths []string
	if err := a.SQL.QueryRow(ctx, `SELECT array['/defis/' || (SELECT slug FROM challenges ORDER BY id LIMIT 1),
		'/communs/' || (SELECT slug FROM commons ORDER BY id LIMIT 1), '/cofinancement/' || (SELECT slug FROM calls ORDER BY id LIMIT 1)]`).Scan(&paths); err != nil {
		t.Fatal(err)
	}
	email := "marc.dubois@demo.fabrique.example" // porteur, member and funder for his tiers-lieu
	cc, bc := cachedApp.Client(t), a.Client(t)
	cc.Login(email, demo.DemoPassword)
	bc.Login(email, demo.DemoPassword)
	if _, err := a.SQL.Exec(ctx, `UPDATE sessions SET user_id = NULL`); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		got := cc.Get(path)
		wantStatus(t, got, http.StatusOK)
		if want := bc.Get(path).Raw; got.Raw != want {
			t.Errorf("%s: the caching instance's page differs from the one rendered for him:\n%s", path, firstDifference(got.Raw, want))
		}
	}
}
