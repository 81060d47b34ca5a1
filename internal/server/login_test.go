package server_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// loopback is the test client's own address, trusted as a proxy where a test says so.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

// postFrom submits a form to path as a same-origin browser behind a proxy that wrote
// X-Forwarded-For: xff (none when empty).
func postFrom(c *apptest.Client, a *apptest.App, xff, path string, form url.Values) *apptest.Response {
	req, err := http.NewRequest(http.MethodPost, a.URL()+path, strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", a.URL())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	return c.Do(req)
}

// wantTooMany fails the test unless r is a 429 with a Retry-After and the French message.
func wantTooMany(tb testing.TB, r *apptest.Response, message string) {
	tb.Helper()
	wantStatus(tb, r, http.StatusTooManyRequests)
	if got := text(r, "[data-testid=form-errors]"); !strings.Contains(got, message) {
		tb.Errorf("429 message: got %q, want it to contain %q", got, message)
	}
	if got := r.Header.Get("Retry-After"); got == "" || got == "0" {
		tb.Errorf("Retry-After: got %q, want a delay", got)
	}
}

var (
	wrongPassword = url.Values{"email": {"alice@example.org"}, "password": {"mauvais-mot-de-passe"}}
	rightPassword = url.Values{"email": {"alice@example.org"}, "password": {"motdepasse-solide"}}
)

// A burst of wrong guesses sent at once gets no more passwords checked than the limit,
// and the right password sent inside it, once the limit is reached, is refused too.
func TestLoginBurstChecksAtMostTheLimit(t *testing.T) {
	t.Parallel()
	const limit, burst = 5, 50
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{LoginMaxPerAccount: limit}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleCoordinator)

	// A 422 is a password checked and found wrong; a 429, an attempt refused unchecked.
	var checked, refused, other atomic.Int32
	hc := &http.Client{Timeout: 60 * time.Second}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range burst {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, a.URL()+"/connexion", strings.NewReader(wrongPassword.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			<-start
			res, err := hc.Do(req)
			if err != nil {
				t.Errorf("burst: %v", err)
				return
			}
			res.Body.Close()
			switch res.StatusCode {
			case http.StatusUnprocessableEntity:
				checked.Add(1)
			case http.StatusTooManyRequests:
				refused.Add(1)
			default:
				other.Add(1)
			}
		})
	}
	close(start)

	// Inside the burst, once the limit is reached: the right password.
	for deadline := time.Now().Add(30 * time.Second); checked.Load() < limit && refused.Load()+checked.Load() < burst; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the burst got %d passwords checked after 30 s", checked.Load())
		}
	}
	owner := a.Client(t)
	r := owner.Post("/connexion", rightPassword)
	wg.Wait()

	if got := checked.Load(); got > limit {
		t.Errorf("passwords checked in a burst of %d: got %d, want at most %d", burst, got, limit)
	}
	if got := refused.Load() + checked.Load(); got != burst || other.Load() != 0 {
		t.Errorf("answers: %d checked, %d refused, %d other; want %d in all, 422 or 429", checked.Load(), refused.Load(), other.Load(), burst)
	}
	// Each password checked left its failure; none was recorded for the refused ones.
	if got := countRows(t, a, `SELECT count(*) FROM login_attempts WHERE email = 'alice@example.org'`); got != int(checked.Load()) {
		t.Errorf("failures recorded: got %d, want %d, one per password checked", got, checked.Load())
	}
	wantTooMany(t, r, "Trop de tentatives de connexion")
	wantRedirect(t, owner.Get("/espace"), "/connexion?suivant=%2Fespace")
}

// Failures are counted per client address: a guesser behind the trusted proxy locks
// only itself out, and the owner, from another address, logs in.
func TestLoginGuesserDoesNotLockOutOwner(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{TrustedProxies: loopback, LoginMaxPerAccount: 3}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleCoordinator)
	const guesser, owner = "203.0.113.7", "198.51.100.9"

	for i := range 3 {
		r := postFrom(a.Client(t), a, guesser, "/connexion", wrongPassword)
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: got status %d, want %d", i+1, r.StatusCode, http.StatusUnprocessableEntity)
		}
	}
	// The guesser is slowed down, even with the right password...
	for range 5 {
		wantTooMany(t, postFrom(a.Client(t), a, guesser, "/connexion", wrongPassword), "Trop de tentatives de connexion")
	}
	wantTooMany(t, postFrom(a.Client(t), a, guesser, "/connexion", rightPassword), "Trop de tentatives de connexion")

	// ...while the owner logs in from another address, also the proxy's own.
	for _, from := range []string{owner, ""} {
		c := a.Client(t)
		r := postFrom(c, a, from, "/connexion", rightPassword)
		wantRedirect(t, r, "/espace")
		wantStatus(t, c.Get("/espace"), http.StatusOK)
	}
	// The owner's success forgot none of the guesser's failures.
	if got := countRows(t, a, `SELECT count(*) FROM login_attempts WHERE ip = $1`, guesser); got != 3 {
		t.Errorf("guesser's failures after the owner's login: got %d, want 3", got)
	}
	wantTooMany(t, postFrom(a.Client(t), a, guesser, "/connexion", wrongPassword), "Trop de tentatives de connexion")
}

