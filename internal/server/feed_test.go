package server_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/app"
	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// atomDoc is what a feed reader reads of /defis.atom.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []atomDocEntry `xml:"entry"`
}

type atomDocEntry struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Updated string `xml:"updated"`
	Link    struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Summary string `xml:"summary"`
}

// getFeed fetches and parses the Atom feed.
func getFeed(tb testing.TB, c *apptest.Client) (*apptest.Response, atomDoc) {
	tb.Helper()
	r := c.Get("/defis.atom")
	wantStatus(tb, r, http.StatusOK)
	if got, want := r.Header.Get("Content-Type"), "application/atom+xml; charset=utf-8"; got != want {
		tb.Errorf("Content-Type: got %q, want %q", got, want)
	}
	var doc atomDoc
	if err := xml.Unmarshal([]byte(r.Body), &doc); err != nil {
		tb.Fatalf("parse the feed: %v\n%s", err, r.Body)
	}
	return r, doc
}

func TestChallengeFeed(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	coord := a.CreateUser(t, "Claire Coordination", "claire@example.org", "motdepasse-solide", fabrique.RoleCoordinator)
	fablabs := mustCreateChallengeText(t, a, alice.ID, "Réseau des fablabs", "Relier les fablabs.", "Ils travaillent seuls.")
	tricky := mustCreateChallengeText(t, a, alice.ID, `Les <outils> & "co"`, "Résumé <b>gras</b> & co.", "Problème.")
	// The history, dated so the order does not depend on the speed of the test.
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	mustExecSQL(t, a, `UPDATE challenge_status_changes SET created_at = $2 WHERE challenge_id = $1`, fablabs.ID, t0)
	mustExecSQL(t, a, `UPDATE challenge_status_changes SET created_at = $2 WHERE challenge_id = $1`, tricky.ID, t0.Add(time.Hour))
	mustExecSQL(t, a, `UPDATE challenges SET status = 'equipe' WHERE id = $1`, fablabs.ID)
	mustExecSQL(t, a, `INSERT INTO challenge_status_changes (challenge_id, from_status, to_status, note, user_id, created_at)
		VALUES ($1, 'identifie', 'equipe', 'Bob nous rejoint.', $2, $3)`, fablabs.ID, coord.ID, t0.Add(2*time.Hour))

	c := a.Client(t)
	r, feed := getFeed(t, c)
	if got, want := feed.Title, "Défis de la Fabrique à communs des tiers-lieux"; got != want {
		t.Errorf("feed title: got %q, want %q", got, want)
	}
	if feed.ID == "" {
		t.Errorf("feed id: got none")
	}
	if got, want := feed.Updated, "2026-03-01T11:00:00Z"; got != want {
		t.Errorf("feed updated: got %q, want %q (the latest entry)", got, want)
	}
	self := ""
	for _, l := range feed.Links {
		if l.Rel == "self" {
			self = l.Href
		}
	}
	if want := a.URL() + "/defis.atom"; self != want {
		t.Errorf("self link: got %q, want %q", self, want)
	}

	want := []struct{ title, link, updated, author, summary string }{
		{"Réseau des fablabs : Équipe constituée", "/defis/" + fablabs.Slug, "2026-03-01T11:00:00Z", "Claire Coordination", "Bob nous rejoint."},
		{`Nouveau défi : Les <outils> & "co"`, "/defis/" + tricky.Slug, "2026-03-01T10:00:00Z", "Alice Martin", "Résumé <b>gras</b> & co."},
		{"Nouveau défi : Réseau des fablabs", "/defis/" + fablabs.Slug, "2026-03-01T09:00:00Z", "Alice Martin", "Relier les fablabs."},
	}
	if len(feed.Entries) != len(want) {
		t.Fatalf("entries: got %d, want %d\n%s", len(feed.Entries), len(want), r.Body)
	}
	ids := map[string]bool{}
	for i, w := range want {
		e := feed.Entries[i]
		if e.Title != w.title {
			t.Errorf("entry %d title: got %q, want %q", i, e.Title, w.title)
		}
		if e.Link.Href != a.URL()+w.link {
			t.Errorf("entry %d link: got %q, want %q", i, e.Link.Href, a.URL()+w.link)
		}
		if e.Updated != w.updated {
			t.Errorf("entry %d updated: got %q, want %q", i, e.Updated, w.updated)
		}
		if e.Author.Name != w.author {
			t.Errorf("entry %d author: got %q, want %q", i, e.Author.Name, w.author)
		}
		if !strings.Contains(e.Summary, w.summary) {
			t.Errorf("entry %d summary: got %q, want it to contain %q", i, e.Summary, w.summary)
		}
		if e.ID == "" || ids[e.ID] {
			t.Errorf("entry %d id: got %q, want a unique id", i, e.ID)
		}
		ids[e.ID] = true
	}
	// Escaped by the XML encoder, not by hand: the raw body carries entities.
	if !strings.Contains(r.Body, "Les &lt;outils&gt; &amp; &#34;co&#34;") {
		t.Errorf("title not escaped in:\n%s", r.Body)
	}

	// Ids are stable: a new event adds an entry and keeps the others' ids.
	mustCreateChallengeText(t, a, alice.ID, "Cantine partagée", "Cuisiner ensemble.", "Problème.")
	_, again := getFeed(t, c)
	if len(again.Entries) != 4 || again.Entries[0].Title != "Nouveau défi : Cantine partagée" {
		t.Fatalf("after a new défi: got %d entries, first %q", len(again.Entries), again.Entries[0].Title)
	}
	for i, e := range again.Entries[1:] {
		if e.ID != feed.Entries[i].ID {
			t.Errorf("entry %q id: got %q, want %q as before", e.Title, e.ID, feed.Entries[i].ID)
		}
	}
}

