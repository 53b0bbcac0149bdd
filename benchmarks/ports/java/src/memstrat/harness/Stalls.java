// StallRecorder, the port of benchmarks/harness/stalls.{h,cc} (as the Rust
// port's probe/stalls.rs): the gaps between the units of work a workload
// reports, within a run and from its last unit to its end, never before its
// first unit. A stall is a gap longer than max(1 ms, 10 x the median gap);
// gaps of 1 ms or more are kept raw in arrays made before the measured runs,
// so recording never allocates.
package memstrat.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public final class Stalls {
  public static final long FLOOR_NS = 1_000_000;
  public static final long MEDIAN_FACTOR = 10;
  public static final int RAW_CAPACITY = 1 << 16;

  private long last = -1;
  private final Histogram gaps = new Histogram();
  private final long[] rawStart = new long[RAW_CAPACITY];
  private final long[] rawDuration = new long[RAW_CAPACITY];
  private int raw;
  private long overflow;

  public void unitAt(long t) {
    if (last >= 0) {
      long gap = t - last;
      gaps.record(gap);
      if (gap >= FLOOR_NS) {
        if (raw < RAW_CAPACITY) {
          rawStart[raw] = last;
          rawDuration[raw] = gap;
          raw++;
        } else {
          overflow++;
        }
      }
    }
    last = t;
  }

  public void beginRun() {
    last = -1;
  }

  public void endRunAt(long t) {
    unitAt(t);
    last = -1;
  }

  public void reset() {
    last = -1;
    gaps.reset();
    raw = 0;
    overflow = 0;
  }

  public Histogram gaps() {
    return gaps;
  }

  public long thresholdNs() {
    return Math.max(FLOOR_NS, MEDIAN_FACTOR * gaps.quantile(0.5));
  }

  public long overflow() {
    return overflow;
  }

  /** The raw gaps longer than the threshold, start relative to `origin`. */
  public List<Object> events(long origin) {
    long threshold = thresholdNs();
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < raw; i++) {
      if (rawDuration[i] > threshold) {
        out.add(Json.obj("start_ns", rawStart[i] - origin, "duration_ns", rawDuration[i]));
      }
    }
    return out;
  }

  public Map<String, Object> toJson(String unit, long origin) {
    return Json.obj(
        "unit", unit,
        "gaps", gaps.summary(),
        "threshold_ns", thresholdNs(),
        "threshold_floor_ns", FLOOR_NS,
        "threshold_median_factor", MEDIAN_FACTOR,
        "events", events(origin),
        "events_overflow", overflow);
  }
}
