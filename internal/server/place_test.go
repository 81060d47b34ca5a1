package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// mustCreatePlace declares a tiers-lieu by creatorID directly in the store.
func mustCreatePlace(tb testing.TB, a *apptest.App, creatorID int64, name, region string) *fabrique.Place {
	tb.Helper()
	p, err := a.DB.CreatePlace(context.Background(), fabrique.NewPlace{Name: name, City: "Lyon", Region: region}, creatorID)
	if err != nil {
		tb.Fatalf("create place %q: %v", name, err)
	}
	return p
}

// newPlaceForm is a valid "POST /tiers-lieux" form.
func newPlaceForm(name string) url.Values {
	return url.Values{"name": {name}, "city": {"Aubusson"}, "region": {"Nouvelle-Aquitaine"}, "website": {"https://grange.example"}}
}

// placeSlugs returns the data-slug of each tiers-lieu card, in page order.
func placeSlugs(r *apptest.Response) []string {
	var out []string
	r.Doc.Find("[data-testid=places] [data-testid=place]").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-slug", ""))
	})
	return out
}

// isLoginRedirect reports whether r sends a visitor to the login page.
func isLoginRedirect(r *apptest.Response) bool {
	loc := r.Location()
	return r.StatusCode == http.StatusSeeOther && (loc == "/connexion" || strings.HasPrefix(loc, "/connexion?"))
}

// idStr formats an id for a form or a path.
func idStr(id int64) string { return strconv.FormatInt(id, 10) }

// concernedSlugs returns the slugs of the places a défi's page shows as concerned.
func concernedSlugs(r *apptest.Response) []string {
	var out []string
	r.Doc.Find("[data-testid=concerned-places] [data-testid=concerned-place]").Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("data-slug", ""))
	})
	return out
}

func TestPlaceNewForm(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	wantRedirect(t, a.Client(t).Get("/tiers-lieux/nouveau"), "/connexion?suivant=%2Ftiers-lieux%2Fnouveau")

	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	r := c.Get("/tiers-lieux/nouveau")
	wantStatus(t, r, http.StatusOK)
	for _, field := range []string{"name", "city", "region", "website"} {
		if n := r.Doc.Find(`form[method=post][action="/tiers-lieux"] [name=` + field + `]`).Length(); n != 1 {
			t.Errorf("field %s in the form: got %d, want 1", field, n)
		}
	}
	opts := r.Doc.Find(`select[name=region] option[value!=""]`)
	if opts.Length() != 18 {
		t.Errorf("region options: got %d, want 18", opts.Length())
	}
	if r.Doc.Find(`label[for=champ-region]`).Length() != 1 {
		t.Error("the region select has no label")
	}
}

func TestPlaceCreate(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")

	r := c.Post("/tiers-lieux", newPlaceForm("La Grange Partagée"))
	wantRedirect(t, r, "/tiers-lieux/la-grange-partagee")
	var name, city, region, website string
	var member bool
	if err := a.SQL.QueryRow(context.Background(),
		`SELECT p.name, p.city, p.region, p.website,
		        EXISTS (SELECT 1 FROM place_members m JOIN users u ON u.id = m.user_id WHERE m.place_id = p.id AND u.email = 'alice@example.org')
		 FROM places p WHERE p.slug = 'la-grange-partagee'`).Scan(&name, &city, &region, &website, &member); err != nil {
		t.Fatal(err)
	}
	if name != "La Grange Partagée" || city != "Aubusson" || region != "Nouvelle-Aquitaine" || website != "https://grange.example" || !member {
		t.Errorf("place row: got (%s, %s, %s, %s, creator member=%v), want the form and the creator as member", name, city, region, website, member)
	}

	r = c.Follow(r)
	wantStatus(t, r, http.StatusOK)
	if got := text(r, "[data-testid=place-page] h1"); got != "La Grange Partagée" {
		t.Errorf("h1: got %q, want %q", got, "La Grange Partagée")
	}
	if got := text(r, "[data-testid=place-members] li"); got != "Alice Martin" {
		t.Errorf("members: got %q, want Alice Martin", got)
	}
	if text(r, "[data-testid=flash]") == "" {
		t.Error("no flash after declaring a place")
	}
	if n := r.Doc.Find(`form[action="/tiers-lieux/la-grange-partagee/membres/quitter"]`).Length(); n != 1 {
		t.Errorf("leave form for the creator: got %d, want 1", n)
	}

	// Same name: a suffix; a reserved name: never the bare word.
	wantRedirect(t, c.Post("/tiers-lieux", newPlaceForm("  la grange   PARTAGÉE ")), "/tiers-lieux/la-grange-partagee-2")
	wantRedirect(t, c.Post("/tiers-lieux", newPlaceForm("Nouveau")), "/tiers-lieux/nouveau-2")
	if got := countRows(t, a, `SELECT count(*) FROM places`); got != 3 {
		t.Errorf("places: got %d, want 3", got)
	}
}

