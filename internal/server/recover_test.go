package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRecoverPanic checks a panicking handler answers the French 500 page, is logged,
// and leaves the server able to answer the next request.
func TestRecoverPanic(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := &Server{logger: slog.New(slog.NewTextHandler(&logs, nil))}
	calls := 0
	h := s.recoverPanic(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			panic("boom")
		}
		w.WriteHeader(http.StatusNoContent)
	}))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/defis", nil))
	if got, want := rec.Code, http.StatusInternalServerError; got != want {
		t.Fatalf("got status %d, want %d", got, want)
	}
	if body := rec.Body.String(); !strings.Contains(body, `lang="fr"`) || !strings.Contains(body, "Une erreur est survenue de notre côté") {
		t.Errorf("got body %q, want the French 500 page", body)
	}
	if l := logs.String(); !strings.Contains(l, "panic") || !strings.Contains(l, "boom") {
		t.Errorf("got logs %q, want the panic logged", l)
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/defis", nil))
	if got, want := rec.Code, http.StatusNoContent; got != want {
		t.Errorf("after a panic: got status %d, want %d", got, want)
	}
}
