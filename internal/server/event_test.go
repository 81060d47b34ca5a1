package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

var parisZone, _ = time.LoadLocation("Europe/Paris")

// eventFormValues is a valid rendez-vous form starting in days days at 14:00 Paris.
func eventFormValues(title string, days int, capacity string) url.Values {
	start := time.Now().In(parisZone).AddDate(0, 0, days)
	start = time.Date(start.Year(), start.Month(), start.Day(), 14, 0, 0, 0, parisZone)
	return url.Values{"title": {title}, "kind": {fabrique.EventRessources}, "summary": {"Une heure pour découvrir Loot et le prendre en main."},
		"online": {"1"}, "visio_url": {"https://visio.example.org/loot-secret"},
		"starts_at": {start.Format(fabrique.EventTimeLayout)}, "ends_at": {start.Add(90 * time.Minute).Format(fabrique.EventTimeLayout)},
		"capacity": {capacity}}
}

// A coordinator publishes a session; people register within its capacity and then wait;
// the visio link is shown to the registered ones only (never to a visitor, a person
// waiting, the agenda); a withdrawal promotes the first waiting; the cancelled session
// stays visible, marked.
func TestEventJourney(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithPageCache(time.Minute))
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Camille Coordination", "coord@example.org", pass, fabrique.RoleCoordinator)
	a.CreateUser(t, "Awa Traoré", "awa@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Bruno Martin", "bruno@example.org", pass, fabrique.RoleContributor)
	coord, awa, bruno, visitor := a.Client(t), a.Client(t), a.Client(t), a.Client(t)
	coord.Login("coord@example.org", pass)
	awa.Login("awa@example.org", pass)
	bruno.Login("bruno@example.org", pass)

	if r := awa.Get("/rendez-vous/nouveau"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a contributor opening the form: %d, want 403", r.StatusCode)
	}
	if r := awa.Post("/rendez-vous", eventFormValues("Session Loot", 7, "1")); r.StatusCode != http.StatusForbidden {
		t.Errorf("a contributor publishing: %d, want 403", r.StatusCode)
	}
	bad := eventFormValues("Session Loot", 7, "1")
	bad.Set("ends_at", bad.Get("starts_at"))
	bad.Set("capacity", "zéro")
	if r := coord.Post("/rendez-vous", bad); r.StatusCode != 422 || r.Doc.Find(`[data-testid="error-ends_at"], #erreur-ends_at`).Length() == 0 {
		t.Errorf("end at the start: %d\n%s", r.StatusCode, r.Doc.Find(".error-summary").Text())
	}
	if n := countRows(t, a, `SELECT count(*) FROM events`); n != 0 {
		t.Fatalf("%d rendez-vous after a refused form", n)
	}
	r := coord.Post("/rendez-vous", eventFormValues("Session Loot", 7, "1"))
	if r.StatusCode != 303 || r.Location() != "/rendez-vous/session-loot" {
		t.Fatalf("publish: %d → %q", r.StatusCode, r.Location())
	}
	const page = "/rendez-vous/session-loot"
	const secret = "visio.example.org/loot-secret"
	for who, c := range map[string]*apptest.Client{"a visitor": visitor, "a logged-in non-participant": bruno} {
		if r := c.Get(page); r.StatusCode != 200 || strings.Contains(r.Raw, secret) {
			t.Errorf("%s: %d, visio shown %v", who, r.StatusCode, strings.Contains(r.Raw, secret))
		}
	}
	if r := visitor.Get("/agenda"); r.Doc.Find(`[data-testid="event-card"][data-slug="session-loot"]`).Length() != 1 || strings.Contains(r.Raw, secret) {
		t.Errorf("the agenda: card %d, visio %v", r.Doc.Find(`[data-testid="event-card"]`).Length(), strings.Contains(r.Raw, secret))
	}

	if r := awa.Post(page+"/inscription", url.Values{"message": {"Je viens pour le tiers-lieu de Rennes."}}); r.StatusCode != 303 {
		t.Fatalf("Awa registers: %d", r.StatusCode)
	}
	if r := awa.Get(page); r.Doc.Find(`[data-testid="registration-state"][data-state="inscrit"]`).Length() != 1 || !strings.Contains(r.Raw, secret) {
		t.Errorf("Awa registered: state %q, visio %v", r.Doc.Find(`[data-testid="registration-state"]`).Text(), strings.Contains(r.Raw, secret))
	}
	if r := bruno.Post(page+"/inscription", nil); r.StatusCode != 303 {
		t.Fatalf("Bruno registers: %d", r.StatusCode)
	}
	r = bruno.Get(page)
	if r.Doc.Find(`[data-testid="registration-state"][data-state="attente"]`).Length() != 1 || strings.Contains(r.Raw, secret) {
		t.Errorf("Bruno waiting: %q, visio %v", r.Doc.Find(`[data-testid="registration-state"]`).Text(), strings.Contains(r.Raw, secret))
	}
	if !strings.Contains(r.Body, "en position 1") {
		t.Error("Bruno's page does not give his rank")
	}
	if r := visitor.Get(page); strings.Contains(r.Raw, secret) || !strings.Contains(r.Body, "Complet") {
		t.Errorf("the visitor's page once full: visio %v", strings.Contains(r.Raw, secret))
	}
	if r := awa.Post(page+"/desinscription", nil); r.StatusCode != 303 {
		t.Fatalf("Awa withdraws: %d", r.StatusCode)
	}
	if r := bruno.Get(page); r.Doc.Find(`[data-testid="registration-state"][data-state="inscrit"]`).Length() != 1 || !strings.Contains(r.Raw, secret) {
		t.Error("Bruno is not promoted when Awa withdraws")
	}
	if r := awa.Post(page+"/desinscription", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("withdrawing twice: %d, want 409", r.StatusCode)
	}
	if r := bruno.Post(page+"/annulation", url.Values{"reason": {"Non."}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a participant cancelling: %d, want 403", r.StatusCode)
	}
	if r := coord.Post(page+"/annulation", url.Values{"reason": {""}}); r.StatusCode != 422 {
		t.Errorf("cancelling without a reason: %d, want 422", r.StatusCode)
	}
	if r := coord.Post(page+"/annulation", url.Values{"reason": {"L’intervenante est malade ; la session est reportée."}}); r.StatusCode != 303 {
		t.Fatalf("cancel: %d", r.StatusCode)
	}
	r = visitor.Get(page)
	if r.StatusCode != 200 || r.Doc.Find(`[data-testid="event-cancelled-banner"]`).Length() != 1 || !strings.Contains(r.Body, "intervenante est malade") {
		t.Errorf("the cancelled page: %d", r.StatusCode)
	}
	if r := awa.Post(page+"/inscription", nil); r.StatusCode != http.StatusConflict {
		t.Errorf("registering for a cancelled one: %d, want 409", r.StatusCode)
	}
}

