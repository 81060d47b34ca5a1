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
	"github.com/fabrique-a-communs/fabrique/internal/demo"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// mustCreateCommons adds a commun directly in the store.
func mustCreateCommons(tb testing.TB, a *apptest.App, f fabrique.CommonsForm) *fabrique.Commons {
	tb.Helper()
	if f.Summary == "" {
		f.Summary = "Le commun " + f.Name + "."
	}
	c, err := a.DB.CreateCommons(context.Background(), f)
	if err != nil {
		tb.Fatalf("create commons %q: %v", f.Name, err)
	}
	return c
}

// commonsForm is a valid "POST /communs" form.
func commonsForm(name string) url.Values {
	return url.Values{
		"name": {name}, "kind": {"logiciel"}, "summary": {"Un ERP open source adapté aux tiers-lieux."},
		"description": {"Dokos est un **ERP**.\n\n<script>alert(1)</script>"}, "licence": {"GPL-3.0"},
		"website": {"https://dokos.io"}, "source_url": {"https://gitlab.com/dokos/dokos"}, "movilab_url": {"https://movilab.org/wiki/Dokos"},
	}
}

// commonsSlugs returns the data-slug of each commun card, in page order.
func commonsSlugs(r *apptest.Response) []string {
	var out []string
	r.Doc.Find("[data-testid=commons-list] [data-testid=commons]").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-slug", ""))
	})
	return out
}

func TestCommonsIndex(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	r := a.Client(t).Get("/communs")
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=empty]").Length() != 1 {
		t.Error("no empty state on an empty cartographie")
	}

	ctx := context.Background()
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	dokos := mustCreateCommons(t, a, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Licence: "GPL-3.0", Summary: "Un ERP pour les tiers-lieux."})
	mustCreateCommons(t, a, fabrique.CommonsForm{Name: "Movilab", Kind: "documentation", Licence: "CC BY-SA"})
	for i := 1; i <= 21; i++ {
		mustCreateCommons(t, a, fabrique.CommonsForm{Name: fmt.Sprintf("Méthode %02d", i), Kind: "methode"})
	}
	for _, title := range []string{"Gérer un tiers-lieu", "Réserver les salles"} {
		ch := mustCreateChallenge(t, a, alice.ID, title)
		if _, err := a.SQL.Exec(ctx, `INSERT INTO challenge_commons (challenge_id, commons_id) VALUES ($1, $2)`, ch.ID, dokos.ID); err != nil {
			t.Fatal(err)
		}
	}
	p := mustCreatePlace(t, a, alice.ID, "Atelier des Pentes", "Bretagne")
	if _, err := a.DB.DeclareCommonsPlace(ctx, dokos.ID, p.ID, alice.ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		path  string
		cards int
		first string
		total string
		kind  string // every card's data-kind, "" to skip
	}{
		{"/communs", 20, "dokos", "23 communs", ""},
		{"/communs?page=2", 3, "methode-20", "23 communs", ""},
		{"/communs?type=logiciel", 1, "dokos", "1 commun", "logiciel"},
		{"/communs?type=methode&page=2", 1, "methode-21", "21 communs", "methode"},
		{"/communs?type=donnees", 0, "", "0 commun", ""},
		{"/communs?type=Logiciel", 20, "dokos", "23 communs", ""},
		{"/communs?type=%3Cscript%3E&page=zz&q=1", 20, "dokos", "23 communs", ""},
		{"/communs?page=50", 0, "", "23 communs", ""},
	}
	c := a.Client(t)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			r := c.Get(tt.path)
			wantStatus(t, r, http.StatusOK)
			got := commonsSlugs(r)
			if len(got) != tt.cards {
				t.Errorf("cards: got %d, want %d", len(got), tt.cards)
			}
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("first card: got %v, want %s", got, tt.first)
			}
			if (len(got) == 0) != (r.Doc.Find("[data-testid=empty]").Length() == 1) {
				t.Error("empty state shown with cards, or missing without")
			}
			if got := text(r, "[data-testid=total]"); got != tt.total {
				t.Errorf("total: got %q, want %q", got, tt.total)
			}
			if tt.kind != "" {
				r.Doc.Find("[data-testid=commons]").Each(func(i int, s *goquery.Selection) {
					if k := s.AttrOr("data-kind", ""); k != tt.kind {
						t.Errorf("card %d kind: got %q, want %q", i, k, tt.kind)
					}
				})
			}
		})
	}

	r = c.Get("/communs?type=logiciel")
	card := r.Doc.Find(`[data-testid=commons][data-slug=dokos]`)
	for sel, want := range map[string]string{
		"h2 a": "Dokos", "[data-testid=kind]": "Logiciel", "[data-testid=licence]": "GPL-3.0",
		"[data-testid=challenges-count]": "2 défis", "[data-testid=places-count]": "1 tiers-lieu",
	} {
		if got := strings.TrimSpace(card.Find(sel).Text()); got != want {
			t.Errorf("card %s: got %q, want %q", sel, got, want)
		}
	}
	if !strings.Contains(card.Text(), "Un ERP pour les tiers-lieux.") {
		t.Error("card without its summary")
	}
	var labels []string
	r.Doc.Find(`select[name=type] option[value!=""]`).Each(func(_ int, s *goquery.Selection) {
		labels = append(labels, s.Text())
	})
	if got := strings.Join(labels, ","); got != "Logiciel,Méthode,Documentation,Données,Matériel,Autre" {
		t.Errorf("type filter labels: got %s", got)
	}
	if next := c.Get("/communs?type=methode").Doc.Find(".pagination a[rel=next]").AttrOr("href", ""); next != "/communs?type=methode&page=2" {
		t.Errorf("next link: got %q, want the type kept", next)
	}
	// Only coordinators are offered to add a commun.
	if n := r.Doc.Find(`a[href="/communs/nouveau"]`).Length(); n != 0 {
		t.Errorf("add link for a visitor: got %d, want 0", n)
	}
}

