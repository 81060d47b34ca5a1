package server

import (
	"bytes"
	"context"
	"html"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/fabrique-a-communs/fabrique/internal/i18n"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
	"github.com/fabrique-a-communs/fabrique/web/components"
)

// The page cache keeps, for a second or two, the public pages that visitors without a
// session ask for (home, lists, a défi, a commun, a call, the accounts), so that the same
// page asked a thousand times a second is built once from PostgreSQL, not a thousand
// times. It is not state: every entry is a copy of what PostgreSQL says, out of date
//   - after a request this process answers (POST…) whose write changed something a page
//     may show (postgres.ChangeNote), before its answer leaves, so whoever wrote reads
//     their write on the page they are sent to — a refused or anonymous POST, a login,
//     change nothing and drop nothing, so junk POSTs cannot force every page's rebuild;
//   - after any change committed to the database by anyone (another instance, the
//     command line), which PostgreSQL announces on the channel fabrique_change
//     (migration 00017);
//   - after its TTL, for what changes with time alone (a call opening at midnight).
//
// Until the app listens on that channel (at start, or after losing the connection) the
// cache serves nothing, since it could miss a change. Logged-in people — anyone sending a
// session cookie — never get a cached page: theirs carry their name, flash and rights.
//
// Stale if error: a page out of date is not served as the page, but its last copy is
// kept (within the memory budget) until a newer copy replaces it. When building the page
// fails because the database is unavailable (postgres.Unavailable), an anonymous visitor
// gets that copy rather than the 503 — marked as possibly out of date by a banner and a
// Warning header, never stored downstream (no-store). A copy older than a change heard
// since is still better than an error page for a visitor, and it is the same public page
// anyone got; a logged-in person, whose page is their own, gets the 503.

// cachedRoutes are the route patterns whose anonymous GET answers may be cached. Each is a
// public page whose content depends only on its URL, the language, and the data.
var cachedRoutes = map[string]bool{
	"/":                           true,
	"/defis":                      true,
	"/defis/{slug}":               true,
	"/defis/{slug}/contributions": true,
	"/defis/{slug}/amorcage":      true,
	"/defis.atom":                 true,
	"/defis/{slug}/movilab.txt":   true,
	"/communs":                    true,
	"/communs/{slug}":             true,
	"/communs/{slug}/movilab.txt": true,
	"/cofinancement":              true,
	"/cofinancement/{slug}":       true,
	"/cofinancement/{slug}/etapes/{id}/financeurs": true,
	"/transparence":         true,
	"/tiers-lieux":          true,
	"/tiers-lieux/{slug}":   true,
	"/mentions-legales":     true,
	"/donnees-personnelles": true,
	"/accessibilite":        true,
	"/agenda":               true,
	"/agenda.ics":           true,
	"/rendez-vous/{slug}":   true,
}

const (
	// DefaultPageCacheTTL is how long a page is served from memory at most, when nothing
	// changed in the database meanwhile.
	DefaultPageCacheTTL = 2 * time.Second
	// pageCacheMaxEntry: a bigger answer is sent but not kept (a huge CSV, say).
	pageCacheMaxEntry = 1 << 20
	// pageCacheMaxBytes bounds the memory of all the pages kept.
	pageCacheMaxBytes = 32 << 20
)

// pageCache holds the pages and the generation they were built in: a change anywhere
// moves to the next generation, and a page built in an older one is never served.
type pageCache struct {
	ttl   time.Duration
	mu    sync.Mutex
	gen   uint64
	ready bool // listening for changes: only then may a page be served from memory
	pages map[string]*cachedPage
	size  int
	// flights are the pages being built: a request arriving meanwhile for the same page,
	// in the same generation, waits for it instead of asking PostgreSQL again.
	flights map[string]*flight
	// hits, misses and drops are counted for the metrics.
	hits, misses, drops uint64
	// deaf, set by tests only, ignores the database's notifications: then only this
	// process's own writes drop pages, which a test can check.
	deaf atomic.Bool
}

type cachedPage struct {
	gen    uint64
	built  time.Time
	status int
	header http.Header
	body   []byte
}

type flight struct {
	gen  uint64
	done chan struct{}
	page *cachedPage // nil if the answer could not be kept: the waiters build their own
}

