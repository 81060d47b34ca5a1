package server

import (
	"context"
	"net/http"
	"time"
)

// handleHealth handles "GET /sante", for load balancers and monitoring: 200 "ok" when
// PostgreSQL answers within two seconds, else 503. Never kept by the page cache.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ping(ctx); err != nil {
		s.logger.Warn("health: database", "err", err)
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("base de données injoignable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
