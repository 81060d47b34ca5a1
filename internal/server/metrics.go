package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics in the Prometheus text format, served on a listen address of their own
// (METRICS_ADDR) and never by the public router: request counts and durations by route
// pattern, the PostgreSQL pool, the page and data caches, the outbox and the job queue.
// github.com/prometheus/client_golang writes the format and keeps the histograms; its
// counters cost a few atomic additions a request.

type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "fabrique_http_requests_total", Help: "HTTP requests answered, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "fabrique_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern and method.",
		Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"route", "method"})
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{s: s})
	return m
}

// MetricsHandler serves the metrics, or nil when they are off (Config.Metrics).
func (s *Server) MetricsHandler() http.Handler {
	if s.metrics == nil {
		return nil
	}
	return promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{Timeout: 5 * time.Second})
}

// measure counts each request under its route pattern (read once routing is done; a
// path no route matches counts as "unmatched", so scanning bots make one series).
func (s *Server) measure(next http.Handler) http.Handler {
	if s.metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		route := ""
		if rc := chi.RouteContext(r.Context()); rc != nil {
			route = rc.RoutePattern()
		}
		if route == "" { // served before routing: from the page cache
			route = s.router.Find(chi.NewRouteContext(), r.Method, r.URL.Path)
		}
		if route == "" {
			route = "unmatched"
		}
		method := r.Method
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost:
		default:
			method = "other"
		}
		s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(sw.status)).Inc()
		s.metrics.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
	})
}

// statusWriter notes the status a handler answers.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// storeCollector reads, at each scrape, the pool's figures, the caches' counters and the
// outbox and job queue's depths (one query, bounded by a second: a scrape never waits
// long on a busy database).
type storeCollector struct{ s *Server }

var (
	descPool = map[string]*prometheus.Desc{
		"acquired": prometheus.NewDesc("fabrique_db_pool_acquired_connections", "PostgreSQL connections in use.", nil, nil),
		"idle":     prometheus.NewDesc("fabrique_db_pool_idle_connections", "PostgreSQL connections idle in the pool.", nil, nil),
		"total":    prometheus.NewDesc("fabrique_db_pool_connections", "PostgreSQL connections open.", nil, nil),
		"max":      prometheus.NewDesc("fabrique_db_pool_max_connections", "The pool's size.", nil, nil),
	}
	descAcquires     = prometheus.NewDesc("fabrique_db_pool_acquires_total", "Connections taken from the pool.", nil, nil)
	descWaits        = prometheus.NewDesc("fabrique_db_pool_waits_total", "Acquires that waited for a connection.", nil, nil)
	descWaitSeconds  = prometheus.NewDesc("fabrique_db_pool_acquire_seconds_total", "Time spent acquiring connections.", nil, nil)
	descCanceled     = prometheus.NewDesc("fabrique_db_pool_canceled_acquires_total", "Acquires given up (timeout, request gone).", nil, nil)
	descCache        = prometheus.NewDesc("fabrique_cache_lookups_total", "Page, data, own-page and session cache lookups, by cache and result.", []string{"cache", "result"}, nil)
	descCacheDrops   = prometheus.NewDesc("fabrique_page_cache_drops_total", "Times every kept page was put out of date by a change.", nil, nil)
	descOutbox       = prometheus.NewDesc("fabrique_outbox_emails", "E-mails of the outbox, by state.", []string{"state"}, nil)
	descJobs         = prometheus.NewDesc("fabrique_jobs", "Jobs of the queue, by state.", []string{"state"}, nil)
	descQueueScrapes = prometheus.NewDesc("fabrique_metrics_db_errors_total", "Scrapes that could not read the outbox and the queue.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range descPool {
		ch <- d
	}
	for _, d := range []*prometheus.Desc{descAcquires, descWaits, descWaitSeconds, descCanceled, descCache, descCacheDrops, descOutbox, descJobs, descQueueScrapes} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	st := s.db.PoolStat()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, labels...)
	}
	gauge(descPool["acquired"], float64(st.AcquiredConns()))
	gauge(descPool["idle"], float64(st.IdleConns()))
	gauge(descPool["total"], float64(st.TotalConns()))
	gauge(descPool["max"], float64(st.MaxConns()))
	counter(descAcquires, float64(st.AcquireCount()))
	counter(descWaits, float64(st.EmptyAcquireCount()))
	counter(descWaitSeconds, st.AcquireDuration().Seconds())
	counter(descCanceled, float64(st.CanceledAcquireCount()))
	ph, pm, drops := s.cache.stats()
	counter(descCache, float64(ph), "page", "hit")
	counter(descCache, float64(pm), "page", "miss")
	counter(descCacheDrops, float64(drops))
	dh, dm := s.data.stats()
	counter(descCache, float64(dh), "data", "hit")
	counter(descCache, float64(dm), "data", "miss")
	oh, om := s.own.stats()
	counter(descCache, float64(oh), "own", "hit")
	counter(descCache, float64(om), "own", "miss")
	kh, km := s.kept.stats()
	counter(descCache, float64(kh), "session", "hit")
	counter(descCache, float64(km), "session", "miss")

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	q, err := s.db.QueueDepths(ctx)
	if err != nil {
		s.metricsErrors.Add(1)
	} else {
		for state, n := range q.Emails {
			gauge(descOutbox, float64(n), state)
		}
		for state, n := range q.Jobs {
			gauge(descJobs, float64(n), state)
		}
	}
	counter(descQueueScrapes, float64(s.metricsErrors.Load()))
}
