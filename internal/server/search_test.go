package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// mustCreateChallengeText records a défi with its three texts directly in the store.
func mustCreateChallengeText(tb testing.TB, a *apptest.App, leadID int64, title, summary, problem string) *fabrique.Challenge {
	tb.Helper()
	c, err := a.DB.CreateChallenge(context.Background(), fabrique.NewChallenge{Title: title, Summary: summary, Problem: problem}, leadID)
	if err != nil {
		tb.Fatalf("create challenge %q: %v", title, err)
	}
	return c
}

// mustExecSQL runs sql on the app's database, for what no route does yet.
func mustExecSQL(tb testing.TB, a *apptest.App, sql string, args ...any) {
	tb.Helper()
	if _, err := a.SQL.Exec(context.Background(), sql, args...); err != nil {
		tb.Fatalf("exec %q: %v", sql, err)
	}
}

// mustConcernPlace creates a tiers-lieu of region concerned by the défis whose slugs
// match the LIKE pattern.
func mustConcernPlace(tb testing.TB, a *apptest.App, slug, region, challengePattern string) {
	tb.Helper()
	mustExecSQL(tb, a, `INSERT INTO places (slug, name, city, region) VALUES ($1, $1, 'Rennes', $2)`, slug, region)
	mustExecSQL(tb, a, `INSERT INTO challenge_places (challenge_id, place_id)
		SELECT c.id, p.id FROM challenges c, places p WHERE c.slug LIKE $1 AND p.slug = $2`, challengePattern, slug)
}

func TestChallengeSearch(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	titled := mustCreateChallengeText(t, a, lead.ID, "Un outil de réservation", "Réserver les salles.", "Chacun réserve à sa façon.")
	digital := mustCreateChallengeText(t, a, lead.ID, "Médiation numérique", "Des ateliers numériques pour les habitants.", "Il manque des supports.")
	team := mustCreateChallengeText(t, a, lead.ID, "Accueillir des bénévoles", "Une equipe à former.", "Par où commencer ?")
	problemOnly := mustCreateChallengeText(t, a, lead.ID, "Cantine partagée", "Cuisiner ensemble.", "Il manque des outils pour planifier.")
	mustExecSQL(t, a, `UPDATE challenges SET status = 'equipe' WHERE id = $1`, problemOnly.ID)
	mustConcernPlace(t, a, "le-64", "Bretagne", digital.Slug)
	mustConcernPlace(t, a, "la-myne", "Île-de-France", problemOnly.Slug)

	tests := []struct {
		query string // the URL's query
		want  []string
		total string
	}{
		{"q=numerique", []string{digital.Slug}, "1 défi trouvé pour « numerique »"},
		{"q=num%C3%A9riques", []string{digital.Slug}, "1 défi trouvé pour « numériques »"},
		{"q=%C3%89quipe", []string{team.Slug}, "1 défi trouvé pour « Équipe »"},
		{"q=outil", []string{titled.Slug, problemOnly.Slug}, "2 défis trouvés pour « outil »"},
		{"q=outils&statut=equipe", []string{problemOnly.Slug}, "1 défi trouvé pour « outils »"},
		{"q=outils&region=%C3%8Ele-de-France", []string{problemOnly.Slug}, "1 défi trouvé pour « outils »"},
		{"region=Bretagne", []string{digital.Slug}, "1 défi"},
		{"q=photovolta%C3%AFque", nil, "0 défi trouvé pour « photovoltaïque »"},
		{"q=++outil++", []string{titled.Slug, problemOnly.Slug}, "2 défis trouvés pour « outil »"},
		{"q=", []string{problemOnly.Slug, team.Slug, digital.Slug, titled.Slug}, "4 défis"},
	}
	c := a.Client(t)
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			r := c.Get("/defis?" + tt.query)
			wantStatus(t, r, http.StatusOK)
			if got := slugs(r); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("cards: got %v, want %v", got, tt.want)
			}
			if got := text(r, "[data-testid=total]"); got != tt.total {
				t.Errorf("total: got %q, want %q", got, tt.total)
			}
			if n := r.Doc.Find("[data-testid=empty]").Length(); (n == 1) != (len(tt.want) == 0) {
				t.Errorf("empty state: got %d, want shown=%v", n, len(tt.want) == 0)
			}
			// The form shows the search and filters it was sent with.
			q, _ := url.ParseQuery(tt.query)
			if got, _ := r.Doc.Find(`form[role=search] input[name=q]`).Attr("value"); got != strings.TrimSpace(q.Get("q")) {
				t.Errorf("search box value: got %q, want %q", got, strings.TrimSpace(q.Get("q")))
			}
			if got, _ := r.Doc.Find(`select[name=region] option[selected]`).Attr("value"); got != q.Get("region") {
				t.Errorf("selected region: got %q, want %q", got, q.Get("region"))
			}
		})
	}
}

func TestChallengeSearchForm(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	r := a.Client(t).Get("/defis?statut=equipe")
	wantStatus(t, r, http.StatusOK)
	form := r.Doc.Find(`form[method=get][action="/defis"][role=search]`)
	if form.Length() != 1 {
		t.Fatalf("search form: got %d, want 1", form.Length())
	}
	input := form.Find(`input[name=q]`)
	if typ, _ := input.Attr("type"); typ != "search" {
		t.Errorf("search input type: got %q, want %q", typ, "search")
	}
	id, _ := input.Attr("id")
	if got := strings.TrimSpace(form.Find(`label[for="` + id + `"]`).Text()); got != "Rechercher un défi" {
		t.Errorf("search label: got %q, want %q", got, "Rechercher un défi")
	}
	if got, _ := form.Find(`select[name=statut] option[selected]`).Attr("value"); got != "equipe" {
		t.Errorf("selected step: got %q, want %q", got, "equipe")
	}
	regions := form.Find(`select[name=region] option`)
	if got, want := regions.Length(), len(fabrique.Regions)+1; got != want || want != 19 {
		t.Errorf("region options: got %d, want %d (18 regions and all)", got, want)
	}
	if got := regions.Eq(8).Text(); got != "Île-de-France" {
		t.Errorf("9th region option: got %q, want %q", got, "Île-de-France")
	}
	regionID, _ := form.Find(`select[name=region]`).Attr("id")
	if form.Find(`label[for="`+regionID+`"]`).Length() != 1 {
		t.Errorf("the region select has no label")
	}
	feed := r.Doc.Find(`main a[href="/defis.atom"][data-testid=feed-link]`)
	if got := strings.TrimSpace(feed.Text()); got != "Flux Atom" {
		t.Errorf("feed link: got %q, want %q", got, "Flux Atom")
	}
	if typ, _ := feed.Attr("type"); typ != "application/atom+xml" {
		t.Errorf("feed link type: got %q, want %q", typ, "application/atom+xml")
	}
}

func TestChallengeSearchPagination(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	for i := 1; i <= 21; i++ {
		mustCreateChallengeText(t, a, lead.ID, fmt.Sprintf("Atelier numérique %d", i), "Un atelier.", "Des ateliers.")
	}
	mustCreateChallengeText(t, a, lead.ID, "Autre chose", "Rien à voir.", "Vraiment rien.")
	mustConcernPlace(t, a, "tiers-lieu-idf", "Île-de-France", "%")

	c := a.Client(t)
	r := c.Get("/defis?q=ateliers+num%C3%A9riques&statut=identifie&region=%C3%8Ele-de-France")
	wantStatus(t, r, http.StatusOK)
	if got := len(slugs(r)); got != 20 {
		t.Errorf("page 1 cards: got %d, want 20", got)
	}
	if got, want := text(r, "[data-testid=total]"), "21 défis trouvés pour « ateliers numériques »"; got != want {
		t.Errorf("total: got %q, want %q", got, want)
	}
	next, _ := r.Doc.Find(`.pagination a[rel=next]`).Attr("href")
	if want := "/defis?q=ateliers+num%C3%A9riques&statut=identifie&region=%C3%8Ele-de-France&page=2"; next != want {
		t.Fatalf("next link: got %q, want %q", next, want)
	}
	r = c.Get(next)
	wantStatus(t, r, http.StatusOK)
	if got := slugs(r); len(got) != 1 || !strings.HasPrefix(got[0], "atelier-numerique-") {
		t.Errorf("page 2 cards: got %v, want one atelier", got)
	}
	if prev, _ := r.Doc.Find(`.pagination a[rel=prev]`).Attr("href"); prev != "/defis?q=ateliers+num%C3%A9riques&statut=identifie&region=%C3%8Ele-de-France&page=1" {
		t.Errorf("prev link: got %q", prev)
	}

	// Past the end: an empty page that leads back to the first one, filters kept.
	r = c.Get("/defis?q=atelier&page=7")
	wantStatus(t, r, http.StatusOK)
	if got := len(slugs(r)); got != 0 {
		t.Errorf("page 7 cards: got %d, want 0", got)
	}
	if href, _ := r.Doc.Find(`[data-testid=empty] a`).Attr("href"); href != "/defis?q=atelier&page=1" {
		t.Errorf("empty state link: got %q, want %q", href, "/defis?q=atelier&page=1")
	}
}

func TestChallengeSearchJunk(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	mustCreateChallengeText(t, a, lead.ID, "Médiation numérique", "Des ateliers.", "Des supports.")
	long := strings.Repeat("numérique ", 500) // 5 000 characters
	tests := []struct {
		query string
		cards int
	}{
		{"q=" + url.QueryEscape(`'&|!:*()`), 0},
		{"q=" + url.QueryEscape(long), 1},
		{"q=" + strings.Repeat("x", 5000), 0},
		{"page=-1", 1},
		{"statut=xyz", 1},
		{"region=Atlantide", 1},
		{"q=%FF%FE", 1}, // nothing left once cleaned: no search
		{"q=num%00erique", 0},
		{"q=la+de+des", 0},
		{"q=%22numerique", 1},
		{"q=-", 0},
		{"q=numerique&q=autre&statut=&region=&page=", 1},
		{"q=" + url.QueryEscape("<script>alert(1)</script>"), 0},
	}
	c := a.Client(t)
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%.40s", tt.query), func(t *testing.T) {
			t.Parallel()
			r := c.Get("/defis?" + tt.query)
			wantStatus(t, r, http.StatusOK)
			if got := len(slugs(r)); got != tt.cards {
				t.Errorf("cards: got %d, want %d", got, tt.cards)
			}
			value, _ := r.Doc.Find(`input[name=q]`).Attr("value")
			if n := utf8.RuneCountInString(value); n > 200 || !utf8.ValidString(value) {
				t.Errorf("search box value: got %d characters (valid UTF-8 %v), want at most 200", n, utf8.ValidString(value))
			}
			if strings.Contains(r.Body, "<script>alert") {
				t.Errorf("the search is not escaped on the page")
			}
		})
	}
}

func TestChallengeSearchQueriesBounded(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	mustCreateChallengeText(t, a, lead.ID, "Atelier numérique 0", "Un atelier.", "Des ateliers.")
	mustConcernPlace(t, a, "le-64", "Bretagne", "%")
	c := a.Client(t)
	const path = "/defis?q=atelier&statut=identifie&region=Bretagne"
	queries := func() int64 {
		t.Helper()
		wantStatus(t, c.Get(path), http.StatusOK)
		before := a.Queries.Count()
		r := c.Get(path)
		wantStatus(t, r, http.StatusOK)
		return a.Queries.Count() - before
	}
	small := queries()
	for i := 1; i <= 30; i++ {
		mustCreateChallengeText(t, a, lead.ID, fmt.Sprintf("Atelier numérique %d", i), "Un atelier.", "Des ateliers.")
	}
	mustConcernPlace(t, a, "la-myne", "Bretagne", "%")
	if big := queries(); big != small {
		t.Errorf("search queries with 31 défis: got %d, want %d (as with 1)", big, small)
	}
	if small > 2 {
		t.Errorf("search queries: got %d, want at most 2 (the page, its count)", small)
	}
	if got := text(c.Get(path), "[data-testid=total]"); got != "31 défis trouvés pour « atelier »" {
		t.Errorf("total: got %q", got)
	}
}
