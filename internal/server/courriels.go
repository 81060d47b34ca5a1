package server

import (
	"net/http"
	"net/url"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// The outbox (DESIGN §3b): every e-mail the platform wrote, what became of it, and each
// one as it was rendered — where, without SMTP_URL, coordinators read the mail.

func (s *Server) registerOutboxRoutes(r chi.Router) {
	r.Group(func(r chi.Router) {
		r.Use(s.requireLogin, s.coordinatorsOnly)
		r.Get("/coordination/courriels", s.handleOutboxIndex)
		r.Get("/coordination/courriels/{id}", s.handleOutboxShow)
		r.Post("/coordination/courriels/{id}/renvoyer", s.handleOutboxResend)
		r.Get("/coordination/comptes", s.handleAccounts)
	})
}

const accountsPerPage = 50

// handleAccounts handles "GET /coordination/comptes": the accounts, newest first, with
// whether each address is confirmed; ?q= finds a name or an address.
func (s *Server) handleAccounts(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r.URL.Query())
	q := cleanText(r.URL.Query().Get("q"))
	if utf8.RuneCountInString(q) > 100 {
		q = string([]rune(q)[:100])
	}
	list, total, err := s.db.Accounts(r.Context(), q, accountsPerPage, (page-1)*accountsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Accounts(pages.AccountsView{Page: s.page(r, "Comptes"), Query: q,
		Accounts: list, Total: total, Pager: components.NewPager(page, accountsPerPage, total, "/coordination/comptes?q="+url.QueryEscape(q)+"&")}))
}

const emailsPerPage = 50

// handleOutboxIndex handles "GET /coordination/courriels": the outbox, newest first.
func (s *Server) handleOutboxIndex(w http.ResponseWriter, r *http.Request) {
	page := pageNumber(r.URL.Query())
	list, total, err := s.db.Emails(r.Context(), emailsPerPage, (page-1)*emailsPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Outbox(pages.OutboxView{Page: s.page(r, "Courriels"),
		Emails: list, Total: total, Pager: components.NewPager(page, emailsPerPage, total, "/coordination/courriels?")}))
}

// handleOutboxShow handles "GET /coordination/courriels/{id}": one e-mail, rendered.
func (s *Server) handleOutboxShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	e, err := s.db.Email(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Email(pages.EmailView{Page: s.page(r, "Courriel"), Email: e}))
}

// handleOutboxResend handles "POST /coordination/courriels/{id}/renvoyer": a failed
// e-mail queued again; any other is a 409, changing nothing.
func (s *Server) handleOutboxResend(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	if err := s.db.ResendEmail(r.Context(), id); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r.Context(), "Le courriel est de nouveau en attente d’envoi.")
	redirect(w, r, "/coordination/courriels/"+chi.URLParam(r, "id"))
}
