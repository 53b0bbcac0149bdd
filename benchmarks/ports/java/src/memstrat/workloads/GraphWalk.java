// graph_walk: four random directed graphs, each built as adjacency lists,
// searched breadth first from vertex 0 and dropped: pointer-rich structures
// whose search order is unrelated to allocation order. Every vertex is its
// own object holding an array of references to others; the arrays grow one
// edge at a time, all vertices in lock step, as the C++'s vectors do.
package memstrat.workloads;

import memstrat.work.Checksum;
import memstrat.work.Counts;
import memstrat.work.Observer;
import memstrat.work.Rng;
import memstrat.work.Workload;

public final class GraphWalk implements Workload {
  private static final long SEED = 0x67726170;
  private static final int GRAPHS = 4;
  private static final long MAX_VERTICES = 100_000_000L;
  private static final long MAX_DEGREE = 1000;
  private static final int VERTICES_PER_UNIT = 256;

  // The C++'s Vector<Vertex*> is an array grown by doubling as libstdc++'s
  // vector grows (each growth a new array, the old one dead) and a count.
  private static final class Vertex {
    Vertex[] edges;
    int edgeCount;
    final long id;
    int distance = -1; // -1: not reached yet

    Vertex(long id) {
      this.id = id;
    }
  }

  @Override
  public String name() {
    return "graph_walk";
  }

  @Override
  public String unit() {
    return "vertex";
  }

  @Override
  public String[] paramNames() {
    return new String[] {"vertices", "degree"};
  }

  @Override
  public long[] small() {
    return new long[] {1000, 4};
  }

  @Override
  public long[] defaults() {
    return new long[] {100000, 8};
  }

  private static void addEdge(Vertex v, Vertex to, Counts counts) {
    if (v.edges == null || v.edgeCount == v.edges.length) {
      Vertex[] edges = new Vertex[v.edges == null ? 1 : 2 * v.edges.length];
      counts.buffers++;
      if (v.edges != null) {
        System.arraycopy(v.edges, 0, edges, 0, v.edgeCount);
      }
      v.edges = edges;
    }
    v.edges[v.edgeCount++] = to;
  }

  private static void tick(int i, Observer obs) {
    if ((i + 1) % VERTICES_PER_UNIT == 0) {
      obs.unitDone();
    }
  }

  private static void searchOneGraph(
      int n, long degree, Rng rng, Checksum sum, Observer obs, Counts counts) {
    Vertex[] vertices = new Vertex[n];
    counts.buffers++;
    for (int i = 0; i < n; i++) {
      vertices[i] = new Vertex(i);
      counts.objects++;
      tick(i, obs);
    }
    for (int i = 0; i + 1 < n; i++) {
      addEdge(vertices[i], vertices[i + 1], counts);
    }
    for (long round = 0; round < degree; round++) {
      for (int i = 0; i < n; i++) {
        addEdge(vertices[i], vertices[(int) rng.below(n)], counts);
        tick(i, obs);
      }
    }

    // The C++'s queue: a vector reserved for every vertex, read by index.
    Vertex[] queue = new Vertex[n];
    counts.buffers++;
    int queued = 0;
    Vertex start = vertices[0];
    start.distance = 0;
    queue[queued++] = start;
    long edgesSeen = 0;
    for (int head = 0; head < queued; head++) {
      Vertex v = queue[head];
      sum.add32((int) v.id);
      sum.add32(v.distance);
      edgesSeen += v.edgeCount;
      for (int k = 0; k < v.edgeCount; k++) {
        Vertex w = v.edges[k];
        if (w.distance < 0) {
          w.distance = v.distance + 1;
          queue[queued++] = w;
        }
      }
      tick(head, obs);
    }
    sum.add(queued);
    sum.add(edgesSeen);
    // The graph dies on return, with the vertex array: the collector's part.
  }

  @Override
  public long run(long[] params, Observer obs, Counts counts) {
    if (params.length != 2) {
      throw new IllegalArgumentException("graph_walk: expects 2 parameters: vertices, degree");
    }
    if (params[0] < 2 || params[0] > MAX_VERTICES) {
      throw new IllegalArgumentException("graph_walk: vertices must be in [2, 100000000]");
    }
    if (params[1] < 0 || params[1] > MAX_DEGREE) {
      throw new IllegalArgumentException("graph_walk: degree must be in [0, 1000]");
    }
    Checksum sum = new Checksum();
    for (int g = 0; g < GRAPHS; g++) {
      searchOneGraph((int) params[0], params[1], new Rng(SEED + g), sum, obs, counts);
    }
    return sum.value();
  }
}
