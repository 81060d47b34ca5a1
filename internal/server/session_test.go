package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// A logged-in request reads its session and its account in one query, and without the
// page cache nothing of either is kept between requests: a session ended on one instance
// (logout) or revoked (its account's session epoch raised, even by hand in SQL) is
// refused by the very next request on another instance. With the page cache, see
// TestKeptSessionRevokedEverywhereAtOnce.
func TestSessionReadWithItsAccountAndRevokedEverywhere(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	b := a.Another(t)
	const pass = "motdepasse-solide"
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", pass, fabrique.RoleContributor)
	visitor := a.Client(t)
	onA := a.Client(t)
	onA.Login("alice@example.org", pass)
	onB := b.Client(t)
	onB.HTTP.Jar = onA.HTTP.Jar // the same browser, its requests balanced to the other instance

	built, _ := queriesOf(t, a, visitor, "/defis")
	onA.Get("/defis") // the first request after a login may note when the session was seen
	member, r := queriesOf(t, a, onA, "/defis")
	if !strings.Contains(r.Body, "Alice Martin") {
		t.Fatal("Alice is not logged in")
	}
	if member != built+1 {
		t.Errorf("/defis: %d queries logged in, %d for a visitor: want one more (the session with its account)", member, built)
	}
	if r := onB.Get("/espace"); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Alice Martin") {
		t.Fatalf("the other instance does not know Alice's session: %d", r.StatusCode)
	}

	// Revoked on one side — the epoch a password change raises —, refused at once on the other.
	if _, err := a.SQL.Exec(context.Background(), `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1`, alice.ID); err != nil {
		t.Fatal(err)
	}
	if r := onB.Get("/espace"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/connexion") {
		t.Errorf("a revoked session still served on the other instance: %d %s", r.StatusCode, r.Location())
	}

	// Logged out on one instance: the next request on the other is a visitor's.
	onA.Login("alice@example.org", pass)
	if r := onB.Get("/espace"); r.StatusCode != http.StatusOK {
		t.Fatalf("logged in again: %d", r.StatusCode)
	}
	wantStatus(t, onA.Post("/deconnexion", nil), http.StatusSeeOther)
	if r := onB.Get("/espace"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a session ended on one instance still served on the other: %d", r.StatusCode)
	}
	// A deleted account's session is ended, whatever its row says.
	onA.Login("alice@example.org", pass)
	if _, err := a.SQL.Exec(context.Background(), `UPDATE users SET deleted_at = now() WHERE id = $1`, alice.ID); err != nil {
		t.Fatal(err)
	}
	if r := onB.Get("/espace"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a deleted account's session still served: %d", r.StatusCode)
	}
}
