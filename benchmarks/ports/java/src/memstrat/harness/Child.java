// The measured JVM: started by Main with the strategy's collector and heap
// flags, it warms up and runs one benchmark (or, for --check, every one once)
// and writes what it measured, raw, to the result file Main named. The
// pauses are not here: the JVM's log is complete only once this JVM has
// exited, so Main reads it and cuts it to the windows written here (the
// System.nanoTime bounds of the measured runs, the clock of -Xlog's
// timenanos).
//
//   Child <dir> check <strategy> <size>
//   Child <dir> timing <strategy> <workload> <params> <repetitions> <min_time_ns> <min_warmup_ns>
//   Child <dir> probe <strategy> <workload> <params> <iterations> <sample_period_ms> <min_warmup_ns>
//
// <dir> gets `started` (the JVM came up: a failure from now on is the run's,
// not the JVM's refusal) and `result.json`, or `error.txt` (one line) and
// exit 1. An OutOfMemoryError ends the JVM at once (-XX:+ExitOnOutOfMemoryError):
// a heap that is out of memory cannot be trusted to write anything.
package memstrat.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import memstrat.work.Counts;
import memstrat.work.Observer;
import memstrat.work.Workload;
import memstrat.workloads.Registry;

public final class Child {
  private Child() {}

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** A workload's one-line failure: written to error.txt, exit 1. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /** Counts units only: the timed runs' observer. */
  static final class UnitCounter implements Observer {
    long units;

    @Override
    public void unitDone() {
      units++;
    }
  }

  /** The probe's observer: units to the stall recorder, requests to latency. */
  static final class ProbeObserver implements Observer {
    final Stalls stalls = new Stalls();
    final Latency latency = new Latency();
    long units;

    @Override
    public void unitDone() {
      units++;
      stalls.unitAt(System.nanoTime());
    }

    @Override
    public void requestBegin() {
      latency.requestBeginAt(System.nanoTime());
    }

    @Override
    public void requestEnd() {
      latency.requestEndAt(System.nanoTime());
    }
  }

  /** What one run gave. */
  static final class Run {
    long checksum;
    long wallNs;
    long objects;
    long buffers;
    long bytes;
  }

  static Run runOnce(Workload w, long[] params, Observer obs) throws Failure {
    Counts counts = new Counts();
    Run r = new Run();
    long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
    long t0 = System.nanoTime();
    try {
      r.checksum = w.run(params, obs, counts);
    } catch (IllegalArgumentException e) {
      throw new Failure(w.name() + ": " + e.getMessage());
    } catch (StackOverflowError e) {
      throw new Failure(w.name() + ": stack overflow in the workload");
    }
    r.wallNs = System.nanoTime() - t0;
    r.bytes = THREADS.getCurrentThreadAllocatedBytes() - bytes0 + counts.workerBytes;
    r.objects = counts.objects;
    r.buffers = counts.buffers;
    return r;
  }

  /** Warm-up by the steady rule; the first run's figures and the rule's verdict. */
  static Map<String, Object> warmUp(Workload w, long[] params, Observer obs, long minWarmupNs)
      throws Failure {
    Steady rule = new Steady(minWarmupNs, () -> Proc.threadCpuNs()[1]);
    long start = System.nanoTime();
    Run first = null;
    while (true) {
      Run r = runOnce(w, params, obs);
      if (first == null) {
        first = r;
      }
      if (rule.add(r.wallNs)) {
        break;
      }
    }
    return Json.obj(
        "first_iteration_ns", first.wallNs,
        "first_iteration_bytes", first.bytes,
        "warmup_iterations", (long) rule.runs(),
        "warmup_ns", System.nanoTime() - start,
        "steady", rule.isSteady() ? 1L : 0L);
  }

  static String hex(long v) {
    return String.format("0x%016x", v);
  }

  static Workload workload(String name) throws Failure {
    Workload w = Registry.find(name);
    if (w == null) {
      throw new Failure("no workload " + name);
    }
    return w;
  }

  static Map<String, Object> check(String strategy, String size) throws Failure {
    List<Object> out = new ArrayList<>();
    for (Bench b : Bench.all(size, List.of(strategy))) {
      UnitCounter c = new UnitCounter();
      Run r = runOnce(b.workload, b.params, c);
      out.add(Json.obj(
          "name", b.name,
          "workload", b.workload.name(),
          "strategy", b.strategy,
          "params", b.paramsJson(),
          "checksum", hex(r.checksum),
          "units", c.units,
          "objects", r.objects));
    }
    return Json.obj("check", out);
  }

  static Map<String, Object> timing(Workload w, long[] params, int repetitions, long minTimeNs,
      long minWarmupNs) throws Failure {
    Map<String, Object> warm = warmUp(w, params, new UnitCounter(), minWarmupNs);
    List<Object> reps = new ArrayList<>();
    for (int rep = 0; rep < repetitions; rep++) {
      long[] cpu0 = Proc.threadCpuNs();
      long proc0 = Proc.processCpuNs();
      long start = System.nanoTime();
      long iterations = 0;
      long objects = 0;
      long buffers = 0;
      long bytes = 0;
      long units = 0;
      long checksum = 0;
      do {
        UnitCounter c = new UnitCounter();
        Run r = runOnce(w, params, c);
        iterations++;
        objects += r.objects;
        buffers += r.buffers;
        bytes += r.bytes;
        units = c.units;
        checksum = r.checksum;
      } while (System.nanoTime() - start < minTimeNs);
      long end = System.nanoTime();
      long proc1 = Proc.processCpuNs();
      long[] cpu1 = Proc.threadCpuNs();
      reps.add(Json.obj(
          "iterations", iterations,
          "start_ns", start,
          "end_ns", end,
          "process_cpu_ns", proc1 - proc0,
          "gc_cpu_ns", cpu1[0] - cpu0[0],
          "jit_cpu_ns", cpu1[1] - cpu0[1],
          "checksum", hex(checksum),
          "units", units,
          "objects", objects,
          "buffers", buffers,
          "bytes", bytes));
    }
    return Json.obj("warmup", warm, "repetitions", reps,
        "heap_max_bytes", Runtime.getRuntime().maxMemory());
  }

