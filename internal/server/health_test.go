package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	c := a.Client(t)
	r := c.Get("/sante")
	if r.StatusCode != http.StatusOK || r.Body != "ok\n" || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET /sante: %d %q (Cache-Control %q), want 200 ok, no-store", r.StatusCode, r.Body, r.Header.Get("Cache-Control"))
	}
	if r := c.Do(request(t, a, http.MethodHead, "/sante", "", nil)); r.StatusCode != http.StatusOK {
		t.Errorf("HEAD /sante: %d, want 200", r.StatusCode)
	}
	a.DB.Close() // the database gone (the store's pool closed)
	if r := c.Get("/sante"); r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.Body, "injoignable") {
		t.Errorf("GET /sante without a database: %d %q, want 503", r.StatusCode, r.Body)
	}
}
