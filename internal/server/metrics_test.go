package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/apptest"
)

// /metrics answers on METRICS_ADDR only, in the Prometheus text format: requests by route
// pattern (never by raw path), the pool, the caches, the outbox and the job queue.
func TestMetrics(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.WithMetrics(), apptest.WithPageCache(2*time.Second))
	a.WaitPageCache(t)
	c := a.Client(t)
	c.Get("/defis")
	c.Get("/defis")
	c.Get("/defis/un-defi-qui-n-existe-pas")
	c.Get("/n-importe-quoi-123")
	if got := c.Get("/metrics").StatusCode; got != http.StatusNotFound {
		t.Errorf("/metrics on the public address: %d, want 404", got)
	}
	if a.MetricsURL() == "" {
		t.Fatal("no metrics address")
	}
	res, err := http.Get(a.MetricsURL())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`fabrique_http_requests_total{method="GET",route="/defis",status="200"} 2`,
		`fabrique_http_requests_total{method="GET",route="/defis/{slug}",status="404"} 1`,
		`fabrique_http_requests_total{method="GET",route="unmatched",status="404"}`,
		`fabrique_http_request_duration_seconds_bucket{method="GET",route="/defis",le="+Inf"} 2`,
		"fabrique_db_pool_max_connections 8",
		"fabrique_db_pool_acquires_total",
		`fabrique_cache_lookups_total{cache="page",result="hit"} 1`,
		`fabrique_cache_lookups_total{cache="page",result="miss"}`,
		"fabrique_page_cache_drops_total",
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "un-defi-qui-n-existe-pas") || strings.Contains(body, "n-importe-quoi") {
		t.Error("a raw path is a label: every URL would make a series")
	}
}
