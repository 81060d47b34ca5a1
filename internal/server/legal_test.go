package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/server"
)

// legalPages are the legal pages with their title in each language.
var legalPages = []struct{ path, fr, en string }{
	{"/mentions-legales", "Mentions légales", "Legal notice"},
	{"/donnees-personnelles", "Données personnelles", "Personal data"},
	{"/accessibilite", "Déclaration d’accessibilité", "Accessibility statement"},
}

// TestLegalPages checks that the legal notice, the personal data page and the
// accessibility statement answer 200 in French and in English, to visitors and to
// logged-in people, that every page's footer links to them, and that they show the
// publisher the operator configured, or a placeholder naming the variable to set.
func TestLegalPages(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithServerConfig(server.Config{Publisher: server.Publisher{
		Name:     "Compagnie des Tiers-Lieux",
		Email:    "contact@tiers-lieux.example",
		Director: "Camille Directrice",
		HostName: "Hébergeur Coopératif",
	}}))
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	french, english, alice := a.Client(t), a.Client(t), a.Client(t)
	wantStatus(t, english.Get("/langue?lang=en"), http.StatusSeeOther)
	alice.Login("alice@example.org", "motdepasse-solide")

	for _, c := range []struct {
		name   string
		client *apptest.Client
		lang   string
	}{{"fr", french, "fr"}, {"en", english, "en"}, {"logged in", alice, "fr"}} {
		for _, p := range legalPages {
			r := c.client.Get(p.path)
			wantStatus(t, r, http.StatusOK)
			title := p.fr
			if c.lang == "en" {
				title = p.en
			}
			if got := strings.TrimSpace(r.Doc.Find("h1").Text()); got != title {
				t.Errorf("%s in %s: h1 %q, want %q", p.path, c.name, got, title)
			}
			if got, _ := r.Doc.Find("html").Attr("lang"); got != c.lang {
				t.Errorf("%s in %s: lang %q, want %q", p.path, c.name, got, c.lang)
			}
		}
		// Every page's footer, the home page's as well as the legal pages' own.
		for _, path := range []string{"/", "/defis", "/page-qui-n-existe-pas", "/accessibilite"} {
			links := c.client.Get(path).Doc.Find(`footer [data-testid="legal-links"] a`)
			var hrefs []string
			for i := range links.Length() {
				href, _ := links.Eq(i).Attr("href")
				hrefs = append(hrefs, href)
			}
			for _, p := range legalPages {
				if !slices.Contains(hrefs, p.path) {
					t.Errorf("footer of %s in %s: links %v, want %s", path, c.name, hrefs, p.path)
				}
			}
		}
	}

	// What the operator set is shown; what it did not set is a placeholder naming its
	// variable, in both languages.
	notice := french.Get("/mentions-legales")
	for _, want := range []string{"Compagnie des Tiers-Lieux", "Camille Directrice", "Hébergeur Coopératif"} {
		if !strings.Contains(notice.Doc.Find("main").Text(), want) {
			t.Errorf("/mentions-legales does not show %q", want)
		}
	}
	if href, _ := notice.Doc.Find(`[data-testid="legal-email"]`).Attr("href"); href != "mailto:contact@tiers-lieux.example" {
		t.Errorf("/mentions-legales: contact link %q, want mailto:contact@tiers-lieux.example", href)
	}
	placeholders := notice.Doc.Find(`[data-testid="legal-placeholder"]`).Text()
	for _, v := range []string{"PUBLISHER_ADDRESS", "PUBLISHER_ID", "PUBLISHER_PHONE", "HOSTING_ADDRESS", "HOSTING_PHONE"} {
		if !strings.Contains(placeholders, v) {
			t.Errorf("/mentions-legales: no placeholder for %s in %q", v, placeholders)
		}
	}
	for _, v := range []string{"PUBLISHER_NAME", "PUBLISHER_EMAIL", "PUBLISHER_DIRECTOR", "HOSTING_NAME"} {
		if strings.Contains(placeholders, v) {
			t.Errorf("/mentions-legales: a placeholder for %s, which is set", v)
		}
	}
	if got := english.Get("/mentions-legales").Doc.Find(`[data-testid="legal-placeholder"]`).First().Text(); !strings.HasPrefix(got, "to be filled in by the operator") {
		t.Errorf("/mentions-legales in English: placeholder %q", got)
	}

	// The personal data page states the server's own durations.
	privacy := french.Get("/donnees-personnelles").Doc.Find(`[data-testid="privacy-table"]`).Text()
	for _, want := range []string{"après 7 jours sans visite", "au plus tard 30 jours après la connexion", "dans les 30 minutes", "pendant une heure"} {
		if !strings.Contains(privacy, want) {
			t.Errorf("/donnees-personnelles does not say %q", want)
		}
	}
	if en := english.Get("/donnees-personnelles").Doc.Find(`[data-testid="privacy-table"]`).Text(); !strings.Contains(en, "after 7 days without a visit") {
		t.Errorf("/donnees-personnelles in English does not state the idle timeout: %.300q", en)
	}

	// Public pages, kept by the page cache like the others.
	for _, p := range legalPages {
		if !slices.Contains(server.CachedRoutes(), p.path) {
			t.Errorf("%s is not among the page cache's routes", p.path)
		}
	}
}
