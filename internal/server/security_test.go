package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// request builds a request to the app; body, when not empty, is sent as a form.
func request(tb testing.TB, a *apptest.App, method, path, body string, header map[string]string) *http.Request {
	tb.Helper()
	var req *http.Request
	var err error
	if body != "" {
		req, err = http.NewRequest(method, a.URL()+path, strings.NewReader(body))
	} else {
		req, err = http.NewRequest(method, a.URL()+path, nil)
	}
	if err != nil {
		tb.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}

// stylesheet returns the hashed URL of the stylesheet the layout links to.
func stylesheet(tb testing.TB, c *apptest.Client) string {
	tb.Helper()
	r := c.Get("/")
	href, ok := r.Doc.Find(`link[rel=stylesheet]`).Attr("href")
	if !ok {
		tb.Fatalf("no stylesheet link on /")
	}
	return href
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")
	anon := a.Client(t)
	logged := a.Client(t)
	logged.Login("alice@example.org", "motdepasse-solide")
	css := stylesheet(t, anon)
	sameOrigin := map[string]string{"Origin": a.URL(), "Sec-Fetch-Site": "same-origin"}

	tests := []struct {
		name   string
		client *apptest.Client
		req    *http.Request
		status int
	}{
		{"home", anon, request(t, a, "GET", "/", "", nil), http.StatusOK},
		{"défis", anon, request(t, a, "GET", "/defis", "", nil), http.StatusOK},
		{"défi", anon, request(t, a, "GET", "/defis/"+ch.Slug, "", nil), http.StatusOK},
		{"new défi anonymous", anon, request(t, a, "GET", "/defis/nouveau", "", nil), http.StatusSeeOther},
		{"new défi", logged, request(t, a, "GET", "/defis/nouveau", "", nil), http.StatusOK},
		{"espace", logged, request(t, a, "GET", "/espace", "", nil), http.StatusOK},
		{"login", anon, request(t, a, "GET", "/connexion", "", nil), http.StatusOK},
		{"sign-up", anon, request(t, a, "GET", "/inscription", "", nil), http.StatusOK},
		{"invalid form", anon, request(t, a, "POST", "/inscription", "email=x", sameOrigin), http.StatusUnprocessableEntity},
		// Was a 500 before the fix of the middleware order (crossOrigin after LoadAndSave).
		{"cross-origin", anon, request(t, a, "POST", "/inscription", "email=x", map[string]string{"Sec-Fetch-Site": "cross-site"}), http.StatusForbidden},
		{"not found", anon, request(t, a, "GET", "/n-existe-pas", "", nil), http.StatusNotFound},
		{"method not allowed", anon, request(t, a, "DELETE", "/defis", "", sameOrigin), http.StatusMethodNotAllowed},
		{"language", anon, request(t, a, "GET", "/langue?lang=fr", "", nil), http.StatusSeeOther},
		{"stylesheet", anon, request(t, a, "GET", css, "", nil), http.StatusOK},
		{"unknown asset", anon, request(t, a, "GET", "/static/nope.css", "", nil), http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.client.Do(tt.req)
			wantStatus(t, r, tt.status)
			csp := r.Header.Get("Content-Security-Policy")
			if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy: got %q, want one without unsafe-inline/unsafe-eval", csp)
			}
			if !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy: got %q, want frame-ancestors 'none'", csp)
			}
			if !regexp.MustCompile(`(^|;)\s*(script-src|default-src) 'self'`).MatchString(csp) {
				t.Errorf("Content-Security-Policy: got %q, want scripts limited to 'self'", csp)
			}
			if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options: got %q, want %q", got, "nosniff")
			}
			if got := r.Header.Get("Referrer-Policy"); got == "" || got == "unsafe-url" {
				t.Errorf("Referrer-Policy: got %q, want a restrictive policy", got)
			}
		})
	}
}

