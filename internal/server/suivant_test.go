package server_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

// The page a visitor came from survives sign-up and login: the header's links carry it,
// the two forms pass it to each other, and a new account lands back on it.
func TestSuivantSurvivesSignUpAndLogin(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ch := mustCreateChallenge(t, a, a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", "contributor").ID, "Réseau des fablabs")
	page := "/defis/" + ch.Slug
	c := a.Client(t)

	r := c.Get(page)
	want := "/inscription?suivant=" + url.QueryEscape(page)
	if href := r.Doc.Find(`header a[href^="/inscription"]`).AttrOr("href", ""); href != want {
		t.Errorf("header sign-up link on %s: %q, want %q", page, href, want)
	}
	if href := r.Doc.Find(`header a[href^="/connexion"]`).AttrOr("href", ""); href != "/connexion?suivant="+url.QueryEscape(page) {
		t.Errorf("header login link on %s: %q", page, href)
	}

	r = c.Get(want)
	if v := r.Doc.Find(`form[action="/inscription"] input[name=suivant]`).AttrOr("value", ""); v != page {
		t.Errorf("sign-up form's suivant: %q, want %q", v, page)
	}
	if href := r.Doc.Find(`main a[href^="/connexion"]`).AttrOr("href", ""); href != "/connexion?suivant="+url.QueryEscape(page) {
		t.Errorf("sign-up page's login link: %q", href)
	}
	// A refused form keeps it.
	r = c.Post("/inscription", url.Values{"display_name": {"Bruno"}, "email": {"pas-une-adresse"}, "password": {"motdepasse-solide"}, "suivant": {page}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if v := r.Doc.Find(`form[action="/inscription"] input[name=suivant]`).AttrOr("value", ""); v != page {
		t.Errorf("refused sign-up form's suivant: %q, want %q", v, page)
	}
	r = c.Post("/inscription", url.Values{"display_name": {"Bruno"}, "email": {"bruno@example.org"}, "password": {"motdepasse-solide"}, "suivant": {page}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Location(); loc != page {
		t.Errorf("after sign-up: Location %q, want %q", loc, page)
	}

	// A foreign target is ignored: the new account lands in its space.
	c2 := a.Client(t)
	r = c2.Post("/inscription", url.Values{"display_name": {"Carol"}, "email": {"carol@example.org"}, "password": {"motdepasse-solide"}, "suivant": {"//evil.example/x"}})
	if loc := r.Location(); loc != "/espace" {
		t.Errorf("after sign-up with a foreign suivant: Location %q, want /espace", loc)
	}
	r = a.Client(t).Get("/inscription?suivant=%2F%2Fevil.example")
	wantStatus(t, r, http.StatusOK)
	if v := r.Doc.Find(`input[name=suivant]`).Length(); v != 0 {
		t.Errorf("a foreign suivant is carried into the sign-up form")
	}
}
