// The histogram against the C++ one: the fixed values' buckets and the
// quantiles of benchmarks/ports/rust/tests/histogram_vector.cc's values, as
// the Rust port's histogram test has them (produced by that C++ program).
package memstrat.tests;

import memstrat.harness.Histogram;

public final class HistogramTest {
  private HistogramTest() {}

  static final long[][] FIXED = {
    {0, 0, 0, 0}, {1, 1, 1, 1}, {5, 5, 5, 5}, {127, 127, 127, 127}, {128, 128, 128, 128},
    {129, 129, 129, 129}, {130, 130, 130, 130}, {255, 255, 255, 255}, {256, 256, 256, 257},
    {257, 256, 256, 257}, {383, 319, 382, 383}, {384, 320, 384, 385}, {1000, 506, 1000, 1003},
    {4095, 767, 4080, 4095}, {4096, 768, 4096, 4127}, {12345, 960, 12288, 12351},
    {99999, 1347, 99840, 100351}, {1048576, 1792, 1048576, 1056767},
    {1048577, 1792, 1048576, 1056767}, {123456789, 2667, 123207680, 123731967},
    {1099511627776L, 4352, 1099511627776L, 1108101562367L},
    {2199023255557L, 4479, 2190433320960L, 2199023255551L}, {-5, 0, 0, 0},
  };
  static final double[] Q = {0.0, 0.001, 0.1, 0.25, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0};
  static final long[] WANT = {0, 1, 3, 55, 10783, 63307775, 740294655, 1042284543,
    1103806595071L, 2199023255557L};

  public static void main(String[] args) {
    Histogram h = new Histogram();
    for (long[] f : FIXED) {
      Check.eq((int) f[1], Histogram.bucketOf(f[0]), "bucketOf(" + f[0] + ")");
      Check.eq(f[2], Histogram.bucketLow((int) f[1]), "bucketLow(" + f[1] + ")");
      Check.eq(f[3], Histogram.bucketHigh((int) f[1]), "bucketHigh(" + f[1] + ")");
      h.record(f[0]);
    }
    long x = 0x9e3779b97f4a7c15L;
    for (int i = 0; i < 10_000; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      int shift = (int) Long.remainderUnsigned(x, 31);
      h.record(((x >>> 20) & ((1L << shift) - 1)) + 1);
    }
    Check.eq(10023L, h.count(), "count");
    Check.eq(3623523215067L, h.total(), "total");
    Check.eq(2199023255557L, h.max(), "max");
    for (int i = 0; i < Q.length; i++) {
      Check.eq(WANT[i], h.quantile(Q[i]), "quantile " + Q[i]);
    }
    Histogram empty = new Histogram();
    Check.eq(0L, empty.quantile(0.5), "an empty histogram's quantile");
    Check.done("HistogramTest");
  }
}
