// The objects a workload makes, one per C++ make<T> call, and the container
// buffers it allocates itself (arrays it creates with new). A thread the
// workload starts counts into its own Counts, added in when it is joined:
// plain fields, so counting costs the timed path one increment. The bytes a
// thread the workload starts allocates are the JVM's own count for that
// thread (threadBytes), added to `workerBytes` when it ends, since the
// harness sees only the threads it started.
package memstrat.work;

import java.lang.management.ManagementFactory;

public final class Counts {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  public long objects;
  public long buffers;
  public long workerBytes;
  private volatile Object held;

  public void add(Counts other) {
    objects += other.objects;
    buffers += other.buffers;
    workerBytes += other.workerBytes;
  }

  /**
   * Hands `o` to the caller (a volatile store no compiler may drop, as JMH's
   * Blackhole): an object the workload makes, uses and lets go of within
   * one compiled method escapes no further, so the JIT would scalar-replace
   * it, while the C++ heap-allocates it. hold(null) lets it go again where
   * the C++ releases it, so it lives no longer than there.
   */
  public void hold(Object o) {
    held = o;
  }

  /** The bytes the JVM has allocated for the calling thread so far. */
  public static long threadBytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }
}
