package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// TestE2EJourneyVisitorRegistersForASession: a visitor finds a « Ressources & vous »
// session from the home page, opens it, is asked to log in to register, signs up instead
// and comes back to it, registers, and finds it in /espace — on a phone and a laptop.
func TestE2EJourneyVisitorRegistersForASession(t *testing.T) {
	t.Parallel()
	atEachScreen(t, func(t *testing.T, width, height int64) {
		a := apptest.Start(t)
		ctx := context.Background()
		coord := a.CreateUser(t, "Claire Coordination", "claire@example.org", journeyPass, fabrique.RoleCoordinator)
		if _, err := a.SQL.Exec(ctx, `INSERT INTO commons (slug, name, kind, summary) VALUES ('loot', 'Loot', 'logiciel', 'Compter les contributions.')`); err != nil {
			t.Fatal(err)
		}
		if _, err := a.SQL.Exec(ctx, `INSERT INTO events (slug, kind, title, summary, online, visio_url, starts_at, ends_at, capacity, organiser_id, commons_id)
			VALUES ('prendre-en-main-loot', 'ressources-et-vous', 'Prendre en main Loot', 'Une heure pour découvrir Loot.', true,
			        'https://visio.example.org/loot', now() + interval '5 days', now() + interval '5 days 1 hour', 10, $1,
			        (SELECT id FROM commons WHERE slug = 'loot'))`, coord.ID); err != nil {
			t.Fatal(err)
		}
		const page = "/rendez-vous/prendre-en-main-loot"
		b := NewBrowserAt(t, a.URL(), width, height)
		b.Open("/", 200)
		card := `[data-testid=upcoming-events] [data-slug="prendre-en-main-loot"] a`
		b.Do("scroll to the session", chromedp.ScrollIntoView(chromedp.CSS(card)))
		b.Click("the session on the home page", card, 200)
		if p := b.Path(); p != page {
			t.Fatalf("the home page's card leads to %s", p)
		}
		if n := b.Count("[data-testid=visio-link]"); n != 0 {
			t.Error("a visitor sees the visio link")
		}
		b.Click("log in to register", "[data-testid=login-to-register]", 200)
		b.Click("sign up instead", `main a[href^="/inscription"]`, 200)
		b.Fill([2]string{"display_name", "Vera Visiteuse"}, [2]string{"email", "vera@example.org"}, [2]string{"password", journeyPass})
		b.Submit("sign up", `form[action="/inscription"]`, 200)
		if p := b.Path(); p != page {
			t.Fatalf("after signing up: at %s, want back at %s", p, page)
		}
		b.Submit("register", "form[data-testid=register-form]", 200)
		if s := b.Text("[data-testid=registration-state]"); !strings.Contains(s, "Vous êtes inscrit·e") {
			t.Errorf("after registering: %q", s)
		}
		if n := b.Count("[data-testid=visio-link]"); n != 1 {
			t.Error("the registered person does not see the visio link")
		}
		b.Open("/espace", 200)
		if n := b.Count(`[data-testid=my-event][data-slug="prendre-en-main-loot"]`); n != 1 {
			t.Error("/espace does not list the session")
		}
		if width < 800 {
			checkNoOverflow(t, b, page, int(width))
		}
	})
}
