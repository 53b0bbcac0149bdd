// Package histogram is the port of benchmarks/harness/histogram.{h,cc}
// (LogLinearHistogram, as the Rust and Java ports have it): 2^7 sub-buckets
// per power of two up to 2^40 ns and the same quantile rule, so a Go summary
// and a C++ one of the same values are the same numbers. One writer at a
// time (the probe records from one goroutine, or after the runs).
package histogram

import (
	"math"
	"math/bits"
)

const (
	// SubBits: 2^7 = 128 sub-buckets, < 0.8% relative error.
	SubBits = 7
	// MaxExponent: the largest power of two covered (2^40 ns, 18 minutes);
	// larger values land in the last bucket and count in Max exactly.
	MaxExponent = 40
	// Buckets is the C++'s kBuckets.
	Buckets = (MaxExponent - SubBits + 2) << SubBits
)

// Histogram counts non-negative nanosecond values.
type Histogram struct {
	buckets [Buckets]uint64
	count   uint64
	total   int64
	max     int64
	min     int64
	seen    bool
}

// New is an empty histogram.
func New() *Histogram { return &Histogram{} }

// BucketOf is the C++'s bucket_of.
func BucketOf(value int64) int {
	if value < 0 {
		value = 0
	}
	v := uint64(value)
	const sub = uint64(1) << SubBits
	if v < sub {
		return int(v)
	}
	exponent := bits.Len64(v) - 1
	if exponent > MaxExponent {
		return Buckets - 1
	}
	shift := exponent - SubBits
	mantissa := v >> uint(shift)
	return int(uint64(shift+1)*sub + (mantissa - sub))
}

// BucketLow is the smallest value of a bucket.
func BucketLow(bucket int) int64 {
	const sub = 1 << SubBits
	if bucket < sub {
		return int64(bucket)
	}
	shift := bucket/sub - 1
	mantissa := int64(bucket%sub + sub)
	return mantissa << uint(shift)
}

// BucketHigh is the largest value of a bucket.
func BucketHigh(bucket int) int64 {
	const sub = 1 << SubBits
	if bucket < sub {
		return int64(bucket)
	}
	shift := bucket/sub - 1
	return BucketLow(bucket) + int64(1)<<uint(shift) - 1
}

// Record adds a value; a negative one (a clock that stepped back) counts as
// 0, as in C++.
func (h *Histogram) Record(value int64) {
	if value < 0 {
		value = 0
	}
	h.buckets[BucketOf(value)]++
	h.count++
	h.total += value
	if value > h.max {
		h.max = value
	}
	if !h.seen || value < h.min {
		h.min = value
		h.seen = true
	}
}

// Count, Total, Max, Min: as the C++ (Min is 0 when empty).
func (h *Histogram) Count() uint64 { return h.count }
func (h *Histogram) Total() int64  { return h.total }
func (h *Histogram) Max() int64    { return h.max }
func (h *Histogram) Min() int64 {
	if h.count == 0 {
		return 0
	}
	return h.min
}

// Quantile is the midpoint of the bucket holding the ceil(q * count)-th
// smallest value, clamped to [min, max]; exactly min and max at 0 and 1; 0
// if empty.
func (h *Histogram) Quantile(q float64) int64 {
	if h.count == 0 {
		return 0
	}
	if q <= 0 {
		return h.Min()
	}
	if q >= 1 {
		return h.max
	}
	rank := uint64(math.Ceil(q * float64(h.count)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for b := 0; b < Buckets; b++ {
		seen += h.buckets[b]
		if seen >= rank {
			low, high := BucketLow(b), BucketHigh(b)
			mid := low + (high-low)/2
			if mid < h.Min() {
				mid = h.Min()
			}
			if mid > h.max {
				mid = h.max
			}
			return mid
		}
	}
	return h.max
}

// Reset empties the histogram.
func (h *Histogram) Reset() { *h = Histogram{} }

// Summary is the probe's summary object (results schema $defs/summary).
func (h *Histogram) Summary() map[string]interface{} {
	return map[string]interface{}{
		"count":    h.count,
		"total_ns": h.total,
		"p50_ns":   h.Quantile(0.50),
		"p90_ns":   h.Quantile(0.90),
		"p99_ns":   h.Quantile(0.99),
		"p999_ns":  h.Quantile(0.999),
		"max_ns":   h.max,
	}
}
