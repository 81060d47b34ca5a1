package server

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// The account's own pages (DESIGN §5, OWASP's forgot-password and session guidance):
// password reset, e-mail verification and change, /espace/compte. The e-mails are made by
// jobs (postgres.MakeAccountEmail): a handler queues them in its transaction.

func (s *Server) registerAccountRoutes(r chi.Router) {
	r.Get("/mot-de-passe-oublie", s.handleForgotForm)
	r.Post("/mot-de-passe-oublie", s.handleForgot)
	r.Get("/mot-de-passe/{token}", s.handleResetForm)
	r.Post("/mot-de-passe/{token}", s.handleReset)
	r.Get("/verification/{token}", s.handleVerify)
	r.With(s.requireLogin).Post("/espace/verification", s.handleVerifyAgain)
	r.With(s.requireLogin).Get("/espace/compte", s.handleAccount)
	r.With(s.requireLogin).Post("/espace/compte", s.handleAccountPost)
	r.With(s.requireLogin).Get("/espace/donnees", s.handleMyData)
	r.With(s.requireLogin).Get("/espace/compte/suppression", s.handleDeleteForm)
	r.With(s.requireLogin).Post("/espace/compte/suppression", s.handleDelete)
}

// handleMyData handles "GET /espace/donnees": everything the platform holds about the
// person, as a JSON file.
func (s *Server) handleMyData(w http.ResponseWriter, r *http.Request) {
	data, err := s.db.PersonalData(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="fabrique-mes-donnees-`+franceToday().Format("2006-01-02")+`.json"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(data)
}

// handleDeleteForm handles "GET /espace/compte/suppression".
func (s *Server) handleDeleteForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, pages.DeleteAccount(pages.DeleteAccountView{Page: s.page(r, "Supprimer mon compte")}))
}

// handleDelete handles "POST /espace/compte/suppression": with the password, the account's
// personal data erased, its money records kept under a pseudonym, every session ended.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	invalid := func(status int, field, msg string) {
		vm := pages.DeleteAccountView{Page: s.page(r, "Supprimer mon compte")}
		if field != "" {
			vm.Errors = map[string]string{field: msg}
		} else {
			vm.Message = msg
		}
		s.render(w, r, status, pages.DeleteAccount(vm))
	}
	wait, err := s.db.TakeLoginAttempt(ctx, s.clientAddr(r), u.Email, s.loginPolicy())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wait > 0 {
		invalid(retryAfter(w, wait), "", "Trop de tentatives. Réessayez plus tard.")
		return
	}
	if ok, err := password.Check(r.PostForm.Get("password"), u.PasswordHash); err != nil || !ok {
		invalid(http.StatusUnprocessableEntity, "password", "Ce n’est pas votre mot de passe actuel.")
		return
	}
	if err := s.db.LoginSucceeded(ctx, s.clientAddr(r), u.Email); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.db.DeleteAccount(ctx, u.ID); errors.Is(err, fabrique.ErrLastCoordinator) {
		invalid(http.StatusConflict, "", fabrique.ErrLastCoordinator.Message)
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(ctx, sessionUserID)
	s.flash(ctx, "Votre compte est supprimé. Vos données personnelles sont effacées ; les traces comptables restent, sous un pseudonyme.")
	redirect(w, r, "/")
}

func lang(r *http.Request) string { return string(i18n.LangFrom(r.Context())) }

// noReferrer keeps a link's token out of the Referer of anything the page loads or links
// to, and the page out of every cache.
func noReferrer(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
}

// handleForgotForm handles "GET /mot-de-passe-oublie".
func (s *Server) handleForgotForm(w http.ResponseWriter, r *http.Request) {
	vm := pages.ForgotPasswordView{Page: s.page(r, "Mot de passe oublié")}
	if u := userFrom(r.Context()); u != nil {
		vm.Email = u.Email
	}
	s.render(w, r, http.StatusOK, pages.ForgotPassword(vm))
}

