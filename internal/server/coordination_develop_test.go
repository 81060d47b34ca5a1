package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestCoordinationDevelopQueue: the coordination's queue lists a défi once its framing is
// complete, with the date, and links to its status form, where développement is the
// move offered first; decided, the défi leaves the queue.
func TestCoordinationDevelopQueue(t *testing.T) {
	t.Parallel()
	l := startLoot(t, 0)
	coord := l.clients["coordinator"]
	r := coord.Get("/coordination")
	if got := squash(r, "[data-testid=develop-queue] [data-testid=develop-queue-empty]"); got != "Aucun défi n’attend la décision : aucun cadrage complet avant le développement." {
		t.Errorf("empty queue: got %q", got)
	}
	// A framing still missing a field keeps the défi out.
	partial := completeFramingForm()
	partial.Set("approach", "")
	wantRedirect(t, l.clients["member"].Post("/defis/"+l.c.Slug+"/cadrage", partial), "/defis/"+l.c.Slug+"#titre-cadrage")
	if n := coord.Get("/coordination").Doc.Find("[data-testid=develop-queue-item]").Length(); n != 0 {
		t.Errorf("framing incomplete: got %d défis in the queue, want 0", n)
	}

	wantRedirect(t, l.clients["member"].Post("/defis/"+l.c.Slug+"/cadrage", completeFramingForm()), "/defis/"+l.c.Slug+"#titre-cadrage")
	r = coord.Get("/coordination")
	items := r.Doc.Find("[data-testid=develop-queue] [data-testid=develop-queue-item]")
	if items.Length() != 1 || items.AttrOr("data-slug", "") != l.c.Slug {
		t.Fatalf("got %d défis in the queue, want %s", items.Length(), l.c.Slug)
	}
	if got := coord.Get("/coordination/developpement").Doc.Find("[data-testid=develop-queue-item]").AttrOr("data-slug", ""); got != l.c.Slug {
		t.Errorf("/coordination/developpement: got %q, want %s", got, l.c.Slug)
	}
	href := items.Find("[data-testid=develop-queue-decide]").AttrOr("href", "")
	if href != "/defis/"+l.c.Slug+"#parcours" {
		t.Errorf("link: got %q, want the défi's status form", href)
	}
	if got := items.Find("[data-testid=develop-queue-framed] time").AttrOr("datetime", ""); got != parisToday().Format("2006-01-02") {
		t.Errorf("framed on: got %q, want today", got)
	}
	if got := squash(r, "[data-testid=develop-queue-item] [data-testid=develop-queue-decide]"); got != "Décider du passage en développement" {
		t.Errorf("action: got %q", got)
	}
	if got := squash(r, "[data-testid=develop-queue-item] .meta"); !strings.Contains(got, "porté par Léa Porteuse · 3 membres") {
		t.Errorf("card: got %q", got)
	}

	// Where the link leads: the status form, développement first and chosen.
	page := coord.Get(strings.TrimSuffix(href, "#parcours"))
	if n := page.Doc.Find("#parcours form[data-testid=status-form]").Length(); n != 1 {
		t.Fatalf("got %d status forms under #parcours, want 1", n)
	}
	if opts, sel := statusOptions(page); len(opts) == 0 || !strings.HasPrefix(opts[0], "developpement=") || sel != "developpement" {
		t.Errorf("status form: got %v selected %q, want développement first and selected", opts, sel)
	}
	wantRedirect(t, coord.Post("/defis/"+l.c.Slug+"/statut", url.Values{"statut": {"developpement"}}), "/defis/"+l.c.Slug)
	if n := coord.Get("/coordination").Doc.Find("[data-testid=develop-queue-item]").Length(); n != 0 {
		t.Errorf("decided: got %d défis in the queue, want 0", n)
	}
}
