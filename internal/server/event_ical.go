package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/ical"
)

// Calendars (RFC 5545): the public agenda, one rendez-vous, and each person's private feed
// of what they registered for. The public ones never carry the visio link; the private
// one does, for the rendez-vous the person holds a seat at.

// siteURL is the absolute URL of the site for r: BASE_URL, else the request's own.
func (s *Server) siteURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/")
	}
	return s.requestScheme(r) + "://" + r.Host
}

// icalEvent is e as a calendar event; visio adds the visio link.
func (s *Server) icalEvent(r *http.Request, e *fabrique.Event, visio bool) ical.Event {
	ctx := r.Context()
	base := s.siteURL(r)
	host := base
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	var where []string
	if e.PlaceName != "" {
		where = append(where, e.PlaceName+", "+e.PlaceCity)
	}
	if e.Online {
		where = append(where, i18n.T(ctx, "En ligne"))
	}
	desc := e.Summary
	if visio && e.VisioURL != "" && !e.Cancelled() {
		desc += "\n\n" + i18n.T(ctx, "Lien de la visio :") + " " + e.VisioURL
	}
	if e.Cancelled() {
		desc = i18n.T(ctx, "Ce rendez-vous est annulé.") + " " + e.CancelReason + "\n\n" + desc
	}
	return ical.Event{
		UID:     "rendez-vous-" + strconv.FormatInt(e.ID, 10) + "@" + host,
		Summary: e.Title, Description: desc + "\n\n" + base + "/rendez-vous/" + e.Slug,
		Location: strings.Join(where, " · "), URL: base + "/rendez-vous/" + e.Slug,
		Start: e.StartsAt, End: e.EndsAt, Stamp: e.UpdatedAt, Created: e.CreatedAt,
		Sequence: e.Sequence, Cancelled: e.Cancelled(),
	}
}

// writeCalendar answers c as text/calendar, named file.
func (s *Server) writeCalendar(w http.ResponseWriter, r *http.Request, c ical.Calendar, file string, private bool) {
	var buf bytes.Buffer
	if err := ical.Write(&buf, c); err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="`+file+`"`)
	if private {
		h.Set("Cache-Control", "private, no-store")
		h.Set("Referrer-Policy", "no-referrer")
	}
	_, _ = w.Write(buf.Bytes())
}

// handleAgendaICS handles "GET /agenda.ics": the rendez-vous to come (cancelled ones
// included, so that calendars learn of it).
func (s *Server) handleAgendaICS(w http.ResponseWriter, r *http.Request) {
	list, _, err := s.db.Events(r.Context(), fabrique.EventFilter{Now: time.Now(), Limit: 500})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	c := ical.Calendar{Name: i18n.T(r.Context(), "Agenda de la Fabrique à communs")}
	for _, e := range list {
		c.Events = append(c.Events, s.icalEvent(r, e, false))
	}
	s.writeCalendar(w, r, c, "agenda.ics", false)
}

// handleEventICS answers "GET /rendez-vous/{slug}.ics" for e.
func (s *Server) handleEventICS(w http.ResponseWriter, r *http.Request, e *fabrique.Event) {
	s.writeCalendar(w, r, ical.Calendar{Name: e.Title, Events: []ical.Event{s.icalEvent(r, e, false)}}, e.Slug+".ics", false)
}

// handleMyAgendaICS handles "GET /espace/agenda.ics?jeton=…": the person's rendez-vous,
// for whoever holds the link (a calendar application has no session).
func (s *Server) handleMyAgendaICS(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.UserEventsByCalendarToken(r.Context(), r.URL.Query().Get("jeton"), time.Now())
	if fabrique.ErrorCode(err) == fabrique.ENOTFOUND {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, i18n.T(r.Context(), "Ce lien d’agenda n’est plus valable : il a été renouvelé. Reprenez le nouveau dans votre espace."), http.StatusNotFound)
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	c := ical.Calendar{Name: i18n.T(r.Context(), "Mes rendez-vous — Fabrique à communs")}
	for _, er := range list {
		c.Events = append(c.Events, s.icalEvent(r, er.Event, er.State == fabrique.RegistrationRegistered))
	}
	s.writeCalendar(w, r, c, "mes-rendez-vous.ics", true)
}

// handleMyAgendaRenew handles "POST /espace/agenda/jeton": a new private link; the old
// one stops working.
func (s *Server) handleMyAgendaRenew(w http.ResponseWriter, r *http.Request) {
	if _, err := s.db.CalendarToken(r.Context(), userFrom(r.Context()).ID, true); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(r.Context(), "Le lien de votre agenda est renouvelé : l’ancien ne fonctionne plus.")
	redirect(w, r, "/espace#mes-rendez-vous")
}
