package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/csvexport"
	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Rendez-vous (DESIGN §2, §5): the agenda, each rendez-vous' page, registration within
// capacity, and what its organiser does.

func (s *Server) registerEventRoutes(r chi.Router) {
	r.Get("/agenda", s.handleAgenda)
	r.Get("/agenda.ics", s.handleAgendaICS)
	r.Get("/espace/agenda.ics", s.handleMyAgendaICS)
	r.With(s.requireLogin).Post("/espace/agenda/jeton", s.handleMyAgendaRenew)
	r.With(s.requireLogin).Get("/rendez-vous/nouveau", s.handleEventNew)
	r.With(s.requireLogin).Post("/rendez-vous", s.handleEventCreate)
	r.Get("/rendez-vous/{slug}", s.handleEventShow)
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin)
		r.Post("/rendez-vous/{slug}/inscription", s.handleEventRegister)
		r.Post("/rendez-vous/{slug}/desinscription", s.handleEventWithdraw)
		r.Get("/rendez-vous/{slug}/modifier", s.handleEventEdit)
		r.Post("/rendez-vous/{slug}/modifier", s.handleEventUpdate)
		r.Post("/rendez-vous/{slug}/annulation", s.handleEventCancel)
		r.Get("/rendez-vous/{slug}/participants", s.handleEventParticipants)
		r.Get("/rendez-vous/{slug}/participants.csv", s.handleEventParticipantsCSV)
		r.Post("/rendez-vous/{slug}/presences", s.handleEventAttendance)
		r.Post("/rendez-vous/{slug}/compte-rendu", s.handleEventMinutes)
	})
}

const eventsPerPage = 20

// handleAgenda handles "GET /agenda": upcoming rendez-vous (or past ones, ?passes=1),
// filtered by type, the host place's region and the commun.
func (s *Server) handleAgenda(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := pageNumber(q)
	f := fabrique.EventFilter{Kind: q.Get("type"), Region: q.Get("region"), CommonsSlug: q.Get("commun"),
		Past: q.Get("passes") == "1", Now: time.Now(), Limit: eventsPerPage, Offset: (page - 1) * eventsPerPage}
	if !fabrique.ValidEventKind(f.Kind) {
		f.Kind = ""
	}
	if !fabrique.ValidRegion(f.Region) {
		f.Region = ""
	}
	s.renderShared(w, r, http.StatusOK, "agenda", i18n.T(r.Context(), "Agenda"), func(ctx context.Context, p components.Page) (templ.Component, error) {
		// The same for everyone: from the data cache (an entry's freshness — the TTL, or
		// twenty times a long load — bounds how late a rendez-vous that has just ended
		// moves to the past ones).
		key := fmt.Sprintf("agenda\x00%s\x00%s\x00%s\x00%t\x00%d", f.Kind, f.Region, f.CommonsSlug, f.Past, f.Offset)
		list, total, err := cached2(ctx, s.data, key, func(ctx context.Context) ([]*fabrique.Event, int, error) {
			return s.db.Events(ctx, f)
		})
		if err != nil {
			return nil, err
		}
		commons, err := cached(ctx, s.data, "commons-choices", s.db.CommonsChoices)
		if err != nil {
			return nil, err
		}
		base := "/agenda?type=" + url.QueryEscape(f.Kind) + "&region=" + url.QueryEscape(f.Region) + "&commun=" + url.QueryEscape(f.CommonsSlug)
		if f.Past {
			base += "&passes=1"
		}
		return pages.Agenda(pages.AgendaView{Page: p, Events: list, Total: total,
			Pager: components.NewPager(page, eventsPerPage, total, base+"&"), Kind: f.Kind, Region: f.Region,
			Commons: f.CommonsSlug, Past: f.Past, CommonsList: commons, CanOrganise: userFrom(ctx).IsCoordinator()}), nil
	}, nil)
}

