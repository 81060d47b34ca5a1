package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerNotificationRoutes(r chi.Router) {
	r.With(s.requireLogin).Get("/espace/notifications", s.handleNotifications)
	r.With(s.requireLogin).Post("/espace/notifications/lues", s.handleNotificationsRead)
}

func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.UserNotifications(r.Context(), userFrom(r.Context()).ID, pages.NotificationsLimit)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.NotificationsView{Page: s.page(r, "Mes notifications"), Notifications: list}
	for _, n := range list {
		if n.ReadAt == nil {
			vm.Unread++
		}
	}
	s.render(w, r, http.StatusOK, pages.Notifications(vm))
}

func (s *Server) handleNotificationsRead(w http.ResponseWriter, r *http.Request) {
	if err := s.db.MarkNotificationsRead(r.Context(), userFrom(r.Context()).ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/espace/notifications")
}
