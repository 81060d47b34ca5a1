package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/fabrique-a-communs/fabrique/web/components"
)

// A build that finds its content may not be kept under the key asked (errNotShared: the
// défi's team changed between the session's facts and its rows) gets the page rendered
// for its request alone, nothing kept; the next request builds again.
func TestSharedBuildRefusedRendersWhole(t *testing.T) {
	t.Parallel()
	pages := newPageCache(time.Hour)
	pages.ready = true
	s := &Server{data: newDataCache(pages)}
	builds := 0
	build := func(_ context.Context, p components.Page) (templ.Component, error) {
		builds++
		if p.BodyOnly {
			return nil, errNotShared
		}
		return templ.Raw("<p>rendue pour cette requête</p>"), nil
	}
	for range 2 {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/defis/un-defi", nil)
		s.renderSharedPage(w, r, http.StatusOK, "k", components.Page{Title: "Un défi"}, build, nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "rendue pour cette requête") {
			t.Fatalf("status %d, body %q", w.Code, w.Body.String())
		}
	}
	if builds != 4 {
		t.Errorf("%d builds, want 4: a refused content is never kept", builds)
	}
	if len(s.data.entries) != 0 {
		t.Errorf("kept: %v", s.data.entries)
	}
}