// handleForgot handles "POST /mot-de-passe-oublie": the same answer, after the same work
// (one transaction queueing one job), whether the address has an account or not.
func (s *Server) handleForgot(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	vm := pages.ForgotPasswordView{Page: s.page(r, "Mot de passe oublié"), Email: email}
	if msg := fabrique.ValidateEmail(email); msg != "" {
		vm.Errors = map[string]string{"email": msg}
		s.render(w, r, http.StatusUnprocessableEntity, pages.ForgotPassword(vm))
		return
	}
	wait, err := s.db.RequestPasswordReset(r.Context(), s.clientAddr(r), email, lang(r), s.cfg.ResetMaxPerIP, s.cfg.ResetWindow)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wait > 0 {
		vm.Message = "Trop de demandes depuis votre adresse. Réessayez plus tard."
		s.render(w, r, retryAfter(w, wait), pages.ForgotPassword(vm))
		return
	}
	vm.Sent = true
	s.render(w, r, http.StatusOK, pages.ForgotPassword(vm))
}

// linkInvalid answers 410 Gone for a link that no longer works, with the way to a new one.
func (s *Server) linkInvalid(w http.ResponseWriter, r *http.Request, again, againLabel string) {
	s.render(w, r, http.StatusGone, pages.LinkInvalid(pages.LinkInvalidView{Page: s.page(r, "Lien expiré"),
		Message: fabrique.ErrTokenInvalid.Message, Again: again, AgainLabel: againLabel}))
}

// handleResetForm handles "GET /mot-de-passe/{token}".
func (s *Server) handleResetForm(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	token := chi.URLParam(r, "token")
	if err := s.db.CheckAccountToken(r.Context(), token, fabrique.TokenReset); errors.Is(err, fabrique.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/mot-de-passe-oublie", "Recevoir un nouveau lien")
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.ResetPassword(pages.ResetPasswordView{Page: s.page(r, "Choisir un nouveau mot de passe"), Token: token}))
}

// handleReset handles "POST /mot-de-passe/{token}": the new password, every session of
// the account closed — this one too: the person logs in with the new password.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	if !s.parseForm(w, r) {
		return
	}
	token := chi.URLParam(r, "token")
	pass := r.PostForm.Get("password")
	if msg := fabrique.ValidatePassword(pass); msg != "" {
		if err := s.db.CheckAccountToken(r.Context(), token, fabrique.TokenReset); errors.Is(err, fabrique.ErrTokenInvalid) {
			s.linkInvalid(w, r, "/mot-de-passe-oublie", "Recevoir un nouveau lien")
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, pages.ResetPassword(pages.ResetPasswordView{
			Page: s.page(r, "Choisir un nouveau mot de passe"), Token: token, Errors: map[string]string{"password": msg}}))
		return
	}
	hash, err := password.Hash(pass, password.Default)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, err := s.db.ResetPassword(r.Context(), token, hash); errors.Is(err, fabrique.ErrTokenInvalid) {
		s.linkInvalid(w, r, "/mot-de-passe-oublie", "Recevoir un nouveau lien")
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), sessionUserID)
	s.flash(r.Context(), "Votre mot de passe est changé et toutes vos sessions sont fermées. Connectez-vous avec le nouveau mot de passe.")
	redirect(w, r, "/connexion")
}

// handleVerify handles "GET /verification/{token}": it confirms the account's address, or
// the new address of a change. Following the link is the proof asked for, so a GET does
// it (a mail scanner following it can only confirm what the mailbox received).
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	next := "/connexion"
	if userFrom(r.Context()) != nil {
		next = "/espace/compte"
	}
	purpose, _, err := s.db.UseEmailToken(r.Context(), chi.URLParam(r, "token"), lang(r))
	switch {
	case errors.Is(err, fabrique.ErrTokenInvalid):
		s.linkInvalid(w, r, "/espace/compte", "Aller à mon compte")
		return
	case errors.Is(err, fabrique.ErrEmailTakenOnConfirm):
		s.renderError(w, r, http.StatusConflict, "Adresse déjà utilisée", fabrique.ErrEmailTakenOnConfirm.Message)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.forgetSession(r) // a GET that wrote their account: read again on their next page
	if purpose == fabrique.TokenEmail {
		s.flash(r.Context(), "Votre nouvelle adresse e-mail est confirmée : c’est désormais celle de votre compte.")
	} else {
		s.flash(r.Context(), "Votre adresse e-mail est confirmée. Merci !")
	}
	redirect(w, r, next)
}

