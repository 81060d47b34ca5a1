package server

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerStatusRoutes(r chi.Router) {
	r.With(s.requireLogin).Post("/defis/{slug}/statut", s.handleStatusChange)
}

// handleStatusChange handles "POST /defis/{slug}/statut": the défi moves to another step
// by the rules of fabrique.CheckTransition, judged by the store under a lock. A move the
// rules refuse re-renders the page with the reason next to the statut field.
func (s *Server) handleStatusChange(w http.ResponseWriter, r *http.Request) {
	c, ok := s.challengeFromURL(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	to := fabrique.Status(strings.TrimSpace(r.PostForm.Get("statut")))
	note := strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get("note"), "\r\n", "\n"))
	err := s.db.ChangeStatus(r.Context(), c.ID, userFrom(r.Context()), to, note)
	switch fabrique.ErrorCode(err) {
	case "":
		s.flash(r.Context(), "L’étape du défi est mise à jour.")
		redirect(w, r, "/defis/"+c.Slug)
	case fabrique.EINVALID:
		s.renderChallengeInvalid(w, r, c.Slug, func(vm *pages.ChallengeShowView) {
			vm.Status.Selected, vm.Status.Note, vm.Status.Errors = to, note, fabrique.ErrorFields(err)
		})
	default:
		s.error(w, r, err)
	}
}
