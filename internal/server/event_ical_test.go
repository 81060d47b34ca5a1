package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
)

// parseICS reads a calendar answer back with a real parser and returns its events by UID.
func parseICS(t *testing.T, r *apptest.Response) map[string]*ics.VEvent {
	t.Helper()
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if strings.Count(r.Raw, "\n") != strings.Count(r.Raw, "\r\n") {
		t.Error("a line does not end in CRLF")
	}
	cal, err := ics.ParseCalendar(strings.NewReader(r.Raw))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	out := map[string]*ics.VEvent{}
	for _, e := range cal.Events() {
		out[e.Id()] = e
	}
	return out
}

func icsProp(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// The public agenda's calendar, one rendez-vous' calendar and a person's private feed:
// the UID stays across fetches and an edit, SEQUENCE rises, a cancellation says
// CANCELLED, the visio link is only in the private feed of a registered person, and a
// wrong or renewed token is refused.
func TestEventCalendars(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	const pass = "motdepasse-solide"
	a.CreateUser(t, "Camille Coordination", "coord@example.org", pass, fabrique.RoleCoordinator)
	a.CreateUser(t, "Awa Traoré", "awa@example.org", pass, fabrique.RoleContributor)
	coord, awa, visitor := a.Client(t), a.Client(t), a.Client(t)
	coord.Login("coord@example.org", pass)
	awa.Login("awa@example.org", pass)
	form := eventFormValues("Session Movilab, wiki; et plus", 5, "")
	if r := coord.Post("/rendez-vous", form); r.StatusCode != 303 {
		t.Fatalf("publish: %d", r.StatusCode)
	}
	if r := coord.Post("/rendez-vous", eventFormValues("Autre session", 6, "")); r.StatusCode != 303 {
		t.Fatalf("publish another: %d", r.StatusCode)
	}
	const slug = "session-movilab-wiki-et-plus"
	const secret = "visio.example.org/loot-secret"

	first := parseICS(t, visitor.Get("/agenda.ics"))
	if len(first) != 2 {
		t.Fatalf("%d events in the agenda's calendar, want 2", len(first))
	}
	var uid string
	for id, e := range first {
		if icsProp(e, ics.ComponentPropertySummary) == "Session Movilab, wiki; et plus" {
			uid = id
		}
	}
	if uid == "" || strings.Contains(visitor.Get("/agenda.ics").Raw, secret) {
		t.Fatalf("the agenda's calendar: uid %q, or it holds the visio link", uid)
	}
	one := parseICS(t, visitor.Get("/rendez-vous/"+slug+".ics"))
	if one[uid] == nil || len(one) != 1 || icsProp(one[uid], ics.ComponentPropertySequence) != "0" {
		t.Fatalf("the rendez-vous' calendar: %v", one)
	}
	form.Set("title", "Session Movilab, renommée")
	if r := coord.Post("/rendez-vous/"+slug+"/modifier", form); r.StatusCode != 303 {
		t.Fatalf("edit: %d", r.StatusCode)
	}
	edited := parseICS(t, visitor.Get("/rendez-vous/"+slug+".ics"))[uid]
	if edited == nil || icsProp(edited, ics.ComponentPropertySequence) != "1" || icsProp(edited, ics.ComponentPropertySummary) != "Session Movilab, renommée" {
		t.Fatalf("after the edit: %+v", edited)
	}

	if r := awa.Post("/rendez-vous/"+slug+"/inscription", nil); r.StatusCode != 303 {
		t.Fatalf("register: %d", r.StatusCode)
	}
	feed := awa.Get("/espace").Doc.Find(`[data-testid="calendar-url"]`).Text()
	u, err := url.Parse(feed)
	if err != nil || u.Query().Get("jeton") == "" {
		t.Fatalf("private feed URL %q", feed)
	}
	mine := visitor.Get(u.RequestURI()) // a calendar application: no session
	if got := parseICS(t, mine); len(got) != 1 || got[uid] == nil || !strings.Contains(mine.Raw, secret) {
		t.Errorf("the private feed: %d events, visio %v", len(got), strings.Contains(mine.Raw, secret))
	}
	if r := visitor.Get("/espace/agenda.ics?jeton=faux"); r.StatusCode != http.StatusNotFound {
		t.Errorf("a wrong token: %d, want 404", r.StatusCode)
	}
	if r := awa.Post("/espace/agenda/jeton", nil); r.StatusCode != 303 {
		t.Fatalf("renew: %d", r.StatusCode)
	}
	if r := visitor.Get(u.RequestURI()); r.StatusCode != http.StatusNotFound {
		t.Errorf("the old link after renewal: %d, want 404", r.StatusCode)
	}

	if r := coord.Post("/rendez-vous/"+slug+"/annulation", url.Values{"reason": {"Reporté."}}); r.StatusCode != 303 {
		t.Fatalf("cancel: %d", r.StatusCode)
	}
	cancelled := parseICS(t, visitor.Get("/agenda.ics"))[uid]
	if cancelled == nil || icsProp(cancelled, ics.ComponentPropertyStatus) != "CANCELLED" || icsProp(cancelled, ics.ComponentPropertySequence) != "2" {
		t.Errorf("cancelled: %+v", cancelled)
	}
}
