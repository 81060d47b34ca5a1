package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerPlaceRoutes(r chi.Router) {}

// challengePlacesView gathers the tiers-lieux and communs part of a défi's page.
func (s *Server) challengePlacesView(r *http.Request, c *fabrique.Challenge) (pages.ChallengePlacesView, error) {
	return pages.ChallengePlacesView{Challenge: c}, nil
}
