// The unified-log parser on logs of every collector, captured from Debian's
// OpenJDK 17.0.15 with the selectors the harness uses (tests/fixtures/: the
// command in tests/fixtures/README.md). The expected counts were read off
// the fixtures by hand and by a separate script: per safepoint, the
// collector lines logged inside it.
package memstrat.tests;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import memstrat.harness.JvmLog;
import memstrat.harness.Json;
import memstrat.harness.Proc;

public final class JvmLogTest {
  private JvmLogTest() {}

  static JvmLog load(String name) throws Exception {
    return JvmLog.parse(Files.readAllLines(Paths.get(Check.fixtures(), name + ".log")));
  }

  static Map<String, Object> kinds(JvmLog log, String strategy) {
    return Json.map(log.pausesJson(strategy, 0, Long.MAX_VALUE).get("kinds"));
  }

  static long count(Map<String, Object> kinds, String kind) {
    Object s = kinds.get(kind);
    return s == null ? -1 : Json.num(Json.map(s).get("count"));
  }

  static long max(Map<String, Object> kinds, String kind) {
    return Json.num(Json.map(kinds.get(kind)).get("max_ns"));
  }

  static void expect(String fixture, String strategy, long collections, Object... kindCounts)
      throws Exception {
    JvmLog log = load(fixture);
    Map<String, Object> k = kinds(log, strategy);
    for (int i = 0; i < kindCounts.length; i += 2) {
      Check.eq(((Number) kindCounts[i + 1]).longValue(), count(k, (String) kindCounts[i]),
          fixture + ": " + kindCounts[i] + " pauses");
    }
    for (String listed : JvmLog.kindsOf(strategy)) {
      Check.isTrue(k.containsKey(listed), fixture + ": kind " + listed + " listed");
    }
    Check.eq(collections, log.collections(0, Long.MAX_VALUE), fixture + ": collections");
  }

  public static void main(String[] args) throws Exception {
    // Serial: a young collection that fails to promote is followed by a full
    // one inside the same safepoint (7 times here): one pause, full.
    expect("serial", "java-serial", 36, "young", 9, "full", 20, "safepoint", 0);
    JvmLog serial = load("serial");
    Check.eq(87648497L, max(kinds(serial, "java-serial"), "full"), "serial: worst pause (ns)");
    expect("parallel", "java-parallel", 22, "young", 15, "full", 7, "safepoint", 0);
    // G1: one safepoint whose pause line the excerpt cut is named by its VM
    // operation (G1CollectForAllocation: young); "Prepare Mixed" is young.
    expect("g1", "java-g1", 12, "young", 7, "mixed", 1, "full", 1, "remark", 1, "cleanup", 1,
        "safepoint", 0);
    // ZGC: pauses from gc+phases and the VM ops, stalls from [gc].
    expect("zgc", "java-zgc", 1, "mark_start", 2, "mark_end", 2, "relocate_start", 1,
        "alloc_stall", 2, "safepoint", 0);
    JvmLog z = load("zgc");
    Check.eq(50627000L, max(kinds(z, "java-zgc"), "alloc_stall"), "zgc: the longest stall");
    // Shenandoah: per-cycle pacing totals; its gc+stats "Pause Init Mark (G)"
    // table lines are not pauses.
    expect("shenandoah", "java-shenandoah", 2, "init_mark", 2, "final_mark", 2,
        "init_update_refs", 1, "final_update_refs", 1, "final_roots", 1, "pacing", 2);
    JvmLog sh = load("shenandoah");
    Check.eq(104509000L, max(kinds(sh, "java-shenandoah"), "pacing"), "shenandoah: pacing");
    // Epsilon collects nothing; its one safepoint is the periodic Cleanup.
    expect("epsilon", "java-epsilon", 0, "safepoint", 1);
    Check.eq(0L, load("epsilon").stopWorldNs(0, Long.MAX_VALUE), "epsilon: no GC pause time");

    // An event runs from (log time - Total) and is cut by its start.
    List<JvmLog.Event> all = serial.within(0, Long.MAX_VALUE);
    Check.eq(29, all.size(), "serial: one event per safepoint");
    JvmLog.Event first = all.get(0);
    Check.eq(11018335289685L - 22281983L, first.startNs, "start = log time - Total");
    Check.eq(0, serial.within(0, first.startNs).size(), "an event starting at `to` is out");
    Check.eq(1, serial.within(first.startNs, first.startNs + 1).size(), "and at `from` in");
    Map<String, Object> cut = serial.pausesJson("java-serial", first.startNs, first.startNs + 1);
    Map<String, Object> ev = Json.map(Json.list(cut.get("events")).get(0));
    Check.eq(0L, ev.get("start_ns"), "raw events start relative to the window");
    long stw = 0;
    for (JvmLog.Event e : all) {
      stw += e.durationNs;
    }
    Check.eq(stw, serial.stopWorldNs(0, Long.MAX_VALUE), "stop-the-world total");

    Check.eq("young", JvmLog.pauseKind("Young (Normal) (G1 Evacuation Pause) 24M->2M(256M) 3.4ms"),
        "G1 young");
    Check.eq("mixed", JvmLog.pauseKind("Young (Mixed) (G1 Evacuation Pause) 24M->2M(256M) 3ms"),
        "G1 mixed");
    Check.eq("init_update_refs", JvmLog.pauseKind("Init Update Refs 0.006ms"), "Shenandoah");
    Check.eq("mark_start", JvmLog.pauseKind("Mark Start 0.021ms"), "ZGC");
    Check.eq("degenerated", JvmLog.pauseKind("Degenerated GC (Mark) 60M->30M(64M) 12.3ms"),
        "Shenandoah degenerated");

    Check.eq(Proc.ThreadClass.GC, Proc.classify("GC Thread#1"), "G1/Parallel workers");
    Check.eq(Proc.ThreadClass.GC, Proc.classify("ZWorker#0"), "ZGC workers");
    Check.eq(Proc.ThreadClass.GC, Proc.classify("Shenandoah GC T"), "Shenandoah workers");
    Check.eq(Proc.ThreadClass.GC, Proc.classify("G1 Conc#0"), "G1 marking");
    Check.eq(Proc.ThreadClass.GC, Proc.classify("VM Thread"), "the VM thread");
    Check.eq(Proc.ThreadClass.JIT, Proc.classify("C2 CompilerThre"), "C2");
    Check.eq(Proc.ThreadClass.OTHER, Proc.classify("memstrat-main"), "the workload's thread");
    Check.eq(Proc.ThreadClass.OTHER, Proc.classify("Zeta"), "not every Z is ZGC's");
    Check.done("JvmLogTest");
  }
}