func TestNoInlineScript(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	for _, path := range []string{"/", "/defis", "/defis/nouveau", "/espace", "/n-existe-pas"} {
		r := c.Get(path)
		if n := r.Doc.Find("script:not([src])").Length(); n != 0 {
			t.Errorf("%s: got %d inline <script>, want 0", path, n)
		}
		if n := r.Doc.Find("[onclick],[onload],[onsubmit],[onchange]").Length(); n != 0 {
			t.Errorf("%s: got %d inline event handlers, want 0", path, n)
		}
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	token := c.Cookie(sessionCookie)

	signUp := url.Values{"display_name": {"Eve"}, "email": {"eve@example.org"}, "password": {"motdepasse-solide"}}.Encode()
	challenge := newChallengeForm("Défi forcé").Encode()
	login := url.Values{"email": {"alice@example.org"}, "password": {"motdepasse-solide"}}.Encode()
	attacks := map[string]map[string]string{
		"Sec-Fetch-Site cross-site":    {"Sec-Fetch-Site": "cross-site"},
		"Sec-Fetch-Site same-site":     {"Sec-Fetch-Site": "same-site"},
		"foreign Origin":               {"Origin": "https://evil.example"},
		"null Origin":                  {"Origin": "null"},
		"foreign Origin, cross-site":   {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
		"same host, other port Origin": {"Origin": "http://127.0.0.1:1"},
	}
	// The group returns once its parallel cases are done, before the checks below.
	t.Run("attacks", func(t *testing.T) {
		for name, header := range attacks {
			for _, target := range []struct{ path, body string }{
				{"/inscription", signUp}, {"/defis", challenge}, {"/connexion", login}, {"/deconnexion", ""},
			} {
				t.Run(name+" "+target.path, func(t *testing.T) {
					t.Parallel()
					body := target.body
					if body == "" {
						body = "x=1"
					}
					r := c.Do(request(t, a, "POST", target.path, body, header))
					if r.StatusCode == http.StatusInternalServerError {
						// Known bug (see the report): the deny handler renders a page that reads
						// the session, but crossOrigin runs before sessions.LoadAndSave.
						t.Fatalf("got status 500, want 403: BUG the cross-origin refusal page panics (no session in context)")
					}
					wantStatus(t, r, http.StatusForbidden)
					if got := text(r, "[data-testid=error-message]"); !strings.Contains(got, "autre site") {
						t.Errorf("403 message: got %q, want a French explanation", got)
					}
					// Refreshing the expiry of the same session is fine; a new token is not.
					if ck := setCookie(r, sessionCookie); ck != nil && ck.Value != token {
						t.Errorf("Set-Cookie on a refused request: got token %q, want none or the current %q", ck.Value, token)
					}
				})
			}
		}
	})
	if got := countRows(t, a, `SELECT count(*) FROM users`); got != 1 {
		t.Errorf("users: got %d, want 1", got)
	}
	if got := countRows(t, a, `SELECT count(*) FROM challenges`); got != 0 {
		t.Errorf("challenges: got %d, want 0", got)
	}
	// The forged logouts did not log Alice out.
	wantStatus(t, c.Get("/espace"), http.StatusOK)
	// And a same-origin request still goes through.
	wantRedirect(t, c.Post("/defis", newChallengeForm("Défi légitime")), "/defis/defi-legitime")
}

func TestBadBodies(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	sameOrigin := map[string]string{"Origin": a.URL(), "Sec-Fetch-Site": "same-origin"}

	big := strings.Repeat("a", 2<<20)
	tests := []struct {
		name, path, body string
		want             []int
	}{
		{"sign-up over 1 MiB", "anonymous:/inscription", "display_name=" + big + "&email=bob%40example.org&password=motdepasse-solide", []int{413, 400}},
		{"login over 1 MiB", "/connexion", "email=alice%40example.org&password=" + big, []int{413, 400}},
		{"défi over 1 MiB", "/defis", "title=Gros&summary=Gros&problem=" + big, []int{413, 400}},
		{"just over 1 MiB", "/defis", "title=Gros&summary=Gros&problem=" + strings.Repeat("b", 1<<20), []int{413, 400}},
		{"malformed escape", "/defis", "title=%zz&summary=x&problem=y", []int{400, 422}},
		{"huge password under the cap", "/connexion", "email=alice%40example.org&password=" + strings.Repeat("p", 500<<10), []int{422}},
		{"huge title under the cap", "/defis", "title=" + strings.Repeat("t", 500<<10) + "&summary=x&problem=y", []int{422}},
		{"invalid UTF-8 défi", "/defis", "title=Titre+%ff%fe&summary=R%c3&problem=P%ed%a0%80", []int{422, 400}},
		{"NUL bytes défi", "/defis", "title=Titre%00nul&summary=R%00&problem=P%00", []int{422, 400}},
		{"NUL byte sign-up", "anonymous:/inscription", "display_name=Bob%00&email=bob%40example.org&password=motdepasse-solide", []int{422, 400}},
		{"invalid UTF-8 sign-up", "anonymous:/inscription", "display_name=Bob%ff&email=bob%40example.org&password=motdepasse-solide", []int{422, 400}},
		{"NUL byte login", "anonymous:/connexion", "email=alice%00%40example.org&password=motdepasse-solide", []int{422, 400}},
		{"invalid UTF-8 login", "anonymous:/connexion", "email=alice%ff%40example.org&password=motdepasse-solide", []int{422, 400}},
	}
	t.Run("bodies", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				client, path := c, tt.path
				if p, ok := strings.CutPrefix(path, "anonymous:"); ok {
					client, path = a.Client(t), p
				}
				r := client.Do(request(t, a, "POST", path, tt.body, sameOrigin))
				ok := false
				for _, s := range tt.want {
					ok = ok || r.StatusCode == s
				}
				if !ok {
					t.Errorf("got status %d, want one of %v; body:\n%.1000s", r.StatusCode, tt.want, r.Body)
				}
				if r.StatusCode >= 500 {
					// Known bug (see the report): a NUL byte or invalid UTF-8 passes validation
					// and PostgreSQL rejects it (SQLSTATE 22021), which becomes a 500.
					t.Errorf("got status %d, want never a 5xx (BUG when the body has NUL/invalid UTF-8)", r.StatusCode)
				}
			})
		}
	})
	if got := countRows(t, a, `SELECT count(*) FROM users`); got != 1 {
		t.Errorf("users: got %d, want 1", got)
	}
	if got := countRows(t, a, `SELECT count(*) FROM challenges WHERE title = 'Gros' OR length(problem) > 100000`); got != 0 {
		t.Errorf("oversized défis: got %d, want 0", got)
	}
	// The session survived the refused requests.
	wantStatus(t, c.Get("/espace"), http.StatusOK)
}