// The porteuse of a défi organises its rendez-vous; the agenda filters by type and by past.
func TestEventByPorteuseAndAgendaFilters(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Four solaire", Summary: "Cuire au soleil.", Problem: "Le gaz coûte."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	paule := a.Client(t)
	paule.Login("paule@example.org", pass)
	if r := paule.Get("/rendez-vous/nouveau?defi=" + c.Slug); r.StatusCode != 200 {
		t.Fatalf("the porteuse's form: %d", r.StatusCode)
	}
	v := eventFormValues("Atelier four solaire", 3, "")
	v.Set("kind", fabrique.EventAtelier)
	v.Set("challenge_slug", c.Slug)
	if r := paule.Post("/rendez-vous", v); r.StatusCode != 303 {
		t.Fatalf("the porteuse publishes: %d\n%s", r.StatusCode, r.Doc.Find(".error-summary, .field-error").Text())
	}
	if _, err := a.SQL.Exec(ctx, `INSERT INTO events (slug, kind, title, summary, online, starts_at, ends_at, organiser_id)
		VALUES ('ancienne-session', 'ressources-et-vous', 'Ancienne session', 'Passée.', true, now() - interval '30 days', now() - interval '29 days', $1)`, lead.ID); err != nil {
		t.Fatal(err)
	}
	visitor := a.Client(t)
	slugs := func(path string) []string {
		var out []string
		visitor.Get(path).Doc.Find(`[data-testid="event-card"]`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("data-slug", "")) })
		return out
	}
	if got := slugs("/agenda"); len(got) != 1 || got[0] != "atelier-four-solaire" {
		t.Errorf("upcoming: %v", got)
	}
	if got := slugs("/agenda?type=ressources-et-vous"); len(got) != 0 {
		t.Errorf("upcoming sessions: %v", got)
	}
	if got := slugs("/agenda?passes=1"); len(got) != 1 || got[0] != "ancienne-session" {
		t.Errorf("past: %v", got)
	}
	if _, err := a.SQL.Exec(ctx, `UPDATE events SET minutes = 'Ce qui a été dit.' WHERE slug = 'ancienne-session'`); err != nil {
		t.Fatal(err)
	}
	if r := visitor.Get("/agenda?passes=1"); r.Doc.Find(`[data-testid="event-has-minutes"]`).Length() != 1 {
		t.Error("the past session does not say its minutes are online")
	}
	if r := visitor.Get("/agenda?type=<script>&region=nulle-part&page=-3"); r.StatusCode != 200 {
		t.Errorf("junk filters: %d", r.StatusCode)
	}
	// Its porteuse is offered to organise one from the défi's page; a visitor is not.
	if r := paule.Get("/defis/" + c.Slug); r.Doc.Find(`[data-testid="organise-event"]`).AttrOr("href", "") != "/rendez-vous/nouveau?defi="+c.Slug {
		t.Error("the porteuse is not offered to organise a rendez-vous from her défi")
	}
	if r := visitor.Get("/defis/" + c.Slug); r.Doc.Find(`[data-testid="organise-event"]`).Length() != 0 {
		t.Error("a visitor is offered to organise a rendez-vous")
	}
	// The défi's page and the home page show it.
	for _, path := range []string{"/defis/" + c.Slug, "/"} {
		if r := visitor.Get(path); r.Doc.Find(`[data-testid="upcoming-events"] [data-slug="atelier-four-solaire"]`).Length() != 1 {
			t.Errorf("%s does not show the atelier", path)
		}
	}
	// A « Ressources & vous » on a commun: on the commun's page and in the cartographie.
	if _, err := a.SQL.Exec(ctx, `INSERT INTO commons (slug, name, kind, summary) VALUES ('loot', 'Loot', 'logiciel', 'Les jours.')`); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SQL.Exec(ctx, `INSERT INTO events (slug, kind, title, summary, online, starts_at, ends_at, organiser_id, commons_id)
		VALUES ('decouvrir-loot', 'ressources-et-vous', 'Découvrir Loot', 'Une heure.', true, now() + interval '3 days', now() + interval '3 days 1 hour', $1,
		        (SELECT id FROM commons WHERE slug = 'loot'))`, lead.ID); err != nil {
		t.Fatal(err)
	}
	if r := visitor.Get("/communs/loot"); r.Doc.Find(`[data-testid="upcoming-events"] [data-slug="decouvrir-loot"]`).Length() != 1 {
		t.Error("the commun's page does not show its session")
	}
	if r := visitor.Get("/communs"); r.Doc.Find(`[data-testid="next-session"]`).Length() != 1 {
		t.Error("the cartographie does not say Loot has a session coming")
	}
	if r := visitor.Get("/rendez-vous/inconnu"); r.StatusCode != 404 {
		t.Errorf("an unknown rendez-vous: %d", r.StatusCode)
	}
	// Registering to one: 404 too, nothing written (the id is found by slug, kept once
	// found: a slug not found is not kept).
	if r := paule.Post("/rendez-vous/inconnu/inscription", nil); r.StatusCode != 404 {
		t.Errorf("registering to an unknown rendez-vous: %d", r.StatusCode)
	}
}

