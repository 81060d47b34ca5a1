package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

// redirectFamily are suivant values that try to leave the site, each with the Location
// the app must answer, fallback standing for the form's own default. Cleaning may keep a
// harmless local path ("/.//x" is "/x").
var redirectFamily = []struct {
	name, suivant, want string
}{
	{"scheme-relative", "//evil.example", "fallback"},
	{"backslash", `/\evil.example`, "fallback"},
	{"dot backslash", `/./\evil.example`, "fallback"},
	{"dot-dot backslash", `/x/../\evil.example`, "fallback"},
	{"encoded slash", "/%2F/evil.example", "/%2F/evil.example"},
	{"encoded backslash", "/%5Cevil.example", "fallback"},
	{"scheme without slashes", "https:evil.example", "fallback"},
	{"absolute", "http://evil.example", "fallback"},
	{"double backslash", `\\evil.example`, "fallback"},
	{"tab inside", "/\t/evil.example", "fallback"},
	{"newline inside", "/\n/evil.example", "fallback"},
	{"encoded tab", "/%09/evil.example", "fallback"},
	{"encoded newline", "/%0A/evil.example", "fallback"},
	{"dot double slash", "/.//evil.example", "/evil.example"},
	{"dot-dot double slash", "/..//evil.example", "/evil.example"},
	{"local", "/defis?statut=equipe", "/defis?statut=equipe"},
}

// wantLocalRedirect fails the test unless r is a 303 to want, and unless its Location,
// read the way a browser reads it (tabs and newlines dropped, "\" taken as "/"), stays on
// the app's host.
func wantLocalRedirect(tb testing.TB, a *apptest.App, r *apptest.Response, want string) {
	tb.Helper()
	wantStatus(tb, r, http.StatusSeeOther)
	loc := r.Location()
	browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(loc)
	base, _ := url.Parse(a.URL() + "/langue")
	u, err := url.Parse(browser)
	if err != nil || !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") ||
		base.ResolveReference(u).Host != base.Host || loc != browser {
		tb.Fatalf("%s %s: got Location %q, which a browser may take off-site", r.Request.Method, r.Request.URL.Path, loc)
	}
	if loc != want {
		tb.Fatalf("%s %s: got Location %q, want %q", r.Request.Method, r.Request.URL.Path, loc, want)
	}
}

func family(want, fallback string) string {
	if want == "fallback" {
		return fallback
	}
	return want
}

func TestRedirectStaysLocalOnLanguage(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	for _, tt := range redirectFamily {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Get("/langue?lang=fr&suivant=" + url.QueryEscape(tt.suivant))
			wantLocalRedirect(t, a, r, family(tt.want, "/"))
		})
	}
}

func TestRedirectStaysLocalOnLogin(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", "contributor")
	for _, tt := range redirectFamily {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := a.Client(t)
			// The form keeps only what it would redirect to.
			r := c.Get("/connexion?suivant=" + url.QueryEscape(tt.suivant))
			wantStatus(t, r, http.StatusOK)
			hidden, has := r.Doc.Find(`form[action="/connexion"] input[name=suivant]`).Attr("value")
			if want := family(tt.want, ""); hidden != want || has != (want != "") {
				t.Errorf("hidden suivant: got %q (present %v), want %q", hidden, has, want)
			}

			r = c.Post("/connexion", url.Values{"email": {"alice@example.org"}, "password": {"motdepasse-solide"}, "suivant": {tt.suivant}})
			wantLocalRedirect(t, a, r, family(tt.want, "/espace"))
			// Already logged in, the login page sends on at once.
			r = c.Get("/connexion?suivant=" + url.QueryEscape(tt.suivant))
			wantLocalRedirect(t, a, r, family(tt.want, "/espace"))
		})
	}
}

func TestRedirectStaysLocalOnDecisionForm(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 1000_00)
	id := l.validated(t, 4)
	lead := l.clients["lead"]
	for _, tt := range redirectFamily {
		t.Run(tt.name, func(t *testing.T) {
			// Validating again changes nothing and goes back like the first time.
			r := lead.Post(contribPath(id, "valider"), url.Values{"suivant": {tt.suivant}})
			wantLocalRedirect(t, l.a, r, family(tt.want, "/defis/"+l.c.Slug+"#contributions"))
		})
	}
}
