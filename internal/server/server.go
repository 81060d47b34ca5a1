// Package server is the HTTP side: routes, middleware, and one file per resource whose
// handlers decode the form, call the store, and render a page or redirect.
package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/internal/typo"
	"github.com/fabrique-a-communs/fabrique/web"
	"github.com/fabrique-a-communs/fabrique/web/components"
	"github.com/fabrique-a-communs/fabrique/web/pages"
)

// Config is what the server needs from the environment.
type Config struct {
	BaseURL string // e.g. https://fabrique.example.org; an https URL makes cookies Secure
	Secure  bool   // cookies only over HTTPS
	// MaxBodyBytes caps request bodies (1 MiB by default).
	MaxBodyBytes int64
	// Login rate limits (fabrique.LoginPolicy), counted per client address: within
	// LoginWindow, LoginMaxPerAccount failures on one account, then a wait of LoginDelay
	// doubled at each further failure; LoginMaxPerIP failures across accounts.
	LoginWindow        time.Duration
	LoginMaxPerIP      int
	LoginMaxPerAccount int
	LoginDelay         time.Duration
	// Sign-ups allowed per client address within SignUpWindow.
	SignUpWindow   time.Duration
	SignUpMaxPerIP int
	// Password reset requests allowed per client address within ResetWindow (each account
	// gets at most fabrique.AccountEmailRules' e-mails an hour whatever the addresses).
	ResetWindow   time.Duration
	ResetMaxPerIP int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto
	// are believed (TRUSTED_PROXIES); from anyone else these headers are ignored.
	TrustedProxies []netip.Prefix
	// Metrics turns on the counters MetricsHandler serves (METRICS_ADDR).
	Metrics bool
	// SessionIdleTimeout logs out a session unused for that long (7 days by default).
	SessionIdleTimeout time.Duration
	// PageCacheTTL is how long an anonymous visitor's public page may be served from
	// memory (pagecache.go): 0 takes DefaultPageCacheTTL, a negative value turns it off.
	PageCacheTTL time.Duration
	// Publisher is who publishes and hosts the site, for the legal pages (legal.go).
	Publisher Publisher
}

// A session ends sessionLifetime after login whatever happens, and expired sessions are
// deleted every sessionCleanupEvery; the personal data page states both.
const (
	sessionLifetime     = 30 * 24 * time.Hour
	sessionCleanupEvery = 30 * time.Minute
)

func (c *Config) defaults() {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.LoginWindow == 0 {
		c.LoginWindow = time.Hour
	}
	if c.LoginMaxPerIP == 0 {
		c.LoginMaxPerIP = 50
	}
	if c.LoginMaxPerAccount == 0 {
		c.LoginMaxPerAccount = 5
	}
	if c.LoginDelay == 0 {
		c.LoginDelay = time.Minute
	}
	if c.SignUpWindow == 0 {
		c.SignUpWindow = time.Hour
	}
	if c.SignUpMaxPerIP == 0 {
		c.SignUpMaxPerIP = 10
	}
	if c.ResetWindow == 0 {
		c.ResetWindow = time.Hour
	}
	if c.ResetMaxPerIP == 0 {
		c.ResetMaxPerIP = 10
	}
	if c.SessionIdleTimeout == 0 {
		c.SessionIdleTimeout = 7 * 24 * time.Hour
	}
	if c.PageCacheTTL == 0 {
		c.PageCacheTTL = DefaultPageCacheTTL
	}
}

// Server routes HTTP requests to handlers.
type Server struct {
	cfg      Config
	db       *postgres.DB
	logger   *slog.Logger
	sessions *scs.SessionManager
	router   *chi.Mux
	cache    *pageCache    // nil when turned off
	data     *dataCache    // nil when the page cache is off
	own      *dataCache    // persons' own pages (renderOwn); nil when the page cache is off
	kept     *sessionCache // logged-in persons' sessions, for reads (sessioncache.go); nil when the page cache is off
	layouts  *layoutCache
	slugs    slugIDs  // défis' and rendez-vous's ids by slug, which never change
	metrics  *metrics // nil when off
	// metricsErrors counts the scrapes that could not read the queues.
	metricsErrors atomic.Uint64
	stop          context.CancelFunc // stops the expired-session cleanup and the change listener
	done          sync.WaitGroup
}

