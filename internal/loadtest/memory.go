package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// Memory is what this process used, in bytes.
type Memory struct {
	Heap    uint64 // live and not yet swept heap objects
	GoTotal uint64 // everything the Go runtime mapped (heap, stacks, metadata)
	RSS     uint64 // resident set size, from /proc/self/status (0 where there is none)
}

var memSamples = []metrics.Sample{
	{Name: "/memory/classes/heap/objects:bytes"},
	{Name: "/memory/classes/total:bytes"},
}

// ReadMemory samples the process's memory now.
func ReadMemory() Memory {
	s := make([]metrics.Sample, len(memSamples))
	copy(s, memSamples)
	metrics.Read(s)
	m := Memory{RSS: procStatus("VmRSS:")}
	if s[0].Value.Kind() == metrics.KindUint64 {
		m.Heap = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		m.GoTotal = s[1].Value.Uint64()
	}
	return m
}

// PeakRSS is the highest resident set size of the process since it started (VmHWM), in
// bytes; 0 where /proc is missing.
func PeakRSS() uint64 { return procStatus("VmHWM:") }

// procStatus reads a "kB" field of /proc/self/status, in bytes.
func procStatus(field string) uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, []byte(field)) {
			continue
		}
		fields := bytes.Fields(line[len(field):])
		if len(fields) == 0 {
			return 0
		}
		kb, err := strconv.ParseUint(string(fields[0]), 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}

// MemoryPeak samples the process's memory every interval, in the background, and keeps
// the highest value of each figure.
type MemoryPeak struct {
	mu   sync.Mutex
	peak Memory
	stop chan struct{}
	done chan struct{}
}

// WatchMemory starts sampling every interval (20 ms when ≤ 0) until Stop.
func WatchMemory(interval time.Duration) *MemoryPeak {
	if interval <= 0 {
		interval = 20 * time.Millisecond
	}
	p := &MemoryPeak{stop: make(chan struct{}), done: make(chan struct{})}
	p.sample()
	go func() {
		defer close(p.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.sample()
			}
		}
	}()
	return p
}

func (p *MemoryPeak) sample() {
	m := ReadMemory()
	p.mu.Lock()
	p.peak.Heap = max(p.peak.Heap, m.Heap)
	p.peak.GoTotal = max(p.peak.GoTotal, m.GoTotal)
	p.peak.RSS = max(p.peak.RSS, m.RSS)
	p.mu.Unlock()
}

// Stop ends the sampling and returns the peaks.
func (p *MemoryPeak) Stop() Memory {
	close(p.stop)
	<-p.done
	p.sample()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// QueryCounter is a pgx tracer counting the queries sent to PostgreSQL, to divide by the
// requests of a run.
type QueryCounter struct{ n, trips atomic.Int64 }

// TraceQueryStart implements pgx.QueryTracer.
func (q *QueryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	q.trips.Add(1)
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (q *QueryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer: a batch is one round trip, but each of its
// queries is counted, as the page's work.
func (q *QueryCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	q.trips.Add(1)
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer.
func (q *QueryCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	q.n.Add(1)
}

// TraceBatchEnd implements pgx.BatchTracer.
func (q *QueryCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// Count returns the queries counted so far.
func (q *QueryCounter) Count() int64 { return q.n.Load() }

// RoundTrips returns the round trips counted so far: a query alone, or a whole batch.
func (q *QueryCounter) RoundTrips() int64 { return q.trips.Load() }
