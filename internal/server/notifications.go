package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerNotificationRoutes(r chi.Router) {
	r.With(s.requireLogin).Get("/espace/notifications", s.handleNotifications)
	r.With(s.requireLogin).Post("/espace/notifications/lues", s.handleNotificationsRead)
}

func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	page := pageNumber(r.URL.Query())
	list, total, err := s.db.UserNotificationsPage(r.Context(), u.ID, pages.NotificationsPerPage, (page-1)*pages.NotificationsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Notifications(pages.NotificationsView{Page: s.page(r, "Mes notifications"),
		Notifications: list, Unread: u.Unread,
		Pager: components.NewPager(page, pages.NotificationsPerPage, total, "/espace/notifications?")}))
}

func (s *Server) handleNotificationsRead(w http.ResponseWriter, r *http.Request) {
	if err := s.db.MarkNotificationsRead(r.Context(), userFrom(r.Context()).ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/espace/notifications")
}