// New returns the server with its routes and middleware.
func New(cfg Config, db *postgres.DB, logger *slog.Logger) *Server {
	cfg.defaults()
	s := &Server{cfg: cfg, db: db, logger: logger, layouts: newLayoutCache()}
	db.SetLogger(logger)

	s.sessions = scs.New()
	// The store's session store cleans nothing by itself; cleanSessions does, and stops.
	s.sessions.Store = db.SessionStore()
	s.sessions.Codec = postgres.SessionCodec{}
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.done.Go(func() { s.cleanSessions(ctx, sessionCleanupEvery) })
	if cfg.PageCacheTTL > 0 {
		s.cache = newPageCache(cfg.PageCacheTTL)
		s.data = newDataCache(s.cache)
		s.own = newDataCacheOf(s.cache, maxOwnPages)
		s.kept = newSessionCache(s.cache)
		s.sessions.Store = cachingSessionStore{db: db.SessionStore(), cache: s.kept}
		s.done.Go(func() {
			db.ListenChanges(ctx, postgres.Listener{
				Changed: s.cache.heard,
				Fenced:  s.kept.forgetAll,
				Listening: func(err error) {
					s.cache.setReady(err == nil)
					if err != nil && ctx.Err() == nil {
						logger.Warn("caches off (pages, data, sessions) until the database's changes are heard again", "err", err)
					}
				},
			})
		})
	}
	s.sessions.Lifetime = sessionLifetime
	// No scs IdleTimeout: it rewrites the session in PostgreSQL (and sends its cookie) on
	// every request of a logged-in person. loadUser keeps the idle limit itself, noting
	// when the session was last seen at most once per sessionTouchEvery.
	s.sessions.Cookie.Name = "fabrique_session"
	s.sessions.Cookie.HttpOnly = true
	s.sessions.Cookie.SameSite = http.SameSiteLaxMode
	s.sessions.Cookie.Secure = cfg.Secure
	s.sessions.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.serverError(w, r, err)
	}

	r := chi.NewRouter()
	// HEAD is answered by the GET routes (link checkers and monitoring use it; RFC 9110
	// §9.3.2); net/http sends no body.
	if cfg.Metrics {
		s.metrics = newMetrics(s)
	}
	r.Use(s.measure, s.recoverPanic, securityHeaders, middleware.GetHead, s.limitBody, s.cachePages, s.prefetchSession, s.sessions.LoadAndSave, s.flashes, s.language, s.crossOrigin, s.loadUser)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusMethodNotAllowed, "Méthode non autorisée", "Cette adresse n’accepte pas cette méthode.")
	})
	r.Handle("/static/*", web.StaticHandler())
	r.Get("/", s.handleHome)
	r.Get("/langue", s.handleLanguage)
	r.Get("/sante", s.handleHealth)
	s.registerAuthRoutes(r)
	s.registerAccountRoutes(r)
	s.registerEventRoutes(r)
	s.registerBooksRoutes(r)
	s.registerWorkPlanRoutes(r)
	s.registerReportRoutes(r)
	s.registerChallengeRoutes(r)
	s.registerTeamRoutes(r)
	s.registerStatusRoutes(r)
	s.registerFramingRoutes(r)
	s.registerPlaceRoutes(r)
	s.registerCommonsRoutes(r)
	s.registerFeedRoutes(r)
	s.registerSeedRoutes(r)
	s.registerContributionRoutes(r)
	s.registerUnsubscribeRoutes(r)
	s.registerPreferencesRoutes(r)
	s.registerNotificationRoutes(r)
	s.registerTransparencyRoutes(r)
	s.registerStepRoutes(r)
	s.registerCallRoutes(r)
	s.registerPledgeRoutes(r)
	s.registerBillingRoutes(r)
	s.registerInvoiceRoutes(r)
	s.registerExpenseRoutes(r)
	s.registerLegalRoutes(r)
	s.registerOutboxRoutes(r)
	s.router = r
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Close stops the expired-session cleanup and the change listener.
func (s *Server) Close() {
	s.stop()
	s.done.Wait()
}

// cleanSessions deletes expired sessions every interval until ctx is done.
func (s *Server) cleanSessions(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.db.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				s.logger.Warn("session cleanup", "err", err)
			}
		}
	}
}

// renderBuffers are the buffers a page is rendered into, then typeset into, recycled so
// that a page is written whole (with its status) or not at all, without an allocation
// per request.
type renderBuffers struct {
	html bytes.Buffer
	out  []byte
}

