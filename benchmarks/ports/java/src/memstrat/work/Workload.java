// One of the ten workloads, written once from docs/workloads.md: what the
// harness knows of it. It knows nothing of the harness or the collector.
package memstrat.work;

public interface Workload {
  String name();

  /** What one unit of work is (test_vectors.json's `unit`). */
  String unit();

  String[] paramNames();

  long[] small();

  long[] defaults();

  /**
   * Runs the work once and returns its checksum. Bad parameters throw
   * IllegalArgumentException with a one-line message naming the range.
   */
  long run(long[] params, Observer observer, Counts counts);
}
