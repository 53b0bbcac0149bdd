// binary_trees (GCBench / Benchmarks Game): many short-lived complete binary
// trees beside one long-lived tree. No random draws. A tree is dropped by
// letting go of its root: what the collector does with it is the measure.
package memstrat.workloads;

import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Observer;
import memstrat.work.Workload;

public final class BinaryTrees implements Workload {
  private static final class Node {
    final long item;
    final Node left;
    final Node right;

    Node(long item, Node left, Node right) {
      this.item = item;
      this.left = left;
      this.right = right;
    }
  }

  @Override
  public String name() {
    return "binary_trees";
  }

  @Override
  public String unit() {
    return "tree";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"depth"};
  }

  @Override
  public long[] small() {
    return new long[] {10};
  }

  @Override
  public long[] defaults() {
    return new long[] {16};
  }

  private static Node tree(Counts counts, long item, int depth) {
    counts.objects++;
    if (depth == 0) {
      return new Node(item, null, null);
    }
    Node left = tree(counts, 2 * item - 1, depth - 1);
    Node right = tree(counts, 2 * item, depth - 1);
    return new Node(item, left, right);
  }

  private static long nodes(Node t) {
    return t.left == null ? 1 : 1 + nodes(t.left) + nodes(t.right);
  }

  private static long items(Node t) {
    return t.left == null ? t.item : t.item + items(t.left) - items(t.right);
  }

  private static void addCheck(Checksum sum, Node t) {
    sum.add32((int) nodes(t));
    sum.add32((int) items(t));
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 1 || params[0] < 4 || params[0] > 24) {
      throw new IllegalArgumentException("binary_trees: depth must be in [4, 24]");
    }
    int depth = (int) params[0];
    Checksum sum = new Checksum();
    Node stretch = tree(counts, 0, depth + 1);
    addCheck(sum, stretch);
    obs.unitDone();
    stretch = null;
    Node longLived = tree(counts, 0, depth);
    for (int d = 4; d <= depth; d += 2) {
      long iterations = 2 * ((1L << (depth + 1)) - 1) / ((1L << (d + 1)) - 1);
      for (long i = 0; i < iterations; i++) {
        Node t = tree(counts, i, d);
        counts.hold(t);
        addCheck(sum, t);
        counts.hold(null);
        obs.unitDone();
      }
    }
    addCheck(sum, longLived);
    obs.unitDone();
    return sum.value();
  }
}
