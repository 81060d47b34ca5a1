package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerSeedRoutes(r chi.Router) {}

// challengeSeedView gathers the seed-request part of a défi's page.
func (s *Server) challengeSeedView(r *http.Request, c *fabrique.Challenge) (pages.ChallengeSeedView, error) {
	return pages.ChallengeSeedView{Challenge: c}, nil
}
