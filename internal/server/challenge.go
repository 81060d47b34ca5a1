package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/markdown"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerChallengeRoutes(r chi.Router) {
	r.Get("/defis", s.handleChallengeIndex)
	r.With(s.requireLogin).Get("/defis/nouveau", s.handleChallengeNew)
	r.With(s.requireLogin).Post("/defis", s.handleChallengeCreate)
	r.Get("/defis/{slug}", s.handleChallengeShow)
}

// handleHome handles "GET /".
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	inProgress, err := s.db.ChallengesInProgress(r.Context(), 6)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	recent, _, err := s.db.Challenges(r.Context(), fabrique.ChallengeFilter{Status: fabrique.StatusIdentified, Limit: 4})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Home(pages.HomeView{
		Page: s.page(r, "Accueil"), InProgress: inProgress, Recent: recent}))
}

// handleChallengeNew handles "GET /defis/nouveau".
func (s *Server) handleChallengeNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.ChallengeNew(pages.ChallengeFormView{Page: s.page(r, "Proposer un défi")}))
}

// handleChallengeCreate handles "POST /defis".
func (s *Server) handleChallengeCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	form := fabrique.NewChallenge{
		Title:   r.PostForm.Get("title"),
		Summary: r.PostForm.Get("summary"),
		Problem: r.PostForm.Get("problem"),
	}
	form.Normalize()
	if err := form.Validate(); err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, pages.ChallengeNew(pages.ChallengeFormView{
			Page: s.page(r, "Proposer un défi"), Form: form, Errors: fabrique.ErrorFields(err)}))
		return
	}
	c, err := s.db.CreateChallenge(r.Context(), form, userFrom(r.Context()).ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Votre défi est publié. Faites-le connaître pour monter une équipe !")
	redirect(w, r, "/defis/"+c.Slug)
}

// handleChallengeShow handles "GET /defis/{slug}".
func (s *Server) handleChallengeShow(w http.ResponseWriter, r *http.Request) {
	c, err := s.db.ChallengeBySlug(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	team, err := s.db.ChallengeTeam(r.Context(), c.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	places, err := s.challengePlacesView(r, c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.ChallengeShowView{Page: s.page(r, c.Title), Challenge: c, ProblemHTML: markdown.Render(c.Problem), Team: team, Places: places}
	vm.Page.Title = c.Title // a title people wrote is not a catalog key
	s.render(w, r, http.StatusOK, pages.ChallengeShow(vm))
}
