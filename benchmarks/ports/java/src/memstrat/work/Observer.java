// What a workload reports while it runs, as the C++ WorkObserver: units of
// work done, and the bounds of each request for the latency measure. Java's
// reclaim events are the collector's own, taken from the JVM's logs by the
// harness: the workloads bracket no release.
package memstrat.work;

public interface Observer {
  default void requestBegin() {}

  default void requestEnd() {}

  void unitDone();
}
