package server

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// readyDataCache is a data cache whose page cache hears changes, with a get of key "k"
// by load that fails the test on an error.
func readyDataCache(t *testing.T, ttl time.Duration, load func(context.Context) (any, error)) (*pageCache, *dataCache, func() int64) {
	return readyDataCacheFor(t, ttl, 0, load)
}

// readyDataCacheFor is readyDataCache whose get keeps each value fresh for minFresh at least.
func readyDataCacheFor(t *testing.T, ttl, minFresh time.Duration, load func(context.Context) (any, error)) (*pageCache, *dataCache, func() int64) {
	pages := newPageCache(ttl)
	pages.ready = true
	c := newDataCache(pages)
	return pages, c, func() int64 {
		t.Helper()
		v, err := c.get(t.Context(), "k", minFresh, load)
		if err != nil {
			t.Fatal(err)
		}
		return v.(int64)
	}
}

// An entry out of time, nothing changed since, is served while one load renews it in the
// background; past twice the TTL, or once a change is heard, requests wait for a load.
func TestDataCacheRenewsInTheBackground(t *testing.T) {
	t.Parallel()
	const ttl = 50 * time.Millisecond
	var loads atomic.Int64
	release := make(chan struct{})
	pages, c, get := readyDataCache(t, ttl, func(ctx context.Context) (any, error) {
		n := loads.Add(1)
		if n == 2 {
			<-release // the renewal: slow
		}
		return n, nil
	})
	if got := get(); got != 1 {
		t.Fatalf("first read: got %d, want 1", got)
	}
	time.Sleep(ttl + ttl/5)
	// Out of time: the old value at once, however slow the renewal, and one renewal only.
	for range 3 {
		if got := get(); got != 1 {
			t.Fatalf("while renewing: got %d, want the kept 1", got)
		}
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for get() != 2 {
		if time.Now().After(deadline) {
			t.Fatal("the renewed value never came")
		}
		time.Sleep(time.Millisecond)
	}
	if n := loads.Load(); n != 2 {
		t.Errorf("loads: got %d, want 2 (one renewal)", n)
	}
	// A change heard: the next request waits for a fresh load, nothing old served.
	pages.mu.Lock()
	pages.gen++
	pages.mu.Unlock()
	if got := get(); got != 3 {
		t.Errorf("after a change: got %d, want 3", got)
	}
	// Past its freshness and one TTL more, the request loads itself.
	time.Sleep(2*ttl + ttl/5)
	if got := get(); got != 4 {
		t.Errorf("past twice the TTL: got %d, want 4", got)
	}
	// A failing renewal keeps the old value, only until twice the TTL.
	fail := func(ctx context.Context) (any, error) { return nil, errors.New("down") }
	time.Sleep(ttl + ttl/5)
	if v, err := c.get(t.Context(), "k", 0, fail); err != nil || v.(int64) != 4 {
		t.Errorf("renewal failing: got %v, %v, want the kept 4", v, err)
	}
	time.Sleep(ttl)
	if _, err := c.get(t.Context(), "k", 0, fail); err == nil {
		t.Errorf("past twice the TTL with the database down: got a value, want the error")
	}
}

// An entry whose load took long (fresh for renewLoadFactor times its load), or of data
// that changes with writes alone (cachedUntilChange), is not renewed with time while
// nothing changes; a change drops it at once.
func TestDataCacheKeepsWhatIsCostlyOrChangesWithWritesAlone(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name     string
		minFresh time.Duration
		load     time.Duration
	}{
		{"a slow load", 0, 15 * time.Millisecond}, // fresh for 300 ms, the TTL 20 ms
		{"until a change", untilChangeFresh, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			const ttl = 20 * time.Millisecond
			var loads atomic.Int64
			pages, _, get := readyDataCacheFor(t, ttl, c.minFresh, func(ctx context.Context) (any, error) {
				time.Sleep(c.load)
				return loads.Add(1), nil
			})
			get()
			time.Sleep(4 * ttl)
			get()
			time.Sleep(10 * time.Millisecond) // a renewal in the background, were there one
			if got := get(); got != 1 || loads.Load() != 1 {
				t.Errorf("at four TTLs: got %d after %d loads, want the kept 1 and no renewal", got, loads.Load())
			}
			pages.mu.Lock()
			pages.gen++
			pages.mu.Unlock()
			if got := get(); got != 2 {
				t.Errorf("after a change: got %d, want a fresh load", got)
			}
		})
	}
}

// A full cache starts afresh but for the entries kept until a change: made-up URLs, each
// page's content kept under its own, cannot make the coordination's sums load again.
func TestDataCacheFullKeepsWhatIsKeptUntilAChange(t *testing.T) {
	t.Parallel()
	pages := newPageCache(time.Minute)
	pages.ready = true
	c := newDataCache(pages)
	var sums atomic.Int64
	loadSums := func(context.Context) (int64, error) { return sums.Add(1), nil }
	if _, err := cachedUntilChange(t.Context(), c, "payments:near-end", loadSums); err != nil {
		t.Fatal(err)
	}
	for i := range 2 * maxDataEntries {
		if _, err := cached(t.Context(), c, fmt.Sprintf("body:fr:visitor:/defis?x=%d", i), func(context.Context) (int, error) { return i, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := cachedUntilChange(t.Context(), c, "payments:near-end", loadSums); n != 1 || sums.Load() != 1 {
		t.Errorf("after %d made-up pages: the sums loaded %d times, want once", 2*maxDataEntries, sums.Load())
	}
	if len(c.entries) > maxDataEntries {
		t.Errorf("%d entries kept, want at most %d", len(c.entries), maxDataEntries)
	}
}
