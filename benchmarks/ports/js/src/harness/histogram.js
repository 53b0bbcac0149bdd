// LogLinearHistogram, the port of benchmarks/harness/histogram.{h,cc} (as the
// Java port's Histogram.java): 2^7 sub-buckets per power of two up to 2^40 ns
// and the same quantile rule, so a JS summary and a C++ one of the same values
// are the same numbers. Values are whole nanoseconds held in doubles (exact
// below 2^53); the buckets are a Float64Array made once, so recording never
// allocates.
'use strict';

const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const MAX_EXPONENT = 40;
const BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) << SUB_BITS;
const TWO32 = 4294967296;

// floor(log2(v)) for a whole v >= 1 below 2^53, exactly (Math.log2 rounds).
function exponentOf(v) {
  if (v < TWO32) return 31 - Math.clz32(v);
  return 63 - Math.clz32(Math.floor(v / TWO32));
}

function bucketOf(value) {
  const v = value > 0 ? Math.floor(value) : 0;
  if (v < SUB) return v;
  const exponent = exponentOf(v);
  if (exponent > MAX_EXPONENT) return BUCKETS - 1;
  const shift = exponent - SUB_BITS;
  const mantissa = Math.floor(v / 2 ** shift);
  return (shift + 1) * SUB + (mantissa - SUB);
}

function bucketLow(bucket) {
  if (bucket < SUB) return bucket;
  const shift = Math.floor(bucket / SUB) - 1;
  const mantissa = (bucket % SUB) + SUB;
  return mantissa * 2 ** shift;
}

function bucketHigh(bucket) {
  if (bucket < SUB) return bucket;
  const shift = Math.floor(bucket / SUB) - 1;
  return bucketLow(bucket) + 2 ** shift - 1;
}

class Histogram {
  constructor() {
    this.buckets = new Float64Array(BUCKETS);
    this.n = 0;
    this.sum = 0;
    this.hi = 0;
    this.lo = Infinity;
  }

  // Negative values (a clock that stepped back) count as 0, as in C++; a
  // fraction of a nanosecond is cut off, as the C++'s integer clock would.
  record(value) {
    const v = value > 0 ? Math.floor(value) : 0;
    this.buckets[bucketOf(v)]++;
    this.n++;
    this.sum += v;
    if (v > this.hi) this.hi = v;
    if (v < this.lo) this.lo = v;
  }

  count() { return this.n; }
  total() { return this.sum; }
  max() { return this.hi; }
  min() { return this.n === 0 ? 0 : this.lo; }

  // The midpoint of the bucket holding the ceil(q * count)-th smallest value,
  // clamped to [min, max]; exactly min and max at 0 and 1; 0 if empty.
  quantile(q) {
    if (this.n === 0) return 0;
    if (q <= 0) return this.min();
    if (q >= 1) return this.hi;
    const rank = Math.max(Math.ceil(q * this.n), 1);
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.buckets[b];
      if (seen >= rank) {
        const low = bucketLow(b);
        const high = bucketHigh(b);
        const mid = low + Math.floor((high - low) / 2);
        return Math.min(Math.max(mid, this.min()), this.hi);
      }
    }
    return this.hi;
  }

  reset() {
    this.buckets.fill(0);
    this.n = 0;
    this.sum = 0;
    this.hi = 0;
    this.lo = Infinity;
  }

  // The probe's summary object (count, total_ns, p50_ns ... max_ns).
  summary() {
    return {
      count: this.n,
      total_ns: this.sum,
      p50_ns: this.quantile(0.50),
      p90_ns: this.quantile(0.90),
      p99_ns: this.quantile(0.99),
      p999_ns: this.quantile(0.999),
      max_ns: this.hi,
    };
  }
}

module.exports = { Histogram, bucketOf, bucketLow, bucketHigh, SUB_BITS, MAX_EXPONENT, BUCKETS };
