package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// detailedPlaceForm is a valid "POST /tiers-lieux" form with a description, an address
// and a contact, as a person types them.
func detailedPlaceForm(name, contact string) url.Values {
	f := newPlaceForm(name)
	f.Set("description", "Une **grange** partagée.\r\n\r\n- coworking\r\n- résidences\r\n\r\n<script>alert(1)</script>")
	f.Set("address", " 12 rue des Tanneurs \r\n\r\n 23200   Aubusson ")
	f.Set("contact", contact)
	return f
}

// placeDetailsRow reads a place's description, address and contact.
func placeDetailsRow(tb testing.TB, a *apptest.App, slug string) (description, address, contact string) {
	tb.Helper()
	if err := a.SQL.QueryRow(context.Background(), `SELECT description, address, contact FROM places WHERE slug = $1`, slug).
		Scan(&description, &address, &contact); err != nil {
		tb.Fatal(err)
	}
	return
}

func TestPlaceDetailsForm(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	r := c.Get("/tiers-lieux/nouveau")
	wantStatus(t, r, http.StatusOK)
	for field, tag := range map[string]string{"description": "textarea", "address": "textarea", "contact": "input"} {
		f := r.Doc.Find(`form[method=post][action="/tiers-lieux"] ` + tag + `[name=` + field + `]`)
		if f.Length() != 1 {
			t.Errorf("field %s in the form: got %d, want 1", field, f.Length())
		}
		if r.Doc.Find(`label[for="`+f.AttrOr("id", "?")+`"]`).Length() != 1 {
			t.Errorf("field %s has no label", field)
		}
	}
	if hint := text(r, "[data-testid=field-contact] .hint"); !strings.Contains(hint, "connectées") {
		t.Errorf("contact hint: got %q, want it to say who sees it", hint)
	}
}

func TestPlaceDetailsShown(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.Client(t)
	alice.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")

	r := alice.Post("/tiers-lieux", detailedPlaceForm("La Grange Partagée", " contact@grange.example "))
	wantRedirect(t, r, "/tiers-lieux/la-grange-partagee")
	desc, addr, contact := placeDetailsRow(t, a, "la-grange-partagee")
	if want := "Une **grange** partagée.\n\n- coworking\n- résidences\n\n<script>alert(1)</script>"; desc != want {
		t.Errorf("description stored: got %q, want %q", desc, want)
	}
	if addr != "12 rue des Tanneurs\n23200 Aubusson" || contact != "contact@grange.example" {
		t.Errorf("address and contact stored: got %q, %q", addr, contact)
	}

	// A logged-in person sees everything, the contact as a link.
	r = alice.Follow(r)
	wantStatus(t, r, http.StatusOK)
	d := r.Doc.Find("[data-testid=place-description]")
	if d.Find("strong").Text() != "grange" || d.Find("li").Length() != 2 || strings.Contains(r.Raw, "<script>alert") {
		t.Errorf("description: got %q, want rendered and sanitised Markdown", d.Text())
	}
	address := r.Doc.Find("[data-testid=address]")
	if address.Find("br").Length() != 1 || strings.Join(strings.Fields(address.Text()), " ") != "12 rue des Tanneurs 23200 Aubusson" {
		t.Errorf("address: got %q, want two lines", address.Text())
	}
	if href := r.Doc.Find("[data-testid=contact] a").AttrOr("href", ""); href != "mailto:contact@grange.example" {
		t.Errorf("contact link: got %q, want mailto:contact@grange.example", href)
	}

	// A visitor sees the description and the address, not the contact: it is nowhere in
	// the page, which tells how to see it.
	v := a.Client(t)
	r = v.Get("/tiers-lieux/la-grange-partagee")
	wantStatus(t, r, http.StatusOK)
	if r.Doc.Find("[data-testid=place-description] strong").Length() != 1 || r.Doc.Find("[data-testid=address]").Length() != 1 {
		t.Error("a visitor does not see the description or the address")
	}
	if strings.Contains(r.Raw, "contact@grange.example") || strings.Contains(r.Raw, "mailto:") || r.Doc.Find("[data-testid=contact]").Length() != 0 {
		t.Error("a visitor's page holds the contact")
	}
	if href := r.Doc.Find("[data-testid=contact-hidden] a").AttrOr("href", ""); href != "/connexion?suivant=%2Ftiers-lieux%2Fla-grange-partagee" {
		t.Errorf("login link for the contact: got %q", href)
	}
	// Nor does the list show it to anyone.
	if r := alice.Get("/tiers-lieux"); strings.Contains(r.Raw, "contact@grange.example") {
		t.Error("the list shows a contact")
	}

	// A phone number is a tel: link; no contact, no line.
	for contact, want := range map[string]string{"04 65 71 12 34": "tel:0465711234", "+33 4 65 71 12 34": "tel:+33465711234"} {
		r := alice.Follow(alice.Post("/tiers-lieux", detailedPlaceForm("Lieu "+contact, contact)))
		if got := r.Doc.Find("[data-testid=contact] a"); got.AttrOr("href", "") != want || strings.TrimSpace(got.Text()) != contact {
			t.Errorf("contact %q: got link %q to %q, want %q", contact, got.Text(), got.AttrOr("href", ""), want)
		}
	}
	r = alice.Follow(alice.Post("/tiers-lieux", newPlaceForm("Sans contact")))
	for _, sel := range []string{"[data-testid=contact]", "[data-testid=address]", "[data-testid=place-description]"} {
		if r.Doc.Find(sel).Length() != 0 {
			t.Errorf("%s on a place without it", sel)
		}
	}
	if r := v.Get("/tiers-lieux/sans-contact"); r.Doc.Find("[data-testid=contact-hidden]").Length() != 0 {
		t.Error("a visitor is told to log in to see a contact that does not exist")
	}
}

