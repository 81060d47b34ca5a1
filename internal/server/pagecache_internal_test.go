package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
)

// cacheOnly is a server with nothing but the page cache in front of handler, on the
// cached route /test/{x}.
func cacheOnly(t *testing.T, handler http.HandlerFunc) *Server {
	t.Helper()
	cachedRoutes["/test/{x}"] = true // no real route has this pattern
	t.Cleanup(func() { delete(cachedRoutes, "/test/{x}") })
	s := &Server{sessions: scs.New(), cache: newPageCache(time.Hour)}
	s.cache.setReady(true)
	s.router = chi.NewRouter()
	s.router.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				if recover() != nil {
					w.WriteHeader(http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
		})
	}, s.cachePages)
	s.router.Get("/test/{x}", handler)
	return s
}

func get(s *Server, path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.router.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

// A handler that panics after writing a 200 and part of its page leaves nothing behind.
func TestPageCacheKeepsNoPageOfAPanic(t *testing.T) {
	var calls atomic.Int64
	s := cacheOnly(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("<p>début"))
			panic("au milieu de la page")
		}
		_, _ = w.Write([]byte("<p>page entière</p>"))
	})
	get(s, "/test/a")
	if w := get(s, "/test/a"); calls.Load() != 2 || w.Body.String() != "<p>page entière</p>" {
		t.Fatalf("after a panic: %d calls, body %q: the half page was kept", calls.Load(), w.Body.String())
	}
	if w := get(s, "/test/a"); calls.Load() != 2 || w.Body.String() != "<p>page entière</p>" {
		t.Fatalf("third visit: %d calls, body %q: want the kept page", calls.Load(), w.Body.String())
	}
}

// The pages kept never weigh more than pageCacheMaxBytes; a page too big is not kept.
func TestPageCacheStaysWithinItsBudget(t *testing.T) {
	var calls atomic.Int64
	page := strings.Repeat("x", 900<<10) // 900 KiB: 36 of them would exceed 32 MiB
	s := cacheOnly(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if chi.URLParam(r, "x") == "enorme" {
			_, _ = w.Write([]byte(page + page))
			return
		}
		_, _ = w.Write([]byte(page))
	})
	for i := range 60 {
		get(s, "/test/p"+string(rune('a'+i%26))+string(rune('a'+i/26)))
		if s.cache.size > pageCacheMaxBytes {
			t.Fatalf("after %d pages: %d bytes kept, more than %d", i+1, s.cache.size, pageCacheMaxBytes)
		}
	}
	if n := len(s.cache.pages); n < 30 || n > pageCacheMaxBytes/len(page) {
		t.Errorf("%d pages kept, want the budget filled (%d)", n, pageCacheMaxBytes/len(page))
	}
	before := calls.Load()
	get(s, "/test/enorme")
	if w := get(s, "/test/enorme"); calls.Load() != before+2 || w.Body.Len() != 2*len(page) {
		t.Errorf("a page over %d bytes: %d builds for 2 visits, %d bytes sent", pageCacheMaxEntry, calls.Load()-before, w.Body.Len())
	}
}
