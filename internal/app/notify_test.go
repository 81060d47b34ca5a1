package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/mailtest"
)

// A join request tells the porteuse at once by e-mail, through the outbox and the job
// queue to a real SMTP server: the subject names the défi, the text the person, the link leads to the défi's team, the one-click unsubscribe headers are there;
// the decision tells the requester. The outbox records each e-mail as sent, once.
func TestJoinRequestEmailsThePorteuse(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	ctx := context.Background()
	const pass = "mot de passe solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Bruno Martin", "bruno@example.org", pass, fabrique.RoleContributor)
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Réseau des fablabs", Summary: "Entraide.", Problem: "Chacun seul."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	bruno := a.Client(t)
	bruno.Login("bruno@example.org", pass)
	if r := bruno.Post("/defis/"+c.Slug+"/equipe", url.Values{"message": {"Je tiens le fablab de Rennes."}}); r.StatusCode != 303 {
		t.Fatalf("join request: %d", r.StatusCode)
	}
	got := srv.WaitFor(t, 1, 10*time.Second)[0]
	if got.To[0] != "paule@example.org" {
		t.Errorf("to %v", got.To)
	}
	if want := "Demande pour rejoindre « Réseau des fablabs »"; got.Subject != want {
		t.Errorf("subject %q, want %q", got.Subject, want)
	}
	if !strings.Contains(got.Text, "Bruno Martin demande à rejoindre") || !strings.Contains(got.HTML, "Bruno Martin demande à rejoindre") {
		t.Errorf("the request is not told in both parts:\n%s", got.Text)
	}
	unsub := got.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(unsub, "<"+a.URL()) && !strings.Contains(unsub, "/desabonnement/") {
		t.Errorf("List-Unsubscribe %q", unsub)
	}
	if got.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", got.Header.Get("List-Unsubscribe-Post"))
	}
	var team string
	for _, l := range got.Links() {
		if strings.Contains(l, "/defis/"+c.Slug) {
			team = l
		}
	}
	if team == "" {
		t.Fatalf("no link to the défi in %v", got.Links())
	}
	u, _ := url.Parse(team)
	if r := a.Client(t).Get(u.Path); r.StatusCode != 200 {
		t.Errorf("GET %s: %d", u.Path, r.StatusCode)
	}

	// Asking again while pending tells nobody twice.
	bruno.Post("/defis/"+c.Slug+"/equipe", url.Values{"message": {"Et celui de Brest."}})

	paule := a.Client(t)
	paule.Login("paule@example.org", pass)
	var brunoID int64
	if err := a.SQL.QueryRow(ctx, `SELECT id FROM users WHERE email = 'bruno@example.org'`).Scan(&brunoID); err != nil {
		t.Fatal(err)
	}
	if r := paule.Post("/defis/"+c.Slug+"/equipe/"+strconv.FormatInt(brunoID, 10)+"/accepter", nil); r.StatusCode != 303 {
		t.Fatalf("accept: %d", r.StatusCode)
	}
	all := srv.WaitFor(t, 2, 10*time.Second)
	if all[1].To[0] != "bruno@example.org" || all[1].Subject != "Votre demande pour rejoindre « Réseau des fablabs »" || !strings.Contains(all[1].Text, "accept") {
		t.Errorf("second e-mail to %v: %q", all[1].To, all[1].Subject)
	}
	time.Sleep(300 * time.Millisecond) // a duplicate would have arrived by now
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("%d e-mails, want 2 (the repeated request must not tell again)", n)
	}
	// The one-click unsubscribe of the first e-mail (RFC 8058): a GET changes nothing, the
	// provider's POST — no session, another origin — stops that kind at once.
	unsubURL := strings.Trim(unsub, "<>")
	uu, _ := url.Parse(unsubURL)
	anon := a.Client(t)
	if r := anon.Get(uu.Path); r.StatusCode != 200 || r.Doc.Find("[data-testid=unsubscribe-form]").Length() != 1 {
		t.Fatalf("GET %s: %d", uu.Path, r.StatusCode)
	}
	var prefs int
	_ = a.SQL.QueryRow(ctx, `SELECT count(*) FROM notification_preferences`).Scan(&prefs)
	if prefs != 0 {
		t.Errorf("a GET of the unsubscribe link changed %d preferences", prefs)
	}
	req, _ := http.NewRequest(http.MethodPost, a.URL()+uu.Path, strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.example.net")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := anon.Do(req); r.StatusCode != 200 {
		t.Fatalf("one-click POST: %d", r.StatusCode)
	}
	var delivery string
	if err := a.SQL.QueryRow(ctx, `SELECT delivery FROM notification_preferences WHERE user_id = $1 AND kind = 'join_request'`, lead.ID).Scan(&delivery); err != nil || delivery != "site" {
		t.Fatalf("after the one-click POST: %q, %v; want site", delivery, err)
	}
	a.CreateUser(t, "Carole Dupont", "carole@example.org", pass, fabrique.RoleContributor)
	carole := a.Client(t)
	carole.Login("carole@example.org", pass)
	carole.Post("/defis/"+c.Slug+"/equipe", url.Values{"message": {"Moi aussi."}})
	time.Sleep(500 * time.Millisecond)
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("%d e-mails after unsubscribing, want still 2", n)
	}
	if got := anon.Get("/desabonnement/inconnu"); got.StatusCode != 404 {
		t.Errorf("unknown token: %d", got.StatusCode)
	}

	var sent, total int
	if err := a.SQL.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state = 'sent' AND attempts = 1 AND sent_at IS NOT NULL), count(*) FROM emails`).Scan(&sent, &total); err != nil {
		t.Fatal(err)
	}
	if sent != 2 || total != 2 {
		t.Errorf("outbox: %d sent of %d, want 2 of 2", sent, total)
	}
}

// A person who reads the site in English gets their e-mails in English: the choice made
// with the language switch while logged in is remembered for them.
func TestEmailsInTheRecipientsLanguage(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	a := apptest.Start(t, apptest.WithSMTP(srv.URL()))
	ctx := context.Background()
	const pass = "mot de passe solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Bruno Martin", "bruno@example.org", pass, fabrique.RoleContributor)
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Réseau des fablabs", Summary: "Entraide.", Problem: "Chacun seul."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	paule := a.Client(t)
	paule.Login("paule@example.org", pass)
	if r := paule.Get("/langue?lang=en&suivant=/espace"); r.StatusCode != 303 {
		t.Fatalf("language switch: %d", r.StatusCode)
	}
	bruno := a.Client(t)
	bruno.Login("bruno@example.org", pass)
	if r := bruno.Post("/defis/"+c.Slug+"/equipe", url.Values{"message": {"Bonjour"}}); r.StatusCode != 303 {
		t.Fatalf("join request: %d", r.StatusCode)
	}
	got := srv.WaitFor(t, 1, 10*time.Second)[0]
	if got.Subject != "Request to join “Réseau des fablabs”" || !strings.Contains(got.Text, "Hello Paule Porteuse,") ||
		!strings.Contains(got.HTML, `lang="en"`) {
		t.Errorf("English e-mail: %q\n%s", got.Subject, got.Text)
	}
	// A new device without a language cookie takes hers at login.
	phone := a.Client(t)
	phone.Login("paule@example.org", pass)
	if phone.Cookie("fabrique_lang") != "en" {
		t.Errorf("language cookie at login on a new device: %q", phone.Cookie("fabrique_lang"))
	}
}
