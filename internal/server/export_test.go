package server

import (
	"maps"
	"slices"

	"github.com/go-chi/chi/v5"
)

// Router exposes the routes to the tests of package server_test.
func Router(s *Server) chi.Routes { return s.router }

// CachedRoutes lists the routes the page cache may keep.
func CachedRoutes() []string { return slices.Sorted(maps.Keys(cachedRoutes)) }

// DeafenPageCache makes the page cache ignore the database's notifications.
func DeafenPageCache(s *Server) { s.cache.deaf.Store(true) }