func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	for _, path := range []string{"/n-existe-pas", "/defis/inconnu", "/static/../go.mod"} {
		r := c.Get(path)
		wantStatus(t, r, http.StatusNotFound)
		if path == "/static/../go.mod" {
			if strings.Contains(r.Body, "module github.com") {
				t.Errorf("%s leaked a source file", path)
			}
			continue
		}
		if got := r.Doc.Find("html").AttrOr("lang", ""); got != "fr" {
			t.Errorf("%s html lang: got %q, want %q", path, got, "fr")
		}
		if got := text(r, "h1"); got != "Page introuvable" {
			t.Errorf("%s h1: got %q, want %q", path, got, "Page introuvable")
		}
		if got := r.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
			t.Errorf("%s Content-Type: got %q, want text/html", path, got)
		}
	}
	r := c.Post("/", url.Values{"x": {"1"}})
	wantStatus(t, r, http.StatusMethodNotAllowed)
	if got := text(r, "h1"); got != "Méthode non autorisée" {
		t.Errorf("405 h1: got %q, want %q", got, "Méthode non autorisée")
	}
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)

	r := c.Get("/defis")
	if got := r.Doc.Find("html").AttrOr("lang", ""); got != "fr" {
		t.Fatalf("default html lang: got %q, want %q", got, "fr")
	}
	if href := r.Doc.Find(`.lang-switch a`).AttrOr("href", ""); href != "/langue?lang=en&suivant=%2Fdefis" {
		t.Errorf("switch link: got %q, want %q", href, "/langue?lang=en&suivant=%2Fdefis")
	}

	r = c.Get("/langue?lang=en&suivant=/defis")
	wantRedirect(t, r, "/defis")
	ck := setCookie(r, "fabrique_lang")
	if ck == nil || ck.Value != "en" {
		t.Fatalf("Set-Cookie fabrique_lang: got %v, want en", ck)
	}
	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	if got := r.Doc.Find("html").AttrOr("lang", ""); got != "en" {
		t.Errorf("html lang after switch: got %q, want %q", got, "en")
	}
	if got := text(r, ".lang-switch a"); got != "Français" {
		t.Errorf("switch back link: got %q, want %q", got, "Français")
	}

	wantRedirect(t, c.Get("/langue?lang=fr&suivant=%2Fdefis%3Fstatut%3Dequipe"), "/defis?statut=equipe")
	if got := c.Get("/").Doc.Find("html").AttrOr("lang", ""); got != "fr" {
		t.Errorf("html lang after switching back: got %q, want %q", got, "fr")
	}

	for _, suivant := range []string{"https://evil.example", "//evil.example", `/\evil.example`, "javascript:alert(1)", ""} {
		r := c.Get("/langue?lang=en&suivant=" + url.QueryEscape(suivant))
		wantRedirect(t, r, "/")
	}
}

