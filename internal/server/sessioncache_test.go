package server_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// A logged-in person's session is kept by each instance for their reads
// (sessioncache.go), and a revocation made on one instance — a logout, a password
// changed, a role taken away, an account erased — refuses the very next request carrying
// that session on any other: the revoking request returns only once every instance has
// forgotten it. Instance b here hears no change of the data (deaf) and takes 200 ms to
// forget at a fence: only the fence, waited for, can refuse the session in time. The
// session is sent as a stolen cookie would be, not by the browser that logged out.
func TestKeptSessionRevokedEverywhereAtOnce(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	b := a.Another(t, apptest.WithPageCache(time.Hour))
	b.WaitPageCache(t)
	const pass, newPass = "motdepasse-solide", "un-autre-motdepasse"
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Cora Coordinatrice", "cora@example.org", pass, fabrique.RoleCoordinator)
	server.DeafenPageCache(b.Server)
	server.DelaySessionFences(b.Server, 200*time.Millisecond)

	// login logs email in on a, and returns that client and one carrying the same
	// session on b.
	login := func(email, pass string) (onA, onB *apptest.Client) {
		t.Helper()
		onA = a.Client(t)
		wantStatus(t, onA.Login(email, pass), http.StatusSeeOther)
		onB = b.Client(t)
		u, _ := url.Parse(b.URL())
		onB.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "fabrique_session", Value: onA.Cookie("fabrique_session")}})
		return onA, onB
	}
	// kept asks b for path until the session comes from its memory.
	kept := func(c *apptest.Client, path, name string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			hits := server.SessionCacheHits(b.Server)
			r := c.Get(path)
			wantStatus(t, r, http.StatusOK)
			if !strings.Contains(r.Body, name) {
				t.Fatalf("%s on b: %s is not logged in", path, name)
			}
			if server.SessionCacheHits(b.Server) > hits {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s on b: the session of %s never kept", path, name)
			}
		}
	}
	refused := func(c *apptest.Client, what string) {
		t.Helper()
		if r := c.Get("/espace"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/connexion") {
			t.Errorf("%s: the session still served on the other instance: %d %s", what, r.StatusCode, r.Location())
		}
	}

	// Each person's kept session is theirs.
	aliceA, aliceB := login("alice@example.org", pass)
	_, coraB := login("cora@example.org", pass)
	kept(aliceB, "/defis", "Alice Martin")
	kept(coraB, "/defis", "Cora Coordinatrice")
	kept(aliceB, "/espace", "Alice Martin")
	if r := coraB.Get("/defis"); strings.Contains(r.Body, "Alice Martin") {
		t.Error("Cora's page names Alice")
	}

	// A logout.
	wantStatus(t, aliceA.Post("/deconnexion", nil), http.StatusSeeOther)
	refused(aliceB, "logged out")

	// A password changed from another session of the same person.
	aliceA, aliceB = login("alice@example.org", pass)
	computer, _ := login("alice@example.org", pass)
	kept(aliceB, "/espace", "Alice Martin")
	wantStatus(t, computer.Post("/espace/compte", url.Values{"current_password": {pass}, "new_password": {newPass}}), http.StatusSeeOther)
	refused(aliceB, "password changed")
	if r := computer.Get("/espace"); r.StatusCode != http.StatusOK {
		t.Errorf("the session that changed the password: %d, want 200", r.StatusCode)
	}

	// A coordinator's role taken away (through the store).
	kept(coraB, "/coordination", "Cora Coordinatrice")
	if err := a.DB.SetUserRole(context.Background(), "cora@example.org", fabrique.RoleContributor); err != nil {
		t.Fatal(err)
	}
	if r := coraB.Get("/coordination"); r.StatusCode != http.StatusForbidden {
		t.Errorf("role taken away: /coordination on the other instance: %d, want 403", r.StatusCode)
	}

	// A password reset by the e-mailed link, from a browser without a session (the link's
	// token written here as the e-mail would carry it).
	ctx := context.Background()
	_, aliceB = login("alice@example.org", newPass)
	kept(aliceB, "/espace", "Alice Martin")
	link := sha256.Sum256([]byte("lien-de-test"))
	if _, err := a.SQL.Exec(ctx, `INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at)
		VALUES ($1, $2, 'reset', now() + interval '1 hour')`, link[:], alice.ID); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, a.Client(t).Post("/mot-de-passe/lien-de-test", url.Values{"password": {pass}}), http.StatusSeeOther)
	refused(aliceB, "password reset")

	// The store's own paths, whatever calls them (a command, another handler): a
	// password changed, an account erased.
	_, aliceB = login("alice@example.org", pass)
	kept(aliceB, "/espace", "Alice Martin")
	hash, err := password.Hash(newPass, password.Default)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.ChangePassword(ctx, alice.ID, hash); err != nil {
		t.Fatal(err)
	}
	refused(aliceB, "password changed by the store")
	_, aliceB = login("alice@example.org", newPass)
	kept(aliceB, "/espace", "Alice Martin")
	if err := a.DB.DeleteAccount(ctx, alice.ID); err != nil {
		t.Fatal(err)
	}
	refused(aliceB, "account erased")
}

