// The warm-up rule (java-contract "Timing"): warm-up runs are discarded until
// the run time is steady.
//
//   blocks:  after the first run, the runs are taken in blocks of
//            W = clamp(ceil(100 ms / the latest run's time), 3, 1000) runs
//   steady:  at least --benchmark_min_warmup_time has passed, and a block's
//            median run time is within 5% of the block before it, and the
//            JIT compiler threads used at most 10% of that block's wall time
//   cap:     the warm-up ends unsteady (steady = 0: "no steady state") once
//            it has taken min_warmup + clamp(30 x the first run, 1 s, 10 s)
//
// Medians, so a collection in one run does not hold the warm-up back; the
// JIT's quiet, because a run time can stay flat on C1's code for a while
// before C2's arrives (seen here: binary_trees at depth 10 flat for 700 runs
// at 0.25 ms, then 0.1 ms). Its cost: at least two blocks (200 ms) after the
// first run, more while the JIT compiles; at most the cap.
package memstrat.harness;

import java.util.Arrays;
import java.util.function.LongSupplier;

public final class Steady {
  public static final double SPREAD = 0.05;
  public static final double JIT_SHARE = 0.10;
  public static final long WINDOW_NS = 100_000_000;
  public static final int MIN_WINDOW = 3;
  public static final int MAX_WINDOW = 1000;
  public static final long CAP_MIN_NS = 1_000_000_000L;
  public static final long CAP_MAX_NS = 10_000_000_000L;
  public static final long CAP_FIRST_RUNS = 30;

  private final long minWarmupNs;
  private final LongSupplier jitCpuNs;
  private long first;
  private int n;
  private long elapsed;
  private long capNs;
  private long[] block = new long[MAX_WINDOW];
  private int inBlock;
  private int blockSize;
  private long blockWall;
  private long blockJit0;
  private long previousMedian = -1;
  private boolean steady;

  /** `jitCpuNs`: the JIT threads' CPU so far (read once a block). */
  public Steady(long minWarmupNs, LongSupplier jitCpuNs) {
    this.minWarmupNs = minWarmupNs;
    this.jitCpuNs = jitCpuNs;
  }

  public static int window(long latestNs) {
    long t = Math.max(latestNs, 1);
    long w = (WINDOW_NS + t - 1) / t;
    return (int) Math.max(MIN_WINDOW, Math.min(MAX_WINDOW, w));
  }

  static long median(long[] a, int len) {
    long[] c = Arrays.copyOf(a, len);
    Arrays.sort(c);
    int m = len / 2;
    return len % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
  }

  /** Adds one warm-up run; returns true once the warm-up is over. */
  public boolean add(long ns) {
    n++;
    elapsed += ns;
    if (n == 1) {
      first = ns;
      capNs = minWarmupNs + Math.max(CAP_MIN_NS, Math.min(CAP_MAX_NS, CAP_FIRST_RUNS * ns));
      startBlock(ns);
      return elapsed >= capNs;
    }
    block[inBlock++] = ns;
    blockWall += ns;
    if (inBlock == blockSize) {
      long median = median(block, inBlock);
      long jit = jitCpuNs.getAsLong() - blockJit0;
      if (previousMedian > 0 && elapsed >= minWarmupNs
          && Math.abs(median - previousMedian) <= SPREAD * previousMedian
          && jit <= JIT_SHARE * blockWall) {
        steady = true;
        return true;
      }
      previousMedian = median;
      startBlock(ns);
    }
    return elapsed >= capNs;
  }

  private void startBlock(long latest) {
    blockSize = window(latest);
    inBlock = 0;
    blockWall = 0;
    blockJit0 = jitCpuNs.getAsLong();
  }

  public boolean isSteady() {
    return steady;
  }

  public int runs() {
    return n;
  }

  public long elapsedNs() {
    return elapsed;
  }

  public long firstNs() {
    return first;
  }
}
