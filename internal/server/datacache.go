package server

import (
	"context"
	"maps"
	"sync"
	"time"
)

// The data cache keeps, per instance, what several pages compute the same way for
// everyone — the ranked ids of a search, a défi's page as anyone sees it, the
// coordination's queues — whoever asks, logged in or not. It follows the page cache's
// generation: any change this process writes (before its answer leaves) or hears of from
// PostgreSQL puts every entry out of date, and nothing is kept while changes are not
// heard. What it holds is the same for everyone who gets it: public data, or a page's
// content as everyone of a class — with the same facts of their own, when the key names
// them (renderShared) — sees it; never what one person alone may see under a key another
// could ask for. An entry is fresh for the
// page cache's TTL, for what changes with time alone (a rendez-vous ended) — or, for an
// entry whose load took long, renewLoadFactor times that load (see renewLoadFactor); for
// one more TTL it is still served while a load renews it in the background (see get).

// maxDataEntries bounds the entries: when full, the cache starts afresh (a search's ids
// are at most 8 bytes a défi: 10 000 matches are 80 kB; a page's content is 10–100 kB,
// kept per language and class: 256 entries are 25 MB at worst) — but for the entries kept
// until a change (cachedUntilChange: the coordination's queues and sums, few and costly),
// so that a stream of made-up URLs, each page's content kept under its URL, cannot make
// them load again.
const maxDataEntries = 256

type dataCache struct {
	pages   *pageCache // its generation and readiness
	max     int        // entries kept at most
	mu      sync.Mutex
	entries map[string]dataEntry
	flights map[string]*dataFlight
	hits    uint64
	misses  uint64
}

type dataEntry struct {
	gen         uint64
	at          time.Time
	fresh       time.Duration // how long it is served without a renewal
	untilChange bool          // loaded by cachedUntilChange: kept when the cache is full
	v           any
}

// renewLoadFactor bounds what renewing an unchanged entry costs: an entry is fresh for at
// least this many times its load, so that renewing it takes at most a twentieth of a core
// while it is read. At 10 000 défis the coordination's sums (budgets near their end,
// payments due: 150–300 ms of PostgreSQL each on a slow machine) were renewed every TTL
// (2 s), a third of a core spent recomputing what had not changed, which showed in every
// other request's latency (/coordination's p99 34 → 26 ms in 10 s runs). A change drops
// them at once; only what changes with time alone, or a change whose announce was lost,
// waits longer (6 s for a 300 ms load).
const renewLoadFactor = 20

// untilChangeFresh is how long an entry of data that changes with writes alone
// (cachedUntilChange) is fresh while nothing changes: each change drops it at once, so
// this only bounds the staleness of a change whose announcement was lost — a commit
// whose connection died between its COMMIT and its notification (an outage drops every
// entry anyway: the cache is not ready while the app does not listen).
const untilChangeFresh = time.Minute

type dataFlight struct {
	gen      uint64
	minFresh time.Duration // at least this fresh once loaded (cachedUntilChange)
	done     chan struct{}
	v        any
	err      error
}

func newDataCache(pages *pageCache) *dataCache { return newDataCacheOf(pages, maxDataEntries) }

// newDataCacheOf is a data cache of at most max entries.
func newDataCacheOf(pages *pageCache, max int) *dataCache {
	return &dataCache{pages: pages, max: max, entries: map[string]dataEntry{}, flights: map[string]*dataFlight{}}
}

// get returns the value kept under key in the current generation, or loads it — once for
// every request asking at the same time. Without a page cache (off, or not hearing the
// database's changes) it always loads. A loaded value is fresh for at least minFresh.
func (c *dataCache) get(ctx context.Context, key string, minFresh time.Duration, load func(context.Context) (any, error)) (any, error) {
	if c == nil {
		return load(ctx)
	}
	c.pages.mu.Lock()
	gen, ready := c.pages.gen, c.pages.ready
	c.pages.mu.Unlock()
	if !ready {
		return load(ctx)
	}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok && e.gen == gen {
		age := time.Since(e.at)
		if age < e.fresh {
			c.hits++
			c.mu.Unlock()
			return e.v, nil
		}
		// Out of time but nothing changed since: served once more while one load
		// renews it in the background, so that the entries a page reads, all loaded at
		// once and all expiring at once, do not make every request wait for them in
		// turn. Only for one more TTL: past it (loads failing), requests wait again.
		if age < e.fresh+c.pages.ttl {
			c.hits++
			if _, ok := c.flights[key]; !ok {
				f := &dataFlight{gen: gen, minFresh: minFresh, done: make(chan struct{})}
				c.flights[key] = f
				go c.fill(context.WithoutCancel(ctx), key, f, load)
			}
			c.mu.Unlock()
			return e.v, nil
		}
	}
	c.misses++
	if f, ok := c.flights[key]; ok && f.gen == gen {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil {
			return load(ctx)
		}
		return f.v, nil
	}
	f := &dataFlight{gen: gen, minFresh: minFresh, done: make(chan struct{})}
	c.flights[key] = f
	c.mu.Unlock()
	return c.fill(ctx, key, f, load)
}

