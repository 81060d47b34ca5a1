package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "fabrique_session"

// countRows returns the result of a count(*) query.
func countRows(tb testing.TB, a *apptest.App, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := a.SQL.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		tb.Fatalf("count %q: %v", query, err)
	}
	return n
}

// text returns the trimmed text of the elements matching sel.
func text(r *apptest.Response, sel string) string {
	return strings.TrimSpace(r.Doc.Find(sel).Text())
}

// wantStatus fails the test unless r has status want.
func wantStatus(tb testing.TB, r *apptest.Response, want int) {
	tb.Helper()
	if r.StatusCode != want {
		tb.Fatalf("%s %s: got status %d, want %d; body:\n%.2000s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.Body)
	}
}

// wantRedirect fails the test unless r is a 303 to location.
func wantRedirect(tb testing.TB, r *apptest.Response, location string) {
	tb.Helper()
	wantStatus(tb, r, http.StatusSeeOther)
	if got := r.Location(); got != location {
		tb.Fatalf("%s %s: got Location %q, want %q", r.Request.Method, r.Request.URL.Path, got, location)
	}
}

// setCookie returns the Set-Cookie named name in r, or nil.
func setCookie(r *apptest.Response, name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// replay gives a fresh client the session token tok.
func replay(tb testing.TB, a *apptest.App, tok string) *apptest.Client {
	tb.Helper()
	c := a.Client(tb)
	u, err := url.Parse(a.URL())
	if err != nil {
		tb.Fatal(err)
	}
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: tok, Path: "/"}})
	return c
}

// structure is a page's skeleton: tags, test ids, field names and classes in document
// order, without text or values, to compare two pages that must look alike.
func structure(r *apptest.Response) string {
	var b strings.Builder
	r.Doc.Find("main *").Each(func(_ int, s *goquery.Selection) {
		b.WriteString(goquery.NodeName(s))
		for _, attr := range []string{"data-testid", "name", "class", "type"} {
			if v, ok := s.Attr(attr); ok {
				b.WriteString(" " + attr + "=" + v)
			}
		}
		b.WriteString("\n")
	})
	return b.String()
}

func TestSignUp(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)

	r := c.Get("/inscription")
	wantStatus(t, r, http.StatusOK)
	for _, name := range []string{"display_name", "email", "password"} {
		if n := r.Doc.Find(`form[action="/inscription"] [name="` + name + `"]`).Length(); n != 1 {
			t.Errorf("field %s: got %d, want 1", name, n)
		}
	}

	r = c.Post("/inscription", url.Values{"display_name": {"  Alice   Martin "}, "email": {"alice@example.org"}, "password": {"motdepasse-solide"}})
	wantRedirect(t, r, "/espace")
	if ck := setCookie(r, sessionCookie); ck == nil || ck.Value == "" {
		t.Fatalf("Set-Cookie %s: got %v, want a token", sessionCookie, ck)
	}
	if got := c.Cookie(sessionCookie); got == "" {
		t.Fatalf("jar cookie %s: got %q, want a token", sessionCookie, got)
	}

	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "main"); !strings.Contains(got, "Bonjour Alice Martin.") {
		t.Errorf("/espace main: got %q, want it to greet %q", got, "Alice Martin")
	}
	if got := text(r, "[data-testid=flash]"); got == "" {
		t.Errorf("flash after sign-up: got %q, want a welcome", got)
	}

	var name, role string
	if err := a.SQL.QueryRow(context.Background(),
		`SELECT display_name, role FROM users WHERE email = 'alice@example.org'`).Scan(&name, &role); err != nil {
		t.Fatal(err)
	}
	if name != "Alice Martin" || role != fabrique.RoleContributor {
		t.Errorf("user row: got (%q, %q), want (%q, %q)", name, role, "Alice Martin", fabrique.RoleContributor)
	}
}