// handleVerifyAgain handles "POST /espace/verification": a new verification link.
func (s *Server) handleVerifyAgain(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	if u.EmailVerifiedAt == nil {
		if err := s.db.RequestVerification(r.Context(), u.ID, lang(r)); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.flash(r.Context(), "Un nouveau lien de confirmation vient de vous être envoyé.")
	}
	redirect(w, r, "/espace/compte")
}

// handleAccount handles "GET /espace/compte".
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	s.render(w, r, http.StatusOK, pages.Account(pages.AccountView{Page: s.page(r, "Mon compte"), DisplayName: u.DisplayName}))
}

// handleAccountPost handles "POST /espace/compte": each of the page's three forms sends
// its own fields — display_name; email with current_password; current_password with
// new_password.
func (s *Server) handleAccountPost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ctx := r.Context()
	u := userFrom(ctx)
	f := r.PostForm
	vm := pages.AccountView{DisplayName: u.DisplayName, Errors: map[string]string{}}
	invalid := func(status int) {
		vm.Page = s.page(r, "Mon compte")
		s.render(w, r, status, pages.Account(vm))
	}
	// checkCurrent checks the current password under the login rate limit: a session left
	// open must not become a way to guess it. It reports whether the handler goes on.
	checkCurrent := func(field string) bool {
		wait, err := s.db.TakeLoginAttempt(ctx, s.clientAddr(r), u.Email, s.loginPolicy())
		if err != nil {
			s.serverError(w, r, err)
			return false
		}
		if wait > 0 {
			vm.Message = "Trop de tentatives. Réessayez plus tard."
			invalid(retryAfter(w, wait))
			return false
		}
		if ok, err := password.Check(f.Get("current_password"), u.PasswordHash); err != nil || !ok {
			vm.Errors[field] = "Ce n’est pas votre mot de passe actuel."
			invalid(http.StatusUnprocessableEntity)
			return false
		}
		if err := s.db.LoginSucceeded(ctx, s.clientAddr(r), u.Email); err != nil {
			s.serverError(w, r, err)
			return false
		}
		return true
	}
	switch {
	case f.Has("display_name"):
		name := strings.Join(strings.Fields(f.Get("display_name")), " ")
		vm.DisplayName = name
		switch n := utf8.RuneCountInString(name); {
		case n == 0:
			vm.Errors["display_name"] = "Indiquez votre nom."
		case n > 80:
			vm.Errors["display_name"] = "Le nom ne doit pas dépasser 80 caractères."
		}
		if len(vm.Errors) > 0 {
			invalid(http.StatusUnprocessableEntity)
			return
		}
		if err := s.db.RenameUser(ctx, u.ID, name); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.flash(ctx, "Votre nom est enregistré.")
	case f.Has("new_password"):
		if msg := fabrique.ValidatePassword(f.Get("new_password")); msg != "" {
			vm.Errors["new_password"] = msg
			invalid(http.StatusUnprocessableEntity)
			return
		}
		if !checkCurrent("current_password") {
			return
		}
		hash, err := password.Hash(f.Get("new_password"), password.Default)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		changed, err := s.db.ChangePassword(ctx, u.ID, hash)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if err := s.logIn(r, changed); err != nil { // this session goes on, at the new epoch
			s.serverError(w, r, err)
			return
		}
		s.flash(ctx, "Votre mot de passe est changé. Vos autres sessions sont fermées.")
	case f.Has("email"):
		email := strings.TrimSpace(f.Get("email"))
		vm.NewEmail = email
		if msg := fabrique.ValidateEmail(email); msg != "" {
			vm.Errors["email"] = msg
		} else if strings.EqualFold(email, u.Email) {
			vm.Errors["email"] = "C’est déjà l’adresse de votre compte."
		}
		if len(vm.Errors) > 0 {
			invalid(http.StatusUnprocessableEntity)
			return
		}
		if !checkCurrent("email_current_password") {
			return
		}
		if err := s.db.RequestEmailChange(ctx, u.ID, email, lang(r)); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.flash(ctx, "Un lien de confirmation vient d’être envoyé à votre nouvelle adresse : elle remplacera l’actuelle quand vous l’aurez suivi.")
	default:
		s.renderError(w, r, http.StatusBadRequest, "Requête invalide", "Le formulaire envoyé est mal formé.")
		return
	}
	redirect(w, r, "/espace/compte")
}
