// graph_walk: build a random directed graph as adjacency lists, search it
// breadth first from one vertex, drop it. The shape of a dependency or
// social graph loaded, queried once and thrown away.
//
// Stresses pointer-rich structures and traversal locality: every vertex is
// its own object holding a vector of pointers to others, and the search
// follows those pointers in an order unrelated to allocation order, so how
// an allocator places vertices and edge buffers shows as cache misses. The
// edge vectors grow one edge at a time, all vertices in lock step, so their
// buffers are reallocated interleaved with each other's (each growth leaves
// a dead buffer behind).
//
//   for g in 0 .. kGraphs:                     // one epoch per graph
//     rng = Rng(seed + g)
//     vertices = [make Vertex(i) for i in 0 .. n]
//     for i: vertices[i].edges += vertices[i + 1]   // all reachable from 0
//     repeat degree times: for i: vertices[i].edges += vertices[rng.below(n)]
//     queue = [vertices[0]]; distance[0] = 0
//     for v in queue (FIFO, read index):
//       checksum: id, distance (add32 each); enqueue each unvisited neighbour
//     checksum: queue length, edges seen (add each)
//     release every vertex; drop the vector
//
// Vertices are made in index order, the same for every strategy. Past its
// first few levels the search order is set by the random edges, so the
// allocation order buys the search little locality under any strategy; the
// release loop, in index order, frees in allocation order.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string_view>

#include "allocators/strategy.h"
#include "benchmarks/workloads/checksum.h"
#include "benchmarks/workloads/random.h"
#include "benchmarks/workloads/workload.h"

namespace memstrat {

struct GraphWalk {
  static constexpr std::string_view kName = "graph_walk";
  // How its objects die (see ObjectDeath): every vertex of a graph at its
  // epoch's end.
  static constexpr ObjectDeath kObjectsDie = ObjectDeath::kByEpoch;
  static constexpr std::string_view kUnit = "vertex";
  static constexpr std::array<std::string_view, 2> kParamNames{"vertices",
                                                               "degree"};
  static constexpr std::array<std::int64_t, 2> kSmall{1000, 4};
  // 100k vertices, 8 random out-edges each: about 4 MB of vertices and 13 MB
  // of live edge buffers per graph, well beyond the L2 cache. More vertices
  // make the search miss the cache more; a higher degree makes each
  // vertex's edge vector bigger and the search more edge-bound.
  static constexpr std::array<std::int64_t, 2> kDefault{100'000, 8};
  /// Graphs built, searched and dropped per run, each its own epoch. Raising
  /// it lengthens the run linearly and weights construction and release
  /// against one-off costs (the first touch of arena chunks).
  static constexpr int kGraphs = 4;
  static constexpr std::int64_t kMaxVertices = 100'000'000;
  static constexpr std::int64_t kMaxDegree = 1000;
  /// unit_done() after every kVerticesPerUnit-th vertex of each pass over
  /// the vertices (made, each round of edges, searched); a vertex alone is
  /// tens of nanoseconds. Raising it makes the observer cheaper and the gaps
  /// it can resolve coarser. Dropping the graph reports no units: it is
  /// reclaiming, so under every strategy it is a stall between units.
  static constexpr std::size_t kVerticesPerUnit = 256;
  static constexpr std::uint64_t kSeed = 0x67726170;

  struct Params {
    std::int64_t vertices;
    std::int64_t degree;
  };

  static Params params(std::span<const std::int64_t, 2> args) {
    if (args[0] < 2 || args[0] > kMaxVertices) {
      throw std::invalid_argument(
          "graph_walk: vertices must be in [2, 100000000]");
    }
    if (args[1] < 0 || args[1] > kMaxDegree) {
      throw std::invalid_argument("graph_walk: degree must be in [0, 1000]");
    }
    return {args[0], args[1]};
  }

  // Edges do not own their targets: the graph's vertex vector owns every
  // vertex, so a vertex has nothing to list in for_each_owned.
  template <class S>
  struct Vertex {
    Vector<S, Vertex*> edges;
    std::int64_t id;
    std::int32_t distance = -1;  // -1: not reached yet

    Vertex(std::int64_t i, const typename S::template Allocator<Vertex*>& a)
        : edges(a), id(i) {}
  };

  template <MemoryStrategy S>
  static std::uint64_t run(S& s, const Params& p) {
    NullObserver observer;
    return run(s, p, observer);
  }

  template <MemoryStrategy S, WorkObserver O>
  static std::uint64_t run(S& s, const Params& p, O& observer) {
    Checksum sum;
    const auto run_epoch = s.begin_epoch();
    for (int g = 0; g < kGraphs; ++g) {
      const auto epoch = s.begin_epoch();
      Rng rng(kSeed + static_cast<std::uint64_t>(g));
      search_one_graph(s, p, rng, sum, observer);
      s.end_epoch(epoch);
    }
    s.end_epoch(run_epoch);
    return sum.value();
  }

 private:
  template <class S, class O>
  static void search_one_graph(S& s, const Params& p, Rng& rng, Checksum& sum,
                               O& observer) {
    auto tick = [&](std::size_t i) {
      if ((i + 1) % kVerticesPerUnit == 0) observer.unit_done();
    };
    using V = Vertex<S>;
    const auto n = static_cast<std::size_t>(p.vertices);
    Vector<S, Owner<S, V>> vertices(s.template allocator<Owner<S, V>>());
    vertices.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      vertices.push_back(s.template make<V>(static_cast<std::int64_t>(i),
                                            s.template allocator<V*>()));
      tick(i);
    }
    for (std::size_t i = 0; i + 1 < n; ++i) {
      vertices[i]->edges.push_back(raw(vertices[i + 1]));
    }
    for (std::int64_t round = 0; round < p.degree; ++round) {
      for (std::size_t i = 0; i < n; ++i) {
        vertices[i]->edges.push_back(
            raw(vertices[rng.below(static_cast<std::uint32_t>(n))]));
        tick(i);
      }
    }

    Vector<S, V*> queue(s.template allocator<V*>());
    queue.reserve(n);
    V* start = raw(vertices[0]);
    start->distance = 0;
    queue.push_back(start);
    std::uint64_t edges_seen = 0;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      V* v = queue[head];
      sum.add32(static_cast<std::uint32_t>(v->id));
      sum.add32(static_cast<std::uint32_t>(v->distance));
      edges_seen += v->edges.size();
      for (V* w : v->edges) {
        if (w->distance < 0) {
          w->distance = v->distance + 1;
          queue.push_back(w);
        }
      }
      tick(head);
    }
    sum.add(queue.size());
    sum.add(edges_seen);

    {
      const BulkRelease drop(s);  // dropping the graph is one pause
      for (std::size_t i = 0; i < n; ++i) {
        s.release(vertices[i]);
      }
    }
  }
};

}  // namespace memstrat
