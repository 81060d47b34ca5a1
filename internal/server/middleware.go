package server

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
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
			limit := s.cfg.MaxBodyBytes
			if uploadPath(r) {
				limit = max(limit, maxUploadBody)
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses cross-origin POSTs (CSRF) with Go's CrossOriginProtection, which
// reads Sec-Fetch-Site and Origin, so forms need no token.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.AddInsecureBypassPattern(unsubscribePattern)
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

// requestScheme is the scheme r came with: https over TLS, or when a trusted proxy that
// terminated TLS says so in X-Forwarded-Proto; anyone else could claim it.
func (s *Server) requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if s.fromTrustedProxy(r) {
		protos := strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")
		if strings.EqualFold(strings.TrimSpace(protos[len(protos)-1]), "https") {
			return "https"
		}
	}
	return "http"
}

// handleLanguage handles "GET /langue": it remembers the language and goes back.
func (s *Server) handleLanguage(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Parse(r.URL.Query().Get("lang"))
	s.setLangCookie(w, lang)
	// A logged-in person's choice is remembered for their e-mails too.
	if u := userFrom(r.Context()); u != nil && u.Lang != string(lang) {
		if err := s.db.SetUserLang(r.Context(), u.ID, string(lang)); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.forgetSession(r)
	}
	redirect(w, r, localPath(r.URL.Query().Get("suivant"), "/"))
}

func (s *Server) setLangCookie(w http.ResponseWriter, lang i18n.Lang) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.Secure})
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
	// sessionEpoch is the account's SessionEpoch at login: a session older than the
	// account's (a password reset or change since) is logged out.
	sessionEpoch = "epoch"
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
		var u *fabrique.User
		var err error
		if p := postgres.SessionPrefetched(r.Context()); p != nil && p.Found && p.UserID == id {
			// Read with the session, in the same query (postgres.SessionStore).
			if u = p.User; u == nil {
				err = fabrique.ErrNotFound
			}
		} else {
			u, err = s.db.SessionUser(r.Context(), id)
		}
		if fabrique.ErrorCode(err) == fabrique.ENOTFOUND || (err == nil && s.sessions.GetInt(r.Context(), sessionEpoch) < u.SessionEpoch) {
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

// clientAddr is the address rate limits count a request against: the direct peer, or,
// when the peer is a trusted proxy, the right-most address of X-Forwarded-For that is not
// itself a trusted proxy (the left part of the header is whatever the client wrote). An
// IPv6 client counts as its /64, which one host usually has whole.
func (s *Server) clientAddr(r *http.Request) string {
	peer, ok := remoteAddr(r)
	if !ok {
		return r.RemoteAddr
	}
	client := peer
	if s.trusted(peer) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := parseHop(hops[i])
			if err != nil {
				// Not written by a proxy of ours: count against the last trusted hop.
				break
			}
			client = hop.Unmap()
			if !s.trusted(client) {
				break
			}
		}
	}
	if client.Is6() {
		p, _ := client.Prefix(64)
		return p.String()
	}
	return client.String()
}

// fromTrustedProxy reports whether the direct peer of r is in TrustedProxies.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	peer, ok := remoteAddr(r)
	return ok && s.trusted(peer)
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseHop reads an address of X-Forwarded-For, with the port some proxies add.
func parseHop(s string) (netip.Addr, error) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, err
		}
		a = ap.Addr()
	}
	return a, nil
}

// remoteAddr is the direct peer of r.
func remoteAddr(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap(), true
}

// ParseTrustedProxies reads a comma-separated list of CIDR ranges (a bare address is
// its own range), as TRUSTED_PROXIES gives it.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not a CIDR range such as 10.0.0.0/8 or an address", f)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// coordinatorsOnly sends visitors to the login page and answers 403 to anyone logged in
// who is not a coordinator.
func (s *Server) coordinatorsOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := userFrom(r.Context())
		switch {
		case u == nil:
			s.requireLoginRedirect(w, r)
		case !u.IsCoordinator():
			s.forbidden(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// ownFactsPages are the pages that show their viewer's own facts (fabrique.OwnFacts),
// by the prefix of their path (followed by a slug), with the facts each shows.
var ownFactsPages = []struct {
	prefix string
	facts  postgres.OwnFactsKind
}{
	{"/defis/", postgres.FactsPlaces | postgres.FactsTeams},
	{"/communs/", postgres.FactsPlaces},
	{"/cofinancement/", postgres.FactsPledges},
}

// ownFactsOf says which of the viewer's own facts the page at path shows: none but on a
// défi's, a commun's and a call's page.
func ownFactsOf(path string) postgres.OwnFactsKind {
	for _, p := range ownFactsPages {
		if slug, ok := strings.CutPrefix(path, p.prefix); ok && slug != "" && !strings.Contains(slug, "/") {
			return p.facts
		}
	}
	return 0
}

// formFactsOf says which of the viewer's own facts the form posted to path is read with,
// then read with the session (one round trip less before the form's transaction): their
// place in a défi's team, for logging a contribution; their funder profile, for a pledge.
func formFactsOf(path string) postgres.OwnFactsKind {
	if rest, ok := strings.CutPrefix(path, "/defis/"); ok {
		if slug, ok := strings.CutSuffix(rest, "/contributions"); ok && slug != "" && !strings.Contains(slug, "/") {
			return postgres.FactsTeams
		}
	}
	if rest, ok := strings.CutPrefix(path, "/etapes/"); ok {
		if id, ok := strings.CutSuffix(rest, "/promesses"); ok && id != "" && !strings.Contains(id, "/") {
			return postgres.FactsFunder
		}
	}
	return 0
}

// prefetchSession lets the session store read the account with the session (one query
// for both), for loadUser: only for a request that carries a session cookie. For the
// pages of a défi, a commun and a call, the viewer's own facts too (fabrique.OwnFacts):
// only there, as they cost every other page's query for nothing.
func (s *Server) prefetchSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie(s.sessions.Cookie.Name); err != nil {
			next.ServeHTTP(w, r)
			return
		}
		var facts postgres.OwnFactsKind
		read := false
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			facts = ownFactsOf(r.URL.Path)
			// A reload that asks for everything afresh (a browser's hard reload) reads
			// the session afresh too.
			read = !strings.Contains(r.Header.Get("Cache-Control"), "no-cache")
		case http.MethodPost:
			facts = formFactsOf(r.URL.Path)
		}
		ctx, p := postgres.WithSessionPrefetch(r.Context(), facts)
		// A read's session may be one kept by this instance (sessioncache.go); a form's is
		// read from PostgreSQL, which its rights are checked against.
		p.Cacheable = read
		next.ServeHTTP(w, r.WithContext(ctx))
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			// What a form wrote may be what the session is read with (notifications
			// marked read: a table that announces no change); the answer is still
			// buffered, so the next read of its writer reads it again.
			s.forgetSession(r)
		}
	})
}
