// The escape-analysis guard: for every registered workload, the bytes the
// JVM allocates in a late run (after the steady rule's warm-up: C2's code)
// are at least 0.97 x those of the same late run in a JVM whose escape
// analysis is off (-XX:-DoEscapeAnalysis). C2 removes an allocation only by
// escape analysis (scalar replacement, eliminated boxes), so the difference
// is exactly what the JIT took out of the work. (Against an interpreted run
// the figures also differ by what the interpreter's pace changes:
// producer_consumer's queue allocates wait nodes when its threads meet,
// 8% more under -Xint, none of it escape analysis.) The 3% left is for what
// C2 may rightly scalar-replace because the C++ keeps it on the stack:
// request_server's two StringBuilders a request (the C++'s std::strings;
// their byte arrays stay) are 1 to 2% of its bytes. Objects the C++
// heap-allocates are held (Counts.hold) where they would not escape:
// binary_trees lost the top three nodes of every short-lived tree (2.3%)
// before it held each tree. Each measurement runs in a fresh JVM; plain
// thread allocation counters, the workload's own threads included.
package memstrat.tests;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import memstrat.harness.Steady;
import memstrat.work.Counts;
import memstrat.work.Observer;
import memstrat.work.Workload;
import memstrat.workloads.Registry;

public final class EscapeTest {
  private EscapeTest() {}

  static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static long bytesOf(Workload w) {
    Counts c = new Counts();
    Observer o = () -> {};
    long b0 = THREADS.getCurrentThreadAllocatedBytes();
    w.run(w.small(), o, c);
    return THREADS.getCurrentThreadAllocatedBytes() - b0 + c.workerBytes;
  }

  /** In the child: the least a late run allocates, after the steady rule's warm-up. */
  static void measure(String name) {
    Workload w = Registry.find(name);
    bytesOf(w);
    Steady rule = new Steady(2_000_000_000L, () -> 0);
    while (true) {
      long t0 = System.nanoTime();
      bytesOf(w);
      if (rule.add(System.nanoTime() - t0)) {
        break;
      }
    }
    long late = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      late = Math.min(late, bytesOf(w));
    }
    System.out.println(late + " " + rule.runs());
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2) {
      measure(args[0]);
      return;
    }
    String java = System.getProperty("java.home") + "/bin/java";
    for (Workload w : Registry.WORKLOADS) {
      long[] got = new long[3];
      for (String mode : new String[] {"without-ea", "compiled"}) {
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        if (mode.equals("without-ea")) {
          cmd.add("-XX:-DoEscapeAnalysis");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
            "memstrat.tests.EscapeTest", w.name(), mode));
        Check.Result r = Check.run(cmd);
        Check.eq(0, r.code, w.name() + ": the " + mode + " JVM exits 0 (" + r.err.trim() + ")");
        String[] f = r.out.trim().split(" ");
        if (mode.equals("without-ea")) {
          got[0] = Long.parseLong(f[0]);
        } else {
          got[1] = Long.parseLong(f[0]);
          got[2] = Long.parseLong(f[1]);
        }
      }
      System.out.println(w.name() + ": compiled without escape analysis " + got[0] + " bytes, late compiled run "
          + got[1] + " bytes (after " + got[2] + " runs), ratio " + (double) got[1] / got[0]);
      Check.isTrue(got[1] >= 0.97 * got[0], w.name() + ": the JIT removed allocations: late "
          + got[1] + " < 0.97 x without escape analysis " + got[0]);
    }
    Check.done("EscapeTest");
  }
}
