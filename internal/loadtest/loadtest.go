// Package loadtest drives a server on this machine with concurrent keep-alive connections
// and measures it — throughput, latency percentiles, errors by status, queries, memory —
// and serves a page's own bytes from memory with a bare net/http server (the ceiling), so
// a page's throughput reads as a fraction of what Go alone reaches on the same machine.
// Pure Go, no external tool; every run stops by itself (a duration and a request cap)
// and only talks to the loopback interface.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of a run.
const (
	DefaultConns       = 32
	DefaultDuration    = 10 * time.Second
	DefaultMaxRequests = 5_000_000
	DefaultTimeout     = 10 * time.Second
)

// RequestFunc builds the request a worker sends next; seq counts that worker's requests
// from 0. Requests must target the loopback interface.
type RequestFunc func(worker int, seq uint64) (*http.Request, error)

// Config is the load of a run.
type Config struct {
	Conns       int           // concurrent connections, one worker each (DefaultConns)
	Duration    time.Duration // measured time (DefaultDuration)
	Warmup      time.Duration // load sent before measuring, not counted (0: none)
	MaxRequests uint64        // the run stops once this many were measured (DefaultMaxRequests)
	Timeout     time.Duration // per request (DefaultTimeout)
	// OnStart and OnStop, when set, are called as the measured time starts and ends
	// (OnStop only after OnStart), to sample what the run does to the server: its
	// queries, its memory.
	OnStart, OnStop func()
}

func (c *Config) defaults() {
	if c.Conns <= 0 {
		c.Conns = DefaultConns
	}
	if c.Duration <= 0 {
		c.Duration = DefaultDuration
	}
	if c.MaxRequests == 0 {
		c.MaxRequests = DefaultMaxRequests
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
}

// Result is what a run measured.
type Result struct {
	Requests        uint64         // answered (whatever the status) during the measured time
	Elapsed         time.Duration  // the measured time
	Latency         Histogram      // of the answered requests
	Statuses        map[int]uint64 // answers by HTTP status
	TransportErrors uint64         // requests that got no answer
	FirstError      string         // the first transport error, for the report
}

// Add counts o's run into r, as one run of both measured times.
func (r *Result) Add(o *Result) {
	r.Requests += o.Requests
	r.Elapsed += o.Elapsed
	r.Latency.Merge(&o.Latency)
	if r.Statuses == nil {
		r.Statuses = map[int]uint64{}
	}
	for status, n := range o.Statuses {
		r.Statuses[status] += n
	}
	r.TransportErrors += o.TransportErrors
	if r.FirstError == "" {
		r.FirstError = o.FirstError
	}
}

// RPS is the throughput: answered requests per second.
func (r *Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Errors counts the failed requests: answers outside 2xx and 3xx, and no answer at all.
func (r *Result) Errors() uint64 {
	n := r.TransportErrors
	for status, c := range r.Statuses {
		if status < 200 || status >= 400 {
			n += c
		}
	}
	return n
}

// ErrorSummary words the errors for a table: "0", or "12 (500 ×10, sans réponse ×2)".
func (r *Result) ErrorSummary() string {
	n := r.Errors()
	if n == 0 {
		return "0"
	}
	var parts []string
	var codes []int
	for status := range r.Statuses {
		if status < 200 || status >= 400 {
			codes = append(codes, status)
		}
	}
	sort.Ints(codes)
	for _, s := range codes {
		parts = append(parts, fmt.Sprintf("%d ×%d", s, r.Statuses[s]))
	}
	if r.TransportErrors > 0 {
		parts = append(parts, fmt.Sprintf("sans réponse ×%d", r.TransportErrors))
	}
	return strconv.FormatUint(n, 10) + " (" + strings.Join(parts, ", ") + ")"
}

// NewClient returns an HTTP client for conns keep-alive connections to one host, which
// does not follow redirects (a 303 after a form is the answer being measured).
func NewClient(conns int, timeout time.Duration) *http.Client {
	if conns <= 0 {
		conns = DefaultConns
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := &http.Transport{
		Proxy:               nil, // never through a proxy: only this machine is measured
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// CheckLocal refuses a URL outside the loopback interface.
func CheckLocal(u *url.URL) error {
	if u == nil {
		return errors.New("loadtest: no URL")
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("loadtest: %q is not on this machine: only loopback targets are driven", u.Host)
}

// worker is what one connection measured.
type worker struct {
	hist      Histogram
	statuses  map[int]uint64
	transport uint64
	firstErr  string
	err       error // aborts the run
}

// Run sends requests built by next from cfg.Conns workers on client's keep-alive
// connections: for cfg.Warmup unmeasured, then for cfg.Duration or until cfg.MaxRequests
// answers were measured, whichever comes first, or until ctx is done. Requests in flight
// when the run stops are waited for (at most the client's timeout) but not counted. A
// non-local target or an error of next aborts the run.
func Run(ctx context.Context, client *http.Client, cfg Config, next RequestFunc) (*Result, error) {
	cfg.defaults()
	var (
		measuring atomic.Bool
		stopped   atomic.Bool
		measured  atomic.Uint64
		stopOnce  sync.Once
		stopAt    time.Time
		startAt   time.Time
		stopc     = make(chan struct{})
	)
	stop := func() {
		stopOnce.Do(func() {
			stopAt = time.Now()
			stopped.Store(true)
			close(stopc)
		})
	}
	workers := make([]*worker, cfg.Conns)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{statuses: map[int]uint64{}}
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := uint64(0); !stopped.Load(); seq++ {
				req, err := next(i, seq)
				if err == nil {
					err = CheckLocal(req.URL)
				}
				if err != nil {
					w.err = err
					stop()
					return
				}
				counted := measuring.Load()
				t0 := time.Now()
				res, err := client.Do(req.WithContext(ctx))
				status := 0
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					status = res.StatusCode
				}
				d := time.Since(t0)
				if !counted || stopped.Load() || ctx.Err() != nil {
					continue
				}
				if err != nil {
					w.transport++
					if w.firstErr == "" {
						w.firstErr = err.Error()
					}
					continue
				}
				w.statuses[status]++
				w.hist.Record(d)
				if measured.Add(1) >= cfg.MaxRequests {
					stop()
				}
			}
		}()
	}
	timer := time.NewTimer(cfg.Warmup)
	select {
	case <-timer.C:
	case <-stopc:
	case <-ctx.Done():
	}
	started := !stopped.Load() && cfg.OnStart != nil
	if started {
		cfg.OnStart()
	}
	startAt = time.Now()
	measuring.Store(true)
	timer.Reset(cfg.Duration)
	select {
	case <-timer.C:
	case <-stopc:
	case <-ctx.Done():
	}
	timer.Stop()
	stop()
	if started && cfg.OnStop != nil {
		cfg.OnStop()
	}
	wg.Wait()

	r := &Result{Statuses: map[int]uint64{}, Elapsed: stopAt.Sub(startAt)}
	for _, w := range workers {
		if w.err != nil {
			return nil, w.err
		}
		r.Latency.Merge(&w.hist)
		for s, c := range w.statuses {
			r.Statuses[s] += c
			r.Requests += c
		}
		r.TransportErrors += w.transport
		if r.FirstError == "" {
			r.FirstError = w.firstErr
		}
	}
	if err := ctx.Err(); err != nil {
		return r, err
	}
	return r, nil
}
