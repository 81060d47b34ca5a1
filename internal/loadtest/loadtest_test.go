package loadtest_test

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/fabrique-a-communs/fabrique/internal/loadtest"
)

// exactQuantile is the reference: the value of rank ⌈q·n⌉ among the sorted samples.
func exactQuantile(sorted []time.Duration, q float64) time.Duration {
	rank := int(math.Ceil(q * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func TestHistogramQuantiles(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		gen  func() time.Duration
	}{
		{"uniform 0–20 ms", func() time.Duration { return time.Duration(rng.Int64N(int64(20 * time.Millisecond))) }},
		{"log-normal around 2 ms", func() time.Duration {
			return time.Duration(math.Exp(rng.NormFloat64()) * float64(2*time.Millisecond))
		}},
		{"sub-millisecond", func() time.Duration { return time.Duration(rng.Int64N(int64(900 * time.Microsecond))) }},
		{"long tail up to 30 s", func() time.Duration {
			if rng.IntN(100) == 0 {
				return time.Duration(rng.Int64N(int64(30 * time.Second)))
			}
			return time.Duration(rng.Int64N(int64(5 * time.Millisecond)))
		}},
	}
	for _, tc := range cases {
		var h loadtest.Histogram
		samples := make([]time.Duration, 50_000)
		for i := range samples {
			samples[i] = tc.gen()
			h.Record(samples[i])
		}
		slices.Sort(samples)
		if got, want := h.Count(), uint64(len(samples)); got != want {
			t.Errorf("%s: count: got %d, want %d", tc.name, got, want)
		}
		if got, want := h.Min(), samples[0]; got != want {
			t.Errorf("%s: min: got %v, want %v", tc.name, got, want)
		}
		if got, want := h.Max(), samples[len(samples)-1]; got != want {
			t.Errorf("%s: max: got %v, want %v", tc.name, got, want)
		}
		for _, q := range []float64{0.5, 0.9, 0.95, 0.99, 0.999, 1} {
			got, want := h.Quantile(q), exactQuantile(samples, q)
			// within 1 % of the value, or the microsecond the histogram counts in
			if diff := math.Abs(float64(got - want)); diff > 0.01*float64(want)+float64(time.Microsecond) {
				t.Errorf("%s: p%v: got %v, want %v (±1 %%)", tc.name, q*100, got, want)
			}
		}
	}
}

func TestHistogramEdges(t *testing.T) {
	t.Parallel()
	var h loadtest.Histogram
	if got := h.Quantile(0.99); got != 0 {
		t.Errorf("empty p99: got %v, want 0", got)
	}
	h.Record(-time.Second) // a clock going back counts as zero
	h.Record(10 * time.Minute)
	if got, want := h.Quantile(1), 10*time.Minute; got != want {
		t.Errorf("p100 of a clamped value: got %v, want %v (the exact max)", got, want)
	}
	if got, want := h.Quantile(0.5), time.Duration(0); got != want {
		t.Errorf("p50: got %v, want %v", got, want)
	}

	var a, b loadtest.Histogram
	for i := 1; i <= 100; i++ {
		a.Record(time.Duration(i) * time.Millisecond)
		b.Record(time.Duration(100+i) * time.Millisecond)
	}
	a.Merge(&b)
	if got, want := a.Count(), uint64(200); got != want {
		t.Errorf("merged count: got %d, want %d", got, want)
	}
	if got, want := a.Quantile(0.5), 100*time.Millisecond; math.Abs(float64(got-want)) > 0.01*float64(want) {
		t.Errorf("merged p50: got %v, want %v", got, want)
	}
	if got, want := a.Mean(), 100500*time.Microsecond; got != want {
		t.Errorf("merged mean: got %v, want %v", got, want)
	}
}

func TestCeilingServesTheSameBytes(t *testing.T) {
	t.Parallel()
	body := bytes.Repeat([]byte("<p>Défi « outil »</p>\n"), 2000)
	c, err := loadtest.StartCeiling(map[string]loadtest.Page{
		"/defis?q=outil": {ContentType: "text/html; charset=utf-8", Body: body},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if u, _ := url.Parse(c.URL()); u.Hostname() != "127.0.0.1" {
		t.Errorf("ceiling listens on %s, want 127.0.0.1", u.Host)
	}
	client := loadtest.NewClient(2, time.Second)
	p, err := loadtest.Fetch(context.Background(), client, c.URL()+"/defis?q=outil")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != http.StatusOK || !bytes.Equal(p.Body, body) || p.ContentType != "text/html; charset=utf-8" {
		t.Errorf("got status %d, %d bytes, type %q; want 200, the %d bytes given, text/html", p.Status, len(p.Body), p.ContentType, len(body))
	}
	p, err = loadtest.Fetch(context.Background(), client, c.URL()+"/defis")
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != http.StatusNotFound {
		t.Errorf("unknown page: got status %d, want 404", p.Status)
	}
}

func TestRunAgainstCeiling(t *testing.T) {
	t.Parallel()
	c, err := loadtest.StartCeiling(map[string]loadtest.Page{"/": {Body: []byte("ok")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	client := loadtest.NewClient(4, time.Second)
	var seen [4]uint64
	var started, stopped time.Time
	cfg := loadtest.Config{Conns: 4, Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond,
		OnStart: func() { started = time.Now() }, OnStop: func() { stopped = time.Now() }}
	begin := time.Now()
	res, err := loadtest.Run(context.Background(), client, cfg,
		func(w int, seq uint64) (*http.Request, error) {
			seen[w] = seq
			path := "/"
			if seq%10 == 9 {
				path = "/absent" // every tenth request fails with 404
			}
			return http.NewRequest(http.MethodGet, c.URL()+path, nil)
		})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 20 {
		t.Errorf("got %d requests in 300 ms, want at least 20", res.Requests)
	}
	if res.Elapsed < 300*time.Millisecond || res.Elapsed > 2*time.Second {
		t.Errorf("elapsed: got %v, want about 300 ms", res.Elapsed)
	}
	if res.Statuses[404] == 0 || res.Errors() != res.Statuses[404] {
		t.Errorf("errors: got %d with %d × 404, want every 404 counted as an error", res.Errors(), res.Statuses[404])
	}
	if got, want := res.Latency.Count(), res.Requests; got != want {
		t.Errorf("latencies: got %d, want one per request (%d)", got, want)
	}
	if started.Sub(begin) < 50*time.Millisecond || stopped.Sub(started) < 300*time.Millisecond {
		t.Errorf("hooks: measuring started %v after the warm-up began and lasted %v; want after 50 ms, for 300 ms",
			started.Sub(begin), stopped.Sub(started))
	}
	for w, s := range seen {
		if s == 0 {
			t.Errorf("worker %d sent nothing", w)
		}
	}
}

func TestRunStopsAtMaxRequests(t *testing.T) {
	t.Parallel()
	c, err := loadtest.StartCeiling(map[string]loadtest.Page{"/": {Body: []byte("ok")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	start := time.Now()
	res, err := loadtest.Run(context.Background(), loadtest.NewClient(2, time.Second),
		loadtest.Config{Conns: 2, Duration: time.Minute, MaxRequests: 50},
		func(int, uint64) (*http.Request, error) { return http.NewRequest(http.MethodGet, c.URL()+"/", nil) })
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("a run capped at 50 requests took %v", time.Since(start))
	}
	if res.Requests < 50 || res.Requests > 52 {
		t.Errorf("got %d requests, want 50 (and at most one more per worker)", res.Requests)
	}
}

func TestRunRefusesRemoteTargets(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"http://example.org/", "http://10.0.0.1:8080/", "http://192.168.1.2/"} {
		_, err := loadtest.Run(context.Background(), loadtest.NewClient(1, time.Second),
			loadtest.Config{Conns: 1, Duration: time.Second},
			func(int, uint64) (*http.Request, error) { return http.NewRequest(http.MethodGet, target, nil) })
		if err == nil {
			t.Errorf("%s: got no error, want the run refused", target)
		}
	}
	for _, target := range []string{"http://127.0.0.1:1/", "http://localhost:1/", "http://[::1]:1/"} {
		u, _ := url.Parse(target)
		if err := loadtest.CheckLocal(u); err != nil {
			t.Errorf("%s: got %v, want accepted", target, err)
		}
	}
}

func TestMemory(t *testing.T) {
	t.Parallel()
	p := loadtest.WatchMemory(time.Millisecond)
	buf := make([]byte, 8<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	time.Sleep(5 * time.Millisecond)
	m := p.Stop()
	if m.Heap < 8<<20 || m.GoTotal < m.Heap {
		t.Errorf("got heap %d, Go total %d; want at least the 8 MiB allocated", m.Heap, m.GoTotal)
	}
	if m.RSS > 0 && loadtest.PeakRSS() < m.RSS {
		t.Errorf("peak RSS %d below a sampled RSS %d", loadtest.PeakRSS(), m.RSS)
	}
	runtime.KeepAlive(buf) // live until sampled: "_ = buf[len(buf)-1]" was optimised away, and a GC freed it under load
}

// Two runs added are one run of both measured times: the throughput of the whole, every
// latency and every status.
func TestResultAdd(t *testing.T) {
	type Result = loadtest.Result
	t.Parallel()
	a := &Result{Requests: 100, Elapsed: time.Second, Statuses: map[int]uint64{200: 100}}
	b := &Result{Requests: 300, Elapsed: time.Second, Statuses: map[int]uint64{200: 290, 500: 10}, TransportErrors: 2, FirstError: "reset"}
	for i := 0; i < 100; i++ {
		a.Latency.Record(time.Millisecond)
	}
	for i := 0; i < 300; i++ {
		b.Latency.Record(3 * time.Millisecond)
	}
	a.Add(b)
	if a.RPS() != 200 || a.Latency.Count() != 400 || a.Statuses[200] != 390 || a.Errors() != 12 || a.FirstError != "reset" {
		t.Errorf("added: %.0f req/s, %d latencies, %v, %d errors, %q; want 200, 400, 390 ×200, 12, reset",
			a.RPS(), a.Latency.Count(), a.Statuses, a.Errors(), a.FirstError)
	}
	if q := a.Latency.Quantile(0.5); q < 2900*time.Microsecond || q > 3100*time.Microsecond {
		t.Errorf("median %s, want 3 ms (three quarters of the requests)", q)
	}
}
