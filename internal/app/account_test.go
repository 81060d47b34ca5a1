package app_test

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
	"github.com/fabrique-a-communs/fabrique/internal/mailtest"
)

// linkTo returns the path of m's first link under prefix, failing without one.
func linkTo(t *testing.T, m mailtest.Received, base, prefix string) string {
	t.Helper()
	for _, l := range m.Links() {
		if strings.HasPrefix(l, base+prefix) {
			if !strings.Contains(m.Text, l) {
				t.Errorf("the text part lacks the link %s:\n%s", l, m.Text)
			}
			return strings.TrimPrefix(l, base)
		}
	}
	t.Fatalf("no link to %s in %q:\n%s", prefix, m.Subject, m.HTML)
	return ""
}

// accountJobsDone waits until every account e-mail job has run.
func accountJobsDone(t *testing.T, a *apptest.App) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var left int
		if err := a.SQL.QueryRow(context.Background(),
			`SELECT count(*) FROM river_job WHERE kind = 'account_email' AND state NOT IN ('completed', 'cancelled', 'discarded')`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d account e-mail jobs still waiting", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A forgotten password, end to end: the same answer for an address without an account,
// one e-mail, a link that works once within the hour, every other session closed, the
// old password refused, and no working link left in the outbox once the e-mail is sent.
func TestPasswordResetEndToEnd(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	ctx := context.Background()
	const oldPass, newPass = "ancien mot de passe", "nouveau mot de passe sûr"
	a.CreateUser(t, "Awa Traoré", "awa@example.org", oldPass, fabrique.RoleContributor)
	elsewhere := a.Client(t) // her phone, still logged in
	elsewhere.Login("awa@example.org", oldPass)

	visitor := a.Client(t)
	if r := visitor.Get("/connexion"); r.Doc.Find(`a[href="/mot-de-passe-oublie"]`).Length() != 1 {
		t.Error("the login page does not lead to /mot-de-passe-oublie")
	}
	known := visitor.Post("/mot-de-passe-oublie", url.Values{"email": {"awa@example.org"}})
	unknown := visitor.Post("/mot-de-passe-oublie", url.Values{"email": {"personne@example.org"}})
	if known.StatusCode != 200 || unknown.StatusCode != 200 {
		t.Fatalf("answers %d and %d, want 200 both", known.StatusCode, unknown.StatusCode)
	}
	sameAnswer := func(r *apptest.Response, email string) string {
		return strings.ReplaceAll(r.Doc.Find(`[data-testid="reset-sent"]`).Text(), email, "ADRESSE")
	}
	if a, b := sameAnswer(known, "awa@example.org"), sameAnswer(unknown, "personne@example.org"); a == "" || a != b {
		t.Errorf("the answers differ:\n%q\n%q", a, b)
	}
	if r := visitor.Post("/mot-de-passe-oublie", url.Values{"email": {"pas une adresse"}}); r.StatusCode != 422 {
		t.Errorf("a malformed address: %d, want 422", r.StatusCode)
	}

	m := srv.WaitFor(t, 1, 10*time.Second)[0]
	accountJobsDone(t, a)
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d e-mails, want 1 (none for an address without an account)", n)
	}
	if m.To[0] != "awa@example.org" || m.Subject != "Choisir un nouveau mot de passe" {
		t.Errorf("e-mail to %v: %q", m.To, m.Subject)
	}
	if m.Header.Get("List-Unsubscribe") != "" {
		t.Error("an account e-mail carries List-Unsubscribe")
	}
	link := linkTo(t, m, a.URL(), "/mot-de-passe/")

	form := visitor.Get(link)
	if form.StatusCode != 200 || form.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page: %d, Referrer-Policy %q", form.StatusCode, form.Header.Get("Referrer-Policy"))
	}
	if r := visitor.Post(link, url.Values{"password": {"court"}}); r.StatusCode != 422 {
		t.Errorf("a short password: %d, want 422", r.StatusCode)
	}
	r := visitor.Post(link, url.Values{"password": {newPass}})
	if r.StatusCode != 303 || r.Location() != "/connexion" {
		t.Fatalf("reset: %d → %q", r.StatusCode, r.Location())
	}
	if page := visitor.Follow(r); !strings.Contains(page.Body, "Votre mot de passe est changé") {
		t.Error("the login page does not say the password changed")
	}

	// The other session is closed.
	if r := elsewhere.Get("/espace"); r.StatusCode != 303 || !strings.HasPrefix(r.Location(), "/connexion") {
		t.Errorf("the other session still opens /espace: %d → %q", r.StatusCode, r.Location())
	}
	// The link works once.
	if r := visitor.Get(link); r.StatusCode != http.StatusGone {
		t.Errorf("the used link: %d, want 410", r.StatusCode)
	}
	if r := visitor.Post(link, url.Values{"password": {"encore un autre mot de passe"}}); r.StatusCode != http.StatusGone {
		t.Errorf("the used link posted again: %d, want 410", r.StatusCode)
	}
	if r := visitor.Post("/connexion", url.Values{"email": {"awa@example.org"}, "password": {oldPass}}); r.StatusCode != 422 {
		t.Errorf("the old password: %d, want 422", r.StatusCode)
	}
	visitor.Login("awa@example.org", newPass)

	// The outbox keeps no working link once the e-mail left.
	var text, html string
	if err := a.SQL.QueryRow(ctx, `SELECT text_body, html_body FROM emails WHERE kind = $1 AND state = 'sent'`,
		fabrique.EmailKindReset).Scan(&text, &html); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimPrefix(link, "/mot-de-passe/")
	if strings.Contains(text, token) || strings.Contains(html, token) {
		t.Error("the sent e-mail's copy in the outbox still holds the token")
	}
}

