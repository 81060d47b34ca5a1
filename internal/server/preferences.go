package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerPreferencesRoutes(r chi.Router) {
	r.With(s.requireLogin).Get("/espace/notifications/preferences", s.handlePreferencesShow)
	r.With(s.requireLogin).Post("/espace/notifications/preferences", s.handlePreferencesSave)
}

func (s *Server) handlePreferencesShow(w http.ResponseWriter, r *http.Request) {
	prefs, err := s.db.NotificationPreferences(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vm := pages.PreferencesView{Page: s.page(r, "Mes préférences de notification"), Prefs: prefs, Saved: r.URL.Query().Get("enregistre") == "1"}
	s.render(w, r, http.StatusOK, pages.NotificationPreferences(vm))
}

// handlePreferencesSave records one delivery per kind sent; a kind left out keeps its
// value, an unknown value refuses the whole form (422), nothing saved.
func (s *Server) handlePreferencesSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	user := userFrom(r.Context())
	current, err := s.db.NotificationPreferences(r.Context(), user.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	chosen := map[fabrique.NotificationKind]fabrique.Delivery{}
	errs := map[string]string{}
	for _, k := range fabrique.NotificationKinds {
		v, sent := r.PostForm[string(k.Kind)]
		if !sent {
			continue
		}
		d := fabrique.Delivery(v[0])
		if len(v) != 1 || !d.Valid() {
			errs[string(k.Kind)] = "Choisissez l’une des trois façons d’être prévenu·e."
			continue
		}
		chosen[k.Kind] = d
		current[k.Kind] = d
	}
	if len(errs) > 0 {
		vm := pages.PreferencesView{Page: s.page(r, "Mes préférences de notification"), Prefs: current, Errors: errs}
		s.render(w, r, http.StatusUnprocessableEntity, pages.NotificationPreferences(vm))
		return
	}
	if err := s.db.SetNotificationPreferences(r.Context(), user.ID, chosen); err != nil {
		s.serverError(w, r, err)
		return
	}
	redirect(w, r, "/espace/notifications/preferences?enregistre=1")
}