func newPageCache(ttl time.Duration) *pageCache {
	return &pageCache{ttl: ttl, pages: map[string]*cachedPage{}, flights: map[string]*flight{}}
}

// PageCacheListening tells whether the page cache is on and hears the database's changes.
func (s *Server) PageCacheListening() bool {
	if s.cache == nil {
		return false
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	return s.cache.ready
}

// changed drops every page: something was written.
func (c *pageCache) changed() {
	c.mu.Lock()
	c.dropLocked()
	c.mu.Unlock()
}

// dropLocked puts every page out of date, and the pages being built, which land in a
// past generation; their copies stay only as the fallback of an outage. c.mu is held.
func (c *pageCache) dropLocked() {
	c.gen++
	c.drops++
}

// stats returns the lookups that found a page (or one being built), those that built
// it, and how many times every page was put out of date.
func (c *pageCache) stats() (hits, misses, drops uint64) {
	if c == nil {
		return 0, 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses, c.drops
}

// heard is called for each notification of a change in the database.
func (c *pageCache) heard() {
	if !c.deaf.Load() {
		c.changed()
	}
}

// setReady tells whether changes are being heard; both ways, what was kept is out of date.
func (c *pageCache) setReady(ready bool) {
	c.mu.Lock()
	c.ready = ready
	c.dropLocked()
	c.mu.Unlock()
}

// lookup returns the page to serve, or the flight to wait for, or — for the caller that
// must build the page — the new flight it leads. Nothing at all while not ready.
func (c *pageCache) lookup(key string, now time.Time) (page *cachedPage, wait, lead *flight) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.ready {
		return nil, nil, nil
	}
	if p := c.pages[key]; p != nil && p.gen == c.gen && now.Sub(p.built) < c.ttl {
		c.hits++
		return p, nil, nil
	}
	if f := c.flights[key]; f != nil && f.gen == c.gen {
		c.hits++ // served the page another request is building
		return nil, f, nil
	}
	c.misses++
	f := &flight{gen: c.gen, done: make(chan struct{})}
	c.flights[key] = f
	return nil, nil, f
}

// land ends a flight; p (nil if the answer cannot be kept) is kept if no change happened
// since the flight took off.
func (c *pageCache) land(key string, f *flight, p *cachedPage) {
	c.mu.Lock()
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	if p != nil && f.gen == c.gen && c.ready {
		p.gen = f.gen
		if old := c.pages[key]; old != nil {
			c.size -= len(old.body)
		}
		// Over budget: drop other pages (in Go's random map order) until this one fits.
		delete(c.pages, key)
		for k, old := range c.pages {
			if c.size+len(p.body) <= pageCacheMaxBytes {
				break
			}
			delete(c.pages, k)
			c.size -= len(old.body)
		}
		c.pages[key] = p
		c.size += len(p.body)
		f.page = p
	}
	c.mu.Unlock()
	close(f.done)
}

// lastCopy returns the last copy kept of the page, however old, or nil.
func (c *pageCache) lastCopy(key string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pages[key]
}

// cachePages is the middleware in front of the routes: it serves cached pages, builds
// and keeps the missing ones, drops them all after a write that changed something, and
// offers their last copies to serverError when the database is unavailable.
func (s *Server) cachePages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cache == nil {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet {
			if r.Method == http.MethodHead || r.Method == http.MethodOptions {
				next.ServeHTTP(w, r)
				return
			}
			ctx, note := postgres.WatchChanges(r.Context())
			next.ServeHTTP(w, r.WithContext(ctx))
			if note.Changed() {
				// The change is committed; the answer is still buffered, so no one
				// reads this process's old pages after it.
				s.cache.changed()
			}
			return
		}
		if !s.cacheable(r) {
			next.ServeHTTP(w, r)
			return
		}
		key := s.pageKey(r)
		page, wait, lead := s.cache.lookup(key, time.Now())
		// Should building the page fail for want of the database, serverError answers
		// with the last copy kept.
		fallback := &staleFallback{cache: s.cache, key: key}
		r = r.WithContext(context.WithValue(r.Context(), staleFallbackKey{}, fallback))
		switch {
		case page != nil:
			page.write(w)
			return
		case wait != nil:
			select {
			case <-wait.done:
			case <-r.Context().Done():
				return
			}
			if wait.page != nil {
				wait.page.write(w)
				return
			}
			next.ServeHTTP(w, r)
			return
		case lead == nil: // not listening for changes: no cache
			next.ServeHTTP(w, r)
			return
		}
		built := time.Now()
		rec := &pageRecorder{ResponseWriter: w}
		completed := false
		defer func() {
			// A panic (recovered further out) lands the flight empty, even after a 200 and
			// part of a page: its waiters build their own page instead of waiting forever.
			var p *cachedPage
			if completed && rec.status == http.StatusOK && !rec.tooBig && w.Header().Get("Set-Cookie") == "" && !fallback.served.Load() {
				p = &cachedPage{built: built, status: rec.status, header: w.Header().Clone(), body: rec.body}
			}
			s.cache.land(key, lead, p)
		}()
		next.ServeHTTP(rec, r)
		completed = true
	})
}

