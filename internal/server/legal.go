package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Publisher is who publishes and who hosts the platform, for the legal pages
// (Config.Publisher); an alias, so that the command line sets it without knowing the
// pages.
type Publisher = pages.Publisher

func (s *Server) registerLegalRoutes(r chi.Router) {
	r.Get("/mentions-legales", s.handleLegalNotice)
	r.Get("/donnees-personnelles", s.handlePrivacy)
	r.Get("/accessibilite", s.handleAccessibility)
}

// handleLegalNotice handles "GET /mentions-legales": publisher, publication director, host.
func (s *Server) handleLegalNotice(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.LegalNotice(pages.LegalNoticeView{
		Page: s.page(r, "Mentions légales"), Publisher: s.cfg.Publisher}))
}

// handlePrivacy handles "GET /donnees-personnelles": what is kept, why, how long, who to
// ask. Its durations are the server's settings, so the page cannot drift from the code.
func (s *Server) handlePrivacy(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.Privacy(pages.PrivacyView{
		Page:            s.page(r, "Données personnelles"),
		Publisher:       s.cfg.Publisher,
		SessionIdle:     s.cfg.SessionIdleTimeout,
		SessionLifetime: sessionLifetime,
		SessionCleanup:  sessionCleanupEvery,
		LoginWindow:     s.cfg.LoginWindow,
		SignUpWindow:    s.cfg.SignUpWindow,
	}))
}

// handleAccessibility handles "GET /accessibilite": the accessibility statement.
func (s *Server) handleAccessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.Accessibility(pages.AccessibilityView{
		Page: s.page(r, "Déclaration d’accessibilité"), Publisher: s.cfg.Publisher,
		Date: pages.AccessibilityStatementDate}))
}