var bufPool = sync.Pool{New: func() any { return new(renderBuffers) }}

// render writes the component with status, after rendering it fully into a buffer: a
// template error then becomes a clean 500 instead of half a page. The page's text is
// typeset on the way (package typo: no punctuation alone at a line's start, no amount or
// date cut across two lines).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := bufPool.Get().(*renderBuffers)
	buf.html.Reset()
	defer func() {
		if buf.html.Cap() <= 1<<20 && cap(buf.out) <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), &buf.html); err != nil {
		s.serverError(w, r, err)
		return
	}
	buf.out = typo.Append(buf.out[:0], buf.html.Bytes(), string(i18n.LangFrom(r.Context())))
	writeHTML(w, status, buf.out)
}

// writeHTML writes page, whole, with its length: the client reads a known length instead
// of chunks, and the server writes it with fewer calls.
func writeHTML(w http.ResponseWriter, status int, page []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(status)
	_, _ = w.Write(page)
}

// page returns the layout data for r: user, flash, language, path.
func (s *Server) page(r *http.Request, title string) components.Page {
	ctx := r.Context()
	p := components.Page{
		Title: i18n.T(ctx, title),
		User:  userFrom(ctx),
		Path:  r.URL.RequestURI(),
		Lang:  i18n.LangFrom(ctx),
	}
	if f := s.takeFlash(r); f != "" {
		p.Flash = i18n.T(ctx, f)
	}
	return p
}

// redirect answers 303 See Other, as after every successful form.
func redirect(w http.ResponseWriter, r *http.Request, url string) {
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// renderError shows the error page with status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	s.render(w, r, status, pages.Error(pages.ErrorView{Page: s.page(r, title), Status: status, Message: message}))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "Page introuvable", "Cette page n’existe pas ou plus. Vérifiez l’adresse, ou repartez de la liste des défis.")
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusForbidden, "Accès refusé", "Vous n’avez pas les droits nécessaires pour cette action.")
}

// serverError logs err and shows the 500 page; the visitor never sees the details.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	if postgres.Unavailable(err) {
		s.unavailable(w, r, err)
		return
	}
	s.logger.Error("server error", "method", r.Method, "path", r.URL.Path, "err", err)
	bareError(w, r, http.StatusInternalServerError, i18n.T(r.Context(), "Erreur du serveur"),
		"Une erreur est survenue de notre côté. Elle a été enregistrée ; réessayez dans un instant.")
}

// bareError writes an error page without the layout's session data, which may be what
// failed, and that no cache keeps.
func bareError(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = pages.Error(pages.ErrorView{
		Page:    components.Page{Title: title, Lang: i18n.LangFrom(r.Context()), Path: r.URL.Path},
		Status:  status,
		Message: message,
	}).Render(r.Context(), w)
}

// unavailable answers a request the database could not serve, being unreachable: the
// last copy of a public page for an anonymous visitor (pagecache.go), else a 503 that
// tells to retry shortly — the pool reconnects by itself once PostgreSQL is back.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.logger.Warn("database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	if serveStale(w, r) {
		return
	}
	w.Header().Set("Retry-After", "5")
	bareError(w, r, http.StatusServiceUnavailable, i18n.T(r.Context(), "Service momentanément indisponible"),
		"La plateforme ne peut pas joindre sa base de données pour le moment. Réessayez dans un instant.")
}

// error answers err by its code: 404, 403, a login redirect, 409, 429, or 500.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	switch fabrique.ErrorCode(err) {
	case fabrique.ENOTFOUND:
		s.notFound(w, r)
	case fabrique.EFORBIDDEN:
		s.forbidden(w, r)
	case fabrique.EUNAUTH:
		s.requireLoginRedirect(w, r)
	case fabrique.EINVALID:
		s.renderError(w, r, http.StatusUnprocessableEntity, "Demande invalide", fabrique.ErrorMessage(err))
	case fabrique.ECONFLICT:
		s.renderError(w, r, http.StatusConflict, "Conflit", fabrique.ErrorMessage(err))
	case fabrique.ERATELIMIT:
		s.renderError(w, r, http.StatusTooManyRequests, "Trop de tentatives", fabrique.ErrorMessage(err))
	default:
		s.serverError(w, r, err)
	}
}

// ptr returns a pointer to v, for the optional parts of a view.
func ptr[T any](v T) *T { return &v }
