package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// mustCreateChallenge records a défi by leadID directly in the store.
func mustCreateChallenge(tb testing.TB, a *apptest.App, leadID int64, title string) *fabrique.Challenge {
	tb.Helper()
	c, err := a.DB.CreateChallenge(context.Background(), fabrique.NewChallenge{
		Title: title, Summary: "Résumé de « " + title + " ».", Problem: "Le problème de **" + title + "**.",
	}, leadID)
	if err != nil {
		tb.Fatalf("create challenge %q: %v", title, err)
	}
	return c
}

// slugs returns the data-slug of each défi card, in page order.
func slugs(r *apptest.Response) []string {
	var out []string
	r.Doc.Find("[data-testid=challenges] [data-testid=challenge]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("data-slug")
		out = append(out, v)
	})
	return out
}

// newChallengeForm is a valid "POST /defis" form.
func newChallengeForm(title string) url.Values {
	return url.Values{
		"title":   {title},
		"summary": {"Relier les fablabs des tiers-lieux pour partager machines et savoir-faire."},
		"problem": {"Les fablabs travaillent **seuls**.\n\n- pas d’annuaire\n- pas d’entraide"},
	}
}

func TestChallengeIndex(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	older := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")
	newer := mustCreateChallenge(t, a, lead.ID, "Cantine partagée")

	anon := a.Client(t)
	logged := a.Client(t)
	logged.Login("alice@example.org", "motdepasse-solide")

	for name, c := range map[string]*apptest.Client{"anonymous": anon, "logged in": logged} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := c.Get("/defis")
			wantStatus(t, r, http.StatusOK)
			if got, want := strings.Join(slugs(r), ","), newer.Slug+","+older.Slug; got != want {
				t.Errorf("order: got %s, want %s (newest first)", got, want)
			}
			card := r.Doc.Find(`[data-testid=challenge][data-slug="` + older.Slug + `"]`)
			if got, want := strings.TrimSpace(card.Find("[data-testid=status]").Text()), "Défi identifié"; got != want {
				t.Errorf("status badge: got %q, want %q", got, want)
			}
			if got, _ := card.Find("[data-testid=status]").Attr("data-status"); got != "identifie" {
				t.Errorf("status data-status: got %q, want %q", got, "identifie")
			}
			if got, want := strings.TrimSpace(card.Find("[data-testid=team-size]").Text()), "1 membre"; got != want {
				t.Errorf("team size: got %q, want %q", got, want)
			}
			if href, _ := card.Find("h2 a").Attr("href"); href != "/defis/"+older.Slug {
				t.Errorf("card link: got %q, want %q", href, "/defis/"+older.Slug)
			}
			if got, want := text(r, "[data-testid=total]"), "2 défis"; got != want {
				t.Errorf("total: got %q, want %q", got, want)
			}
		})
	}
}

func TestChallengeIndexEmpty(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	r := a.Client(t).Get("/defis")
	wantStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("[data-testid=empty]").Length(); n != 1 {
		t.Errorf("empty state: got %d, want 1", n)
	}
}

