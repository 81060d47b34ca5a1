package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/password"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// loginFailed is the one answer to an unknown email and a wrong password alike.
const loginFailed = "Adresse e-mail ou mot de passe incorrect."

// signUpEmailRefused refuses an address that has an account without saying so: the
// trade-off of README's security notes (accounts usable at once, sign-ups rate-limited).
const signUpEmailRefused = "Cette adresse ne peut pas être utilisée pour un nouveau compte. Mot de passe oublié ?"

// dummyHash is checked against when the email is unknown, so both failures take the
// same time and an email cannot be probed by timing. Made at first use, with the costs
// new hashes have then.
var dummyHash = sync.OnceValue(func() string {
	h, _ := password.Hash("fabrique-dummy-password", password.Default)
	return h
})

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
	s.render(w, r, http.StatusOK, pages.SignUp(pages.SignUpView{Page: s.page(r, "Créer un compte"),
		Next: localPath(r.URL.Query().Get("suivant"), "")}))
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
	next := localPath(r.PostForm.Get("suivant"), "")
	invalid := func(err error) {
		form.Password = "" // never echoed back
		s.render(w, r, http.StatusUnprocessableEntity, pages.SignUp(pages.SignUpView{
			Page: s.page(r, "Créer un compte"), Form: form, Errors: fabrique.ErrorFields(err), Next: next}))
	}
	if err := form.Validate(); err != nil {
		invalid(err)
		return
	}
	wait, err := s.db.TakeSignUpAttempt(r.Context(), s.clientAddr(r), s.cfg.SignUpMaxPerIP, s.cfg.SignUpWindow)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wait > 0 {
		form.Password = ""
		s.render(w, r, retryAfter(w, wait), pages.SignUp(pages.SignUpView{Page: s.page(r, "Créer un compte"), Form: form, Next: next,
			Message: i18n.T(r.Context(), "Trop d’inscriptions depuis votre adresse. Réessayez dans %d min.", minutes(wait))}))
		return
	}
	hash, err := password.Hash(form.Password, password.Default)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	u := &fabrique.User{Email: form.Email, DisplayName: form.DisplayName, PasswordHash: hash, Role: fabrique.RoleContributor,
		Lang: lang(r)}
	if err := s.db.SignUp(r.Context(), u, string(i18n.LangFrom(r.Context()))); fabrique.ErrorFields(err)["email"] != "" {
		// The owner of the address is told someone tried it, with the way back to their account.
		if err := s.db.WarnAddressTaken(r.Context(), form.Email, string(i18n.LangFrom(r.Context()))); err != nil {
			s.serverError(w, r, err)
			return
		}
		invalid(&fabrique.Error{Code: fabrique.EINVALID, Message: "Le formulaire contient des erreurs.",
			Fields: map[string]string{"email": signUpEmailRefused}})
		return
	} else if fabrique.ErrorCode(err) == fabrique.EINVALID {
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
	s.flash(r.Context(), "Bienvenue ! Votre compte est créé. Un lien pour confirmer votre adresse e-mail vient de vous être envoyé.")
	redirect(w, r, localPath(next, "/espace"))
}

// logIn renews the session token (against session fixation) before storing the account.
func (s *Server) logIn(r *http.Request, u *fabrique.User) error {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserID, u.ID)
	s.sessions.Put(r.Context(), sessionSeen, time.Now().UnixMilli())
	s.sessions.Put(r.Context(), sessionEpoch, u.SessionEpoch)
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

	// The attempt is counted before the slow hash, atomically: a burst sent at once gets
	// no more passwords checked than the limit.
	ip := s.clientAddr(r)
	wait, err := s.db.TakeLoginAttempt(ctx, ip, email, s.loginPolicy())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wait > 0 {
		fail(retryAfter(w, wait), i18n.T(ctx, "Trop de tentatives de connexion. Réessayez dans %d min.", minutes(wait)))
		return
	}

	u, err := s.db.UserByEmail(ctx, email)
	hash := dummyHash()
	if err == nil {
		hash = u.PasswordHash
	} else if fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		s.serverError(w, r, err)
		return
	}
	ok, err := password.Check(pass, hash)
	if err != nil || !ok || u == nil {
		fail(http.StatusUnprocessableEntity, loginFailed) // the attempt stays counted as a failure
		return
	}
	if err := s.db.LoginSucceeded(ctx, ip, email); err != nil {
		s.serverError(w, r, err)
		return
	}
	// The language: one chosen on this device (its cookie) is remembered for the e-mails;
	// without one, the device takes the language the person chose before.
	if _, err := r.Cookie(langCookie); err == nil {
		if lang := string(requestLang(r)); lang != u.Lang {
			if err := s.db.SetUserLang(ctx, u.ID, lang); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
	} else if u.Lang != "" && u.Lang != string(i18n.French) {
		s.setLangCookie(w, i18n.Parse(u.Lang))
	}
	if err := s.logIn(r, u); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(ctx, "Vous êtes connecté·e.")
	redirect(w, r, localPath(next, "/espace"))
}

// loginPolicy is the rate limit of logins the configuration sets.
func (s *Server) loginPolicy() fabrique.LoginPolicy {
	return fabrique.LoginPolicy{Window: s.cfg.LoginWindow, MaxPerAccount: s.cfg.LoginMaxPerAccount,
		Delay: s.cfg.LoginDelay, MaxPerAddress: s.cfg.LoginMaxPerIP}
}

// retryAfter sets Retry-After to wait, in whole seconds rounded up, and returns 429.
func retryAfter(w http.ResponseWriter, wait time.Duration) int {
	w.Header().Set("Retry-After", strconv.FormatInt(int64((wait+time.Second-1)/time.Second), 10))
	return http.StatusTooManyRequests
}

// minutes is wait in whole minutes rounded up, for a message.
func minutes(wait time.Duration) int {
	return int((wait + time.Minute - 1) / time.Minute)
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

// handleEspace handles "GET /espace": kept for its person alone (renderOwn).
func (s *Server) handleEspace(w http.ResponseWriter, r *http.Request) {
	s.renderOwn(w, r, http.StatusOK, s.page(r, "Mon espace"), func(ctx context.Context, p components.Page) (templ.Component, error) {
		u := userFrom(ctx)
		e, err := s.db.Espace(ctx, u, contributionsInEspace, pledgesInEspace, time.Now())
		if err != nil {
			return nil, err
		}
		contributions := pages.EspaceContributionsView{UserID: u.ID, Totals: e.Totals, Contributions: contributionItems(u, e.Contributions)}
		pledges := pages.EspacePledgesView{UserID: u.ID, ReturnTo: "/espace", Funder: e.Funder}
		setUserPledges(&pledges, u, e.Pledges, e.PledgeCount, e.StepFigures)
		return pages.Espace(pages.EspaceView{Page: p,
			Challenges: e.Challenges, Todo: e.Todo, Contributions: contributions, Pledges: pledges,
			Events: e.Events, CalendarURL: s.siteURL(r) + "/espace/agenda.ics?jeton=" + e.CalendarToken}), nil
	})
}