func TestChallengeFeedBaseURL(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, func(cfg *app.Config) { cfg.BaseURL = "https://fabrique.example/" })
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallengeText(t, a, alice.ID, "Réseau des fablabs", "Relier les fablabs.", "Problème.")
	_, feed := getFeed(t, a.Client(t))
	if len(feed.Entries) != 1 {
		t.Fatalf("entries: got %d, want 1", len(feed.Entries))
	}
	if got, want := feed.Entries[0].Link.Href, "https://fabrique.example/defis/"+ch.Slug; got != want {
		t.Errorf("entry link: got %q, want %q", got, want)
	}
}

func TestChallengeFeedBounded(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)

	// An empty platform still has a valid feed.
	c := a.Client(t)
	_, feed := getFeed(t, c)
	if len(feed.Entries) != 0 || feed.Updated == "" {
		t.Errorf("empty feed: got %d entries, updated %q; want none and a date", len(feed.Entries), feed.Updated)
	}

	queries := func() int64 {
		t.Helper()
		before := a.Queries.Count()
		getFeed(t, c)
		return a.Queries.Count() - before
	}
	mustCreateChallengeText(t, a, alice.ID, "Défi 0", "Résumé.", "Problème.")
	small := queries()
	for i := 1; i <= 3; i++ {
		mustCreateChallengeText(t, a, alice.ID, fmt.Sprintf("Défi %d", i), "Résumé.", "Problème.")
	}
	// 60 more changes: the feed keeps the 50 latest.
	mustExecSQL(t, a, `INSERT INTO challenge_status_changes (challenge_id, from_status, to_status, user_id, created_at)
		SELECT c.id, 'identifie', 'equipe', c.lead_id, now() + g * interval '1 minute'
		FROM challenges c, generate_series(1, 15) g`)
	if big := queries(); big != small || small > 2 {
		t.Errorf("feed queries: got %d with 64 events, %d with 1; want the same, at most 2", big, small)
	}
	_, feed = getFeed(t, c)
	if len(feed.Entries) != 50 {
		t.Errorf("entries: got %d, want 50", len(feed.Entries))
	}
	if feed.Updated != feed.Entries[0].Updated || feed.Entries[0].Updated < feed.Entries[49].Updated {
		t.Errorf("order: feed updated %q, first %q, last %q; want the newest first", feed.Updated, feed.Entries[0].Updated, feed.Entries[49].Updated)
	}
}