func TestPlaceDetailsInvalid(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	c.SignUp("Alice Martin", "alice@example.org", "motdepasse-solide")
	with := func(field, value string) url.Values {
		f := detailedPlaceForm("La Grange Partagée", "contact@grange.example")
		f.Set(field, value)
		return f
	}
	const notContact = "Indiquez une adresse e-mail ou un numéro de téléphone (par exemple 04 78 00 00 00 ou +33 4 78 00 00 00)."
	tests := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"long description", with("description", strings.Repeat("é", 5001)), "description", "La présentation ne doit pas dépasser 5 000 caractères."},
		{"long address", with("address", strings.Repeat("é", 301)), "address", "L’adresse ne doit pas dépasser 300 caractères."},
		{"six address lines", with("address", "a\nb\nc\nd\ne\nf"), "address", "L’adresse tient en 5 lignes au plus."},
		{"words as contact", with("contact", "appelez-nous"), "contact", notContact},
		{"short number", with("contact", "3631"), "contact", notContact},
		{"javascript contact", with("contact", "javascript:alert(1)"), "contact", notContact},
		{"e-mail without domain", with("contact", "contact@grange"), "contact", "Cette adresse e-mail n’est pas valide."},
		{"long contact", with("contact", strings.Repeat("a", 250)+"@grange.example"), "contact", "Le contact ne doit pas dépasser 254 caractères."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := c.Post("/tiers-lieux", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if got := text(r, "[data-testid=field-"+tt.field+"] [data-testid=error-"+tt.field+"]"); got != tt.want {
				t.Errorf("error beside %s: got %q, want %q", tt.field, got, tt.want)
			}
			if n := r.Doc.Find(".field-error").Length(); n != 1 {
				t.Errorf("field errors: got %d, want 1", n)
			}
			if r.Doc.Find("[data-testid=form-errors]").Length() != 1 {
				t.Error("no error summary")
			}
			// What was typed stays, to be corrected.
			if tt.field != "contact" && r.Doc.Find("[name=contact]").AttrOr("value", "") != "contact@grange.example" {
				t.Error("contact not kept")
			}
			if tt.field != "address" && r.Doc.Find("textarea[name=address]").Text() != "12 rue des Tanneurs\n23200 Aubusson" {
				t.Errorf("address not kept: %q", r.Doc.Find("textarea[name=address]").Text())
			}
		})
	}
	t.Cleanup(func() {
		if got := countRows(t, a, `SELECT count(*) FROM places`); got != 0 {
			t.Errorf("places after invalid forms: got %d, want 0", got)
		}
	})
}

