// LogLinearHistogram, the port of benchmarks/harness/histogram.{h,cc} (as the
// Rust port's probe/histogram.rs): 2^7 sub-buckets per power of two up to
// 2^40 ns and the same quantile rule, so a Java summary and a C++ one of the
// same values are the same numbers.
package memstrat.harness;

import java.util.Map;

public final class Histogram {
  public static final int SUB_BITS = 7;
  public static final int MAX_EXPONENT = 40;
  public static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) << SUB_BITS;

  private final long[] buckets = new long[BUCKETS];
  private long count;
  private long total;
  private long max;
  private long min = Long.MAX_VALUE;

  public static int bucketOf(long value) {
    long v = Math.max(value, 0);
    long sub = 1L << SUB_BITS;
    if (v < sub) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int shift = exponent - SUB_BITS;
    long mantissa = v >>> shift;
    return (int) ((shift + 1) * sub + (mantissa - sub));
  }

  public static long bucketLow(int bucket) {
    int sub = 1 << SUB_BITS;
    if (bucket < sub) {
      return bucket;
    }
    int shift = bucket / sub - 1;
    long mantissa = bucket % sub + sub;
    return mantissa << shift;
  }

  public static long bucketHigh(int bucket) {
    int sub = 1 << SUB_BITS;
    if (bucket < sub) {
      return bucket;
    }
    int shift = bucket / sub - 1;
    return bucketLow(bucket) + (1L << shift) - 1;
  }

  /** Negative values (a clock that stepped back) count as 0, as in C++. */
  public void record(long value) {
    value = Math.max(value, 0);
    buckets[bucketOf(value)]++;
    count++;
    total += value;
    max = Math.max(max, value);
    min = Math.min(min, value);
  }

  public long count() {
    return count;
  }

  public long total() {
    return total;
  }

  public long max() {
    return max;
  }

  public long min() {
    return count == 0 ? 0 : min;
  }

  /**
   * The midpoint of the bucket holding the ceil(q * count)-th smallest value,
   * clamped to [min, max]; exactly min and max at 0 and 1; 0 if empty.
   */
  public long quantile(double q) {
    if (count == 0) {
      return 0;
    }
    if (q <= 0) {
      return min();
    }
    if (q >= 1) {
      return max;
    }
    long rank = Math.max((long) Math.ceil(q * count), 1);
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += buckets[b];
      if (seen >= rank) {
        long low = bucketLow(b);
        long high = bucketHigh(b);
        long mid = low + (high - low) / 2;
        return Math.min(Math.max(mid, min()), max);
      }
    }
    return max;
  }

  public void reset() {
    java.util.Arrays.fill(buckets, 0);
    count = 0;
    total = 0;
    max = 0;
    min = Long.MAX_VALUE;
  }

  /** The probe's summary object (count, total_ns, p50_ns ... max_ns). */
  public Map<String, Object> summary() {
    return Json.obj(
        "count", count,
        "total_ns", total,
        "p50_ns", quantile(0.50),
        "p90_ns", quantile(0.90),
        "p99_ns", quantile(0.99),
        "p999_ns", quantile(0.999),
        "max_ns", max);
  }
}