func TestChallengeIndexPagination(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	for i := 1; i <= 25; i++ {
		mustCreateChallenge(t, a, lead.ID, fmt.Sprintf("Défi numéro %d", i))
	}
	// Five of them move on, to test the filter.
	if _, err := a.SQL.Exec(context.Background(),
		`UPDATE challenges SET status = 'equipe' WHERE slug IN ('defi-numero-1', 'defi-numero-2', 'defi-numero-3', 'defi-numero-4', 'defi-numero-5')`); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		path      string
		cards     int
		first     string // slug of the first card, "" to skip
		empty     bool
		badge     string // every card's data-status, "" to skip
		wantTotal string
	}{
		{"/defis", 20, "defi-numero-25", false, "", "25 défis"},
		{"/defis?page=1", 20, "defi-numero-25", false, "", "25 défis"},
		{"/defis?page=2", 5, "defi-numero-5", false, "", "25 défis"},
		{"/defis?page=3", 0, "", true, "", "25 défis"},
		{"/defis?page=99", 0, "", true, "", "25 défis"},
		{"/defis?page=abc", 20, "defi-numero-25", false, "", "25 défis"},
		{"/defis?page=-3", 20, "defi-numero-25", false, "", "25 défis"},
		{"/defis?page=0", 20, "defi-numero-25", false, "", "25 défis"},
		{"/defis?page=99999999999999999999", 20, "defi-numero-25", false, "", "25 défis"},
		{"/defis?page=10001", 0, "", true, "", "25 défis"},
		{"/defis?statut=junk", 20, "defi-numero-25", false, "", "25 défis"},
		{"/defis?statut=identifie", 20, "defi-numero-25", false, "identifie", "20 défis"},
		{"/defis?statut=identifie&page=2", 0, "", true, "", "20 défis"},
		{"/defis?statut=equipe", 5, "defi-numero-5", false, "equipe", "5 défis"},
		{"/defis?statut=clos", 0, "", true, "", "0 défi"},
	}
	c := a.Client(t)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			r := c.Get(tt.path)
			wantStatus(t, r, http.StatusOK)
			got := slugs(r)
			if len(got) != tt.cards {
				t.Errorf("cards: got %d, want %d", len(got), tt.cards)
			}
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("first card: got %v, want %s", got, tt.first)
			}
			if n := r.Doc.Find("[data-testid=empty]").Length(); (n == 1) != tt.empty {
				t.Errorf("empty state: got %d, want shown=%v", n, tt.empty)
			}
			if tt.badge != "" {
				r.Doc.Find("[data-testid=challenge] [data-testid=status]").Each(func(i int, s *goquery.Selection) {
					if v, _ := s.Attr("data-status"); v != tt.badge {
						t.Errorf("card %d status: got %q, want %q", i, v, tt.badge)
					}
				})
			}
			if got := text(r, "[data-testid=total]"); got != tt.wantTotal {
				t.Errorf("total: got %q, want %q", got, tt.wantTotal)
			}
		})
	}
}

func TestChallengeIndexPaginationLinks(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	for i := 1; i <= 21; i++ {
		mustCreateChallenge(t, a, lead.ID, fmt.Sprintf("Défi numéro %d", i))
	}
	c := a.Client(t)
	r := c.Get("/defis?statut=identifie")
	wantStatus(t, r, http.StatusOK)
	next, _ := r.Doc.Find(`.pagination a[rel=next]`).Attr("href")
	if want := "/defis?statut=identifie&page=2"; next != want {
		t.Fatalf("next link: got %q, want %q", next, want)
	}
	r = c.Get(next)
	wantStatus(t, r, http.StatusOK)
	if got := len(slugs(r)); got != 1 {
		t.Errorf("page 2 cards: got %d, want 1", got)
	}
	if prev, _ := r.Doc.Find(`.pagination a[rel=prev]`).Attr("href"); prev != "/defis?statut=identifie&page=1" {
		t.Errorf("prev link: got %q, want %q", prev, "/defis?statut=identifie&page=1")
	}
}

func TestChallengeNewForm(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)

	wantRedirect(t, a.Client(t).Get("/defis/nouveau"), "/connexion?suivant=%2Fdefis%2Fnouveau")

	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	r := c.Get("/defis/nouveau")
	wantStatus(t, r, http.StatusOK)
	for _, field := range []string{"title", "summary", "problem"} {
		if n := r.Doc.Find(`form[method=post][action="/defis"] [name=` + field + `]`).Length(); n != 1 {
			t.Errorf("field %s in the form: got %d, want 1", field, n)
		}
	}
}

func TestChallengeCreateAnonymous(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	r := a.Client(t).Post("/defis", newChallengeForm("Réseau des fablabs"))
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Location(); loc != "/connexion" && !strings.HasPrefix(loc, "/connexion?") {
		t.Errorf("Location: got %q, want /connexion", loc)
	}
	if got := countRows(t, a, `SELECT count(*) FROM challenges`); got != 0 {
		t.Errorf("challenges: got %d, want 0", got)
	}
}

