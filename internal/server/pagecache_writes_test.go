package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// A POST that changes nothing a page shows — refused, anonymous, cross-origin, a wrong or
// a right password — leaves the pages kept: a stream of junk POSTs cannot force every
// visitor's page to be rebuilt. A write that changed something still drops them at once.
func TestPageCacheKeepsPagesAfterPostsThatChangeNothing(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	// The database's notifications are ignored: only this process's own drops count.
	server.DeafenPageCache(a.Server)
	visitor := a.Client(t)
	waitKept(t, a, visitor, "/defis")

	alice := a.Client(t)
	anonymous := a.Client(t)
	posts := []struct {
		name string
		post func() int
		want int
	}{
		{"an anonymous POST", func() int {
			return anonymous.Post("/defis", url.Values{"title": {"Un défi anonyme"}, "summary": {"S."}, "problem": {"P."}}).StatusCode
		}, http.StatusSeeOther},
		{"a wrong password", func() int {
			return alice.Post("/connexion", url.Values{"email": {"alice@example.org"}, "password": {"pas-le-bon-mot"}}).StatusCode
		}, http.StatusUnprocessableEntity},
		{"a login", func() int { return alice.Login("alice@example.org", "motdepasse-solide").StatusCode }, http.StatusSeeOther},
		{"a forbidden POST (403)", func() int {
			return alice.Post("/coordination/fonds", url.Values{"year": {"2026"}, "amount": {"1000"}}).StatusCode
		}, http.StatusForbidden},
		{"an invalid form (422)", func() int {
			return alice.Post("/defis", url.Values{"title": {""}, "summary": {""}, "problem": {""}}).StatusCode
		}, http.StatusUnprocessableEntity},
		{"a cross-origin POST", func() int {
			req, err := http.NewRequest(http.MethodPost, a.URL()+"/defis",
				strings.NewReader(url.Values{"title": {"Un défi forcé"}, "summary": {"S."}, "problem": {"P."}}.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			return alice.Do(req).StatusCode
		}, http.StatusForbidden},
	}
	for _, p := range posts {
		if got := p.post(); got != p.want {
			t.Fatalf("%s: status %d, want %d", p.name, got, p.want)
		}
		if n, r := queriesOf(t, a, visitor, "/defis"); n != 0 || r.StatusCode != http.StatusOK {
			t.Errorf("after %s: /defis sent %d queries (status %d), want 0: the page was dropped", p.name, n, r.StatusCode)
		}
	}

	// A write that changed something: the very next visitor sees it.
	r := alice.Post("/defis", url.Values{"title": {"Une conciergerie mutualisée"}, "summary": {"Partager une conciergerie."}, "problem": {"Chaque lieu la réinvente."}})
	wantStatus(t, r, http.StatusSeeOther)
	if got := visitor.Get("/defis"); !strings.Contains(got.Body, "Une conciergerie mutualisée") {
		t.Fatal("the visitor's /defis, just after the défi was proposed, does not show it")
	}
}
