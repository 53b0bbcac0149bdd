// memstrat_java's command line: bad flags exit 2 with one line; a heap the
// JVM refuses exits 4 "not applicable" with the JVM's own reason; a
// workload out of memory exits 1 with one line and no stack trace; the
// listings carry every key the protocol and the contract name.
package memstrat.tests;

import java.util.List;
import java.util.Map;
import memstrat.harness.Json;

public final class CliTest {
  private CliTest() {}

  static void oneLine(Check.Result r, int code, String prefix, String what) {
    Check.eq(code, r.code, what + ": exit code (stderr: " + r.err.trim() + ")");
    Check.eq(1, r.errLines().size(), what + ": one line on stderr: " + r.err);
    Check.isTrue(r.err.startsWith(prefix), what + ": starts with " + prefix + ": " + r.err);
    Check.isTrue(!r.err.contains("\tat ") && !r.err.contains("Exception"),
        what + ": no Java stack trace: " + r.err);
  }

  public static void main(String[] args) throws Exception {
    oneLine(Check.launch("--bogus"), 2, "memstrat_java: error: unknown argument --bogus",
        "unknown flag");
    oneLine(Check.launch("--list_benchmarks", "--size=huge"), 2, "memstrat_java: error:",
        "bad size");
    oneLine(Check.launch("--probe_iterations=0", "--probe=x"), 2, "memstrat_java: error:",
        "bad count");
    oneLine(Check.launch("--benchmark_filter=binary", "--size=small"), 2,
        "memstrat_java: error: --benchmark_filter=binary: only ^NAME$", "a regex filter");
    oneLine(Check.launch("--benchmark_filter=^nothing/java\\-g1$"), 2,
        "memstrat_java: error: no benchmark nothing/java-g1", "an unknown benchmark");
    oneLine(Check.launch("--check", "--list_strategies"), 2, "memstrat_java: error:",
        "two actions");
    oneLine(Check.launch("--check", "--java_cpus=100000"), 2,
        "memstrat_java: error: --java_cpus=100000", "too many CPUs");
    Check.eq(2, Check.launch().code, "nothing to do");

    // Not applicable: the JVM's own reason, as the runner records it.
    String tb = "--benchmark_filter=^binary_trees/java\\-serial/depth:10$";
    oneLine(Check.launch(tb, "--java_max_heap_mib=1"), 4,
        "memstrat_java: not applicable: Too small maximum heap", "a heap too small to start");
    oneLine(Check.launch(tb, "--java_max_heap_mib=32", "--java_initial_heap_mib=64"), 4,
        "memstrat_java: not applicable: Initial heap size set to a larger value than the"
            + " maximum heap size", "initial above max");

    // Out of memory in the workload: binary_trees at depth 16 holds a 3 MiB
    // tree beside a 6 MiB one; 4 MiB cannot.
    Check.Result oom = Check.launch("--size=default",
        "--probe=binary_trees/java-serial/depth:16", "--java_max_heap_mib=4");
    oneLine(oom, 1, "memstrat_java: error: binary_trees/java-serial/depth:16: out of memory"
        + " (Java heap space, -Xmx4m under java-serial)", "a workload out of memory");
    Check.Result eps = Check.launch("--size=default",
        "--benchmark_filter=^binary_trees/java\\-epsilon/depth:16$", "--java_max_heap_mib=8");
    oneLine(eps, 1, "memstrat_java: error: binary_trees/java-epsilon/depth:16: out of memory",
        "Epsilon out of heap");
    Check.isTrue(eps.err.contains("Epsilon never collects"), "Epsilon says it never collects");

    // --list_strategies: the C++ keys, the port keys and the contract's.
    Check.Result ls = Check.launch("--list_strategies");
    Check.eq(0, ls.code, "--list_strategies exits 0");
    List<Object> decls = Json.list(Json.parse(ls.out));
    Check.eq(6, decls.size(), "six collectors");
    String[] keys = {"name", "family", "language", "toolchain", "counterpart", "summary",
      "reclaim_kind", "frees", "collects", "release_order", "owner_bytes", "allocator_bytes",
      "owner_overhead", "sanitizer_safe", "threads_process", "object_per_new", "colour",
      "baseline", "settings", "jvm_flags", "heap", "variants", "default_selected"};
    java.util.Set<String> colours = new java.util.HashSet<>();
    int selected = 0;
    for (Object o : decls) {
      Map<String, Object> d = Json.map(o);
      for (String k : keys) {
        Check.isTrue(d.containsKey(k), d.get("name") + ": key " + k);
      }
      Check.eq("Java", d.get("family"), "family");
      Check.eq("gc", d.get("counterpart"), "counterpart");
      Check.eq("gc_stop_world", d.get("reclaim_kind"), "reclaim kind");
      Check.eq(Boolean.FALSE, d.get("baseline"), "not the baseline");
      Check.eq(4L, d.get("owner_bytes"), "compressed references");
      Check.isTrue(((String) d.get("toolchain")).startsWith("openjdk version \"17"),
          "toolchain: " + d.get("toolchain"));
      Check.isTrue(((String) d.get("colour")).matches("#[0-9A-F]{6}"), "colour");
      colours.add((String) d.get("colour"));
      Map<String, Object> heap = Json.map(d.get("heap"));
      Check.eq("--java_max_heap_mib", heap.get("cap_flag"), "cap flag");
      Check.eq("--java_initial_heap_mib", heap.get("presize_flag"), "presize flag");
      Check.eq(1048576L, heap.get("flag_unit_bytes"), "flag unit");
      Check.eq("java", heap.get("unit_group"), "unit group");
      Check.eq(d.get("name").equals("java-zgc") ? 2097152L : 1048576L,
          heap.get("granularity_bytes"), "granularity");
      Map<String, Object> v = Json.map(Json.list(d.get("variants")).get(0));
      Check.eq("cpus_1", v.get("name"), "the one-core variant");
      Check.eq(List.of("--java_cpus=1"), v.get("flags"), "its flag");
      if (Boolean.TRUE.equals(d.get("default_selected"))) {
        selected++;
        Check.isTrue(d.get("name").equals("java-g1"),
            "default_selected: " + d.get("name"));
      }
    }
    Check.eq(6, colours.size(), "a colour each");
    Check.eq(1, selected, "java-g1 alone is selected by default");

    Check.Result lb = Check.launch("--list_benchmarks", "--size=all");
    Check.eq(0, lb.code, "--list_benchmarks exits 0");
    for (Object o : Json.list(Json.parse(lb.out))) {
      Map<String, Object> b = Json.map(o);
      Check.eq(4, b.size(), "name, workload, strategy, params");
      Check.isTrue(((String) b.get("name")).startsWith(b.get("workload") + "/" + b.get("strategy")
          + "/"), "name shape: " + b.get("name"));
    }
    Check.eq(0, Check.launch("--help").code, "--help exits 0");
    Check.done("CliTest");
  }
}