func TestSignUpInvalid(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	const pass = "Secret-Sesame-2026"

	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"short password", url.Values{"display_name": {"Bob"}, "email": {"bob@example.org"}, "password": {"court-9ch"}},
			"password", "Le mot de passe doit contenir au moins 10 caractères."},
		{"empty name", url.Values{"display_name": {"   "}, "email": {"bob@example.org"}, "password": {pass}},
			"display_name", "Indiquez votre nom."},
		{"invalid email", url.Values{"display_name": {"Bob"}, "email": {"bob-at-example"}, "password": {pass}},
			"email", "Cette adresse e-mail n’est pas valide."},
		{"email without domain dot", url.Values{"display_name": {"Bob"}, "email": {"bob@localhost"}, "password": {pass}},
			"email", "Cette adresse e-mail n’est pas valide."},
		{"empty email", url.Values{"display_name": {"Bob"}, "email": {""}, "password": {pass}},
			"email", "Indiquez votre adresse e-mail."},
		{"name too long", url.Values{"display_name": {strings.Repeat("é", 81)}, "email": {"bob@example.org"}, "password": {pass}},
			"display_name", "Le nom ne doit pas dépasser 80 caractères."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := a.Client(t)
			r := c.Post("/inscription", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if got := text(r, "[data-testid=error-"+tt.field+"]"); got != tt.want {
				t.Errorf("error on %s: got %q, want %q", tt.field, got, tt.want)
			}
			// The error sits inside its own field's block.
			if n := r.Doc.Find("[data-testid=field-" + tt.field + "] [data-testid=error-" + tt.field + "]").Length(); n != 1 {
				t.Errorf("error inside field-%s: got %d, want 1", tt.field, n)
			}
			if got := r.Doc.Find("[data-testid=form-errors]").Length(); got != 1 {
				t.Errorf("error summary: got %d, want 1", got)
			}
			p := tt.form.Get("password")
			if strings.Contains(r.Body, p) {
				t.Errorf("password %q echoed back in the page", p)
			}
			if v, _ := r.Doc.Find(`input[name=password]`).Attr("value"); v != "" {
				t.Errorf("password input value: got %q, want empty", v)
			}
			if got := countRows(t, a, `SELECT count(*) FROM users`); got != 0 {
				t.Errorf("users: got %d, want 0", got)
			}
			if ck := setCookie(r, sessionCookie); ck != nil {
				t.Errorf("Set-Cookie on a failed sign-up: got %v, want none", ck)
			}
		})
	}
}

func TestSignUpDuplicateEmail(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	a.Client(t).SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")

	const pass = "autre-mot-de-passe"
	c := a.Client(t)
	r := c.Post("/inscription", url.Values{"display_name": {"Alice Bis"}, "email": {"Alice@Example.org"}, "password": {pass}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	// Neutral: it does not say that an account exists.
	if got, want := text(r, "[data-testid=field-email] [data-testid=error-email]"), "Cette adresse ne peut pas être utilisée pour un nouveau compte. Mot de passe oublié ?"; got != want {
		t.Errorf("error-email: got %q, want %q", got, want)
	}
	if strings.Contains(r.Body, "existe") {
		t.Errorf("the refusal says that an account exists:\n%.2000s", text(r, "main"))
	}
	if strings.Contains(r.Body, pass) {
		t.Errorf("password %q echoed back in the page", pass)
	}
	if v, _ := r.Doc.Find(`input[name=email]`).Attr("value"); v != "Alice@Example.org" {
		t.Errorf("email input kept: got %q, want %q", v, "Alice@Example.org")
	}
	if got := countRows(t, a, `SELECT count(*) FROM users`); got != 1 {
		t.Errorf("users: got %d, want 1", got)
	}
	// The second sign-up did not log anyone in.
	wantRedirect(t, c.Get("/espace"), "/connexion?suivant=%2Fespace")
}

func TestSignUpWhenLoggedIn(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")

	wantRedirect(t, c.Get("/inscription"), "/espace")
	r := c.Post("/inscription", url.Values{"display_name": {"Eve"}, "email": {"eve@example.org"}, "password": {"motdepasse-solide"}})
	wantRedirect(t, r, "/espace")
	if got := countRows(t, a, `SELECT count(*) FROM users`); got != 1 {
		t.Errorf("users: got %d, want 1", got)
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	// The cases log in at once from one address: each counts as an attempt until its
	// password is checked.
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{LoginMaxPerAccount: 20}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)

	tests := []struct {
		name    string
		email   string
		suivant string
		want    string
	}{
		{"no suivant", "alice@example.org", "", "/espace"},
		{"email in other case and spaces", "  ALICE@example.org ", "", "/espace"},
		{"local suivant", "alice@example.org", "/defis/nouveau", "/defis/nouveau"},
		{"local suivant with query", "alice@example.org", "/defis?statut=equipe", "/defis?statut=equipe"},
		{"absolute URL", "alice@example.org", "https://evil.example", "/espace"},
		{"scheme-relative URL", "alice@example.org", "//evil.example", "/espace"},
		{"backslash URL", "alice@example.org", `/\evil.example`, "/espace"},
		{"javascript URL", "alice@example.org", "javascript:alert(1)", "/espace"},
		{"relative path", "alice@example.org", "evil.example", "/espace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := a.Client(t)
			form := url.Values{"email": {tt.email}, "password": {"motdepasse-solide"}}
			if tt.suivant != "" {
				form.Set("suivant", tt.suivant)
			}
			r := c.Post("/connexion", form)
			wantRedirect(t, r, tt.want)
			r = c.Get("/espace")
			wantStatus(t, r, http.StatusOK)
		})
	}
}

func TestLoginFormKeepsOnlyLocalSuivant(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)

	r := c.Get("/connexion?suivant=%2Fdefis%2Fnouveau")
	wantStatus(t, r, http.StatusOK)
	if v, _ := r.Doc.Find(`form[action="/connexion"] input[name=suivant]`).Attr("value"); v != "/defis/nouveau" {
		t.Errorf("hidden suivant: got %q, want %q", v, "/defis/nouveau")
	}
	r = c.Get("/connexion?suivant=%2F%2Fevil.example")
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find(`input[name=suivant]`).Length(); n != 0 {
		t.Errorf("hidden suivant for //evil.example: got %d inputs, want 0", n)
	}
}

