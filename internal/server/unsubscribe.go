package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

func (s *Server) registerUnsubscribeRoutes(r chi.Router) {
	r.Get("/desabonnement/{token}", s.handleUnsubscribe)
	// RFC 8058's one-click POST comes from the mail provider, with no session and from
	// another origin: the token in the path is the authority, and all it can do is send
	// fewer e-mails (crossOrigin lets this pattern through).
	r.Post("/desabonnement/{token}", s.handleUnsubscribe)
}

// unsubscribePattern is the route crossOrigin lets through from other origins.
const unsubscribePattern = "POST /desabonnement/{token}"

// handleUnsubscribe shows what the link stops (GET, which changes nothing: mail scanners
// follow links) or stops it (POST) and says so.
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	done := r.Method == http.MethodPost
	look := s.db.UnsubscribeKinds
	if done {
		look = s.db.Unsubscribe
	}
	kinds, err := look(r.Context(), token)
	if fabrique.ErrorCode(err) == fabrique.ENOTFOUND {
		s.notFound(w, r)
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.render(w, r, http.StatusOK, pages.Unsubscribe(pages.UnsubscribeView{Page: s.page(r, "Ne plus recevoir ces courriels"), Token: token, Kinds: kinds, Done: done}))
}