func TestPlaceCreateInvalid(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	with := func(field, value string) url.Values {
		f := newPlaceForm("La Grange Partagée")
		f.Set(field, value)
		return f
	}
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"empty name", with("name", "  "), "name", "Indiquez le nom du tiers-lieu."},
		{"punctuation name", with("name", "!!!"), "name", "Le nom doit contenir au moins une lettre ou un chiffre."},
		{"long name", with("name", strings.Repeat("é", 121)), "name", "Le nom ne doit pas dépasser 120 caractères."},
		{"empty city", with("city", ""), "city", "Indiquez la commune du tiers-lieu."},
		{"no region", with("region", ""), "region", "Choisissez une des 18 régions."},
		{"unknown region", with("region", "Atlantide"), "region", "Choisissez une des 18 régions."},
		{"old region", with("region", "Aquitaine"), "region", "Choisissez une des 18 régions."},
		{"website without scheme", with("website", "grange.example"), "website", "Indiquez une adresse web complète, commençant par https:// ou http://."},
		{"javascript website", with("website", "javascript:alert(1)"), "website", "Indiquez une adresse web complète, commençant par https:// ou http://."},
		{"ftp website", with("website", "ftp://grange.example"), "website", "Indiquez une adresse web complète, commençant par https:// ou http://."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := c.Post("/tiers-lieux", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if got := text(r, "[data-testid=field-"+tt.field+"] [data-testid=error-"+tt.field+"]"); got != tt.want {
				t.Errorf("error on %s: got %q, want %q", tt.field, got, tt.want)
			}
			if n := r.Doc.Find(".field-error").Length(); n != 1 {
				t.Errorf("field errors: got %d, want 1", n)
			}
			if got := r.Doc.Find("[name=city]").AttrOr("value", ""); tt.field != "city" && got != "Aubusson" {
				t.Errorf("city kept: got %q, want Aubusson", got)
			}
		})
	}
	t.Run("region kept", func(t *testing.T) {
		t.Parallel()
		r := c.Post("/tiers-lieux", with("website", "nope"))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := r.Doc.Find("select[name=region] option[selected]").AttrOr("value", ""); got != "Nouvelle-Aquitaine" {
			t.Errorf("selected region: got %q, want Nouvelle-Aquitaine", got)
		}
	})
	t.Cleanup(func() {
		if got := countRows(t, a, `SELECT count(*) FROM places`); got != 0 {
			t.Errorf("places after invalid forms: got %d, want 0", got)
		}
	})
}

