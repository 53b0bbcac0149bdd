// The Java strategies: one per OpenJDK 17 collector, each run in a child JVM
// of its own (a JVM has one collector), and their --list_strategies
// declarations: the C++ keys plus the port keys of docs/extending.md.
package memstrat.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public final class Strategies {
  private Strategies() {}

  public static final class Strategy {
    public final String name;
    public final List<String> jvmFlags;
    public final String colour;
    public final String summary;
    public final boolean defaultSelected;
    public final long granularityBytes;

    Strategy(String name, List<String> jvmFlags, String colour, String summary,
        boolean defaultSelected, long granularityBytes) {
      this.name = name;
      this.jvmFlags = jvmFlags;
      this.colour = colour;
      this.summary = summary;
      this.defaultSelected = defaultSelected;
      this.granularityBytes = granularityBytes;
    }

    /** The collector's short name in messages: "serial". */
    public String gc() {
      return name.substring("java-".length());
    }
  }

  private static final long MIB = 1L << 20;

  // default_selected: only G1, the JVM's own default (what a user gets),
  // runs in the default profile, which has room for one collector within
  // its 20 minutes; the full profile runs them all.
  // Colours: Paul Tol's bright/vibrant schemes less those the C++ and Rust
  // strategies use, so every Java collector has its own.
  public static final List<Strategy> ALL = List.of(
      new Strategy("java-serial", List.of("-XX:+UseSerialGC"), "#117733",
          "OpenJDK 17's Serial collector: one thread, stop-the-world copying young and"
              + " mark-compact old generation",
          false, MIB),
      new Strategy("java-parallel", List.of("-XX:+UseParallelGC"), "#999933",
          "OpenJDK 17's Parallel collector: stop-the-world, generational, one worker per core",
          false, MIB),
      new Strategy("java-g1", List.of("-XX:+UseG1GC"), "#EE7733",
          "OpenJDK 17's G1 (its default): regions, young pauses, concurrent marking,"
              + " mixed collections",
          true, MIB),
      new Strategy("java-zgc", List.of("-XX:+UseZGC"), "#0077BB",
          "OpenJDK 17's ZGC: concurrent marking and relocation, sub-millisecond pauses,"
              + " allocation stalls when the heap runs out",
          false, 2 * MIB),
      new Strategy("java-shenandoah", List.of("-XX:+UseShenandoahGC"), "#EE3377",
          "OpenJDK 17's Shenandoah: concurrent marking and evacuation, pacing of"
              + " allocating threads",
          false, MIB),
      new Strategy("java-epsilon",
          List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+UseEpsilonGC"), "#BBBBBB",
          "OpenJDK 17's Epsilon: allocates and never collects (the heap must hold the"
              + " whole run)",
          false, MIB));

  public static Strategy find(String name) {
    for (Strategy s : ALL) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** The first line of `java -version`, from the running JVM's properties. */
  public static String toolchain() {
    String vm = System.getProperty("java.vm.name", "");
    String date = System.getProperty("java.version.date", "");
    String launcher = vm.contains("OpenJDK") ? "openjdk" : "java";
    return (launcher + " version \"" + System.getProperty("java.version", "unknown") + "\" "
        + date).trim();
  }

  public static List<Object> declarations() {
    List<Object> out = new ArrayList<>();
    for (Strategy s : ALL) {
      Map<String, Object> d = Json.obj(
          "name", s.name,
          "family", "Java",
          "language", "Java",
          "toolchain", toolchain(),
          "counterpart", "gc",
          // JIT-compiled: no C++ build shares its backend.
          "same_backend_build", false,
          "summary", s.summary,
          "reclaim_kind", "gc_stop_world",
          "frees", "none",
          "collects", true,
          "release_order", "none: the collector finds unreachable objects",
          "owner_bytes", 4L,
          "allocator_bytes", 0L,
          "owner_overhead", "none: a reference is 4 bytes (compressed oops); every object"
              + " carries a 12-byte header the collector uses",
          "sanitizer_safe", false,
          "threads_process", true,
          "object_per_new", true,
          "baseline", false,
          "colour", s.colour,
          "jvm_flags", new ArrayList<Object>(s.jvmFlags),
          "settings", List.of("--java_max_heap_mib", "--java_initial_heap_mib", "--java_cpus"),
          "heap", Json.obj(
              "cap_flag", "--java_max_heap_mib",
              "presize_flag", "--java_initial_heap_mib",
              "flag_unit_bytes", MIB,
              "granularity_bytes", s.granularityBytes,
              "unit_group", "java"),
          "variants", List.of(Json.obj(
              "name", "cpus_1",
              "label", "1 core",
              "flags", List.of("--java_cpus=1"),
              "summary", "pinned to one core (taskset): what the second core buys")),
          "default_selected", s.defaultSelected);
      out.add(d);
    }
    return out;
  }
}
