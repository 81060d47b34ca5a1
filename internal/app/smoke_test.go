package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

func TestSmoke(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	r := c.Get("/")
	if r.StatusCode != 200 {
		t.Fatalf("got %d: %s", r.StatusCode, r.Body)
	}
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	r = c.Get("/espace")
	if r.StatusCode != 200 {
		t.Fatalf("espace got %d", r.StatusCode)
	}
	r = c.Post("/defis", url.Values{"title": {"Réseau des fablabs"}, "summary": {"Relier les fablabs."}, "problem": {"# Titre\n\n<script>alert(1)</script> **gras**"}})
	if r.StatusCode != http.StatusSeeOther || r.Location() != "/defis/reseau-des-fablabs" {
		t.Fatalf("got %d %q: %s", r.StatusCode, r.Location(), r.Body)
	}
	r = c.Follow(r)
	t.Log(r.Body)
}
