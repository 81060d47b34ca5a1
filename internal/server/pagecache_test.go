package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// startCached starts an app whose page cache keeps pages for ttl, once it listens.
func startCached(t *testing.T, ttl time.Duration) *apptest.App {
	t.Helper()
	a := apptest.Start(t, apptest.WithPageCache(ttl))
	a.WaitPageCache(t)
	return a
}

// queriesOf returns how many queries one GET of path by c sends, and its answer.
func queriesOf(t *testing.T, a *apptest.App, c *apptest.Client, path string) (int64, *apptest.Response) {
	t.Helper()
	before := a.Queries.Count()
	r := c.Get(path)
	return a.Queries.Count() - before, r
}

// waitKept asks for path until it comes from memory: the notifications of the test's own
// setup may still be arriving, each dropping the pages.
func waitKept(t *testing.T, a *apptest.App, c *apptest.Client, path string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if n, r := queriesOf(t, a, c, path); n == 0 && r.StatusCode == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is never served from memory", path)
		}
	}
}

func TestPageCacheServesVisitorsFromMemory(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallenge(t, a, lead.ID, "Un outil de réservation partagé")
	server.DeafenPageCache(a.Server) // the setup's notifications would drop pages at random
	visitor := a.Client(t)

	for _, path := range []string{"/", "/defis", "/defis?q=outil", "/defis/" + ch.Slug, "/transparence", "/communs", "/cofinancement", "/tiers-lieux"} {
		n1, r1 := queriesOf(t, a, visitor, path)
		wantStatus(t, r1, http.StatusOK)
		n2, r2 := queriesOf(t, a, visitor, path)
		wantStatus(t, r2, http.StatusOK)
		if n1 == 0 {
			t.Errorf("%s: the first visit sent no query: was it cached already?", path)
		}
		if n2 != 0 {
			t.Errorf("%s: the second visit sent %d queries, want 0 (from memory)", path, n2)
		}
		if r1.Body != r2.Body {
			t.Errorf("%s: the page from memory differs from the page built", path)
		}
		for _, h := range []string{"Content-Type", "Content-Security-Policy", "X-Frame-Options"} {
			if r1.Header.Get(h) == "" || r2.Header.Get(h) != r1.Header.Get(h) {
				t.Errorf("%s: header %s: built %q, from memory %q", path, h, r1.Header.Get(h), r2.Header.Get(h))
			}
		}
	}

	// Another query string is another page; so is another language.
	if n, _ := queriesOf(t, a, visitor, "/defis?q=reservation"); n == 0 {
		t.Error("/defis?q=reservation was served from the page of /defis?q=outil")
	}
	english := a.Client(t)
	wantStatus(t, english.Get("/langue?lang=en"), http.StatusSeeOther)
	// (Built from the data cache, the English page may send no query: its language tells.)
	if r := english.Get("/defis"); !strings.Contains(r.Body, `<html lang="en"`) {
		t.Error("/defis in English: served the French page")
	}

	// Not kept: a page that does not exist, and the pages of logged-in people.
	queriesOf(t, a, visitor, "/defis/nexiste-pas")
	if n, r := queriesOf(t, a, visitor, "/defis/nexiste-pas"); n == 0 || r.StatusCode != http.StatusNotFound {
		t.Errorf("404 page: %d queries, status %d: want it built each time", n, r.StatusCode)
	}
	alice := a.Client(t)
	alice.Login("alice@example.org", "motdepasse-solide")
	for range 2 {
		n, r := queriesOf(t, a, alice, "/defis/"+ch.Slug)
		wantStatus(t, r, http.StatusOK)
		if n == 0 || !strings.Contains(r.Body, "Alice Martin") {
			t.Fatalf("logged-in visit: %d queries: got a page from memory", n)
		}
	}
}