func TestLoginFailureDoesNotEnumerate(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)

	wrongPass := a.Client(t).Post("/connexion", url.Values{"email": {"alice@example.org"}, "password": {"mauvais-mot-de-passe"}})
	unknown := a.Client(t).Post("/connexion", url.Values{"email": {"nobody@example.org"}, "password": {"mauvais-mot-de-passe"}})

	for _, r := range []*apptest.Response{wrongPass, unknown} {
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if ck := setCookie(r, sessionCookie); ck != nil {
			t.Errorf("Set-Cookie on a failed login: got %v, want none", ck)
		}
		if strings.Contains(r.Body, "mauvais-mot-de-passe") {
			t.Errorf("password echoed back in the page")
		}
	}
	got, want := text(unknown, "[data-testid=form-errors]"), text(wrongPass, "[data-testid=form-errors]")
	if got != want {
		t.Errorf("unknown email message: got %q, want the wrong-password one %q", got, want)
	}
	if !strings.Contains(want, "Adresse e-mail ou mot de passe incorrect.") {
		t.Errorf("message: got %q, want it to contain %q", want, "Adresse e-mail ou mot de passe incorrect.")
	}
	if got, want := structure(unknown), structure(wrongPass); got != want {
		t.Errorf("page structure differs:\nunknown email:\n%s\nwrong password:\n%s", got, want)
	}
}

func TestLoginRateLimitPerAccount(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{LoginMaxPerAccount: 3}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)

	// Varying the case of the address must not escape the limit.
	for i, email := range []string{"alice@example.org", "ALICE@example.org", "Alice@Example.org"} {
		r := a.Client(t).Post("/connexion", url.Values{"email": {email}, "password": {"mauvais-mot-de-passe"}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: got status %d, want %d", i+1, r.StatusCode, http.StatusUnprocessableEntity)
		}
	}
	c := a.Client(t)
	r := c.Post("/connexion", url.Values{"email": {"alice@example.org"}, "password": {"motdepasse-solide"}})
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "Trop de tentatives de connexion") {
		t.Errorf("429 message: got %q, want a French message about too many attempts", got)
	}
	if got := r.Header.Get("Retry-After"); got == "" {
		t.Errorf("Retry-After: got %q, want a delay", got)
	}
	wantRedirect(t, c.Get("/espace"), "/connexion?suivant=%2Fespace")

	// Another account from the same address is not locked out.
	a.Client(t).Login("bob@example.org", "motdepasse-solide")
}

func TestLoginRateLimitPerIP(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{LoginMaxPerIP: 3}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)

	for i, email := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		r := a.Client(t).Post("/connexion", url.Values{"email": {email}, "password": {"mauvais-mot-de-passe"}})
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: got status %d, want %d", i+1, r.StatusCode, http.StatusUnprocessableEntity)
		}
	}
	r := a.Client(t).Post("/connexion", url.Values{"email": {"alice@example.org"}, "password": {"motdepasse-solide"}})
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, "Trop de tentatives de connexion") {
		t.Errorf("429 message: got %q, want a French message about too many attempts", got)
	}
}