func TestPlaceIndex(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)

	r := a.Client(t).Get("/tiers-lieux")
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=empty]").Length() != 1 {
		t.Error("no empty state on an empty list")
	}

	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	for i := 1; i <= 22; i++ {
		mustCreatePlace(t, a, alice.ID, fmt.Sprintf("Lieu %02d", i), "Bretagne")
	}
	corse := mustCreatePlace(t, a, bob.ID, "A Casa", "Corse")
	ctx := context.Background()
	mustAcceptPlaceMember(t, a, corse.ID, alice, bob)
	for _, title := range []string{"Réseau des fablabs", "Cantine partagée"} {
		ch := mustCreateChallenge(t, a, bob.ID, title)
		if _, err := a.DB.DeclareChallengePlace(ctx, ch.ID, corse.ID, bob.ID); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		path  string
		cards int
		first string
		empty bool
		total string
	}{
		{"/tiers-lieux", 20, "a-casa", false, "23 tiers-lieux"},
		{"/tiers-lieux?page=2", 3, "lieu-20", false, "23 tiers-lieux"},
		{"/tiers-lieux?page=3", 0, "", true, "23 tiers-lieux"},
		{"/tiers-lieux?page=abc", 20, "a-casa", false, "23 tiers-lieux"},
		{"/tiers-lieux?page=-1&region=", 20, "a-casa", false, "23 tiers-lieux"},
		{"/tiers-lieux?region=Corse", 1, "a-casa", false, "1 tiers-lieu"},
		{"/tiers-lieux?region=Bretagne&page=2", 2, "lieu-21", false, "22 tiers-lieux"},
		{"/tiers-lieux?region=Atlantide", 20, "a-casa", false, "23 tiers-lieux"},
		{"/tiers-lieux?region=%C3%8Ele-de-France", 0, "", true, "0 tiers-lieu"},
		{"/tiers-lieux?region=%27%3B--&page=%00&x=y", 20, "a-casa", false, "23 tiers-lieux"},
	}
	c := a.Client(t)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			r := c.Get(tt.path)
			wantStatus(t, r, http.StatusOK)
			got := placeSlugs(r)
			if len(got) != tt.cards {
				t.Errorf("cards: got %d, want %d", len(got), tt.cards)
			}
			if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
				t.Errorf("first card: got %v, want %s", got, tt.first)
			}
			if n := r.Doc.Find("[data-testid=empty]").Length(); (n == 1) != tt.empty {
				t.Errorf("empty state: got %d, want shown=%v", n, tt.empty)
			}
			if got := text(r, "[data-testid=total]"); got != tt.total {
				t.Errorf("total: got %q, want %q", got, tt.total)
			}
		})
	}

	r = c.Get("/tiers-lieux?region=Corse")
	card := r.Doc.Find(`[data-testid=place][data-slug=a-casa]`)
	for sel, want := range map[string]string{
		"h2 a": "A Casa", "[data-testid=city]": "Lyon", "[data-testid=region]": "Corse",
		"[data-testid=members-count]": "2 membres", "[data-testid=challenges-count]": "2 défis",
	} {
		if got := strings.TrimSpace(card.Find(sel).Text()); got != want {
			t.Errorf("card %s: got %q, want %q", sel, got, want)
		}
	}
	if href := card.Find("h2 a").AttrOr("href", ""); href != "/tiers-lieux/a-casa" {
		t.Errorf("card link: got %q, want /tiers-lieux/a-casa", href)
	}
	if got := r.Doc.Find("select[name=region] option[selected]").AttrOr("value", ""); got != "Corse" {
		t.Errorf("selected filter: got %q, want Corse", got)
	}
	r = c.Get("/tiers-lieux?region=Bretagne")
	if next := r.Doc.Find(".pagination a[rel=next]").AttrOr("href", ""); next != "/tiers-lieux?region=Bretagne&page=2" {
		t.Errorf("next link: got %q, want the region kept", next)
	}
}

