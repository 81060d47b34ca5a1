package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerContributionRoutes(r chi.Router) {}

// challengeBudgetView gathers the budget and contributions part of a défi's page.
func (s *Server) challengeBudgetView(r *http.Request, c *fabrique.Challenge) (pages.ChallengeBudgetView, error) {
	return pages.ChallengeBudgetView{Challenge: c}, nil
}

// espaceContributionsView gathers the viewer's contributions for /espace.
func (s *Server) espaceContributionsView(r *http.Request, u *fabrique.User) (pages.EspaceContributionsView, error) {
	return pages.EspaceContributionsView{UserID: u.ID}, nil
}
