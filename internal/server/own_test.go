package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// A person's space is kept for them alone (renderOwn): every person of the demo gets, on
// the caching instance and once it comes from memory, byte for byte the space a plain
// instance renders for them — their défis, contributions, pledges, calendar link — never
// that of the person who asked before them, in French and in English.
func TestOwnPageIsEachPersonsOwn(t *testing.T) {
	t.Parallel()
	a, cachedApp := startDemoTwice(t)
	personas := demoPersonas(t, a, cachedApp, false)
	// get returns the space, its host put as the plain instance's (the calendar's link
	// is built from it), and the queries the instance sent for it.
	get := func(app *apptest.App, c *apptest.Client, lang string) (string, int64) {
		t.Helper()
		before := app.Queries.Count()
		status, page := getInLang(t, c, app.URL()+"/espace", lang)
		if status != http.StatusOK {
			t.Fatalf("/espace: status %d", status)
		}
		return strings.ReplaceAll(page, cachedApp.URL(), a.URL()), app.Queries.Count() - before
	}
	for _, lang := range []string{"fr", "en"} {
		got := make([]string, len(personas))
		for i, p := range personas {
			// Asked until it comes from memory: one query at most, the session's.
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				var n int64
				if got[i], n = get(cachedApp, p.cached, lang); n <= 1 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("[%s] the space of %s never kept: %d queries", lang, p.name, n)
				}
			}
		}
		for i, p := range personas {
			get(a, p.bare, lang) // the login's flash, shown once
			if want, _ := get(a, p.bare, lang); got[i] != want {
				t.Errorf("[%s] the space of %s kept differs from the one rendered for them:\n%s", lang, p.name, firstDifference(got[i], want))
			}
		}
	}
}

// A person's kept space is out of date at once after a write: their own, on the instance
// that keeps it (read back by its writer in the very next request), and anyone's on
// another instance, as soon as it is heard — the TTL here is an hour.
func TestOwnPageFreshAfterWritesOnAnyInstance(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	b := a.Another(t, apptest.WithPageCache(time.Hour))
	b.WaitPageCache(t)
	const pass = "motdepasse-solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Rémi Demandeur", "remi@example.org", pass, fabrique.RoleContributor)
	c := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")
	paule, remi := a.Client(t), b.Client(t)
	paule.Login("paule@example.org", pass)
	remi.Login("remi@example.org", pass)
	waitKept := func(app *apptest.App, cl *apptest.Client) *apptest.Response {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			n, r := queriesOf(t, app, cl, "/espace")
			wantStatus(t, r, http.StatusOK)
			if n <= 1 { // the session's, unless kept too
				return r
			}
			if time.Now().After(deadline) {
				t.Fatalf("the space never kept: %d queries", n)
			}
		}
	}
	if waitKept(a, paule).Doc.Find("[data-testid=todo-join]").Length() != 0 {
		t.Fatal("a request to join before any")
	}
	if waitKept(b, remi).Doc.Find("[data-testid=my-requests] li").Length() != 0 {
		t.Fatal("Rémi's request before he sent it")
	}
	// Rémi asks, on instance b, to join Paule's défi.
	wantStatus(t, remi.Post("/defis/"+c.Slug+"/equipe", url.Values{"message": {"Je peux aider."}}), http.StatusSeeOther)
	if remi.Get("/espace").Doc.Find("[data-testid=my-requests] li").Length() != 1 {
		t.Error("Rémi's space does not show the request he has just sent")
	}
	for deadline := time.Now().Add(5 * time.Second); paule.Get("/espace").Doc.Find("[data-testid=todo-join]").Length() != 1; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Paule's space on the other instance never shows Rémi's request")
		}
	}
}
