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
	r.With(s.requireLogin).Post("/defis/{slug}/cadrage", s.handleFramingUpdate)
}

// framingView prepares the framing part of the défi's page; the communs to choose from
// are read only for those who may edit.
func (s *Server) framingView(r *http.Request, c *fabrique.Challenge, sheet *fabrique.FramingSheet, a fabrique.Actor) (pages.ChallengeFramingView, error) {
	vm := pages.ChallengeFramingView{
		FramingSheet: *sheet,
		Slug:         c.Slug,
		HTML:         map[string]template.HTML{},
		Missing:      sheet.Framing.Missing(),
		CanEdit:      a.Coordinator || a.Member,
		Form:         sheet.Framing,
		Chosen:       map[int64]bool{},
	}
	for _, fd := range fabrique.FramingFields {
		if v := sheet.Framing.Get(fd.Name); v != "" {
			vm.HTML[fd.Name] = markdown.Render(v)
		}
	}
	for _, co := range sheet.Solutions {
		vm.Chosen[co.ID] = true
	}
	if vm.CanEdit {
		choices, err := cached(r.Context(), s.data, "commons-for-framing", s.db.CommonsForFraming)
		if err != nil {
			return pages.ChallengeFramingView{}, err
		}
		vm.Choices = choices
	}
	return vm, nil
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
		s.renderChallengeInvalid(w, r, c.Slug, func(vm *pages.ChallengeShowView) {
			vm.Framing.Form, vm.Framing.Errors = f, fabrique.ErrorFields(err)
			vm.Framing.Chosen = map[int64]bool{}
			for _, id := range ids {
				vm.Framing.Chosen[id] = true
			}
		})
	default:
		s.error(w, r, err)
	}
}