// eventForm reads the rendez-vous form from the request.
func eventForm(r *http.Request) fabrique.EventForm {
	p := r.PostForm
	f := fabrique.EventForm{Title: p.Get("title"), Kind: p.Get("kind"), Summary: p.Get("summary"),
		Description: p.Get("description"), CommonsSlug: p.Get("commons_slug"), ChallengeSlug: p.Get("challenge_slug"),
		PlaceSlug: p.Get("place_slug"), Online: p.Get("online") != "", VisioURL: p.Get("visio_url"),
		StartsAt: p.Get("starts_at"), EndsAt: p.Get("ends_at"), Capacity: p.Get("capacity")}
	f.Normalize()
	return f
}

// renderEventForm shows the form with status, its choices read again.
func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, status int, title, slug string, f fabrique.EventForm, errs map[string]string) {
	commons, places, err := s.db.EventFormChoices(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, pages.EventFormPage(pages.EventFormView{Page: s.page(r, title), Slug: slug, Form: f,
		Errors: errs, Commons: commons, Places: places}))
}

// handleEventNew handles "GET /rendez-vous/nouveau", ?commun= and ?defi= filling the links.
func (s *Server) handleEventNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := fabrique.EventForm{CommonsSlug: q.Get("commun"), ChallengeSlug: q.Get("defi"), Online: true}
	ok, err := s.db.MayOrganiseEvent(r.Context(), userFrom(r.Context()), f.CommonsSlug, f.ChallengeSlug)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		s.renderError(w, r, http.StatusForbidden, "Accès refusé", fabrique.ErrNotOrganiser.Message)
		return
	}
	s.renderEventForm(w, r, http.StatusOK, "Organiser un rendez-vous", "", f, nil)
}

// handleEventCreate handles "POST /rendez-vous".
func (s *Server) handleEventCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	f := eventForm(r)
	err := f.Validate()
	var e *fabrique.Event
	if err == nil {
		e, err = s.db.CreateEvent(r.Context(), userFrom(r.Context()), f)
	}
	if fabrique.ErrorCode(err) == fabrique.EINVALID {
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, "Organiser un rendez-vous", "", f, fabrique.ErrorFields(err))
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le rendez-vous est publié dans l’agenda.")
	redirect(w, r, "/rendez-vous/"+e.Slug)
}

// eventFor reads the rendez-vous of the path and what its page knows of the viewer; it
// answers the request itself (404, 500) and returns nil when it cannot.
func (s *Server) eventFor(w http.ResponseWriter, r *http.Request) (*fabrique.Event, fabrique.EventViewerFacts) {
	e, err := s.db.EventBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return nil, fabrique.EventViewerFacts{}
	}
	facts, err := s.db.EventViewer(r.Context(), e, userFrom(r.Context()))
	if err != nil {
		s.serverError(w, r, err)
		return nil, facts
	}
	return e, facts
}

// handleEventShow handles "GET /rendez-vous/{slug}".
func (s *Server) handleEventShow(w http.ResponseWriter, r *http.Request) {
	if slug, ok := strings.CutSuffix(chi.URLParam(r, "slug"), ".ics"); ok {
		// "/rendez-vous/{slug}.ics": a slug has no dot, so the suffix names the calendar.
		e, err := s.db.EventBySlug(r.Context(), slug)
		if err != nil {
			s.error(w, r, err)
			return
		}
		s.handleEventICS(w, r, e)
		return
	}
	e, facts := s.eventFor(w, r)
	if e == nil {
		return
	}
	u := userFrom(r.Context())
	vm := pages.EventShowView{Page: s.page(r, e.Title), Event: e,
		DescriptionHTML: markdown.Render(e.Description), MinutesHTML: markdown.Render(e.Minutes),
		Viewer: facts, SeeVisio: fabrique.MaySeeVisio(u, facts), Manage: u.IsCoordinator() || facts.Organiser, Now: time.Now()}
	if e.Kind == fabrique.EventResidence {
		res, err := s.db.EventResidency(r.Context(), e)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		vm.Residency = &res
	}
	s.render(w, r, http.StatusOK, pages.EventShow(vm))
}

