// A timing run and a probe run of binary_trees at the small size under two
// collectors (Serial and ZGC: a stop-the-world and a concurrent one, whose
// pauses come from different log lines): every key present, the checksum
// the C++ test vector's, the counters the contract adds.
package memstrat.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import memstrat.harness.Json;

public final class RunTest {
  private RunTest() {}

  static Map<String, Object> vector(String workload) throws Exception {
    Path p = Paths.get(System.getProperty("memstrat.vectors"));
    Map<String, Object> doc = Json.map(Json.parse(Files.readString(p)));
    return Json.map(Json.map(doc.get("workload_checksums")).get(workload));
  }

  public static void main(String[] args) throws Exception {
    Map<String, Object> v = vector("binary_trees");
    long want = Long.parseUnsignedLong(((String) v.get("checksum")).substring(2), 16);
    Path dir = Files.createTempDirectory("memstrat_runtest");
    for (String gc : new String[] {"serial", "zgc"}) {
      String name = "binary_trees/java-" + gc + "/depth:10";
      Path out = dir.resolve(gc + ".json");
      Check.Result r = Check.launch("--size=small",
          "--benchmark_filter=^" + name.replace("-", "\\-") + "$", "--benchmark_repetitions=2",
          "--benchmark_min_time=0.05", "--benchmark_out=" + out, "--benchmark_out_format=json");
      Check.eq(0, r.code, gc + ": timing exits 0 (" + r.err.trim() + ")");
      Map<String, Object> doc = Json.map(Json.parse(Files.readString(out)));
      Map<String, Object> jvm = Json.map(Json.map(doc.get("context")).get("jvm"));
      Check.isTrue(Json.list(jvm.get("flags")).contains(gc.equals("zgc") ? "-XX:+UseZGC"
          : "-XX:+UseSerialGC"), gc + ": context.jvm.flags");
      List<Object> entries = Json.list(doc.get("benchmarks"));
      Check.eq(2, entries.size(), gc + ": one entry per repetition");
      for (Object o : entries) {
        Map<String, Object> e = Json.map(o);
        for (String k : new String[] {"name", "run_name", "run_type", "repetitions",
            "repetition_index", "iterations", "real_time", "cpu_time", "time_unit", "threads",
            "family_index", "per_family_instance_index", "checksum", "units", "objects",
            "buffers", "bytes_requested", "first_iteration_ns", "warmup_iterations",
            "warmup_ns", "steady", "process_cpu_ns", "gc_cpu_ns", "jit_cpu_ns",
            "heap_max_bytes"}) {
          Check.isTrue(e.containsKey(k), gc + ": counter " + k);
        }
        Check.isTrue(!e.containsKey("allocations") && !e.containsKey("frees"),
            gc + ": no allocation or free counts");
        Check.eq((double) (want & ((1L << 53) - 1)), e.get("checksum"), gc + ": checksum");
        Check.eq((double) Json.num(v.get("units")), e.get("units"), gc + ": units");
        Check.eq((double) Json.num(v.get("objects")), e.get("objects"), gc + ": objects");
        Check.isTrue(Json.dbl(e.get("bytes_requested")) >= 24.0 * Json.num(v.get("objects")),
            gc + ": at least 24 bytes per node allocated");
        double steady = Json.dbl(e.get("steady"));
        Check.isTrue(steady == 0.0 || steady == 1.0, gc + ": steady is 0 or 1");
        Check.isTrue(Json.dbl(e.get("warmup_iterations")) >= 1, gc + ": warm-up ran");
        Check.isTrue(Json.dbl(e.get("process_cpu_ns")) >= Json.dbl(e.get("gc_cpu_ns")),
            gc + ": the collector's CPU is part of the process's");
      }

      Path probe = dir.resolve(gc + "-probe.json");
      r = Check.launch("--size=small", "--probe=" + name, "--probe_iterations=20",
          "--sample_period_ms=2", "--java_max_heap_mib=16", "--java_initial_heap_mib=16",
          "--probe_out=" + probe);
      Check.eq(0, r.code, gc + ": probe exits 0 (" + r.err.trim() + ")");
      Map<String, Object> pdoc = Json.map(Json.parse(Files.readString(probe)));
      Check.eq(name, pdoc.get("name"), gc + ": probe name");
      Map<String, Object> p = Json.map(pdoc.get("probe"));
      for (String k : new String[] {"iterations", "wall_ns", "checksum", "counts", "pauses",
          "latency", "stalls", "memory", "gc", "strategy_stats"}) {
        Check.isTrue(p.containsKey(k), gc + ": probe key " + k);
      }
      Check.eq(v.get("checksum"), p.get("checksum"), gc + ": probe checksum");
      Map<String, Object> counts = Json.map(p.get("counts"));
      Check.eq((double) Json.num(v.get("objects")), counts.get("objects_per_iteration"),
          gc + ": objects per iteration");
      Map<String, Object> pauses = Json.map(p.get("pauses"));
      Map<String, Object> kinds = Json.map(pauses.get("kinds"));
      Check.isTrue(kinds.containsKey(gc.equals("zgc") ? "mark_start" : "young"),
          gc + ": the collector's kinds: " + kinds.keySet());
      long n = 0;
      for (Object s : kinds.values()) {
        n += Json.num(Json.map(s).get("count"));
      }
      Map<String, Object> g = Json.map(p.get("gc"));
      for (String k : new String[] {"collections", "cpu_ns", "jit_cpu_ns", "process_cpu_ns",
          "wall_ns", "first_iteration_ns", "warmup_iterations", "steady", "heap_bytes",
          "stop_world_total_ns"}) {
        Check.isTrue(g.containsKey(k), gc + ": gc." + k);
      }
      // 20 runs of 700 KB in a 16 MiB heap: the collector must have run.
      Check.isTrue(Json.num(g.get("collections")) > 0, gc + ": collections in the window");
      Check.isTrue(n > 0, gc + ": pauses in the window");
      for (Object o : Json.list(pauses.get("events"))) {
        long start = Json.num(Json.map(o).get("start_ns"));
        Check.isTrue(start >= 0 && start <= Json.num(p.get("wall_ns")),
            gc + ": events inside the measured window");
      }
      Map<String, Object> mem = Json.map(p.get("memory"));
      Check.isTrue(Json.num(mem.get("baseline_rss_bytes")) > 0, gc + ": resting RSS");
      Check.isTrue(mem.get("baseline_pss_bytes") != null, gc + ": resting PSS");
      Check.isTrue(Json.num(mem.get("peak_rss_bytes")) >= Json.num(mem.get("final_rss_bytes"))
          || !Boolean.TRUE.equals(mem.get("peak_rss_isolated")), gc + ": peak >= final");
      Check.isTrue(!Json.list(Json.map(mem.get("timeline")).get("t_ms")).isEmpty(),
          gc + ": a timeline");
      Check.isTrue(Json.map(p.get("stalls")).containsKey("gaps"), gc + ": stalls");
    }
    Check.done("RunTest");
  }
}
