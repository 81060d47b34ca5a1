package server

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
)

// contentSecurityPolicy allows no inline script and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// securityHeaders sets the headers every answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

// recoverPanic turns a panic in a handler into a logged 500 page; the server goes on.
func (s *Server) recoverPanic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v) // net/http's own signal to abort the response quietly
				}
				w.Header().Set("Connection", "close")
				s.logger.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.serverError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies, so a huge form cannot exhaust memory.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses cross-origin POSTs (CSRF) with Go's CrossOriginProtection, which
// reads Sec-Fetch-Site and Origin, so forms need no token.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "Requête refusée", "Cette requête vient d’un autre site et a été refusée par sécurité.")
	}))
	return cop.Handler(next)
}

// langCookie remembers the language chosen with the switch.
const langCookie = "fabrique_lang"

// language picks the interface language: the visitor's choice, else French.
func (s *Server) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(i18n.WithLang(r.Context(), requestLang(r))))
	})
}

// requestLang is the language r asks for: the visitor's choice, else French.
func requestLang(r *http.Request) i18n.Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		return i18n.Parse(c.Value)
	}
	return i18n.French
}

// requestScheme is the scheme r came with, behind a TLS-terminating proxy too.
func requestScheme(r *http.Request) string {
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		return "https"
	}
	return "http"
}

// handleLanguage handles "GET /langue": it remembers the language and goes back.
func (s *Server) handleLanguage(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Parse(r.URL.Query().Get("lang"))
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.Secure})
	redirect(w, r, localPath(r.URL.Query().Get("suivant"), "/"))
}

type userKey struct{}

// userFrom returns the logged-in user, or nil for a visitor.
func userFrom(ctx context.Context) *fabrique.User {
	u, _ := ctx.Value(userKey{}).(*fabrique.User)
	return u
}

// sessionUserID is the session key holding the logged-in account; sessionSeen, when
// the session was last seen (Unix milliseconds), for the idle limit.
const (
	sessionUserID = "user_id"
	sessionSeen   = "seen"
)

// sessionTouchEvery is how stale the last-seen time may get before it is written again,
// for an idle limit of idle: an hour, or less for a short limit (tests).
func sessionTouchEvery(idle time.Duration) time.Duration { return min(time.Hour, idle/8) }

// loadUser puts the logged-in account in the context. A session naming an account that
// no longer exists, or unused for longer than the idle limit, is logged out. The session
// is written back only when its last-seen time is older than sessionTouchEvery, not on
// every request.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessionUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		now := time.Now()
		seen := time.UnixMilli(s.sessions.GetInt64(r.Context(), sessionSeen))
		idle := s.cfg.SessionIdleTimeout
		switch {
		case s.sessions.Exists(r.Context(), sessionSeen) && now.Sub(seen) > idle:
			s.sessions.Remove(r.Context(), sessionUserID)
			s.sessions.Remove(r.Context(), sessionSeen)
			next.ServeHTTP(w, r)
			return
		case now.Sub(seen) > sessionTouchEvery(idle):
			s.sessions.Put(r.Context(), sessionSeen, now.UnixMilli())
		}
		u, err := s.db.UserByID(r.Context(), id)
		if fabrique.ErrorCode(err) == fabrique.ENOTFOUND {
			s.sessions.Remove(r.Context(), sessionUserID)
			next.ServeHTTP(w, r)
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}

// requireLogin sends visitors to the login page, and back here once logged in.
func (s *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()) == nil {
			s.requireLoginRedirect(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) requireLoginRedirect(w http.ResponseWriter, r *http.Request) {
	s.flash(r.Context(), "Connectez-vous pour continuer.")
	target := "/connexion"
	next := ""
	if r.Method == http.MethodGet {
		next = localPath(r.URL.RequestURI(), "")
	} else if ref := r.Header.Get("Referer"); ref != "" {
		if u, err := url.Parse(ref); err == nil && u.Host == r.Host {
			next = localPath(u.RequestURI(), "")
		}
	}
	if next != "" {
		target += "?suivant=" + url.QueryEscape(next)
	}
	redirect(w, r, target)
}

// clientIP is the address login attempts are counted against.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