// Once started, the organiser records who came (only registered people can be marked),
// prints the list, downloads it as CSV, and publishes the minutes and the replay.
func TestEventAttendanceAndMinutes(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Camille Coordination", "coord@example.org", pass, fabrique.RoleCoordinator)
	awa := a.CreateUser(t, "Awa Traoré", "awa@example.org", pass, fabrique.RoleContributor)
	bruno := a.CreateUser(t, "Bruno Martin", "bruno@example.org", pass, fabrique.RoleContributor)
	chloe := a.CreateUser(t, "Chloé =SOMME(A1)", "chloe@example.org", pass, fabrique.RoleContributor)
	coord := a.Client(t)
	coord.Login("coord@example.org", pass)
	if r := coord.Post("/rendez-vous", eventFormValues("Session Dokos", 2, "2")); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	const page = "/rendez-vous/session-dokos"
	for _, u := range []*fabrique.User{awa, bruno, chloe} {
		c := a.Client(t)
		c.Login(u.Email, pass)
		if r := c.Post(page+"/inscription", url.Values{"message": {"Bonjour"}}); r.StatusCode != 303 {
			t.Fatalf("%s registers: %d", u.DisplayName, r.StatusCode)
		}
	}
	if r := coord.Post(page+"/presences", url.Values{"present": {fmt.Sprint(awa.ID)}}); r.StatusCode != http.StatusConflict {
		t.Errorf("attendance before the start: %d, want 409", r.StatusCode)
	}
	if _, err := a.SQL.Exec(ctx, `UPDATE events SET starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour'`); err != nil {
		t.Fatal(err)
	}
	// Chloé waits: marking her present changes nothing.
	if r := coord.Post(page+"/presences", url.Values{"present": {fmt.Sprint(awa.ID), fmt.Sprint(chloe.ID)}}); r.StatusCode != 303 {
		t.Fatalf("attendance: %d", r.StatusCode)
	}
	if r := coord.Post(page+"/presences", url.Values{"present": {"douze"}}); r.StatusCode != 422 {
		t.Errorf("junk ids: %d, want 422", r.StatusCode)
	}
	present := map[string]string{}
	r := coord.Get(page + "/participants")
	r.Doc.Find(`[data-testid="participant"]`).Each(func(_ int, s *goquery.Selection) {
		present[s.AttrOr("data-user", "")] = s.AttrOr("data-state", "") + "/" + s.AttrOr("data-present", "")
	})
	want := map[string]string{fmt.Sprint(awa.ID): "inscrit/true", fmt.Sprint(bruno.ID): "inscrit/false", fmt.Sprint(chloe.ID): "attente/false"}
	if fmt.Sprint(present) != fmt.Sprint(want) {
		t.Errorf("participants %v, want %v", present, want)
	}
	csv := coord.Get(page + "/participants.csv")
	if csv.StatusCode != 200 || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv.Raw, "Awa Traoré;awa@example.org;Inscrit·e;;oui;") || !strings.Contains(csv.Raw, "Chloé =SOMME(A1);chloe@example.org;En liste d’attente;1;non;") {
		t.Errorf("CSV %d:\n%s", csv.StatusCode, csv.Raw)
	}
	participant := a.Client(t)
	participant.Login("awa@example.org", pass)
	for _, path := range []string{page + "/participants", page + "/participants.csv"} {
		if r := participant.Get(path); r.StatusCode != http.StatusForbidden {
			t.Errorf("a participant opening %s: %d, want 403", path, r.StatusCode)
		}
	}
	if r := coord.Post(page+"/compte-rendu", url.Values{"minutes": {"Présentation de Dokos."}, "replay_url": {"pas un lien"}}); r.StatusCode != 422 {
		t.Errorf("a bad replay link: %d, want 422", r.StatusCode)
	}
	if r := coord.Post(page+"/compte-rendu", url.Values{"minutes": {"## Ce qui a été vu\n\nLa **réservation** des salles."}, "replay_url": {"https://replay.example.org/dokos"}}); r.StatusCode != 303 {
		t.Fatalf("minutes: %d", r.StatusCode)
	}
	r = a.Client(t).Get(page)
	if m := r.Doc.Find(`[data-testid="event-minutes"]`); m.Find("strong").Text() != "réservation" || m.Find(`a[href="https://replay.example.org/dokos"]`).Length() != 1 {
		t.Errorf("minutes on the page: %q", m.Text())
	}
}

