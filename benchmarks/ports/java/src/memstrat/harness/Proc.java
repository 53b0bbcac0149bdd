// What Linux says of the whole JVM: VmRSS and VmHWM (/proc/self/status), the
// peak reset (/proc/self/clear_refs), Pss (/proc/self/smaps_rollup), and the
// CPU time of each of its threads (/proc/self/task/*/schedstat, nanoseconds,
// finer than stat's clock ticks) grouped by thread name (comm): the
// collector's threads, the JIT compiler's, and everything (the process clock).
package memstrat.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

public final class Proc {
  private Proc() {}

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  static String read(String path) {
    try {
      return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** A "Key:   N kB" field in bytes, or -1. */
  static long kbField(String text, String key) {
    for (String line : text.split("\n")) {
      if (line.startsWith(key)) {
        String rest = line.substring(key.length()).trim();
        if (rest.endsWith("kB")) {
          try {
            return Long.parseLong(rest.substring(0, rest.length() - 2).trim()) * 1024;
          } catch (NumberFormatException e) {
            return -1;
          }
        }
      }
    }
    return -1;
  }

  public static long rssBytes() {
    return Math.max(0, kbField(read("/proc/self/status"), "VmRSS:"));
  }

  public static long peakRssBytes() {
    return Math.max(0, kbField(read("/proc/self/status"), "VmHWM:"));
  }

  /** Pss, or -1 where smaps_rollup cannot be read. */
  public static long pssBytes() {
    return kbField(read("/proc/self/smaps_rollup"), "Pss:");
  }

  /** Resets VmHWM to the current RSS; false if the kernel refused. */
  public static boolean resetPeakRss() {
    try {
      Files.write(Paths.get("/proc/self/clear_refs"), new byte[] {'5'});
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** CPU time of every thread of the process, including ended ones. */
  public static long processCpuNs() {
    return OS.getProcessCpuTime();
  }

  /** Which CPU a JVM thread's time counts under, from its name. */
  public enum ThreadClass {
    GC,
    JIT,
    OTHER
  }

  /**
   * The thread names of OpenJDK 17's collectors and compilers, as comm shows
   * them (15 characters): checked by running each collector here. The VM
   * Thread runs every stop-the-world operation (Serial's whole collection,
   * the other collectors' pause work beside their workers), so it counts as
   * the collector's; its few non-GC safepoint operations are small.
   */
  public static ThreadClass classify(String comm) {
    if (comm.startsWith("C1 CompilerThre")
        || comm.startsWith("C2 CompilerThre")
        || comm.startsWith("Sweeper thread")) {
      return ThreadClass.JIT;
    }
    if (comm.equals("VM Thread")
        || comm.startsWith("GC Thread#")
        || comm.startsWith("G1 ")
        || comm.startsWith("Z") && (comm.startsWith("ZWorker") || comm.startsWith("ZDriver")
            || comm.startsWith("ZDirector") || comm.startsWith("ZStat")
            || comm.startsWith("ZUncommitter") || comm.startsWith("ZUnmapper"))
        || comm.startsWith("RuntimeWorker#")
        || comm.startsWith("Shenandoah")) {
      return ThreadClass.GC;
    }
    return ThreadClass.OTHER;
  }

  /** Nanoseconds on CPU of each class of thread alive now: {gc, jit}. */
  public static long[] threadCpuNs() {
    long gc = 0;
    long jit = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
      for (Path t : tasks) {
        ThreadClass c = classify(read(t + "/comm").trim());
        if (c == ThreadClass.OTHER) {
          continue;
        }
        long ns = schedstatNs(read(t + "/schedstat"));
        if (c == ThreadClass.GC) {
          gc += ns;
        } else {
          jit += ns;
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
    return new long[] {gc, jit};
  }

  static long schedstatNs(String text) {
    String[] f = text.trim().split("\\s+");
    try {
      return f.length > 0 ? Long.parseLong(f[0]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The second field of /proc/self/statm: resident pages. */
  static long residentPages(String statm) {
    String[] f = statm.trim().split(" ");
    try {
      return f.length > 1 ? Long.parseLong(f[1]) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
