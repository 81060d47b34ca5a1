package loadtest

import (
	"math/bits"
	"time"
)

// The histogram is log-linear, as HdrHistogram's: values in microseconds, 128 exact
// buckets below 128 µs, then every power of two split into 128 sub-buckets, so a
// recorded value is known within 1 % whatever its size, in a fixed 22 KiB.
const (
	subBits    = 7
	subBuckets = 1 << subBits // 128
	maxShift   = 20           // values up to 2^(20+8) µs ≈ 4.5 min; longer ones are clamped
	numBuckets = subBuckets + maxShift*subBuckets + subBuckets
)

// Histogram counts latencies with bounded memory and a relative error under 1 %. It is
// not safe for concurrent use: each worker keeps its own, merged at the end.
type Histogram struct {
	counts   [numBuckets]uint64
	n        uint64
	sum      time.Duration
	min, max time.Duration
}

// bucketOf returns the bucket of v microseconds.
func bucketOf(v uint64) int {
	if v < subBuckets {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1 // v >> shift is in [128, 256)
	if shift > maxShift {
		return numBuckets - 1
	}
	return subBuckets + shift*subBuckets + int(v>>uint(shift)) - subBuckets
}

// bucketRange returns the values, in microseconds, bucket b holds: [lo, hi].
func bucketRange(b int) (lo, hi uint64) {
	if b < subBuckets {
		return uint64(b), uint64(b)
	}
	shift := uint((b - subBuckets) / subBuckets)
	sub := uint64((b-subBuckets)%subBuckets) + subBuckets
	return sub << shift, (sub+1)<<shift - 1
}

// Record adds one latency.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d/time.Microsecond))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
	h.sum += d
}

// Merge adds every value of o.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
}

// Count is the number of values recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Min is the smallest value recorded, exactly.
func (h *Histogram) Min() time.Duration { return h.min }

// Max is the largest value recorded, exactly.
func (h *Histogram) Max() time.Duration { return h.max }

// Mean is the average of the values recorded, exactly.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}

// Quantile returns the value below which the fraction q (0 < q ≤ 1) of the values lie:
// the smallest recorded value v such that at least ⌈q·n⌉ values are ≤ v, within 1 %
// (the middle of its bucket, never outside [Min, Max]). Zero when nothing was recorded.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.999999999)
	rank = min(max(rank, 1), h.n)
	if rank == h.n {
		return h.max
	}
	var seen uint64
	for b, c := range h.counts {
		seen += c
		if seen < rank {
			continue
		}
		if b == numBuckets-1 {
			return h.max // the clamped bucket has no upper bound
		}
		lo, hi := bucketRange(b)
		v := time.Duration((lo+hi)/2) * time.Microsecond
		if lo == hi {
			v = time.Duration(lo) * time.Microsecond
		}
		return min(max(v, h.min), h.max)
	}
	return h.max
}