// An expired link is refused, and asking many times sends at most three links an hour.
func TestPasswordResetExpiresAndIsLimited(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	a.CreateUser(t, "Awa Traoré", "awa@example.org", "ancien mot de passe", fabrique.RoleContributor)
	c := a.Client(t)
	for range 5 {
		if r := c.Post("/mot-de-passe-oublie", url.Values{"email": {"AWA@example.org"}}); r.StatusCode != 200 {
			t.Fatalf("request: %d", r.StatusCode)
		}
	}
	accountJobsDone(t, a)
	got := srv.WaitFor(t, 3, 10*time.Second)
	if n := len(srv.Messages()); n != 3 {
		t.Errorf("%d e-mails for 5 requests, want 3", n)
	}
	link := linkTo(t, got[0], a.URL(), "/mot-de-passe/")
	if _, err := a.SQL.Exec(context.Background(), `UPDATE account_tokens SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if r := c.Get(link); r.StatusCode != http.StatusGone || r.Doc.Find(`[data-testid="link-invalid"]`).Length() != 1 {
		t.Errorf("an expired link: %d", r.StatusCode)
	}
	// Per client address: the eleventh request within the hour waits.
	for i := range 5 {
		if r := c.Post("/mot-de-passe-oublie", url.Values{"email": {"x@example.org"}}); r.StatusCode != 200 {
			t.Fatalf("request %d: %d", i+6, r.StatusCode)
		}
	}
	if r := c.Post("/mot-de-passe-oublie", url.Values{"email": {"x@example.org"}}); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Errorf("the 11th request: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
}

// Sign-up sends a verification link that confirms the address once; signing up with an
// address that has an account tells its owner.
func TestSignUpVerifiesTheAddressAndWarnsTheOwner(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	c := a.Client(t)
	c.SignUp("Léa Martin", "lea@example.org", "mot de passe solide")
	m := srv.WaitFor(t, 1, 10*time.Second)[0]
	if m.To[0] != "lea@example.org" || m.Subject != "Confirmez votre adresse e-mail" {
		t.Fatalf("e-mail to %v: %q", m.To, m.Subject)
	}
	if r := c.Get("/espace/compte"); r.Doc.Find(`[data-testid="email-unverified"]`).Length() != 1 {
		t.Error("the account page does not say the address is not confirmed")
	}
	link := linkTo(t, m, a.URL(), "/verification/")
	if r := c.Get(link); r.StatusCode != 303 || r.Location() != "/espace/compte" {
		t.Fatalf("verification: %d → %q", r.StatusCode, r.Location())
	}
	if r := c.Get("/espace/compte"); r.Doc.Find(`[data-testid="email-verified"]`).Length() != 1 {
		t.Error("the account page does not say the address is confirmed")
	}
	if r := c.Get(link); r.StatusCode != http.StatusGone {
		t.Errorf("the link followed twice: %d, want 410", r.StatusCode)
	}
	// Coordinators see who confirmed their address.
	a.CreateUser(t, "Camille Coordination", "camille@example.org", "mot de passe solide", fabrique.RoleCoordinator)
	coord := a.Client(t)
	coord.Login("camille@example.org", "mot de passe solide")
	verified := map[string]string{}
	coord.Get("/coordination/comptes").Doc.Find(`[data-testid="account"]`).Each(func(_ int, s *goquery.Selection) {
		verified[s.AttrOr("data-email", "")] = s.Find(`[data-testid="account-verified"]`).AttrOr("data-verified", "")
	})
	if verified["lea@example.org"] != "true" || verified["camille@example.org"] != "false" {
		t.Errorf("verified on /coordination/comptes: %v", verified)
	}
	if r := coord.Get("/coordination/comptes?q=LEA"); r.Doc.Find(`[data-testid="account"]`).Length() != 1 {
		t.Error("searching « LEA » does not find Léa alone")
	}
	if r := c.Post("/espace/verification", nil); r.StatusCode != 303 {
		t.Errorf("asking a new link once verified: %d", r.StatusCode)
	}

	other := a.Client(t)
	if r := other.Post("/inscription", url.Values{"display_name": {"Quelqu’un"}, "email": {"LEA@example.org"}, "password": {"un autre mot de passe"}}); r.StatusCode != 422 {
		t.Fatalf("sign-up with a taken address: %d, want 422", r.StatusCode)
	}
	w := srv.WaitFor(t, 2, 10*time.Second)[1]
	if w.To[0] != "lea@example.org" || w.Subject != "Une inscription avec votre adresse e-mail" {
		t.Fatalf("warning to %v: %q", w.To, w.Subject)
	}
	if reset := linkTo(t, w, a.URL(), "/mot-de-passe-oublie"); reset != "/mot-de-passe-oublie" {
		t.Errorf("warning links to %q", reset)
	}
}

// /espace/compte: the name, the password (the current one asked, other sessions closed,
// this one kept) and the address (confirmed from the new one, the old one told).
func TestAccountSettings(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	const pass, newPass = "mot de passe solide", "un mot de passe neuf"
	u := a.CreateUser(t, "Awa Traoré", "awa@example.org", pass, fabrique.RoleContributor)
	c := a.Client(t)
	c.Login("awa@example.org", pass)
	elsewhere := a.Client(t)
	elsewhere.Login("awa@example.org", pass)

	if r := c.Post("/espace/compte", url.Values{"display_name": {"  "}}); r.StatusCode != 422 || !strings.Contains(r.Body, "Indiquez votre nom.") {
		t.Errorf("an empty name: %d", r.StatusCode)
	}
	if r := c.Post("/espace/compte", url.Values{"display_name": {"Awa  Traoré-Diallo"}}); r.StatusCode != 303 {
		t.Fatalf("rename: %d", r.StatusCode)
	}
	if got, _ := a.DB.UserByID(context.Background(), u.ID); got.DisplayName != "Awa Traoré-Diallo" {
		t.Errorf("name %q", got.DisplayName)
	}

	if r := c.Post("/espace/compte", url.Values{"current_password": {"pas le bon mot de passe"}, "new_password": {newPass}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, "Ce n’est pas votre mot de passe actuel.") {
		t.Errorf("a wrong current password: %d", r.StatusCode)
	}
	if r := c.Post("/espace/compte", url.Values{"current_password": {pass}, "new_password": {newPass}}); r.StatusCode != 303 {
		t.Fatalf("password change: %d", r.StatusCode)
	}
	if r := c.Get("/espace"); r.StatusCode != 200 {
		t.Errorf("this session after its own change: %d, want 200", r.StatusCode)
	}
	if r := elsewhere.Get("/espace"); r.StatusCode != 303 {
		t.Errorf("the other session after the change: %d, want a redirect to log in", r.StatusCode)
	}
	if r := elsewhere.Post("/connexion", url.Values{"email": {"awa@example.org"}, "password": {pass}}); r.StatusCode != 422 {
		t.Errorf("the old password: %d, want 422", r.StatusCode)
	}

	if r := c.Post("/espace/compte", url.Values{"email": {"awa@tiers-lieu.example"}, "current_password": {pass}}); r.StatusCode != 422 {
		t.Errorf("an address change with the old password: %d, want 422", r.StatusCode)
	}
	if r := c.Post("/espace/compte", url.Values{"email": {"awa@tiers-lieu.example"}, "current_password": {newPass}}); r.StatusCode != 303 {
		t.Fatalf("address change: %d", r.StatusCode)
	}
	m := srv.WaitFor(t, 1, 10*time.Second)[0]
	if m.To[0] != "awa@tiers-lieu.example" || m.Subject != "Confirmez votre nouvelle adresse e-mail" {
		t.Fatalf("confirmation to %v: %q", m.To, m.Subject)
	}
	if got, _ := a.DB.UserByID(context.Background(), u.ID); got.Email != "awa@example.org" {
		t.Errorf("the address changed before confirmation: %q", got.Email)
	}
	if r := c.Get(linkTo(t, m, a.URL(), "/verification/")); r.StatusCode != 303 {
		t.Fatalf("confirmation: %d", r.StatusCode)
	}
	got, _ := a.DB.UserByID(context.Background(), u.ID)
	if got.Email != "awa@tiers-lieu.example" || got.EmailVerifiedAt == nil {
		t.Errorf("after confirmation: %q, verified %v", got.Email, got.EmailVerifiedAt)
	}
	old := srv.WaitFor(t, 2, 10*time.Second)[1]
	if old.To[0] != "awa@example.org" || old.Subject != "L’adresse e-mail de votre compte a changé" || !strings.Contains(old.Text, "awa@tiers-lieu.example") {
		t.Errorf("the old address told: to %v, %q:\n%s", old.To, old.Subject, old.Text)
	}
	elsewhere.Login("awa@tiers-lieu.example", newPass)
}