func TestPageCacheShowsAWriteToTheNextVisitor(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	// PostgreSQL's notification of the write could otherwise arrive first and hide a
	// missing drop.
	server.DeafenPageCache(a.Server)
	visitor := a.Client(t)
	waitKept(t, a, visitor, "/defis")

	// A défi proposed through this app is on the very next visitor's list: the write
	// dropped the pages before its answer left.
	alice := a.Client(t)
	alice.Login("alice@example.org", "motdepasse-solide")
	r := alice.Post("/defis", url.Values{"title": {"Une conciergerie mutualisée"}, "summary": {"Partager une conciergerie."}, "problem": {"Chaque lieu la réinvente."}})
	wantStatus(t, r, http.StatusSeeOther)
	if got := visitor.Get("/defis"); !strings.Contains(got.Body, "Une conciergerie mutualisée") {
		t.Fatal("the visitor's /defis, just after the défi was proposed, does not show it")
	}
}

func TestPageCacheHearsChangesMadeElsewhere(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.WaitPageCache(t)
	visitor := a.Client(t)
	waitKept(t, a, visitor, "/defis")

	// Written straight into the database, as another instance or the command line would:
	// PostgreSQL's notification drops the page long before its hour is up.
	mustCreateChallenge(t, a, lead.ID, "Un fonds de prêt de matériel")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if strings.Contains(visitor.Get("/defis").Body, "Un fonds de prêt de matériel") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("5 s after a défi was written to the database, /defis still does not show it")
		}
	}
}

func TestPageCacheExpires(t *testing.T) {
	t.Parallel()
	a := startCached(t, 50*time.Millisecond)
	visitor := a.Client(t)
	wantStatus(t, visitor.Get("/"), http.StatusOK)
	time.Sleep(120 * time.Millisecond)
	// Counted by the page cache itself: the page may be built again from the data cache
	// without a query (an entry whose load took long stays fresh longer, renewLoadFactor).
	before := server.PageCacheMisses(a.Server)
	wantStatus(t, visitor.Get("/"), http.StatusOK)
	if server.PageCacheMisses(a.Server) == before {
		t.Error("the home page was served from memory after its TTL")
	}
}

// Many visitors asking for the same page at once, when it is not kept: it is built once,
// the others wait for it.
func TestPageCacheBuildsAPageOnceUnderLoad(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallenge(t, a, lead.ID, "Un outil de réservation partagé")
	server.DeafenPageCache(a.Server) // the setup's notifications would drop pages at random
	path := "/defis/" + ch.Slug
	one, r := queriesOf(t, a, a.Client(t), path) // one build of the page
	wantStatus(t, r, http.StatusOK)
	alice := a.Client(t)
	alice.Login("alice@example.org", "motdepasse-solide")
	// A write that changes something drops every page.
	wantStatus(t, alice.Post("/defis", url.Values{"title": {"Une conciergerie mutualisée"}, "summary": {"S."}, "problem": {"P."}}), http.StatusSeeOther)

	const visitors = 32
	clients := make([]*apptest.Client, visitors)
	for i := range clients {
		clients[i] = a.Client(t)
	}
	before := a.Queries.Count()
	var wg sync.WaitGroup
	bodies := make([]string, visitors)
	for i, c := range clients {
		wg.Go(func() {
			if r := c.Get(path); r.StatusCode == http.StatusOK {
				bodies[i] = r.Body
			}
		})
	}
	wg.Wait()
	if n := a.Queries.Count() - before; n != one {
		t.Errorf("%d visitors at once: %d queries, want %d (the page built once)", visitors, n, one)
	}
	for i, b := range bodies {
		if b == "" || b != bodies[0] {
			t.Fatalf("visitor %d got another page than visitor 0", i)
		}
	}
}

// Every route the cache may keep is a public GET route of the app: a renamed route
// would otherwise silently lose its cache.
func TestPageCacheRoutesExist(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	routes := map[string]bool{}
	if err := chi.Walk(server.Router(a.Server), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet {
			routes[route] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, route := range server.CachedRoutes() {
		if !routes[route] {
			t.Errorf("cached route %q is not a GET route of the app", route)
		}
	}
}
