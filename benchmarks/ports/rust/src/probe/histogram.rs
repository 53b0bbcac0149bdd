//! LogLinearHistogram, the port of benchmarks/harness/histogram.{h,cc}: the
//! same buckets (2^7 sub-buckets per power of two, up to 2^40 ns) and the
//! same quantile rule, so a Rust summary and a C++ one of the same values are
//! the same numbers. Single-threaded (the probe's observer is `&mut`), so
//! plain integers where the C++ has relaxed atomics; 35 KiB, boxed.

/// Sub-buckets per power of two: 2^7 = 128, within 1/128 of any value.
pub const SUB_BITS: u32 = 7;
/// Largest power of two covered; larger values land in the last bucket and
/// are exact in max().
pub const MAX_EXPONENT: u32 = 40;
pub const BUCKETS: usize = ((MAX_EXPONENT - SUB_BITS + 2) as usize) << SUB_BITS;

pub struct LogLinearHistogram {
    buckets: Box<[u64; BUCKETS]>,
    count: u64,
    total: i64,
    max: i64,
    min: i64,
}

impl Default for LogLinearHistogram {
    fn default() -> Self {
        Self::new()
    }
}

impl LogLinearHistogram {
    pub fn new() -> Self {
        LogLinearHistogram {
            buckets: Box::new([0; BUCKETS]),
            count: 0,
            total: 0,
            max: 0,
            min: i64::MAX,
        }
    }

    pub fn bucket_of(value: i64) -> usize {
        let v = value.max(0) as u64;
        let sub = 1u64 << SUB_BITS;
        if v < sub {
            return v as usize;
        }
        let exponent = 63 - v.leading_zeros(); // >= SUB_BITS
        if exponent > MAX_EXPONENT {
            return BUCKETS - 1;
        }
        let shift = exponent - SUB_BITS;
        let mantissa = v >> shift; // in [sub, 2 * sub)
        ((shift as u64 + 1) * sub + (mantissa - sub)) as usize
    }

    pub fn bucket_low(bucket: usize) -> i64 {
        let sub = 1usize << SUB_BITS;
        if bucket < sub {
            return bucket as i64;
        }
        let shift = bucket / sub - 1;
        let mantissa = bucket % sub + sub;
        (mantissa << shift) as i64
    }

    pub fn bucket_high(bucket: usize) -> i64 {
        let sub = 1usize << SUB_BITS;
        if bucket < sub {
            return bucket as i64;
        }
        let shift = bucket / sub - 1;
        Self::bucket_low(bucket) + (1i64 << shift) - 1
    }

    /// Negative values (a clock that stepped back) count as 0, as in C++.
    #[inline]
    pub fn record(&mut self, value: i64) {
        let value = value.max(0);
        self.buckets[Self::bucket_of(value)] += 1;
        self.count += 1;
        self.total = self.total.wrapping_add(value);
        if value > self.max {
            self.max = value;
        }
        if value < self.min {
            self.min = value;
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }
    pub fn total(&self) -> i64 {
        self.total
    }
    pub fn max(&self) -> i64 {
        self.max
    }
    pub fn min(&self) -> i64 {
        if self.count == 0 {
            0
        } else {
            self.min
        }
    }

    /// The midpoint of the bucket holding the ceil(q * count)-th smallest
    /// value, clamped to [min, max]; exactly min and max at 0 and 1; 0 if
    /// empty.
    pub fn quantile(&self, q: f64) -> i64 {
        let n = self.count;
        if n == 0 {
            return 0;
        }
        if q <= 0.0 {
            return self.min();
        }
        if q >= 1.0 {
            return self.max();
        }
        let rank = ((q * n as f64).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (b, &c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, high) = (Self::bucket_low(b), Self::bucket_high(b));
                let mid = low + (high - low) / 2;
                return mid.max(self.min()).min(self.max());
            }
        }
        self.max()
    }

    /// Adds every value `other` holds, as if recorded here.
    pub fn merge(&mut self, other: &LogLinearHistogram) {
        for (a, b) in self.buckets.iter_mut().zip(other.buckets.iter()) {
            *a += b;
        }
        self.count += other.count;
        self.total = self.total.wrapping_add(other.total);
        self.max = self.max.max(other.max);
        self.min = self.min.min(other.min);
    }

