package server_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// dbProxy forwards TCP connections to PostgreSQL until cut: then it closes every
// connection and refuses new ones, as a stopped server would, until restored.
type dbProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener // nil while cut
	conns  map[net.Conn]bool
}

// withDatabaseProxy starts a proxy in front of the test's database and points the app
// at it; *p receives the proxy.
func withDatabaseProxy(t *testing.T, p **dbProxy) apptest.Option {
	return func(cfg *app.Config) {
		u, err := url.Parse(cfg.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		*p = &dbProxy{t: t, target: u.Host, addr: ln.Addr().String(), conns: map[net.Conn]bool{}}
		(*p).serve(ln)
		t.Cleanup((*p).cut)
		u.Host = (*p).addr
		cfg.DatabaseURL = u.String()
	}
}

func (p *dbProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
}

func (p *dbProxy) forward(c net.Conn) {
	s, err := net.DialTimeout("tcp", p.target, 2*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // cut meanwhile
		p.mu.Unlock()
		c.Close()
		s.Close()
		return
	}
	p.conns[c], p.conns[s] = true, true
	p.mu.Unlock()
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		dst.Close()
		src.Close()
	}
	go pipe(s, c)
	go pipe(c, s)
}

// cut closes the listener and every connection.
func (p *dbProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// restore listens again on the same address.
func (p *dbProxy) restore() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy: listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// timedGet fetches path and fails the test if the answer took more than 2 s.
func timedGet(t *testing.T, c *apptest.Client, path string) *apptest.Response {
	t.Helper()
	start := time.Now()
	r := c.Get(path)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("GET %s took %s, want at most 2 s", path, d.Round(time.Millisecond))
	}
	return r
}

// While PostgreSQL is unreachable every page answers within 2 s: a French 503 with
// Retry-After, or for an anonymous visitor the last copy of a public page the cache
// built, marked as possibly out of date. When it returns, the app serves again by itself
// and the cache hears changes again.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	var proxy *dbProxy
	a := apptest.Start(t, apptest.WithPageCache(time.Hour), withDatabaseProxy(t, &proxy))
	a.WaitPageCache(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallenge(t, a, lead.ID, "Un outil de réservation partagé")
	alice := a.Client(t)
	alice.Login("alice@example.org", "motdepasse-solide")
	visitor := a.Client(t)
	english := a.Client(t)
	wantStatus(t, english.Get("/langue?lang=en"), http.StatusSeeOther)
	page := "/defis/" + ch.Slug
	waitKept(t, a, visitor, page)
	waitKept(t, a, english, page)

	proxy.cut()
	for deadline := time.Now().Add(5 * time.Second); a.Server.PageCacheListening(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("5 s after the database went away, the page cache still thinks it hears changes")
		}
	}

	// A page the cache never built: 503, in French, to retry shortly.
	r := timedGet(t, visitor, "/defis")
	wantStatus(t, r, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") == "" || r.Header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(r.Body, "Service momentanément indisponible") || !strings.Contains(r.Body, "Réessayez dans un instant") {
		t.Errorf("/defis without a database: Retry-After %q, Cache-Control %q, body:\n%.1500s",
			r.Header.Get("Retry-After"), r.Header.Get("Cache-Control"), r.Body)
	}
	if r.Doc.Find("[data-testid=stale-banner]").Length() != 0 {
		t.Error("the 503 page shows the stale banner")
	}

	// A page it built: its last copy, with the banner, not to be stored downstream.
	for _, v := range []struct {
		c      *apptest.Client
		banner string
	}{{visitor, "peut-être pas à jour"}, {english, "may be out of date"}} {
		r = timedGet(t, v.c, page)
		wantStatus(t, r, http.StatusOK)
		banner := r.Doc.Find("main [data-testid=stale-banner]")
		if banner.Length() != 1 || !strings.Contains(banner.Text(), v.banner) {
			t.Errorf("stale copy of %s: %d banners, text %q, want one with %q", page, banner.Length(), banner.Text(), v.banner)
		}
		if !strings.Contains(r.Body, "Un outil de réservation partagé") || r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Warning") == "" {
			t.Errorf("stale copy of %s: Cache-Control %q, Warning %q, the défi shown: %v", page,
				r.Header.Get("Cache-Control"), r.Header.Get("Warning"), strings.Contains(r.Body, "Un outil de réservation partagé"))
		}
	}

	// Logged in: never someone else's page, a 503. Writes and the health check too.
	r = timedGet(t, alice, page)
	wantStatus(t, r, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") == "" || r.Doc.Find("[data-testid=stale-banner]").Length() != 0 {
		t.Errorf("logged-in visit without a database: Retry-After %q, a stale banner: %v", r.Header.Get("Retry-After"), r.Doc.Find("[data-testid=stale-banner]").Length() != 0)
	}
	start := time.Now()
	wantStatus(t, alice.Post("/defis", url.Values{"title": {"Un défi"}, "summary": {"S."}, "problem": {"P."}}), http.StatusServiceUnavailable)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("POST /defis took %s, want at most 2 s", d)
	}
	wantStatus(t, timedGet(t, visitor, "/sante"), http.StatusServiceUnavailable)

	// Back: fresh pages within a few seconds, for everyone, and changes heard again.
	proxy.restore()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if r := visitor.Get("/defis"); r.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("10 s after the database came back, /defis still fails")
		}
	}
	a.WaitPageCache(t)
	r = visitor.Get(page)
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=stale-banner]").Length() != 0 || r.Header.Get("Warning") != "" {
		t.Error("after the database came back, the visitor still gets the stale copy")
	}
	r = alice.Get(page)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Body, "Alice Martin") {
		t.Error("after the database came back, Alice's page does not show her as logged in")
	}
	wantStatus(t, visitor.Get("/sante"), http.StatusOK)
	waitKept(t, a, visitor, "/defis")
	mustCreateChallenge(t, a, lead.ID, "Un fonds de prêt de matériel")
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(visitor.Get("/defis").Body, "Un fonds de prêt de matériel"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("after the database came back, a change made elsewhere is not heard by the page cache")
		}
	}
}