// A participant marked present at a residency about a défi logs 2 days there without
// being in its team; the porteuse validates them as usual. Someone absent, or a day
// outside the residency, is refused with 422; the residency's page counts the days.
func TestResidencyDays(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	ctx := context.Background()
	const pass = "motdepasse-solide"
	lead := a.CreateUser(t, "Paule Porteuse", "paule@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Awa Traoré", "awa@example.org", pass, fabrique.RoleContributor)
	a.CreateUser(t, "Bruno Martin", "bruno@example.org", pass, fabrique.RoleContributor)
	c, err := a.DB.CreateChallenge(ctx, fabrique.NewChallenge{Title: "Four solaire", Summary: "Cuire au soleil.", Problem: "Le gaz coûte."}, lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SQL.Exec(ctx, `UPDATE challenges SET status = 'equipe' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	paule, awa, bruno := a.Client(t), a.Client(t), a.Client(t)
	paule.Login("paule@example.org", pass)
	awa.Login("awa@example.org", pass)
	bruno.Login("bruno@example.org", pass)
	v := eventFormValues("Résidence four solaire", 2, "")
	v.Set("kind", fabrique.EventResidence)
	v.Set("challenge_slug", c.Slug)
	start := time.Now().In(parisZone).AddDate(0, 0, 2)
	first := time.Date(start.Year(), start.Month(), start.Day(), 9, 0, 0, 0, parisZone)
	v.Set("starts_at", first.Format(fabrique.EventTimeLayout))
	v.Set("ends_at", first.AddDate(0, 0, 2).Add(8*time.Hour).Format(fabrique.EventTimeLayout))
	if r := paule.Post("/rendez-vous", v); r.StatusCode != 303 {
		t.Fatalf("the residency: %d %s", r.StatusCode, r.Doc.Find(".field-error").Text())
	}
	const page = "/rendez-vous/residence-four-solaire"
	for _, p := range []*apptest.Client{awa, bruno} {
		if r := p.Post(page+"/inscription", nil); r.StatusCode != 303 {
			t.Fatalf("register: %d", r.StatusCode)
		}
	}
	// The residency has happened: its days are in the past, Awa came, Bruno did not.
	if _, err := a.SQL.Exec(ctx, `UPDATE events SET starts_at = starts_at - interval '10 days', ends_at = ends_at - interval '10 days'`); err != nil {
		t.Fatal(err)
	}
	var awaID int64
	if err := a.SQL.QueryRow(ctx, `SELECT id FROM users WHERE email = 'awa@example.org'`).Scan(&awaID); err != nil {
		t.Fatal(err)
	}
	if r := paule.Post(page+"/presences", url.Values{"present": {fmt.Sprint(awaID)}}); r.StatusCode != 303 {
		t.Fatalf("attendance: %d", r.StatusCode)
	}
	var eventID int64
	var firstDay time.Time
	if err := a.SQL.QueryRow(ctx, `SELECT id, starts_at FROM events`).Scan(&eventID, &firstDay); err != nil {
		t.Fatal(err)
	}
	day := func(offset int) string { return firstDay.In(parisZone).AddDate(0, 0, offset).Format("2006-01-02") }
	post := func(cl *apptest.Client, date, days string) *apptest.Response {
		return cl.Post("/defis/"+c.Slug+"/contributions", url.Values{"event_id": {fmt.Sprint(eventID)}, "date": {date},
			"days": {days}, "activity": {"developpement"}, "suivant": {page + "#jours"}})
	}
	if r := awa.Get(page); r.Doc.Find(`[data-testid="residency-form"]`).Length() != 1 {
		t.Error("Awa, present, is not offered the residency form")
	}
	if r := bruno.Get(page); r.Doc.Find(`[data-testid="residency-form"]`).Length() != 0 {
		t.Error("Bruno, absent, is offered the residency form")
	}
	if r := post(bruno, day(0), "1"); r.StatusCode != 422 {
		t.Errorf("absent Bruno: %d, want 422", r.StatusCode)
	}
	if r := post(awa, day(5), "1"); r.StatusCode != 422 {
		t.Errorf("a day outside the residency: %d, want 422", r.StatusCode)
	}
	if r := awa.Post("/defis/"+c.Slug+"/contributions", url.Values{"date": {day(0)}, "days": {"1"}, "activity": {"developpement"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("Awa without the residency, not in the team: %d, want 403", r.StatusCode)
	}
	for _, d := range []string{day(0), day(1)} {
		if r := post(awa, d, "1"); r.StatusCode != 303 || r.Location() != page+"#jours" {
			t.Fatalf("Awa's day %s: %d → %q", d, r.StatusCode, r.Location())
		}
	}
	if n := countRows(t, a, `SELECT count(*) FROM contributions WHERE event_id = $1 AND state = 'declaree'`, eventID); n != 2 {
		t.Errorf("%d residency contributions, want 2", n)
	}
	if r := awa.Get(page); !strings.Contains(r.Doc.Find(`[data-testid="residency-days"]`).Text(), "2 jours") {
		t.Errorf("the residency's days: %q", r.Doc.Find(`[data-testid="residency-days"]`).Text())
	}
}