    pub fn reset(&mut self) {
        self.buckets.iter_mut().for_each(|b| *b = 0);
        self.count = 0;
        self.total = 0;
        self.max = 0;
        self.min = i64::MAX;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    type H = LogLinearHistogram;

    // The fixed values of tests/histogram_vector.cc, with the C++'s
    // (value, bucket_of, bucket_low, bucket_high) for each. Produced by
    // building and running that program (its header has the command) with
    // Debian's g++ 12.2 against benchmarks/harness/histogram.cc.
    const FIXED: [(i64, usize, i64, i64); 23] = [
        (0, 0, 0, 0),
        (1, 1, 1, 1),
        (5, 5, 5, 5),
        (127, 127, 127, 127),
        (128, 128, 128, 128),
        (129, 129, 129, 129),
        (130, 130, 130, 130),
        (255, 255, 255, 255),
        (256, 256, 256, 257),
        (257, 256, 256, 257),
        (383, 319, 382, 383),
        (384, 320, 384, 385),
        (1000, 506, 1000, 1003),
        (4095, 767, 4080, 4095),
        (4096, 768, 4096, 4127),
        (12345, 960, 12288, 12351),
        (99999, 1347, 99840, 100351),
        (1048576, 1792, 1048576, 1056767),
        (1048577, 1792, 1048576, 1056767),
        (123456789, 2667, 123207680, 123731967),
        (1099511627776, 4352, 1099511627776, 1108101562367),
        (2199023255557, 4479, 2190433320960, 2199023255551),
        (-5, 0, 0, 0),
    ];

    // The same program's quantiles of FIXED plus 10,000 xorshift values.
    const QUANTILES: [(f64, i64); 10] = [
        (0.0, 0),
        (0.001, 1),
        (0.1, 3),
        (0.25, 55),
        (0.5, 10783),
        (0.9, 63307775),
        (0.99, 740294655),
        (0.999, 1042284543),
        (0.9999, 1103806595071),
        (1.0, 2199023255557),
    ];

    #[test]
    fn matches_the_cpp_vector() {
        let mut h = H::new();
        for &(v, b, low, high) in FIXED.iter() {
            assert_eq!(H::bucket_of(v), b, "bucket_of({v})");
            assert_eq!(H::bucket_low(b), low, "bucket_low({b})");
            assert_eq!(H::bucket_high(b), high, "bucket_high({b})");
            h.record(v);
        }
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let shift = (x % 31) as u32;
            h.record((((x >> 20) & ((1u64 << shift) - 1)) + 1) as i64);
        }
        assert_eq!(h.count(), 10023);
        assert_eq!(h.total(), 3623523215067);
        assert_eq!(h.min(), 0);
        assert_eq!(h.max(), 2199023255557);
        for &(q, want) in QUANTILES.iter() {
            assert_eq!(h.quantile(q), want, "quantile {q}");
        }
    }

    #[test]
    fn buckets_tile_the_range_within_the_relative_error() {
        for b in 0..BUCKETS - 1 {
            assert_eq!(H::bucket_high(b) + 1, H::bucket_low(b + 1), "bucket {b}");
            assert_eq!(H::bucket_of(H::bucket_low(b)), b);
            assert_eq!(H::bucket_of(H::bucket_high(b)), b);
            let low = H::bucket_low(b) as f64;
            if low > 0.0 {
                assert!((H::bucket_high(b) as f64 - low) / low <= 1.0 / 128.0);
            }
        }
    }

    #[test]
    fn empty_and_huge_values() {
        let mut h = H::new();
        assert_eq!(h.quantile(0.5), 0);
        assert_eq!(h.min(), 0);
        h.record(1 << 50);
        h.record(-5);
        assert_eq!(h.count(), 2);
        assert_eq!(h.max(), 1 << 50);
        assert_eq!(h.quantile(1.0), 1 << 50);
        assert_eq!(h.quantile(0.5), 0);
        h.reset();
        assert_eq!(h.count(), 0);
        assert_eq!(h.quantile(0.9), 0);
    }
}