// Past the limit, an address waits before each further try, longer at each failure.
func TestLoginDelayGrows(t *testing.T) {
	t.Parallel()
	const delay = 2 * time.Second
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{LoginMaxPerAccount: 2, LoginDelay: delay}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	retryAfter := func(r *apptest.Response) int {
		t.Helper()
		n, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil {
			t.Fatalf("Retry-After: got %q, want seconds", r.Header.Get("Retry-After"))
		}
		return n
	}

	for range 2 {
		wantStatus(t, a.Client(t).Post("/connexion", wrongPassword), http.StatusUnprocessableEntity)
	}
	r := a.Client(t).Post("/connexion", wrongPassword)
	wantTooMany(t, r, "Trop de tentatives de connexion. Réessayez dans 1 min.")
	if got := retryAfter(r); got < 1 || got > 2 {
		t.Errorf("Retry-After after 2 failures: got %d, want the first delay, 2 s at most", got)
	}
	time.Sleep(delay + 100*time.Millisecond)
	wantStatus(t, a.Client(t).Post("/connexion", wrongPassword), http.StatusUnprocessableEntity)
	// One more failure: twice the delay, for the right password too.
	r = a.Client(t).Post("/connexion", rightPassword)
	wantTooMany(t, r, "Trop de tentatives de connexion")
	if got := retryAfter(r); got < 3 || got > 4 {
		t.Errorf("Retry-After after 3 failures: got %d, want twice the delay, over 2 s and 4 s at most", got)
	}
	time.Sleep(2*delay + 100*time.Millisecond)
	a.Client(t).Login("alice@example.org", "motdepasse-solide")
}

// The login answer and its timing are the same for an unknown address and a wrong
// password under the rate limit too.
func TestLoginRateLimitDoesNotEnumerate(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{LoginMaxPerAccount: 1}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	unknown := url.Values{"email": {"nobody@example.org"}, "password": {"mauvais-mot-de-passe"}}

	wantStatus(t, a.Client(t).Post("/connexion", wrongPassword), http.StatusUnprocessableEntity)
	wantStatus(t, a.Client(t).Post("/connexion", unknown), http.StatusUnprocessableEntity)
	known, nobody := a.Client(t).Post("/connexion", wrongPassword), a.Client(t).Post("/connexion", unknown)
	wantTooMany(t, known, "Trop de tentatives de connexion")
	wantTooMany(t, nobody, "Trop de tentatives de connexion")
	if got, want := text(nobody, "[data-testid=form-errors]"), text(known, "[data-testid=form-errors]"); got != want {
		t.Errorf("429 for an unknown email: got %q, want the known one's %q", got, want)
	}
}

// X-Forwarded-For from a peer that is not a trusted proxy is ignored: writing another
// address in it does not get round the limit.
func TestLoginForwardedForFromUntrustedPeer(t *testing.T) {
	t.Parallel()
	for name, proxies := range map[string][]netip.Prefix{
		"none trusted":        nil,
		"another one trusted": {netip.MustParsePrefix("10.0.0.0/8")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := apptest.Start(t, apptest.WithServerConfig(server.Config{TrustedProxies: proxies, LoginMaxPerAccount: 3}))
			a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
			for i := range 3 {
				wantStatus(t, postFrom(a.Client(t), a, "203.0.113."+string(rune('1'+i)), "/connexion", wrongPassword), http.StatusUnprocessableEntity)
			}
			wantTooMany(t, postFrom(a.Client(t), a, "198.51.100.9", "/connexion", rightPassword), "Trop de tentatives de connexion")
			if got := countRows(t, a, `SELECT count(*) FROM login_attempts WHERE ip = '127.0.0.1'`); got != 3 {
				t.Errorf("failures counted against the peer 127.0.0.1: got %d, want 3", got)
			}
		})
	}
}