// handleEventRegister handles "POST /rendez-vous/{slug}/inscription".
func (s *Server) handleEventRegister(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	// The rendez-vous's id alone (kept by slug, slugIDs): what the viewer has to do with it
	// (eventFor) does not matter here, RegisterForEvent reads it and decides under its lock.
	slug := chi.URLParam(r, "slug")
	id, err := s.eventID(r.Context(), slug)
	if err != nil {
		s.error(w, r, err)
		return
	}
	msg := cleanText(r.PostForm.Get("message"))
	if utf8.RuneCountInString(msg) > 1000 {
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Le message ne doit pas dépasser 1 000 caractères.")
		return
	}
	reg, created, err := s.db.RegisterForEvent(r.Context(), id, userFrom(r.Context()).ID, msg, time.Now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch {
	case !created:
		s.flash(r.Context(), "Vous étiez déjà inscrit·e : votre message est mis à jour.")
	case reg.State == fabrique.RegistrationWaiting:
		s.flash(r.Context(), "Le rendez-vous est complet : vous êtes en liste d’attente. Vous serez prévenu·e si une place se libère.")
	default:
		s.flash(r.Context(), "Vous êtes inscrit·e. À bientôt !")
	}
	redirect(w, r, "/rendez-vous/"+slug)
}

// handleEventWithdraw handles "POST /rendez-vous/{slug}/desinscription".
func (s *Server) handleEventWithdraw(w http.ResponseWriter, r *http.Request) {
	e, _ := s.eventFor(w, r)
	if e == nil {
		return
	}
	if _, err := s.db.WithdrawFromEvent(r.Context(), e.ID, userFrom(r.Context()).ID, time.Now()); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Vous êtes désinscrit·e : votre place est libérée.")
	redirect(w, r, "/rendez-vous/"+e.Slug)
}

// eventManager reads the rendez-vous of the path for its organiser or a coordinator; it
// answers the request itself and returns nil otherwise.
func (s *Server) eventManager(w http.ResponseWriter, r *http.Request) *fabrique.Event {
	e, facts := s.eventFor(w, r)
	if e == nil {
		return nil
	}
	if !userFrom(r.Context()).IsCoordinator() && !facts.Organiser {
		s.renderError(w, r, http.StatusForbidden, "Accès refusé", fabrique.ErrNotOrganiser.Message)
		return nil
	}
	return e
}

// handleEventEdit handles "GET /rendez-vous/{slug}/modifier".
func (s *Server) handleEventEdit(w http.ResponseWriter, r *http.Request) {
	e := s.eventManager(w, r)
	if e == nil {
		return
	}
	s.renderEventForm(w, r, http.StatusOK, "Modifier le rendez-vous", e.Slug, e.Form(), nil)
}

// handleEventUpdate handles "POST /rendez-vous/{slug}/modifier".
func (s *Server) handleEventUpdate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	e := s.eventManager(w, r)
	if e == nil {
		return
	}
	f := eventForm(r)
	err := f.Validate()
	if err == nil {
		_, _, _, err = s.db.UpdateEvent(r.Context(), userFrom(r.Context()), e.ID, f)
	}
	if fabrique.ErrorCode(err) == fabrique.EINVALID {
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, "Modifier le rendez-vous", e.Slug, f, fabrique.ErrorFields(err))
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le rendez-vous est modifié.")
	redirect(w, r, "/rendez-vous/"+e.Slug)
}

// handleEventCancel handles "POST /rendez-vous/{slug}/annulation".
func (s *Server) handleEventCancel(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	e := s.eventManager(w, r)
	if e == nil {
		return
	}
	reason := cleanText(r.PostForm.Get("reason"))
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "Dites pourquoi le rendez-vous est annulé : les personnes inscrites le liront.")
		return
	case n > 2000:
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "La raison ne doit pas dépasser 2 000 caractères.")
		return
	}
	if _, err := s.db.CancelEvent(r.Context(), userFrom(r.Context()), e.ID, reason); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le rendez-vous est annulé ; il reste visible, marqué annulé.")
	redirect(w, r, "/rendez-vous/"+e.Slug)
}