func TestCommonsShow(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	k := mustCreateCommons(t, a, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Licence: "GPL-3.0",
		Description: "Un **ERP** libre.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
		Website:     "https://dokos.io", SourceURL: "https://gitlab.com/dokos/dokos", MovilabURL: "https://movilab.org/wiki/Dokos"})
	origin := mustCreateChallenge(t, a, alice.ID, "Gérer un tiers-lieu")
	solution := mustCreateChallenge(t, a, alice.ID, "Réserver les salles")
	if _, err := a.SQL.Exec(ctx, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $3, 'origine'), ($2, $3, 'solution')`,
		origin.ID, solution.ID, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SQL.Exec(ctx, `UPDATE challenges SET status = 'developpement' WHERE id = $1`, origin.ID); err != nil {
		t.Fatal(err)
	}
	p := mustCreatePlace(t, a, alice.ID, "Atelier des Pentes", "Bretagne")
	if _, err := a.DB.DeclareCommonsPlace(ctx, k.ID, p.ID, alice.ID); err != nil {
		t.Fatal(err)
	}

	r := a.Client(t).Get("/communs/dokos")
	wantStatus(t, r, http.StatusOK)
	for sel, want := range map[string]string{
		"h1": "Dokos", "[data-testid=commons-page] [data-testid=kind]": "Logiciel",
		"[data-testid=commons-page] [data-testid=licence]": "GPL-3.0", "[data-testid=description] strong": "ERP",
		"[data-testid=places-count]": "1 tiers-lieu",
	} {
		if got := text(r, sel); got != want {
			t.Errorf("%s: got %q, want %q", sel, got, want)
		}
	}
	if html, _ := r.Doc.Find("[data-testid=description]").Html(); strings.Contains(strings.ToLower(html), "<script") || strings.Contains(html, "javascript:") {
		t.Errorf("description not sanitised: %s", html)
	}
	for testid, href := range map[string]string{"website": "https://dokos.io", "source": "https://gitlab.com/dokos/dokos", "movilab": "https://movilab.org/wiki/Dokos"} {
		link := r.Doc.Find("[data-testid=commons-links] [data-testid=" + testid + "]")
		if link.AttrOr("href", "") != href || !strings.Contains(link.AttrOr("rel", ""), "nofollow") {
			t.Errorf("%s link: got href %q rel %q, want %s with nofollow", testid, link.AttrOr("href", ""), link.AttrOr("rel", ""), href)
		}
	}
	var got []string
	r.Doc.Find("[data-testid=commons-challenges] [data-testid=commons-challenge]").Each(func(_ int, s *goquery.Selection) {
		got = append(got, fmt.Sprintf("%s|%s|%s", s.AttrOr("data-slug", ""), strings.TrimSpace(s.Find("[data-testid=relation]").Text()),
			s.Find("[data-testid=status]").AttrOr("data-status", "")))
	})
	want := []string{origin.Slug + "|Commun issu du défi|developpement", solution.Slug + "|Solution existante|identifie"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("défis: got %v, want %v", got, want)
	}
	if n := r.Doc.Find(`[data-testid=commons-places] a[href="/tiers-lieux/atelier-des-pentes"]`).Length(); n != 1 {
		t.Errorf("place using it: got %d links, want 1", n)
	}
	if n := r.Doc.Find(`a[href="/communs/dokos/modifier"]`).Length(); n != 0 {
		t.Errorf("edit link for a visitor: got %d, want 0", n)
	}

	// The défi's page shows the commun with its relation.
	r = a.Client(t).Get("/defis/" + origin.Slug)
	item := r.Doc.Find(`[data-testid=linked-commons] [data-slug=dokos]`)
	if item.Find(`a[href="/communs/dokos"]`).Length() != 1 || strings.TrimSpace(item.Find("[data-testid=relation]").Text()) != "Commun issu du défi" {
		t.Errorf("linked commun on the défi: got %q", strings.Join(strings.Fields(item.Text()), " "))
	}
	r = a.Client(t).Get("/defis/" + solution.Slug)
	if got := text(r, "[data-testid=linked-commons] [data-testid=relation]"); got != "Solution existante" {
		t.Errorf("relation on the solution défi: got %q", got)
	}

	for _, path := range []string{"/communs/n-existe-pas", "/communs/%C3%A9t%C3%A9", "/communs/" + strings.Repeat("x", 300)} {
		r := a.Client(t).Get(path)
		wantStatus(t, r, http.StatusNotFound)
		if got := text(r, "h1"); got != "Page introuvable" {
			t.Errorf("%s h1: got %q, want %q", path, got, "Page introuvable")
		}
	}
}

func TestCommonsCreateEdit(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	a.CreateUser(t, "Carol Petit", "carol@example.org", "motdepasse-solide", fabrique.RoleCoordinator)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)

	anon := a.Client(t)
	wantRedirect(t, anon.Get("/communs/nouveau"), "/connexion?suivant=%2Fcommuns%2Fnouveau")
	if r := anon.Post("/communs", commonsForm("Dokos")); !isLoginRedirect(r) {
		t.Errorf("anonymous create: got %d %q, want 303 to /connexion", r.StatusCode, r.Location())
	}
	alice := a.Client(t)
	alice.Login("alice@example.org", "motdepasse-solide")
	wantStatus(t, alice.Get("/communs/nouveau"), http.StatusForbidden)
	wantStatus(t, alice.Post("/communs", commonsForm("Dokos")), http.StatusForbidden)
	if got := countRows(t, a, `SELECT count(*) FROM commons`); got != 0 {
		t.Fatalf("commons after refused creations: got %d, want 0", got)
	}

	carol := a.Client(t)
	carol.Login("carol@example.org", "motdepasse-solide")
	r := carol.Get("/communs/nouveau")
	wantStatus(t, r, http.StatusOK)
	for _, field := range []string{"name", "kind", "summary", "description", "licence", "website", "source_url", "movilab_url"} {
		if n := r.Doc.Find(`form[method=post][action="/communs"] [name=` + field + `]`).Length(); n != 1 {
			t.Errorf("field %s in the form: got %d, want 1", field, n)
		}
	}
	r = carol.Post("/communs", commonsForm("Dokos"))
	wantRedirect(t, r, "/communs/dokos")
	var kind, licence, website, source, movilab string
	if err := a.SQL.QueryRow(context.Background(),
		`SELECT kind, licence, website, source_url, movilab_url FROM commons WHERE slug = 'dokos'`).Scan(&kind, &licence, &website, &source, &movilab); err != nil {
		t.Fatal(err)
	}
	if kind != "logiciel" || licence != "GPL-3.0" || website != "https://dokos.io" || source != "https://gitlab.com/dokos/dokos" || movilab != "https://movilab.org/wiki/Dokos" {
		t.Errorf("commons row: got (%s, %s, %s, %s, %s)", kind, licence, website, source, movilab)
	}
	r = carol.Follow(r)
	if text(r, "[data-testid=flash]") == "" || text(r, "h1") != "Dokos" {
		t.Errorf("after creation: got flash %q, h1 %q", text(r, "[data-testid=flash]"), text(r, "h1"))
	}
	if n := r.Doc.Find(`a[href="/communs/dokos/modifier"]`).Length(); n != 1 {
		t.Errorf("edit link for a coordinator: got %d, want 1", n)
	}
	wantRedirect(t, carol.Post("/communs", commonsForm("Dokos")), "/communs/dokos-2")

	// Invalid forms, on creation and on edit.
	with := func(field, value string) url.Values {
		f := commonsForm("Loot")
		f.Set(field, value)
		return f
	}
	const badURL = "Indiquez une adresse web complète, commençant par https:// ou http://."
	tests := []struct {
		form  url.Values
		field string
		want  string
	}{
		{with("name", ""), "name", "Indiquez le nom du commun."},
		{with("kind", "jeu"), "kind", "Choisissez un type de commun."},
		{with("kind", ""), "kind", "Choisissez un type de commun."},
		{with("summary", " "), "summary", "Résumez le commun en une ou deux phrases."},
		{with("website", "dokos.io"), "website", badURL},
		{with("source_url", "javascript:alert(1)"), "source_url", badURL},
		{with("movilab_url", "movilab"), "movilab_url", badURL},
	}
	for _, path := range []string{"/communs", "/communs/dokos/modifier"} {
		for _, tt := range tests {
			r := carol.Post(path, tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if got := text(r, "[data-testid=field-"+tt.field+"] [data-testid=error-"+tt.field+"]"); got != tt.want {
				t.Errorf("%s, error on %s: got %q, want %q", path, tt.field, got, tt.want)
			}
			if n := r.Doc.Find(".field-error").Length(); n != 1 {
				t.Errorf("%s, %s: got %d field errors, want 1", path, tt.field, n)
			}
		}
	}
	if got := countRows(t, a, `SELECT count(*) FROM commons WHERE name <> 'Dokos'`); got != 0 {
		t.Errorf("commons changed by invalid forms: got %d, want 0", got)
	}

	// Edit: the form is filled, a rename keeps the slug.
	wantStatus(t, alice.Get("/communs/dokos/modifier"), http.StatusForbidden)
	wantStatus(t, alice.Post("/communs/dokos/modifier", commonsForm("Volé")), http.StatusForbidden)
	r = carol.Get("/communs/dokos/modifier")
	wantStatus(t, r, http.StatusOK)
	if got := r.Doc.Find(`form[action="/communs/dokos/modifier"] [name=name]`).AttrOr("value", ""); got != "Dokos" {
		t.Errorf("edit form name: got %q, want Dokos", got)
	}
	if got := r.Doc.Find(`select[name=kind] option[selected]`).AttrOr("value", ""); got != "logiciel" {
		t.Errorf("edit form kind: got %q, want logiciel", got)
	}
	edit := commonsForm("Dokos ERP")
	edit.Set("kind", "autre")
	edit.Set("source_url", "")
	wantRedirect(t, carol.Post("/communs/dokos/modifier", edit), "/communs/dokos")
	if err := a.SQL.QueryRow(context.Background(), `SELECT kind, source_url FROM commons WHERE slug = 'dokos' AND name = 'Dokos ERP'`).Scan(&kind, &source); err != nil {
		t.Fatalf("renamed commun under its old slug: %v", err)
	}
	if kind != "autre" || source != "" {
		t.Errorf("after edit: got kind %q source %q, want autre and none", kind, source)
	}
	if got := text(carol.Get("/communs/dokos"), "h1"); got != "Dokos ERP" {
		t.Errorf("h1 after rename: got %q", got)
	}
	wantStatus(t, carol.Get("/communs/n-existe-pas/modifier"), http.StatusNotFound)
	wantStatus(t, carol.Post("/communs/n-existe-pas/modifier", edit), http.StatusNotFound)
}

func TestCommonsPlaceDeclare(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	k := mustCreateCommons(t, a, fabrique.CommonsForm{Name: "Movilab", Kind: "documentation"})
	p := mustCreatePlace(t, a, bob.ID, "Le Hangar", "Bretagne")
	path := "/communs/" + k.Slug
	rows := func() int { return countRows(t, a, `SELECT count(*) FROM commons_places WHERE commons_id = $1`, k.ID) }

	bobC := a.Client(t)
	bobC.Login("bob@example.org", "motdepasse-solide")
	r := bobC.Get(path)
	form := r.Doc.Find(`form[method=post][action="` + path + `/tiers-lieux"]`)
	if form.Find(`option[value="`+idStr(p.ID)+`"]`).Length() != 1 || strings.TrimSpace(form.Find("button").Text()) != "Nous utilisons ce commun" {
		t.Fatalf("declare form for Bob: got %q", strings.Join(strings.Fields(form.Text()), " "))
	}
	wantRedirect(t, bobC.Post(path+"/tiers-lieux", url.Values{"place_id": {idStr(p.ID)}}), path)
	wantRedirect(t, bobC.Post(path+"/tiers-lieux", url.Values{"place_id": {idStr(p.ID)}}), path)
	if got := rows(); got != 1 {
		t.Errorf("rows after declaring twice: got %d, want 1", got)
	}
	r = bobC.Get(path)
	if n := r.Doc.Find(`[data-testid=commons-places] a[href="/tiers-lieux/le-hangar"]`).Length(); n != 1 {
		t.Errorf("place on the commun's page: got %d, want 1", n)
	}
	if n := r.Doc.Find(`form[action="` + path + `/tiers-lieux"]`).Length(); n != 0 {
		t.Errorf("declare form once declared: got %d, want 0", n)
	}
	if got := text(a.Client(t).Get("/communs"), `[data-slug=movilab] [data-testid=places-count]`); got != "1 tiers-lieu" {
		t.Errorf("count on the list: got %q, want 1 tiers-lieu", got)
	}
	if n := a.Client(t).Get("/tiers-lieux/le-hangar").Doc.Find(`[data-testid=place-commons] a[href="/communs/movilab"]`).Length(); n != 1 {
		t.Errorf("commun on the place's page: got %d, want 1", n)
	}

	aliceC := a.Client(t)
	aliceC.Login("alice@example.org", "motdepasse-solide")
	wantStatus(t, aliceC.Post(path+"/tiers-lieux", url.Values{"place_id": {idStr(p.ID)}}), http.StatusForbidden)
	for _, v := range []string{"", "x", "0", "999999", "1.5"} {
		r := aliceC.Post(path+"/tiers-lieux", url.Values{"place_id": {v}})
		if r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusNotFound {
			t.Errorf("place_id %q: got status %d, want 422 or 404", v, r.StatusCode)
		}
	}
	wantStatus(t, aliceC.Post("/communs/n-existe-pas/tiers-lieux", url.Values{"place_id": {idStr(p.ID)}}), http.StatusNotFound)
	if got := rows(); got != 1 {
		t.Errorf("rows: got %d, want 1", got)
	}
}

// TestDemoPages checks the pages `make run` shows on the demo data.
func TestDemoPages(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	if _, err := demo.Demo(context.Background(), a.DB, a.SQL); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)

	r := c.Get("/communs/movilab")
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "h1"); got != "Movilab" {
		t.Errorf("h1: got %q, want Movilab", got)
	}
	if got := text(r, "[data-testid=commons-page] [data-testid=kind]"); got != "Documentation" {
		t.Errorf("kind: got %q, want Documentation", got)
	}
	if got := text(r, "[data-testid=commons-page] [data-testid=licence]"); got != "CC BY-SA" {
		t.Errorf("licence: got %q, want CC BY-SA", got)
	}
	if got := r.Doc.Find("[data-testid=commons-links] [data-testid=website]").AttrOr("href", ""); got != "https://movilab.org" {
		t.Errorf("website: got %q", got)
	}
	if got := text(r, "[data-testid=description] strong"); !strings.Contains(got, "premier wiki des tiers-lieux") {
		t.Errorf("description: got strong %q, want the Markdown rendered", got)
	}
	challenges := r.Doc.Find("[data-testid=commons-challenges] [data-testid=commons-challenge]")
	if challenges.Length() < 2 {
		t.Errorf("défis answered by Movilab: got %d, want the seeded links", challenges.Length())
	}
	challenges.Each(func(i int, s *goquery.Selection) {
		if rel := strings.TrimSpace(s.Find("[data-testid=relation]").Text()); rel != "Solution existante" && rel != "Commun issu du défi" {
			t.Errorf("défi %d relation: got %q", i, rel)
		}
		if s.Find("[data-testid=status]").Length() != 1 {
			t.Errorf("défi %d: no status badge", i)
		}
	})

	r = c.Get("/tiers-lieux")
	wantStatus(t, r, http.StatusOK)
	want := countRows(t, a, `SELECT count(*) FROM places`)
	if got := len(placeSlugs(r)); got != want || got == 0 {
		t.Errorf("places listed: got %d, want the %d seeded", got, want)
	}
	r.Doc.Find("[data-testid=place]").Each(func(_ int, s *goquery.Selection) {
		slug := s.AttrOr("data-slug", "")
		members := countRows(t, a, `SELECT count(*) FROM place_members m JOIN places p ON p.id = m.place_id WHERE p.slug = $1`, slug)
		defis := countRows(t, a, `SELECT count(*) FROM challenge_places cp JOIN places p ON p.id = cp.place_id WHERE p.slug = $1`, slug)
		if got, want := strings.TrimSpace(s.Find("[data-testid=challenges-count]").Text()), fmt.Sprintf("%d défi", defis); !strings.HasPrefix(got, want) {
			t.Errorf("%s défis: got %q, want %q", slug, got, want)
		}
		if got, want := strings.TrimSpace(s.Find("[data-testid=members-count]").Text()), fmt.Sprintf("%d membre", members); !strings.HasPrefix(got, want) {
			t.Errorf("%s members: got %q, want %q", slug, got, want)
		}
		if s.Find("[data-testid=region]").Text() == "" {
			t.Errorf("%s: no region", slug)
		}
	})

	r = c.Get("/communs")
	wantStatus(t, r, http.StatusOK)
	if got := strings.Join(commonsSlugs(r), ","); got != "cahier-d-activites,dokos,loot,movilab" {
		t.Errorf("communs: got %s, want the four of the programme", got)
	}
	// A seeded défi with places shows them on its page.
	var slug string
	var n int
	if err := a.SQL.QueryRow(context.Background(),
		`SELECT c.slug, count(*) FROM challenges c JOIN challenge_places cp ON cp.challenge_id = c.id
		 GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1`).Scan(&slug, &n); err != nil {
		t.Fatal(err)
	}
	r = c.Get("/defis/" + slug)
	wantStatus(t, r, http.StatusOK)
	if got := len(concernedSlugs(r)); got != n {
		t.Errorf("places on the seeded défi %s: got %d, want %d", slug, got, n)
	}
}
