// memstrat_java: the Java port's program, driven by scripts/run like the C++
// memstrat_bench (docs/extending.md, "Adding a language"; the JVM's additions
// in benchmarks/ports/java/README.md). It lists benchmarks and strategies
// itself, and runs everything else in a child JVM per invocation (Child),
// with the strategy's collector, the heap flags, taskset for --java_cpus and
// the unified log in a temporary directory; then it cuts the log's pauses to
// the measured runs and writes the protocol's JSON.
//
// Exit codes: 0 done, 1 a run failed (out of memory, a JVM crash, a
// workload's error), 2 bad flags, 4 not applicable (the JVM refused the
// collector or the heap before running: its own reason). Errors are one
// line on stderr; no Java stack trace ever reaches the user.
package memstrat.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import memstrat.harness.Strategies.Strategy;

public final class Main {
  private Main() {}

  static final String PROG = "memstrat_java";
  static final String USAGE = "usage: memstrat_java [--size=small|default|all]"
      + " (--list_benchmarks | --list_strategies | --check"
      + " | --benchmark_filter=^NAME$ [--benchmark_repetitions=N] [--benchmark_min_time=S]"
      + " [--benchmark_min_warmup_time=S] [--benchmark_out=FILE] [--benchmark_out_format=json]"
      + " | --probe=NAME [--probe_iterations=N] [--sample_period_ms=MS] [--probe_out=FILE])"
      + " [--java_max_heap_mib=N] [--java_initial_heap_mib=N] [--java_cpus=N]";

