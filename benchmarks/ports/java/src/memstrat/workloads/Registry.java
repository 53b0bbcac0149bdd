// The registered workloads, in the C++ catalogue's order. The harness and the
// tests walk this list and name no workload themselves. A workload joins it
// once its small-size checksum, units and objects equal test_vectors.json's.
package memstrat.workloads;

import java.util.List;
import memstrat.work.Workload;

public final class Registry {
  private Registry() {}

  public static final List<Workload> WORKLOADS =
      List.of(
          new BinaryTrees(),
          new ListChurn(),
          new LifetimeMix(),
          new StringDict(),
          new RequestServer(),
          new DeepStructure(),
          new ProducerConsumer(),
          new DocTree(),
          new GraphWalk(),
          new LruCache());

  /** The workload named `name`, or null. */
  public static Workload find(String name) {
    for (Workload w : WORKLOADS) {
      if (w.name().equals(name)) {
        return w;
      }
    }
    return null;
  }
}
