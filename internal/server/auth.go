package server

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// loginFailed is the one answer to an unknown email and a wrong password alike.
const loginFailed = "Adresse e-mail ou mot de passe incorrect."

// dummyHash is checked against when the email is unknown, so both failures take the
// same time and an email cannot be probed by timing.
var dummyHash, _ = password.Hash("fabrique-dummy-password", password.Default)

func (s *Server) registerAuthRoutes(r chi.Router) {
	r.Get("/inscription", s.handleSignUpForm)
	r.Post("/inscription", s.handleSignUp)
	r.Get("/connexion", s.handleLoginForm)
	r.Post("/connexion", s.handleLogin)
	r.Post("/deconnexion", s.handleLogout)
	r.With(s.requireLogin).Get("/espace", s.handleEspace)
}

// handleSignUpForm handles "GET /inscription".
func (s *Server) handleSignUpForm(w http.ResponseWriter, r *http.Request) {
	if userFrom(r.Context()) != nil {
		redirect(w, r, "/espace")
		return
	}
	s.render(w, r, http.StatusOK, pages.SignUp(pages.SignUpView{Page: s.page(r, "Créer un compte")}))
}

// handleSignUp handles "POST /inscription".
func (s *Server) handleSignUp(w http.ResponseWriter, r *http.Request) {
	if userFrom(r.Context()) != nil {
		redirect(w, r, "/espace")
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	form := fabrique.SignUp{
		DisplayName: r.PostForm.Get("display_name"),
		Email:       r.PostForm.Get("email"),
		Password:    r.PostForm.Get("password"),
	}
	form.Normalize()
	invalid := func(err error) {
		form.Password = "" // never echoed back
		s.render(w, r, http.StatusUnprocessableEntity, pages.SignUp(pages.SignUpView{
			Page: s.page(r, "Créer un compte"), Form: form, Errors: fabrique.ErrorFields(err)}))
	}
	if err := form.Validate(); err != nil {
		invalid(err)
		return
	}
	hash, err := password.Hash(form.Password, password.Default)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	u := &fabrique.User{Email: form.Email, DisplayName: form.DisplayName, PasswordHash: hash, Role: fabrique.RoleContributor}
	if err := s.db.CreateUser(r.Context(), u); fabrique.ErrorCode(err) == fabrique.EINVALID {
		invalid(err)
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.logIn(r, u); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(r.Context(), "Bienvenue ! Votre compte est créé.")
	redirect(w, r, "/espace")
}

// logIn renews the session token (against session fixation) before storing the account.
func (s *Server) logIn(r *http.Request, u *fabrique.User) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserID, u.ID)
	s.sessions.Put(r.Context(), sessionSeen, time.Now().UnixMilli())
	return nil
}

// handleLoginForm handles "GET /connexion".
func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("suivant"), "")
	if userFrom(r.Context()) != nil {
		redirect(w, r, localPath(next, "/espace"))
		return
	}
	s.render(w, r, http.StatusOK, pages.Login(pages.LoginView{Page: s.page(r, "Se connecter"), Next: next}))
}

// handleLogin handles "POST /connexion".
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	pass := r.PostForm.Get("password")
	next := localPath(r.PostForm.Get("suivant"), "")
	ctx := r.Context()
	fail := func(status int, msg string) {
		s.render(w, r, status, pages.Login(pages.LoginView{Page: s.page(r, "Se connecter"), Email: email, Next: next, Message: msg}))
	}

	ip := clientIP(r)
	byIP, byEmail, err := s.db.LoginFailures(ctx, ip, email, time.Now().Add(-s.cfg.LoginWindow))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if byIP >= s.cfg.LoginMaxPerIP || byEmail >= s.cfg.LoginMaxPerUser {
		w.Header().Set("Retry-After", "900")
		fail(http.StatusTooManyRequests, "Trop de tentatives de connexion. Réessayez dans 15 minutes.")
		return
	}

	u, err := s.db.UserByEmail(ctx, email)
	hash := dummyHash
	if err == nil {
		hash = u.PasswordHash
	} else if fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		s.serverError(w, r, err)
		return
	}
	ok, err := password.Check(pass, hash)
	if err != nil || !ok || u == nil {
		if err := s.db.RecordLoginFailure(ctx, ip, email, s.cfg.LoginWindow); err != nil {
			s.serverError(w, r, err)
			return
		}
		fail(http.StatusUnprocessableEntity, loginFailed)
		return
	}
	if err := s.db.ClearLoginFailures(ctx, u.Email); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.logIn(r, u); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "Vous êtes connecté·e.")
	redirect(w, r, localPath(next, "/espace"))
}

// handleLogout handles "POST /deconnexion": a new token, without the account.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), sessionUserID)
	s.flash(r.Context(), "Vous êtes déconnecté·e. À bientôt !")
	redirect(w, r, "/")
}

// handleEspace handles "GET /espace".
func (s *Server) handleEspace(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	list, err := s.db.UserChallenges(r.Context(), u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pending, err := s.db.UserPendingChallenges(r.Context(), u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	contributions, err := s.espaceContributionsView(r, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pledges, err := s.espacePledgesView(r, u)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, pages.Espace(pages.EspaceView{Page: s.page(r, "Mon espace"),
		Challenges: list, Pending: pending, Contributions: contributions, Pledges: pledges}))
}

// parseForm parses a urlencoded body. A body over the cap answers 413, a malformed one
// or one with text PostgreSQL cannot store (invalid UTF-8, NUL) answers 400: bad input is
// refused before any handler sees it.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge, "Formulaire trop volumineux", "Le formulaire envoyé dépasse la taille autorisée.")
			return false
		}
		s.renderError(w, r, http.StatusBadRequest, "Requête invalide", "Le formulaire envoyé est mal formé.")
		return false
	}
	for _, values := range r.Form {
		for _, v := range values {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				s.renderError(w, r, http.StatusBadRequest, "Requête invalide", "Le formulaire contient des caractères invalides.")
				return false
			}
		}
	}
	return true
}
