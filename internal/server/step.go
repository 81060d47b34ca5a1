package server

import "github.com/go-chi/chi/v5"

func (s *Server) registerStepRoutes(r chi.Router) {}