  /** Ends the program with one line and an exit code. */
  static final class Exit extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    Exit(int code, String line) {
      super(line, null, false, false);
      this.code = code;
    }
  }

  static Exit usage(String what) {
    return new Exit(2, PROG + ": error: " + what + " (see --help)");
  }

  static Exit failure(String what) {
    return new Exit(1, PROG + ": error: " + what);
  }

  /** The flags, parsed. */
  static final class Options {
    String size = "small";
    boolean listBenchmarks;
    boolean listStrategies;
    boolean check;
    String filter;
    int repetitions = 1;
    double minTime = 0.5;
    double minWarmupTime = 0;
    String benchmarkOut;
    String probe;
    int probeIterations = 3;
    long samplePeriodMs = 10;
    String probeOut;
    long maxHeapMib;
    long initialHeapMib;
    int cpus;
  }

  static long whole(String flag, String v, long lo, long hi) {
    try {
      long n = Long.parseLong(v);
      if (n >= lo && n <= hi) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw usage(flag + "=" + v + " is not a whole number from " + lo + " to " + hi);
  }

  static double seconds(String flag, String v) {
    String t = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
    try {
      double s = Double.parseDouble(t);
      if (s >= 0 && s < 1e6) {
        return s;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw usage(flag + "=" + v + " is not a number of seconds");
  }

  static Options parse(String[] args) {
    Options o = new Options();
    for (String a : args) {
      int eq = a.indexOf('=');
      String flag = eq < 0 ? a : a.substring(0, eq);
      String v = eq < 0 ? null : a.substring(eq + 1);
      boolean bare = v == null;
      switch (flag) {
        case "--help":
        case "-h":
          throw new Exit(0, USAGE);
        case "--size":
          if (!"small".equals(v) && !"default".equals(v) && !"all".equals(v)) {
            throw usage("--size takes small, default or all, not " + v);
          }
          o.size = v;
          break;
        case "--list_benchmarks":
          o.listBenchmarks = bare ? true : flagFails(a);
          break;
        case "--list_strategies":
          o.listStrategies = bare ? true : flagFails(a);
          break;
        case "--check":
          o.check = bare ? true : flagFails(a);
          break;
        case "--benchmark_filter":
          o.filter = need(flag, v);
          break;
        case "--benchmark_repetitions":
          o.repetitions = (int) whole(flag, need(flag, v), 1, 100_000);
          break;
        case "--benchmark_min_time":
          o.minTime = seconds(flag, need(flag, v));
          break;
        case "--benchmark_min_warmup_time":
          o.minWarmupTime = seconds(flag, need(flag, v));
          break;
        case "--benchmark_out":
          o.benchmarkOut = need(flag, v);
          break;
        case "--benchmark_out_format":
        case "--benchmark_format":
          if (!"json".equals(v)) {
            throw usage(flag + "=" + v + ": only json is written");
          }
          break;
        case "--probe":
          o.probe = need(flag, v);
          break;
        case "--probe_iterations":
          o.probeIterations = (int) whole(flag, need(flag, v), 1, 100_000);
          break;
        case "--sample_period_ms":
          o.samplePeriodMs = whole(flag, need(flag, v), 1, 60_000);
          break;
        case "--probe_out":
          o.probeOut = need(flag, v);
          break;
        case "--java_max_heap_mib":
          o.maxHeapMib = whole(flag, need(flag, v), 1, 1L << 30);
          break;
        case "--java_initial_heap_mib":
          o.initialHeapMib = whole(flag, need(flag, v), 1, 1L << 30);
          break;
        case "--java_cpus":
          o.cpus = (int) whole(flag, need(flag, v), 1, 4096);
          break;
        default:
          throw usage("unknown argument " + a);
      }
    }
    int actions = (o.listBenchmarks ? 1 : 0) + (o.listStrategies ? 1 : 0) + (o.check ? 1 : 0)
        + (o.filter != null ? 1 : 0) + (o.probe != null ? 1 : 0);
    if (actions > 1) {
      throw usage("--list_benchmarks, --list_strategies, --check, --benchmark_filter and"
          + " --probe exclude each other");
    }
    if (actions == 0) {
      throw usage("nothing to do");
    }
    if (o.probeOut != null && o.probe == null) {
      throw usage("--probe_out needs --probe=NAME");
    }
    return o;
  }

  static boolean flagFails(String a) {
    throw usage(a + " takes no value");
  }

  static String need(String flag, String v) {
    if (v == null || v.isEmpty()) {
      throw usage(flag + " needs a value (" + flag + "=...)");
    }
    return v;
  }

  static List<String> strategyNames() {
    List<String> out = new ArrayList<>();
    for (Strategy s : Strategies.ALL) {
      out.add(s.name);
    }
    return out;
  }

  /** `^NAME$` as the runner writes it (Python's re.escape), back to NAME. */
  static String exactName(String filter) {
    if (!filter.startsWith("^") || !filter.endsWith("$") || filter.length() < 2) {
      throw usage("--benchmark_filter=" + filter + ": only ^NAME$ filters are supported");
    }
    String inner = filter.substring(1, filter.length() - 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '\\' && i + 1 < inner.length()) {
        c = inner.charAt(++i);
      }
      b.append(c);
    }
    return b.toString();
  }

  static void listBenchmarks(String size) {
    List<Object> out = new ArrayList<>();
    for (Bench b : Bench.all(size, strategyNames())) {
      out.add(Json.obj("name", b.name, "workload", b.workload.name(), "strategy", b.strategy,
          "params", b.paramsJson()));
    }
    System.out.println(Json.dump(out));
  }

  // ----- the child JVM -----

  /** The first `n` CPUs this process may run on, as taskset's list. */
  static String firstCpus(int n) {
    String list = null;
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
        if (line.startsWith("Cpus_allowed_list:")) {
          list = line.substring("Cpus_allowed_list:".length()).trim();
        }
      }
    } catch (IOException e) {
      throw failure("--java_cpus: cannot read /proc/self/status (" + e.getMessage() + ")");
    }
    List<Integer> cpus = new ArrayList<>();
    if (list != null) {
      for (String part : list.split(",")) {
        String[] r = part.split("-");
        int lo = Integer.parseInt(r[0].trim());
        int hi = r.length > 1 ? Integer.parseInt(r[1].trim()) : lo;
        for (int c = lo; c <= hi; c++) {
          cpus.add(c);
        }
      }
    }
    if (cpus.size() < n) {
      throw usage("--java_cpus=" + n + ": this process may run on " + cpus.size()
          + " CPUs only (" + list + ")");
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i > 0 ? "," : "").append(cpus.get(i));
    }
    return b.toString();
  }

  static String javaBinary() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The unified-log selectors of each collector (JvmLog says what each shows). */
  static String logSelectors(Strategy s) {
    String sel = "safepoint=info,gc=info";
    if (s.name.equals("java-zgc")) {
      sel += ",gc+phases=info";
    } else if (s.name.equals("java-shenandoah")) {
      sel += ",gc+stats=info";
    }
    return sel;
  }

  /** The measured JVM's flags: the strategy's own and the run's. */
  static List<String> jvmFlags(Strategy s, Options o) {
    List<String> f = new ArrayList<>(s.jvmFlags);
    if (o.maxHeapMib > 0) {
      f.add("-Xmx" + o.maxHeapMib + "m");
    }
    if (o.initialHeapMib > 0) {
      f.add("-Xms" + o.initialHeapMib + "m");
    }
    return f;
  }

  /** A finished child JVM: its directory, log and result. */
  static final class ChildRun {
    Path dir;
    Path log;
    Map<String, Object> result;
    List<String> flags;
  }

  static String heapWords(Options o) {
    return o.maxHeapMib > 0 ? "-Xmx" + o.maxHeapMib + "m" : "the default heap";
  }

  static String text(Path p) {
    try {
      return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The JVM's own reason for not starting, from what it printed. */
  static String refusal(String out) {
    String[] lines = out.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].trim();
      if (l.startsWith("Error occurred during initialization of VM")) {
        for (int j = i + 1; j < lines.length; j++) {
          if (!lines[j].trim().isEmpty()) {
            return lines[j].trim();
          }
        }
        return l;
      }
    }
    for (String line : lines) {
      String l = line.trim();
      if (l.startsWith("Unrecognized VM option") || l.startsWith("Invalid ")
          || l.startsWith("Improperly specified VM option")
          || l.contains("is not supported") || l.startsWith("Terminating due to")) {
        return l;
      }
    }
    return null;
  }

  static void removeTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a temporary directory left behind is no failure
    }
  }

  /** Runs the child JVM for `mode` and returns its result; ends the program on failure. */
  static ChildRun runChild(Strategy s, Options o, String what, List<String> childArgs) {
    ChildRun run = new ChildRun();
    try {
      run.dir = Files.createTempDirectory("memstrat_java.");
    } catch (IOException e) {
      throw failure("cannot make a temporary directory (" + e.getMessage() + ")");
    }
    run.log = run.dir.resolve("jvm.log");
    run.flags = jvmFlags(s, o);
    List<String> cmd = new ArrayList<>();
    if (o.cpus > 0) {
      cmd.add("/usr/bin/taskset");
      cmd.add("-c");
      cmd.add(firstCpus(o.cpus));
    }
    cmd.add(javaBinary());
    cmd.addAll(run.flags);
    cmd.add("-Xlog:" + logSelectors(s) + ":file=" + run.log
        + ":timenanos,level,tags:filecount=0");
    cmd.add("-XX:ErrorFile=" + run.dir.resolve("hs_err_%p.log"));
    cmd.add("-XX:+ExitOnOutOfMemoryError");
    cmd.add("-XX:-UsePerfData");
    cmd.add("-cp");
    // Absolute: the child runs in the temporary directory.
    List<String> cp = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      cp.add(Paths.get(entry).toAbsolutePath().toString());
    }
    cmd.add(String.join(File.pathSeparator, cp));
    cmd.add("memstrat.harness.Child");
    cmd.add(run.dir.toString());
    cmd.addAll(childArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.directory(run.dir.toFile());
    pb.redirectOutput(run.dir.resolve("stdout.txt").toFile());
    pb.redirectError(run.dir.resolve("stderr.txt").toFile());
    int status;
    try {
      Process p = pb.start();
      status = p.waitFor();
    } catch (IOException e) {
      throw failure("cannot start " + cmd.get(0) + " (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      throw failure("interrupted");
    }
    if (status == 0 && Files.exists(run.dir.resolve("result.json"))) {
      try {
        run.result = Json.map(Json.parse(text(run.dir.resolve("result.json"))));
      } catch (Json.ParseError e) {
        throw failure(what + ": the child JVM's result is not JSON (" + e.getMessage() + ")");
      }
      return run;
    }
    String out = text(run.dir.resolve("stdout.txt")) + "\n" + text(run.dir.resolve("stderr.txt"));
    boolean started = Files.exists(run.dir.resolve("started"));
    String under = heapWords(o) + " under " + s.name;
    String oom = null;
    for (String line : out.split("\n")) {
      if (line.startsWith("Terminating due to java.lang.OutOfMemoryError: ")) {
        oom = line.substring("Terminating due to java.lang.OutOfMemoryError: ".length()).trim();
      }
    }
    if (!started) {
      String reason = refusal(out);
      if (reason != null) {
        removeTree(run.dir);
        throw new Exit(4, PROG + ": not applicable: " + reason
            + (oom != null ? " (" + under + ", before the harness started)" : ""));
      }
    }
    if (oom != null) {
      removeTree(run.dir);
      String epsilon = s.name.equals("java-epsilon")
          ? "; Epsilon never collects: the heap must hold everything the run allocates" : "";
      throw failure(what + ": out of memory (" + oom + ", " + under + ")" + epsilon);
    }
    Path err = run.dir.resolve("error.txt");
    if (status == 1 && Files.exists(err)) {
      String line = text(err).trim();
      removeTree(run.dir);
      throw failure(what + ": " + line);
    }
    String hsErr = null;
    try (Stream<Path> files = Files.list(run.dir)) {
      hsErr = files.map(Path::toString).filter(n -> n.contains("hs_err_")).findFirst()
          .orElse(null);
    } catch (IOException e) {
      // no listing: no hs_err named
    }
    if (hsErr != null) {
      String summary = "";
      for (String line : text(Paths.get(hsErr)).split("\n")) {
        if (line.startsWith("#  SIG") || line.startsWith("#  Internal Error")
            || line.startsWith("# Out of Memory Error") || line.startsWith("#  fatal error")) {
          summary = line.substring(1).trim();
          break;
        }
      }
      throw failure(what + ": the JVM crashed (" + (summary.isEmpty() ? "exit status " + status
          : summary) + ", " + under + "); its report is kept in " + hsErr);
    }
    String last = "";
    for (String line : out.split("\n")) {
      if (!line.isBlank() && !line.startsWith("\tat ")) {
        last = line.trim();
      }
    }
    removeTree(run.dir);
    String cause = status > 128 ? "killed by signal " + (status - 128) : "exit status " + status;
    throw failure(what + ": the child JVM failed (" + cause
        + (last.isEmpty() ? "" : ": " + last) + ", " + under + ")");
  }

  static JvmLog readLog(ChildRun run) {
    try {
      return JvmLog.parse(Files.readAllLines(run.log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw failure("cannot read the JVM's log " + run.log + " (" + e.getMessage() + ")");
    }
  }

  static void writeAtomically(String path, String text, String flag) {
    Path p = Paths.get(path);
    Path tmp = Paths.get(path + ".tmp." + ProcessHandle.current().pid());
    try {
      Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException x) {
        // nothing more to do
      }
      throw failure("cannot write " + flag + "=" + path + " (" + e.getMessage() + ")");
    }
  }

  // ----- the actions -----

  static void check(Options o) {
    List<Object> out = new ArrayList<>();
    for (Strategy s : Strategies.ALL) {
      ChildRun run = runChild(s, o, "--check " + s.name, List.of("check", s.name, o.size));
      out.addAll(Json.list(run.result.get("check")));
      removeTree(run.dir);
    }
    System.out.println(Json.dump(out));
  }

  static Map<String, Object> context(Options o, ChildRun run) {
    List<Object> flags = new ArrayList<>(run.flags);
    return Json.obj(
        "executable", PROG,
        "num_cpus", (long) Runtime.getRuntime().availableProcessors(),
        "memstrat_port", "java",
        "memstrat_sizes", o.size,
        "memstrat_java_cpus", o.cpus > 0 ? (Object) (long) o.cpus : null,
        "memstrat_time", "compare real_time (wall clock); cpu_time is the whole JVM's process"
            + " CPU per iteration (JIT and collector threads included)",
        "memstrat_warmup", "steady rule: the median of the last W runs within 5% of the W"
            + " before, W = clamp(100 ms / run, 3, 1000), after --benchmark_min_warmup_time;"
            + " capped at min_warmup + clamp(30 x first run, 1 s, 10 s)",
        "jvm", Json.obj("version", Strategies.toolchain(), "flags", flags));
  }

  static void time(Options o) {
    String name = exactName(o.filter);
    Bench b = Bench.find(name, o.size, strategyNames());
    if (b == null) {
      throw usage("no benchmark " + name + " at --size=" + o.size + " (see --list_benchmarks)");
    }
    Strategy s = Strategies.find(b.strategy);
    ChildRun run = runChild(s, o, name, List.of("timing", s.name, b.workload.name(),
        Bench.formatParams(b.params), Integer.toString(o.repetitions),
        Long.toString((long) (o.minTime * 1e9)), Long.toString((long) (o.minWarmupTime * 1e9))));
    JvmLog log = readLog(run);
    Map<String, Object> warm = Json.map(run.result.get("warmup"));
    List<Object> entries = new ArrayList<>();
    List<Object> reps = Json.list(run.result.get("repetitions"));
    for (int i = 0; i < reps.size(); i++) {
      Map<String, Object> r = Json.map(reps.get(i));
      long it = Json.num(r.get("iterations"));
      long from = Json.num(r.get("start_ns"));
      long to = Json.num(r.get("end_ns"));
      double n = it;
      long checksum = Long.parseUnsignedLong(((String) r.get("checksum")).substring(2), 16);
      Map<String, Object> e = Json.obj(
          "name", name,
          "family_index", 0L,
          "per_family_instance_index", 0L,
          "run_name", name,
          "run_type", "iteration",
          "repetitions", (long) o.repetitions,
          "repetition_index", (long) i,
          "threads", 1L,
          "iterations", it,
          "real_time", (to - from) / 1e6 / n,
          "cpu_time", Json.num(r.get("process_cpu_ns")) / 1e6 / n,
          "time_unit", "ms",
          // The C++ keeps the low 53 bits: a double holds them exactly.
          "checksum", (double) (checksum & ((1L << 53) - 1)),
          "units", (double) Json.num(r.get("units")),
          "objects", Json.num(r.get("objects")) / n,
          "buffers", Json.num(r.get("buffers")) / n,
          "bytes_requested", Json.num(r.get("bytes")) / n,
          "first_iteration_ns", (double) Json.num(warm.get("first_iteration_ns")),
          "warmup_iterations", (double) Json.num(warm.get("warmup_iterations")),
          "warmup_ns", (double) Json.num(warm.get("warmup_ns")),
          "steady", (double) Json.num(warm.get("steady")),
          "process_cpu_ns", Json.num(r.get("process_cpu_ns")) / n,
          "gc_cpu_ns", Json.num(r.get("gc_cpu_ns")) / n,
          "jit_cpu_ns", Json.num(r.get("jit_cpu_ns")) / n,
          "heap_max_bytes", (double) Json.num(run.result.get("heap_max_bytes")));
      // The names the scripts read for every collecting strategy (the C++
      // gc's): seconds per iteration, and collections per iteration.
      e.put("process_cpu_time", Json.num(r.get("process_cpu_ns")) / 1e9 / n);
      e.put("gc_stop_world_time", log.stopWorldNs(from, to) / 1e9 / n);
      e.put("gc_collections", log.collections(from, to) / n);
      entries.add(e);
    }
    removeTree(run.dir);
    String doc = Json.dump(Json.obj("context", context(o, run), "benchmarks", entries)) + "\n";
    if (o.benchmarkOut != null) {
      writeAtomically(o.benchmarkOut, doc, "--benchmark_out");
      System.out.println(name + ": written to " + o.benchmarkOut);
    } else {
      System.out.print(doc);
    }
  }

  static void probe(Options o) {
    Bench b = Bench.find(o.probe, o.size, strategyNames());
    if (b == null) {
      throw usage("no benchmark named '" + o.probe + "' at --size=" + o.size
          + "; list them with --list_benchmarks");
    }
    Strategy s = Strategies.find(b.strategy);
    ChildRun run = runChild(s, o, o.probe, List.of("probe", s.name, b.workload.name(),
        Bench.formatParams(b.params), Integer.toString(o.probeIterations),
        Long.toString(o.samplePeriodMs), Long.toString((long) (o.minWarmupTime * 1e9))));
    JvmLog log = readLog(run);
    long from = Json.num(run.result.get("start_ns"));
    long to = Json.num(run.result.get("end_ns"));
    Map<String, Object> p = Json.map(run.result.get("probe"));
    p.put("pauses", log.pausesJson(s.name, from, to));
    Map<String, Object> gc = Json.map(p.get("gc"));
    long stw = log.stopWorldNs(from, to);
    long collections = log.collections(from, to);
    gc.put("collections", collections);
    gc.put("stop_world_total_ns", stw);
    gc.put("jvm_flags", new ArrayList<Object>(run.flags));
    double n = o.probeIterations;
    p.put("strategy_stats", Json.obj(
        "gc_collections", collections / n,
        "gc_stop_world_time", stw / 1e9 / n,
        "gc_cpu_time", Json.num(gc.get("cpu_ns")) / 1e9 / n,
        "jit_cpu_time", Json.num(gc.get("jit_cpu_ns")) / 1e9 / n,
        "process_cpu_time", Json.num(gc.get("process_cpu_ns")) / 1e9 / n,
        "heap_max_bytes", (double) Json.num(gc.get("heap_max_bytes"))));
    removeTree(run.dir);
    String doc = Json.dump(Json.obj("name", b.name, "workload", b.workload.name(),
        "strategy", b.strategy, "params", b.paramsJson(), "probe", p)) + "\n";
    if (o.probeOut != null) {
      writeAtomically(o.probeOut, doc, "--probe_out");
    } else {
      System.out.print(doc);
    }
  }

  static void run(String[] args) {
    Options o = parse(args);
    if (o.listBenchmarks) {
      listBenchmarks(o.size);
    } else if (o.listStrategies) {
      System.out.println(Json.dump(Strategies.declarations()));
    } else if (o.check) {
      check(o);
    } else if (o.filter != null) {
      time(o);
    } else {
      probe(o);
    }
  }

  public static void main(String[] args) {
    int code = 0;
    try {
      run(args);
    } catch (Exit e) {
      (e.code == 0 ? System.out : System.err).println(e.getMessage());
      code = e.code;
    } catch (RuntimeException | Error e) {
      // A bug of the harness: still one line, never a stack trace.
      System.err.println(PROG + ": error: internal: " + e);
      code = 1;
    }
    System.out.flush();
    System.exit(code);
  }
}