// cacheable tells whether r asks for a page anyone without a session would get alike.
func (s *Server) cacheable(r *http.Request) bool {
	if _, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
		return false
	}
	if _, err := r.Cookie(flashCookieName); err == nil {
		return false // a flash to show, and its cookie to clear
	}
	if r.Header.Get("Authorization") != "" {
		return false
	}
	// A hard reload (and make bench, measuring the cost of building a page) asks for a
	// page built now: RFC 9111 §5.2.1.4. Not even a stale copy, should the database fail.
	if strings.Contains(r.Header.Get("Cache-Control"), "no-cache") {
		return false
	}
	return cachedRoutes[s.router.Find(chi.NewRouteContext(), http.MethodGet, r.URL.Path)]
}

// staleFallback lets serverError, when the database is unavailable, answer a public
// page with the last copy the cache kept of it.
type staleFallback struct {
	cache  *pageCache
	key    string
	served atomic.Bool // the stale copy was sent: not to be kept as a fresh page
}

type staleFallbackKey struct{}

// staleBannerHTML is the banner a stale copy shows in place of the layout's slot.
func staleBannerHTML(ctx context.Context) []byte {
	return []byte(`<div class="flash error" role="status" data-testid="stale-banner">` +
		html.EscapeString(i18n.T(ctx, "Cette page n’est peut-être pas à jour : la base de données ne répond pas pour le moment. Réessayez dans un instant.")) +
		`</div>`)
}

// serveStale writes the last copy of r's public page, if the cache kept one, marked as
// possibly out of date, and reports whether it did.
func serveStale(w http.ResponseWriter, r *http.Request) bool {
	f, _ := r.Context().Value(staleFallbackKey{}).(*staleFallback)
	if f == nil {
		return false
	}
	p := f.cache.lastCopy(f.key)
	if p == nil {
		return false
	}
	f.served.Store(true)
	h := w.Header()
	maps.Copy(h, p.header)
	h.Del("Content-Length")
	h.Set("Cache-Control", "no-store")
	h.Set("Warning", `110 - "Response is Stale"`) // RFC 7234 §5.5.1
	body := p.body
	if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		body = bytes.Replace(body, []byte(components.StaleBannerSlot), staleBannerHTML(r.Context()), 1)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return true
}

// pageKey names a page by everything its content depends on besides the data: the
// language, the scheme and host absolute links are written with, the path and query.
func (s *Server) pageKey(r *http.Request) string {
	return string(requestLang(r)) + " " + s.requestScheme(r) + "://" + r.Host + r.URL.RequestURI()
}

func (p *cachedPage) write(w http.ResponseWriter) {
	maps.Copy(w.Header(), p.header)
	w.WriteHeader(p.status)
	_, _ = w.Write(p.body)
}

// pageRecorder passes the answer through and keeps a copy of it, up to pageCacheMaxEntry.
type pageRecorder struct {
	http.ResponseWriter
	status int
	body   []byte
	tooBig bool
}

func (rec *pageRecorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
	rec.ResponseWriter.WriteHeader(status)
}

func (rec *pageRecorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if !rec.tooBig {
		if len(rec.body)+len(b) > pageCacheMaxEntry {
			rec.tooBig, rec.body = true, nil
		} else {
			rec.body = append(rec.body, b...)
		}
	}
	return rec.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (rec *pageRecorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }
