// LatencyRecorder, the port of benchmarks/harness/latency.{h,cc} (as the Rust
// port's probe/latency.rs): each request's begin and end into arrays sized
// from the warm-up (requests beyond them are counted as dropped), and after
// the runs, per run, simple latency and DaCapo Chopin's metered latency
// (LatencyReporter.java's smoothing: evenly spaced synthetic starts over a
// window centred on each begin) over 100 ms windows and over the full run.
package memstrat.harness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

public final class Latency {
  public static final long WINDOW_NS = 100_000_000;

  private long begin;
  private long[] begins = new long[0];
  private long[] ends = new long[0];
  private int size;
  private long dropped;
  private final List<Integer> runStarts = new ArrayList<>();
  private final Histogram simple = new Histogram();
  private final Histogram meteredWindow = new Histogram();
  private final Histogram meteredFull = new Histogram();

  /** Adds the metered latency of each request of one run, sorted by begin. */
  public static void addMetered(long[] b, long[] e, int from, int to, long windowNs, Histogram out) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    double half = windowNs / 2.0;
    int lo = from;
    int hi = from;
    for (int i = from; i < to; i++) {
      double bi = b[i];
      while (b[lo] < bi - half && lo < to - 1) {
        lo++;
      }
      while (b[hi] < bi + half && hi < to - 1) {
        hi++;
      }
      double interval = hi > lo ? (double) (b[hi] - b[lo]) / (hi - lo) : 0.0;
      double synthetic = b[lo] + (i - lo) * interval;
      double simpleNs = e[i] - b[i];
      out.record((long) Math.max(simpleNs, e[i] - synthetic));
    }
  }

  public void requestBeginAt(long t) {
    begin = t;
  }

  public void requestEndAt(long t) {
    record(begin, t);
  }

  public void record(long b, long e) {
    if (size < begins.length) {
      begins[size] = b;
      ends[size] = e;
      size++;
    } else {
      dropped++;
    }
  }

  /** Room for n requests, written now so the measured runs fault nothing in. */
  public void reserve(int n, int runs) {
    begins = new long[n];
    ends = new long[n];
    Arrays.fill(begins, -1);
    Arrays.fill(ends, -1);
    clear();
  }

  public void beginRun() {
    runStarts.add(size);
  }

  public void clear() {
    size = 0;
    dropped = 0;
    runStarts.clear();
    simple.reset();
    meteredWindow.reset();
    meteredFull.reset();
  }

  public long requests() {
    return size + dropped;
  }

  public void analyse() {
    simple.reset();
    meteredWindow.reset();
    meteredFull.reset();
    if (size == 0) {
      return;
    }
    List<Integer> starts = new ArrayList<>(runStarts);
    if (starts.isEmpty() || starts.get(0) != 0) {
      starts.add(0, 0);
    }
    starts.add(size);
    for (int r = 0; r + 1 < starts.size(); r++) {
      int from = starts.get(r);
      int to = starts.get(r + 1);
      if (from == to) {
        continue;
      }
      sortByBegin(from, to);
      for (int i = from; i < to; i++) {
        simple.record(ends[i] - begins[i]);
      }
      addMetered(begins, ends, from, to, WINDOW_NS, meteredWindow);
      long span = ends[to - 1] - begins[from];
      addMetered(begins, ends, from, to, 10 * span + 1, meteredFull);
    }
  }

  // One thread issues the requests, so they are in begin order already;
  // DaCapo sorts (many threads), so do we: an insertion sort, which is
  // linear on sorted input.
  private void sortByBegin(int from, int to) {
    for (int i = from + 1; i < to; i++) {
      long b = begins[i];
      long e = ends[i];
      int j = i - 1;
      while (j >= from && begins[j] > b) {
        begins[j + 1] = begins[j];
        ends[j + 1] = ends[j];
        j--;
      }
      begins[j + 1] = b;
      ends[j + 1] = e;
    }
  }

  public Map<String, Object> toJson() {
    return Json.obj(
        "requests", requests(),
        "requests_dropped", dropped,
        "simple", simple.summary(),
        "metered_100ms", meteredWindow.summary(),
        "metered_full", meteredFull.summary(),
        "smoothing_window_ns", WINDOW_NS);
  }

  public Histogram simple() {
    return simple;
  }

  public Histogram meteredFull() {
    return meteredFull;
  }
}