func TestPlaceShow(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	p, err := a.DB.CreatePlace(ctx, fabrique.NewPlace{Name: "Atelier des Pentes", City: "Lyon",
		Region: "Auvergne-Rhône-Alpes", Website: "https://atelier.example"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustAcceptPlaceMember(t, a, p.ID, bob, alice)
	ch := mustCreateChallenge(t, a, alice.ID, "Réseau des fablabs")
	if _, err := a.DB.DeclareChallengePlace(ctx, ch.ID, p.ID, alice.ID); err != nil {
		t.Fatal(err)
	}
	k, err := a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.DeclareCommonsPlace(ctx, k.ID, p.ID, bob.ID); err != nil {
		t.Fatal(err)
	}

	r := a.Client(t).Get("/tiers-lieux/atelier-des-pentes")
	wantStatus(t, r, http.StatusOK)
	for sel, want := range map[string]string{
		"h1": "Atelier des Pentes", "[data-testid=place-page] [data-testid=city]": "Lyon",
		"[data-testid=place-page] [data-testid=region]": "Auvergne-Rhône-Alpes",
		"[data-testid=members-count]":                   "2 membres",
	} {
		if got := text(r, sel); got != want {
			t.Errorf("%s: got %q, want %q", sel, got, want)
		}
	}
	site := r.Doc.Find("[data-testid=website]")
	if site.AttrOr("href", "") != "https://atelier.example" || site.AttrOr("rel", "") != "nofollow noopener" {
		t.Errorf("website link: got href %q rel %q", site.AttrOr("href", ""), site.AttrOr("rel", ""))
	}
	var members []string
	r.Doc.Find("[data-testid=place-members] li").Each(func(_ int, s *goquery.Selection) {
		members = append(members, strings.TrimSpace(s.Text()))
	})
	if strings.Join(members, ",") != "Alice Martin,Bob Durand" {
		t.Errorf("members: got %v, want Alice Martin, Bob Durand", members)
	}
	if strings.Contains(r.Body, "@example.org") {
		t.Error("the place page shows an email address; members are shown by name only")
	}
	item := r.Doc.Find(`[data-testid=place-challenges] [data-slug="` + ch.Slug + `"]`)
	if item.Find("a").AttrOr("href", "") != "/defis/"+ch.Slug || item.Find("[data-testid=status]").AttrOr("data-status", "") != "identifie" {
		t.Errorf("défi of the place: got %q, want a link and its status badge", item.Text())
	}
	if got := r.Doc.Find(`[data-testid=place-commons] a[href="/communs/dokos"]`).Length(); got != 1 {
		t.Errorf("commun used: got %d links, want 1", got)
	}
	// A visitor is invited to log in rather than shown a form.
	if n := r.Doc.Find(`form[action*="/membres"]`).Length(); n != 0 {
		t.Errorf("forms for a visitor: got %d, want 0", n)
	}

	for _, path := range []string{"/tiers-lieux/n-existe-pas", "/tiers-lieux/%C3%A9t%C3%A9", "/tiers-lieux/" + strings.Repeat("x", 300)} {
		r := a.Client(t).Get(path)
		wantStatus(t, r, http.StatusNotFound)
		if got := text(r, "h1"); got != "Page introuvable" {
			t.Errorf("%s h1: got %q, want %q", path, got, "Page introuvable")
		}
	}
}

func TestPlaceJoinLeave(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	p := mustCreatePlace(t, a, alice.ID, "Atelier des Pentes", "Bretagne")
	members := func() int {
		return countRows(t, a, `SELECT count(*) FROM place_members WHERE place_id = $1 AND user_id = $2`, p.ID, bob.ID)
	}
	path := "/tiers-lieux/" + p.Slug

	if r := a.Client(t).Post(path+"/membres", nil); !isLoginRedirect(r) {
		t.Errorf("anonymous join: got %d %q, want 303 to /connexion", r.StatusCode, r.Location())
	}
	c := a.Client(t)
	c.Login("bob@example.org", "motdepasse-solide")
	r := c.Get(path)
	if n := r.Doc.Find(`form[method=post][action="` + path + `/membres"] button`).Length(); n != 1 {
		t.Fatalf("join form: got %d, want 1", n)
	}
	if got := text(r, `form[action="`+path+`/membres"] button`); got != "J’en fais partie" {
		t.Errorf("join button: got %q, want %q", got, "J’en fais partie")
	}
	// Joining is a request: twice is one request, and Bob is not a member yet.
	wantRedirect(t, c.Post(path+"/membres", url.Values{"message": {"Je tiens l’accueil."}}), path)
	wantRedirect(t, c.Post(path+"/membres", url.Values{"message": {"Je tiens l’accueil le mardi."}}), path)
	if got := members(); got != 0 {
		t.Errorf("membership rows after two requests: got %d, want 0", got)
	}
	if got := countRows(t, a, `SELECT count(*) FROM place_requests WHERE place_id = $1 AND user_id = $2 AND state = 'pending'`, p.ID, bob.ID); got != 1 {
		t.Errorf("pending requests after two: got %d, want 1", got)
	}
	r = c.Get(path)
	if got := text(r, "[data-testid=place-request-sent]"); !strings.Contains(got, "Demande envoyée") {
		t.Errorf("requester's status: got %q, want « Demande envoyée »", got)
	}
	if strings.Contains(text(r, "[data-testid=place-members]"), "Bob Durand") {
		t.Error("Bob is listed as a member before anyone accepted him")
	}
	if n := r.Doc.Find("[data-testid=place-requests]").Length(); n != 0 {
		t.Errorf("requests shown to the requester: got %d sections, want 0", n)
	}
	// Alice, the first member, sees the request, its message and the forms; she accepts.
	ac := a.Client(t)
	ac.Login("alice@example.org", "motdepasse-solide")
	r = ac.Get(path)
	req := r.Doc.Find(`[data-testid=place-request][data-user-id="` + idStr(bob.ID) + `"]`)
	if got := strings.TrimSpace(req.Find("[data-testid=place-request-message]").Text()); got != "Je tiens l’accueil le mardi." {
		t.Errorf("request's message: got %q, want the latest one", got)
	}
	accept := path + "/membres/" + idStr(bob.ID) + "/accepter"
	if n := req.Find(`form[method=post][action="` + accept + `"]`).Length(); n != 1 {
		t.Errorf("accept form: got %d, want 1", n)
	}
	wantRedirect(t, ac.Post(accept, nil), path)
	if got := members(); got != 1 {
		t.Errorf("membership rows once accepted: got %d, want 1", got)
	}
	wantRedirect(t, c.Post(path+"/membres", nil), path) // a member asking again changes nothing
	r = c.Get(path)
	if !strings.Contains(text(r, "[data-testid=place-members]"), "Bob Durand") {
		t.Error("Bob is not listed once accepted")
	}
	if n := r.Doc.Find(`form[method=post][action="` + path + `/membres/quitter"]`).Length(); n != 1 {
		t.Errorf("leave form for a member: got %d, want 1", n)
	}
	wantRedirect(t, c.Post(path+"/membres/quitter", nil), path)
	if got := members(); got != 0 {
		t.Errorf("membership rows after leaving: got %d, want 0", got)
	}
	wantRedirect(t, c.Post(path+"/membres/quitter", nil), path)
	wantStatus(t, c.Post("/tiers-lieux/n-existe-pas/membres", nil), http.StatusNotFound)
	wantStatus(t, c.Post("/tiers-lieux/n-existe-pas/membres/quitter", nil), http.StatusNotFound)
}

func TestChallengePlaceDeclare(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.CreateUser(t, "Carol Petit", "carol@example.org", "motdepasse-solide", fabrique.RoleCoordinator)
	a.CreateUser(t, "Dan Roux", "dan@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallenge(t, a, alice.ID, "Réseau des fablabs")
	atelier := mustCreatePlace(t, a, bob.ID, "Atelier des Pentes", "Bretagne")
	grange := mustCreatePlace(t, a, bob.ID, "La Grange", "Corse")
	hangar := mustCreatePlace(t, a, alice.ID, "Le Hangar", "Bretagne")
	defi := "/defis/" + ch.Slug
	rows := func() int {
		return countRows(t, a, `SELECT count(*) FROM challenge_places WHERE challenge_id = $1`, ch.ID)
	}

	// The visitor sees no place yet and an invitation to log in.
	r := a.Client(t).Get(defi)
	wantStatus(t, r, http.StatusOK)
	if got := r.Doc.Find("[data-testid=concerned-places]").AttrOr("data-count", ""); got != "0" {
		t.Errorf("concerned count for none: got %q, want 0", got)
	}
	if n := r.Doc.Find(`form[action="` + defi + `/tiers-lieux"]`).Length(); n != 0 {
		t.Errorf("declare form for a visitor: got %d, want 0", n)
	}

	// Bob belongs to two places: both are offered.
	bobC := a.Client(t)
	bobC.Login("bob@example.org", "motdepasse-solide")
	r = bobC.Get(defi)
	form := r.Doc.Find(`form[method=post][action="` + defi + `/tiers-lieux"]`)
	if got := form.Find("select[name=place_id] option").Length(); got != 2 {
		t.Fatalf("places offered to Bob: got %d, want 2", got)
	}
	if got := strings.TrimSpace(form.Find("button").Text()); got != "Ce défi nous concerne" {
		t.Errorf("button: got %q, want %q", got, "Ce défi nous concerne")
	}

	wantRedirect(t, bobC.Post(defi+"/tiers-lieux", url.Values{"place_id": {idStr(atelier.ID)}}), defi)
	wantRedirect(t, bobC.Post(defi+"/tiers-lieux", url.Values{"place_id": {idStr(atelier.ID)}}), defi)
	if got := rows(); got != 1 {
		t.Errorf("rows after declaring twice: got %d, want 1", got)
	}
	r = bobC.Get(defi)
	if got := concernedSlugs(r); strings.Join(got, ",") != atelier.Slug {
		t.Errorf("concerned places: got %v, want [%s]", got, atelier.Slug)
	}
	if got := text(r, "[data-testid=concerned-count]"); got != "1 tiers-lieu concerné" {
		t.Errorf("count: got %q, want %q", got, "1 tiers-lieu concerné")
	}
	if href := r.Doc.Find("[data-testid=concerned-places] a").AttrOr("href", ""); href != "/tiers-lieux/"+atelier.Slug {
		t.Errorf("link to the place: got %q", href)
	}
	// Only the place not yet declared is still offered.
	if got := r.Doc.Find(`form[action="`+defi+`/tiers-lieux"] option`).AttrOr("value", ""); got != idStr(grange.ID) {
		t.Errorf("place still offered: got %q, want %d", got, grange.ID)
	}
	wantRedirect(t, bobC.Post(defi+"/tiers-lieux", url.Values{"place_id": {idStr(grange.ID)}}), defi)

	// Alice (not a member of Bob's places) and a coordinator cannot declare them.
	aliceC := a.Client(t)
	aliceC.Login("alice@example.org", "motdepasse-solide")
	wantStatus(t, aliceC.Post(defi+"/tiers-lieux", url.Values{"place_id": {idStr(atelier.ID)}}), http.StatusForbidden)
	carolC := a.Client(t)
	carolC.Login("carol@example.org", "motdepasse-solide")
	wantStatus(t, carolC.Post(defi+"/tiers-lieux", url.Values{"place_id": {idStr(atelier.ID)}}), http.StatusForbidden)
	wantRedirect(t, aliceC.Post(defi+"/tiers-lieux", url.Values{"place_id": {idStr(hangar.ID)}}), defi)

	// Junk place ids: a clear error, never a 500, nothing written.
	for _, v := range []string{"", "abc", "0", "-1", "1e3", "999999", "99999999999999999999999", idStr(atelier.ID) + " "} {
		r := aliceC.Post(defi+"/tiers-lieux", url.Values{"place_id": {v}})
		if r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusNotFound {
			t.Errorf("place_id %q: got status %d, want 422 or 404", v, r.StatusCode)
		}
	}
	wantStatus(t, aliceC.Post("/defis/n-existe-pas/tiers-lieux", url.Values{"place_id": {idStr(hangar.ID)}}), http.StatusNotFound)
	if got := rows(); got != 3 {
		t.Errorf("rows: got %d, want 3", got)
	}

	// The défi's page, for anyone: how many, which, in name order.
	r = a.Client(t).Get(defi)
	if got := strings.Join(concernedSlugs(r), ","); got != "atelier-des-pentes,la-grange,le-hangar" {
		t.Errorf("concerned places: got %s", got)
	}
	if got := text(r, "[data-testid=concerned-count]"); got != "3 tiers-lieux concernés" {
		t.Errorf("count: got %q, want %q", got, "3 tiers-lieux concernés")
	}

	// Dan has no place: he is pointed to declaring one.
	danC := a.Client(t)
	danC.Login("dan@example.org", "motdepasse-solide")
	r = danC.Get(defi)
	if n := r.Doc.Find(`[data-testid=declare-own-place] a[href="/tiers-lieux/nouveau"]`).Length(); n != 1 {
		t.Errorf("link to declare a place: got %d, want 1", n)
	}
	if n := r.Doc.Find("[data-testid=withdraw-place]").Length(); n != 0 {
		t.Errorf("withdraw buttons for Dan: got %d, want 0", n)
	}

	// Withdrawing: Dan cannot, Bob can for his place, a coordinator for any.
	withdraw := func(p *fabrique.Place) string { return defi + "/tiers-lieux/" + idStr(p.ID) + "/retirer" }
	wantStatus(t, danC.Post(withdraw(atelier), nil), http.StatusForbidden)
	wantStatus(t, aliceC.Post(withdraw(atelier), nil), http.StatusForbidden)
	if n := bobC.Get(defi).Doc.Find(`form[action="` + withdraw(atelier) + `"]`).Length(); n != 1 {
		t.Errorf("withdraw form for Bob: got %d, want 1", n)
	}
	wantRedirect(t, bobC.Post(withdraw(atelier), nil), defi)
	wantRedirect(t, carolC.Post(withdraw(hangar), nil), defi)
	for _, path := range []string{defi + "/tiers-lieux/abc/retirer", defi + "/tiers-lieux/999999/retirer", "/defis/n-existe-pas/tiers-lieux/1/retirer"} {
		wantStatus(t, carolC.Post(path, nil), http.StatusNotFound)
	}
	if got := rows(); got != 1 {
		t.Errorf("rows after withdrawals: got %d, want 1 (La Grange)", got)
	}
	if got := strings.Join(concernedSlugs(a.Client(t).Get(defi)), ","); got != "la-grange" {
		t.Errorf("concerned after withdrawals: got %s, want la-grange", got)
	}
	// The place's page lists the défi it is still concerned by.
	if n := a.Client(t).Get("/tiers-lieux/la-grange").Doc.Find(`[data-testid=place-challenges] a[href="` + defi + `"]`).Length(); n != 1 {
		t.Errorf("défi on the place's page: got %d, want 1", n)
	}
}

// TestPlaceAuthorization walks every POST route of tiers-lieux and communs with each
// kind of visitor.
func TestPlaceAuthorization(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	lead := a.CreateUser(t, "Porteur", "lead@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.CreateUser(t, "Contributrice", "contrib@example.org", "motdepasse-solide", fabrique.RoleContributor)
	member := a.CreateUser(t, "Membre", "member@example.org", "motdepasse-solide", fabrique.RoleContributor)
	a.CreateUser(t, "Coordination", "coord@example.org", "motdepasse-solide", fabrique.RoleCoordinator)
	ch := mustCreateChallenge(t, a, lead.ID, "Réseau des fablabs")
	place := mustCreatePlace(t, a, member.ID, "Atelier des Pentes", "Bretagne")
	other := mustCreatePlace(t, a, lead.ID, "Autre lieu", "Corse")
	k, err := a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}

	clients := map[string]*apptest.Client{"anonymous": a.Client(t)}
	for role, email := range map[string]string{"contributor": "contrib@example.org", "member": "member@example.org", "coordinator": "coord@example.org"} {
		c := a.Client(t)
		c.Login(email, "motdepasse-solide")
		clients[role] = c
	}
	pid := url.Values{"place_id": {idStr(place.ID)}}
	commonsForm := url.Values{"name": {"Movilab"}, "kind": {"documentation"}, "summary": {"Le wiki des tiers-lieux."}}
	// ok is a success: 303 to the page named.
	const ok, login = http.StatusSeeOther, -1
	tests := []struct {
		method, path string
		form         url.Values
		want         map[string]int // by role; login means 303 to /connexion
	}{
		{"GET", "/tiers-lieux/nouveau", nil, map[string]int{"anonymous": login, "contributor": 200, "member": 200, "coordinator": 200}},
		{"POST", "/tiers-lieux", newPlaceForm("Nouveau lieu"), map[string]int{"anonymous": login, "contributor": ok, "member": ok, "coordinator": ok}},
		{"POST", "/tiers-lieux/" + other.Slug + "/membres", nil, map[string]int{"anonymous": login, "contributor": ok, "member": ok, "coordinator": ok}},
		{"POST", "/tiers-lieux/" + other.Slug + "/membres/quitter", nil, map[string]int{"anonymous": login, "contributor": ok, "member": ok, "coordinator": ok}},
		{"POST", "/defis/" + ch.Slug + "/tiers-lieux", pid, map[string]int{"anonymous": login, "contributor": 403, "member": ok, "coordinator": 403}},
		{"POST", "/defis/" + ch.Slug + "/tiers-lieux/" + idStr(place.ID) + "/retirer", nil, map[string]int{"anonymous": login, "contributor": 403, "member": ok, "coordinator": ok}},
		{"GET", "/communs/nouveau", nil, map[string]int{"anonymous": login, "contributor": 403, "member": 403, "coordinator": 200}},
		{"POST", "/communs", commonsForm, map[string]int{"anonymous": login, "contributor": 403, "member": 403, "coordinator": ok}},
		{"GET", "/communs/" + k.Slug + "/modifier", nil, map[string]int{"anonymous": login, "contributor": 403, "member": 403, "coordinator": 200}},
		{"POST", "/communs/" + k.Slug + "/modifier", url.Values{"name": {"Dokos ERP"}, "kind": {"logiciel"}, "summary": {"Un ERP."}},
			map[string]int{"anonymous": login, "contributor": 403, "member": 403, "coordinator": ok}},
		{"POST", "/communs/" + k.Slug + "/tiers-lieux", pid, map[string]int{"anonymous": login, "contributor": 403, "member": ok, "coordinator": 403}},
	}
	// Sequential: the routes change the data the next ones read.
	for _, tt := range tests {
		for _, role := range []string{"anonymous", "contributor", "member", "coordinator"} {
			c := clients[role]
			var r *apptest.Response
			if tt.method == "GET" {
				r = c.Get(tt.path)
			} else {
				r = c.Post(tt.path, tt.form)
			}
			want := tt.want[role]
			switch {
			case want == login:
				if !isLoginRedirect(r) {
					t.Errorf("%s %s as %s: got %d %q, want 303 to /connexion", tt.method, tt.path, role, r.StatusCode, r.Location())
				}
			case r.StatusCode != want:
				t.Errorf("%s %s as %s: got %d, want %d", tt.method, tt.path, role, r.StatusCode, want)
			case want == ok && strings.HasPrefix(r.Location(), "/connexion"):
				t.Errorf("%s %s as %s: got a login redirect, want a success", tt.method, tt.path, role)
			}
		}
	}

	// What the table did to the data: three places created, the défi declared then
	// withdrawn, one commun created (by the coordinator only), Dokos renamed, one use.
	for query, want := range map[string]int{
		`SELECT count(*) FROM places WHERE name = 'Nouveau lieu'`:                  3,
		`SELECT count(*) FROM place_members WHERE place_id = ` + idStr(other.ID):   1, // everyone joined then left; the lead stays
		`SELECT count(*) FROM challenge_places`:                                    0,
		`SELECT count(*) FROM commons WHERE name = 'Movilab'`:                      1,
		`SELECT count(*) FROM commons WHERE slug = 'dokos' AND name = 'Dokos ERP'`: 1,
		`SELECT count(*) FROM commons_places WHERE place_id = ` + idStr(place.ID):  1,
	} {
		if got := countRows(t, a, query); got != want {
			t.Errorf("%s: got %d, want %d", query, got, want)
		}
	}
}

// TestPlacesQueriesBounded checks that the pages of this area cost the same number of
// queries with a handful of rows and with many.
func TestPlacesQueriesBounded(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	ch := mustCreateChallenge(t, a, alice.ID, "Réseau des fablabs")
	p := mustCreatePlace(t, a, alice.ID, "Atelier des Pentes", "Bretagne")
	k, err := a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: "Dokos", Kind: "logiciel", Summary: "Un ERP."})
	if err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	c.Login("alice@example.org", "motdepasse-solide")
	paths := []string{"/tiers-lieux", "/communs", "/defis/" + ch.Slug, "/tiers-lieux/" + p.Slug, "/communs/" + k.Slug}

	// queries returns the number of queries a GET of path sends, after a warm-up.
	queries := func(path string) int64 {
		t.Helper()
		wantStatus(t, c.Get(path), http.StatusOK)
		before := a.Queries.Count()
		wantStatus(t, c.Get(path), http.StatusOK)
		return a.Queries.Count() - before
	}
	small := map[string]int64{}
	// A logged-in page costs 3 queries of session and account; the rest is the page's.
	limits := map[string]int64{paths[0]: 5, paths[1]: 5, paths[3]: 7, paths[4]: 12} // the commun page also reads, in one batch, its team, steps, their figures and funds, then its next rendez-vous
	for _, path := range paths {
		small[path] = queries(path)
		if limit, ok := limits[path]; ok && small[path] > limit {
			t.Errorf("%s: got %d queries, want at most %d", path, small[path], limit)
		}
	}

	// Many places (Alice in all), communs, links and members.
	for i := 1; i <= 30; i++ {
		mustCreatePlace(t, a, alice.ID, fmt.Sprintf("Lieu %d", i), fabrique.Regions[i%18])
		if _, err := a.DB.CreateCommons(ctx, fabrique.CommonsForm{Name: fmt.Sprintf("Commun %d", i), Kind: fabrique.CommonsKinds[i%6], Summary: "Un commun."}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 5; i++ {
		a.CreateUser(t, fmt.Sprintf("Membre %d", i), fmt.Sprintf("membre%d@example.org", i), "motdepasse-solide", fabrique.RoleContributor)
	}
	for _, sql := range []string{
		`INSERT INTO place_members (place_id, user_id) SELECT p.id, u.id FROM places p CROSS JOIN users u ON CONFLICT DO NOTHING`,
		`INSERT INTO challenge_places (challenge_id, place_id) SELECT $1, id FROM places WHERE id % 2 = 0`,
		`INSERT INTO challenge_commons (challenge_id, commons_id, relation) SELECT $1, id, 'solution' FROM commons`,
		`INSERT INTO commons_places (commons_id, place_id) SELECT k.id, p.id FROM commons k CROSS JOIN places p`,
	} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, ch.ID)
		}
		if _, err := a.SQL.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	for _, path := range paths {
		if got := queries(path); got != small[path] {
			t.Errorf("%s: got %d queries with many rows, want %d (as with few)", path, got, small[path])
		}
	}

	// The data really grew and shows.
	r := c.Get("/defis/" + ch.Slug)
	if got := len(concernedSlugs(r)); got != 15 {
		t.Errorf("concerned places on the défi: got %d, want 15", got)
	}
	if got := r.Doc.Find("[data-testid=linked-commons] [data-testid=linked-commons-item]").Length(); got != 31 {
		t.Errorf("linked communs on the défi: got %d, want 31", got)
	}
	if got := r.Doc.Find(`form[action="/defis/` + ch.Slug + `/tiers-lieux"] option`).Length(); got != 16 {
		t.Errorf("places Alice can still declare: got %d, want 16", got)
	}
	if got := len(placeSlugs(c.Get("/tiers-lieux"))); got != 20 {
		t.Errorf("places on the first page: got %d, want 20", got)
	}
}