// A kept session never hides its holder's own write from them, nor their unread count:
// notifications marked as read leave the header's count at once on the instance that
// wrote it, and as soon as it is heard on another; a notification written outside any
// request (a job's reminder) shows on every instance as soon as it is heard. The TTL
// here is an hour: only what is heard makes the instances read the sessions again.
func TestKeptSessionReadsBackItsWriter(t *testing.T) {
	t.Parallel()
	a := startCached(t, time.Hour)
	b := a.Another(t, apptest.WithPageCache(time.Hour))
	b.WaitPageCache(t)
	const pass = "motdepasse-solide"
	paule := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	notify := func() {
		t.Helper()
		if _, err := a.SQL.Exec(context.Background(), `INSERT INTO notifications (user_id, kind, data, delivery)
			VALUES ($1, 'join_request', '{"requester":"Rémi","title":"Un défi","slug":"un-defi"}', 'site')`, paule.ID); err != nil {
			t.Fatal(err)
		}
	}
	notify()
	onA := a.Client(t)
	onA.Login("paule@example.org", pass)
	onB := b.Client(t)
	onB.HTTP.Jar = onA.HTTP.Jar // the same browser, balanced between the instances
	unread := func(c *apptest.Client) string {
		return c.Get("/defis").Doc.Find(`[data-testid="unread-count"]`).Text()
	}
	// kept asks app until the session comes from its memory, with count unread.
	kept := func(app *apptest.App, c *apptest.Client, count string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			hits := server.SessionCacheHits(app.Server)
			if n := unread(c); n != count {
				t.Fatalf("unread count %q, want %q", n, count)
			}
			if server.SessionCacheHits(app.Server) > hits {
				return
			}
			if time.Now().After(deadline) {
				t.Fatal("the session never kept")
			}
		}
	}
	// heard asks c until its count is count.
	heard := func(c *apptest.Client, count, what string) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); unread(c) != count; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the other instance's count never %q", what, count)
			}
		}
	}
	kept(a, onA, "1")
	kept(b, onB, "1")
	// A hard reload (Cache-Control: no-cache) reads the session afresh.
	hits := server.SessionCacheHits(a.Server)
	req, err := http.NewRequest(http.MethodGet, a.URL()+"/defis", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Cache-Control", "no-cache")
	before := a.Queries.Count()
	wantStatus(t, onA.Do(req), http.StatusOK)
	if server.SessionCacheHits(a.Server) != hits || a.Queries.Count() == before {
		t.Error("a hard reload served the kept session")
	}
	notify()
	heard(onA, "2", "a notification written by a job")
	heard(onB, "2", "a notification written by a job")
	kept(a, onA, "2")
	kept(b, onB, "2")
	wantStatus(t, onA.Post("/espace/notifications/lues", nil), http.StatusSeeOther)
	if n := unread(onA); n != "" {
		t.Errorf("the header still counts %s notifications just marked as read", n)
	}
	heard(onB, "", "marked as read")
}