func TestChallengeCreate(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")

	r := c.Post("/defis", newChallengeForm("Réseau des fablabs"))
	wantRedirect(t, r, "/defis/reseau-des-fablabs")

	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	if got, _ := r.Doc.Find("[data-testid=challenge-page]").Attr("data-slug"); got != "reseau-des-fablabs" {
		t.Errorf("page slug: got %q, want %q", got, "reseau-des-fablabs")
	}
	if got := text(r, "[data-testid=challenge-page] h1"); got != "Réseau des fablabs" {
		t.Errorf("title: got %q, want %q", got, "Réseau des fablabs")
	}
	if got := r.Doc.Find("[data-testid=challenge-page] [data-testid=status]").AttrOr("data-status", ""); got != "identifie" {
		t.Errorf("status: got %q, want %q", got, "identifie")
	}
	if got := text(r, "[data-testid=flash]"); got == "" {
		t.Errorf("flash: got %q, want a confirmation", got)
	}
	team := r.Doc.Find("[data-testid=team] li")
	if team.Length() != 1 {
		t.Fatalf("team: got %d members, want 1", team.Length())
	}
	// The wording of the lead's mark may change ("porteur du défi", "porte le défi"):
	// the role itself is checked in the database below.
	if got := strings.Join(strings.Fields(team.Text()), " "); !strings.Contains(got, "Alice Martin — porte") {
		t.Errorf("team member: got %q, want Alice Martin marked as porteur", got)
	}

	ctx := context.Background()
	var status, role, state string
	var leadIsUser bool
	if err := a.SQL.QueryRow(ctx,
		`SELECT c.status, m.role, m.state, c.lead_id = u.id
		 FROM challenges c JOIN challenge_members m ON m.challenge_id = c.id JOIN users u ON u.id = m.user_id
		 WHERE c.slug = 'reseau-des-fablabs' AND u.email = 'alice@example.org'`).Scan(&status, &role, &state, &leadIsUser); err != nil {
		t.Fatalf("porteur row: %v", err)
	}
	if status != "identifie" || role != "lead" || state != "accepted" || !leadIsUser {
		t.Errorf("défi and porteur: got (%s, %s, %s, lead=%v), want (identifie, lead, accepted, lead=true)", status, role, state, leadIsUser)
	}
	if got := countRows(t, a, `SELECT count(*) FROM challenge_members`); got != 1 {
		t.Errorf("challenge_members: got %d, want 1", got)
	}
	if got := countRows(t, a,
		`SELECT count(*) FROM challenge_status_changes s JOIN challenges c ON c.id = s.challenge_id
		 WHERE c.slug = 'reseau-des-fablabs' AND s.from_status IS NULL AND s.to_status = 'identifie'`); got != 1 {
		t.Errorf("status changes: got %d, want 1", got)
	}

	// Same title again, and a title whose slug a route would shadow.
	wantRedirect(t, c.Post("/defis", newChallengeForm("Réseau des fablabs")), "/defis/reseau-des-fablabs-2")
	wantRedirect(t, c.Post("/defis", newChallengeForm("  RÉSEAU   des Fablabs !")), "/defis/reseau-des-fablabs-3")
	r = c.Post("/defis", newChallengeForm("Nouveau"))
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.Location(); loc == "/defis/nouveau" || !strings.HasPrefix(loc, "/defis/nouveau-") {
		t.Errorf("Location for title Nouveau: got %q, want /defis/nouveau-N", loc)
	}
	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=challenge-page] h1"); got != "Nouveau" {
		t.Errorf("défi titled Nouveau: got h1 %q, want %q", got, "Nouveau")
	}
	if got := countRows(t, a, `SELECT count(*) FROM challenges WHERE slug = 'nouveau'`); got != 0 {
		t.Errorf("défis with slug nouveau: got %d, want 0", got)
	}
}

func TestChallengeCreateInvalid(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")

	with := func(field, value string) url.Values {
		f := newChallengeForm("Réseau des fablabs")
		f.Set(field, value)
		return f
	}
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"empty title", with("title", ""), "title", "Donnez un titre au défi."},
		{"blank title", with("title", " \t "), "title", "Donnez un titre au défi."},
		{"2-char title", with("title", "Ab"), "title", "Le titre doit contenir au moins 3 caractères."},
		{"punctuation title", with("title", "!!!"), "title", "Le titre doit contenir au moins une lettre ou un chiffre."},
		{"title too long", with("title", strings.Repeat("a", 161)), "title", "Le titre ne doit pas dépasser 160 caractères."},
		{"empty summary", with("summary", ""), "summary", "Résumez le défi en une ou deux phrases."},
		{"summary over 500", with("summary", strings.Repeat("é", 501)), "summary", "Le résumé ne doit pas dépasser 500 caractères."},
		{"empty problem", with("problem", "  \r\n "), "problem", "Décrivez le problème que rencontrent les tiers-lieux."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := c.Post("/defis", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if got := text(r, "[data-testid=field-"+tt.field+"] [data-testid=error-"+tt.field+"]"); got != tt.want {
				t.Errorf("error on %s: got %q, want %q", tt.field, got, tt.want)
			}
			if n := r.Doc.Find(".field-error").Length(); n != 1 {
				t.Errorf("field errors: got %d, want 1", n)
			}
			// The other fields keep what was typed.
			for _, other := range []string{"title", "summary", "problem"} {
				if other == tt.field {
					continue
				}
				sel := r.Doc.Find(`[name=` + other + `]`)
				got := sel.AttrOr("value", sel.Text())
				if want := strings.TrimSpace(tt.form.Get(other)); strings.TrimSpace(got) != want {
					t.Errorf("%s kept: got %q, want %q", other, got, want)
				}
			}
			if got := countRows(t, a, `SELECT count(*) FROM challenges`); got != 0 {
				t.Errorf("challenges: got %d, want 0", got)
			}
		})
	}
}

