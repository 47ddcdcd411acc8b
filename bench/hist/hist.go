// Package hist is a small HDR-style latency histogram: log-linear buckets
// with bounded relative error (1/64 ≈ 1.6%) from 1 µs to about an hour, fixed
// memory, mergeable across goroutines. The load harness records every
// request in one and reads percentiles from it.
package hist

import (
	"math"
	"math/bits"
	"time"
)

// subBits sets precision: each power-of-two range is split into 2^subBits
// linear sub-buckets.
const subBits = 6

const subCount = 1 << subBits

// maxExp covers values up to 2^42 µs (~50 days).
const maxExp = 42

// Histogram counts durations in microsecond buckets.
type Histogram struct {
	counts [maxExp*subCount + subCount]uint64
	n      uint64
	sum    float64
	min    int64
	max    int64
}

// New returns an empty histogram.
func New() *Histogram { return &Histogram{min: math.MaxInt64} }

func index(us int64) int {
	if us < subCount {
		return int(us)
	}
	exp := bits.Len64(uint64(us)) - subBits - 1 // how many bits to drop
	sub := int(us >> uint(exp))                 // in [subCount, 2*subCount)
	i := (exp+1)*subCount + (sub - subCount)
	if i >= len(Histogram{}.counts) {
		return len(Histogram{}.counts) - 1
	}
	return i
}

// lowerBound is the smallest value that falls in bucket i.
func lowerBound(i int) int64 {
	if i < subCount {
		return int64(i)
	}
	exp := i/subCount - 1
	sub := i%subCount + subCount
	return int64(sub) << uint(exp)
}

// Record adds one observation.
func (h *Histogram) Record(d time.Duration) {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	h.counts[index(us)]++
	h.n++
	h.sum += float64(us)
	h.min = min(h.min, us)
	h.max = max(h.max, us)
}

// Merge adds every observation of o.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	if o.n > 0 {
		h.min = min(h.min, o.min)
		h.max = max(h.max, o.max)
	}
}

// Count is the number of observations.
func (h *Histogram) Count() uint64 { return h.n }

// Mean is the average duration.
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.sum/float64(h.n)) * time.Microsecond
}

// Max is the largest observation.
func (h *Histogram) Max() time.Duration {
	if h.n == 0 {
		return 0
	}
	return time.Duration(h.max) * time.Microsecond
}

// Quantile returns the duration below which fraction q (0..1) of the
// observations fall, to within the bucket precision (reported as the middle
// of the bucket, never above the maximum seen).
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank == 0 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := lowerBound(i), lowerBound(i+1)
			v := (lo + hi - 1) / 2
			if i < subCount {
				v = lo
			}
			v = min(v, h.max)
			v = max(v, h.min)
			return time.Duration(v) * time.Microsecond
		}
	}
	return h.Max()
}