// The address an attempt is counted against, for each shape of X-Forwarded-For behind
// the trusted proxy 127.0.0.1 and 10.0.0.0/8.
func TestLoginClientAddress(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{
		TrustedProxies: append([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, loopback...)}))
	tests := []struct{ xff, want string }{
		{"", "127.0.0.1"},
		{"203.0.113.7", "203.0.113.7"},
		{"198.51.100.9, 203.0.113.7", "203.0.113.7"},  // the left part is the client's own writing
		{"203.0.113.7, 10.1.2.3", "203.0.113.7"},      // a trusted hop is skipped
		{"10.9.9.9, 10.1.2.3", "10.9.9.9"},            // all trusted: the farthest
		{"nonsense, 203.0.113.7", "203.0.113.7"},      // junk left of the client is ignored
		{"203.0.113.7, nonsense", "127.0.0.1"},        // junk from the proxy: the proxy
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"}, // IPv6 counts per /64
		{"::ffff:203.0.113.8", "203.0.113.8"},
		{"203.0.113.9:4711", "203.0.113.9"},        // with a port
		{"[2001:db8:5::1]:443", "2001:db8:5::/64"}, // IPv4-mapped
	}
	for i, tt := range tests {
		email := "x" + string(rune('a'+i)) + "@example.org"
		postFrom(a.Client(t), a, tt.xff, "/connexion", url.Values{"email": {email}, "password": {"mauvais-mot-de-passe"}})
		var ip string
		if err := a.SQL.QueryRow(t.Context(), `SELECT ip FROM login_attempts WHERE email = $1`, email).Scan(&ip); err != nil {
			t.Fatalf("X-Forwarded-For %q: %v", tt.xff, err)
		}
		if ip != tt.want {
			t.Errorf("X-Forwarded-For %q: counted against %q, want %q", tt.xff, ip, tt.want)
		}
	}
}

// X-Forwarded-Proto: https is believed from a trusted proxy only: from anyone else it
// changes neither the scheme of absolute links nor the cookies.
func TestForwardedProtoFromUntrustedPeer(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		proxies []netip.Prefix
		scheme  string
	}{
		{"untrusted", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "http"},
		{"trusted", loopback, "https"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := apptest.Start(t, apptest.WithServerConfig(server.Config{TrustedProxies: tt.proxies}))
			c := a.Client(t)
			req, err := http.NewRequest(http.MethodGet, a.URL()+"/defis.atom", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Forwarded-Proto", "https")
			r := c.Do(req)
			wantStatus(t, r, http.StatusOK)
			host := strings.TrimPrefix(a.URL(), "http://")
			if want := `href="` + tt.scheme + "://" + host + `/defis.atom"`; !strings.Contains(r.Body, want) {
				t.Errorf("feed self link: want %s in\n%.1000s", want, r.Body)
			}

			req, err = http.NewRequest(http.MethodGet, a.URL()+"/espace", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Forwarded-Proto", "https")
			r = c.Do(req)
			if ck := setCookie(r, sessionCookie); ck == nil || ck.Secure {
				t.Errorf("session cookie over http with X-Forwarded-Proto: got %v, want one, not Secure", ck)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	t.Parallel()
	got, err := server.ParseTrustedProxies(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8,")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("fd00::/8")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("prefix %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if got, err := server.ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Errorf("empty: got %v, %v; want none", got, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.0/8;10.1.0.0/16"} {
		if _, err := server.ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q: got no error, want one", bad)
		}
	}
}

// Sign-ups are rate-limited per client address: the one over the limit is refused with a
// French message and creates nothing, while another address still signs up.
func TestSignUpRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	const limit = 3
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{TrustedProxies: loopback, SignUpMaxPerIP: limit}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	const prober, other = "203.0.113.7", "198.51.100.9"
	signUp := func(from, email string) *apptest.Response {
		t.Helper()
		return postFrom(a.Client(t), a, from, "/inscription", url.Values{"display_name": {"Eve"}, "email": {email}, "password": {"motdepasse-solide"}})
	}

	// A refused address counts like an account created: probing is what is limited.
	wantStatus(t, signUp(prober, "alice@example.org"), http.StatusUnprocessableEntity)
	wantRedirect(t, signUp(prober, "eve1@example.org"), "/espace")
	wantRedirect(t, signUp(prober, "eve2@example.org"), "/espace")
	r := signUp(prober, "eve3@example.org")
	wantTooMany(t, r, "Trop d’inscriptions depuis votre adresse.")
	if v, _ := r.Doc.Find(`input[name=email]`).Attr("value"); v != "eve3@example.org" {
		t.Errorf("email input kept: got %q, want %q", v, "eve3@example.org")
	}
	if strings.Contains(r.Body, "motdepasse-solide") {
		t.Error("password echoed back in the page")
	}
	if got := countRows(t, a, `SELECT count(*) FROM users WHERE email = 'eve3@example.org'`); got != 0 {
		t.Errorf("account created over the limit: got %d, want 0", got)
	}
	wantTooMany(t, signUp(prober, "alice@example.org"), "Trop d’inscriptions depuis votre adresse.")

	c := a.Client(t)
	wantRedirect(t, postFrom(c, a, other, "/inscription", url.Values{"display_name": {"Bob"}, "email": {"bob@example.org"}, "password": {"motdepasse-solide"}}), "/espace")
	wantStatus(t, c.Get("/espace"), http.StatusOK)
}