func TestChallengeShow(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")

	logged := a.Client(t)
	logged.Login("alice@example.org", "motdepasse-solide")
	for name, c := range map[string]*apptest.Client{"anonymous": a.Client(t), "logged in": logged} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := c.Get("/defis/" + ch.Slug)
			wantStatus(t, r, http.StatusOK)
			if got := text(r, "[data-testid=challenge-page] h1"); got != "Réseau des fablabs" {
				t.Errorf("h1: got %q, want %q", got, "Réseau des fablabs")
			}
			if got := text(r, "[data-testid=problem] strong"); got != "Réseau des fablabs" {
				t.Errorf("problem Markdown: got strong %q, want %q", got, "Réseau des fablabs")
			}
			if got := r.Doc.Find("title").Text(); !strings.HasPrefix(got, "Réseau des fablabs") {
				t.Errorf("<title>: got %q, want the défi's title first", got)
			}
		})
	}

	for _, path := range []string{"/defis/n-existe-pas", "/defis/%C3%A9t%C3%A9", "/defis/" + strings.Repeat("x", 500)} {
		r := a.Client(t).Get(path)
		wantStatus(t, r, http.StatusNotFound)
		if got := text(r, "h1"); got != "Page introuvable" {
			t.Errorf("%s h1: got %q, want %q", path, got, "Page introuvable")
		}
		if got := text(r, "[data-testid=error-message]"); !strings.Contains(got, "Cette page n’existe pas") {
			t.Errorf("%s message: got %q, want French text", path, got)
		}
	}
}

func TestChallengeProblemSanitised(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")

	problem := strings.Join([]string{
		"Du **gras** et de l’_italique_.",
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"[y](JaVaScRiPt:alert(2))",
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(3)" onclick="alert(4)">lien</a>`,
		`<iframe src="https://evil.example"></iframe>`,
		"[ok](https://example.org)",
	}, "\n\n")
	form := newChallengeForm("Défi piégé")
	form.Set("problem", problem)
	form.Set("summary", `<script>alert("résumé")</script>`)
	r := c.Post("/defis", form)
	wantRedirect(t, r, "/defis/defi-piege")

	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	html, err := r.Doc.Find("[data-testid=problem]").Html()
	if err != nil {
		t.Fatal(err)
	}
	lower := strings.ToLower(html)
	for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "<iframe"} {
		if strings.Contains(lower, bad) {
			t.Errorf("problem HTML contains %q:\n%s", bad, html)
		}
	}
	if !strings.Contains(html, "<strong>gras</strong>") {
		t.Errorf("problem HTML: got %s, want <strong>gras</strong>", html)
	}
	if href := r.Doc.Find(`[data-testid=problem] a:contains("ok")`).AttrOr("href", ""); href != "https://example.org" {
		t.Errorf("safe link: got href %q, want %q", href, "https://example.org")
	}
	// Nowhere on the page, the summary included, does a script tag get through.
	if strings.Contains(strings.ToLower(r.Body), "<script") {
		t.Errorf("page contains <script:\n%s", r.Body)
	}
}

