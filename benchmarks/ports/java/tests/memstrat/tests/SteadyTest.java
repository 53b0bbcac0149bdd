// The warm-up rule on made-up run times: steady once two blocks agree and
// the JIT is quiet; a late step (C2's code arriving) restarts the wait; the
// cap ends a warm-up that never settles, as "no steady state".
package memstrat.tests;

import memstrat.harness.Steady;

public final class SteadyTest {
  private SteadyTest() {}

  static long[] jit = {0};

  /** Feeds runs of `ns` until the rule ends the warm-up; returns the runs. */
  static int feed(Steady s, long ns, int limit) {
    for (int i = 0; i < limit; i++) {
      if (s.add(ns)) {
        return s.runs();
      }
    }
    return -1;
  }

  public static void main(String[] args) {
    Check.eq(100, Steady.window(1_000_000), "100 runs of 1 ms fill a block");
    Check.eq(3, Steady.window(500_000_000), "at least 3 runs a block");
    Check.eq(1000, Steady.window(1), "at most 1000");

    // Flat 1 ms runs: the first run, then two blocks of 100.
    Steady flat = new Steady(0, () -> jit[0]);
    Check.eq(201, feed(flat, 1_000_000, 100_000), "flat runs are steady after two blocks");
    Check.isTrue(flat.isSteady(), "steady");

    // A JIT compiling through a block (20 ms of its CPU a block of 100 ms) holds it back.
    Steady busy = new Steady(0, () -> jit[0] += 20_000_000);
    Check.eq(1000, feed(busy, 1_000_000, 5000), "the cap (1 s) ends a warm-up the JIT keeps busy");
    Check.isTrue(!busy.isSteady(), "no steady state while the JIT works");

    // Flat, then 40% faster (C2): not steady before the step has settled.
    Steady step = new Steady(0, () -> 0);
    for (int i = 0; i < 151; i++) {
      Check.isTrue(!step.add(1_000_000), "still warming up at run " + i);
    }
    int more = feed(step, 600_000, 100_000);
    Check.isTrue(step.isSteady() && step.runs() > 151 + 167, "steady only two blocks after the"
        + " step: " + step.runs());
    Check.isTrue(more > 0, "steady at last");

    // Runs 0.2% slower each time: every block over 5% slower than the one
    // before, never steady; the cap (1 s here) ends it.
    Steady noisy = new Steady(0, () -> 0);
    long elapsed = 0;
    boolean over = false;
    double t = 1_000_000;
    for (int i = 0; !over && i < 1_000_000; i++) {
      elapsed += (long) t;
      over = noisy.add((long) t);
      t *= 1.002;
    }
    Check.isTrue(over && !noisy.isSteady(), "the cap ends an unsteady warm-up");
    Check.isTrue(elapsed >= Steady.CAP_MIN_NS && elapsed < Steady.CAP_MIN_NS + 5_000_000,
        "at the cap: " + elapsed);

    // --benchmark_min_warmup_time holds a flat warm-up back.
    Steady min = new Steady(2_000_000_000L, () -> 0);
    feed(min, 10_000_000, 100_000);
    Check.isTrue(min.isSteady() && min.elapsedNs() >= 2_000_000_000L, "min warm-up time");
    Check.done("SteadyTest");
  }
}
