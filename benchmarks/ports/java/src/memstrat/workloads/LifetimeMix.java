// lifetime_mix: a synthetic allocation trace, sizes skewed towards small
// (16 B to 4 KiB) with rare large objects (64 KiB to 1 MiB) and
// near-exponential lifetimes, each object dropped off a timing wheel at its
// drawn death step: fragmentation under mixed lifetimes. For a collector it
// is a heap of byte arrays of every size dying in no order a generation
// boundary follows.
package memstrat.workloads;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class LifetimeMix implements Workload {
  private static final long SEED = 0x6c69666574696d65L;
  private static final long MAX_STEPS = 10_000_000L;
  private static final long MAX_MEAN_LIFE = 100_000L;
  private static final int MIN_SIZE = 16;
  private static final int SIZE_CLASSES = 8;
  private static final long LARGE_ONE_IN = 1000;
  private static final long LARGE_MIN = 64 * 1024;
  private static final long LARGE_MAX = 1024 * 1024;
  /** The wheel holds at least this many mean lifetimes. */
  private static final long WHEEL_MEANS = 16;
  /** A step is about a hundred nanoseconds: report every 32nd. */
  private static final long STEPS_PER_UNIT = 32;
  /** The stamps are 64-bit words in the bytes, little-endian as on x86. */
  private static final VarHandle WORD =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  // A blob and its bytes are two objects, as the C++'s node and its vector's
  // buffer are two allocations: the byte array is the variable-size
  // allocation under study. A bucket is a LIFO list linked through `next`.
  private static final class Blob {
    final byte[] data;
    Blob next;

    Blob(byte[] data) {
      this.data = data;
    }
  }

  @Override
  public String name() {
    return "lifetime_mix";
  }

  @Override
  public String unit() {
    return "step";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"steps", "mean_life"};
  }

  @Override
  public long[] small() {
    return new long[] {10000, 100};
  }

  @Override
  public long[] defaults() {
    return new long[] {200000, 10000};
  }

  /** Folds a bucket's blobs into the checksum, from its front, and drops them. */
  private static void freeBucket(Blob[] wheel, int slot, Checksum sum) {
    Blob blob = wheel[slot];
    wheel[slot] = null;
    while (blob != null) {
      Blob next = blob.next;
      blob.next = null;
      byte[] d = blob.data;
      sum.add((long) WORD.get(d, 0));
      sum.add((long) WORD.get(d, d.length - 8) ^ ((long) d.length << 32));
      blob = next;
    }
  }

  // Three draws whatever the outcome, as the C++'s draw_size.
  private static int drawSize(Rng rng) {
    boolean large = rng.chance(1, LARGE_ONE_IN);
    int classBits = rng.next();
    long offset = rng.next() & 0xffffffffL;
    if (large) {
      return (int) (LARGE_MIN + offset % (LARGE_MAX - LARGE_MIN + 1));
    }
    int k = Math.min(Integer.numberOfTrailingZeros(classBits), SIZE_CLASSES - 1);
    long lo = (long) MIN_SIZE << k;
    long width = k == SIZE_CLASSES - 1 ? lo + 1 : lo;
    return (int) (lo + offset % width);
  }

  // k blocks of h steps (k geometric), plus a uniform offset in the block,
  // capped at the wheel size minus one, as the C++'s draw_life.
  private static long drawLife(Rng rng, long mean, long wheelSlots) {
    long block = Math.max(1, (2 * mean + 1) / 3);
    long k = Integer.numberOfTrailingZeros(rng.next());
    long drawn = k * block + rng.below(block);
    return 1 + Math.min(drawn, wheelSlots - 2);
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("lifetime_mix: takes 2 parameters (steps, mean_life)");
    }
    if (params[0] < 1 || params[0] > MAX_STEPS) {
      throw new IllegalArgumentException("lifetime_mix: steps must be in [1, 10000000]");
    }
    if (params[1] < 1 || params[1] > MAX_MEAN_LIFE) {
      throw new IllegalArgumentException("lifetime_mix: mean_life must be in [1, 100000]");
    }
    long steps = params[0];
    long meanLife = params[1];
    Checksum sum = new Checksum();
    Rng rng = new Rng(SEED);
    // bit_ceil: the smallest power of two >= 16 mean_life + 1 (at most 2^21).
    int wheelSlots = Integer.highestOneBit((int) (WHEEL_MEANS * meanLife)) << 1;
    long mask = wheelSlots - 1;
    Blob[] wheel = new Blob[wheelSlots];
    counts.buffers++;
    for (long t = 0; t < steps; t++) {
      freeBucket(wheel, (int) (t & mask), sum);
      int bytes = drawSize(rng);
      long life = drawLife(rng, meanLife, wheelSlots);
      Blob blob = new Blob(new byte[bytes]);
      counts.objects++;
      counts.buffers++;
      WORD.set(blob.data, 0, t);
      WORD.set(blob.data, bytes - 8, life);
      int slot = (int) ((t + life) & mask);
      blob.next = wheel[slot];
      wheel[slot] = blob;
      if ((t + 1) % STEPS_PER_UNIT == 0) {
        obs.unitDone();
      }
    }
    for (long i = 0; i < wheelSlots; i++) {
      freeBucket(wheel, (int) ((steps + i) & mask), sum);
    }
    return sum.value();
  }
}
