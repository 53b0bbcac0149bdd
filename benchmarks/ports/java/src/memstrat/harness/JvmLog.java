// The JVM's unified log (-Xlog, decorated with timenanos: System.nanoTime's
// clock, the one the measured child times its runs with) parsed into pause
// events. Verified on Debian's OpenJDK 17.0.15 with every collector (the
// fixtures in tests/fixtures/ are excerpts of those logs):
//
//   [safepoint] Safepoint "<VM op>", ... Total: N ns   every stop-the-world
//       pause of every collector, in nanoseconds, logged when it ends; the
//       event runs from (log time - Total) to the log time.
//   [gc] GC(n) Pause Young (Normal) ... 0.325ms         the collector's name
//       for the pause, logged inside its safepoint: it names the safepoint's
//       kind (Serial/Parallel/G1; Shenandoah's "Pause Init Mark" ...);
//   [gc,phases] GC(n) Pause Mark Start 0.021ms          ZGC's (17 names its
//       pauses only under gc+phases); its VM ops name them too.
//   [gc] Allocation Stall (<thread>) 43.623ms           ZGC: a thread waited
//       for memory outside any safepoint (JDK 17 logs it under the gc tag;
//       -Xlog:gc+alloc+stall is not a tag set of 17 and stops the JVM).
//   [gc,stats] Pacing  94130 us                         Shenandoah: 17 logs
//       no single pacing delay, only each cycle's total over all threads
//       (and, in milliseconds, per thread: "94 of 145 ms (65.0%): main"):
//       one `pacing` event per cycle, of that total, ending at the line.
// A safepoint with no collector line and no collector VM op is `safepoint`.
package memstrat.harness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class JvmLog {
  private static final Pattern LINE =
      Pattern.compile("^\\[(\\d+)ns\\]\\[(\\w+)\\s*\\]\\[([a-z0-9,]+)\\s*\\] ?(.*)$");
  private static final Pattern SAFEPOINT =
      Pattern.compile("^Safepoint \"(\\w+)\", .*Total: (\\d+) ns");
  private static final Pattern PAUSE = Pattern.compile("^GC\\((\\d+)\\) Pause (.*)$");
  private static final Pattern GC_ID = Pattern.compile("^GC\\((\\d+)\\) ");
  private static final Pattern STALL =
      Pattern.compile("^Allocation Stall \\((.*)\\) ([0-9]+(?:\\.[0-9]+)?)ms");
  private static final Pattern PACING = Pattern.compile("^Pacing\\s+(\\d+) us$");

  public static final String SAFEPOINT_KIND = "safepoint";
  public static final String ALLOC_STALL = "alloc_stall";
  public static final String PACING_KIND = "pacing";
  /** Pause events this long or longer are also listed raw (as the C++). */
  public static final long RAW_THRESHOLD_NS = 10_000;
  public static final int RAW_CAPACITY = 1 << 16;

  /** The collector VM operations of OpenJDK 17, by the kind they are. */
  private static final Map<String, String> VM_OPS = new TreeMap<>();

  static {
    String[][] ops = {
      {"GenCollectForAllocation", "young"}, {"GenCollectFull", "full"},
      {"GenCollectFullConcurrent", "full"}, {"ParallelGCFailedAllocation", "young"},
      {"ParallelGCSystemGC", "full"}, {"CollectForMetadataAllocation", "young"},
      {"G1CollectForAllocation", "young"}, {"G1CollectFull", "full"},
      {"G1TryInitiateConcMark", "young"}, {"G1PauseRemark", "remark"},
      {"G1PauseCleanup", "cleanup"}, {"ZMarkStart", "mark_start"},
      {"ZMarkEnd", "mark_end"}, {"ZRelocateStart", "relocate_start"},
      {"ShenandoahInitMark", "init_mark"}, {"ShenandoahFinalMarkStartEvac", "final_mark"},
      {"ShenandoahInitUpdateRefs", "init_update_refs"},
      {"ShenandoahFinalUpdateRefs", "final_update_refs"},
      {"ShenandoahFinalRoots", "final_roots"}, {"ShenandoahFullGC", "full"},
      {"ShenandoahDegeneratedGC", "degenerated"},
    };
    for (String[] op : ops) {
      VM_OPS.put(op[0], op[1]);
    }
  }

  /** The pause kinds each strategy's probe lists (with count 0 if unseen). */
  public static List<String> kindsOf(String strategy) {
    switch (strategy) {
      case "java-serial":
      case "java-parallel":
        return List.of("young", "full", SAFEPOINT_KIND);
      case "java-g1":
        return List.of("young", "mixed", "full", "remark", "cleanup", SAFEPOINT_KIND);
      case "java-zgc":
        return List.of("mark_start", "mark_end", "relocate_start", ALLOC_STALL, SAFEPOINT_KIND);
      case "java-shenandoah":
        return List.of(
            "init_mark", "final_mark", "init_update_refs", "final_update_refs", "final_roots",
            "degenerated", "full", PACING_KIND, SAFEPOINT_KIND);
      default:
        return List.of(SAFEPOINT_KIND);
    }
  }

  /** One thing that stopped the program (or a thread of it). */
  public static final class Event {
    public final String kind;
    public final long startNs;
    public final long durationNs;

    Event(String kind, long startNs, long durationNs) {
      this.kind = kind;
      this.startNs = startNs;
      this.durationNs = durationNs;
    }

    /** A collector's stop-the-world pause (not a stall, pacing or other safepoint). */
    public boolean stopWorldGc() {
      return !kind.equals(SAFEPOINT_KIND) && !kind.equals(ALLOC_STALL)
          && !kind.equals(PACING_KIND);
    }

    @Override
    public String toString() {
      return kind + "@" + startNs + "+" + durationNs;
    }
  }

  public final List<Event> events = new ArrayList<>();
  /** Time of each collector line naming a collection, and its GC id. */
  private final List<long[]> gcLines = new ArrayList<>();

  /** The collector's words "Young (Mixed) ..." as a kind: "mixed". */
  public static String pauseKind(String words) {
    StringBuilder name = new StringBuilder();
    String rest = words;
    for (String token : words.split(" ")) {
      if (token.isEmpty() || token.startsWith("(") || Character.isDigit(token.charAt(0))) {
        break;
      }
      if (name.length() > 0) {
        name.append('_');
      }
      name.append(token.toLowerCase(Locale.ROOT));
    }
    String kind = name.toString();
    if (kind.equals("young") && rest.contains("(Mixed)")) {
      return "mixed";
    }
    if (kind.startsWith("degenerated")) {
      return "degenerated";
    }
    return kind;
  }

  private static int severity(String kind) {
    switch (kind) {
      case "full":
        return 3;
      case "degenerated":
        return 2;
      case "mixed":
        return 1;
      default:
        return 0;
    }
  }

  public static JvmLog parse(List<String> lines) {
    JvmLog log = new JvmLog();
    List<long[]> pendingTimes = new ArrayList<>();
    List<String> pendingKinds = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      long t = Long.parseLong(m.group(1));
      String tags = m.group(3);
      String text = m.group(4);
      if (tags.equals("safepoint")) {
        Matcher s = SAFEPOINT.matcher(text);
        if (!s.find()) {
          continue;
        }
        long total = Long.parseLong(s.group(2));
        long start = t - total;
        String kind = null;
        for (int i = 0; i < pendingKinds.size(); i++) {
          // A line of this safepoint is logged inside it (a little slack for
          // the log's own clock reads).
          if (pendingTimes.get(i)[0] >= start - 1000) {
            String k = pendingKinds.get(i);
            if (kind == null || severity(k) > severity(kind)) {
              kind = k;
            }
          }
        }
        pendingKinds.clear();
        pendingTimes.clear();
        if (kind == null) {
          kind = VM_OPS.getOrDefault(s.group(1), SAFEPOINT_KIND);
        }
        log.events.add(new Event(kind, start, total));
      } else if (tags.equals("gc") || tags.equals("gc,phases")) {
        Matcher p = PAUSE.matcher(text);
        if (p.matches()) {
          pendingTimes.add(new long[] {t});
          pendingKinds.add(pauseKind(p.group(2)));
        }
        Matcher id = GC_ID.matcher(text);
        if (tags.equals("gc") && id.find()) {
          log.gcLines.add(new long[] {t, Long.parseLong(id.group(1))});
        }
        Matcher st = STALL.matcher(text);
        if (tags.equals("gc") && st.find()) {
          long d = Math.round(Double.parseDouble(st.group(2)) * 1e6);
          log.events.add(new Event(ALLOC_STALL, t - d, d));
        }
      } else if (tags.equals("gc,stats")) {
        Matcher pc = PACING.matcher(text.trim());
        if (pc.matches()) {
          long d = Long.parseLong(pc.group(1)) * 1000;
          if (d > 0) {
            log.events.add(new Event(PACING_KIND, t - d, d));
          }
        }
      }
    }
    return log;
  }

  /** The events that start in [from, to). */
  public List<Event> within(long from, long to) {
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      if (e.startNs >= from && e.startNs < to) {
        out.add(e);
      }
    }
    out.sort((a, b) -> Long.compare(a.startNs, b.startNs));
    return out;
  }

  /** Collections with a collector line in [from, to): distinct GC ids. */
  public long collections(long from, long to) {
    Set<Long> ids = new HashSet<>();
    for (long[] l : gcLines) {
      if (l[0] >= from && l[0] < to) {
        ids.add(l[1]);
      }
    }
    return ids.size();
  }

  /** Wall nanoseconds of the collector's stop-the-world pauses in [from, to). */
  public long stopWorldNs(long from, long to) {
    long sum = 0;
    for (Event e : within(from, to)) {
      if (e.stopWorldGc()) {
        sum += e.durationNs;
      }
    }
    return sum;
  }

  /** The probe's "pauses" object for [from, to), starts relative to `from`. */
  public Map<String, Object> pausesJson(String strategy, long from, long to) {
    Map<String, Histogram> kinds = new TreeMap<>();
    for (String k : kindsOf(strategy)) {
      kinds.put(k, new Histogram());
    }
    List<Object> raw = new ArrayList<>();
    long overflow = 0;
    for (Event e : within(from, to)) {
      kinds.computeIfAbsent(e.kind, k -> new Histogram()).record(e.durationNs);
      if (e.durationNs >= RAW_THRESHOLD_NS) {
        if (raw.size() < RAW_CAPACITY) {
          raw.add(Json.obj("kind", e.kind, "start_ns", e.startNs - from,
              "duration_ns", e.durationNs));
        } else {
          overflow++;
        }
      }
    }
    Map<String, Object> summaries = new TreeMap<>();
    for (Map.Entry<String, Histogram> k : kinds.entrySet()) {
      summaries.put(k.getKey(), k.getValue().summary());
    }
    return Json.obj("kinds", summaries, "events", raw,
        "events_threshold_ns", RAW_THRESHOLD_NS, "events_overflow", overflow);
  }
}
