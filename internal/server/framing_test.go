package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

// mustCommonsRow inserts a commun and returns its id as a form value.
func (s *teamSetup) mustCommonsRow(t *testing.T, slug, name string) string {
	t.Helper()
	var id string
	if err := s.a.SQL.QueryRow(t.Context(),
		`INSERT INTO commons (slug, name) VALUES ($1, $2) RETURNING id::text`, slug, name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// links returns the défi's links to communs as "slug:relation", sorted.
func (s *teamSetup) links(t *testing.T) string {
	t.Helper()
	var out string
	if err := s.a.SQL.QueryRow(t.Context(),
		`SELECT coalesce(string_agg(co.slug || ':' || l.relation, ',' ORDER BY co.slug), '')
		 FROM challenge_commons l JOIN commons co ON co.id = l.commons_id WHERE l.challenge_id = $1`, s.ch.ID).Scan(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFramingEdit(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	s.member(t, s.bobC, s.bob)
	movilab, dokos := s.mustCommonsRow(t, "movilab", "Movilab"), s.mustCommonsRow(t, "dokos", "Dokos")
	loot := s.mustCommonsRow(t, "loot", "Loot")
	if _, err := s.a.SQL.Exec(t.Context(),
		`INSERT INTO challenge_commons (challenge_id, commons_id, relation) VALUES ($1, $2::bigint, 'origine')`, s.ch.ID, loot); err != nil {
		t.Fatal(err)
	}
	revisions := func() int {
		return countRows(t, s.a, `SELECT count(*) FROM challenge_framing_revisions WHERE challenge_id = $1`, s.ch.ID)
	}
	with := func(extra url.Values) url.Values {
		f := completeFramingForm()
		for k, v := range extra {
			f[k] = v
		}
		return f
	}

	// Only editors get the link to the edit page, and the page.
	for _, tt := range []struct {
		name string
		c    *apptest.Client
		want int
	}{
		{"anonymous", s.anC, 0},
		{"contributor", s.carolC, 0},
		{"member", s.bobC, 1},
		{"coordinator", s.coordC, 1},
	} {
		r := tt.c.Get(s.path())
		if got := r.Doc.Find(`a[data-testid=framing-edit][href="` + s.path("cadrage") + `"]`).Length(); got != tt.want {
			t.Errorf("link to the framing form for %s: got %d, want %d", tt.name, got, tt.want)
		}
		if got := r.Doc.Find("[data-testid=framing-form], [data-testid=field-solution_commons]").Length(); got != 0 {
			t.Errorf("the défi's page holds the framing form for %s", tt.name)
		}
	}
	wantLogin(t, s.anC.Get(s.path("cadrage")))
	wantStatus(t, s.carolC.Get(s.path("cadrage")), http.StatusForbidden)
	wantStatus(t, s.bobC.Get("/defis/n-existe-pas/cadrage"), http.StatusNotFound)
	for _, c := range []*apptest.Client{s.bobC, s.coordC} {
		r := c.Get(s.path("cadrage"))
		wantStatus(t, r, http.StatusOK)
		if got := r.Doc.Find(`form[method=post][action="` + s.path("cadrage") + `"][data-testid=framing-form]`).Length(); got != 1 {
			t.Errorf("edit page: got %d forms, want 1", got)
		}
		if got := r.Doc.Find(`[data-testid=field-solution_commons] input[value="` + dokos + `"]`).Length(); got != 1 {
			t.Errorf("edit page: Dokos is not among the communs to tick")
		}
	}

	wantLogin(t, s.anC.Post(s.path("cadrage"), completeFramingForm()))
	wantStatus(t, s.carolC.Post(s.path("cadrage"), completeFramingForm()), http.StatusForbidden)
	wantStatus(t, s.carolC.Post(s.path("cadrage"), with(url.Values{"problems": {strings.Repeat("x", 20001)}})), http.StatusForbidden)
	wantStatus(t, s.bobC.Post("/defis/n-existe-pas/cadrage", completeFramingForm()), http.StatusNotFound)
	if got := revisions(); got != 0 {
		t.Fatalf("revisions after refused edits: got %d, want 0", got)
	}

	wantRedirect(t, s.bobC.Post(s.path("cadrage"), with(url.Values{"solution_commons": {movilab, dokos}})), s.path()+"#titre-cadrage")
	if got := revisions(); got != 1 {
		t.Errorf("revisions: got %d, want 1", got)
	}
	if got := countRows(t, s.a, `SELECT count(*) FROM challenge_framings WHERE challenge_id = $1 AND updated_by = $2 AND problems = $3`,
		s.ch.ID, s.bob.ID, "Les fablabs travaillent **seuls**."); got != 1 {
		t.Errorf("framing row by Bob: got %d, want 1", got)
	}
	if got, want := s.links(t), "dokos:solution,loot:origine,movilab:solution"; got != want {
		t.Errorf("links: got %s, want %s", got, want)
	}

	r := s.anC.Get(s.path())
	if got := text(r, "[data-testid=framing-problems] strong"); got != "seuls" {
		t.Errorf("problems rendered: got %q, want the Markdown bold", got)
	}
	if got := r.Doc.Find("[data-testid=framing-use_cases] li").Length(); got != 2 {
		t.Errorf("use cases rendered: got %d items, want 2", got)
	}
	var hrefs []string
	r.Doc.Find("[data-testid=framing-solutions] a").Each(func(_ int, a *goquery.Selection) { hrefs = append(hrefs, a.AttrOr("href", "")) })
	if got := strings.Join(hrefs, ","); got != "/communs/dokos,/communs/movilab" {
		t.Errorf("solution links: got %s, want /communs/dokos,/communs/movilab", got)
	}
	if got := text(r, "[data-testid=framing-updated]"); !strings.Contains(got, "Modifié par Bob Durand le") {
		t.Errorf("updated: got %q, want Bob named", got)
	}
	if got := text(r, "[data-testid=framing-history]"); !strings.Contains(got, "Bob Durand") {
		t.Errorf("history: got %q, want Bob's edit", got)
	}

	// Replacing the solutions keeps the origin; the coordinator may edit too.
	wantRedirect(t, s.coordC.Post(s.path("cadrage"), with(url.Values{"solution_commons": {dokos, loot}})), s.path()+"#titre-cadrage")
	if got, want := s.links(t), "dokos:solution,loot:origine"; got != want {
		t.Errorf("links after replacing: got %s, want %s", got, want)
	}
	r = s.bobC.Get(s.path())
	edit := s.bobC.Get(s.path("cadrage"))
	if got := r.Doc.Find("[data-testid=framing-history] [data-testid=framing-revision]").Length(); got != 2 {
		t.Errorf("history: got %d revisions, want 2", got)
	}
	if got := strings.Fields(text(r, "[data-testid=framing-revision]")); len(got) == 0 || got[0] != "Camille" {
		t.Errorf("newest revision first: got %v, want Camille's", got)
	}
	if _, ok := edit.Doc.Find(`[data-testid=field-solution_commons] input[value="` + dokos + `"]`).Attr("checked"); !ok {
		t.Errorf("edit form: Dokos not ticked")
	}
	if _, ok := edit.Doc.Find(`[data-testid=field-solution_commons] input[value="` + movilab + `"]`).Attr("checked"); ok {
		t.Errorf("edit form: Movilab ticked, no longer a solution")
	}
	if got := edit.Doc.Find("textarea[name=problems]").Text(); got != "Les fablabs travaillent **seuls**." {
		t.Errorf("edit form: problems %q, want the Markdown saved", got)
	}

	// Invalid edits: 422, errors by field, nothing saved.
	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"too long", with(url.Values{"approach": {strings.Repeat("é", 20001)}}), "approach", "Ce champ ne doit pas dépasser 20 000 caractères."},
		{"bogus commun", with(url.Values{"solution_commons": {"abc"}}), "solution_commons", "Un des communs choisis n’existe pas dans la cartographie."},
		{"unknown commun", with(url.Values{"solution_commons": {dokos, "999999"}}), "solution_commons", "Un des communs choisis n’existe pas dans la cartographie."},
		{"huge id", with(url.Values{"solution_commons": {"99999999999999999999999"}}), "solution_commons", "Un des communs choisis n’existe pas dans la cartographie."},
	} {
		r := s.bobC.Post(s.path("cadrage"), tt.form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := text(r, "[data-testid=field-"+tt.field+"] [data-testid=error-"+tt.field+"]"); got != tt.want {
			t.Errorf("%s: got error %q, want %q", tt.name, got, tt.want)
		}
		if got := r.Doc.Find("[data-testid=framing-form]").Length(); got != 1 {
			t.Errorf("%s: got %d edit forms, want 1", tt.name, got)
		}
		if got := r.Doc.Find("textarea[name=next_steps]").Text(); !strings.Contains(got, "Prototype") {
			t.Errorf("%s: the form lost what was typed: %q", tt.name, got)
		}
	}
	if got := revisions(); got != 2 {
		t.Errorf("revisions after invalid edits: got %d, want 2", got)
	}
	if got, want := s.links(t), "dokos:solution,loot:origine"; got != want {
		t.Errorf("links after invalid edits: got %s, want %s", got, want)
	}
}

func TestFramingCompleteness(t *testing.T) {
	t.Parallel()
	s := newTeamSetup(t)
	missing := func() []string {
		var out []string
		s.anC.Get(s.path()).Doc.Find("[data-testid=framing-missing] li").Each(func(_ int, li *goquery.Selection) {
			out = append(out, strings.TrimSpace(li.Text()))
		})
		return out
	}
	if got, want := strings.Join(missing(), ","), "Problèmes,Cas d’usage,Solutions ouvertes existantes,Démarche de conception,Prochaines étapes de développement"; got != want {
		t.Errorf("missing before any edit: got %s, want %s", got, want)
	}
	if got := s.anC.Get(s.path()).Doc.Find("[data-testid=framing-complete]").Length(); got != 0 {
		t.Errorf("complete mark before any edit: got %d, want 0", got)
	}

	partial := completeFramingForm()
	partial.Set("approach", "  ")
	partial.Set("use_cases", "")
	partial.Set("actors", "") // optional: never listed as missing
	wantRedirect(t, s.leadC.Post(s.path("cadrage"), partial), s.path()+"#titre-cadrage")
	if got, want := strings.Join(missing(), ","), "Cas d’usage,Démarche de conception"; got != want {
		t.Errorf("missing after a partial edit: got %s, want %s", got, want)
	}

	full := completeFramingForm()
	full.Set("actors", "")
	wantRedirect(t, s.leadC.Post(s.path("cadrage"), full), s.path()+"#titre-cadrage")
	r := s.anC.Get(s.path())
	if got := r.Doc.Find("[data-testid=framing-missing]").Length(); got != 0 {
		t.Errorf("missing list once complete: got %d, want 0", got)
	}
	if got := text(r, "[data-testid=framing-complete]"); !strings.HasPrefix(got, "Cadrage complet") {
		t.Errorf("complete mark: got %q, want Cadrage complet", got)
	}
}
