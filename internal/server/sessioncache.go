package server

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/fabrique-a-communs/fabrique/internal/fabrique"
	"github.com/fabrique-a-communs/fabrique/internal/postgres"
)

// The sessions kept between requests. A logged-in page read from the data cache still
// asked PostgreSQL for one thing: its viewer's session, with their account, unread count
// and own facts — a round trip that held members' pages at 21–32 % of their bytes'
// ceiling where the same pages built from the data cache for visitors stood at 64–83 %
// (issue 16). So each instance keeps, for the reads (GET) of a logged-in person, what the
// store read with their session, under its token — which only its holder sends — and the
// facts the page asked (postgres.OwnFactsKind).
//
// When what is kept stops being true:
//   - a change of the data (an account renamed, a notification, a team joined), written
//     here or heard from PostgreSQL, puts every session kept out of date, as it does the
//     data cache (they share the page cache's generation and readiness: nothing is kept
//     while changes are not heard);
//   - a revocation — a logout, a password changed or reset, a role changed, an account
//     erased — is not done before every instance has forgotten every session it keeps:
//     the store fences it (postgres.FenceSessions), each instance's listener forgets and
//     answers, and the revoker's request waits for every answer. The next request
//     carrying that session is refused on every instance, as when each read it from
//     PostgreSQL;
//   - a notification written or marked read — which announces no change, being one
//     person's own — makes every instance forget the sessions it keeps as soon as it
//     hears it (migration 00046), for the unread count;
//   - a session written here (its last-seen time, a login) or by a form is forgotten
//     here at once; written on another instance, it is read again within
//     keptSessionFresh (what such a write changes — the last-seen time — is not what any
//     right depends on; a logout or a login deletes the old token, and is fenced);
//   - a session past its deadline is never served.
//
// Only a change made outside the app — a session deleted by hand in SQL — waits for
// keptSessionFresh; an account changed by hand is heard as any change.
//
// Forms (POST) always read the session from PostgreSQL: every write checks its rights on
// what the database holds at that moment, as before.

// keptSessionFresh is how long a kept session is served while nothing changes: what
// changes it is announced (see above), so this only bounds what is not — a change made
// by hand in SQL, a last-seen time written on another instance.
const keptSessionFresh = untilChangeFresh

// maxSessions bounds the sessions kept (a few hundred bytes to a few kB each, with the
// facts of up to four kinds of page): when full, the cache starts afresh.
const maxSessions = 10000

type sessionCache struct {
	pages *pageCache // the generation and readiness it follows
	mu    sync.Mutex
	// forgets counts what was forgotten (a session written here, a fence): a read begun
	// before it is not kept, as it may hold what was just forgotten.
	forgets uint64
	entries map[string]*sessionEntry // by token
	hits    uint64
	misses  uint64
	// hearDelay, set by tests only, is how long the listener takes before forgetting at a
	// fence (nanoseconds): the revoker must wait for it.
	hearDelay atomic.Int64
}

// sessionEntry is what the store read for one session: per kind of own facts asked.
type sessionEntry struct {
	gen      uint64
	at       time.Time
	deadline time.Time // the session's own
	reads    map[postgres.OwnFactsKind]sessionRead
}

type sessionRead struct {
	data   []byte
	userID int64
	user   *fabrique.User // never handed out: each request gets a copy
}

func newSessionCache(pages *pageCache) *sessionCache {
	return &sessionCache{pages: pages, entries: map[string]*sessionEntry{}}
}

// forget drops the session of token; forgetAll, every session.
func (c *sessionCache) forget(token string) {
	c.mu.Lock()
	c.forgets++
	delete(c.entries, token)
	c.mu.Unlock()
}

func (c *sessionCache) forgetAll() {
	if d := c.hearDelay.Load(); d > 0 {
		time.Sleep(time.Duration(d))
	}
	c.mu.Lock()
	c.forgets++
	clear(c.entries)
	c.mu.Unlock()
}

// stats returns the hits and misses so far.
func (c *sessionCache) stats() (hits, misses uint64) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// cachingSessionStore is the scs store of a server whose page cache is on: the store of
// PostgreSQL, with the sessions of reads kept (see above).
type cachingSessionStore struct {
	db    scs.CtxStore
	cache *sessionCache
}

func (s cachingSessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s cachingSessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s cachingSessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// FindCtx serves a read's session from the cache, or reads it and keeps it.
func (s cachingSessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	p := postgres.SessionPrefetched(ctx)
	if p == nil || !p.Cacheable {
		return s.db.FindCtx(ctx, token)
	}
	c := s.cache
	now := time.Now()
	c.pages.mu.Lock()
	gen, ready := c.pages.gen, c.pages.ready
	c.pages.mu.Unlock()
	if !ready {
		return s.db.FindCtx(ctx, token)
	}
	c.mu.Lock()
	if e := c.entries[token]; e != nil && e.gen == gen && now.Sub(e.at) < keptSessionFresh && now.Before(e.deadline) {
		if read, ok := e.reads[p.Facts]; ok {
			c.hits++
			c.mu.Unlock()
			p.Found, p.UserID, p.User = true, read.userID, copyUser(read.user)
			return read.data, true, nil
		}
	}
	c.misses++
	forgets := c.forgets
	c.mu.Unlock()

	b, found, err := s.db.FindCtx(ctx, token)
	if err != nil || !found || p.User == nil || p.UserID == 0 {
		return b, found, err // only a logged-in person's session is kept
	}
	deadline, _, err := (postgres.SessionCodec{}).Decode(b)
	if err != nil || !now.Before(deadline) {
		return b, found, nil // scs judges it
	}
	u := copyUser(p.User)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forgets != forgets {
		return b, found, nil // read before what was forgotten meanwhile: not kept
	}
	e := c.entries[token]
	if e == nil || e.gen != gen || now.Sub(e.at) >= keptSessionFresh {
		if len(c.entries) >= maxSessions {
			clear(c.entries)
		}
		e = &sessionEntry{gen: gen, at: now, deadline: deadline, reads: map[postgres.OwnFactsKind]sessionRead{}}
		c.entries[token] = e
	}
	e.reads[p.Facts] = sessionRead{data: b, userID: p.UserID, user: u}
	return b, found, nil
}

// copyUser is a copy of u a request may change: the server fills the Places of its own
// facts (their team rows and tiers-lieux' ids are only read).
func copyUser(u *fabrique.User) *fabrique.User {
	c := *u
	if u.Own != nil {
		own := *u.Own
		c.Own = &own
	}
	return &c
}

// CommitCtx writes the session, then forgets it here.
func (s cachingSessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	err := s.db.CommitCtx(ctx, token, b, expiry)
	s.cache.forget(token)
	return err
}

// DeleteCtx deletes the session (fenced by the store when logged in), then forgets it here.
func (s cachingSessionStore) DeleteCtx(ctx context.Context, token string) error {
	err := s.db.DeleteCtx(ctx, token)
	s.cache.forget(token)
	return err
}

// forgetSession forgets the session r carries, kept here, before the answer leaves: after
// a form (prefetchSession), and after a GET that wrote what the session is read with.
func (s *Server) forgetSession(r *http.Request) {
	if s.kept == nil {
		return
	}
	if c, err := r.Cookie(s.sessions.Cookie.Name); err == nil {
		s.kept.forget(c.Value)
	}
}