func TestChallengeQueriesBounded(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	lead := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	first := mustCreateChallenge(t, a, lead.ID, "Défi 1")
	mustCreateChallenge(t, a, lead.ID, "Défi 2")
	c := a.Client(t)
	porteur := a.Client(t) // sees the requests, the status form and the framing form too
	porteur.Login("alice@example.org", "motdepasse-solide")

	// queries returns the number of queries a GET of path by cl sends, after a warm-up.
	queries := func(cl *apptest.Client, path string) int64 {
		t.Helper()
		wantStatus(t, cl.Get(path), http.StatusOK)
		before := a.Queries.Count()
		wantStatus(t, cl.Get(path), http.StatusOK)
		return a.Queries.Count() - before
	}
	show := "/defis/" + first.Slug
	smallIndex, smallShow, smallLead := queries(c, "/defis"), queries(c, show), queries(porteur, show)

	for i := 3; i <= 30; i++ {
		mustCreateChallenge(t, a, lead.ID, fmt.Sprintf("Défi %d", i))
	}
	for i := 1; i <= 4; i++ {
		a.CreateUser(t, fmt.Sprintf("Membre %d", i), fmt.Sprintf("membre%d@example.org", i), "motdepasse-solide", fabrique.RoleContributor)
	}
	if _, err := a.SQL.Exec(ctx,
		`INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at)
		 SELECT c.id, u.id, 'member', 'accepted', now()
		 FROM challenges c CROSS JOIN users u WHERE u.id <> c.lead_id`); err != nil {
		t.Fatal(err)
	}
	// Pending requests, a long timeline, a framing edited many times, communs linked.
	for i := 1; i <= 5; i++ {
		u := a.CreateUser(t, fmt.Sprintf("Candidat %d", i), fmt.Sprintf("candidat%d@example.org", i), "motdepasse-solide", fabrique.RoleContributor)
		if err := a.DB.RequestToJoin(ctx, first.ID, u.ID, "Je peux aider."); err != nil {
			t.Fatal(err)
		}
	}
	mustExec := func(sql string, args ...any) {
		t.Helper()
		if _, err := a.SQL.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("exec %q: %v", sql, err)
		}
	}
	mustExec(`INSERT INTO challenge_status_changes (challenge_id, from_status, to_status, note, user_id)
		SELECT $1, 'identifie', 'equipe', 'note ' || i, $2 FROM generate_series(1, 6) i`, first.ID, lead.ID)
	mustExec(`INSERT INTO commons (slug, name) SELECT 'commun-' || i, 'Commun ' || i FROM generate_series(1, 3) i`)
	for i := 0; i < 8; i++ {
		if err := a.DB.SaveFraming(ctx, first.ID, lead, fabrique.Framing{Problems: fmt.Sprintf("Version %d", i)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(`INSERT INTO challenge_commons (challenge_id, commons_id) SELECT $1, id FROM commons`, first.ID)
	bigIndex, bigShow, bigLead := queries(c, "/defis"), queries(c, show), queries(porteur, show)

	if bigIndex != smallIndex {
		t.Errorf("/defis queries with 30 défis of 5 members: got %d, want %d (as with 2 défis)", bigIndex, smallIndex)
	}
	if bigShow != smallShow || bigLead != smallLead {
		t.Errorf("défi page queries with 5 members, 5 requests, 7 status changes, 8 framing edits, 3 communs: got %d (porteur %d), want %d (porteur %d) as when new",
			bigShow, bigLead, smallShow, smallLead)
	}
	// The défi page: the défi, then in one batch (counted query by query) its team rows,
	// its timeline, its framing sheet, the places section (places, linked communs), the
	// seed requests, the budget panel (figures, days by member, contributions) and its next
	// rendez-vous; the porteur adds the session and the account.
	if smallIndex > 5 || smallShow > 11 || smallLead > 15 {
		t.Errorf("queries per page: got /defis=%d, show=%d (porteur %d), want at most 5, 11 (15)", smallIndex, smallShow, smallLead)
	}

	// The data really grew: the page shows it.
	r := porteur.Get(show)
	for sel, want := range map[string]int{
		"[data-testid=team] li":              5,
		"[data-testid=join-request]":         5,
		"[data-testid=timeline] li":          7,
		"[data-testid=framing-revision]":     5, // the last five of eight
		"[data-testid=framing-solutions] li": 3,
	} {
		if got := r.Doc.Find(sel).Length(); got != want {
			t.Errorf("%s on the défi page: got %d, want %d", sel, got, want)
		}
	}
	if got := porteur.Get(show + "/cadrage").Doc.Find("[data-testid=field-solution_commons] input").Length(); got != 3 {
		t.Errorf("communs to tick on the framing's edit page: got %d, want 3", got)
	}
	r = c.Get("/defis")
	if got := text(r, `[data-slug="defi-30"] [data-testid=team-size]`); got != "5 membres" {
		t.Errorf("team size on the list: got %q, want %q", got, "5 membres")
	}
}