func TestLoginSuccessClearsFailures(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{LoginMaxPerAccount: 3}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)

	fail := func() {
		t.Helper()
		r := a.Client(t).Post("/connexion", url.Values{"email": {"alice@example.org"}, "password": {"mauvais-mot-de-passe"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
	}
	fail()
	fail()
	a.Client(t).Login("alice@example.org", "motdepasse-solide")
	if got := countRows(t, a, `SELECT count(*) FROM login_attempts WHERE email = 'alice@example.org'`); got != 0 {
		t.Errorf("failures after a success: got %d, want 0", got)
	}
	// Without the reset these would make 4 failures, over the limit of 3.
	fail()
	fail()
	a.Client(t).Login("alice@example.org", "motdepasse-solide")
}

func TestLogout(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	wantStatus(t, c.Get("/espace"), http.StatusOK)

	r := c.Post("/deconnexion", nil)
	wantRedirect(t, r, "/")
	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("[data-testid=logout]").Length(); n != 0 {
		t.Errorf("logout button after logout: got %d, want 0", n)
	}
	wantRedirect(t, c.Get("/espace"), "/connexion?suivant=%2Fespace")
}

func TestSessionTokenRenewed(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	c := a.Client(t)

	// A visit that writes to the session (the "log in to continue" flash) gives a token.
	wantRedirect(t, c.Get("/espace"), "/connexion?suivant=%2Fespace")
	anon := c.Cookie(sessionCookie)
	if anon == "" {
		t.Fatalf("token before login: got %q, want one", anon)
	}

	c.Login("alice@example.org", "motdepasse-solide")
	logged := c.Cookie(sessionCookie)
	if logged == "" || logged == anon {
		t.Fatalf("token after login: got %q, want a new one (before: %q)", logged, anon)
	}
	wantStatus(t, c.Get("/espace"), http.StatusOK)

	// The pre-login token was not promoted: replayed, it grants nothing.
	wantRedirect(t, replay(t, a, anon).Get("/espace"), "/connexion?suivant=%2Fespace")
	// The logged-in token works from another client (sanity check of replay).
	wantStatus(t, replay(t, a, logged).Get("/espace"), http.StatusOK)

	wantRedirect(t, c.Post("/deconnexion", nil), "/")
	out := c.Cookie(sessionCookie)
	if out == "" || out == logged || out == anon {
		t.Fatalf("token after logout: got %q, want a new one (login: %q, before: %q)", out, logged, anon)
	}
	// After logout the logged-in token is dead too.
	wantRedirect(t, replay(t, a, logged).Get("/espace"), "/connexion?suivant=%2Fespace")
}

func TestEspaceAnonymous(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	r := c.Get("/espace")
	wantRedirect(t, r, "/connexion?suivant=%2Fespace")
	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=flash]"); got != "Connectez-vous pour continuer." {
		t.Errorf("flash: got %q, want %q", got, "Connectez-vous pour continuer.")
	}
	if v, _ := r.Doc.Find(`input[name=suivant]`).Attr("value"); v != "/espace" {
		t.Errorf("hidden suivant: got %q, want %q", v, "/espace")
	}
}

// A logged-in person's session is written back to PostgreSQL once in a while, not on
// every request: the answers after the login carry no new cookie.
func TestSessionNotRewrittenOnEveryRequest(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	c := a.Client(t)
	c.Login("alice@example.org", "motdepasse-solide")
	wantStatus(t, c.Get("/espace"), http.StatusOK) // pops the login's flash: a write
	for range 3 {
		r := c.Get("/espace")
		wantStatus(t, r, http.StatusOK)
		if sc := r.Header.Get("Set-Cookie"); sc != "" {
			t.Fatalf("GET /espace rewrote the session: Set-Cookie %q", sc)
		}
	}
}

// A session unused for longer than the idle limit is logged out; one in use is not, even
// past that limit in all, as its last-seen time moves on.
func TestSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	// Long enough that a request slowed by a busy test machine (eight tests at once on
	// two cores) never outlasts it; the last-seen time is written every idle/8 at most.
	const idle = 2 * time.Second
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{SessionIdleTimeout: idle}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)

	busy := a.Client(t)
	busy.Login("alice@example.org", "motdepasse-solide")
	for deadline := time.Now().Add(2 * idle); time.Now().Before(deadline); time.Sleep(idle / 4) {
		wantStatus(t, busy.Get("/espace"), http.StatusOK)
	}

	idler := a.Client(t)
	idler.Login("alice@example.org", "motdepasse-solide")
	wantStatus(t, idler.Get("/espace"), http.StatusOK)
	time.Sleep(idle + idle/2)
	if r := idler.Get("/espace"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/connexion") {
		t.Fatalf("after %s unused: GET /espace answered %d to %q, want 303 to /connexion", idle+idle/2, r.StatusCode, r.Location())
	}
}