// handleEventParticipants handles "GET /rendez-vous/{slug}/participants": the people
// registered, then those waiting in order, with who was there; the attendance and minutes
// forms; printed, the attendance sheet (« feuille d’émargement »).
func (s *Server) handleEventParticipants(w http.ResponseWriter, r *http.Request) {
	e := s.eventManager(w, r)
	if e == nil {
		return
	}
	s.renderParticipants(w, r, http.StatusOK, e, e.Minutes, e.ReplayURL, nil)
}

func (s *Server) renderParticipants(w http.ResponseWriter, r *http.Request, status int, e *fabrique.Event, minutes, replay string, errs map[string]string) {
	list, err := s.db.EventRegistrations(r.Context(), e.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, status, pages.EventParticipants(pages.EventParticipantsView{Page: s.page(r, "Participant·es"),
		Event: e, Registrations: list, Now: time.Now(), Minutes: minutes, ReplayURL: replay, Errors: errs}))
}

// handleEventParticipantsCSV handles "GET /rendez-vous/{slug}/participants.csv".
func (s *Server) handleEventParticipantsCSV(w http.ResponseWriter, r *http.Request) {
	e := s.eventManager(w, r)
	if e == nil {
		return
	}
	list, err := s.db.EventRegistrations(r.Context(), e.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	cw := csvexport.NewWriter(&buf, csvexport.Format{CRLF: true, DateLayout: "02/01/2006 15:04"})
	cw.Header("Nom", "E-mail", "État", "Rang en liste d’attente", "Présent·e", "Inscription", "Message")
	for _, g := range list {
		state, rank, present := "Inscrit·e", "", "non"
		if g.State == fabrique.RegistrationWaiting {
			state, rank = "En liste d’attente", strconv.Itoa(g.Position)
		}
		if g.Present {
			present = "oui"
		}
		cw.Row(csvexport.Text(g.Name), csvexport.Text(g.Email), csvexport.Text(state), csvexport.Text(rank),
			csvexport.Text(present), csvexport.Date(g.RegisteredAt.In(paris)), csvexport.Text(g.Message))
	}
	s.sendCSV(w, r, &buf, cw, "participants-"+e.Slug+".csv", true)
}

// handleEventAttendance handles "POST /rendez-vous/{slug}/presences": present, repeated,
// are the ids of the people who came; once the rendez-vous has started.
func (s *Server) handleEventAttendance(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	e := s.eventManager(w, r)
	if e == nil {
		return
	}
	if !e.Started(time.Now()) {
		s.error(w, r, fabrique.ErrNotStarted)
		return
	}
	var ids []int64
	for _, v := range r.PostForm["present"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", "La liste des présences est mal formée.")
			return
		}
		ids = append(ids, id)
	}
	if _, err := s.db.RecordAttendance(r.Context(), userFrom(r.Context()), e.ID, ids); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Les présences sont enregistrées.")
	redirect(w, r, "/rendez-vous/"+e.Slug+"/participants")
}

// handleEventMinutes handles "POST /rendez-vous/{slug}/compte-rendu".
func (s *Server) handleEventMinutes(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	e := s.eventManager(w, r)
	if e == nil {
		return
	}
	minutes := strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get("minutes"), "\r\n", "\n"))
	replay := strings.TrimSpace(r.PostForm.Get("replay_url"))
	if err := fabrique.ValidateMinutes(minutes, replay); err != nil {
		s.renderParticipants(w, r, http.StatusUnprocessableEntity, e, minutes, replay, fabrique.ErrorFields(err))
		return
	}
	if err := s.db.SetEventMinutes(r.Context(), e.ID, minutes, replay); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(r.Context(), "Le compte rendu est publié sur la page du rendez-vous.")
	redirect(w, r, "/rendez-vous/"+e.Slug)
}
