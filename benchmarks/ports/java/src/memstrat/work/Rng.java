// The workloads' only random source: xoshiro128** 1.1 seeded through
// MurmurHash3's fmix32, with Lemire's unbiased below() and the derived draws
// of docs/workloads.md ("The generator"). 32-bit words held in ints, read
// unsigned where it matters, so Java draws exactly the C++'s numbers.
package memstrat.work;

public final class Rng {
  public static final int GOLDEN = 0x9e3779b9;

  private int s0;
  private int s1;
  private int s2;
  private int s3;

  /** MurmurHash3's finaliser. */
  public static int fmix32(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  /** The high word of the unsigned 32x32-bit product. */
  public static int mulHigh32(int a, int b) {
    return (int) (((a & 0xffffffffL) * (b & 0xffffffffL)) >>> 32);
  }

  public Rng(long seed) {
    reseed(seed);
  }

  /**
   * Starts over as new Rng(seed) would: a workload that draws per item from
   * a seed of its own reseeds one generator, since the C++'s per-item
   * generator is a stack value and a Java one would be garbage while
   * interpreted (the harness holds compiled and interpreted allocation equal).
   */
  public void reseed(long seed) {
    int lo = (int) seed;
    int hi = (int) (seed >>> 32);
    s0 = word(lo, hi, 0);
    s1 = word(lo, hi, 1);
    s2 = word(lo, hi, 2);
    s3 = word(lo, hi, 3);
    // xoshiro's only bad state; no workload seed reaches it.
    if ((s0 | s1 | s2 | s3) == 0) {
      s0 = GOLDEN;
    }
  }

  private static int word(int lo, int hi, int i) {
    return fmix32(lo + (2 * i + 1) * GOLDEN) ^ fmix32(hi + (2 * i + 2) * GOLDEN);
  }

  /** The state words, for the generator's test vector. */
  public int[] state() {
    return new int[] {s0, s1, s2, s3};
  }

  /** The next 32-bit word (read it unsigned with Integer.toUnsignedLong). */
  public int next() {
    int result = Integer.rotateLeft(s1 * 5, 7) * 9;
    int t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Integer.rotateLeft(s3, 11);
    return result;
  }

  /**
   * Uniform in [0, n), 1 <= n <= 2^32 - 1 given as an unsigned long (Lemire's
   * multiply-shift with rejection): one draw, more only on a rejection.
   */
  public long below(long n) {
    long m = (next() & 0xffffffffL) * n;
    long low = m & 0xffffffffL;
    if (low < n) {
      long threshold = ((1L << 32) - n) % n;
      while (low < threshold) {
        m = (next() & 0xffffffffL) * n;
        low = m & 0xffffffffL;
      }
    }
    return m >>> 32;
  }

  /** Uniform in [lo, hi]; hi - lo + 1 must be in [1, 2^32 - 1]. */
  public long between(long lo, long hi) {
    return lo + below(hi - lo + 1);
  }

  /** True with probability num / den: one below(den). */
  public boolean chance(long num, long den) {
    return below(den) < num;
  }

  /** floor(n u^power) for u = next() / 2^32, in [0, n): a skewed index. */
  public long skewed(long n, int power) {
    int u = next();
    int x = u;
    for (int i = 1; i < power; i++) {
      x = mulHigh32(x, u);
    }
    return mulHigh32(x, (int) n) & 0xffffffffL;
  }
}