func TestChallengeMovilab(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallengeText(t, a, alice.ID, "Réseau des fablabs", "Relier les fablabs des tiers-lieux.",
		"# Constat\n\nLes fablabs travaillent **seuls** et *sans* [annuaire](https://example.org/annuaire) :\n\n- pas d’entraide\n- pas de mutualisation\n\n1. recenser\n2. relier")
	mustExecSQL(t, a, `INSERT INTO challenge_members (challenge_id, user_id, role, state, decided_at) VALUES ($1, $2, 'member', 'accepted', now())`, ch.ID, bob.ID)
	mustExecSQL(t, a, `UPDATE challenges SET status = 'prefiguration' WHERE id = $1`, ch.ID)
	mustExecSQL(t, a, `INSERT INTO challenge_framings (challenge_id, problems, use_cases, approach, updated_by)
		VALUES ($1, 'Trouver une **machine**.', E'- réserver\n- se former', 'Un design ouvert.', $2)`, ch.ID, alice.ID)
	mustConcernPlace(t, a, "la-myne", "Auvergne-Rhône-Alpes", ch.Slug)
	mustExecSQL(t, a, `INSERT INTO commons (slug, name, kind, movilab_url) VALUES ('dokos', 'Dokos', 'logiciel', 'https://movilab.org/wiki/Dokos'), ('loot', 'Loot', 'logiciel', '')`)
	mustExecSQL(t, a, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) SELECT $1, id, 'solution' FROM commons`, ch.ID)

	r := a.Client(t).Get("/defis/" + ch.Slug + "/movilab.txt")
	wantStatus(t, r, http.StatusOK)
	if got, want := r.Header.Get("Content-Type"), "text/plain; charset=utf-8"; got != want {
		t.Errorf("Content-Type: got %q, want %q", got, want)
	}
	for _, want := range []string{
		"'''Réseau des fablabs''' est un défi",
		"* '''Étape''' : En préfiguration",
		"== Résumé ==\n\nRelier les fablabs des tiers-lieux.\n",
		"== Problème ==\n\n=== Constat ===\n\nLes fablabs travaillent '''seuls''' et ''sans'' [https://example.org/annuaire annuaire] :\n\n* pas d’entraide\n* pas de mutualisation\n\n# recenser\n# relier\n",
		"== Préfiguration ==\n\n=== Problèmes ===\n\nTrouver une '''machine'''.\n\n=== Cas d’usage ===\n\n* réserver\n* se former\n\n=== Lieux et acteurs mobilisés ===\n\nÀ compléter\n",
		"=== Démarche de conception ===\n\nUn design ouvert.\n",
		"=== Prochaines étapes de développement ===\n\nÀ compléter\n",
		"== Équipe ==\n\n* Alice Martin (porteur·se du défi)\n* Bob Durand\n",
		"== Tiers-lieux concernés ==\n\n* la-myne (Rennes, Auvergne-Rhône-Alpes)\n",
		"== Communs liés ==\n\n* [[Dokos]] (solution existante)\n* [" + a.URL() + "/communs/loot Loot] (solution existante)\n",
		"== Sur la Fabrique à communs ==\n\n* [" + a.URL() + "/defis/" + ch.Slug + " ",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("missing %q in:\n%s", want, r.Body)
		}
	}

	// Without a framing yet, every field is still to be written.
	bare := mustCreateChallengeText(t, a, alice.ID, "Cantine partagée", "Cuisiner ensemble.", "Problème.")
	r = a.Client(t).Get("/defis/" + bare.Slug + "/movilab.txt")
	wantStatus(t, r, http.StatusOK)
	if got, want := strings.Count(r.Body, "\nÀ compléter\n"), len(fabrique.FramingFields); got != want {
		t.Errorf("fields to complete: got %d, want %d in:\n%s", got, want, r.Body)
	}

	for _, path := range []string{"/defis/n-existe-pas/movilab.txt", "/communs/n-existe-pas/movilab.txt"} {
		wantStatus(t, a.Client(t).Get(path), http.StatusNotFound)
	}
}

func TestCommonsMovilab(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallengeText(t, a, alice.ID, "Réserver les salles", "Un outil de réservation.", "Problème.")
	mustExecSQL(t, a, `INSERT INTO commons (slug, name, kind, summary, description, licence, website, source_url, movilab_url)
		VALUES ('dokos', 'Dokos', 'logiciel', 'Gérer un tiers-lieu.', E'# Fonctions\n\n- **réservations**\n- facturation',
		        'AGPL-3.0', 'https://dokos.io', 'https://gitlab.com/dokos/dokos', 'https://movilab.org/wiki/Dokos')`)
	mustExecSQL(t, a, `INSERT INTO challenge_commons (challenge_id, commons_id, relation) SELECT $1, id, 'origine' FROM commons`, ch.ID)
	mustExecSQL(t, a, `INSERT INTO places (slug, name, city, region) VALUES ('la-myne', 'La Myne', 'Villeurbanne', 'Auvergne-Rhône-Alpes')`)
	mustExecSQL(t, a, `INSERT INTO commons_places (commons_id, place_id) SELECT k.id, p.id FROM commons k, places p`)

	r := a.Client(t).Get("/communs/dokos/movilab.txt")
	wantStatus(t, r, http.StatusOK)
	if got, want := r.Header.Get("Content-Type"), "text/plain; charset=utf-8"; got != want {
		t.Errorf("Content-Type: got %q, want %q", got, want)
	}
	for _, want := range []string{
		"'''Dokos''' est un commun",
		"* '''Type''' : Logiciel\n* '''Licence''' : AGPL-3.0\n",
		"== Résumé ==\n\nGérer un tiers-lieu.\n",
		"== Liens ==\n\n* Site web : https://dokos.io\n* Code source : https://gitlab.com/dokos/dokos\n* Page Movilab : [[Dokos]]\n* [" + a.URL() + "/communs/dokos ",
		"== Description ==\n\n=== Fonctions ===\n\n* '''réservations'''\n* facturation\n",
		"== Défis auxquels il répond ==\n\n* [" + a.URL() + "/defis/" + ch.Slug + " Réserver les salles] (Défi identifié, à l’origine du commun)\n",
		"== Tiers-lieux qui l’utilisent ==\n\n* La Myne (Villeurbanne, Auvergne-Rhône-Alpes)\n",
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("missing %q in:\n%s", want, r.Body)
		}
	}
}