func TestPlaceEdit(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", pass, fabrique.RoleContributor)
	bob := a.CreateUser(t, "Bob Durand", "bob@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Chloé Étrangère", "chloe@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Camille Coordination", "coord@example.org", pass, fabrique.RoleCoordinator)
	p, err := a.DB.CreatePlace(ctx, fabrique.NewPlace{Name: "Atelier des Pentes", City: "Lyon", Region: "Auvergne-Rhône-Alpes",
		Description: "Un fablab.", Address: "8 montée de la Grande-Côte\n69001 Lyon", Contact: "04 65 71 12 34"}, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustAcceptPlaceMember(t, a, p.ID, bob, alice)
	clients := map[string]*apptest.Client{"visiteur": a.Client(t)}
	for who, email := range map[string]string{"membre": "bob@example.org", "etranger": "chloe@example.org", "coordination": "coord@example.org"} {
		clients[who] = a.Client(t)
		clients[who].Login(email, pass)
	}
	path := "/tiers-lieux/atelier-des-pentes/modifier"
	before := func() (string, string, string) { return placeDetailsRow(t, a, p.Slug) }
	d0, a0, c0 := before()

	// Who sees the edit link and the form.
	for who, want := range map[string]int{"visiteur": 0, "etranger": 0, "membre": 1, "coordination": 1} {
		r := clients[who].Get("/tiers-lieux/atelier-des-pentes")
		if n := r.Doc.Find(`[data-testid=edit-place][href="` + path + `"]`).Length(); n != want {
			t.Errorf("edit link for %s: got %d, want %d", who, n, want)
		}
	}
	wantRedirect(t, clients["visiteur"].Get(path), "/connexion?suivant=%2Ftiers-lieux%2Fatelier-des-pentes%2Fmodifier")
	wantStatus(t, clients["etranger"].Get(path), http.StatusForbidden)
	wantStatus(t, clients["membre"].Get("/tiers-lieux/n-existe-pas/modifier"), http.StatusNotFound)
	r := clients["membre"].Get(path)
	wantStatus(t, r, http.StatusOK)
	form := r.Doc.Find(`form[method=post][action="` + path + `"]`)
	for sel, want := range map[string]string{
		"[name=name]":              "Atelier des Pentes",
		"[name=city]":              "Lyon",
		"[name=region] [selected]": "Auvergne-Rhône-Alpes",
		"[name=contact]":           "04 65 71 12 34",
	} {
		if got := form.Find(sel).AttrOr("value", ""); got != want {
			t.Errorf("edit form %s: got %q, want %q", sel, got, want)
		}
	}
	if got := form.Find("textarea[name=address]").Text(); got != "8 montée de la Grande-Côte\n69001 Lyon" {
		t.Errorf("edit form address: got %q", got)
	}
	if got := form.Find("textarea[name=description]").Text(); got != "Un fablab." {
		t.Errorf("edit form description: got %q", got)
	}

	edited := url.Values{"name": {"Les Ateliers des Pentes"}, "city": {"Lyon"}, "region": {"Auvergne-Rhône-Alpes"},
		"website": {""}, "description": {"Un *fablab* ouvert."}, "address": {"8 montée de la Grande-Côte\n69001 Lyon"},
		"contact": {"bonjour@pentes.example"}}
	// A stranger cannot, and an invalid form changes nothing.
	wantStatus(t, clients["etranger"].Post(path, edited), http.StatusForbidden)
	wantRedirect(t, clients["visiteur"].Post(path, edited), "/connexion")
	bad := url.Values{}
	for k, v := range edited {
		bad[k] = v
	}
	bad.Set("contact", "pas un contact")
	r = clients["membre"].Post(path, bad)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if got := text(r, "[data-testid=field-contact] [data-testid=error-contact]"); !strings.HasPrefix(got, "Indiquez une adresse e-mail ou un numéro") {
		t.Errorf("error beside the contact: got %q", got)
	}
	if got := r.Doc.Find("[name=contact]").AttrOr("value", ""); got != "pas un contact" {
		t.Errorf("typed contact kept: got %q", got)
	}
	if d, ad, c := before(); d != d0 || ad != a0 || c != c0 || countRows(t, a, `SELECT count(*) FROM places WHERE name = 'Atelier des Pentes'`) != 1 {
		t.Error("a refused edit changed the place")
	}

	// A member edits; the slug stays.
	r = clients["membre"].Post(path, edited)
	wantRedirect(t, r, "/tiers-lieux/atelier-des-pentes")
	r = clients["membre"].Follow(r)
	if text(r, "h1") != "Les Ateliers des Pentes" || r.Doc.Find("[data-testid=place-description] em").Text() != "fablab" ||
		r.Doc.Find(`[data-testid=contact] a[href="mailto:bonjour@pentes.example"]`).Length() != 1 {
		t.Errorf("after the edit: h1 %q, description %q, contact %q", text(r, "h1"),
			text(r, "[data-testid=place-description]"), text(r, "[data-testid=contact]"))
	}
	if text(r, "[data-testid=flash]") != "Le tiers-lieu est mis à jour." {
		t.Errorf("flash: got %q", text(r, "[data-testid=flash]"))
	}
	// A coordinator too.
	edited.Set("contact", "")
	wantRedirect(t, clients["coordination"].Post(path, edited), "/tiers-lieux/atelier-des-pentes")
	if _, _, c := before(); c != "" {
		t.Errorf("contact after the coordinator's edit: got %q, want none", c)
	}
}

func TestPlaceMap(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	alice := a.CreateUser(t, "Alice Martin", "alice@example.org", "motdepasse-solide", fabrique.RoleContributor)
	want := map[string]int{"Bretagne": 3, "Corse": 1, "La Réunion": 1, "Île-de-France": 10, "Provence-Alpes-Côte d’Azur": 5}
	n := 0
	for region, count := range want {
		for range count {
			n++
			mustCreatePlace(t, a, alice.ID, "Lieu "+idStr(int64(n)), region)
		}
	}
	shade := map[int]string{0: "shade-0", 1: "shade-1", 3: "shade-2", 5: "shade-3", 10: "shade-4"}

	c := a.Client(t)
	r := c.Get("/tiers-lieux")
	wantStatus(t, r, http.StatusOK)
	svg := r.Doc.Find("[data-testid=region-map] svg")
	if svg.AttrOr("viewBox", "") != "0 0 520 610" || svg.AttrOr("width", "") != "100%" || svg.Find("script, foreignObject, image").Length() != 0 {
		t.Errorf("svg: viewBox %q width %q", svg.AttrOr("viewBox", ""), svg.AttrOr("width", ""))
	}
	if r.Doc.Find("[data-testid=map-region]").Length() != 18 || r.Doc.Find("[data-testid=region-row]").Length() != 18 {
		t.Fatalf("regions: %d on the map, %d in the table, want 18 each",
			r.Doc.Find("[data-testid=map-region]").Length(), r.Doc.Find("[data-testid=region-row]").Length())
	}
	for _, region := range fabrique.Regions {
		count := want[region]
		href := "/tiers-lieux?region=" + url.QueryEscape(region)
		m := r.Doc.Find(`[data-testid=map-region][data-region="` + region + `"]`)
		if m.AttrOr("href", "") != href || m.AttrOr("data-count", "") != idStr(int64(count)) {
			t.Errorf("%s on the map: href %q count %q, want %q and %d", region, m.AttrOr("href", ""), m.AttrOr("data-count", ""), href, count)
		}
		if got, want := strings.TrimSpace(m.Find("title").Text()), region+" : "+placeCountFr(count); got != want {
			t.Errorf("%s title: got %q, want %q", region, got, want)
		}
		if got := m.Find("path").AttrOr("class", ""); got != shade[count] {
			t.Errorf("%s fill: got %q, want %q", region, got, shade[count])
		}
		row := r.Doc.Find(`[data-testid=region-row][data-region="` + region + `"]`)
		if row.Find("a").AttrOr("href", "") != href || strings.TrimSpace(row.Find("td").Text()) != idStr(int64(count)) {
			t.Errorf("%s in the table: %q", region, row.Text())
		}
		if m.AttrOr("aria-current", "") != "" || row.Find("a").AttrOr("aria-current", "") != "" {
			t.Errorf("%s marked current without a filter", region)
		}
	}
	// Each link leads to the list of its region, with as many places as the map says.
	r.Doc.Find("[data-testid=map-region]").Each(func(_ int, m *goquery.Selection) {
		if m.AttrOr("data-count", "") == "0" && m.AttrOr("data-region", "") != "Corse" {
			return
		}
		l := c.Get(m.AttrOr("href", ""))
		wantStatus(t, l, http.StatusOK)
		region := m.AttrOr("data-region", "")
		if got := len(placeSlugs(l)); got != min(want[region], placesPerPageInTest) {
			t.Errorf("list of %s: got %d cards, want %d", region, got, want[region])
		}
		l.Doc.Find("[data-testid=places] [data-testid=region]").Each(func(_ int, s *goquery.Selection) {
			if s.Text() != region {
				t.Errorf("list of %s shows a place of %s", region, s.Text())
			}
		})
		// The region shown is marked, on the map and in the table, and drawn last.
		if sel := l.Doc.Find(`[data-testid=map-region][aria-current=page]`); sel.AttrOr("data-region", "") != region || !sel.HasClass("selected") {
			t.Errorf("list of %s: current region on the map %q", region, sel.AttrOr("data-region", ""))
		}
		if l.Doc.Find("[data-testid=map-region]").Last().AttrOr("data-region", "") != region {
			t.Errorf("list of %s: its region is not drawn last", region)
		}
		if got := l.Doc.Find(`[data-testid=region-row] a[aria-current=page]`).Text(); got != region {
			t.Errorf("list of %s: current region in the table %q", region, got)
		}
	})

	// In English, the titles say it in English, with English plurals.
	en := a.Client(t)
	en.Get("/langue?lang=en&suivant=/")
	r = en.Get("/tiers-lieux")
	for region, want := range map[string]string{"Bretagne": "Bretagne: 3 third places", "Corse": "Corse: 1 third place", "Normandie": "Normandie: 0 third places"} {
		if got := strings.TrimSpace(r.Doc.Find(`[data-testid=map-region][data-region="` + region + `"] title`).Text()); got != want {
			t.Errorf("English title of %s: got %q, want %q", region, got, want)
		}
	}
}

// placesPerPageInTest is the length of a page of /tiers-lieux.
const placesPerPageInTest = 20

// placeCountFr says how many tiers-lieux, in French.
func placeCountFr(n int) string {
	if n > 1 {
		return idStr(int64(n)) + " tiers-lieux"
	}
	return idStr(int64(n)) + " tiers-lieu"
}
