// deep_structure: one very long singly linked list, built, walked and torn
// down: an append-only log or a chain of versions dropped at once. Under the
// C++'s explicit strategies the teardown is millions of frees in one pause;
// here the collector finds the whole list dead at once, and what it costs is
// marking an ever longer list while it grows. Every traversal is a loop, so
// no length overflows a stack.
package memstrat.workloads;

import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Fnv;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class DeepStructure implements Workload {
  private static final long SEED = 0xdee957470c700001L;
  private static final long MAX_LENGTH = 20_000_000L;
  /** A node is a few nanoseconds: report every 256th built and walked. */
  private static final long NODES_PER_UNIT = 256;

  private static final class Node {
    Node next;
    /** One 32-bit draw in a 64-bit word, as the C++'s node holds it. */
    final long value;

    Node(long value) {
      this.value = value;
    }
  }

  @Override
  public String name() {
    return "deep_structure";
  }

  @Override
  public String unit() {
    return "node";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"length"};
  }

  @Override
  public long[] small() {
    return new long[] {20000};
  }

  @Override
  public long[] defaults() {
    return new long[] {3000000};
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 1 || params[0] < 1 || params[0] > MAX_LENGTH) {
      throw new IllegalArgumentException("deep_structure: length must be in [1, 20000000]");
    }
    long length = params[0];
    Checksum sum = new Checksum();
    Rng rng = new Rng(SEED);
    Node head = null;
    Node tail = null;
    for (long i = 0; i < length; i++) {
      Node n = new Node(rng.next() & 0xffffffffL);
      counts.objects++;
      if (tail == null) {
        head = n;
      } else {
        tail.next = n;
      }
      tail = n;
      if ((i + 1) % NODES_PER_UNIT == 0) {
        obs.unitDone();
      }
    }

    int walked = 0;
    long nodes = 0;
    for (Node n = head; n != null; n = n.next) {
      walked = Fnv.word(walked, (int) n.value);
      nodes++;
      if (nodes % NODES_PER_UNIT == 0) {
        obs.unitDone();
      }
    }
    sum.add32(walked);
    sum.add(nodes);

    // The C++'s teardown loop, the same walk under every strategy: unlink
    // the next node, read the value, drop the head. Here dropping is the
    // collector's, later; the unlinking stores are kept as the C++ does them.
    int released = 0;
    while (head != null) {
      Node next = head.next;
      head.next = null;
      released += (int) head.value;
      head = next;
    }
    sum.add32(released);
    return sum.value();
  }
}