func TestCookieAttributes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   []apptest.Option
		secure bool
	}{
		{"http", nil, false},
		{"behind https", []apptest.Option{func(cfg *app.Config) { cfg.BaseURL = "https://fabrique.example.org" }}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := apptest.Start(t, tt.opts...)
			c := a.Client(t)
			r := c.Post("/inscription", url.Values{"display_name": {"Alice"}, "email": {"alice@example.org"}, "password": {"motdepasse-solide"}})
			wantStatus(t, r, http.StatusSeeOther)
			lang := c.Get("/langue?lang=en&suivant=/")
			for _, ck := range []*http.Cookie{setCookie(r, sessionCookie), setCookie(lang, "fabrique_lang")} {
				if ck == nil {
					t.Fatalf("Set-Cookie: got none, want the session and language cookies")
				}
				if !ck.HttpOnly {
					t.Errorf("%s HttpOnly: got false, want true", ck.Name)
				}
				if ck.SameSite != http.SameSiteLaxMode {
					t.Errorf("%s SameSite: got %v, want Lax (%v)", ck.Name, ck.SameSite, http.SameSiteLaxMode)
				}
				if ck.Secure != tt.secure {
					t.Errorf("%s Secure: got %v, want %v", ck.Name, ck.Secure, tt.secure)
				}
				if ck.Path != "/" {
					t.Errorf("%s Path: got %q, want %q", ck.Name, ck.Path, "/")
				}
			}
			raw := strings.Join(r.Header.Values("Set-Cookie"), "\n")
			if !strings.Contains(raw, "HttpOnly") || !strings.Contains(raw, "SameSite=Lax") {
				t.Errorf("raw Set-Cookie: got %q, want HttpOnly and SameSite=Lax", raw)
			}
		})
	}
}

func TestStaticAssetCache(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	css := stylesheet(t, c)
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{6,}\.css$`).MatchString(css) {
		t.Fatalf("stylesheet URL: got %q, want /static/app.<hash>.css", css)
	}
	r := c.Get(css)
	wantStatus(t, r, http.StatusOK)
	if got := r.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") || !strings.Contains(got, "max-age=") {
		t.Errorf("Cache-Control: got %q, want a long max-age with immutable", got)
	}
	if got := r.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/css") {
		t.Errorf("Content-Type: got %q, want text/css", got)
	}
	if len(r.Body) == 0 {
		t.Errorf("stylesheet body: got empty, want CSS")
	}
	// A stale hash is not served as if it were current.
	r = c.Get("/static/app.0000000000.css")
	wantStatus(t, r, http.StatusNotFound)
	if got := r.Header.Get("Cache-Control"); strings.Contains(got, "immutable") {
		t.Errorf("Cache-Control of a missing asset: got %q, want no immutable", got)
	}
}

// HEAD asks what GET would answer, without the body: link checkers and monitoring use it.
func TestHeadRequests(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	for path, want := range map[string]int{"/": http.StatusOK, "/defis": http.StatusOK, "/defis/nexiste-pas": http.StatusNotFound, "/espace": http.StatusSeeOther} {
		r := c.Do(request(t, a, http.MethodHead, path, "", nil))
		if r.StatusCode != want || r.Body != "" {
			t.Errorf("HEAD %s: got %d with %d bytes, want %d without a body", path, r.StatusCode, len(r.Body), want)
		}
		if want == http.StatusOK && !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("HEAD %s: Content-Type %q", path, r.Header.Get("Content-Type"))
		}
	}
	if r := c.Do(request(t, a, http.MethodHead, "/deconnexion", "", nil)); r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("HEAD of a POST-only route: got %d, want 405", r.StatusCode)
	}
}