  static Map<String, Object> probe(Workload w, long[] params, int iterations, long periodMs,
      long minWarmupNs, long restingRss, long restingPss) throws Failure {
    ProbeObserver obs = new ProbeObserver();
    Sampler sampler = new Sampler(periodMs);
    Map<String, Object> warm = warmUp(w, params, obs, minWarmupNs);
    // The warm-up's requests size the latency buffer (every one of them was
    // dropped: the buffer was empty).
    boolean requests = obs.latency.requests() > 0;
    long perRun = obs.latency.requests() / Math.max(1, Json.num(warm.get("warmup_iterations")));
    obs.latency.reserve((int) Math.min(Integer.MAX_VALUE - 8, perRun * iterations), iterations);
    obs.stalls.reset();
    boolean peakReset = Proc.resetPeakRss();
    long[] cpu0 = Proc.threadCpuNs();
    long proc0 = Proc.processCpuNs();
    long objects = 0;
    long buffers = 0;
    long bytes = 0;
    long checksum = 0;
    long start = System.nanoTime();
    sampler.start(start);
    for (int i = 0; i < iterations; i++) {
      obs.latency.beginRun();
      obs.stalls.beginRun();
      Run r = runOnce(w, params, obs);
      obs.stalls.endRunAt(System.nanoTime());
      objects += r.objects;
      buffers += r.buffers;
      bytes += r.bytes;
      checksum = r.checksum;
    }
    long end = System.nanoTime();
    long proc1 = Proc.processCpuNs();
    long[] cpu1 = Proc.threadCpuNs();
    sampler.stop();
    long finalRss = Proc.rssBytes();
    // The kernel's RSS counters are per-thread caches synced now and then,
    // so VmHWM read after VmRSS can trail it by a few pages: the peak is
    // at least every figure seen.
    long peak = Math.max(Proc.peakRssBytes(), Math.max(finalRss, sampler.maxRss()));
    long finalPss = Proc.pssBytes();
    if (requests) {
      obs.latency.analyse();
    }
    double n = iterations;
    Map<String, Object> counts = Json.obj(
        // Java has no count of its allocations: the workload's own (its
        // objects and the arrays it makes), never the containers' growth.
        "allocations_per_iteration", (objects + buffers) / n,
        "bytes_requested_per_iteration", bytes / n,
        "frees_per_iteration", 0.0,
        "objects_per_iteration", objects / n,
        "buffers_per_iteration", buffers / n);
    Map<String, Object> timeline = Json.obj(
        "period_ms", periodMs,
        "t_ms", sampler.tMs(),
        "rss_bytes", sampler.rssBytes(),
        "strategy_bytes_label", null,
        "strategy_bytes", null,
        "overflow", sampler.overflow());
    Map<String, Object> memory = Json.obj(
        "baseline_rss_bytes", restingRss,
        "baseline_pss_bytes", restingPss < 0 ? null : restingPss,
        "peak_rss_bytes", peakReset ? peak : 0L,
        "peak_rss_isolated", peakReset,
        "final_rss_bytes", finalRss,
        "final_pss_bytes", finalPss < 0 ? null : finalPss,
        "timeline", timeline);
    Map<String, Object> gc = Json.obj(
        "heap_bytes", Runtime.getRuntime().totalMemory(),
        "heap_max_bytes", Runtime.getRuntime().maxMemory(),
        "cpu_ns", cpu1[0] - cpu0[0],
        "jit_cpu_ns", cpu1[1] - cpu0[1],
        "process_cpu_ns", proc1 - proc0,
        "wall_ns", end - start,
        "first_iteration_ns", warm.get("first_iteration_ns"),
        "warmup_iterations", warm.get("warmup_iterations"),
        "warmup_ns", warm.get("warmup_ns"),
        "steady", warm.get("steady"));
    Map<String, Object> probe = Json.obj(
        "iterations", (long) iterations,
        "reclaim_kind", "gc_stop_world",
        "wall_ns", end - start,
        "checksum", hex(checksum),
        "counts", counts,
        "latency", requests ? obs.latency.toJson() : null,
        "stalls", obs.stalls.toJson(w.unit(), start),
        "memory", memory,
        "gc", gc);
    return Json.obj("probe", probe, "start_ns", start, "end_ns", end);
  }

  static void write(Path path, String text) throws IOException {
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static Map<String, Object> dispatch(String[] a, long restingRss, long restingPss)
      throws Failure {
    switch (a[1]) {
      case "check":
        return check(a[2], a[3]);
      case "timing":
        return timing(workload(a[3]), Bench.parseParams(a[4]), Integer.parseInt(a[5]),
            Long.parseLong(a[6]), Long.parseLong(a[7]));
      case "probe":
        return probe(workload(a[3]), Bench.parseParams(a[4]), Integer.parseInt(a[5]),
            Long.parseLong(a[6]), Long.parseLong(a[7]), restingRss, restingPss);
      default:
        throw new Failure("unknown child mode " + a[1]);
    }
  }

  public static void main(String[] a) throws Exception {
    // The resting footprint: the JVM as it came up, before any workload.
    long restingRss = Proc.rssBytes();
    long restingPss = Proc.pssBytes();
    Path dir = Paths.get(a[0]);
    Files.write(dir.resolve("started"), new byte[0]);
    Object[] result = new Object[1];
    String[] error = new String[1];
    // A thread with a deep stack: the JVM's frames are larger than C++'s,
    // and the recursive workloads go as deep as theirs.
    Thread worker = new Thread(null, () -> {
      try {
        result[0] = dispatch(a, restingRss, restingPss);
      } catch (Failure e) {
        error[0] = e.getMessage();
      } catch (RuntimeException e) {
        error[0] = "workload error: " + e;
      }
    }, "memstrat-main", 1L << 30);
    worker.start();
    worker.join();
    if (error[0] != null) {
      write(dir.resolve("error.txt"), error[0].replace('\n', ' ') + "\n");
      System.exit(1);
    }
    write(dir.resolve("result.json"), Json.compact(result[0]) + "\n");
    System.exit(0);
  }
}
