package server

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerFramingRoutes(r chi.Router) {
	r.With(s.requireLogin).Get("/defis/{slug}/cadrage", s.handleFramingEdit)
	r.With(s.requireLogin).Post("/defis/{slug}/cadrage", s.handleFramingUpdate)
}

// framingView prepares the framing part of the défi's page; its editors get a link to
// the edit page.
func framingView(c *fabrique.Challenge, sheet *fabrique.FramingSheet, a fabrique.Actor) pages.ChallengeFramingView {
	vm := pages.ChallengeFramingView{
		FramingSheet: *sheet,
		Slug:         c.Slug,
		HTML:         map[string]template.HTML{},
		Missing:      sheet.Framing.Missing(),
		CanEdit:      a.Coordinator || a.Member,
	}
	for _, fd := range fabrique.FramingFields {
		if v := sheet.Framing.Get(fd.Name); v != "" {
			vm.HTML[fd.Name] = markdown.Render(v)
		}
	}
	return vm
}

// handleFramingEdit handles "GET /defis/{slug}/cadrage": the form editing the framing,
// for the team and the coordination (403 for anyone else), with every commun of the
// cartographie to tick.
func (s *Server) handleFramingEdit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok {
		return
	}
	sheet, err := s.db.FramingForEditor(r.Context(), c.ID, userFrom(r.Context()))
	if err != nil {
		s.error(w, r, err)
		return
	}
	chosen := map[int64]bool{}
	for _, co := range sheet.Solutions {
		chosen[co.ID] = true
	}
	s.renderFramingEdit(w, r, http.StatusOK, c, sheet.Framing, chosen, nil)
}

// renderFramingEdit answers with the framing's edit page, its form holding f and chosen.
func (s *Server) renderFramingEdit(w http.ResponseWriter, r *http.Request, status int, c *fabrique.Challenge, f fabrique.Framing, chosen map[int64]bool, errs map[string]string) {
	choices, err := cached(r.Context(), s.data, "commons-for-framing", s.db.CommonsForFraming)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.FramingEditView{Page: s.page(r, "Modifier le cadrage"), Slug: c.Slug, Title: c.Title,
		Choices: choices, Form: f, Chosen: chosen, Errors: errs}
	s.render(w, r, status, pages.FramingEdit(vm))
}

// handleFramingUpdate handles "POST /defis/{slug}/cadrage": the team (or a coordinator)
// saves the framing and the communs it names as existing solutions.
func (s *Server) handleFramingUpdate(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	var f fabrique.Framing
	for _, fd := range fabrique.FramingFields {
		f.Set(fd.Name, r.PostForm.Get(fd.Name))
	}
	f.Normalize()
	var ids []int64
	for _, v := range r.PostForm["solution_commons"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			id = 0 // names no commun: the store refuses it after checking the rights
		}
		ids = append(ids, id)
	}
	// The store validates, after the rights: someone outside the team gets 403 whatever they sent.
	err := s.db.SaveFraming(r.Context(), c.ID, userFrom(r.Context()), f, ids)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "Le cadrage est enregistré.")
		redirect(w, r, "/defis/"+c.Slug+"#titre-cadrage")
	case fabrique.EINVALID:
		chosen := map[int64]bool{}
		for _, id := range ids {
			chosen[id] = true
		}
		s.renderFramingEdit(w, r, http.StatusUnprocessableEntity, c, f, chosen, fabrique.ErrorFields(err))
	default:
		s.error(w, r, err)
	}
}
