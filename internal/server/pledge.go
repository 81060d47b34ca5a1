package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerPledgeRoutes(r chi.Router) {}

// callPledgesView gathers the pledges part of a call's page.
func (s *Server) callPledgesView(r *http.Request, call *fabrique.Call, steps []fabrique.Step) (pages.CallPledgesView, error) {
	return pages.CallPledgesView{Call: call, Steps: steps}, nil
}

// espacePledgesView gathers the viewer's pledges for /espace.
func (s *Server) espacePledgesView(r *http.Request, u *fabrique.User) (pages.EspacePledgesView, error) {
	return pages.EspacePledgesView{UserID: u.ID}, nil
}

// coordinationPledgesView gathers the promises waiting for the coordination.
func (s *Server) coordinationPledgesView(r *http.Request) (pages.CoordinationPledgesView, error) {
	return pages.CoordinationPledgesView{}, nil
}
