package server

import (
	"maps"
	"slices"
	"time"

	"github.com/go-chi/chi/v5"
)

// Router exposes the routes to the tests of package server_test.
func Router(s *Server) chi.Routes { return s.router }

// CachedRoutes lists the routes the page cache may keep.
func CachedRoutes() []string { return slices.Sorted(maps.Keys(cachedRoutes)) }

// DeafenPageCache makes the page cache ignore the database's notifications.
func DeafenPageCache(s *Server) { s.cache.deaf.Store(true) }

// PageCacheMisses counts the pages the page cache did not have.
func PageCacheMisses(s *Server) uint64 {
	_, misses, _ := s.cache.stats()
	return misses
}

// DelaySessionFences makes the instance take d to forget its sessions at a fence.
func DelaySessionFences(s *Server, d time.Duration) { s.kept.hearDelay.Store(int64(d)) }

// SessionCacheHits counts the sessions served from the instance's memory.
func SessionCacheHits(s *Server) uint64 {
	hits, _ := s.kept.stats()
	return hits
}