// dataRenewTimeout bounds a load renewing an entry in the background.
const dataRenewTimeout = 30 * time.Second

// fill runs the flight f: it loads key and keeps the value under the flight's generation.
func (c *dataCache) fill(ctx context.Context, key string, f *dataFlight, load func(context.Context) (any, error)) (any, error) {
	ctx, cancel := context.WithTimeout(ctx, dataRenewTimeout)
	defer cancel()
	gen := f.gen
	at := time.Now()
	v, err := load(ctx)
	c.mu.Lock()
	f.v, f.err = v, err
	if c.flights[key] == f {
		delete(c.flights, key)
	}
	if err == nil {
		if len(c.entries) >= c.max {
			maps.DeleteFunc(c.entries, func(_ string, e dataEntry) bool { return !e.untilChange || e.gen != gen })
			if len(c.entries) >= c.max {
				clear(c.entries)
			}
		}
		// Kept under the generation it was loaded in: a change heard meanwhile has
		// already moved on, and the entry is never served.
		c.entries[key] = dataEntry{gen: gen, at: at, fresh: max(c.pages.ttl, f.minFresh, renewLoadFactor*time.Since(at)),
			untilChange: f.minFresh > 0, v: v}
	}
	c.mu.Unlock()
	close(f.done)
	return v, err
}

// stats returns the hits and misses so far.
func (c *dataCache) stats() (hits, misses uint64) {
	if c == nil {
		return 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// cached is dataCache.get typed: the value kept under key, or load's. What it returns is
// shared by every request of the generation: read it, never change it.
func cached[T any](ctx context.Context, c *dataCache, key string, load func(context.Context) (T, error)) (T, error) {
	return cachedFor(ctx, c, key, 0, load)
}

// cachedUntilChange is cached for data that changes with writes alone, never with the
// time of day (a queue, a sum: not what is open today): kept until a change, at most
// untilChangeFresh, rather than renewed each TTL. The coordination's queues and sums
// (80–400 ms of PostgreSQL each at 10 000 défis) were recomputed every 2 s with nothing
// changed.
func cachedUntilChange[T any](ctx context.Context, c *dataCache, key string, load func(context.Context) (T, error)) (T, error) {
	return cachedFor(ctx, c, key, untilChangeFresh, load)
}

func cachedFor[T any](ctx context.Context, c *dataCache, key string, minFresh time.Duration, load func(context.Context) (T, error)) (T, error) {
	v, err := c.get(ctx, key, minFresh, func(ctx context.Context) (any, error) { return load(ctx) })
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// cached2 is cached for a store call with two results (a page and its count, say).
func cached2[A, B any](ctx context.Context, c *dataCache, key string, load func(context.Context) (A, B, error)) (A, B, error) {
	return cached2For(ctx, c, key, 0, load)
}

// cached2UntilChange is cachedUntilChange for a store call with two results.
func cached2UntilChange[A, B any](ctx context.Context, c *dataCache, key string, load func(context.Context) (A, B, error)) (A, B, error) {
	return cached2For(ctx, c, key, untilChangeFresh, load)
}

func cached2For[A, B any](ctx context.Context, c *dataCache, key string, minFresh time.Duration, load func(context.Context) (A, B, error)) (A, B, error) {
	type pair struct {
		a A
		b B
	}
	p, err := cachedFor(ctx, c, key, minFresh, func(ctx context.Context) (pair, error) {
		a, b, err := load(ctx)
		return pair{a, b}, err
	})
	return p.a, p.b, err
}
